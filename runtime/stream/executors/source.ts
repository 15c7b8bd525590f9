/**
 * SourceExecutor — the change stream of a table (or of an upstream materialized view, or of a
 * source): the rows each DML statement inserted (`+`) and deleted (`-`); an UPDATE is its
 * delete then its insert; a source's batches are inserts only. Stateless: the table's storage
 * is the state (a source keeps none: its rows reach the views once, as they are read).
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
    kind: 'table' | 'view' | 'source',
  ) {
    this.name =
      kind === 'table' ? 'StreamTableScan' : kind === 'source' ? 'StreamSource' : 'StreamViewScan';
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk {
    env.stats.rowsIn += chunk.size;
    return chunk;
  }

  watermarkColumns = sameColumns;
  onWatermark = passOn;

  describe(): string {
    const kind =
      this.name === 'StreamTableScan' ? 'table' : this.name === 'StreamSource' ? 'source' : 'view';
    return `${kind}: ${this.relation}, columns: [${this.schema.map((c) => c.name).join(', ')}]`;
  }
}
