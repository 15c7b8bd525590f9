/**
 * TimeWindowExecutor — TUMBLE/HOP window assignment, a row-wise map (possibly one-to-many for
 * HOP): Δ(f) = f(Δ). Every op is kept; an update pair becomes delete/insert because HOP may map
 * its halves to different numbers of windows. Stateless.
 */
import type { ColumnSchema, PlanNode } from '../../plan/logical.js';
import { assignWindows } from '../../exec/time-window.js';
import { exprText } from '../../plan/explain.js';
import { ChunkBuilder, type StreamChunk } from '../chunk.js';
import type { StreamEnv, StreamExecutor } from '../executor.js';

export class TimeWindowExecutor implements StreamExecutor {
  readonly name: string;
  readonly schema: ColumnSchema[];
  constructor(private readonly plan: Extract<PlanNode, { kind: 'timeWindow' }>) {
    this.name = plan.fn === 'tumble' ? 'StreamTumble' : 'StreamHop';
    this.schema = plan.schema;
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    const out = new ChunkBuilder();
    chunk.rows.forEach((row, i) => {
      const op = chunk.ops[i]!;
      const mapped = op === 'U-' ? '-' : op === 'U+' ? '+' : op;
      for (const r of assignWindows(this.plan, [row], env)) out.push(mapped, r);
    });
    return out.build();
  }

  describe(): string {
    const names = this.plan.input.schema.map((c) => c.name);
    return `time_col: ${exprText(this.plan.timeCol, names)}, size: ${exprText(this.plan.size, [])}${this.plan.slide ? `, slide: ${exprText(this.plan.slide, [])}` : ''}`;
  }
}
