/** Set-returning functions in a select list (ProjectSet), shared by the batch and stream executors. */
import type { PlanNode } from '../plan/logical.js';
import type { Row } from '../types/value.js';
import type { ExecEnv } from './env.js';
import { compiled } from './eval.js';

/** Each input row repeated once per position of its set-returning calls' results, zipped. */
export function runProjectSet(
  plan: Extract<PlanNode, { kind: 'projectSet' }>,
  input: Row[],
  env: ExecEnv,
): Row[] {
  const calls = plan.calls.map((c) => ({ args: c.args.map(compiled), eval: c.eval }));
  const out: Row[] = [];
  for (const row of input) {
    const results = calls.map((c) =>
      c.eval(
        c.args.map((a) => a(row, env)),
        env.ctx,
      ),
    );
    const n = Math.max(0, ...results.map((r) => r.length));
    for (let i = 0; i < n; i++)
      out.push([...row, ...results.map((r) => (i < r.length ? r[i]! : null))]);
  }
  return out;
}
