/**
 * Rule `correlated_scalar_agg_to_join`: a correlated scalar subquery that aggregates the rows
 * matching the outer row by equalities — `(SELECT f(agg(..)) FROM r WHERE r.a = outer.x AND
 * <uncorrelated> )` — becomes a left join of the outer input with the same aggregation grouped by
 * the inner side of those equalities, on the outer side of them. Each group key has one row, so
 * no outer row is repeated; an outer row with no group (or a NULL key, which no equality admits)
 * gets NULL aggregates, which is what each aggregate returns over no rows — except count, which
 * is 0 there and so is read through COALESCE(count, 0). Aggregates whose empty value is unknown
 * here, HAVING, and any other correlation leave the subquery for the planner to refuse.
 */
import type { BoundExpr, PlanNode } from '../logical.js';
import { T } from '../../types/datatype.js';
import { mapBound, visitBound } from '../bound.js';
import { isCorrelated, rewriteWithJoinedInput } from './walk.js';

/** Aggregates that return NULL over no rows. */
export const NULL_WHEN_EMPTY = new Set([
  'sum',
  'avg',
  'min',
  'max',
  'string_agg',
  'array_agg',
  'bool_and',
  'bool_or',
  'every',
  'bit_and',
  'bit_or',
  'bit_xor',
  'jsonb_agg',
  'jsonb_object_agg',
  'stddev',
  'stddev_samp',
  'stddev_pop',
  'variance',
  'var_samp',
  'var_pop',
  'first_value',
  'last_value',
]);

/** Which row an expression reads: only the subquery's (`inner`), only the outer row's, both, none. */
function reads(e: BoundExpr): { inner: boolean; outer: boolean; deep: boolean } {
  const r = { inner: false, outer: false, deep: false };
  visitBound(e, (x) => {
    if (x.kind === 'column') r.inner = true;
    if (x.kind === 'outerColumn') {
      if (x.depth === 1) r.outer = true;
      else r.deep = true;
    }
    if ('plan' in x || x.kind === 'param' || (x.kind === 'call' && x.fn.volatile)) r.deep = true;
  });
  return r;
}

export const hasOuter = (e: BoundExpr): boolean => {
  const r = reads(e);
  return r.outer || r.deep;
};

/**
 * Splits a correlated filter `inner = outer AND ... AND <uncorrelated>` over an uncorrelated
 * input into its equalities — `innerKeys` over the input, `leftKeys` over the outer row read as
 * a join's left row — and the input filtered by the rest. Null for any other correlation.
 */
export function splitCorrelation(
  f: Extract<PlanNode, { kind: 'filter' }>,
): { input: PlanNode; innerKeys: BoundExpr[]; leftKeys: BoundExpr[] } | null {
  if (isCorrelated(f.input)) return null;
  const conjuncts = f.predicate.kind === 'and' ? f.predicate.args : [f.predicate];
  const keep: BoundExpr[] = [];
  const innerKeys: BoundExpr[] = [];
  const outerKeys: BoundExpr[] = [];
  for (const c of conjuncts) {
    if (!hasOuter(c)) {
      keep.push(c);
      continue;
    }
    if (c.kind !== 'binary' || c.name !== '=') return null;
    const l = reads(c.left);
    const r = reads(c.right);
    if (l.deep || r.deep) return null;
    if (l.inner && !l.outer && r.outer && !r.inner) {
      innerKeys.push(c.left);
      outerKeys.push(c.right);
    } else if (r.inner && !r.outer && l.outer && !l.inner) {
      innerKeys.push(c.right);
      outerKeys.push(c.left);
    } else return null;
  }
  if (innerKeys.length === 0) return null;
  const input: PlanNode =
    keep.length === 0
      ? f.input
      : {
          kind: 'filter',
          input: f.input,
          predicate: keep.length === 1 ? keep[0]! : { kind: 'and', args: keep, type: T.boolean },
          schema: f.input.schema,
        };
  // The outer row is the join's left row: its columns keep their indexes.
  const leftKeys = outerKeys.map((e) =>
    mapBound(e, (x) =>
      x.kind === 'outerColumn' ? { kind: 'column', index: x.index, type: x.type } : x,
    ),
  );
  return { input, innerKeys, leftKeys };
}

interface Decorrelated {
  right: PlanNode;
  leftKeys: BoundExpr[];
  rightKeys: BoundExpr[];
  /** The subquery's value over `left ++ right`, given the right side's first column index. */
  value: (base: number) => BoundExpr;
}

function decorrelate(sub: PlanNode): Decorrelated | null {
  let node = sub;
  let proj: BoundExpr | null = null;
  if (node.kind === 'project') {
    if (node.exprs.length !== 1 || hasOuter(node.exprs[0]!)) return null;
    proj = node.exprs[0]!;
    node = node.input;
  }
  if (node.kind !== 'aggregate' || node.groupKeys.length > 0 || node.groupingSets) return null;
  const agg = node;
  for (const a of agg.aggs) {
    if (a.name !== 'count' && !NULL_WHEN_EMPTY.has(a.name)) return null;
    if (
      [...a.args, ...(a.filter ? [a.filter] : []), ...a.orderBy.map((o) => o.expr)].some(hasOuter)
    )
      return null;
  }
  const f = agg.input;
  if (f.kind !== 'filter') return null;
  const split = splitCorrelation(f);
  if (!split) return null;
  const { input: filtered, innerKeys, leftKeys } = split;
  const nk = innerKeys.length;
  const right: PlanNode = {
    kind: 'aggregate',
    input: filtered,
    groupKeys: innerKeys,
    aggs: agg.aggs,
    groupingSets: null,
    schema: [...innerKeys.map((k, i) => ({ name: `key${i}`, type: k.type })), ...agg.schema],
  };
  const rightKeys = innerKeys.map((k, i): BoundExpr => ({
    kind: 'column',
    index: i,
    type: k.type,
  }));
  const value = (base: number): BoundExpr => {
    const aggValue = (j: number): BoundExpr => {
      const a = agg.aggs[j]!;
      const col: BoundExpr = { kind: 'column', index: base + nk + j, type: a.fn.returnType };
      if (a.name !== 'count') return col;
      const zero: BoundExpr = { kind: 'literal', value: 0n, type: a.fn.returnType };
      return { kind: 'coalesce', args: [col, zero], type: a.fn.returnType };
    };
    if (!proj) return aggValue(0);
    return mapBound(proj, (x) => (x.kind === 'column' ? aggValue(x.index) : x));
  };
  return { right, leftKeys, rightKeys, value };
}

function hoist(
  input: PlanNode,
  exprs: BoundExpr[],
): { input: PlanNode; exprs: BoundExpr[] } | null {
  let current = input;
  let changed = false;
  const out = exprs.map((e) =>
    mapBound(e, (x) => {
      if (x.kind !== 'scalarSubquery') return x;
      const d = decorrelate(x.plan);
      if (!d) return x;
      const base = current.schema.length;
      current = {
        kind: 'join',
        joinKind: 'left',
        left: current,
        right: d.right,
        leftKeys: d.leftKeys,
        rightKeys: d.rightKeys,
        condition: null,
        lateral: false,
        schema: [...current.schema, ...d.right.schema],
      };
      changed = true;
      return d.value(base);
    }),
  );
  return changed ? { input: current, exprs: out } : null;
}

export function correlatedScalarAggToJoin(plan: PlanNode): PlanNode {
  return rewriteWithJoinedInput(plan, hoist);
}
