/**
 * What the network surfaces (pgwire, HTTP) need from the engine, and the queue that serialises
 * statement execution: the engine is synchronous and single-threaded, so every statement of
 * every session runs as one queued task, in arrival order, with I/O handled between tasks.
 */
import type { DataType } from '../runtime/types/datatype.js';
import type { Value } from '../runtime/types/value.js';
import type { PreparedStatement, StatementResult } from '../runtime/engine.js';

/** One statement of a simple-query string, ready to run. */
export interface QueryUnit {
  /** The statement's AST kind (`query`, `insert`, `commit`, `rollback`, ...). */
  kind: string;
  run(): StatementResult;
}

export interface BackendSession {
  readonly settings: { timeZone: string; vars: Map<string, string> };
  readonly inTransaction: boolean;
  /** Parses a simple-query string into its statements (throws SqlError on a syntax error). */
  parse(sql: string): QueryUnit[];
  prepare(sql: string, paramTypes: DataType[]): PreparedStatement;
  executePrepared(p: PreparedStatement, params: Value[]): StatementResult;
  /** PostgreSQL text output of a non-null value, in this session's settings. */
  formatValue(v: Value, type: DataType): string;
  /** Applies a startup-packet parameter (`TimeZone`, `application_name`, ...); throws SqlError. */
  applyStartupParameter(name: string, value: string): void;
  close(): void;
}

/** One committed change of a subscribed view's row, values as PostgreSQL text (NULL → null). */
export interface TextChange {
  op: '+' | '-' | 'U-' | 'U+';
  row: (string | null)[];
}

export interface ViewSubscription {
  columns: { name: string; type: DataType }[];
  unsubscribe(): void;
}

export interface Backend {
  connect(info: { user: string; database: string }): BackendSession;
  /**
   * Subscribes to the committed changes of materialized view `name`: `listener` gets one batch
   * per statement that changed it. Throws SqlError (42P01) for an unknown view.
   */
  subscribe?(name: string, listener: (changes: TextChange[]) => void): ViewSubscription;
  /** Each materialized view's current row count, for metrics. */
  viewRowCounts?(): { name: string; rows: number }[];
}

/**
 * FIFO queue of engine tasks; each task runs alone, and I/O runs between tasks. With `durable`,
 * a task's promise settles only once what it wrote is durable: the next task starts at once
 * (so statements of many sessions share one storage write), but none is acknowledged early.
 */
export class StatementQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private idleWaiters: (() => void)[] = [];

  /**
   * `durability.recorded` counts statements that wrote; `waitDurable()` resolves once every
   * one so far is durable (or rejects, 58030). A task that wrote nothing does not wait.
   */
  constructor(
    private readonly durability?: { readonly recorded: number; waitDurable(): Promise<void> },
  ) {}

  /** Runs `fn` after every task queued before it; resolves or rejects with its outcome. */
  run<R>(fn: () => R): Promise<R> {
    this.pending++;
    const next = this.tail.then(
      () =>
        new Promise<{ value: R; written: Promise<void> | undefined }>((resolve, reject) => {
          // setImmediate lets sockets be read (cancel requests, other sessions) between tasks.
          setImmediate(() => {
            try {
              const d = this.durability;
              const before = d?.recorded;
              const value = fn();
              // Asked for within the task, so it waits for this task's writes and no later ones.
              resolve({ value, written: d && d.recorded !== before ? d.waitDurable() : undefined });
            } catch (e) {
              reject(e);
            } finally {
              this.pending--;
              if (this.pending === 0) for (const w of this.idleWaiters.splice(0)) w();
            }
          });
        }),
    );
    this.tail = next.catch(() => undefined);
    return next.then(async ({ value, written }) => {
      await written;
      return value;
    });
  }

  get size(): number {
    return this.pending;
  }

  /** Resolves once no task is queued or running. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
