/**
 * The batch executor: interprets a logical plan over materialised row arrays. Each node's
 * result is computed fully before its parent runs; correlated subqueries and LATERAL items
 * re-run their plan per outer row.
 */
import type { AggCall, BoundExpr, PlanNode } from '../plan/logical.js';
import type { Row, Value } from '../types/value.js';
import { SqlError, SqlState } from '../errors.js';
import type { ExecEnv } from '../expr/env.js';
import type { EvalContext } from '../expr/context.js';
import type { StatementSession } from './session.js';
import { withOuter } from '../expr/env.js';
import { compiled } from '../expr/eval.js';
import { compareKeys, keyOrders, rowKey } from '../expr/keys.js';
import { runProjectSet } from '../expr/project-set.js';
import { runWindow } from '../expr/window.js';
import { assignWindows } from '../expr/time-window.js';

/** The environment a statement's plan runs in. */
export function makeEnv(session: StatementSession, params: Value[], ctx: EvalContext): ExecEnv {
  return {
    ctx,
    params,
    outer: [],
    ctes: new Map(),
    scan: (id) => session.db.scanRelation(id),
    subqueryCache: new Map(),
    runPlan,
  };
}

export function runPlan(plan: PlanNode, env: ExecEnv): Row[] {
  switch (plan.kind) {
    case 'scan': {
      return env.scan(plan.tableId);
    }
    case 'values': {
      const exprs = plan.rows.map((r) => r.map(compiled));
      return exprs.map((r) => r.map((c) => c([], env)));
    }
    case 'project': {
      const input = runPlan(plan.input, env);
      const exprs = plan.exprs.map(compiled);
      const out: Row[] = new Array(input.length);
      for (let i = 0; i < input.length; i++) {
        const row = input[i]!;
        out[i] = exprs.map((c) => c(row, env));
      }
      return out;
    }
    case 'filter': {
      const input = runPlan(plan.input, env);
      const pred = compiled(plan.predicate);
      return input.filter((r) => pred(r, env) === true);
    }
    case 'join':
      return runJoin(plan, env);
    case 'aggregate':
      return runAggregate(plan, env);
    case 'window':
      return runWindow(plan, runPlan(plan.input, env), env);
    case 'projectSet':
      return runProjectSet(plan, runPlan(plan.input, env), env);
    case 'sort': {
      const input = runPlan(plan.input, env);
      const keyExprs = plan.keys.map((k) => compiled(k.expr));
      const orders = keyOrders(plan.keys);
      const keyed = input.map((r, i) => ({ r, i, k: keyExprs.map((c) => c(r, env)) }));
      keyed.sort((a, b) => compareKeys(a.k, b.k, orders) || a.i - b.i);
      return keyed.map((x) => x.r);
    }
    case 'limit': {
      const input = runPlan(plan.input, env);
      const count = (e: BoundExpr | null, what: string): number | null => {
        if (!e) return null;
        const v = compiled(e)([], env);
        if (v === null) return null;
        const n = Number(v as bigint);
        if (n < 0)
          throw new SqlError(what === 'LIMIT' ? '2201W' : '2201X', `${what} must not be negative`);
        return n;
      };
      const offset = count(plan.offset, 'OFFSET') ?? 0;
      const limit = count(plan.limit, 'LIMIT');
      if (limit === null) return input.slice(offset);
      let end = offset + limit;
      if (plan.withTies && limit > 0 && end < input.length) {
        const keyExprs = plan.withTies.map((k) => compiled(k.expr));
        const orders = keyOrders(plan.withTies);
        const last = keyExprs.map((c) => c(input[end - 1]!, env));
        while (
          end < input.length &&
          compareKeys(
            keyExprs.map((c) => c(input[end]!, env)),
            last,
            orders,
          ) === 0
        )
          end++;
      }
      return input.slice(offset, end);
    }
    case 'distinct': {
      const input = runPlan(plan.input, env);
      const seen = new Set<string>();
      const out: Row[] = [];
      if (plan.on) {
        const on = plan.on.map(compiled);
        const types = plan.on.map((e) => e.type);
        for (const r of input) {
          const k = rowKey(
            on.map((c) => c(r, env)),
            types,
          );
          if (!seen.has(k)) {
            seen.add(k);
            out.push(r);
          }
        }
        return out;
      }
      const types = plan.schema.map((c) => c.type);
      for (const r of input) {
        const k = rowKey(r, types);
        if (!seen.has(k)) {
          seen.add(k);
          out.push(r);
        }
      }
      return out;
    }
    case 'setOp':
      return runSetOp(plan, env);
    case 'tableFunction': {
      // A lateral function's arguments read the left row (the innermost outer row) as columns.
      const left = env.outer[env.outer.length - 1] ?? [];
      const args = plan.args.map((a) => compiled(a)(left, env));
      const rows = plan.eval(args, env.ctx);
      if (plan.withOrdinality) return rows.map((r, i) => [...r, BigInt(i + 1)]);
      return rows;
    }
    case 'timeWindow':
      return assignWindows(plan, runPlan(plan.input, env), env);
    case 'cteScan': {
      const rows = env.ctes.get(plan.cteId);
      if (!rows) throw new SqlError(SqlState.internalError, 'CTE evaluated before its definition');
      return rows;
    }
    case 'withCtes': {
      const ctes = new Map(env.ctes);
      const inner: ExecEnv = { ...env, ctes };
      for (const cte of plan.ctes) {
        const base = runPlan(cte.plan, inner);
        if (!cte.recursive) {
          ctes.set(cte.id, base);
          continue;
        }
        const types = cte.plan.schema.map((c) => c.type);
        const seen = new Set<string>();
        const dedupe = (rows: Row[]): Row[] => {
          if (cte.unionAll) return rows;
          return rows.filter((r) => {
            const k = rowKey(r, types);
            if (seen.has(k)) return false;
            seen.add(k);
            return true;
          });
        };
        const all = dedupe(base);
        let working = all.slice();
        let iterations = 0;
        while (working.length > 0) {
          if (++iterations > 100_000)
            throw new SqlError(
              SqlState.programLimitExceeded,
              'recursive query exceeded 100000 iterations',
            );
          ctes.set(cte.id, working);
          const next = dedupe(runPlan(cte.recursive, inner));
          all.push(...next);
          working = next;
        }
        ctes.set(cte.id, all);
      }
      return runPlan(plan.input, inner);
    }
  }
}

function runJoin(plan: Extract<PlanNode, { kind: 'join' }>, env: ExecEnv): Row[] {
  const left = runPlan(plan.left, env);
  const nl = plan.left.schema.length;
  const nr = plan.right.schema.length;
  const cond = plan.condition ? compiled(plan.condition) : null;
  const out: Row[] = [];
  const nullsRight: Row = new Array<Value>(nr).fill(null);
  const nullsLeft: Row = new Array<Value>(nl).fill(null);
  const kind = plan.joinKind;

  if (plan.lateral) {
    for (const l of left) {
      const right = runPlan(plan.right, withOuter(env, l));
      let matched = false;
      for (const r of right) {
        const row = [...l, ...r];
        if (cond && cond(row, env) !== true) continue;
        matched = true;
        out.push(row);
      }
      if (!matched && kind === 'left') out.push([...l, ...nullsRight]);
    }
    return out;
  }

  const right = runPlan(plan.right, env);
  const rightMatched = kind === 'right' || kind === 'full' ? new Uint8Array(right.length) : null;
  const lk = plan.leftKeys.map(compiled);
  const rk = plan.rightKeys.map(compiled);
  const keyTypes = plan.leftKeys.map((k) => k.type);

  // Hash the right side on the equi-keys; NULL keys never match.
  let index: Map<string, number[]> | null = null;
  if (lk.length > 0) {
    index = new Map();
    right.forEach((r, i) => {
      const vals = rk.map((c) => c(r, env));
      if (vals.some((v) => v === null)) return;
      const k = rowKey(vals, keyTypes);
      const list = index!.get(k);
      if (list) list.push(i);
      else index!.set(k, [i]);
    });
  }
  const allRight = right.map((_, i) => i);
  for (const l of left) {
    let candidates: number[];
    if (index) {
      const vals = lk.map((c) => c(l, env));
      candidates = vals.some((v) => v === null) ? [] : (index.get(rowKey(vals, keyTypes)) ?? []);
    } else candidates = allRight;
    let matched = false;
    for (const i of candidates) {
      const r = right[i]!;
      const row = [...l, ...r];
      if (cond && cond(row, env) !== true) continue;
      matched = true;
      if (rightMatched) rightMatched[i] = 1;
      if (kind === 'semi' || kind === 'anti') break;
      out.push(row);
    }
    if (kind === 'semi' && matched) out.push(l);
    if (kind === 'anti' && !matched) out.push(l);
    if (!matched && (kind === 'left' || kind === 'full')) out.push([...l, ...nullsRight]);
  }
  if (rightMatched)
    right.forEach((r, i) => {
      if (!rightMatched[i]) out.push([...nullsLeft, ...r]);
    });
  return out;
}

interface GroupState {
  keys: Value[];
  accs: import('../expr/registry.js').Accumulator[];
  distinctSeen: (Set<string> | null)[];
  /** Rows buffered for aggregates with ORDER BY, applied at the end in order. */
  ordered: ({ sortKey: Value[]; args: Value[] }[] | null)[];
}

function runAggregate(plan: Extract<PlanNode, { kind: 'aggregate' }>, env: ExecEnv): Row[] {
  const input = runPlan(plan.input, env);
  const keyExprs = plan.groupKeys.map(compiled);
  const keyTypes = plan.groupKeys.map((k) => k.type);
  const aggs = plan.aggs.map((a) => ({
    call: a,
    args: a.args.map(compiled),
    filter: a.filter ? compiled(a.filter) : null,
    order: a.orderBy.map((o) => compiled(o.expr)),
    orders: keyOrders(a.orderBy),
    argTypes: a.args.map((x) => x.type),
  }));
  const sets = plan.groupingSets ?? [plan.groupKeys.map((_, i) => i)];
  const out: Row[] = [];
  for (const [si, set] of sets.entries()) {
    const inSet = new Set(set);
    const groups = new Map<string, GroupState>();
    const newGroup = (keys: Value[]): GroupState => ({
      keys,
      accs: aggs.map((a) => a.call.fn.create()),
      distinctSeen: aggs.map((a) => (a.call.distinct ? new Set<string>() : null)),
      ordered: aggs.map((a) => (a.call.orderBy.length > 0 ? [] : null)),
    });
    for (const row of input) {
      const keys = keyExprs.map((c, i) => (inSet.has(i) ? c(row, env) : null));
      const k = rowKey(keys, keyTypes);
      let g = groups.get(k);
      if (!g) {
        g = newGroup(keys);
        groups.set(k, g);
      }
      aggs.forEach((a, i) => {
        if (a.filter && a.filter(row, env) !== true) return;
        const args = a.args.map((c) => c(row, env));
        if (a.call.fn.ignoreNulls !== false && args.some((v) => v === null)) return;
        const seen = g!.distinctSeen[i];
        if (seen) {
          const dk = rowKey(args, a.argTypes);
          if (seen.has(dk)) return;
          seen.add(dk);
        }
        const buf = g!.ordered[i];
        if (buf) buf.push({ sortKey: a.order.map((c) => c(row, env)), args });
        else g!.accs[i]!.apply(args, 1);
      });
    }
    // Without GROUP BY keys (or for the empty grouping set) there is always one group.
    if (groups.size === 0 && set.length === 0) groups.set('', newGroup(keyExprs.map(() => null)));
    for (const g of groups.values()) {
      aggs.forEach((a, i) => {
        const buf = g.ordered[i];
        if (!buf) return;
        buf.sort((x, y) => compareKeys(x.sortKey, y.sortKey, a.orders));
        for (const b of buf) g.accs[i]!.apply(b.args, 1);
      });
      const row = [...g.keys, ...g.accs.map((acc) => acc.result())];
      if (plan.groupingSetColumn) row.push(si);
      out.push(row);
    }
  }
  return out;
}

function runSetOp(plan: Extract<PlanNode, { kind: 'setOp' }>, env: ExecEnv): Row[] {
  const left = runPlan(plan.left, env);
  const right = runPlan(plan.right, env);
  const types = plan.schema.map((c) => c.type);
  if (plan.op === 'union') {
    if (plan.all) return [...left, ...right];
    const seen = new Set<string>();
    const out: Row[] = [];
    for (const r of [...left, ...right]) {
      const k = rowKey(r, types);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(r);
      }
    }
    return out;
  }
  const rightCounts = new Map<string, number>();
  for (const r of right) {
    const k = rowKey(r, types);
    rightCounts.set(k, (rightCounts.get(k) ?? 0) + 1);
  }
  const out: Row[] = [];
  const emitted = new Set<string>();
  for (const r of left) {
    const k = rowKey(r, types);
    const c = rightCounts.get(k) ?? 0;
    if (plan.op === 'intersect') {
      if (plan.all) {
        if (c > 0) {
          out.push(r);
          rightCounts.set(k, c - 1);
        }
      } else if (c > 0 && !emitted.has(k)) {
        emitted.add(k);
        out.push(r);
      }
    } else if (plan.all) {
      if (c > 0) rightCounts.set(k, c - 1);
      else out.push(r);
    } else if (c === 0 && !emitted.has(k)) {
      emitted.add(k);
      out.push(r);
    }
  }
  return out;
}

export type { AggCall };
