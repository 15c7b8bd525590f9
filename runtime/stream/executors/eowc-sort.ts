/**
 * EowcSortExecutor — emit on window close: holds back a view's changes until the watermark of
 * its window column passes them, then emits each row once, final, as an insert. In between,
 * inserts and U+ add a row to the pending set and deletes and U- remove one, so the updates an
 * aggregate makes while its window is open cancel out and only its last value leaves. Later
 * changes never reach a row that was emitted: the watermark says none can arrive below it.
 *
 * State: the pending rows as a multiset per value of the window column, those values in
 * order, and the watermark last applied. Checkpoints save the pending rows with their counts
 * and the watermark.
 */
import type { ColumnSchema } from '../../plan/logical.js';
import type { Row, Value } from '../../types/value.js';
import { compareValues } from '../../types/compare.js';
import { exactRowKey, RowMultiset } from '../multiset.js';
import { ChunkBuilder, opSign, StreamChunk } from '../chunk.js';
import type {
  OperatorState,
  StreamEnv,
  StreamExecutor,
  Watermark,
  WatermarkOutput,
} from '../executor.js';
import { T } from '../../types/datatype.js';
import { decodeValue, encodeValue, type StateJson } from '../../types/state-value.js';
import { SqlError, SqlState } from '../../errors.js';
import { below } from '../watermark.js';

interface Bucket {
  value: Value;
  rows: RowMultiset;
}

export class EowcSortExecutor implements StreamExecutor {
  readonly name = 'StreamEowcSort';
  /** Pending rows per window-column value (exact key of the value). */
  private readonly buckets = new Map<string, Bucket>();
  /** Keys of `buckets` in ascending order of their values. */
  private order: Bucket[] = [];
  /** The last watermark applied (rows below it were emitted). */
  private closed: Value = null;

  constructor(
    readonly schema: ColumnSchema[],
    /** The column whose watermark closes rows. */
    readonly column: number,
  ) {}

  private get type() {
    return this.schema[this.column]!.type;
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): null {
    env.stats.rowsIn += chunk.size;
    const { rows, ops } = chunk;
    const types = this.schema.map((c) => c.type);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const v = row[this.column]!;
      if (this.closed !== null && (v === null || below(v, this.closed, this.type)))
        throw new SqlError(
          SqlState.internalError,
          'a change arrived for a window already closed by the watermark',
        );
      env.stats.stateTouches++;
      const key = exactRowKey([v], [this.type]);
      let b = this.buckets.get(key);
      if (!b) {
        b = { value: v, rows: new RowMultiset(types) };
        this.buckets.set(key, b);
        this.insertOrdered(b);
      }
      b.rows.add(row, opSign(ops[i]!));
      if (b.rows.size === 0) {
        this.buckets.delete(key);
        this.order.splice(this.order.indexOf(b), 1);
      }
    }
    return null;
  }

  private insertOrdered(b: Bucket): void {
    const t = this.type;
    let lo = 0;
    let hi = this.order.length;
    // NULLs sort last: no watermark ever closes them.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.order[mid]!.value;
      const less = b.value === null ? false : m === null ? true : compareValues(m, b.value, t) < 0;
      if (less) lo = mid + 1;
      else hi = mid;
    }
    this.order.splice(lo, 0, b);
  }

  watermarkColumns(inputs: readonly ReadonlySet<number>[]): Set<number> {
    return new Set(inputs[0]);
  }

  /** Emits every pending row whose window column lies below the watermark. */
  onWatermark(wm: Watermark): WatermarkOutput {
    if (wm.column !== this.column) return { chunk: null, watermarks: [wm] };
    const t = this.type;
    let n = 0;
    while (n < this.order.length && below(this.order[n]!.value, wm.value, t)) n++;
    const out = new ChunkBuilder();
    for (const b of this.order.slice(0, n)) {
      for (const row of b.rows.rows()) out.push('+', row);
      this.buckets.delete(exactRowKey([b.value], [t]));
    }
    this.order = this.order.slice(n);
    if (this.closed === null || below(this.closed, wm.value, t)) this.closed = wm.value;
    return { chunk: out.build(), watermarks: [wm] };
  }

  saveState(): OperatorState {
    const rows: Row[] = [];
    for (const b of this.order)
      for (const e of b.rows.entries.values()) rows.push([...e.row, BigInt(e.count)]);
    return {
      meta: { closed: encodeValue(this.closed) },
      tables: [{ types: [...this.schema.map((c) => c.type), T.int8], rows }],
    };
  }

  loadState(state: OperatorState, env: StreamEnv): void {
    const meta = state.meta as { closed: StateJson };
    this.closed = decodeValue(meta.closed);
    const n = this.schema.length;
    const rows: Row[] = [];
    for (const r of state.tables[0]!.rows) {
      const row = r.slice(0, n);
      for (let c = Number(r[n] as bigint); c > 0; c--) rows.push(row);
    }
    this.process(StreamChunk.inserts(rows), 0, env);
  }

  describe(): string {
    return `window_column: ${this.schema[this.column]!.name}`;
  }
}
