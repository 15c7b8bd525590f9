/**
 * MaterializeExecutor — the integral of a view's change stream: the view's rows, which batch
 * SELECTs read. Insert/U+ add a row, delete/U- remove one. Changes are forwarded unchanged to
 * views defined on this one. State: the view's rows as a multiset.
 */
import type { ColumnSchema } from '../../plan/logical.js';
import type { Row } from '../../types/value.js';
import { opSign, type StreamChunk } from '../chunk.js';
import type { StreamEnv, StreamExecutor } from '../executor.js';
import { RowMultiset } from '../multiset.js';

export class MaterializeExecutor implements StreamExecutor {
  readonly name = 'StreamMaterialize';
  readonly state: RowMultiset;
  constructor(
    readonly viewName: string,
    readonly schema: ColumnSchema[],
  ) {
    this.state = new RowMultiset(schema.map((c) => c.type));
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    chunk.rows.forEach((row, i) => {
      env.stats.stateTouches++;
      this.state.add(row, opSign(chunk.ops[i]!));
    });
    return chunk.size > 0 ? chunk : null;
  }

  rows(): Row[] {
    return this.state.rows();
  }

  describe(): string {
    return `view: ${this.viewName}, columns: [${this.schema.map((c) => c.name).join(', ')}]`;
  }
}
