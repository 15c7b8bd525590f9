/**
 * Row storage of one table: immutable Arrow record batches ("segments") plus a liveness bitmap
 * per segment, and a small mutable tail of rows not yet sealed into a batch. Every row has a
 * stable `RowId` (ids are assigned in insertion order; a segment covers a contiguous id range).
 * A primary-key index maps each key to the row holding it.
 *
 * `seal()` is called at the end of each statement: it turns the tail into a record batch and
 * rewrites the table when more than half of its rows are dead.
 */
import type { Data, RecordBatch, Schema } from 'apache-arrow';
import type { DataType } from '../types/datatype.js';
import type { Row } from '../types/value.js';
import { valueKey } from '../types/compare.js';
import {
  batchToRows,
  columnsToBatch,
  columnsToRows,
  rowsToBatch,
  schemaOf,
} from './arrow-codec.js';

export type RowId = number;

/** Segments with fewer rows are merged when written out (`liveBatches`). */
const SMALL_SEGMENT = 4096;

interface Segment {
  firstId: RowId;
  /** The segment's columns; its record batch is made when first asked for. */
  columns: Data[];
  length: number;
  batch: RecordBatch | null;
  live: Uint8Array;
  /** Decoded rows, filled on first row access and kept because segments never change. */
  rows: Row[] | null;
}

export class TableStore {
  private readonly schema: Schema;
  private segments: Segment[] = [];
  private tail: Row[] = [];
  private tailFirstId: RowId = 0;
  private tailLive: boolean[] = [];
  private nextId: RowId = 0;
  private liveCount = 0;
  private deadCount = 0;
  private readonly pkIndex: Map<string, RowId> | null;

  constructor(
    readonly columns: { name: string; type: DataType }[],
    readonly primaryKey: number[],
  ) {
    this.schema = schemaOf(columns);
    this.pkIndex = primaryKey.length > 0 ? new Map() : null;
  }

  get rowCount(): number {
    return this.liveCount;
  }

  private get types(): DataType[] {
    return this.columns.map((c) => c.type);
  }

  keyOf(row: Row): string {
    return this.primaryKey
      .map((i) => valueKey(row[i] ?? null, this.columns[i]!.type))
      .join('\u0000');
  }

  /** Row currently holding `row`'s primary key, if any. */
  findByKey(row: Row): RowId | undefined {
    return this.pkIndex?.get(this.keyOf(row));
  }

  insert(row: Row): RowId {
    const id = this.nextId++;
    if (this.tail.length === 0) this.tailFirstId = id;
    this.tail.push(row);
    this.tailLive.push(true);
    this.liveCount++;
    this.pkIndex?.set(this.keyOf(row), id);
    return id;
  }

  get(id: RowId): Row | undefined {
    if (id >= this.tailFirstId && this.tail.length > 0) {
      const i = id - this.tailFirstId;
      return this.tailLive[i] ? this.tail[i] : undefined;
    }
    const seg = this.segmentOf(id);
    if (!seg) return undefined;
    const i = id - seg.firstId;
    return seg.live[i] ? this.rowsOf(seg)[i] : undefined;
  }

  delete(id: RowId): Row | undefined {
    let row: Row | undefined;
    if (this.tail.length > 0 && id >= this.tailFirstId) {
      const i = id - this.tailFirstId;
      if (!this.tailLive[i]) return undefined;
      this.tailLive[i] = false;
      row = this.tail[i];
    } else {
      const seg = this.segmentOf(id);
      if (!seg) return undefined;
      const i = id - seg.firstId;
      if (!seg.live[i]) return undefined;
      seg.live[i] = 0;
      row = this.rowsOf(seg)[i];
    }
    if (row === undefined) return undefined;
    this.liveCount--;
    this.deadCount++;
    if (this.pkIndex) {
      const k = this.keyOf(row);
      if (this.pkIndex.get(k) === id) this.pkIndex.delete(k);
    }
    return row;
  }

  /** All live rows with their ids, in insertion order. */
  scan(): { ids: RowId[]; rows: Row[] } {
    const ids: RowId[] = [];
    const rows: Row[] = [];
    for (const seg of this.segments) {
      const segRows = this.rowsOf(seg);
      for (let i = 0; i < segRows.length; i++)
        if (seg.live[i]) {
          ids.push(seg.firstId + i);
          rows.push(segRows[i]!);
        }
    }
    for (let i = 0; i < this.tail.length; i++)
      if (this.tailLive[i]) {
        ids.push(this.tailFirstId + i);
        rows.push(this.tail[i]!);
      }
    return { ids, rows };
  }

  /** The live rows as Arrow record batches (seals the tail first). */
  batches(): RecordBatch[] {
    this.seal();
    return this.segments.map((s) => (s.batch ??= this.recordBatch(s.columns, s.length)));
  }

  clear(): void {
    this.segments = [];
    this.tail = [];
    this.tailLive = [];
    this.liveCount = 0;
    this.deadCount = 0;
    this.pkIndex?.clear();
  }

  seal(): void {
    if (this.deadCount > 0 && this.deadCount * 2 > this.liveCount + this.deadCount) this.compact();
    if (this.tail.length === 0) return;
    const batch = rowsToBatch(this.schema, this.types, this.tail);
    const live = Uint8Array.from(this.tailLive, (b) => (b ? 1 : 0));
    // Rows are read back from the batch so the Arrow data is what queries see.
    this.segments.push({
      firstId: this.tailFirstId,
      batch,
      live,
      rows: batchToRows(batch, this.types),
      columns: batch.data.children,
      length: batch.numRows,
    });
    this.tail = [];
    this.tailLive = [];
  }

  /**
   * Appends Arrow columns already in this table's storage encoding as one segment, without
   * decoding its rows (they are decoded if a later statement reads them row by row). Only for
   * tables without a primary key, whose rows need no conflict check. Returns the first row id.
   */
  appendColumns(columns: Data[], length: number): RowId {
    if (this.pkIndex)
      throw new Error('appendColumns: a table with a primary key takes rows through insert()');
    this.seal();
    const firstId = this.nextId;
    this.nextId += length;
    this.liveCount += length;
    this.segments.push({
      firstId,
      columns,
      length,
      batch: null,
      live: new Uint8Array(length).fill(1),
      rows: null,
    });
    return firstId;
  }

  private rowsOf(seg: Segment): Row[] {
    return (seg.rows ??= columnsToRows(seg.columns, this.types, seg.length));
  }

  private recordBatch(columns: Data[], length: number): RecordBatch {
    return columnsToBatch(this.schema, columns, length);
  }

  /**
   * The live rows as record batches (seals the tail first), for checkpoints: a large segment
   * without dead rows as it is; the live rows of others re-encoded, runs of small segments (one
   * per statement, say) merged into one batch so per-batch overhead does not outgrow the rows.
   */
  liveBatches(): RecordBatch[] {
    this.seal();
    const out: RecordBatch[] = [];
    let merged: Row[] = [];
    const flush = (): void => {
      if (merged.length > 0) out.push(rowsToBatch(this.schema, this.types, merged));
      merged = [];
    };
    for (const s of this.segments) {
      const whole = s.live.every((b) => b === 1);
      if (whole && s.length >= SMALL_SEGMENT) {
        flush();
        out.push((s.batch ??= this.recordBatch(s.columns, s.length)));
        continue;
      }
      const rows = this.rowsOf(s);
      for (let i = 0; i < rows.length; i++) if (s.live[i]) merged.push(rows[i]!);
      if (merged.length >= SMALL_SEGMENT) flush();
    }
    flush();
    return out;
  }

  /** Rewrites all live rows into fresh segments, dropping dead ones (ids are reassigned). */
  private compact(): void {
    const { rows } = this.scan();
    this.clear();
    for (const r of rows) this.insert(r);
  }

  private segmentOf(id: RowId): Segment | undefined {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.segments[mid]!;
      if (id < s.firstId) hi = mid - 1;
      else if (id >= s.firstId + s.length) lo = mid + 1;
      else return s;
    }
    return undefined;
  }
}
