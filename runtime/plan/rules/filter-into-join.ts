/**
 * Rule `filter_into_join`: a filter over an inner join (`FROM a, b WHERE a.k = b.k AND ...`)
 * becomes part of the join: conjuncts over one input move below the join onto that input
 * (through nested inner joins), the rest join the condition, and `join_keys` turns its
 * equalities into hash keys. Without it the dataflow would join every row with every row and
 * filter afterwards. Conjuncts with volatile calls or outer references stay where they are.
 */
import type { BoundExpr, PlanNode } from '../logical.js';
import { T } from '../../types/datatype.js';
import { shiftColumns } from '../bound.js';
import { side, splitJoinKeys } from './join-keys.js';
import { transformPlan } from './walk.js';

type Join = Extract<PlanNode, { kind: 'join' }>;

function conjuncts(e: BoundExpr): BoundExpr[] {
  return e.kind === 'and' ? e.args.flatMap(conjuncts) : [e];
}

function and(es: BoundExpr[]): BoundExpr | null {
  return es.length === 0
    ? null
    : es.length === 1
      ? es[0]!
      : { kind: 'and', args: es, type: T.boolean };
}

const isInner = (p: PlanNode): p is Join =>
  p.kind === 'join' && p.joinKind === 'inner' && !p.lateral;

/** `p` with `conds` (over its output row) applied: merged into an inner join, else a filter. */
function withFilter(p: PlanNode, conds: BoundExpr[]): PlanNode {
  if (conds.length === 0) return p;
  if (isInner(p)) return mergeIntoJoin(p, conds);
  return { kind: 'filter', input: p, predicate: and(conds)!, schema: p.schema };
}

function mergeIntoJoin(j: Join, conds: BoundExpr[]): PlanNode {
  const nl = j.left.schema.length;
  const left: BoundExpr[] = [];
  const right: BoundExpr[] = [];
  const rest: BoundExpr[] = j.condition ? conjuncts(j.condition) : [];
  for (const c of conds) {
    const s = side(c, nl);
    if (s === 'left') left.push(c);
    else if (s === 'right') right.push(shiftColumns(c, -nl));
    else rest.push(c);
  }
  return splitJoinKeys({
    ...j,
    left: withFilter(j.left, left),
    right: withFilter(j.right, right),
    condition: and(rest),
  });
}

export function filterIntoJoin(plan: PlanNode): PlanNode {
  return transformPlan(plan, (p) => {
    if (p.kind !== 'filter' || !isInner(p.input)) return p;
    const all = conjuncts(p.predicate);
    // Impure conjuncts (volatile calls, outer references) keep their place above the join.
    const movable = all.filter(pure);
    const kept = all.filter((c) => !movable.includes(c));
    const joined = mergeIntoJoin(p.input, movable);
    return kept.length
      ? { kind: 'filter', input: joined, predicate: and(kept)!, schema: p.schema }
      : joined;
  });
}

/** No volatile call or outer reference: with every column on one side, only those say 'both'. */
function pure(c: BoundExpr): boolean {
  return side(c, Number.MAX_SAFE_INTEGER) !== 'both';
}
