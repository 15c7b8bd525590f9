/**
 * Rule `subquery_to_semi_join`: a WHERE conjunct `EXISTS (q)`, `x IN (q)`, `x op ANY (q)` becomes
 * a semi join of the filter's input with `q`; `NOT EXISTS`, `x NOT IN (q)`, `x op ALL (q)` an
 * anti join. A correlated `q` of the form `[project] → filter(uncorrelated input, predicate)`
 * has its predicate pulled up into the join condition, its outer references reading the left
 * row. NOT IN keeps SQL's NULL semantics: a left row survives only if no right row makes
 * `x = y` true or unknown.
 */
import type { BoundExpr, PlanNode } from '../logical.js';
import { T } from '../../types/datatype.js';
import { isCorrelated, pullUp, transformPlan } from './walk.js';
import { splitJoinKeys } from './join-keys.js';

interface Inner {
  /** Uncorrelated input of the subquery. */
  input: PlanNode;
  /** Pulled-up correlated predicate over left ++ input, or null. */
  condition: BoundExpr | null;
  /** The subquery's single output column over `input`'s row (IN / ANY / ALL), if projected. */
  column: BoundExpr | null;
}

/** Decomposes a subquery plan into an uncorrelated input plus a predicate to pull up. */
function decompose(q: PlanNode, leftWidth: number): Inner | null {
  let column: BoundExpr | null = null;
  let node = q;
  if (node.kind === 'project') {
    column = node.exprs[0] ?? null;
    node = node.input;
  }
  if (!isCorrelated(node)) {
    return { input: node, condition: null, column: column ? pullUp(column, leftWidth) : null };
  }
  if (node.kind !== 'filter' || isCorrelated(node.input)) return null;
  const condition = pullUp(node.predicate, leftWidth);
  if (!condition) return null;
  const col = column ? pullUp(column, leftWidth) : null;
  if (column && !col) return null;
  return { input: node.input, condition, column: col };
}

function and(parts: (BoundExpr | null)[]): BoundExpr | null {
  const xs = parts.filter((x): x is BoundExpr => x !== null);
  if (xs.length === 0) return null;
  return xs.length === 1 ? xs[0]! : { kind: 'and', args: xs, type: T.boolean };
}

function rewriteConjunct(input: PlanNode, c: BoundExpr): PlanNode | null {
  const nl = input.schema.length;
  // `NOT EXISTS (q)` is bound as a NOT around EXISTS.
  if (c.kind === 'not' && c.arg.kind === 'exists') c = { ...c.arg, negated: !c.arg.negated };
  if (c.kind === 'exists') {
    const inner = decompose(c.plan, nl);
    if (!inner) return null;
    return splitJoinKeys({
      kind: 'join',
      joinKind: c.negated ? 'anti' : 'semi',
      left: input,
      right: inner.input,
      leftKeys: [],
      rightKeys: [],
      condition: inner.condition,
      lateral: false,
      schema: input.schema,
    });
  }
  if (c.kind === 'quantifiedSubquery') {
    if (c.left.kind === 'outerColumn' || !pullUp(c.left, 0)) return null;
    const inner = decompose(c.plan, nl);
    if (!inner) return null;
    const right: BoundExpr = inner.column ?? {
      kind: 'column',
      index: nl,
      type: c.plan.schema[0]!.type,
    };
    const cmp: BoundExpr = {
      kind: 'binary',
      name: c.opName,
      op: c.op,
      left: c.left,
      right,
      type: T.boolean,
    };
    if (!c.all) {
      return splitJoinKeys({
        kind: 'join',
        joinKind: 'semi',
        left: input,
        right: inner.input,
        leftKeys: [],
        rightKeys: [],
        condition: and([cmp, inner.condition]),
        lateral: false,
        schema: input.schema,
      });
    }
    // x op ALL (q): no row of q may make `x op y` false or unknown.
    const violates: BoundExpr = {
      kind: 'isBool',
      arg: cmp,
      value: true,
      negated: true,
      type: T.boolean,
    };
    return {
      kind: 'join',
      joinKind: 'anti',
      left: input,
      right: inner.input,
      leftKeys: [],
      rightKeys: [],
      condition: and([violates, inner.condition]),
      lateral: false,
      schema: input.schema,
    };
  }
  return null;
}

export function subqueryToSemiJoin(plan: PlanNode): PlanNode {
  return transformPlan(plan, (p) => {
    if (p.kind !== 'filter') return p;
    const conjuncts = p.predicate.kind === 'and' ? p.predicate.args : [p.predicate];
    let input = p.input;
    const rest: BoundExpr[] = [];
    for (const c of conjuncts) {
      const joined = rewriteConjunct(input, c);
      if (joined) input = joined;
      else rest.push(c);
    }
    if (input === p.input) return p;
    const pred = and(rest);
    return pred ? { kind: 'filter', input, predicate: pred, schema: p.schema } : input;
  });
}
