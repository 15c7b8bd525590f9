/**
 * Rule `set_op_to_aggregate`: `L INTERSECT|EXCEPT [ALL] R` becomes a count per distinct row.
 * Both inputs are tagged (`1, 0` on the left, `0, 1` on the right), unioned, and grouped by every
 * column — grouping treats NULLs as equal, as set operations do — summing the tags into the
 * row's count on each side. A set-returning step then emits each row as many times as the
 * operation keeps it: INTERSECT once if both counts are positive, INTERSECT ALL min(l, r) times,
 * EXCEPT once if only the left count is, EXCEPT ALL l - r times. Every step is one the dataflow
 * already maintains incrementally (union, hash aggregation with retraction, project set).
 */
import type { BoundExpr, ColumnSchema, PlanNode, SrfCall } from '../logical.js';
import { T } from '../../types/datatype.js';
import type { Value } from '../../types/value.js';
import { lookupAggregate } from '../../functions/index.js';
import { transformPlan } from './walk.js';

/** How many copies of a row with `l` left and `r` right occurrences the operation keeps. */
export function setOpCopies(
  op: 'intersect' | 'except',
  all: boolean,
  l: number,
  r: number,
): number {
  if (op === 'intersect') return all ? Math.min(l, r) : l > 0 && r > 0 ? 1 : 0;
  return all ? Math.max(l - r, 0) : l > 0 && r === 0 ? 1 : 0;
}

const sameType = (a: ColumnSchema, b: ColumnSchema): boolean =>
  JSON.stringify(a.type) === JSON.stringify(b.type);

function rewrite(p: PlanNode): PlanNode {
  if (p.kind !== 'setOp' || p.op === 'union') return p;
  const { op, all } = p;
  const k = p.schema.length;
  // The binder gives both inputs the output's column types; anything else is left alone.
  if (
    p.left.schema.length !== k ||
    p.right.schema.length !== k ||
    p.schema.some((c, i) => !sameType(c, p.left.schema[i]!) || !sameType(c, p.right.schema[i]!))
  )
    return p;
  const sum = lookupAggregate('sum')?.resolve([T.int4], false);
  if (!sum) return p;
  const cols = (n: number): BoundExpr[] =>
    p.schema.slice(0, n).map((c, i) => ({ kind: 'column', index: i, type: c.type }));
  const lit = (v: number): BoundExpr => ({ kind: 'literal', value: v, type: T.int4 });
  const tagSchema: ColumnSchema[] = [
    ...p.schema,
    { name: 'left_count', type: T.int4 },
    { name: 'right_count', type: T.int4 },
  ];
  const tag = (input: PlanNode, l: number, r: number): PlanNode => ({
    kind: 'project',
    input,
    exprs: [...cols(k), lit(l), lit(r)],
    schema: tagSchema,
  });
  const union: PlanNode = {
    kind: 'setOp',
    op: 'union',
    all: true,
    left: tag(p.left, 1, 0),
    right: tag(p.right, 0, 1),
    schema: tagSchema,
  };
  const count = (index: number): BoundExpr => ({ kind: 'column', index, type: T.int4 });
  const agg: PlanNode = {
    kind: 'aggregate',
    input: union,
    groupKeys: cols(k),
    aggs: [k, k + 1].map((i) => ({
      name: 'sum',
      fn: sum,
      args: [count(i)],
      distinct: false,
      filter: null,
      orderBy: [],
      star: false,
    })),
    groupingSets: null,
    schema: [
      ...p.schema,
      { name: 'left_count', type: sum.returnType },
      { name: 'right_count', type: sum.returnType },
    ],
  };
  const num = (v: Value): number => (v === null ? 0 : Number(v as bigint | number));
  const copies: SrfCall = {
    name: `${op}${all ? '_all' : ''}_copies`,
    args: [
      { kind: 'column', index: k, type: sum.returnType },
      { kind: 'column', index: k + 1, type: sum.returnType },
    ],
    eval: (v) => {
      const n = setOpCopies(op, all, num(v[0] ?? null), num(v[1] ?? null));
      return Array.from({ length: n }, (_, i) => i + 1);
    },
    type: T.int4,
  };
  const expanded: PlanNode = {
    kind: 'projectSet',
    input: agg,
    calls: [copies],
    schema: [...agg.schema, { name: 'copy', type: T.int4 }],
  };
  return { kind: 'project', input: expanded, exprs: cols(k), schema: p.schema };
}

/** Applies the rule everywhere in `plan`. */
export function setOpToAggregate(plan: PlanNode): PlanNode {
  return transformPlan(plan, rewrite);
}
