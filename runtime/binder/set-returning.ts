/**
 * Set-returning functions usable both in FROM and in a select list: `generate_series`, `range`,
 * `unnest` and `regexp_matches`, resolved to coerced arguments, a row evaluator and column types.
 */
import type { DataType } from '../types/datatype.js';
import { T, typeName } from '../types/datatype.js';
import type { Row, Value } from '../types/value.js';
import { commonType } from '../types/coerce.js';
import { compareValues } from '../types/compare.js';
import { resolveBinaryOperator } from '../expr/operators.js';
import { SqlError, SqlState } from '../errors.js';
import type { BoundExpr, PlanNode } from '../plan/logical.js';
import type { EvalContext } from '../expr/context.js';
import { Decimal } from '../types/numeric.js';
import { Interval } from '../types/interval.js';
import { regexpMatchesRows } from '../functions/regexp.js';

/** Coercion of arguments to a resolved signature (the expression binder). */
export interface Coercer {
  coerce(e: BoundExpr, to: DataType, mode: 'implicit', pos?: number): BoundExpr;
}

/** Set-returning functions usable both in FROM and in a select list. */
export function isSetReturning(name: string): boolean {
  return name === 'generate_series' || name === 'unnest' || name === 'regexp_matches';
}

/** Resolves a set-returning function call: coerced arguments, row evaluator, column types. */
export function resolveSetReturning(
  exprs: Coercer,
  name: string,
  args: BoundExpr[],
  pos?: number,
):
  | { args: BoundExpr[]; eval: (args: Value[], ctx: EvalContext) => Row[]; types: DataType[] }
  | undefined {
  switch (name) {
    case 'generate_series':
    case 'range': {
      const { plan } = generateSeries(exprs, name, args, pos);
      if (plan.kind !== 'tableFunction') return undefined;
      return { args: plan.args, eval: plan.eval, types: plan.schema.map((c) => c.type) };
    }
    case 'unnest': {
      if (args.length === 0)
        throw new SqlError(SqlState.undefinedFunction, 'function unnest() does not exist', pos);
      const coerced = args.map((a) =>
        a.type.kind === 'unknown'
          ? exprs.coerce(a, { kind: 'array', element: T.text }, 'implicit')
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
      const coerced = args.map((a) => exprs.coerce(a, T.text, 'implicit', pos));
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
  exprs: Coercer,
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
    exprs.coerce(args[0]!, t, 'implicit', pos),
    exprs.coerce(args[1]!, t, 'implicit', pos),
    ...(args[2] ? [exprs.coerce(args[2], stepType, 'implicit', pos)] : []),
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
