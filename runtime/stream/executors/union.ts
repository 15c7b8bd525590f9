/**
 * UnionExecutor — Δ(a ⊎ b) = Δa ⊎ Δb: forwards changes from every input unchanged (UNION ALL).
 * Stateless; UNION (distinct) is this followed by a hash aggregation keyed by every column.
 */
import type { ColumnSchema } from '../../plan/logical.js';
import type { StreamChunk } from '../chunk.js';
import type { StreamEnv, StreamExecutor, Watermark, WatermarkOutput } from '../executor.js';
import { below, WatermarkTracker } from '../watermark.js';

export class UnionExecutor implements StreamExecutor {
  readonly name = 'StreamUnion';
  private readonly ports: WatermarkTracker[];
  private readonly out: WatermarkTracker;
  constructor(readonly schema: ColumnSchema[]) {
    const types = schema.map((c) => c.type);
    this.ports = [new WatermarkTracker(types), new WatermarkTracker(types)];
    this.out = new WatermarkTracker(types);
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk {
    env.stats.rowsIn += chunk.size;
    return chunk;
  }

  /** Columns with a watermark on every input. */
  watermarkColumns(inputs: readonly ReadonlySet<number>[]): Set<number> {
    return new Set([...(inputs[0] ?? [])].filter((c) => inputs.every((s) => s.has(c))));
  }

  /** The output's watermark is the lower of the inputs' (each input's later rows stay above its own). */
  onWatermark(wm: Watermark, port: number): WatermarkOutput {
    const none = { chunk: null, watermarks: [] };
    if (!this.ports[port]!.advance(wm)) return none;
    const other = this.ports[1 - port]!.get(wm.column);
    if (other === undefined) return none;
    const type = this.schema[wm.column]!.type;
    const value = below(other, wm.value, type) ? other : wm.value;
    const next = { column: wm.column, value };
    return this.out.advance(next) ? { chunk: null, watermarks: [next] } : none;
  }

  describe(): string {
    return 'all: true';
  }
}
