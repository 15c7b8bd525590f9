/**
 * Subscriptions to a materialized view's changes. A subscriber node hangs off the view's
 * materialize node and buffers the changes of the running statement; when the statement ends
 * (its changes are committed) the buffer is delivered as one batch, in order.
 */
import type { ColumnSchema } from '../plan/logical.js';
import type { Row } from '../types/value.js';
import type { Op, StreamChunk } from './chunk.js';
import type { StreamEnv, StreamExecutor } from './executor.js';

export interface Change {
  op: Op;
  row: Row;
}

export class SubscriberExecutor implements StreamExecutor {
  readonly name = 'StreamSubscriber';
  private buffer: Change[] = [];
  constructor(
    readonly schema: ColumnSchema[],
    private readonly deliver: (changes: Change[]) => void,
  ) {}

  process(chunk: StreamChunk, _port: number, env: StreamEnv): null {
    env.stats.rowsIn += chunk.size;
    chunk.rows.forEach((row, i) => this.buffer.push({ op: chunk.ops[i]!, row }));
    return null;
  }

  /** Delivers the buffered changes, if any (called when a statement commits). */
  flush(): void {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.deliver(batch);
  }

  describe(): string {
    return '';
  }
}
