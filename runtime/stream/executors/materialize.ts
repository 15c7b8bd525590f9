/**
 * MaterializeExecutor — the integral of a view's change stream: the view's rows, which batch
 * SELECTs read. Insert/U+ add a row, delete/U- remove one. Changes are forwarded unchanged to
 * views defined on this one. State: the view's rows as a multiset, or — when the planner knows
 * the rows are unique on some columns (an aggregate's group key) — as one row per key, which
 * is cheaper to find. Inserts into the multiset wait in a list until the first retraction
 * (a view over an append-only table may never see one), so an insert-only stream costs no
 * per-row key. Checkpoints save the rows (each repeated by its count).
 */
import type { ColumnSchema } from '../../plan/logical.js';
import type { Row } from '../../types/value.js';
import { opSign, type StreamChunk } from '../chunk.js';
import type { OperatorState, StreamEnv, StreamExecutor } from '../executor.js';
import { passOn, sameColumns } from '../watermark.js';
import { KeyedRows, RowMultiset } from '../multiset.js';

export class MaterializeExecutor implements StreamExecutor {
  readonly name = 'StreamMaterialize';
  readonly state: RowMultiset | KeyedRows;
  constructor(
    readonly viewName: string,
    readonly schema: ColumnSchema[],
    /** Columns the view's rows are unique on, if known. */
    uniqueKey: number[] | null = null,
  ) {
    const types = schema.map((c) => c.type);
    this.state = uniqueKey ? new KeyedRows(uniqueKey, types) : new RowMultiset(types);
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    const { rows, ops } = chunk;
    const state = this.state;
    env.stats.stateTouches += rows.length;
    if (state instanceof RowMultiset) {
      let i = 0;
      while (i < rows.length && (ops[i] === '+' || ops[i] === 'U+')) i++;
      if (i === rows.length) {
        for (const r of rows) this.pending.push(r);
        return chunk.size > 0 ? chunk : null;
      }
      this.flushPending();
    }
    for (let i = 0; i < rows.length; i++) {
      // An update pair replaces a keyed row in place.
      if (ops[i] === 'U-' && ops[i + 1] === 'U+' && state instanceof KeyedRows) {
        state.update(rows[i]!, rows[i + 1]!);
        i++;
      } else state.add(rows[i]!, opSign(ops[i]!));
    }
    return chunk.size > 0 ? chunk : null;
  }

  /** Inserted rows not yet in the multiset (see the class comment). */
  private pending: Row[] = [];

  private flushPending(): void {
    if (this.pending.length === 0) return;
    for (const r of this.pending) this.state.add(r, 1);
    this.pending = [];
  }

  rows(): Row[] {
    const held = this.state.rows();
    if (this.pending.length === 0) return held;
    return held.length === 0 ? this.pending.slice() : held.concat(this.pending);
  }

  saveState(): OperatorState {
    return { meta: null, tables: [{ types: this.schema.map((c) => c.type), rows: this.rows() }] };
  }

  loadState(state: OperatorState): void {
    for (const row of state.tables[0]!.rows) this.state.add(row, 1);
  }

  watermarkColumns = sameColumns;
  onWatermark = passOn;

  describe(): string {
    return `view: ${this.viewName}, columns: [${this.schema.map((c) => c.name).join(', ')}]`;
  }
}
