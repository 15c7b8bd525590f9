/**
 * The playground's data generator loop: a built-in generator (Nexmark or clickstream, from
 * `runtime/sources`) feeding its tables at a requested rate. It runs where the engine runs (the
 * worker, or Node in tests): on each timer tick it works out how many rows the rate owes since
 * the last one and inserts them through the engine's call queue, so every batch is an ordinary
 * write (views update, subscriptions fire) that interleaves with the user's statements.
 *
 * Starting creates the generator's tables when they are missing; when they exist, the generator
 * resumes at the number of rows they hold (each event is one row), so a restarted page carries
 * on with the events that would have followed. Event times are the wall clock, spread evenly
 * over each tick, so windows open and close as the user watches.
 */
import { Table, Int64, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { SqlError, type Sluice } from '../../runtime/index.js';
import {
  CLICKSTREAM_TABLES,
  GENERATOR_KINDS,
  NEXMARK_TABLES,
  createGenerator,
  type EventGenerator,
  type GeneratedTable,
  type GeneratorOptions,
} from '../../runtime/sources/index.js';
import type { Row } from '../../runtime/types/value.js';
import type { EngineError, GeneratorKind, GeneratorStatus } from './protocol.js';

/** Time between ticks. */
export const TICK_MS = 100;
export const MIN_RATE = 1;
export const MAX_RATE = 200_000;
/** Rows owed are capped at this many seconds' worth: a slow insert does not cause a burst. */
const MAX_BACKLOG_S = 0.5;
/** Rows per batch at most: a user's statement waits for one batch at most this large. */
const MAX_BATCH = 10_000;
/** The window over which the achieved rate is measured. */
const MEASURE_MS = 2000;

export interface LoopHost {
  /** Runs `fn` with the open database in the engine's call queue (after earlier calls). */
  serial<T>(fn: (db: Sluice) => Promise<T>): Promise<T>;
  /** An error as the page shows it. */
  error(e: unknown): EngineError;
}

export interface LoopClock {
  /** Monotonic milliseconds, for rates. */
  now(): number;
  /** Epoch milliseconds, for event times. */
  wallClock(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const SYSTEM_CLOCK: LoopClock = {
  now: () => performance.now(),
  wallClock: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function generatorTables(kind: GeneratorKind): readonly GeneratedTable[] {
  return kind === 'nexmark' ? NEXMARK_TABLES : CLICKSTREAM_TABLES;
}

function checkRate(rate: number): number {
  if (!Number.isFinite(rate) || rate < MIN_RATE || rate > MAX_RATE)
    // 22023: invalid_parameter_value.
    throw new SqlError('22023', `the rate must be between ${MIN_RATE} and ${MAX_RATE} rows/s`);
  return rate;
}

/** Generated rows as an Arrow table named by the table's columns (the fast insert path). */
function arrowTable(columns: readonly string[], rows: Row[]): Table {
  const vectors: Record<string, Vector> = {};
  columns.forEach((name, j) => {
    const values = rows.map((r) => r[j] ?? null);
    const sample = values.find((v) => v !== null) ?? null;
    if (typeof sample === 'bigint') {
      vectors[name] = values.every((v) => v !== null)
        ? vectorFromArray(BigInt64Array.from(values as bigint[]))
        : vectorFromArray(values as (bigint | null)[], new Int64());
    } else if (sample === null || typeof sample === 'string') {
      vectors[name] = vectorFromArray(values as (string | null)[], new Utf8());
    } else throw new Error(`generated column "${name}" holds a ${typeof sample}`);
  });
  return new Table(vectors);
}

export class GeneratorLoop {
  private kind: GeneratorKind | null = null;
  private generator: EventGenerator | undefined;
  private rate = 0;
  private running = false;
  private inserted = 0;
  private error: EngineError | undefined;
  /** Bumped by every start, pause and stop: ticks of an older run do nothing. */
  private run = 0;
  private timer: unknown;
  private lastTick = 0;
  private owed = 0;
  /** Event time of the last generated row (epoch ms), so times never go back. */
  private lastEventMs = 0;
  /** The event clock read by the generator: evenly spaced times within the current tick. */
  private eventClock = { base: 0, step: 0, index: 0 };
  private samples: { at: number; rows: number }[] = [];

  constructor(
    private readonly host: LoopHost,
    private readonly clock: LoopClock = SYSTEM_CLOCK,
  ) {}

  status(): GeneratorStatus {
    const now = this.clock.now();
    // Since the newest sample at least MEASURE_MS old (or the first of this run).
    const base = this.samples[0];
    const measured =
      this.running && base && now > base.at
        ? ((this.inserted - base.rows) * 1000) / (now - base.at)
        : 0;
    return {
      kind: this.kind,
      running: this.running,
      rowsPerSecond: this.rate,
      rowsInserted: this.inserted,
      offset: this.generator?.offset ?? 0,
      measuredRowsPerSecond: Math.round(measured),
      tables: this.kind ? generatorTables(this.kind).map((t) => t.name) : [],
      ...(this.error ? { error: this.error } : {}),
    };
  }

  /** Starts `kind` (stopping any other), creating its tables if missing. */
  start(kind: GeneratorKind, rowsPerSecond: number): Promise<GeneratorStatus> {
    const rate = checkRate(rowsPerSecond);
    // The kind comes from the page as a plain string.
    if (!(GENERATOR_KINDS as readonly string[]).includes(kind))
      throw new SqlError(
        '22023',
        `unknown generator "${String(kind)}": use nexmark or clickstream`,
      );
    this.halt();
    const run = this.run;
    return this.host.serial(async (db) => {
      const tables = generatorTables(kind);
      const found = await db.query("SELECT relname FROM pg_catalog.pg_class WHERE relkind = 'r'");
      const existing = new Set(found.rows.map((r) => r[0]));
      let offset = 0;
      for (const t of tables) {
        if (!existing.has(t.name)) {
          await db.execute(t.ddl);
          continue;
        }
        const { rows } = await db.query(`SELECT count(*) FROM "${t.name}"`);
        offset += Number(rows[0]?.[0] ?? 0);
      }
      const options: GeneratorOptions =
        kind === 'nexmark'
          ? {
              'nexmark.use.real.time': true,
              // With real time, the gap only sets how long auctions stay open: as long as the
              // next 100 auctions take to arrive at this rate.
              'nexmark.min.event.gap.in.ns': Math.round(1e9 / rate),
            }
          : { 'clickstream.use.real.time': true };
      const clock = this.eventClock;
      const generator = createGenerator(kind, options, {
        seed: 0,
        offset,
        now: () => Math.round(clock.base + clock.step * clock.index++),
      });
      if (run !== this.run) return this.status(); // stopped while creating the tables
      this.kind = kind;
      this.generator = generator;
      this.rate = rate;
      this.inserted = 0;
      this.error = undefined;
      this.lastEventMs = this.clock.wallClock();
      this.begin();
      return this.status();
    });
  }

  setRate(rowsPerSecond: number): GeneratorStatus {
    this.rate = checkRate(rowsPerSecond);
    return this.status();
  }

  /** Stops inserting; resolves once a batch under way has been written. */
  pause(): Promise<GeneratorStatus> {
    this.halt();
    return this.host.serial(async () => this.status());
  }

  resume(): GeneratorStatus {
    if (!this.generator || !this.kind) throw new SqlError('55000', 'no generator has been started'); // object not in prerequisite state
    if (!this.running && !this.generator.done) {
      this.error = undefined;
      this.begin();
    }
    return this.status();
  }

  /** Forgets the generator (the database is being reset or closed). */
  stop(): void {
    this.halt();
    this.kind = null;
    this.generator = undefined;
    this.inserted = 0;
    this.error = undefined;
  }

  private begin(): void {
    this.run++;
    this.running = true;
    this.owed = 0;
    this.lastTick = this.clock.now();
    this.samples = [{ at: this.lastTick, rows: this.inserted }];
    this.schedule(this.run, 0);
  }

  private halt(): void {
    this.run++;
    this.running = false;
    this.samples = [];
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(run: number, delay: number): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.tick(run);
    }, delay);
  }

  private async tick(run: number): Promise<void> {
    if (run !== this.run) return;
    const started = this.clock.now();
    this.owed = Math.min(
      this.owed + (this.rate * (started - this.lastTick)) / 1000,
      Math.max(1, this.rate * MAX_BACKLOG_S),
    );
    this.lastTick = started;
    const n = Math.min(Math.floor(this.owed), MAX_BATCH);
    if (n > 0) {
      this.owed -= n;
      try {
        await this.host.serial((db) => this.insert(db, run, n));
      } catch (e) {
        if (run === this.run) {
          this.error = this.host.error(e);
          this.halt();
        }
        return;
      }
    }
    if (run !== this.run) return;
    const now = this.clock.now();
    this.samples.push({ at: now, rows: this.inserted });
    while (this.samples.length > 1 && now - this.samples[1]!.at >= MEASURE_MS) this.samples.shift();
    if (this.generator?.done) {
      this.halt();
      return;
    }
    this.schedule(run, Math.max(0, TICK_MS - (now - started)));
  }

  private async insert(db: Sluice, run: number, n: number): Promise<void> {
    const g = this.generator;
    // Paused (or restarted) after this batch was queued: nothing more goes in.
    if (run !== this.run || !g) return;
    const wall = Math.max(this.clock.wallClock(), this.lastEventMs);
    this.eventClock.base = this.lastEventMs;
    this.eventClock.step = (wall - this.lastEventMs) / n;
    this.eventClock.index = 1;
    this.lastEventMs = wall;
    for (const b of g.next(n)) {
      const table = g.tables.find((t) => t.name === b.table)!;
      this.inserted += await db.insert(b.table, arrowTable(table.columns, b.rows));
    }
  }
}
