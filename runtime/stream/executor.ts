/**
 * The stream operator interface. An executor consumes change chunks on one or two inputs and
 * returns the changes of its output, keeping whatever state it needs so that its output always
 * equals its relational operator applied to everything received so far (the DBSP view:
 * each executor is the incremental version `Δ` of a relational operator).
 */
import type { ColumnSchema } from '../plan/logical.js';
import type { ExecEnv } from '../expr/env.js';
import type { StreamChunk } from './chunk.js';
import type { DataType } from '../types/datatype.js';
import type { Row, Value } from '../types/value.js';
import type { StateJson } from '../types/state-value.js';

/** Counters of work done, for tests that check maintenance is proportional to the change. */
export class WorkStats {
  /** State entries read or written (group lookups, join bucket probes, row inserts...). */
  stateTouches = 0;
  /** Rows processed by executors. */
  rowsIn = 0;
}

export interface StreamEnv extends ExecEnv {
  stats: WorkStats;
}

export interface StreamExecutor {
  /** Operator name as EXPLAIN prints it. */
  readonly name: string;
  readonly schema: ColumnSchema[];
  /** Processes changes arriving on input `port` (0, or 1 for the right side of a join). */
  process(chunk: StreamChunk, port: number, env: StreamEnv): StreamChunk | null;
  /** One-line description of the operator's arguments for EXPLAIN. */
  describe(): string;
  /** Output the operator has before any input (a global aggregate's row, constant rows). */
  initial?(env: StreamEnv): StreamChunk | null;
  /**
   * Operators that read the clock (`now()` in a view): moves the operator to the view time,
   * `env.ctx.statementTime`, and returns the changes that follow (rows entering or leaving as
   * time passes). Called at the end of every epoch; `process` applies a pending move before
   * its input, so the operator is never behind the time its input is processed at. Time never
   * goes back: an earlier time changes nothing.
   */
  advanceTime?(env: StreamEnv): StreamChunk | null;
  /**
   * The operator's state, for a checkpoint (stateful operators only). Row data is returned as
   * row sets, which checkpoints store as Arrow IPC; the rest as JSON. Rows are shared, not
   * copied: rows are never changed in place.
   */
  saveState?(): OperatorState;
  /**
   * Restores what `saveState` returned into an operator just planned from the same query, in
   * place of backfilling it: afterwards it behaves exactly as the saved one did. Emits nothing
   * (its consumers restore their own state).
   */
  loadState?(state: OperatorState, env: StreamEnv): void;
  /**
   * Output columns that carry watermarks when input port `p`'s columns `inputs[p]` do (used
   * when planning; see stream/watermark.ts). Executors without it let no watermark through.
   */
  watermarkColumns?(inputs: readonly ReadonlySet<number>[]): Set<number>;
  /**
   * A watermark arrives on `port`: the executor drops state that no later change can reach
   * and returns the rows that closing it emits (emit-on-window-close) and the watermarks of
   * its own output. Only columns `watermarkColumns` named arrive.
   */
  onWatermark?(wm: Watermark, port: number, env: StreamEnv): WatermarkOutput;
}

/**
 * A watermark on column `column`: every later change of the stream has a value of at least
 * `value` in that column, so state keyed below it can no longer change.
 */
export interface Watermark {
  column: number;
  value: Value;
}

export interface WatermarkOutput {
  chunk: StreamChunk | null;
  watermarks: Watermark[];
}

/** A set of rows of an operator's state, with its column types. */
export interface StateRows {
  /** The rows' columns, then `extra`'s. */
  types: DataType[];
  rows: Row[];
  /**
   * Columns stored after the rows' own (one value per row), kept apart so saving references
   * the operator's rows instead of copying each; loaded state has them in its rows.
   */
  extra?: ArrayLike<Value>[];
}

export interface OperatorState {
  meta: StateJson;
  tables: StateRows[];
}
