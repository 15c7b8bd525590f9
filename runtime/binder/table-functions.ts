/**
 * Table functions in FROM: `generate_series`, `unnest`, and the time-window functions
 * `TUMBLE(table, time_col, size [, offset])`, `HOP(table, time_col, slide, size [, offset])` and
 * `SESSION(table, time_col, gap [, partition_expr ...])`, which append `window_start` and
 * `window_end` to each row of `table` (see bindSessionWindow for SESSION).
 */
import type * as A from '../sql/ast.js';
import type { DataType } from '../types/datatype.js';
import { T, typeName } from '../types/datatype.js';
import { SqlError, SqlState } from '../errors.js';
import type { BoundExpr, PlanNode, WindowCall } from '../plan/logical.js';
import { Scope } from './scope.js';
import { visitBound } from '../plan/bound.js';
import type { ExprBinder } from './expr-binder.js';
import type { ExprContext } from './expr-context.js';
import type { QueryBinder } from './query-binder.js';
import { resolveSetReturning } from './set-returning.js';

type FunctionRef = Extract<A.TableRef, { kind: 'function' }>;

/** What binding a table function needs of the statement binder (`Binder` implements it). */
export interface TableFunctionBinder extends QueryBinder {
  readonly exprs: ExprBinder;
  plainContext(scope: Scope, clause: string): ExprContext;
  bindTableRef(
    t: A.TableRef,
    outer: Scope | null,
    leftScope: Scope | null,
  ): { plan: PlanNode; scope: Scope; lateral?: boolean };
}

export function bindTableFunction(
  binder: TableFunctionBinder,
  t: FunctionRef,
  argScope: Scope,
  outer: Scope | null,
): { plan: PlanNode; scope: Scope; lateral: boolean } {
  const name = t.name[t.name.length - 1]!.value;
  if (name === 'tumble' || name === 'hop') return bindTimeWindow(binder, t, name, outer);
  if (name === 'session') return bindSessionWindow(binder, t, outer);
  const ctx = binder.plainContext(argScope, 'functions in FROM');
  const args = t.args.map((a) => binder.exprs.bind(a.value, ctx));
  let plan: PlanNode;
  let names: string[];
  switch (name) {
    case 'generate_series':
    case 'range':
    case 'unnest':
    case 'regexp_matches': {
      const srf = resolveSetReturning(binder.exprs, name, args, t.pos)!;
      names = srf.types.map(() => name);
      plan = {
        kind: 'tableFunction',
        name,
        args: srf.args,
        withOrdinality: false,
        eval: srf.eval,
        schema: srf.types.map((ty, i) => ({ name: names[i]!, type: ty })),
      };
      break;
    }
    default: {
      // A scalar function in FROM yields one row with one column.
      const call = binder.exprs.callScalar(name, args, t.pos);
      names = [name];
      plan = {
        kind: 'tableFunction',
        name,
        args: [call],
        withOrdinality: false,
        eval: (vals) => [[vals[0] ?? null]],
        schema: [{ name, type: call.type }],
      };
    }
  }
  if (t.withOrdinality) {
    if (plan.kind === 'tableFunction')
      plan = {
        ...plan,
        withOrdinality: true,
        schema: [...plan.schema, { name: 'ordinality', type: T.int8 }],
      };
    names = [...names, 'ordinality'];
  }
  // A single-column function takes the alias as its column name, as in PostgreSQL.
  const alias = t.alias?.name.value ?? name;
  if (t.alias && !t.alias.columns && names.length === 1) names = [alias];
  if (t.alias?.columns) {
    if (t.alias.columns.length > names.length)
      throw new SqlError(
        SqlState.invalidColumnReference,
        `too many column aliases specified for function ${name}`,
        t.pos,
      );
    names = names.map((n, i) => t.alias!.columns![i]?.value ?? n);
  }
  plan = { ...plan, schema: plan.schema.map((c, i) => ({ name: names[i]!, type: c.type })) };
  // Only arguments that read earlier FROM items make the function LATERAL.
  let lateral = false;
  for (const a of args)
    visitBound(a, (x) => {
      if (x.kind === 'column') lateral = true;
    });
  return {
    plan,
    scope: new Scope(
      plan.schema.map((c) => ({ qualifier: alias, name: c.name, type: c.type })),
      outer,
    ),
    lateral,
  };
}

function bindTimeWindow(
  binder: TableFunctionBinder,
  t: FunctionRef,
  fn: 'tumble' | 'hop',
  outer: Scope | null,
): { plan: PlanNode; scope: Scope; lateral: boolean } {
  const want = fn === 'tumble' ? [3, 4] : [4, 5];
  if (!want.includes(t.args.length))
    throw new SqlError(
      SqlState.undefinedFunction,
      `function ${fn} expects ${want[0]} or ${want[1]} arguments, got ${t.args.length}`,
      t.pos,
    );
  const input = bindWindowSource(binder, t, fn, outer);
  const ctx = binder.plainContext(input.scope, `${fn.toUpperCase()}`);
  const timeCol = bindTimeColumn(binder, t, fn, ctx);
  const interval = (i: number): BoundExpr =>
    binder.exprs.coerce(
      binder.exprs.bind(t.args[i]!.value, binder.plainContext(new Scope([], outer), fn)),
      T.interval,
      'implicit',
      t.args[i]!.value.pos,
    );
  const size = fn === 'tumble' ? interval(2) : interval(3);
  const slide = fn === 'hop' ? interval(2) : null;
  const offIdx = fn === 'tumble' ? 3 : 4;
  const offset = t.args.length > offIdx ? interval(offIdx) : null;
  const wt: DataType = timeCol.type.kind === 'date' ? T.timestamp : timeCol.type;
  const alias = t.alias?.name.value ?? fn;
  const plan: PlanNode = {
    kind: 'timeWindow',
    input: input.plan,
    fn,
    timeCol,
    size,
    slide,
    offset,
    schema: [
      ...input.plan.schema,
      { name: 'window_start', type: wt },
      { name: 'window_end', type: wt },
    ],
  };
  return {
    plan,
    scope: new Scope(
      [
        ...input.scope.columns.map((c) => ({
          ...c,
          qualifier: t.alias ? alias : c.qualifier,
          alsoQualifiers: [fn],
        })),
        { qualifier: alias, name: 'window_start', type: wt },
        { qualifier: alias, name: 'window_end', type: wt },
      ],
      outer,
    ),
    lateral: false,
  };
}

/** The table (or subquery) a time-window function's first argument names. */
function bindWindowSource(
  binder: TableFunctionBinder,
  t: FunctionRef,
  fn: string,
  outer: Scope | null,
): { plan: PlanNode; scope: Scope } {
  const source = t.args[0]!.value;
  if (source.kind === 'identifier')
    return binder.bindTableRef({ kind: 'table', name: source.parts, pos: source.pos }, outer, null);
  if (source.kind === 'subquery')
    return binder.bindTableRef(
      { kind: 'subquery', query: source.query, lateral: false, pos: source.pos },
      outer,
      null,
    );
  throw new SqlError(
    SqlState.syntaxError,
    `the first argument of ${fn} must be a table name`,
    source.pos,
  );
}

/** A time-window function's time column: timestamp, timestamptz or date. */
function bindTimeColumn(
  binder: TableFunctionBinder,
  t: FunctionRef,
  fn: string,
  ctx: ExprContext,
): BoundExpr {
  const timeCol = binder.exprs.bind(t.args[1]!.value, ctx);
  if (!['timestamp', 'timestamptz', 'date'].includes(timeCol.type.kind))
    throw new SqlError(
      SqlState.datatypeMismatch,
      `the time column of ${fn} must be of type timestamp or timestamptz, not ${typeName(timeCol.type)}`,
      t.args[1]!.value.pos,
    );
  return timeCol;
}

/**
 * `SESSION(table, time_col, gap [, partition_expr ...])`: every row of `table` with the
 * session it belongs to. Rows are grouped by the partition expressions (all rows form one group
 * without them); within a group, rows ordered by `time_col` are in one session while each is
 * less than `gap` (a positive constant interval) after the previous one. `window_start` is the
 * session's first time and `window_end` its last time plus the gap — the half-open span
 * `[window_start, window_end)` the session covers, as TUMBLE and HOP windows are half-open, and
 * the earliest time a later row would start a new session. A date time column is taken as a
 * timestamp; a row whose time is NULL gets NULL bounds.
 *
 * It is bound as `first_value(time_col)` and `last_value(time_col)` over `(PARTITION BY
 * partition_expr ... ORDER BY time_col SESSION WITH GAP gap)`, so batch queries and views share
 * the window-function form's evaluation (views maintain it one session range at a time).
 */
function bindSessionWindow(
  binder: TableFunctionBinder,
  t: FunctionRef,
  outer: Scope | null,
): { plan: PlanNode; scope: Scope; lateral: boolean } {
  if (t.args.length < 3)
    throw new SqlError(
      SqlState.undefinedFunction,
      `function session expects at least 3 arguments, got ${t.args.length}`,
      t.pos,
    );
  const input = bindWindowSource(binder, t, 'session', outer);
  const ctx = binder.plainContext(input.scope, 'SESSION');
  let timeCol = bindTimeColumn(binder, t, 'session', ctx);
  if (timeCol.type.kind === 'date')
    timeCol = binder.exprs.coerce(timeCol, T.timestamp, 'implicit', t.args[1]!.value.pos);
  const wt: DataType = timeCol.type;
  const gapArg = t.args[2]!.value;
  const gap = binder.exprs.coerce(
    binder.exprs.bind(gapArg, binder.plainContext(new Scope([], outer), 'SESSION')),
    T.interval,
    'implicit',
    gapArg.pos,
  );
  const partitionBy = t.args.slice(3).map((a) => binder.exprs.bind(a.value, ctx));
  const n = input.plan.schema.length;
  const call = (name: 'first_value' | 'last_value'): WindowCall => ({
    name,
    agg: null,
    args: [timeCol],
    filter: null,
    partitionBy,
    orderBy: [{ expr: timeCol, desc: false, nullsFirst: false }],
    frame: {
      units: 'session',
      start: { kind: 'unboundedPreceding' },
      end: { kind: 'unboundedFollowing' },
      exclude: 'noOthers',
      gap,
    },
    ignoreNulls: false,
    type: wt,
    distinct: false,
  });
  const window: PlanNode = {
    kind: 'window',
    input: input.plan,
    calls: [call('first_value'), call('last_value')],
    schema: [
      ...input.plan.schema,
      { name: 'first_value', type: wt },
      { name: 'last_value', type: wt },
    ],
  };
  const col = (index: number, type: DataType): BoundExpr => ({ kind: 'column', index, type });
  const end = binder.exprs.binaryOp('+', col(n + 1, wt), gap, gapArg.pos);
  const plan: PlanNode = {
    kind: 'project',
    input: window,
    exprs: [...input.plan.schema.map((c, i) => col(i, c.type)), col(n, wt), end],
    schema: [
      ...input.plan.schema,
      { name: 'window_start', type: wt },
      { name: 'window_end', type: wt },
    ],
  };
  const alias = t.alias?.name.value ?? 'session';
  return {
    plan,
    scope: new Scope(
      [
        ...input.scope.columns.map((c) => ({
          ...c,
          qualifier: t.alias ? alias : c.qualifier,
          alsoQualifiers: ['session'],
        })),
        { qualifier: alias, name: 'window_start', type: wt },
        { qualifier: alias, name: 'window_end', type: wt },
      ],
      outer,
    ),
    lateral: false,
  };
}
