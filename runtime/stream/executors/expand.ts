/**
 * Base of the stateless one-to-many row maps (ProjectSet, TUMBLE/HOP): Δ(f) = f(Δ). Each
 * changed input row yields its output rows with the change's op; an update pair becomes a
 * delete and an insert, since its halves may yield different numbers of rows.
 */
import type { Row } from '../../types/value.js';
import { ChunkBuilder, type StreamChunk } from '../chunk.js';
import type { StreamEnv } from '../executor.js';

export abstract class ExpandExecutor {
  /** The output rows of one input row. */
  protected abstract expand(row: Row, env: StreamEnv): Row[];

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    const out = new ChunkBuilder();
    chunk.rows.forEach((row, i) => {
      const op = chunk.ops[i]!;
      const mapped = op === 'U-' ? '-' : op === 'U+' ? '+' : op;
      for (const r of this.expand(row, env)) out.push(mapped, r);
    });
    return out.build();
  }
}
