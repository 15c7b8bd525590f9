/**
 * UnionExecutor — Δ(a ⊎ b) = Δa ⊎ Δb: forwards changes from every input unchanged (UNION ALL).
 * Stateless; UNION (distinct) is this followed by a hash aggregation keyed by every column.
 */
import type { ColumnSchema } from '../../plan/logical.js';
import type { StreamChunk } from '../chunk.js';
import type { StreamEnv, StreamExecutor } from '../executor.js';

export class UnionExecutor implements StreamExecutor {
  readonly name = 'StreamUnion';
  constructor(readonly schema: ColumnSchema[]) {}

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk {
    env.stats.rowsIn += chunk.size;
    return chunk;
  }

  describe(): string {
    return 'all: true';
  }
}
