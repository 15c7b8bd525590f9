/** Plan traversal helpers shared by the rewrite rules. */
import type { BoundExpr, PlanNode } from '../logical.js';
import { mapBound, visitBound } from '../bound.js';

/** Rewrites a plan bottom-up: children first, then `f` on the node. */
export function transformPlan(p: PlanNode, f: (p: PlanNode) => PlanNode): PlanNode {
  let n: PlanNode;
  switch (p.kind) {
    case 'join':
      n = { ...p, left: transformPlan(p.left, f), right: transformPlan(p.right, f) };
      break;
    case 'setOp':
      n = { ...p, left: transformPlan(p.left, f), right: transformPlan(p.right, f) };
      break;
    case 'withCtes':
      n = {
        ...p,
        ctes: p.ctes.map((c) => ({
          ...c,
          plan: transformPlan(c.plan, f),
          recursive: c.recursive ? transformPlan(c.recursive, f) : null,
        })),
        input: transformPlan(p.input, f),
      };
      break;
    case 'scan':
    case 'values':
    case 'tableFunction':
    case 'cteScan':
      n = p;
      break;
    default:
      n = { ...p, input: transformPlan(p.input, f) } as PlanNode;
  }
  return f(n);
}

/** Maps expression `e`'s references into a plan whose row is `left ++ right`:
 * outer references (depth 1, the left row) become left columns and the subquery's own columns
 * shift past the left input. Returns null if `e` reads an enclosing query further out. */
export function pullUp(e: BoundExpr, leftWidth: number): BoundExpr | null {
  let ok = true;
  visitBound(e, (x) => {
    if (x.kind === 'outerColumn' && x.depth > 1) ok = false;
    if (
      x.kind === 'scalarSubquery' ||
      x.kind === 'exists' ||
      x.kind === 'quantifiedSubquery' ||
      x.kind === 'arraySubquery'
    )
      ok = false;
  });
  if (!ok) return null;
  return mapBound(e, (x) => {
    if (x.kind === 'outerColumn') return { kind: 'column', index: x.index, type: x.type };
    if (x.kind === 'column') return { ...x, index: x.index + leftWidth };
    return x;
  });
}

/** Whether a plan reads any enclosing query's columns. */
export function isCorrelated(p: PlanNode): boolean {
  let found = false;
  const check = (e: BoundExpr | null | undefined): void => {
    if (!e) return;
    visitBound(e, (x) => {
      if (x.kind === 'outerColumn') found = true;
      if ('plan' in x && x.plan && isCorrelatedBelow(x.plan)) found = true;
    });
  };
  transformPlan(p, (n) => {
    forEachExpr(n, check);
    if (n.kind === 'join' && n.lateral) found = true;
    return n;
  });
  return found;
}

function isCorrelatedBelow(p: PlanNode): boolean {
  // A nested subquery reading depth >= 2 reads past its parent: conservatively correlated.
  let found = false;
  transformPlan(p, (n) => {
    forEachExpr(n, (e) => {
      if (!e) return;
      visitBound(e, (x) => {
        if (x.kind === 'outerColumn' && x.depth >= 2) found = true;
      });
    });
    return n;
  });
  return found;
}

/** Calls `f` on every expression a node evaluates (not those of its children). */
export function forEachExpr(n: PlanNode, f: (e: BoundExpr | null) => void): void {
  switch (n.kind) {
    case 'project':
      n.exprs.forEach(f);
      break;
    case 'filter':
      f(n.predicate);
      break;
    case 'values':
      n.rows.flat().forEach(f);
      break;
    case 'join':
      [...n.leftKeys, ...n.rightKeys].forEach(f);
      f(n.condition);
      break;
    case 'aggregate':
      n.groupKeys.forEach(f);
      for (const a of n.aggs) {
        a.args.forEach(f);
        f(a.filter);
        a.orderBy.forEach((o) => f(o.expr));
      }
      break;
    case 'window':
      for (const c of n.calls) {
        [...c.args, ...c.partitionBy, ...c.orderBy.map((o) => o.expr)].forEach(f);
        f(c.filter);
      }
      break;
    case 'sort':
      n.keys.forEach((k) => f(k.expr));
      break;
    case 'projectSet':
      n.calls.forEach((c) => c.args.forEach(f));
      break;
    case 'limit':
      f(n.limit);
      f(n.offset);
      break;
    case 'distinct':
      n.on?.forEach(f);
      break;
    case 'tableFunction':
      n.args.forEach(f);
      break;
    case 'timeWindow':
      [n.timeCol, n.size, n.slide, n.offset].forEach(f);
      break;
    default:
      break;
  }
}

/**
 * Drives a rule that rewrites a node's expressions by joining new columns onto its input
 * (`hoist` returns the widened input and the rewritten expressions, or null to leave the node):
 * applied to projections and filters; a filter keeps its output shape by projecting the joined
 * columns away again.
 */
export function rewriteWithJoinedInput(
  plan: PlanNode,
  hoist: (input: PlanNode, exprs: BoundExpr[]) => { input: PlanNode; exprs: BoundExpr[] } | null,
): PlanNode {
  return transformPlan(plan, (p) => {
    if (p.kind === 'project') {
      const h = hoist(p.input, p.exprs);
      return h ? { ...p, input: h.input, exprs: h.exprs } : p;
    }
    if (p.kind === 'filter') {
      const h = hoist(p.input, [p.predicate]);
      if (!h) return p;
      const filtered: PlanNode = {
        kind: 'filter',
        input: h.input,
        predicate: h.exprs[0]!,
        schema: h.input.schema,
      };
      return {
        kind: 'project',
        input: filtered,
        exprs: p.schema.map((c, i) => ({ kind: 'column', index: i, type: c.type })),
        schema: p.schema,
      };
    }
    return p;
  });
}
