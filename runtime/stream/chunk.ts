/**
 * Stream chunks: a batch of row changes, each row tagged with an op — insert `+`, delete `-`,
 * and the two halves of an update, `U-` (old row) immediately followed by `U+` (new row).
 * Operators exchange chunks, row-major or columnar (see ColumnarForm); `toColumnar()` gives any
 * chunk as Arrow columns with signs, the form the kernels read.
 */
import type { Data } from 'apache-arrow';
import type { Row } from '../types/value.js';
import { columnsToRows, rowsToColumns } from '../storage/arrow-codec.js';
import type { DataType } from '../types/datatype.js';

export type Op = '+' | '-' | 'U-' | 'U+';

/** +1 for rows entering (`+`, `U+`), -1 for rows leaving (`-`, `U-`). */
export function opSign(op: Op): 1 | -1 {
  return op === '+' || op === 'U+' ? 1 : -1;
}

/**
 * A chunk's columnar form: the changed rows as Arrow columns in the storage encoding
 * (see arrow-codec), which executors with a vectorised path read column by column and hand to
 * the Wasm kernels. `sel` lists the batch rows the chunk holds (a filter narrows it without
 * copying columns); `signs` gives +1 (insert) or -1 (delete) per batch row. Columnar chunks carry
 * no update pairs: an update is its delete and its insert.
 */
export interface ColumnarForm {
  /** One Arrow column per output column, each of `length` rows. */
  columns: Data[];
  length: number;
  types: DataType[];
  /** Ascending batch row indexes in the chunk; null = every row. */
  sel: Int32Array | null;
  /** +1/-1 per batch row; null = all inserts. */
  signs: Int8Array | null;
}

/**
 * A ColumnarForm with one fixed object shape. Forms are built in several places (literals,
 * spreads); the vectorised executors' hot loops read them, and objects of several shapes there
 * make the optimizing compiler give up on those loops again and again.
 */
class ColumnarBatch implements ColumnarForm {
  constructor(
    readonly columns: Data[],
    readonly length: number,
    readonly types: DataType[],
    readonly sel: Int32Array | null,
    readonly signs: Int8Array | null,
  ) {}
}

/** `f` in the one shape executors see (see ColumnarBatch). */
export function columnarForm(f: ColumnarForm): ColumnarForm {
  return f instanceof ColumnarBatch
    ? f
    : new ColumnarBatch(f.columns, f.length, f.types, f.sel, f.signs);
}

export class StreamChunk {
  private _ops: Op[] | null;
  private _rows: Row[] | null;
  /** Present when the chunk came from a columnar source; rows and ops are then decoded lazily. */
  readonly columnar: ColumnarForm | null;

  constructor(ops: Op[], rows: Row[]) {
    this._ops = ops;
    this._rows = rows;
    this.columnar = null;
  }

  /** A chunk over Arrow columns; row-at-a-time executors see its rows decoded on first use. */
  static fromColumns(form: ColumnarForm): StreamChunk {
    const c = new StreamChunk([], []);
    c._ops = null;
    c._rows = null;
    (c as { columnar: ColumnarForm | null }).columnar = columnarForm(form);
    return c;
  }

  get size(): number {
    if (this._rows) return this._rows.length;
    const f = this.columnar!;
    return f.sel ? f.sel.length : f.length;
  }

  get rows(): Row[] {
    return (this._rows ??= decodeRows(this.columnar!));
  }

  get ops(): Op[] {
    if (this._ops) return this._ops;
    const { sel, signs } = this.columnar!;
    const n = this.size;
    const ops = new Array<Op>(n);
    for (let j = 0; j < n; j++) ops[j] = signs && signs[sel ? sel[j]! : j]! < 0 ? '-' : '+';
    return (this._ops = ops);
  }

  static inserts(rows: Row[]): StreamChunk {
    return new StreamChunk(
      rows.map(() => '+'),
      rows,
    );
  }

  /**
   * The chunk's columnar form: its own, or its rows as Arrow columns of `types` (the storage
   * encoding) with its ops as signs.
   */
  toColumnar(types: DataType[]): ColumnarForm {
    if (this.columnar) return this.columnar;
    const { ops, rows } = this;
    const signs = new Int8Array(ops.length);
    for (let i = 0; i < ops.length; i++) signs[i] = opSign(ops[i]!);
    return new ColumnarBatch(rowsToColumns(types, rows), rows.length, types, null, signs);
  }
}

function decodeRows(f: ColumnarForm): Row[] {
  const rows = columnsToRows(f.columns, f.types, f.length);
  if (!f.sel) return rows;
  return Array.from(f.sel, (i) => rows[i]!);
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

/**
 * The changes a filter with state passes on: `apply(row, sign)` records each change and says
 * whether the row is in the output, and the passing changes go to `out` — an update pair whose
 * halves both pass stays a pair, one whose halves differ becomes the insert or delete of the
 * passing half.
 */
export function filterChanges(
  chunk: StreamChunk,
  apply: (row: Row, sign: 1 | -1) => boolean,
  out: ChunkBuilder,
): void {
  const { ops, rows } = chunk;
  for (let i = 0; i < rows.length; i++) {
    const op = ops[i]!;
    const row = rows[i]!;
    if (op === 'U-' && ops[i + 1] === 'U+') {
      const next = rows[i + 1]!;
      const a = apply(row, -1);
      const b = apply(next, 1);
      if (a && b) out.update(row, next);
      else if (a) out.push('-', row);
      else if (b) out.push('+', next);
      i++;
      continue;
    }
    if (apply(row, opSign(op))) out.push(opSign(op) > 0 ? '+' : '-', row);
  }
}
