/**
 * The stream operator interface. An executor consumes change chunks on one or two inputs and
 * returns the changes of its output, keeping whatever state it needs so that its output always
 * equals its relational operator applied to everything received so far (the DBSP view:
 * each executor is the incremental version `Δ` of a relational operator).
 */
import type { ColumnSchema } from '../plan/logical.js';
import type { ExecEnv } from '../exec/env.js';
import type { StreamChunk } from './chunk.js';

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
}
