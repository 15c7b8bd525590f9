/**
 * Rule `join_keys`: moves `l = r` conjuncts of a join condition, with `l` over the left input and
 * `r` over the right one, into hash keys.
 */
import type { BoundExpr, PlanNode } from '../logical.js';
import { T, typesEqual } from '../../types/datatype.js';
import { shiftColumns, visitBound } from '../bound.js';

function side(e: BoundExpr, nl: number): 'left' | 'right' | 'both' | 'none' {
  let s: 'left' | 'right' | 'both' | 'none' = 'none';
  let pure = true;
  visitBound(e, (x) => {
    if (x.kind === 'column') {
      const here = x.index < nl ? 'left' : 'right';
      s = s === 'none' || s === here ? here : 'both';
    }
    if (x.kind === 'outerColumn' || (x.kind === 'call' && x.fn.volatile) || 'plan' in x)
      pure = false;
  });
  return pure ? s : 'both';
}

export function splitJoinKeys(p: Extract<PlanNode, { kind: 'join' }>): PlanNode {
  if (p.lateral || !p.condition) return p;
  const nl = p.left.schema.length;
  const conjuncts = p.condition.kind === 'and' ? p.condition.args : [p.condition];
  const leftKeys = p.leftKeys.slice();
  const rightKeys = p.rightKeys.slice();
  const rest: BoundExpr[] = [];
  for (const c of conjuncts) {
    if (c.kind === 'binary' && c.name === '=' && typesEqual(c.left.type, c.right.type)) {
      const l = side(c.left, nl);
      const r = side(c.right, nl);
      if (l === 'left' && r === 'right') {
        leftKeys.push(c.left);
        rightKeys.push(shiftColumns(c.right, -nl));
        continue;
      }
      if (l === 'right' && r === 'left') {
        leftKeys.push(c.right);
        rightKeys.push(shiftColumns(c.left, -nl));
        continue;
      }
    }
    rest.push(c);
  }
  return {
    ...p,
    leftKeys,
    rightKeys,
    condition:
      rest.length === 0
        ? null
        : rest.length === 1
          ? rest[0]!
          : { kind: 'and', args: rest, type: T.boolean },
  };
}
