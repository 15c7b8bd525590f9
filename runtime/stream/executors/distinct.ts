/**
 * DistinctExecutor — Δ(distinct): keeps the count of every distinct row (the integral of its
 * input). A row is emitted as an insert when its count goes 0 → 1 and as a delete when it goes
 * 1 → 0; other changes produce nothing. U-/U+ are treated as delete/insert.
 * State: one counter per distinct row.
 */
import type { ColumnSchema } from '../../plan/logical.js';
import { ChunkBuilder, opSign, type StreamChunk } from '../chunk.js';
import type { StreamEnv, StreamExecutor } from '../executor.js';
import { RowMultiset } from '../multiset.js';

export class DistinctExecutor implements StreamExecutor {
  readonly name = 'StreamDistinct';
  private readonly state: RowMultiset;
  constructor(readonly schema: ColumnSchema[]) {
    this.state = new RowMultiset(schema.map((c) => c.type));
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    const out = new ChunkBuilder();
    chunk.rows.forEach((row, i) => {
      const sign = opSign(chunk.ops[i]!);
      env.stats.stateTouches++;
      const after = this.state.add(row, sign);
      if (sign > 0 && after === 1) out.push('+', row);
      if (sign < 0 && after === 0) out.push('-', row);
    });
    return out.build();
  }

  describe(): string {
    return `columns: [${this.schema.map((c) => c.name).join(', ')}]`;
  }
}
