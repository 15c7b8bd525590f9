/**
 * Rule `lateral_table_function_to_project_set`: `L [CROSS] JOIN [LATERAL] f(args of L) [WITH
 * ORDINALITY]` (an inner join, optionally with an ON condition) becomes a project set over `L`:
 * each output column of `f` is one set-returning call over the same arguments, so the calls
 * yield equally many values and line up row by row; the ordinality column counts them. A left
 * row for which `f` returns no row yields nothing, as in the join. The ON condition, if any,
 * filters the result.
 */
import type { PlanNode, SrfCall } from '../logical.js';
import { visitBound } from '../bound.js';
import { transformPlan } from './walk.js';

function rewrite(p: PlanNode): PlanNode {
  if (p.kind !== 'join' || !p.lateral || p.joinKind !== 'inner' || p.leftKeys.length > 0) return p;
  const f = p.right;
  if (f.kind !== 'tableFunction') return p;
  // The arguments read the left row's columns directly; anything from further out stays a join.
  let plain = true;
  for (const a of f.args)
    visitBound(a, (x) => {
      if (
        x.kind === 'outerColumn' ||
        x.kind === 'param' ||
        x.kind === 'scalarSubquery' ||
        x.kind === 'exists' ||
        x.kind === 'quantifiedSubquery' ||
        x.kind === 'arraySubquery'
      )
        plain = false;
    });
  if (!plain) return p;
  const args = f.args;
  const width = f.schema.length - (f.withOrdinality ? 1 : 0);
  const rowsOf = f.eval;
  const calls: SrfCall[] = f.schema.map((c, j) => ({
    name: j < width ? f.name : `${f.name}_ordinality`,
    args,
    eval:
      j < width
        ? (vals, ctx) => rowsOf(vals, ctx).map((r) => r[j] ?? null)
        : (vals, ctx) => rowsOf(vals, ctx).map((_, i) => BigInt(i + 1)),
    type: c.type,
  }));
  const set: PlanNode = { kind: 'projectSet', input: p.left, calls, schema: p.schema };
  return p.condition
    ? { kind: 'filter', input: set, predicate: p.condition, schema: p.schema }
    : set;
}

/** Applies the rule everywhere in `plan`. */
export function lateralTableFunctionToProjectSet(plan: PlanNode): PlanNode {
  return transformPlan(plan, rewrite);
}
