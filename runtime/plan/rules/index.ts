/**
 * Rewrite passes applied before stream planning, in order. Each is a small named rule with its
 * own plan-text test.
 */
import type { PlanNode } from '../logical.js';
import { subqueryToSemiJoin } from './subquery-to-semi-join.js';
import { scalarSubqueryToJoin } from './scalar-subquery-to-join.js';
import { setOpToAggregate } from './set-op-to-aggregate.js';
import { correlatedScalarAggToJoin } from './correlated-scalar-agg-to-join.js';
import { lateralTableFunctionToProjectSet } from './lateral-table-function.js';
import { lateralSubqueryToJoin } from './lateral-subquery-to-join.js';

export const streamRules: { name: string; apply: (p: PlanNode) => PlanNode }[] = [
  { name: 'subquery_to_semi_join', apply: subqueryToSemiJoin },
  { name: 'scalar_subquery_to_join', apply: scalarSubqueryToJoin },
  { name: 'correlated_scalar_agg_to_join', apply: correlatedScalarAggToJoin },
  { name: 'set_op_to_aggregate', apply: setOpToAggregate },
  { name: 'lateral_table_function_to_project_set', apply: lateralTableFunctionToProjectSet },
  { name: 'lateral_subquery_to_join', apply: lateralSubqueryToJoin },
];

/** Turns subqueries into joins where the dataflow needs them. */
export function decorrelate(plan: PlanNode): PlanNode {
  return streamRules.reduce((p, r) => r.apply(p), plan);
}
