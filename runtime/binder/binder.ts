/**
 * The binder: resolves names against the catalog and scopes, types every expression, applies
 * PostgreSQL's implicit coercions and turns queries into logical plans (plan/logical.ts).
 *
 * A SELECT binds in PostgreSQL's clause order: FROM, WHERE, GROUP BY and aggregates, HAVING,
 * window functions, the select list, DISTINCT, ORDER BY, LIMIT/OFFSET.
 */
import type * as A from '../sql/ast.js';
import type { DataType } from '../types/datatype.js';
import { T, isString, typeName, typesEqual } from '../types/datatype.js';
import type { Value } from '../types/value.js';
import { canImplicitCast, commonType } from '../types/coerce.js';
import { SqlError, SqlState } from '../errors.js';
import type { Catalog, FunctionDesc, RelationDesc } from '../catalog/catalog.js';
import { Catalog as CatalogClass } from '../catalog/catalog.js';
import type {
  AggCall,
  BoundExpr,
  ColumnSchema,
  FrameBound,
  PlanNode,
  SortKey,
  WindowCall,
  WindowFrameSpec,
} from '../plan/logical.js';
import type { EvalContext } from '../expr/context.js';
import { Scope, type ScopeColumn } from './scope.js';
import { systemRelation, type SystemRelation } from '../catalog/system/index.js';
import { exprKey } from './expr-key.js';
import {
  ExprBinder,
  type ExprContext,
  type AggContext,
  type SrfContext,
  type WindowContext,
} from './expr-binder.js';
import { bindTableFunction } from './table-functions.js';
import { isAggregateName, isWindowOnlyName } from './names.js';

export interface BoundQuery {
  plan: PlanNode;
  /** Output column names (aliases) in order. */
  names: string[];
}

interface CteBinding {
  id: number;
  name: string;
  schema: ColumnSchema[];
}

/** CTEs visible at a point, innermost first. */
class CteScope {
  constructor(
    readonly ctes: Map<string, CteBinding>,
    readonly parent: CteScope | null,
  ) {}
  find(name: string): CteBinding | undefined {
    return this.ctes.get(name) ?? this.parent?.find(name);
  }
}

export class Binder {
  readonly exprs: ExprBinder;
  private cteScope: CteScope | null = null;
  private nextCteId = 1;
  /** Relations read by the statement, for view dependencies. */
  readonly referenced = new Set<number>();
  /**
   * Binding only to describe a statement (the extended protocol's Parse): an error from folding
   * a constant is left for execution, as PostgreSQL raises it only when the statement runs.
   */
  describeOnly = false;
  /** Parameter types inferred so far ($1 → index 0). */
  readonly paramTypes: DataType[] = [];

  constructor(
    readonly catalog: Catalog,
    readonly ctx: EvalContext,
    /** Types of parameters supplied by the caller, if known. */
    suppliedParamTypes: DataType[] = [],
  ) {
    this.paramTypes.push(...suppliedParamTypes);
    this.exprs = new ExprBinder(this);
  }

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
        const left = this.bindSetExpr(s.left, outer, true);
        const right = this.bindSetExpr(s.right, outer, true);
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
      plan = { kind: 'filter', input: plan, predicate: pred, schema: plan.schema };
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

  // -------------------------------------------------------------------------------------------
  // FROM

  bindFromList(from: A.TableRef[], outer: Scope | null): { plan: PlanNode; scope: Scope } {
    if (from.length === 0)
      return { plan: { kind: 'values', rows: [[]], schema: [] }, scope: new Scope([], outer) };
    let acc: { plan: PlanNode; scope: Scope } | null = null;
    for (const item of from) {
      const right = this.bindTableRef(item, outer, acc?.scope ?? null);
      if (!acc) {
        acc = right;
        continue;
      }
      acc = this.crossJoin(acc, right, outer);
    }
    return acc!;
  }

  private crossJoin(
    left: { plan: PlanNode; scope: Scope },
    right: { plan: PlanNode; scope: Scope; lateral?: boolean },
    outer: Scope | null,
  ): { plan: PlanNode; scope: Scope } {
    return {
      plan: {
        kind: 'join',
        joinKind: 'inner',
        left: left.plan,
        right: right.plan,
        leftKeys: [],
        rightKeys: [],
        condition: null,
        lateral: right.lateral ?? false,
        schema: [...left.plan.schema, ...right.plan.schema],
      },
      scope: new Scope([...left.scope.columns, ...right.scope.columns], outer),
    };
  }

  /**
   * Binds one FROM item. `leftScope` holds the columns of the items before it, which a LATERAL
   * item may reference.
   */
  bindTableRef(
    t: A.TableRef,
    outer: Scope | null,
    leftScope: Scope | null,
  ): { plan: PlanNode; scope: Scope; lateral?: boolean } {
    switch (t.kind) {
      case 'table':
        return this.bindNamedTable(t, outer);
      case 'subquery': {
        const lateralScope = t.lateral && leftScope ? new Scope(leftScope.columns, outer) : outer;
        const bound = this.bindQuery(t.query, lateralScope);
        const alias = t.alias?.name.value ?? null;
        const names = applyColumnAliases(bound.names, t.alias, t.pos);
        return {
          plan: bound.plan,
          scope: new Scope(
            bound.plan.schema.map((c, i) => ({ qualifier: alias, name: names[i]!, type: c.type })),
            outer,
          ),
          lateral: t.lateral && leftScope !== null,
        };
      }
      case 'function': {
        // Function arguments may reference earlier FROM items (implicitly LATERAL).
        const argScope = leftScope ? new Scope(leftScope.columns, outer) : new Scope([], outer);
        const r = bindTableFunction(this, t, argScope, outer);
        return { ...r, lateral: leftScope !== null && r.lateral };
      }
      case 'nested': {
        const inner = this.bindTableRef(t.table, outer, leftScope);
        if (!t.alias) return inner;
        const alias = t.alias.name.value;
        const visible = inner.scope.columns.filter((c) => !c.hidden);
        const names = applyColumnAliases(
          visible.map((c) => c.name),
          t.alias,
          t.pos,
        );
        const idx = inner.scope.columns.flatMap((c, i) => (c.hidden ? [] : [i]));
        const plan: PlanNode = {
          kind: 'project',
          input: inner.plan,
          exprs: idx.map((i) => ({ kind: 'column', index: i, type: inner.plan.schema[i]!.type })),
          schema: idx.map((i, k) => ({ name: names[k]!, type: inner.plan.schema[i]!.type })),
        };
        return {
          plan,
          scope: new Scope(
            idx.map((i, k) => ({
              qualifier: alias,
              name: names[k]!,
              type: inner.plan.schema[i]!.type,
            })),
            outer,
          ),
        };
      }
      case 'join':
        return this.bindJoin(t, outer, leftScope);
    }
  }

  private bindNamedTable(
    t: Extract<A.TableRef, { kind: 'table' }>,
    outer: Scope | null,
  ): { plan: PlanNode; scope: Scope } {
    const name = CatalogClass.simpleName(t.name);
    const alias = t.alias?.name.value ?? name;
    const cte = t.name.length === 1 ? this.cteScope?.find(name) : undefined;
    if (cte) {
      const names = applyColumnAliases(
        cte.schema.map((c) => c.name),
        t.alias,
        t.pos,
      );
      return {
        plan: { kind: 'cteScan', cteId: cte.id, schema: cte.schema },
        scope: new Scope(
          cte.schema.map((c, i) => ({ qualifier: alias, name: names[i]!, type: c.type })),
          outer,
        ),
      };
    }
    const system = this.systemRelationFor(t.name);
    if (system) {
      const names = applyColumnAliases(
        system.columns.map((c) => c.name),
        t.alias,
        t.pos,
      );
      const catalog = this.catalog;
      const settings = { timeZone: this.ctx.timeZone, vars: new Map<string, string>() };
      return {
        plan: {
          kind: 'tableFunction',
          name: `${system.schema}.${system.name}`,
          args: [],
          withOrdinality: false,
          eval: () => system.rows(catalog, settings),
          schema: system.columns.map((c) => ({ name: c.name, type: c.type })),
        },
        scope: new Scope(
          system.columns.map((c, i) => ({ qualifier: alias, name: names[i]!, type: c.type })),
          outer,
        ),
      };
    }
    const rel = this.lookupRelation(t.name, t.pos);
    this.referenced.add(rel.id);
    if (rel.kind === 'view') {
      // A view expands to its query, bound afresh in an empty scope.
      const saved = this.cteScope;
      this.cteScope = null;
      let bound: BoundQuery;
      try {
        bound = this.bindQuery(rel.query!, null);
      } finally {
        this.cteScope = saved;
      }
      const viewNames = rel.columns.map((c) => c.name);
      const names = applyColumnAliases(viewNames, t.alias, t.pos);
      return {
        plan: bound.plan,
        scope: new Scope(
          bound.plan.schema.map((c, i) => ({ qualifier: alias, name: names[i]!, type: c.type })),
          outer,
        ),
      };
    }
    const visible = rel.columns.map((c, i) => ({ c, i }));
    const names = applyColumnAliases(
      visible.filter((v) => !v.c.hidden).map((v) => v.c.name),
      t.alias,
      t.pos,
    );
    let k = 0;
    const scopeCols: ScopeColumn[] = visible.map(({ c }) => ({
      qualifier: alias,
      name: c.hidden ? c.name : names[k++]!,
      type: c.type,
      hidden: c.hidden,
    }));
    return {
      plan: {
        kind: 'scan',
        table: rel.name,
        tableId: rel.id,
        columns: visible.map((v) => v.i),
        schema: rel.columns.map((c) => ({ name: c.name, type: c.type })),
      },
      scope: new Scope(scopeCols, outer),
    };
  }

  /** pg_catalog / information_schema relations; unqualified names only when no table has them. */
  private systemRelationFor(name: A.ObjectName): SystemRelation | undefined {
    const parts = name.map((p) => p.value);
    const last = parts[parts.length - 1]!;
    if (parts.length === 1)
      return this.catalog.get(last) ? undefined : systemRelation(undefined, last);
    const schema = parts[parts.length - 2]!;
    if (schema !== 'pg_catalog' && schema !== 'information_schema') return undefined;
    return systemRelation(schema, last);
  }

  lookupRelation(name: A.ObjectName, pos?: number): RelationDesc {
    const simple = CatalogClass.simpleName(name);
    const rel = this.catalog.get(simple);
    if (!rel)
      throw new SqlError(
        SqlState.undefinedTable,
        `relation "${simple}" does not exist`,
        pos ?? name[0]?.pos,
      );
    return rel;
  }

  private bindJoin(
    t: Extract<A.TableRef, { kind: 'join' }>,
    outer: Scope | null,
    leftScopeOuter: Scope | null,
  ): { plan: PlanNode; scope: Scope } {
    // Read as a plain join, an ASOF join would give a wrong answer: refuse it.
    if (t.asof)
      throw new SqlError(SqlState.featureNotSupported, 'ASOF JOIN is not supported yet', t.pos);
    const left = this.bindTableRef(t.left, outer, leftScopeOuter);
    const right = this.bindTableRef(t.right, outer, left.scope);
    const lateral = right.lateral ?? false;
    if (lateral && (t.joinType === 'right' || t.joinType === 'full'))
      throw new SqlError(
        SqlState.invalidColumnReference,
        `The combining JOIN type must be INNER or LEFT for a LATERAL reference.`,
        t.pos,
      );
    const joinKind = t.joinType === 'cross' ? 'inner' : t.joinType;
    const schema = [...left.plan.schema, ...right.plan.schema];
    const combined = new Scope([...left.scope.columns, ...right.scope.columns], outer);
    const nl = left.plan.schema.length;

    let usingCols: string[] | null = null;
    if (t.constraint.kind === 'using') usingCols = t.constraint.columns.map((c) => c.value);
    if (t.constraint.kind === 'natural') {
      const ln = new Set(left.scope.columns.filter((c) => !c.hidden).map((c) => c.name));
      usingCols = right.scope.columns.filter((c) => !c.hidden && ln.has(c.name)).map((c) => c.name);
    }

    let condition: BoundExpr | null = null;
    const leftKeys: BoundExpr[] = [];
    const rightKeys: BoundExpr[] = [];
    if (t.constraint.kind === 'on') {
      condition = this.exprs.bindCondition(
        t.constraint.expr,
        this.plainContext(combined, 'JOIN conditions'),
        'JOIN/ON',
      );
    }
    if (usingCols) {
      const pairs = usingCols.map((name) => {
        const li = left.scope.find(null, name);
        const ri = right.scope.find(null, name);
        if (li === undefined)
          throw new SqlError(
            SqlState.undefinedColumn,
            `column "${name}" specified in USING clause does not exist in left table`,
            t.pos,
          );
        if (ri === undefined)
          throw new SqlError(
            SqlState.undefinedColumn,
            `column "${name}" specified in USING clause does not exist in right table`,
            t.pos,
          );
        const lt = left.scope.columns[li]!.type;
        const rt = right.scope.columns[ri]!.type;
        const ct = commonType([lt, rt]);
        if (!ct)
          throw new SqlError(
            SqlState.datatypeMismatch,
            `JOIN/USING types ${typeName(lt)} and ${typeName(rt)} cannot be matched`,
            t.pos,
          );
        return { name, li, ri, type: ct };
      });
      const conds = pairs.map((p) =>
        this.exprs.equality(
          { kind: 'column', index: p.li, type: left.scope.columns[p.li]!.type },
          { kind: 'column', index: nl + p.ri, type: right.scope.columns[p.ri]!.type },
          t.pos,
        ),
      );
      condition =
        conds.length === 0
          ? null
          : conds.length === 1
            ? conds[0]!
            : { kind: 'and', args: conds, type: T.boolean };
      // Output: merged USING columns first, then the remaining columns of each side.
      const merged: BoundExpr[] = pairs.map((p) => {
        const l: BoundExpr = this.exprs.coerce(
          { kind: 'column', index: p.li, type: left.scope.columns[p.li]!.type },
          p.type,
          'implicit',
        );
        const r: BoundExpr = this.exprs.coerce(
          { kind: 'column', index: nl + p.ri, type: right.scope.columns[p.ri]!.type },
          p.type,
          'implicit',
        );
        if (joinKind === 'right') return r;
        if (joinKind === 'full') return { kind: 'coalesce', args: [l, r], type: p.type };
        return l;
      });
      const joinPlan = this.makeJoin(
        joinKind,
        left.plan,
        right.plan,
        condition,
        nl,
        lateral,
        schema,
      );
      const usedL = new Set(pairs.map((p) => p.li));
      const usedR = new Set(pairs.map((p) => p.ri));
      const cols: ScopeColumn[] = [
        ...pairs.map((p) => ({
          qualifier: null,
          name: p.name,
          type: p.type,
          alsoQualifiers: [],
        })),
        ...left.scope.columns.map((c, i) => (usedL.has(i) ? { ...c, hidden: true } : c)),
        ...right.scope.columns.map((c, i) => (usedR.has(i) ? { ...c, hidden: true } : c)),
      ];
      const exprs: BoundExpr[] = [
        ...merged,
        ...schema.map((c, i) => ({ kind: 'column', index: i, type: c.type }) as BoundExpr),
      ];
      return {
        plan: {
          kind: 'project',
          input: joinPlan,
          exprs,
          schema: cols.map((c) => ({ name: c.name, type: c.type })),
        },
        scope: new Scope(cols, outer),
      };
    }
    void leftKeys;
    void rightKeys;
    return {
      plan: this.makeJoin(joinKind, left.plan, right.plan, condition, nl, lateral, schema),
      scope: combined,
    };
  }

  /** Builds a join node, splitting equi-conditions `l = r` out of the condition as hash keys. */
  makeJoin(
    joinKind: 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti',
    left: PlanNode,
    right: PlanNode,
    condition: BoundExpr | null,
    nl: number,
    lateral: boolean,
    schema: ColumnSchema[],
  ): PlanNode {
    const leftKeys: BoundExpr[] = [];
    const rightKeys: BoundExpr[] = [];
    const residual: BoundExpr[] = [];
    const conjuncts = condition ? (condition.kind === 'and' ? condition.args : [condition]) : [];
    for (const c of conjuncts) {
      const split = !lateral ? splitEquiCondition(c, nl) : null;
      if (split) {
        leftKeys.push(split.left);
        rightKeys.push(split.right);
      } else residual.push(c);
    }
    return {
      kind: 'join',
      joinKind,
      left,
      right,
      leftKeys,
      rightKeys,
      condition:
        residual.length === 0
          ? null
          : residual.length === 1
            ? residual[0]!
            : { kind: 'and', args: residual, type: T.boolean },
      lateral,
      schema,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Window specs

  bindWindowFrame(
    spec: A.WindowSpec,
    hasOrder: boolean,
    bindOffset: (e: A.Expr) => BoundExpr,
  ): WindowFrameSpec {
    const f = spec.frame;
    if (!f) {
      // Default: RANGE UNBOUNDED PRECEDING to CURRENT ROW (whole partition without ORDER BY).
      return hasOrder
        ? {
            units: 'range',
            start: { kind: 'unboundedPreceding' },
            end: { kind: 'currentRow' },
            exclude: 'noOthers',
          }
        : {
            units: 'rows',
            start: { kind: 'unboundedPreceding' },
            end: { kind: 'unboundedFollowing' },
            exclude: 'noOthers',
          };
    }
    if (f.units === 'session')
      throw new SqlError(
        SqlState.featureNotSupported,
        'session windows are not supported in batch queries yet',
      );
    const bound = (b: A.WindowFrameBound): FrameBound => {
      switch (b.kind) {
        case 'preceding':
          return { kind: 'preceding', offset: bindOffset(b.offset) };
        case 'following':
          return { kind: 'following', offset: bindOffset(b.offset) };
        default:
          return { kind: b.kind };
      }
    };
    const start = bound(f.start);
    const end = f.end ? bound(f.end) : ({ kind: 'currentRow' } as FrameBound);
    if (start.kind === 'unboundedFollowing')
      throw new SqlError(SqlState.windowingError, 'frame start cannot be UNBOUNDED FOLLOWING');
    if (end.kind === 'unboundedPreceding')
      throw new SqlError(SqlState.windowingError, 'frame end cannot be UNBOUNDED PRECEDING');
    return { units: f.units, start, end, exclude: f.exclude ?? 'noOthers' };
  }

  // -------------------------------------------------------------------------------------------
  // SQL functions

  lookupSqlFunction(name: string, argTypes: DataType[]): FunctionDesc | undefined {
    const candidates = this.catalog.functions.get(name);
    if (!candidates) return undefined;
    return (
      candidates.find(
        (f) =>
          f.params.length === argTypes.length &&
          f.params.every((p, i) => typesEqual(p.type, argTypes[i]!)),
      ) ??
      candidates.find(
        (f) =>
          f.params.length === argTypes.length &&
          f.params.every((p, i) => canImplicitCast(argTypes[i]!, p.type)),
      )
    );
  }

  noteParamType(index: number, t: DataType): void {
    if (this.paramTypes[index] === undefined || this.paramTypes[index]!.kind === 'unknown')
      this.paramTypes[index] = t;
  }

  paramValueType(index: number): DataType {
    return this.paramTypes[index] ?? T.unknown;
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

function applyColumnAliases(
  names: string[],
  alias: A.TableAlias | undefined,
  pos?: number,
): string[] {
  if (!alias?.columns) return names;
  if (alias.columns.length > names.length)
    throw new SqlError(
      SqlState.invalidColumnReference,
      `table "${alias.name.value}" has ${names.length} columns available but ${alias.columns.length} columns specified`,
      pos,
    );
  const out = names.slice();
  alias.columns.forEach((c, i) => (out[i] = c.value));
  return out;
}

/** If `e` is `l = r` with `l` over the left input and `r` over the right one (or swapped), returns the pair. */
function splitEquiCondition(
  e: BoundExpr,
  nl: number,
): { left: BoundExpr; right: BoundExpr } | null {
  if (e.kind !== 'binary' || e.name !== '=') return null;
  const l = sideOf(e.left, nl);
  const r = sideOf(e.right, nl);
  if (!typesEqual(e.left.type, e.right.type)) return null;
  if (l === 'left' && r === 'right') return { left: e.left, right: shiftColumns(e.right, -nl) };
  if (l === 'right' && r === 'left') return { left: e.right, right: shiftColumns(e.left, -nl) };
  return null;
}

/** Which join input an expression reads: only left columns, only right, both, or none. */
function sideOf(e: BoundExpr, nl: number): 'left' | 'right' | 'both' | 'none' {
  let side: 'left' | 'right' | 'both' | 'none' = 'none';
  let ok = true;
  visitBound(e, (x) => {
    if (x.kind === 'column') {
      const s = x.index < nl ? 'left' : 'right';
      side = side === 'none' || side === s ? s : 'both';
    }
    if (
      x.kind === 'scalarSubquery' ||
      x.kind === 'exists' ||
      x.kind === 'quantifiedSubquery' ||
      x.kind === 'arraySubquery'
    )
      ok = false;
    if ((x.kind === 'call' && x.fn.volatile) || x.kind === 'native') ok = false;
  });
  return ok ? side : 'both';
}

export function visitBound(e: BoundExpr, f: (e: BoundExpr) => void): void {
  f(e);
  for (const c of childrenOf(e)) visitBound(c, f);
}

export function childrenOf(e: BoundExpr): BoundExpr[] {
  switch (e.kind) {
    case 'call':
    case 'native':
    case 'and':
    case 'or':
    case 'coalesce':
    case 'greatest':
    case 'least':
      return e.args;
    case 'array':
      return e.elements;
    case 'row':
      return e.fields;
    case 'binary':
    case 'isDistinct':
    case 'nullif':
      return [e.left, e.right];
    case 'unary':
    case 'not':
    case 'isNull':
    case 'isBool':
    case 'cast':
    case 'field':
      return [e.arg];
    case 'case':
      return [...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    case 'inList':
      return [e.arg, ...e.list];
    case 'like':
      return [e.arg, e.pattern, ...(e.escape ? [e.escape] : [])];
    case 'regex':
      return [e.arg, e.pattern];
    case 'subscript':
      return [e.arg, e.index];
    case 'slice':
      return [e.arg, ...(e.lower ? [e.lower] : []), ...(e.upper ? [e.upper] : [])];
    case 'quantifiedArray':
      return [e.left, e.right];
    case 'quantifiedSubquery':
      return [e.left];
    default:
      return [];
  }
}

/** Rewrites column indices by `delta` (all columns must stay non-negative). */
export function shiftColumns(e: BoundExpr, delta: number): BoundExpr {
  return mapBound(e, (x) => (x.kind === 'column' ? { ...x, index: x.index + delta } : x));
}

/** Bottom-up rewrite of a bound expression. */
export function mapBound(e: BoundExpr, f: (e: BoundExpr) => BoundExpr): BoundExpr {
  const m = (x: BoundExpr): BoundExpr => mapBound(x, f);
  let r: BoundExpr;
  switch (e.kind) {
    case 'call':
    case 'native':
    case 'and':
    case 'or':
    case 'coalesce':
    case 'greatest':
    case 'least':
      r = { ...e, args: e.args.map(m) };
      break;
    case 'array':
      r = { ...e, elements: e.elements.map(m) };
      break;
    case 'row':
      r = { ...e, fields: e.fields.map(m) };
      break;
    case 'binary':
    case 'isDistinct':
    case 'nullif':
      r = { ...e, left: m(e.left), right: m(e.right) };
      break;
    case 'unary':
    case 'not':
    case 'isNull':
    case 'isBool':
    case 'cast':
    case 'field':
      r = { ...e, arg: m(e.arg) };
      break;
    case 'case':
      r = {
        ...e,
        whens: e.whens.map((w) => ({ when: m(w.when), then: m(w.then) })),
        else: e.else ? m(e.else) : null,
      };
      break;
    case 'inList':
      r = { ...e, arg: m(e.arg), list: e.list.map(m) };
      break;
    case 'like':
      r = { ...e, arg: m(e.arg), pattern: m(e.pattern), escape: e.escape ? m(e.escape) : null };
      break;
    case 'regex':
      r = { ...e, arg: m(e.arg), pattern: m(e.pattern) };
      break;
    case 'subscript':
      r = { ...e, arg: m(e.arg), index: m(e.index) };
      break;
    case 'slice':
      r = {
        ...e,
        arg: m(e.arg),
        lower: e.lower ? m(e.lower) : null,
        upper: e.upper ? m(e.upper) : null,
      };
      break;
    case 'quantifiedArray':
      r = { ...e, left: m(e.left), right: m(e.right) };
      break;
    case 'quantifiedSubquery':
      r = { ...e, left: m(e.left) };
      break;
    default:
      r = e;
  }
  return f(r);
}

/** Derived output column name, as PostgreSQL's FigureColname. */
export function deriveName(e: A.Expr): string {
  return figureName(e).name;
}

/**
 * The name and its strength: 2 for names taken from columns, functions and keywords, 1 for
 * fallbacks (a cast's type name, `case`), 0 for none (`?column?`). A cast keeps its operand's
 * strong name; CASE takes its ELSE branch's.
 */
function figureName(e: A.Expr): { name: string; strength: number } {
  const strong = (name: string): { name: string; strength: number } => ({ name, strength: 2 });
  switch (e.kind) {
    case 'identifier':
      return strong(e.parts[e.parts.length - 1]!.value);
    case 'function':
      return strong(e.name[e.name.length - 1]!.value);
    case 'cast': {
      const inner = figureName(e.expr);
      return inner.strength > 1 ? inner : { name: castName(e.dataType), strength: 1 };
    }
    case 'typedString':
      return { name: castName(e.dataType), strength: 1 };
    case 'case': {
      const inner = e.else ? figureName(e.else) : { name: '?column?', strength: 0 };
      return inner.strength > 1 ? inner : { name: 'case', strength: 1 };
    }
    case 'exists':
      return strong('exists');
    case 'array':
    case 'arraySubquery':
      return strong('array');
    case 'row':
      return strong('row');
    case 'fieldAccess':
      return strong(e.field.value);
    case 'subscript':
    case 'nested':
    case 'collate':
      return figureName(e.expr);
    case 'extract':
      return strong('extract');
    case 'atTimeZone':
      return strong('timezone');
    case 'subquery': {
      const b = e.query.body;
      if (b.kind === 'select' && b.select.projection.length >= 1) {
        const p = b.select.projection[0]!;
        if (p.kind === 'expr') return p.alias ? strong(p.alias.value) : figureName(p.expr);
      }
      return { name: '?column?', strength: 0 };
    }
    default:
      return { name: '?column?', strength: 0 };
  }
}

function castName(t: DataType): string {
  switch (t.kind) {
    case 'int2':
      return 'int2';
    case 'int4':
      return 'int4';
    case 'int8':
      return 'int8';
    case 'float4':
      return 'float4';
    case 'float8':
      return 'float8';
    case 'boolean':
      return 'bool';
    case 'varchar':
      return 'varchar';
    case 'timestamptz':
      return 'timestamptz';
    case 'array':
      return castName(t.element);
    default:
      return t.kind;
  }
}

/** Whether the expression (outside subqueries) calls an aggregate without OVER. */
export function containsAggregate(e: A.Expr, catalog: Catalog): boolean {
  let found = false;
  walkAst(e, (x) => {
    if (x.kind === 'function' && !x.over) {
      const n = x.name[x.name.length - 1]!.value;
      if (isAggregateName(n) && !catalog.functions.has(n)) found = true;
    }
  });
  return found;
}

/** Visits expression nodes, not descending into subqueries. */
export function walkAst(e: A.Expr, f: (e: A.Expr) => void): void {
  f(e);
  const w = (x: A.Expr | undefined): void => {
    if (x) walkAst(x, f);
  };
  switch (e.kind) {
    case 'binary':
    case 'isDistinctFrom':
      w(e.left);
      w(e.right);
      break;
    case 'unary':
      w(e.operand);
      break;
    case 'isNull':
    case 'isBool':
    case 'cast':
    case 'nested':
    case 'extract':
    case 'collate':
      w(e.expr);
      break;
    case 'between':
      w(e.expr);
      w(e.low);
      w(e.high);
      break;
    case 'like':
      w(e.expr);
      w(e.pattern);
      w(e.escape);
      break;
    case 'inList':
      w(e.expr);
      e.list.forEach(w);
      break;
    case 'inSubquery':
      w(e.expr);
      break;
    case 'quantified':
      w(e.left);
      if (e.right.kind === 'expr') w(e.right.expr);
      break;
    case 'case':
      w(e.operand);
      e.whens.forEach((x) => {
        w(x.condition);
        w(x.result);
      });
      w(e.else);
      break;
    case 'function':
      // Arguments of a window function's aggregate are still scanned: sum(count(*)) OVER ().
      e.args.forEach((a) => w(a.value));
      w(e.filter);
      e.orderBy.forEach((o) => w(o.expr));
      if (e.over?.kind === 'spec') {
        e.over.spec.partitionBy.forEach(w);
        e.over.spec.orderBy.forEach((o) => w(o.expr));
      }
      break;
    case 'array':
      e.elements.forEach(w);
      break;
    case 'subscript':
      w(e.expr);
      w(e.index);
      w(e.slice?.lower);
      w(e.slice?.upper);
      break;
    case 'fieldAccess':
      w(e.expr);
      break;
    case 'row':
      e.exprs.forEach(w);
      break;
    case 'atTimeZone':
      w(e.expr);
      w(e.zone);
      break;
    default:
      break;
  }
}

/** Whether a query mentions table `name` in any FROM (for recursive CTE detection). */
function queryReferences(q: A.Query, name: string): boolean {
  const visit = (x: unknown): boolean => {
    if (Array.isArray(x)) return x.some(visit);
    if (x === null || typeof x !== 'object') return false;
    const o = x as { kind?: unknown; name?: unknown };
    if (o.kind === 'table' && Array.isArray(o.name) && o.name.length === 1) {
      const first = o.name[0] as { value?: unknown };
      if (first.value === name) return true;
    }
    return Object.values(x).some(visit);
  };
  return visit(q);
}

export { isWindowOnlyName, isString, isAggregateName };
export type { Value, AggCall, WindowCall };
