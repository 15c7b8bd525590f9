/**
 * ProjectSetExecutor — set-returning functions in a select list (`SELECT generate_series(1, n)`),
 * a row-wise one-to-many map: Δ(f) = f(Δ). Each changed input row yields its rows with the
 * change's op (an update pair becomes delete/insert, as the halves may yield different counts).
 * Stateless.
 */
import type { ColumnSchema, PlanNode } from '../../plan/logical.js';
import { runProjectSet } from '../../exec/executor.js';
import { exprText } from '../../plan/explain.js';
import { ChunkBuilder, type StreamChunk } from '../chunk.js';
import type { StreamEnv, StreamExecutor } from '../executor.js';

export class ProjectSetExecutor implements StreamExecutor {
  readonly name = 'StreamProjectSet';
  readonly schema: ColumnSchema[];
  constructor(private readonly plan: Extract<PlanNode, { kind: 'projectSet' }>) {
    this.schema = plan.schema;
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    const out = new ChunkBuilder();
    chunk.rows.forEach((row, i) => {
      const op = chunk.ops[i]!;
      const mapped = op === 'U-' ? '-' : op === 'U+' ? '+' : op;
      for (const r of runProjectSet(this.plan, [row], env)) out.push(mapped, r);
    });
    return out.build();
  }

  describe(): string {
    const names = this.plan.input.schema.map((c) => c.name);
    return `calls: [${this.plan.calls.map((c) => `${c.name}(${c.args.map((a) => exprText(a, names)).join(', ')})`).join(', ')}]`;
  }
}
