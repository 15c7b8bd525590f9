/**
 * Stream chunks: a batch of row changes, each row tagged with an op — insert `+`, delete `-`,
 * and the two halves of an update, `U-` (old row) immediately followed by `U+` (new row).
 * Operators exchange chunks; `toArrow()` gives the Arrow RecordBatch plus op vector form that
 * kernels and the wire read.
 */
import type { RecordBatch } from 'apache-arrow';
import type { ColumnSchema } from '../plan/logical.js';
import type { Row } from '../types/value.js';
import { rowsToBatch, schemaOf } from '../storage/arrow-codec.js';

export type Op = '+' | '-' | 'U-' | 'U+';

/** +1 for rows entering (`+`, `U+`), -1 for rows leaving (`-`, `U-`). */
export function opSign(op: Op): 1 | -1 {
  return op === '+' || op === 'U+' ? 1 : -1;
}

export class StreamChunk {
  constructor(
    readonly ops: Op[],
    readonly rows: Row[],
  ) {}

  get size(): number {
    return this.rows.length;
  }

  static inserts(rows: Row[]): StreamChunk {
    return new StreamChunk(
      rows.map(() => '+'),
      rows,
    );
  }

  /** The chunk as an Arrow record batch with its op vector (0 `+`, 1 `-`, 2 `U-`, 3 `U+`). */
  toArrow(schema: ColumnSchema[]): { batch: RecordBatch; ops: Int8Array } {
    const batch = rowsToBatch(
      schemaOf(schema),
      schema.map((c) => c.type),
      this.rows,
    );
    const codes: Record<Op, number> = { '+': 0, '-': 1, 'U-': 2, 'U+': 3 };
    return { batch, ops: Int8Array.from(this.ops, (o) => codes[o]) };
  }
}

/** Accumulates output changes of an operator while it processes a chunk. */
export class ChunkBuilder {
  private ops: Op[] = [];
  private rows: Row[] = [];

  push(op: Op, row: Row): void {
    this.ops.push(op);
    this.rows.push(row);
  }

  /** Emits an update as a `U-`/`U+` pair. */
  update(oldRow: Row, newRow: Row): void {
    this.push('U-', oldRow);
    this.push('U+', newRow);
  }

  build(): StreamChunk | null {
    if (this.rows.length === 0) return null;
    const c = new StreamChunk(this.ops, this.rows);
    this.ops = [];
    this.rows = [];
    return c;
  }
}
