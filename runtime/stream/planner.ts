/**
 * The stream planner: turns a bound (logical) query plan into dataflow operators in the stream
 * graph, reusing the shared source node of every table and the materialize node of every
 * upstream materialized view. Anything it cannot maintain incrementally is refused with
 * SQLSTATE 0A000 naming the construct — never planned into a wrong or stale view.
 */
import type { BoundExpr, ColumnSchema, PlanNode, SortKey } from '../plan/logical.js';
import type { RelationDesc } from '../catalog/catalog.js';
import { SqlError, SqlState } from '../errors.js';
import { visitBound } from '../plan/bound.js';
import type { StreamExecutor } from './executor.js';
import type { StreamGraph, StreamNode } from './graph.js';
import { ProjectExecutor } from './executors/project.js';
import { FilterExecutor } from './executors/filter.js';
import { HashAggExecutor } from './executors/hash-agg.js';
import { HashJoinExecutor } from './executors/hash-join.js';
import { UnionExecutor } from './executors/union.js';
import { TopNExecutor } from './executors/top-n.js';
import { OverWindowExecutor } from './executors/over-window.js';
import { SessionWindowExecutor } from './executors/session-window.js';
import { TimeWindowExecutor } from './executors/time-window.js';
import { ValuesExecutor } from './executors/values.js';
import { ProjectSetExecutor } from './executors/project-set.js';
import { SourceExecutor } from './executors/source.js';
import { MaterializeExecutor } from './executors/materialize.js';
import { EowcSortExecutor } from './executors/eowc-sort.js';
import { TemporalFilterExecutor } from './executors/temporal-filter.js';
import { DynamicFilterExecutor } from './executors/dynamic-filter.js';
import { NowSeriesExecutor } from './executors/now-series.js';
import { atMostOneRow } from '../plan/rules/scalar-subquery-to-join.js';
import { shiftColumns } from '../plan/bound.js';
import {
  and,
  checkNowSeries,
  columnsOf,
  conjuncts,
  FLIP,
  isClockCall,
  isCmpOp,
  nowUnsupported,
  pushTemporalJoinConditions,
  splitTemporal,
  usesNow,
  type CmpOp,
} from './temporal.js';

/** An edge from an existing node into the new dataflow: backfill pushes a snapshot along it. */
export interface EntryEdge {
  upstream: StreamNode;
  /** Relation whose current rows form the snapshot. */
  relation: RelationDesc;
  node: StreamNode;
  port: number;
}

export interface PlannedView {
  output: StreamNode;
  nodes: StreamNode[];
  entries: EntryEdge[];
}

function unsupported(what: string): SqlError {
  return new SqlError(
    SqlState.featureNotSupported,
    `${what} is not supported in materialized views yet`,
  );
}

/** Checks an expression can be evaluated row by row in a dataflow. */
function checkStreamable(e: BoundExpr): void {
  visitBound(e, (x) => {
    switch (x.kind) {
      case 'scalarSubquery':
      case 'exists':
      case 'quantifiedSubquery':
      case 'arraySubquery':
        throw unsupported('this subquery');
      case 'outerColumn':
        throw unsupported('a correlated reference');
      case 'param':
        throw unsupported('a query parameter');
      case 'call':
        if (isClockCall(x)) throw nowUnsupported(`${x.name}() outside a temporal filter`);
        if (x.fn.volatile) throw unsupported(`${x.name}()`);
        break;
      default:
        break;
    }
  });
}

/**
 * `key op f(sub)` (either way round) where `sub` is column `c` and `key` reads only columns
 * before it: the comparison a dynamic filter maintains; the bound reads the subquery's row.
 */
function subqueryComparison(
  e: BoundExpr,
  c: number,
): { key: BoundExpr; op: CmpOp; bound: BoundExpr; type: BoundExpr['type'] } | null {
  if (e.kind !== 'binary' || !isCmpOp(e.name)) return null;
  const onlySub = (x: BoundExpr): boolean => {
    const cols = columnsOf(x);
    return cols.size === 1 && cols.has(c);
  };
  const before = (x: BoundExpr): boolean => [...columnsOf(x)].every((i) => i < c);
  let key = e.left;
  let bound = e.right;
  let op: CmpOp = e.name;
  if (onlySub(key) && before(bound)) {
    [key, bound] = [bound, key];
    op = FLIP[op];
  }
  if (!onlySub(bound) || !before(key) || usesNow(key) || usesNow(bound)) return null;
  checkStreamable(key);
  checkStreamable(bound);
  return { key, op, bound: shiftColumns(bound, -c), type: e.op.leftType };
}

/**
 * Volatile functions a constant relation may call: their values are drawn once, when the view is
 * created, and kept as a table keeps inserted values (nothing upstream can retract them).
 * Clock and catalog readers stay refused: a value frozen at creation would go stale.
 */
const DRAWN_ONCE = new Set(['random', 'gen_random_uuid']);

/** True when `p` reads no table, view or CTE and calls a volatile function (see DRAWN_ONCE). */
function isConstantWithVolatile(p: PlanNode): boolean {
  let volatile = false;
  const exprOk = (e: BoundExpr): boolean => {
    let ok = true;
    visitBound(e, (x) => {
      switch (x.kind) {
        case 'scalarSubquery':
        case 'exists':
        case 'quantifiedSubquery':
        case 'arraySubquery':
        case 'outerColumn':
        case 'param':
          ok = false;
          break;
        case 'call':
          if (x.fn.volatile) {
            if (DRAWN_ONCE.has(x.name)) volatile = true;
            else ok = false;
          }
          break;
        default:
          break;
      }
    });
    return ok;
  };
  const constant = (n: PlanNode): boolean => {
    switch (n.kind) {
      case 'values':
        return n.rows.flat().every(exprOk);
      case 'project':
        return n.exprs.every(exprOk) && constant(n.input);
      case 'filter':
        return exprOk(n.predicate) && constant(n.input);
      default:
        return false;
    }
  };
  return constant(p) && volatile;
}

/**
 * Output columns the plan's rows are unique on, when that follows from its shape: an
 * aggregate's group key (one row per group), kept through filters and through projections
 * that pass the key columns on.
 */
export function uniqueKey(p: PlanNode): number[] | null {
  switch (p.kind) {
    case 'aggregate':
      return p.groupingSets ? null : p.groupKeys.map((_, i) => i);
    case 'filter':
      return uniqueKey(p.input);
    case 'project': {
      const inner = uniqueKey(p.input);
      if (!inner) return null;
      const out: number[] = [];
      for (const c of inner) {
        const at = p.exprs.findIndex((e) => e.kind === 'column' && e.index === c);
        if (at < 0) return null;
        out.push(at);
      }
      return out;
    }
    default:
      return null;
  }
}

export class StreamPlanner {
  readonly nodes: StreamNode[] = [];
  readonly entries: EntryEdge[] = [];
  private readonly ctes = new Map<number, StreamNode>();

  constructor(
    private readonly graph: StreamGraph,
    /** Resolves relation ids (tables and materialized views) the plan scans. */
    private readonly relation: (id: number) => RelationDesc,
    private readonly upstreamOf: (rel: RelationDesc) => StreamNode,
  ) {}

  planView(name: string, plan: PlanNode, emitOnWindowClose = false): PlannedView {
    let top = this.build(plan);
    if (emitOnWindowClose) {
      // Rows close on the first output column a watermark reaches.
      const column = plan.schema.findIndex((_, i) => top.watermarkColumns?.has(i));
      if (column < 0)
        throw new SqlError(
          SqlState.featureNotSupported,
          'EMIT ON WINDOW CLOSE needs an output column with a watermark: a column of a table with WATERMARK FOR, passed on as is, shifted by a constant, or as a window start or group key',
        );
      top = this.add(new EowcSortExecutor(plan.schema, column), [top]);
    }
    const mat = this.add(new MaterializeExecutor(name, plan.schema, uniqueKey(plan)), [top]);
    return { output: mat, nodes: this.nodes, entries: this.entries };
  }

  private add(exec: StreamExecutor, inputs: StreamNode[]): StreamNode {
    const node = this.graph.newNode(exec);
    this.nodes.push(node);
    inputs.forEach((input, port) => this.graph.connect(input, node, port));
    node.watermarkColumns =
      exec.watermarkColumns?.(inputs.map((i) => i.watermarkColumns ?? new Set<number>())) ??
      new Set();
    return node;
  }

  /** Plans `p` as the input of a new node; existing upstream nodes become entry edges. */
  private build(p: PlanNode): StreamNode {
    // A constant relation with random values: evaluated once, like VALUES.
    if (isConstantWithVolatile(p)) return this.add(new ValuesExecutor(p), []);
    switch (p.kind) {
      case 'scan': {
        const rel = this.relation(p.tableId);
        const up = this.upstreamOf(rel);
        // A per-view pass-through node gives backfill its own entry point into this view.
        const node = this.add(
          new SourceExecutor(
            rel.name,
            p.schema,
            rel.kind === 'table' || rel.kind === 'source' ? rel.kind : 'view',
          ),
          [],
        );
        this.graph.connect(up, node, 0);
        node.watermarkColumns = new Set(up.watermarkColumns);
        this.entries.push({ upstream: up, relation: rel, node, port: 0 });
        return node;
      }
      case 'values':
        p.rows.flat().forEach(checkStreamable);
        return this.add(new ValuesExecutor(p), []);
      case 'tableFunction':
        if (p.args.some((a) => usesNow(a))) {
          checkNowSeries(p);
          checkStreamable(p.args[0]!);
          return this.add(new NowSeriesExecutor(p), []);
        }
        p.args.forEach(checkStreamable);
        return this.add(new ValuesExecutor(p), []);
      case 'project': {
        const dynamic = this.dynamicFilter(p);
        if (dynamic) return dynamic;
        p.exprs.forEach(checkStreamable);
        const input = this.build(p.input);
        return this.add(
          new ProjectExecutor(
            p.exprs,
            p.schema,
            p.input.schema.map((c) => c.name),
          ),
          [input],
        );
      }
      case 'filter': {
        const topN = this.rowNumberTopN(p);
        if (topN) return topN;
        if (usesNow(p.predicate)) return this.temporalFilter(p.input, p.predicate, p.schema);
        checkStreamable(p.predicate);
        const input = this.build(p.input);
        return this.add(
          new FilterExecutor(
            p.predicate,
            p.schema,
            p.input.schema.map((c) => c.name),
          ),
          [input],
        );
      }
      case 'aggregate': {
        p.groupKeys.forEach(checkStreamable);
        for (const a of p.aggs) {
          a.args.forEach(checkStreamable);
          if (a.filter) checkStreamable(a.filter);
        }
        const input = this.build(p.input);
        return this.add(
          new HashAggExecutor(
            p.groupKeys,
            p.aggs,
            p.groupingSets,
            p.schema,
            p.input.schema,
            p.groupingSetColumn ?? false,
          ),
          [input],
        );
      }
      case 'join': {
        if (p.lateral) throw unsupported('LATERAL');
        if (usesNow(p.condition)) return this.build(pushTemporalJoinConditions(p));
        [...p.leftKeys, ...p.rightKeys].forEach(checkStreamable);
        if (p.condition) checkStreamable(p.condition);
        const left = this.build(p.left);
        const right = this.build(p.right);
        return this.add(
          new HashJoinExecutor(
            p.joinKind,
            p.leftKeys,
            p.rightKeys,
            p.condition,
            p.left.schema,
            p.right.schema,
            p.schema,
          ),
          [left, right],
        );
      }
      case 'window': {
        for (const c of p.calls) {
          [...c.args, ...c.partitionBy, ...c.orderBy.map((o) => o.expr)].forEach(checkStreamable);
          if (c.filter) checkStreamable(c.filter);
        }
        const input = this.build(p.input);
        if (SessionWindowExecutor.applies(p))
          return this.add(new SessionWindowExecutor(p, p.schema), [input]);
        return this.add(new OverWindowExecutor(p, p.schema), [input]);
      }
      case 'projectSet': {
        for (const c of p.calls) c.args.forEach(checkStreamable);
        const input = this.build(p.input);
        return this.add(new ProjectSetExecutor(p), [input]);
      }
      case 'sort':
        // Row order of a view is not part of its contents: ORDER BY alone changes nothing.
        return this.build(p.input);
      case 'limit': {
        const count = (e: BoundExpr | null): number | null => {
          if (!e) return null;
          if (e.kind !== 'literal') throw unsupported('a non-constant LIMIT/OFFSET');
          return e.value === null ? null : Number(e.value as bigint);
        };
        const limit = count(p.limit);
        const offset = count(p.offset) ?? 0;
        let inner = p.input;
        let order: SortKey[] = [];
        if (inner.kind === 'sort') {
          order = inner.keys;
          inner = inner.input;
        }
        order.forEach((k) => checkStreamable(k.expr));
        const input = this.build(inner);
        return this.add(
          new TopNExecutor(
            [],
            order,
            limit,
            offset,
            p.withTies !== null,
            false,
            inner.schema,
            p.schema,
          ),
          [input],
        );
      }
      case 'distinct': {
        if (!p.on) {
          const input = this.build(p.input);
          return this.add(distinctAgg(p.schema), [input]);
        }
        // DISTINCT ON (keys) ORDER BY ...: the first row per key, a top-1 per group.
        let inner = p.input;
        let order: SortKey[] = [];
        if (inner.kind === 'sort') {
          order = inner.keys;
          inner = inner.input;
        }
        p.on.forEach(checkStreamable);
        const input = this.build(inner);
        return this.add(new TopNExecutor(p.on, order, 1, 0, false, false, inner.schema, p.schema), [
          input,
        ]);
      }
      case 'setOp': {
        if (p.op !== 'union') throw unsupported(p.op.toUpperCase());
        const left = this.build(p.left);
        const right = this.build(p.right);
        const union = this.add(new UnionExecutor(p.schema), [left, right]);
        return p.all ? union : this.add(distinctAgg(p.schema), [union]);
      }
      case 'timeWindow': {
        for (const e of [p.size, p.slide, p.offset])
          if (e && e.kind !== 'literal') throw unsupported('a non-constant window size');
        checkStreamable(p.timeCol);
        const input = this.build(p.input);
        return this.add(new TimeWindowExecutor(p), [input]);
      }
      case 'withCtes': {
        for (const c of p.ctes) {
          if (c.recursive) throw unsupported('WITH RECURSIVE');
          this.ctes.set(c.id, this.build(c.plan));
        }
        return this.build(p.input);
      }
      case 'cteScan': {
        const node = this.ctes.get(p.cteId);
        if (!node) throw new SqlError(SqlState.internalError, 'CTE planned before its definition');
        return node;
      }
    }
  }

  /**
   * A filter with temporal conditions (stream/temporal.ts): its ordinary conjuncts filter
   * first, then a temporal filter keeps the rows waiting on the clock.
   */
  private temporalFilter(
    input: PlanNode,
    predicate: BoundExpr,
    schema: ColumnSchema[],
  ): StreamNode {
    const { plain, temporal } = splitTemporal(predicate);
    plain.forEach(checkStreamable);
    for (const c of temporal) {
      checkStreamable(c.key);
      if (c.escape) checkStreamable(c.escape);
    }
    const names = input.schema.map((c) => c.name);
    let node = this.build(input);
    if (plain.length > 0) node = this.add(new FilterExecutor(and(plain), schema, names), [node]);
    return this.add(new TemporalFilterExecutor(temporal, schema, names), [node]);
  }

  /**
   * `... WHERE key op (SELECT ...)`, decorrelated into a filter over a join with the one-row
   * subquery and a projection dropping its column: a dynamic filter, so that a change of the
   * subquery's value touches only the rows crossing it (the join would re-emit every row).
   */
  private dynamicFilter(p: Extract<PlanNode, { kind: 'project' }>): StreamNode | null {
    const f = p.input;
    if (f.kind !== 'filter') return null;
    const j = f.input;
    if (
      j.kind !== 'join' ||
      (j.joinKind !== 'left' && j.joinKind !== 'inner') ||
      j.lateral ||
      j.leftKeys.length > 0 ||
      j.condition !== null ||
      j.right.schema.length !== 1 ||
      !atMostOneRow(j.right)
    )
      return null;
    const c = j.left.schema.length;
    let cmp: ReturnType<typeof subqueryComparison> = null;
    const rest: BoundExpr[] = [];
    for (const part of conjuncts(f.predicate)) {
      if (!columnsOf(part).has(c)) {
        rest.push(part);
        continue;
      }
      if (cmp) return null;
      cmp = subqueryComparison(part, c);
      if (!cmp) return null;
    }
    if (!cmp) return null;
    const used = new Set<number>(columnsOf(cmp.key));
    for (const e of p.exprs) for (const i of columnsOf(e)) used.add(i);
    if (used.has(c)) return null;
    p.exprs.forEach(checkStreamable);
    // Only the columns the projection and the key read go on (a narrower input lets an inner
    // subquery's column be dropped by its own dynamic filter).
    const width = Math.max(-1, ...used) + 1;
    let leftPlan: PlanNode = j.left;
    if (rest.length > 0)
      leftPlan = { kind: 'filter', input: leftPlan, predicate: and(rest), schema: leftPlan.schema };
    if (width < c)
      leftPlan = {
        kind: 'project',
        input: leftPlan,
        exprs: leftPlan.schema
          .slice(0, width)
          .map((col, index): BoundExpr => ({ kind: 'column', index, type: col.type })),
        schema: leftPlan.schema.slice(0, width),
      };
    const names = leftPlan.schema.map((col) => col.name);
    const left = this.build(leftPlan);
    const right = this.build(j.right);
    const filter = this.add(
      new DynamicFilterExecutor(
        cmp.key,
        cmp.op,
        cmp.bound,
        cmp.type,
        leftPlan.schema,
        j.right.schema,
        names,
      ),
      [left, right],
    );
    return this.add(new ProjectExecutor(p.exprs, p.schema, names), [filter]);
  }

  /**
   * `SELECT ... FROM (SELECT ..., row_number() OVER (PARTITION BY k ORDER BY o) AS rn ...) WHERE
   * rn <= N` is a group top-N: only the first N rows of each partition are kept in the output.
   */
  private rowNumberTopN(p: Extract<PlanNode, { kind: 'filter' }>): StreamNode | null {
    // The window may sit under a projection of plain columns (`SELECT * FROM (SELECT ...,
    // row_number() ...) WHERE rn <= N`): top-N then feeds that projection.
    let proj: Extract<PlanNode, { kind: 'project' }> | null = null;
    let w = p.input;
    if (
      w.kind === 'project' &&
      w.exprs.every((e) => e.kind === 'column') &&
      w.input.kind === 'window'
    ) {
      proj = w;
      w = w.input;
    }
    if (w.kind !== 'window' || w.calls.length !== 1 || w.calls[0]!.name !== 'row_number')
      return null;
    const windowRn = w.schema.length - 1;
    const rnIndex = proj
      ? proj.exprs.findIndex((e) => e.kind === 'column' && e.index === windowRn)
      : windowRn;
    if (rnIndex < 0) return null;
    const pred = p.predicate;
    if (pred.kind !== 'binary') return null;
    const isRn = (e: BoundExpr): boolean =>
      (e.kind === 'column' && e.index === rnIndex) ||
      (e.kind === 'cast' && e.arg.kind === 'column' && e.arg.index === rnIndex);
    const constant = (e: BoundExpr): number | null => {
      if (e.kind !== 'literal' || e.value === null) return null;
      const v = e.value;
      return typeof v === 'number' || typeof v === 'bigint' ? Number(v) : null;
    };
    let limit: number | null = null;
    if (isRn(pred.left)) {
      const n = constant(pred.right);
      if (n === null) return null;
      if (pred.name === '<=') limit = n;
      else if (pred.name === '<') limit = n - 1;
      else if (pred.name === '=' && n === 1) limit = 1;
    } else if (isRn(pred.right)) {
      const n = constant(pred.left);
      if (n === null) return null;
      if (pred.name === '>=') limit = n;
      else if (pred.name === '>') limit = n - 1;
      else if (pred.name === '=' && n === 1) limit = 1;
    }
    if (limit === null) return null;
    const call = w.calls[0]!;
    [...call.partitionBy, ...call.orderBy.map((o) => o.expr)].forEach(checkStreamable);
    const input = this.build(w.input);
    const topN = this.add(
      new TopNExecutor(
        call.partitionBy,
        call.orderBy,
        Math.max(limit, 0),
        0,
        false,
        true,
        w.input.schema,
        w.schema,
      ),
      [input],
    );
    if (!proj) return topN;
    return this.add(
      new ProjectExecutor(
        proj.exprs,
        proj.schema,
        w.schema.map((c) => c.name),
      ),
      [topN],
    );
  }
}

/** DISTINCT: a hash aggregation keyed by every column, with no aggregates. */
function distinctAgg(schema: ColumnSchema[]): HashAggExecutor {
  const keys = schema.map((c, index): BoundExpr => ({ kind: 'column', index, type: c.type }));
  return new HashAggExecutor(keys, [], null, schema, schema);
}
