/**
 * Rule `lateral_subquery_to_join`: `L [LEFT] JOIN LATERAL (subquery)` whose subquery reads the
 * left row only through equalities `inner = L.x` in its WHERE becomes a plain join of `L` with
 * the subquery computed once for every key value, on those keys:
 * - an aggregate without GROUP BY yields one row per left row even over no matching rows, so it
 *   becomes the aggregate grouped by the keys, left-joined; an outer row with no group reads
 *   NULL for each aggregate (what it returns over no rows) and 0 for count, through COALESCE, and
 *   the subquery's projection is evaluated above the join;
 * - a grouped aggregate or a plain filter/projection becomes the same query with the keys added
 *   to its GROUP BY or output, joined as the LATERAL join was (inner or left, with its ON
 *   condition), then the key columns are projected away.
 * Other forms (top-N, HAVING, correlation elsewhere, an ON condition on a LEFT JOIN over a
 * global aggregate) stay LATERAL for the stream planner to refuse.
 */
import type { BoundExpr, PlanNode } from '../logical.js';
import { mapBound, shiftColumns } from '../bound.js';
import { NULL_WHEN_EMPTY, hasOuter, splitCorrelation } from './correlated-scalar-agg-to-join.js';
import { transformPlan } from './walk.js';

const col = (index: number, type: BoundExpr['type']): BoundExpr => ({
  kind: 'column',
  index,
  type,
});

function rewrite(p: PlanNode): PlanNode {
  if (p.kind !== 'join' || !p.lateral || p.leftKeys.length > 0) return p;
  if (p.joinKind !== 'inner' && p.joinKind !== 'left') return p;
  const cond =
    p.condition && !(p.condition.kind === 'literal' && p.condition.value === true)
      ? p.condition
      : null;
  const nl = p.left.schema.length;
  let node = p.right;
  let proj: Extract<PlanNode, { kind: 'project' }> | null = null;
  if (node.kind === 'project') {
    if (node.exprs.some(hasOuter)) return p;
    proj = node;
    node = node.input;
  }
  let agg: Extract<PlanNode, { kind: 'aggregate' }> | null = null;
  if (node.kind === 'aggregate') {
    if (node.groupingSets || node.groupKeys.some(hasOuter)) return p;
    for (const a of node.aggs)
      if (
        [...a.args, ...(a.filter ? [a.filter] : []), ...a.orderBy.map((o) => o.expr)].some(hasOuter)
      )
        return p;
    agg = node;
    node = node.input;
  }
  if (node.kind !== 'filter') return p;
  const split = splitCorrelation(node);
  if (!split) return p;
  const { input, innerKeys, leftKeys } = split;
  const nk = innerKeys.length;
  const leftCols = p.left.schema.map((c, i) => col(i, c.type));

  if (agg && agg.groupKeys.length === 0) {
    // One row per outer row: a left join with the aggregate grouped by the keys.
    if (cond && p.joinKind === 'left') return p;
    if (agg.aggs.some((a) => a.name !== 'count' && !NULL_WHEN_EMPTY.has(a.name))) return p;
    const right: PlanNode = {
      kind: 'aggregate',
      input,
      groupKeys: innerKeys,
      aggs: agg.aggs,
      groupingSets: null,
      schema: [...innerKeys.map((k, i) => ({ name: `key${i}`, type: k.type })), ...agg.schema],
    };
    const join: PlanNode = {
      kind: 'join',
      joinKind: 'left',
      left: p.left,
      right,
      leftKeys,
      rightKeys: innerKeys.map((k, i) => col(i, k.type)),
      condition: null,
      lateral: false,
      schema: [...p.left.schema, ...right.schema],
    };
    const aggValue = (j: number): BoundExpr => {
      const a = agg.aggs[j]!;
      const c = col(nl + nk + j, a.fn.returnType);
      if (a.name !== 'count') return c;
      const zero: BoundExpr = { kind: 'literal', value: 0n, type: a.fn.returnType };
      return { kind: 'coalesce', args: [c, zero], type: a.fn.returnType };
    };
    const values = proj
      ? proj.exprs.map((e) => mapBound(e, (x) => (x.kind === 'column' ? aggValue(x.index) : x)))
      : agg.aggs.map((_, j) => aggValue(j));
    const out: PlanNode = {
      kind: 'project',
      input: join,
      exprs: [...leftCols, ...values],
      schema: p.schema,
    };
    return cond ? { kind: 'filter', input: out, predicate: cond, schema: p.schema } : out;
  }

  // Several rows per outer row, or none: the subquery for all keys, joined on them.
  let body: PlanNode = input;
  let exprs: BoundExpr[];
  if (agg) {
    body = {
      kind: 'aggregate',
      input,
      groupKeys: [...innerKeys, ...agg.groupKeys],
      aggs: agg.aggs,
      groupingSets: null,
      schema: [...innerKeys.map((k, i) => ({ name: `key${i}`, type: k.type })), ...agg.schema],
    };
    exprs = proj
      ? proj.exprs.map((e) => shiftColumns(e, nk))
      : agg.schema.map((c, i) => col(nk + i, c.type));
    exprs = [...exprs, ...innerKeys.map((k, i) => col(i, k.type))];
  } else {
    exprs = [...(proj ? proj.exprs : input.schema.map((c, i) => col(i, c.type))), ...innerKeys];
  }
  const m = p.right.schema.length;
  const right: PlanNode = {
    kind: 'project',
    input: body,
    exprs,
    schema: [...p.right.schema, ...innerKeys.map((k, i) => ({ name: `key${i}`, type: k.type }))],
  };
  const join: PlanNode = {
    kind: 'join',
    joinKind: p.joinKind,
    left: p.left,
    right,
    leftKeys,
    rightKeys: innerKeys.map((k, i) => col(m + i, k.type)),
    condition: cond,
    lateral: false,
    schema: [...p.left.schema, ...right.schema],
  };
  return {
    kind: 'project',
    input: join,
    exprs: [...leftCols, ...p.right.schema.map((c, i) => col(nl + i, c.type))],
    schema: p.schema,
  };
}

/** Applies the rule everywhere in `plan`. */
export function lateralSubqueryToJoin(plan: PlanNode): PlanNode {
  return transformPlan(plan, rewrite);
}
