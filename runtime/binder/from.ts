/**
 * The binder's state and its FROM clause: tables, views, CTE references, system relations,
 * joins (with equi-key extraction), subqueries and table functions; also window frames and SQL
 * function lookup. `Binder` (binder.ts) extends `FromBinder` with queries and SELECT.
 */
import type * as A from '../sql/ast.js';
import type { DataType } from '../types/datatype.js';
import { T, typeName, typesEqual } from '../types/datatype.js';
import { canImplicitCast, commonType } from '../types/coerce.js';
import { SqlError, SqlState } from '../errors.js';
import type { Catalog, FunctionDesc, RelationDesc } from '../catalog/catalog.js';
import { Catalog as CatalogClass } from '../catalog/catalog.js';
import type {
  BoundExpr,
  ColumnSchema,
  FrameBound,
  PlanNode,
  WindowFrameSpec,
} from '../plan/logical.js';
import type { EvalContext } from '../expr/context.js';
import { shiftColumns, visitBound } from '../plan/bound.js';
import type { BoundQuery, QueryBinder } from './query-binder.js';
import { Scope, type ScopeColumn } from './scope.js';
import { systemRelation, type SystemRelation } from '../catalog/system/index.js';
import { ExprBinder } from './expr-binder.js';
import type { ExprContext } from './expr-context.js';
import { bindTableFunction } from './table-functions.js';

export interface CteBinding {
  id: number;
  name: string;
  schema: ColumnSchema[];
}

/** CTEs visible at a point, innermost first. */
export class CteScope {
  constructor(
    readonly ctes: Map<string, CteBinding>,
    readonly parent: CteScope | null,
  ) {}
  find(name: string): CteBinding | undefined {
    return this.ctes.get(name) ?? this.parent?.find(name);
  }
}

export abstract class FromBinder implements QueryBinder {
  readonly exprs: ExprBinder;
  protected cteScope: CteScope | null = null;
  protected nextCteId = 1;
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

  abstract bindQuery(q: A.Query, outer: Scope | null): BoundQuery;
  abstract coercePlan(plan: PlanNode, types: DataType[]): PlanNode;
  abstract plainContext(scope: Scope, clause: string): ExprContext;

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

  /**
   * WHERE over the FROM plan. Through inner (non-LATERAL) joins each conjunct reading columns
   * only (no subquery, outer reference or volatile call) moves down to the lowest join that
   * sees all of its columns: into that join's condition — a hash key when it is `l = r` — or,
   * reading one side only, as a filter on that side. A comma join with its equality in WHERE
   * so becomes a hash join instead of a filtered cross product. Conjuncts that cannot move stay
   * in a filter above, in their order; a plan with no such join gets the plain filter.
   */
  whereOver(plan: PlanNode, predicate: BoundExpr): PlanNode {
    if (plan.kind !== 'join' || plan.joinKind !== 'inner' || plan.lateral)
      return { kind: 'filter', input: plan, predicate, schema: plan.schema };
    return this.pushConjuncts(plan, conjunctsOf(predicate));
  }

  private pushConjuncts(plan: PlanNode, conjuncts: BoundExpr[]): PlanNode {
    if (conjuncts.length === 0) return plan;
    if (plan.kind !== 'join' || plan.joinKind !== 'inner' || plan.lateral)
      return { kind: 'filter', input: plan, predicate: andOf(conjuncts)!, schema: plan.schema };
    const nl = plan.left.schema.length;
    const toLeft: BoundExpr[] = [];
    const toRight: BoundExpr[] = [];
    const toJoin: BoundExpr[] = [];
    const keep: BoundExpr[] = [];
    for (const c of conjuncts) {
      const side = movableSide(c, nl);
      if (side === 'left') toLeft.push(c);
      else if (side === 'right') toRight.push(shiftColumns(c, -nl));
      else if (side === 'both') toJoin.push(c);
      else keep.push(c);
    }
    const left = this.pushConjuncts(plan.left, toLeft);
    const right = this.pushConjuncts(plan.right, toRight);
    const split = this.makeJoin(
      'inner',
      left,
      right,
      andOf([...(plan.condition ? conjunctsOf(plan.condition) : []), ...toJoin]),
      nl,
      false,
      plan.schema,
    ) as Extract<PlanNode, { kind: 'join' }>;
    const join: PlanNode = {
      ...split,
      leftKeys: [...plan.leftKeys, ...split.leftKeys],
      rightKeys: [...plan.rightKeys, ...split.rightKeys],
    };
    return keep.length
      ? { kind: 'filter', input: join, predicate: andOf(keep)!, schema: join.schema }
      : join;
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
    if (f.units === 'session') {
      if (!f.gap) throw new SqlError(SqlState.syntaxError, 'SESSION frame without a gap');
      return {
        units: 'session',
        start: { kind: 'unboundedPreceding' },
        end: { kind: 'unboundedFollowing' },
        exclude: 'noOthers',
        gap: bindOffset(f.gap),
      };
    }
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

/** The conjuncts of a condition, nested ANDs flattened. */
function conjunctsOf(e: BoundExpr): BoundExpr[] {
  return e.kind === 'and' ? e.args.flatMap(conjunctsOf) : [e];
}

function andOf(conjuncts: BoundExpr[]): BoundExpr | null {
  if (conjuncts.length === 0) return null;
  return conjuncts.length === 1 ? conjuncts[0]! : { kind: 'and', args: conjuncts, type: T.boolean };
}

/**
 * Which join input `e` reads (only left columns, only right, both, or none), and whether it is
 * pure: no subquery, volatile or native call, and — unless `outerPure` — no outer reference.
 */
function inputsRead(
  e: BoundExpr,
  nl: number,
  outerPure: boolean,
): { side: 'left' | 'right' | 'both' | 'none'; pure: boolean } {
  let side: 'left' | 'right' | 'both' | 'none' = 'none';
  let pure = true;
  visitBound(e, (x) => {
    if (x.kind === 'column') {
      const s = x.index < nl ? 'left' : 'right';
      side = side === 'none' || side === s ? s : 'both';
    }
    if (
      x.kind === 'scalarSubquery' ||
      x.kind === 'exists' ||
      x.kind === 'quantifiedSubquery' ||
      x.kind === 'arraySubquery' ||
      x.kind === 'native' ||
      (x.kind === 'outerColumn' && !outerPure) ||
      (x.kind === 'call' && x.fn.volatile)
    )
      pure = false;
  });
  return { side, pure };
}

/**
 * Which join input a WHERE conjunct reads, when it may move below the filter: `none` for one
 * that must stay (it reads no column, or holds a subquery, an outer reference, a volatile or
 * native call).
 */
function movableSide(e: BoundExpr, nl: number): 'left' | 'right' | 'both' | 'none' {
  const r = inputsRead(e, nl, false);
  return r.pure ? r.side : 'none';
}

/** Which join input an expression reads: only left columns, only right, both, or none. */
function sideOf(e: BoundExpr, nl: number): 'left' | 'right' | 'both' | 'none' {
  const r = inputsRead(e, nl, true);
  return r.pure ? r.side : 'both';
}

/** Derived output column name, as PostgreSQL's FigureColname. */
