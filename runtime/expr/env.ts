/**
 * What evaluating expressions and plans reads besides its input rows: tables, parameters, CTE
 * results, outer rows, and the runner of subquery plans (the batch executor's `runPlan`, which
 * whoever builds the environment supplies).
 */
import type { EvalContext } from './context.js';
import type { SqlError } from '../errors.js';
import type { PlanNode } from '../plan/logical.js';
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
  /** Runs a plan to its rows: subqueries, and constant relations of a view. */
  runPlan(plan: PlanNode, env: ExecEnv): Row[];
}

export function withOuter(env: ExecEnv, row: Row): ExecEnv {
  return { ...env, outer: [...env.outer, row] };
}
