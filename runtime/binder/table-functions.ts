/**
 * Table functions in FROM: `generate_series`, `unnest`, and the time-window functions
 * `TUMBLE(table, time_col, size [, offset])` and `HOP(table, time_col, slide, size [, offset])`,
 * which append `window_start` and `window_end` to each row of `table`.
 */
import type * as A from '../sql/ast.js';
import type { DataType } from '../types/datatype.js';
import { T, typeName } from '../types/datatype.js';
import type { Row, Value } from '../types/value.js';
import { commonType } from '../types/coerce.js';
import { compareValues } from '../types/compare.js';
import { resolveBinaryOperator } from '../expr/operators.js';
import { SqlError, SqlState } from '../errors.js';
import type { BoundExpr, PlanNode } from '../plan/logical.js';
import type { EvalContext } from '../expr/context.js';
import { Scope } from './scope.js';
import { visitBound } from './binder.js';
import type { Binder } from './binder.js';
import { Decimal } from '../types/numeric.js';
import { Interval } from '../types/interval.js';
import { regexpMatchesRows } from '../functions/string.js';

type FunctionRef = Extract<A.TableRef, { kind: 'function' }>;

export function bindTableFunction(
  binder: Binder,
  t: FunctionRef,
  argScope: Scope,
  outer: Scope | null,
): { plan: PlanNode; scope: Scope; lateral: boolean } {
  const name = t.name[t.name.length - 1]!.value;
  if (name === 'tumble' || name === 'hop') return bindTimeWindow(binder, t, name, outer);
  const ctx = binder.plainContext(argScope, 'functions in FROM');
  const args = t.args.map((a) => binder.exprs.bind(a.value, ctx));
  let plan: PlanNode;
  let names: string[];
  switch (name) {
    case 'generate_series':
    case 'range':
    case 'unnest':
    case 'regexp_matches': {
      const srf = resolveSetReturning(binder, name, args, t.pos)!;
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

/** Set-returning functions usable both in FROM and in a select list. */
export function isSetReturning(name: string): boolean {
  return name === 'generate_series' || name === 'unnest' || name === 'regexp_matches';
}

/** Resolves a set-returning function call: coerced arguments, row evaluator, column types. */
export function resolveSetReturning(
  binder: Binder,
  name: string,
  args: BoundExpr[],
  pos?: number,
):
  | { args: BoundExpr[]; eval: (args: Value[], ctx: EvalContext) => Row[]; types: DataType[] }
  | undefined {
  switch (name) {
    case 'generate_series':
    case 'range': {
      const { plan } = generateSeries(binder, name, args, pos);
      if (plan.kind !== 'tableFunction') return undefined;
      return { args: plan.args, eval: plan.eval, types: plan.schema.map((c) => c.type) };
    }
    case 'unnest': {
      if (args.length === 0)
        throw new SqlError(SqlState.undefinedFunction, 'function unnest() does not exist', pos);
      const coerced = args.map((a) =>
        a.type.kind === 'unknown'
          ? binder.exprs.coerce(a, { kind: 'array', element: T.text }, 'implicit')
          : a,
      );
      for (const a of coerced)
        if (a.type.kind !== 'array')
          throw new SqlError(
            SqlState.undefinedFunction,
            `function unnest(${typeName(a.type)}) does not exist`,
            pos,
          );
      return {
        args: coerced,
        types: coerced.map((a) => (a.type as Extract<DataType, { kind: 'array' }>).element),
        eval: (vals) => {
          const arrays = vals.map((v) => (v === null ? [] : (v as Value[])));
          const n = Math.max(0, ...arrays.map((a) => a.length));
          const rows: Row[] = [];
          for (let i = 0; i < n; i++) rows.push(arrays.map((a) => (i < a.length ? a[i]! : null)));
          return rows;
        },
      };
    }
    case 'regexp_matches': {
      // One text[] row per match (every match with the 'g' flag), as PostgreSQL.
      if (args.length < 2 || args.length > 3) return undefined;
      const coerced = args.map((a) => binder.exprs.coerce(a, T.text, 'implicit', pos));
      return {
        args: coerced,
        types: [{ kind: 'array', element: T.text }],
        eval: (vals) =>
          vals.some((v) => v === null)
            ? []
            : regexpMatchesRows(
                vals[0] as string,
                vals[1] as string,
                (vals[2] ?? '') as string,
              ).map((m) => [m]),
      };
    }
    default:
      return undefined;
  }
}

function generateSeries(
  binder: Binder,
  name: string,
  args: BoundExpr[],
  pos?: number,
): { plan: PlanNode; names: string[] } {
  if (args.length < 2 || args.length > 3)
    throw new SqlError(
      SqlState.undefinedFunction,
      `function ${name}(${args.map((a) => typeName(a.type)).join(', ')}) does not exist`,
      pos,
    );
  let t = commonType([args[0]!.type, args[1]!.type]) ?? args[0]!.type;
  if (t.kind === 'unknown') t = T.int4;
  if (t.kind === 'int2') t = T.int4;
  const temporal = t.kind === 'timestamp' || t.kind === 'timestamptz' || t.kind === 'date';
  if (t.kind === 'date') t = T.timestamp;
  if (!['int4', 'int8', 'numeric', 'timestamp', 'timestamptz'].includes(t.kind))
    throw new SqlError(
      SqlState.undefinedFunction,
      `function ${name}(${args.map((a) => typeName(a.type)).join(', ')}) does not exist`,
      pos,
    );
  const stepType: DataType = temporal ? T.interval : t;
  if (temporal && args.length < 3)
    throw new SqlError(
      SqlState.undefinedFunction,
      `function ${name}(${args.map((a) => typeName(a.type)).join(', ')}) does not exist`,
      pos,
    );
  const coerced = [
    binder.exprs.coerce(args[0]!, t, 'implicit', pos),
    binder.exprs.coerce(args[1]!, t, 'implicit', pos),
    ...(args[2] ? [binder.exprs.coerce(args[2], stepType, 'implicit', pos)] : []),
  ];
  const add = resolveBinaryOperator('+', t, stepType)!;
  const inclusive = name === 'generate_series';
  const evalSeries = (vals: Value[], ctx: EvalContext): Row[] => {
    const start = vals[0] ?? null;
    const stop = vals[1] ?? null;
    const defaultStep: Value =
      t.kind === 'int8' ? 1n : t.kind === 'numeric' ? Decimal.fromBigInt(1n) : 1;
    const step: Value = vals.length > 2 ? (vals[2] as Value) : defaultStep;
    if (start === null || stop === null || step === null) return [];
    const zero: Value =
      t.kind === 'int8'
        ? 0n
        : t.kind === 'numeric'
          ? Decimal.fromBigInt(0n)
          : temporal
            ? new Interval(0, 0, 0n)
            : 0;
    const dir = compareValues(step, zero, stepType);
    if (dir === 0)
      throw new SqlError(SqlState.invalidParameterValue, 'step size cannot equal zero');
    const rows: Row[] = [];
    let cur: Value = start;
    const limit = 10_000_000;
    for (;;) {
      const c = compareValues(cur, stop, t);
      if (dir > 0 ? c > 0 || (!inclusive && c === 0) : c < 0 || (!inclusive && c === 0)) break;
      rows.push([cur]);
      if (rows.length > limit)
        throw new SqlError(
          SqlState.programLimitExceeded,
          `${name} would produce more than ${limit} rows`,
        );
      try {
        cur = add.eval(cur, step, ctx);
      } catch (err) {
        // Stepping past the type's range ends the series, as in PostgreSQL.
        if (err instanceof SqlError && err.code === SqlState.numericValueOutOfRange) break;
        throw err;
      }
    }
    return rows;
  };
  return {
    plan: {
      kind: 'tableFunction',
      name,
      args: coerced,
      withOrdinality: false,
      eval: evalSeries,
      schema: [{ name, type: t }],
    },
    names: [name],
  };
}

function bindTimeWindow(
  binder: Binder,
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
  const source = t.args[0]!.value;
  let input: { plan: PlanNode; scope: Scope };
  if (source.kind === 'identifier') {
    input = binder.bindTableRef(
      { kind: 'table', name: source.parts, pos: source.pos },
      outer,
      null,
    );
  } else if (source.kind === 'subquery') {
    input = binder.bindTableRef(
      { kind: 'subquery', query: source.query, lateral: false, pos: source.pos },
      outer,
      null,
    );
  } else
    throw new SqlError(
      SqlState.syntaxError,
      `the first argument of ${fn} must be a table name`,
      source.pos,
    );
  const ctx = binder.plainContext(input.scope, `${fn.toUpperCase()}`);
  const timeCol = binder.exprs.bind(t.args[1]!.value, ctx);
  if (!['timestamp', 'timestamptz', 'date'].includes(timeCol.type.kind))
    throw new SqlError(
      SqlState.datatypeMismatch,
      `the time column of ${fn} must be of type timestamp or timestamptz, not ${typeName(timeCol.type)}`,
      t.args[1]!.value.pos,
    );
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
