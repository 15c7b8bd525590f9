/**
 * The source loop: the engine's own reader of its connectors (runtime/exec/connector.ts). It
 * reads every active connector — each connector table, and each source some materialized view
 * consumes — at the connector's rate (`datagen.rows.per.second`, one Nexmark event per
 * `nexmark.min.event.gap.in.ns`), in small batches, and commits each batch as one statement
 * through `Session.ingestConnector`: views, subscriptions, durability (rows and the connector's
 * offset in one epoch) and watermarks see it as they see an INSERT.
 *
 * Between two batches the loop gives the event loop a turn, so a client's statement waits for
 * one batch at most. Rows owed pile up only to `maxBacklogMs` worth of the rate (a stall does
 * not cause a burst), and a source that loses its last consumer stops reading; when a view
 * consumes it again it resumes from its offset, at its rate from then on. The loop sleeps while
 * nothing is due and wakes on every catalog change. Clocks and timers are injectable, and
 * `step()` runs one turn by hand (tests).
 */
import type { Database, Session } from './engine.js';

export interface SourceLoopOptions {
  /** Monotonic milliseconds, for rates; default `performance.now`. */
  clock?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /**
   * Runs one batch's statement and resolves with its outcome. Default: at once, then waits for
   * `written`. A server passes its statement queue, so batches take turns with clients'
   * statements and wait for their epoch to be durable.
   */
  run?: (ingest: () => number) => Promise<number>;
  /** Awaited after each batch the default `run` committed: durability's back-pressure. */
  written?: () => Promise<void>;
  /** Rows per batch at most, below each connector's own limit; default none. */
  maxBatchRows?: number;
  /** Rows owed are capped at this many milliseconds of the rate; default 1000. */
  maxBacklogMs?: number;
  /** Told when a connector stops on an error (one line). */
  log?: (line: string) => void;
}

export interface ConnectorStatus {
  relation: string;
  connector: string;
  /** Events read so far. */
  offset: number;
  /** Reading now: a connector table, or a source a materialized view consumes. */
  active: boolean;
  /** A bounded stream that has ended. */
  done: boolean;
  /** Why the connector stopped reading, if it failed. */
  error?: string;
}

/** The longest sleep between turns while some connector is active. */
const MAX_SLEEP_MS = 1000;

export class SourceLoop {
  private readonly session: Session;
  private readonly clock: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly run: (ingest: () => number) => Promise<number>;
  private readonly maxBacklogMs: number;
  /** Per active connector: when its pacing began and how many events it has read since. */
  private readonly pace = new Map<number, { since: number; read: number }>();
  private readonly errors = new Map<number, string>();
  private running = false;
  private timer: unknown;
  private timerAt = Infinity;
  private turning: Promise<void> | null = null;
  private again = false;
  private readonly onChange = (): void => this.schedule(0);

  constructor(
    readonly db: Database,
    private readonly o: SourceLoopOptions = {},
  ) {
    this.session = db.connect();
    this.clock = o.clock ?? (() => performance.now());
    this.setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = o.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.run =
      o.run ??
      (async (ingest) => {
        const n = ingest();
        await o.written?.();
        return n;
      });
    this.maxBacklogMs = o.maxBacklogMs ?? 1000;
  }

  /** Starts reading (in the background, by timers), and wakes on every catalog change. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.db.onCatalogChange = this.onChange;
    this.schedule(0);
  }

  /** Stops reading; resolves once a batch under way is committed. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.db.onCatalogChange === this.onChange) this.db.onCatalogChange = undefined;
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    await this.turning;
  }

  status(): ConnectorStatus[] {
    return [...this.db.connectors].map(([id, c]) => {
      const error = this.errors.get(id);
      return {
        relation: c.relation,
        connector: c.connector,
        offset: c.offset,
        active: this.db.connectorActive(id),
        done: c.done,
        ...(error !== undefined ? { error } : {}),
      };
    });
  }

  /**
   * One turn: every active connector with events due reads one batch of them, each batch one
   * statement, with a turn of the event loop between batches. Resolves with the rows ingested
   * and the milliseconds until more fall due (0: at once; Infinity: no connector is reading).
   */
  async step(): Promise<{ rows: number; nextMs: number }> {
    let rows = 0;
    let nextMs = Infinity;
    let batches = 0;
    for (const id of [...this.db.connectors.keys()]) {
      const c = this.db.connectors.get(id);
      if (!c) continue;
      if (this.errors.has(id) || c.done || !this.db.connectorActive(id)) {
        // Paced afresh when it reads again: an idle spell owes nothing.
        this.pace.delete(id);
        continue;
      }
      const now = this.clock();
      let p = this.pace.get(id);
      if (!p) {
        p = { since: now, read: 0 };
        this.pace.set(id, p);
      }
      const limit = Math.min(c.maxBatch, this.o.maxBatchRows ?? Infinity);
      let owed = limit;
      if (c.rate !== Infinity) {
        owed = Math.floor(((now - p.since) * c.rate) / 1000) - p.read;
        const cap = Math.max(1, Math.ceil((c.rate * this.maxBacklogMs) / 1000));
        if (owed > cap) {
          p.read += owed - cap;
          owed = cap;
        }
      }
      const n = Math.min(owed, limit);
      if (n >= 1) {
        if (batches++ > 0) await this.yieldTurn();
        const before = c.offset;
        let failure: { error: unknown } | undefined;
        const ingest = (): number => {
          // The relation may have been dropped, or lost its last consumer, meanwhile.
          if (this.db.connectors.get(id) !== c || !this.db.connectorActive(id)) return 0;
          try {
            return this.session.ingestConnector(id, n);
          } catch (error) {
            failure = { error };
            return 0;
          }
        };
        try {
          rows += await this.run(ingest);
        } catch (e) {
          // The batch is in, but could not be made durable (storage): try again later.
          this.o.log?.(`source loop: ${e instanceof Error ? e.message : String(e)}`);
          return { rows, nextMs: MAX_SLEEP_MS };
        }
        p.read += c.offset - before;
        if (failure) {
          const e = failure.error;
          const message = e instanceof Error ? e.message : String(e);
          this.errors.set(id, message);
          this.o.log?.(`${c.connector} connector of "${c.relation}" stopped: ${message}`);
          continue;
        }
      }
      if (c.done) continue;
      if (c.rate === Infinity) nextMs = 0;
      else {
        const dueAt = p.since + ((p.read + 1) * 1000) / c.rate;
        nextMs = Math.min(nextMs, Math.max(0, dueAt - this.clock()));
      }
    }
    for (const id of this.errors.keys()) if (!this.db.connectors.has(id)) this.errors.delete(id);
    for (const id of this.pace.keys()) if (!this.db.connectors.has(id)) this.pace.delete(id);
    return { rows, nextMs };
  }

  private yieldTurn(): Promise<void> {
    return new Promise((resolve) => this.setTimer(resolve, 0));
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.turning) {
      // A turn is under way: another follows it at once.
      this.again = true;
      return;
    }
    const at = this.clock() + ms;
    if (this.timer !== undefined) {
      if (at >= this.timerAt) return;
      this.clearTimer(this.timer);
    }
    this.timerAt = at;
    this.timer = this.setTimer(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.turn();
    }, ms);
  }

  private turn(): void {
    if (!this.running || this.turning) return;
    this.again = false;
    this.turning = (async () => {
      let next = Infinity;
      try {
        next = (await this.step()).nextMs;
      } catch (e) {
        this.o.log?.(`source loop: ${e instanceof Error ? e.message : String(e)}`);
        next = MAX_SLEEP_MS;
      } finally {
        this.turning = null;
      }
      if (this.again) next = 0;
      if (next < Infinity) this.schedule(Math.min(next, MAX_SLEEP_MS));
    })();
  }
}
