/** What a running batch plan reads besides its input: tables, parameters, CTE results, outer rows. */
import type { EvalContext } from '../expr/context.js';
import type { SqlError } from '../errors.js';
import type { Row, Value } from '../types/value.js';

export interface ExecEnv {
  ctx: EvalContext;
  params: Value[];
  /** Current rows of enclosing queries, innermost last (`outerColumn` depth 1 = last). */
  outer: Row[];
  ctes: Map<number, Row[]>;
  /** Current rows of a table or materialized view. */
  scan(id: number): Row[];
  /**
   * Set while maintaining views: data errors in expressions are collected here and the
   * expression yields NULL, instead of failing the statement.
   */
  evalErrors?: SqlError[];
  /** Results of uncorrelated subqueries, computed once per statement. */
  subqueryCache: Map<object, Row[]>;
}

export function withOuter(env: ExecEnv, row: Row): ExecEnv {
  return { ...env, outer: [...env.outer, row] };
}
