/**
 * Rule `scalar_subquery_to_join`: an uncorrelated scalar subquery in a filter or projection that
 * returns at most one row by construction (a global aggregate, LIMIT 1) becomes a left join of
 * the node's input with the subquery, on TRUE, so its value is an ordinary column; with no
 * subquery row the column is NULL, as the subquery's value.
 */
import type { BoundExpr, PlanNode } from '../logical.js';
import { mapBound } from '../bound.js';
import { isCorrelated, rewriteWithJoinedInput } from './walk.js';

/**
 * Whether `p` can never return more than one row. Only then is a left join the same as the
 * scalar subquery: with two rows the subquery is an error (21000), while a join would silently
 * duplicate the outer row, so other subqueries are left for the planner to refuse.
 */
export function atMostOneRow(p: PlanNode): boolean {
  switch (p.kind) {
    case 'project':
    case 'filter':
    case 'sort':
      return atMostOneRow(p.input);
    case 'aggregate':
      return p.groupKeys.length === 0 && !p.groupingSets;
    case 'limit':
      return (
        (p.limit?.kind === 'literal' &&
          p.limit.value !== null &&
          Number(p.limit.value) <= 1 &&
          !p.withTies) ||
        atMostOneRow(p.input)
      );
    case 'values':
      return p.rows.length <= 1;
    default:
      return false;
  }
}

function hoist(
  input: PlanNode,
  exprs: BoundExpr[],
): { input: PlanNode; exprs: BoundExpr[] } | null {
  let current = input;
  let changed = false;
  const out = exprs.map((e) =>
    mapBound(e, (x) => {
      if (
        x.kind !== 'scalarSubquery' ||
        x.correlated ||
        isCorrelated(x.plan) ||
        !atMostOneRow(x.plan)
      )
        return x;
      const index = current.schema.length;
      current = {
        kind: 'join',
        joinKind: 'left',
        left: current,
        right: x.plan,
        leftKeys: [],
        rightKeys: [],
        condition: null,
        lateral: false,
        schema: [...current.schema, ...x.plan.schema],
      };
      changed = true;
      return { kind: 'column', index, type: x.type };
    }),
  );
  return changed ? { input: current, exprs: out } : null;
}

export function scalarSubqueryToJoin(plan: PlanNode): PlanNode {
  return rewriteWithJoinedInput(plan, hoist);
}
