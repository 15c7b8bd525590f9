/**
 * SourceExecutor — the change stream of a table (or of an upstream materialized view): the
 * rows each DML statement inserted (`+`) and deleted (`-`); an UPDATE is its delete then its
 * insert. Stateless: the table's storage is the state.
 */
import type { ColumnSchema } from '../../plan/logical.js';
import type { StreamChunk } from '../chunk.js';
import type { StreamEnv, StreamExecutor } from '../executor.js';
import { passOn, sameColumns } from '../watermark.js';

export class SourceExecutor implements StreamExecutor {
  readonly name: string;
  constructor(
    readonly relation: string,
    readonly schema: ColumnSchema[],
    kind: 'table' | 'view',
  ) {
    this.name = kind === 'table' ? 'StreamTableScan' : 'StreamViewScan';
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk {
    env.stats.rowsIn += chunk.size;
    return chunk;
  }

  watermarkColumns = sameColumns;
  onWatermark = passOn;

  describe(): string {
    return `${this.name === 'StreamTableScan' ? 'table' : 'view'}: ${this.relation}, columns: [${this.schema.map((c) => c.name).join(', ')}]`;
  }
}
