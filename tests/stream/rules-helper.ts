/** Helpers for rewrite-rule tests: bind a query on a scratch database and print plans. */
import { Database } from '../../runtime/engine.js';
import { parseStatements } from '../../runtime/sql/parser.js';
import { Binder } from '../../runtime/binder/binder.js';
import { explainPlan } from '../../runtime/plan/explain.js';
import type { PlanNode } from '../../runtime/plan/logical.js';

export function bindPlan(setup: string, sql: string): PlanNode {
  const session = new Database().connect();
  session.execute(setup);
  const stmt = parseStatements(sql)[0];
  if (!stmt || stmt.kind !== 'query') throw new Error('expected a query');
  return new Binder(session.db.catalog, { timeZone: 'UTC', statementTime: 0n }).bindQuery(
    stmt.query,
    null,
  ).plan;
}

export function planText(p: PlanNode): string {
  return explainPlan(p).join('\n');
}

/** The first node of `kind` in pre-order. */
export function findNode<K extends PlanNode['kind']>(
  p: PlanNode,
  kind: K,
): Extract<PlanNode, { kind: K }> | null {
  if (p.kind === kind) return p as Extract<PlanNode, { kind: K }>;
  const kids: PlanNode[] =
    p.kind === 'join' || p.kind === 'setOp'
      ? [p.left, p.right]
      : p.kind === 'withCtes'
        ? [...p.ctes.map((c) => c.plan), p.input]
        : 'input' in p
          ? [p.input]
          : [];
  for (const k of kids) {
    const f = findNode(k, kind);
    if (f) return f;
  }
  return null;
}
