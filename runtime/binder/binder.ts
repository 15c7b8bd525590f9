/**
 * The binder: resolves names against the catalog and scopes, types every expression, applies
 * PostgreSQL's implicit coercions and turns queries into logical plans (plan/logical.ts).
 *
 * A SELECT binds in PostgreSQL's clause order: FROM, WHERE, GROUP BY and aggregates, HAVING,
 * window functions, the select list, DISTINCT, ORDER BY, LIMIT/OFFSET. `Binder` binds queries
 * and SELECT; it extends `FromBinder` (from.ts), which holds the binder's state and binds FROM.
 */
import type * as A from '../sql/ast.js';
import type { DataType } from '../types/datatype.js';
import { T, isString, typeName, typesEqual } from '../types/datatype.js';
import type { Value } from '../types/value.js';
import { commonType } from '../types/coerce.js';
import { SqlError, SqlState } from '../errors.js';
import { Catalog as CatalogClass } from '../catalog/catalog.js';
import type { AggCall, BoundExpr, PlanNode, SortKey, WindowCall } from '../plan/logical.js';
import type { BoundQuery } from './query-binder.js';
import { Scope, type ScopeColumn } from './scope.js';
import { exprKey } from './expr-key.js';
import type { ExprContext, AggContext, SrfContext, WindowContext } from './expr-context.js';
import { isAggregateName, isWindowOnlyName } from './names.js';
import { CteScope, FromBinder, type CteBinding } from './from.js';
import { containsAggregate, deriveName, queryReferences } from './ast-helpers.js';

export type { BoundQuery } from './query-binder.js';

export class Binder extends FromBinder {
  // -------------------------------------------------------------------------------------------
  // Queries

  bindQuery(q: A.Query, outer: Scope | null): BoundQuery {
    const savedCtes = this.cteScope;
    let withCtes: { id: number; plan: PlanNode; recursive: PlanNode | null; unionAll: boolean }[] =
      [];
    if (q.with) withCtes = this.bindWith(q.with, outer);
    try {
      const bound = this.bindQueryBody(q, outer);
      if (withCtes.length > 0)
        bound.plan = {
          kind: 'withCtes',
          ctes: withCtes,
          input: bound.plan,
          schema: bound.plan.schema,
        };
      return bound;
    } finally {
      this.cteScope = savedCtes;
    }
  }

  private bindWith(
    w: A.With,
    outer: Scope | null,
  ): { id: number; plan: PlanNode; recursive: PlanNode | null; unionAll: boolean }[] {
    const map = new Map<string, CteBinding>();
    this.cteScope = new CteScope(map, this.cteScope);
    const out: { id: number; plan: PlanNode; recursive: PlanNode | null; unionAll: boolean }[] = [];
    for (const cte of w.ctes) {
      const id = this.nextCteId++;
      const name = cte.name.value;
      const body = cte.query.body;
      if (
        w.recursive &&
        body.kind === 'setOp' &&
        body.op === 'union' &&
        !body.corresponding &&
        queryReferences(cte.query, name)
      ) {
        // Recursive CTE: non-recursive term, then the recursive term reading the working table.
        const base = this.bindSetExpr(body.left, outer);
        const names = cte.columns?.map((c) => c.value) ?? base.names;
        const schema = base.plan.schema.map((c, i) => ({ name: names[i] ?? c.name, type: c.type }));
        map.set(name, { id, name, schema });
        const rec = this.bindSetExpr(body.right, outer);
        const recPlan = this.coercePlan(
          rec.plan,
          schema.map((c) => c.type),
        );
        out.push({ id, plan: base.plan, recursive: recPlan, unionAll: body.all });
        continue;
      }
      const bound = this.bindQuery(cte.query, outer);
      const names = bound.names.slice();
      if (cte.columns) {
        if (cte.columns.length > names.length)
          throw new SqlError(
            SqlState.invalidColumnReference,
            `WITH query "${name}" has ${names.length} columns available but ${cte.columns.length} columns specified`,
            cte.name.pos,
          );
        cte.columns.forEach((c, i) => (names[i] = c.value));
      }
      const schema = bound.plan.schema.map((c, i) => ({ name: names[i]!, type: c.type }));
      map.set(name, { id, name, schema });
      out.push({ id, plan: bound.plan, recursive: null, unionAll: true });
    }
    return out;
  }

  private bindQueryBody(q: A.Query, outer: Scope | null): BoundQuery {
    if (q.body.kind === 'select') return this.bindSelect(q.body.select, q, outer);
    const bound = this.bindSetExpr(q.body, outer);
    let plan = bound.plan;
    // ORDER BY over a set operation / VALUES may name output columns or positions only.
    if (q.orderBy.length > 0) {
      const scope = new Scope(
        plan.schema.map((c, i) => ({
          qualifier: null,
          name: bound.names[i] ?? c.name,
          type: c.type,
        })),
        outer,
      );
      const keys = q.orderBy.map((o) => {
        const pos = outputPosition(o.expr, plan.schema.length);
        const expr: BoundExpr =
          pos !== undefined
            ? { kind: 'column', index: pos, type: plan.schema[pos]!.type }
            : this.exprs.bind(o.expr, this.plainContext(scope, 'ORDER BY'));
        return sortKey(expr, o);
      });
      plan = { kind: 'sort', input: plan, keys, schema: plan.schema };
    }
    plan = this.bindLimit(q, plan, outer, []);
    return { plan, names: bound.names };
  }

  /** `keepUnknown`: leave untyped output columns (NULL, 'x') for an enclosing set operation to type. */
  bindSetExpr(s: A.SetExpr, outer: Scope | null, keepUnknown = false): BoundQuery {
    switch (s.kind) {
      case 'select':
        return this.bindSelect(s.select, null, outer, keepUnknown);
      case 'query':
        return this.bindQuery(s.query, outer);
      case 'values':
        return this.bindValues(s.rows, outer);
      case 'setOp': {
        let left = this.bindSetExpr(s.left, outer, true);
        let right = this.bindSetExpr(s.right, outer, true);
        if (s.corresponding) [left, right] = correspondingInputs(s, left, right);
        if (left.plan.schema.length !== right.plan.schema.length)
          throw new SqlError(
            SqlState.syntaxError,
            `each ${s.op.toUpperCase()} query must have the same number of columns`,
          );
        const types = left.plan.schema.map((c, i) => {
          const rt = right.plan.schema[i]!.type;
          const t = commonType([c.type, rt]);
          if (!t)
            throw new SqlError(
              SqlState.datatypeMismatch,
              `${s.op.toUpperCase()} types ${typeName(c.type)} and ${typeName(rt)} cannot be matched`,
            );
          return t.kind === 'unknown' ? T.text : t;
        });
        const lp = this.coercePlan(left.plan, types);
        const rp = this.coercePlan(right.plan, types);
        return {
          plan: {
            kind: 'setOp',
            op: s.op,
            all: s.all,
            left: lp,
            right: rp,
            schema: types.map((t, i) => ({ name: left.names[i]!, type: t })),
          },
          names: left.names,
        };
      }
    }
  }

  /** Adds a projection casting each column to `types` when they differ. */
  coercePlan(plan: PlanNode, types: DataType[]): PlanNode {
    if (plan.schema.every((c, i) => typesEqual(c.type, types[i]!) && c.type.kind !== 'unknown'))
      return plan;
    if (plan.kind === 'project') {
      // Coerce the projected expressions themselves, so untyped literals parse as the type.
      const exprs = plan.exprs.map((e, i) => this.exprs.coerce(e, types[i]!, 'implicit'));
      return {
        ...plan,
        exprs,
        schema: plan.schema.map((c, i) => ({ name: c.name, type: types[i]! })),
      };
    }
    const exprs = plan.schema.map((c, i) =>
      this.exprs.coerce({ kind: 'column', index: i, type: c.type }, types[i]!, 'implicit'),
    );
    return {
      kind: 'project',
      input: plan,
      exprs,
      schema: plan.schema.map((c, i) => ({ name: c.name, type: types[i]! })),
    };
  }

  private bindValues(rows: A.Expr[][], outer: Scope | null): BoundQuery {
    const width = rows[0]?.length ?? 0;
    const scope = new Scope([], outer);
    const bound = rows.map((r) => {
      if (r.length !== width)
        throw new SqlError(
          SqlState.syntaxError,
          'VALUES lists must all be the same length',
          r[0]?.pos,
        );
      return r.map((e) => this.exprs.bind(e, this.plainContext(scope, 'VALUES')));
    });
    const types = Array.from({ length: width }, (_, c) => {
      const t = commonType(bound.map((r) => r[c]!.type));
      if (!t)
        throw new SqlError(
          SqlState.datatypeMismatch,
          `VALUES types ${bound.map((r) => typeName(r[c]!.type)).join(' and ')} cannot be matched`,
        );
      return t.kind === 'unknown' ? T.text : t;
    });
    const coerced = bound.map((r) => r.map((e, c) => this.exprs.coerce(e, types[c]!, 'implicit')));
    const names = types.map((_, i) => `column${i + 1}`);
    return {
      plan: {
        kind: 'values',
        rows: coerced,
        schema: types.map((t, i) => ({ name: names[i]!, type: t })),
      },
      names,
    };
  }

  plainContext(scope: Scope, clause: string): ExprContext {
    return { scope, clause, aggAllowed: false };
  }

  // -------------------------------------------------------------------------------------------
  // SELECT

  private bindSelect(
    sel: A.Select,
    q: A.Query | null,
    outer: Scope | null,
    keepUnknown = false,
  ): BoundQuery {
    // FROM
    const from = this.bindFromList(sel.from, outer);
    const scope = from.scope;
    let plan = from.plan;

    // WHERE
    if (sel.where) {
      const pred = this.exprs.bindCondition(sel.where, this.plainContext(scope, 'WHERE'), 'WHERE');
      plan = this.whereOver(plan, pred);
    }

    const orderBy = q?.orderBy ?? [];
    const namedWindows = new Map(sel.windows.map((w) => [w.name.value, w.spec]));
    const hasAgg =
      sel.groupBy.length > 0 ||
      sel.having !== undefined ||
      sel.projection.some((p) => p.kind === 'expr' && containsAggregate(p.expr, this.catalog)) ||
      orderBy.some((o) => containsAggregate(o.expr, this.catalog));

    // Select-list expressions by alias, for GROUP BY alias / position.
    const selectExprs = sel.projection.flatMap((p) => (p.kind === 'expr' ? [p] : []));

    let ctx: ExprContext;
    let agg: AggContext | undefined;
    if (hasAgg) {
      const groupKeys: BoundExpr[] = [];
      const groupingSets: number[][] = [];
      let usesSets = false;
      const keyIndex = (e: A.Expr): number => {
        const b = this.bindGroupExpr(e, scope, sel, selectExprs);
        const k = exprKey(b);
        const existing = groupKeys.findIndex((g) => exprKey(g) === k);
        if (existing >= 0) return existing;
        groupKeys.push(b);
        return groupKeys.length - 1;
      };
      // Each GROUP BY item contributes a list of sets; the grouping sets are their cross product.
      let sets: number[][] = [[]];
      for (const item of sel.groupBy) {
        let itemSets: number[][];
        switch (item.kind) {
          case 'expr': {
            // GROUP BY (a, b) is a composite group of a and b.
            const e = item.expr;
            if (e.kind === 'row' && !e.explicit) itemSets = [e.exprs.map(keyIndex)];
            else itemSets = [[keyIndex(e)]];
            break;
          }
          case 'empty':
            itemSets = [[]];
            usesSets = true;
            break;
          case 'groupingSets':
            usesSets = true;
            itemSets = item.sets.map((s) => s.map(keyIndex));
            break;
          case 'rollup': {
            usesSets = true;
            const parts = item.sets.map((s) => s.map(keyIndex));
            itemSets = [];
            for (let n = parts.length; n >= 0; n--) itemSets.push(parts.slice(0, n).flat());
            break;
          }
          case 'cube': {
            usesSets = true;
            const parts = item.sets.map((s) => s.map(keyIndex));
            itemSets = [];
            for (let mask = (1 << parts.length) - 1; mask >= 0; mask--)
              itemSets.push(parts.filter((_, i) => mask & (1 << (parts.length - 1 - i))).flat());
            break;
          }
        }
        sets = sets.flatMap((s) => itemSets.map((t) => [...s, ...t]));
      }
      if (usesSets) groupingSets.push(...sets.map((s) => [...new Set(s)]));
      const postColumns: ScopeColumn[] = groupKeys.map((g) => {
        if (g.kind === 'column') {
          const c = scope.columns[g.index]!;
          return { ...c };
        }
        return { qualifier: null, name: '?column?', type: g.type, hidden: true };
      });
      agg = {
        inputScope: scope,
        groupKeys,
        groupKeyKeys: groupKeys.map(exprKey),
        aggs: [],
        aggKeys: [],
        postScope: new Scope(postColumns, outer),
        groupingSets: usesSets ? groupingSets : null,
      };
      ctx = { scope: agg.postScope, clause: 'SELECT', aggAllowed: true, agg };
    } else {
      ctx = { scope, clause: 'SELECT', aggAllowed: false };
    }
    const win: WindowContext = { calls: [], refs: [], namedWindows };
    ctx.window = win;
    const srf: SrfContext = { calls: [], refs: [] };

    // HAVING
    let having: BoundExpr | undefined;
    if (sel.having)
      having = this.exprs.bindCondition(
        sel.having,
        { ...ctx, window: undefined, clause: 'HAVING' },
        'HAVING',
      );

    // Select list
    const outExprs: BoundExpr[] = [];
    const outNames: string[] = [];
    for (const item of sel.projection) {
      if (item.kind === 'expr') {
        outExprs.push(this.exprs.bind(item.expr, { ...ctx, srf }));
        outNames.push(item.alias?.value ?? deriveName(item.expr));
        continue;
      }
      const qualifier =
        item.kind === 'qualifiedWildcard' ? CatalogClass.simpleName(item.qualifier) : null;
      if (qualifier !== null && !scope.hasQualifier(qualifier))
        throw new SqlError(
          SqlState.undefinedTable,
          `missing FROM-clause entry for table "${qualifier}"`,
          item.pos,
        );
      if (qualifier === null && scope.columns.length === 0 && sel.from.length === 0)
        throw new SqlError(
          SqlState.syntaxError,
          'SELECT * with no tables specified is not valid',
          item.pos,
        );
      const except = new Set(item.except?.map((e) => e.value) ?? []);
      scope.columns.forEach((c, i) => {
        const visible =
          qualifier === null
            ? !c.hidden
            : c.qualifier === qualifier || c.alsoQualifiers?.includes(qualifier);
        if (!visible || except.has(c.name)) return;
        const col = { kind: 'identifier', parts: [{ value: c.name, quoted: true }] } as const;
        outExprs.push(
          ctx.agg
            ? this.exprs.bindColumnPostAgg(i, c, ctx, item.pos)
            : { kind: 'column', index: i, type: c.type },
        );
        void col;
        outNames.push(c.name);
      });
    }

    // ORDER BY: output names / positions, else expressions over the pre-projection row.
    const distinct = sel.distinct;
    const sortKeys: SortKey[] = [];
    const hidden: BoundExpr[] = [];
    for (const o of orderBy) {
      const pos = outputPosition(o.expr, outExprs.length);
      let target: number | undefined = pos;
      if (target === undefined && o.expr.kind === 'identifier' && o.expr.parts.length === 1) {
        const name = o.expr.parts[0]!.value;
        const matches = outNames.flatMap((n, i) => (n === name ? [i] : []));
        if (matches.length > 1 && new Set(matches.map((i) => exprKey(outExprs[i]!))).size > 1)
          throw new SqlError(
            SqlState.ambiguousColumn,
            `ORDER BY "${name}" is ambiguous`,
            o.expr.pos,
          );
        if (matches.length > 0) target = matches[0];
      }
      if (target === undefined) {
        const b = this.exprs.bind(o.expr, { ...ctx, clause: 'ORDER BY' });
        const k = exprKey(b);
        const same = outExprs.findIndex((e) => exprKey(e) === k);
        if (same >= 0) target = same;
        else {
          if (distinct?.kind === 'distinct')
            throw new SqlError(
              SqlState.invalidColumnReference,
              'for SELECT DISTINCT, ORDER BY expressions must appear in select list',
              o.expr.pos,
            );
          hidden.push(b);
          target = outExprs.length + hidden.length - 1;
        }
      }
      const all = [...outExprs, ...hidden];
      sortKeys.push(sortKey({ kind: 'column', index: target, type: all[target]!.type }, o));
    }

    // DISTINCT ON expressions
    let distinctOn: BoundExpr[] | null = null;
    if (distinct?.kind === 'distinctOn') {
      distinctOn = distinct.exprs.map((e) => {
        const pos = outputPosition(e, outExprs.length);
        if (pos !== undefined)
          return { kind: 'column', index: pos, type: outExprs[pos]!.type } as BoundExpr;
        const b = this.exprs.bind(e, { ...ctx, clause: 'DISTINCT ON' });
        const k = exprKey(b);
        const all = [...outExprs, ...hidden];
        let idx = all.findIndex((x) => exprKey(x) === k);
        if (idx < 0) {
          hidden.push(b);
          idx = outExprs.length + hidden.length - 1;
        }
        return { kind: 'column', index: idx, type: b.type } as BoundExpr;
      });
      // PostgreSQL requires the DISTINCT ON expressions to lead the ORDER BY.
      for (let i = 0; i < Math.min(distinctOn.length, sortKeys.length); i++) {
        const dk = new Set(distinctOn.map((d) => exprKey(d)));
        if (!dk.has(exprKey(sortKeys[i]!.expr)))
          throw new SqlError(
            SqlState.invalidColumnReference,
            'SELECT DISTINCT ON expressions must match initial ORDER BY expressions',
            orderBy[i]?.expr.pos,
          );
      }
    }

    // Assemble: aggregate, having, window, project.
    if (agg) {
      plan = {
        kind: 'aggregate',
        input: plan,
        groupKeys: agg.groupKeys,
        aggs: agg.aggs,
        groupingSets: agg.groupingSets,
        groupingSetColumn: agg.setRef !== undefined,
        schema: [
          ...agg.groupKeys.map((g, i) => ({ name: agg!.postScope.columns[i]!.name, type: g.type })),
          ...agg.aggs.map((a) => ({ name: a.name, type: a.fn.returnType })),
          ...(agg.setRef ? [{ name: 'grouping_set', type: T.int4 }] : []),
        ],
      };
      if (agg.setRef) agg.setRef.index = agg.groupKeys.length + agg.aggs.length;
      if (having) plan = { kind: 'filter', input: plan, predicate: having, schema: plan.schema };
    }
    if (win.calls.length > 0) {
      const base = plan.schema.length;
      win.refs.forEach((ref, i) => (ref.index = base + i));
      plan = {
        kind: 'window',
        input: plan,
        calls: win.calls,
        schema: [...plan.schema, ...win.calls.map((c) => ({ name: c.name, type: c.type }))],
      };
    }
    if (srf.calls.length > 0) {
      // A nested call ran its inner function within itself: beside other calls, PostgreSQL's
      // lockstep over stacked layers would differ from that.
      if (srf.nested && srf.calls.length > 1)
        throw new SqlError(
          SqlState.featureNotSupported,
          'nested set-returning functions beside other set-returning functions are not supported',
        );
      const base = plan.schema.length;
      srf.refs.forEach((ref, i) => (ref.index = base + i));
      plan = {
        kind: 'projectSet',
        input: plan,
        calls: srf.calls,
        schema: [...plan.schema, ...srf.calls.map((c) => ({ name: c.name, type: c.type }))],
      };
    }
    const projected = [...outExprs, ...hidden].map((e) =>
      e.type.kind === 'unknown' && !keepUnknown ? this.exprs.coerce(e, T.text, 'implicit') : e,
    );
    plan = {
      kind: 'project',
      input: plan,
      exprs: projected,
      schema: projected.map((e, i) => ({ name: outNames[i] ?? '?column?', type: e.type })),
    };
    if (distinct?.kind === 'distinct') {
      plan = { kind: 'distinct', input: plan, on: null, schema: plan.schema };
    }
    if (sortKeys.length > 0)
      plan = { kind: 'sort', input: plan, keys: sortKeys, schema: plan.schema };
    if (distinctOn) plan = { kind: 'distinct', input: plan, on: distinctOn, schema: plan.schema };
    if (q) plan = this.bindLimit(q, plan, outer, sortKeys);
    if (hidden.length > 0) {
      const n = outExprs.length;
      plan = {
        kind: 'project',
        input: plan,
        exprs: plan.schema.slice(0, n).map((c, i) => ({ kind: 'column', index: i, type: c.type })),
        schema: plan.schema.slice(0, n),
      };
    }
    return { plan, names: outNames };
  }

  private bindGroupExpr(
    e: A.Expr,
    scope: Scope,
    sel: A.Select,
    selectExprs: { expr: A.Expr; alias?: A.Ident }[],
  ): BoundExpr {
    const pos = outputPosition(e, sel.projection.length);
    if (pos !== undefined) {
      const item = sel.projection[pos];
      if (!item || item.kind !== 'expr')
        throw new SqlError(
          SqlState.invalidColumnReference,
          `GROUP BY position ${pos + 1} is not in select list`,
          e.pos,
        );
      return this.exprs.bind(item.expr, this.plainContext(scope, 'GROUP BY'));
    }
    if (e.kind === 'identifier' && e.parts.length === 1) {
      const name = e.parts[0]!.value;
      // Input columns take precedence over output aliases in GROUP BY, as in PostgreSQL.
      if (scope.find(null, name, e.pos) === undefined) {
        const aliased = selectExprs.find((s) => s.alias?.value === name);
        if (aliased) return this.exprs.bind(aliased.expr, this.plainContext(scope, 'GROUP BY'));
      }
    }
    return this.exprs.bind(e, this.plainContext(scope, 'GROUP BY'));
  }

  private bindLimit(
    q: A.Query,
    plan: PlanNode,
    outer: Scope | null,
    sortKeys: SortKey[],
  ): PlanNode {
    if (!q.limit && !q.offset) return plan;
    const scope = new Scope([], outer);
    const bindCount = (e: A.Expr | undefined, clause: string): BoundExpr | null => {
      if (!e) return null;
      const b = this.exprs.bind(e, this.plainContext(scope, clause));
      if (b.kind === 'literal' && b.value === null) return null;
      return this.exprs.coerce(b, T.int8, 'implicit', e.pos);
    };
    return {
      kind: 'limit',
      input: plan,
      limit: bindCount(q.limit, 'LIMIT'),
      offset: bindCount(q.offset, 'OFFSET'),
      withTies: q.withTies ? sortKeys : null,
      schema: plan.schema,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function sortKey(expr: BoundExpr, o: A.OrderByItem): SortKey {
  const desc = o.asc === false;
  return { expr, desc, nullsFirst: o.nullsFirst ?? desc };
}

/** `ORDER BY 2` / `GROUP BY 1`: a bare integer literal is an output column position. */
function outputPosition(e: A.Expr, n: number): number | undefined {
  if (e.kind !== 'literal' || e.value.kind !== 'number' || !/^\d+$/.test(e.value.text))
    return undefined;
  const p = Number(e.value.text);
  if (p < 1 || p > n)
    throw new SqlError(
      SqlState.invalidColumnReference,
      `ORDER BY position ${p} is not in select list`,
      e.pos,
    );
  return p - 1;
}

export { isWindowOnlyName, isString, isAggregateName };
export type { Value, AggCall, WindowCall };

/**
 * `CORRESPONDING [BY (cols)]`: the output columns are the names both inputs share, in the left
 * input's order, or the BY list in its order; each input is projected onto them so the set
 * operation below matches columns by position as usual.
 */
function correspondingInputs(
  s: Extract<A.SetExpr, { kind: 'setOp' }>,
  left: BoundQuery,
  right: BoundQuery,
): [BoundQuery, BoundQuery] {
  const op = s.op.toUpperCase();
  const corr = s.corresponding!;
  let names: string[];
  if (corr.by) {
    names = [];
    for (const id of corr.by) {
      if (names.includes(id.value))
        throw new SqlError(
          SqlState.duplicateColumn,
          `column "${id.value}" appears more than once in CORRESPONDING BY`,
          id.pos,
        );
      for (const [side, q] of [
        ['left', left],
        ['right', right],
      ] as const)
        if (!q.names.includes(id.value))
          throw new SqlError(
            SqlState.undefinedColumn,
            `column "${id.value}" named in CORRESPONDING BY does not exist in the ${side} input of ${op}`,
            id.pos,
          );
      names.push(id.value);
    }
  } else {
    names = [...new Set(left.names.filter((n) => right.names.includes(n)))];
    if (names.length === 0)
      throw new SqlError(
        SqlState.syntaxError,
        `${op} CORRESPONDING inputs have no column name in common: left (${left.names.join(', ')}), right (${right.names.join(', ')})`,
        corr.pos,
      );
  }
  const pick = (q: BoundQuery, side: string): BoundQuery => {
    const indices = names.map((n) => {
      const first = q.names.indexOf(n);
      if (q.names.indexOf(n, first + 1) >= 0)
        throw new SqlError(
          SqlState.ambiguousColumn,
          `column name "${n}" appears more than once in the ${side} input of ${op} CORRESPONDING`,
          corr.pos,
        );
      return first;
    });
    const plan = q.plan;
    if (indices.every((c, i) => c === i) && indices.length === plan.schema.length)
      return { plan, names };
    const schema = indices.map((c, i) => ({ name: names[i]!, type: plan.schema[c]!.type }));
    if (plan.kind === 'project')
      // Pick the projected expressions themselves, so untyped literals stay coercible.
      return { plan: { ...plan, exprs: indices.map((c) => plan.exprs[c]!), schema }, names };
    const exprs: BoundExpr[] = indices.map((c) => ({
      kind: 'column',
      index: c,
      type: plan.schema[c]!.type,
    }));
    return { plan: { kind: 'project', input: plan, exprs, schema }, names };
  };
  return [pick(left, 'left'), pick(right, 'right')];
}
