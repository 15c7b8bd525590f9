/**
 * The embedding API: `Sluice.open()` gives a database handle that runs SQL, inserts rows,
 * and streams the committed changes of materialized views to subscribers. The same API runs
 * in Node and in browsers; every method is async so a worker-backed handle can share it.
 */
import { canInsertArrow } from './exec/ingest.js';
import { tableFromArrays, type Table } from 'apache-arrow';
import { Database, type ColumnInfo, type Session, type StatementResult } from './engine.js';
import type { Row, Value } from './types/value.js';
import type { Change } from './stream/subscription.js';
import { SqlError, SqlState } from './errors.js';
import { rowsToBatch, schemaOf } from './storage/arrow-codec.js';
import { Table as ArrowTable } from 'apache-arrow';
import { Durability } from './durability/durability.js';
import type { ObjectStore } from './storage/object-store.js';
import { IndexedDbObjectStore } from './storage/indexeddb-store.js';
import { SourceLoop, type ConnectorStatus, type SourceLoopOptions } from './source-loop.js';

export { SqlError, SqlState } from './errors.js';
export type { ColumnInfo, StatementResult } from './engine.js';
export type { Change } from './stream/subscription.js';
export type { ObjectStore } from './storage/object-store.js';
export { MemoryObjectStore } from './storage/object-store.js';
export type { Value, Row } from './types/value.js';
export type { ConnectorStatus, SourceLoopOptions } from './source-loop.js';

export type StorageOption =
  'memory' | { dir: string } | { s3: string } | { indexedDb: string } | { store: ObjectStore };

/**
 * The object store a storage option names (null: memory only). The Node backends are loaded
 * only when asked for, by a path computed at run time, so browser bundles never include them.
 */
async function openObjectStore(storage: StorageOption): Promise<ObjectStore | null> {
  if (storage === 'memory') return null;
  if ('store' in storage) return storage.store;
  if ('indexedDb' in storage) return IndexedDbObjectStore.open(storage.indexedDb);
  const nodeModule = async <M>(path: string): Promise<M> => (await import(path)) as M;
  if ('dir' in storage) {
    const m = await nodeModule<typeof import('../server/storage/folder-store.js')>(
      '../server/storage/folder-store.js',
    );
    return m.FolderObjectStore.open(storage.dir);
  }
  if ('s3' in storage) {
    const m = await nodeModule<typeof import('../server/storage/s3-store.js')>(
      '../server/storage/s3-store.js',
    );
    return m.s3StoreFromUrl(storage.s3);
  }
  throw new SqlError(
    SqlState.invalidParameterValue,
    `unknown storage option ${JSON.stringify(storage)}: use 'memory', { dir }, { s3 }, { indexedDb } or { store }`,
  );
}

export interface OpenOptions {
  storage?: StorageOption;
  /**
   * How sources and connector tables are read: by the database's own loop (the default, with
   * these options), or — `false` — not at all (nothing is ingested; for tools that only read).
   */
  sources?: SourceLoopOptions | false;
  /**
   * The clock, in microseconds since the epoch: `now()` in statements, and the time views
   * reading the clock (temporal filters) are at. Default: the system clock.
   */
  clock?: () => bigint;
  /**
   * How often (milliseconds) views that read the clock move to the current time on their own,
   * as an epoch subscribers see; 0: only at statements and `advanceTime()`. Default 1000.
   */
  tickMs?: number;
  /** Told of a failed tick; default: `console.error`. */
  onTickError?: (err: unknown) => void;
}

export interface QueryResult {
  columns: ColumnInfo[];
  rows: Row[];
  /** The rows as an Arrow table (Sluice's internal column encoding). */
  table: Table;
}

export interface ExecuteResult {
  command: string;
  rowCount: number;
}

export class Sluice {
  private readonly loop: SourceLoop | null;
  private stopTicks: () => void = () => undefined;

  private constructor(
    private readonly db: Database,
    private readonly session: Session,
    private readonly durability: Durability | null,
    sources: SourceLoopOptions | false | undefined,
  ) {
    if (sources === false) this.loop = null;
    else {
      this.loop = new SourceLoop(db, {
        ...(durability ? { written: () => durability.waitDurable() } : {}),
        ...sources,
      });
      this.loop.start();
    }
  }

  private startTicks(o: OpenOptions): this {
    const ms = o.tickMs ?? 1000;
    if (ms > 0)
      this.stopTicks = this.db.tickEvery(ms, {
        onError:
          o.onTickError ?? ((err) => console.error('Sluice: advancing view time failed', err)),
      });
    return this;
  }

  /**
   * Opens a database: in memory, or recovered from durable storage — an IndexedDB database
   * (browsers), a local folder or S3 (Node), or any `ObjectStore`. Every write method resolves
   * once its effects are durable.
   */
  static async open(options: OpenOptions = {}): Promise<Sluice> {
    const db = new Database({ clock: options.clock });
    const store = await openObjectStore(options.storage ?? 'memory');
    if (!store) return new Sluice(db, db.connect(), null, options.sources).startTicks(options);
    const { durability } = await Durability.open(db, store);
    return new Sluice(db, db.connect(), durability, options.sources).startTicks(options);
  }

  /**
   * Moves views that read the clock (temporal filters) to the current time now, as the
   * periodic tick does; resolves once that is durable.
   */
  async advanceTime(): Promise<void> {
    this.db.advanceTime();
    return this.written(undefined);
  }

  /** Resolves once every statement so far is durable (at once in memory). */
  private async written<T>(value: T): Promise<T> {
    await this.durability?.waitDurable();
    return value;
  }

  /** Runs one or more statements; returns the last one's command tag and row count. */
  async execute(sql: string, params: unknown[] = []): Promise<ExecuteResult> {
    const results = this.session.execute(sql, params as Value[]);
    const last: StatementResult | undefined = results[results.length - 1];
    return this.written({ command: last?.tag ?? '', rowCount: last?.rowCount ?? 0 });
  }

  /** Runs a query with `$n` parameters and returns its rows. */
  async query(sql: string, params: unknown[] = []): Promise<QueryResult> {
    const p = this.session.prepare(sql);
    // Parameters may be plain JS values (numbers, strings, Dates): binding converts them.
    const r = this.session.executePrepared(p, params as Value[]);
    const columns = r.columns ?? [];
    const rows = r.rows ?? [];
    const table = new ArrowTable(
      rowsToBatch(
        schemaOf(columns),
        columns.map((c) => c.type),
        rows,
      ),
    );
    return { columns, rows, table };
  }

  /**
   * Inserts rows into a table: objects keyed by column name (missing columns are NULL), or an
   * Arrow table whose columns are named like the table's.
   */
  async insert(table: string, rows: Record<string, unknown>[] | Table): Promise<number> {
    const rel = this.db.catalog.get(table);
    if (!rel || rel.kind !== 'table')
      throw new SqlError(SqlState.undefinedTable, `relation "${table}" does not exist`);
    // Arrow data goes in column by column, without SQL text.
    if (!Array.isArray(rows) && canInsertArrow(rel))
      return this.written(this.session.insertArrow(table, rows).rowCount ?? 0);
    const objects: Record<string, unknown>[] = Array.isArray(rows)
      ? rows
      : rows.toArray().map((r) => (r as { toJSON(): Record<string, unknown> }).toJSON());
    if (objects.length === 0) return 0;
    const names = rel.columns.map((c) => c.name);
    const params: Value[] = [];
    const tuples = objects.map((o) => {
      for (const k of Object.keys(o))
        if (!names.includes(k))
          throw new SqlError(
            SqlState.undefinedColumn,
            `column "${k}" of relation "${table}" does not exist`,
          );
      return `(${names
        .map((n) => {
          params.push((o[n] ?? null) as Value);
          return `$${params.length}`;
        })
        .join(', ')})`;
    });
    const quoted = names.map((n) => `"${n.replace(/"/g, '""')}"`).join(', ');
    const r = this.session.execute(
      `INSERT INTO "${table.replace(/"/g, '""')}" (${quoted}) VALUES ${tuples.join(', ')}`,
      params,
    );
    return this.written(r[0]?.rowCount ?? 0);
  }

  /** Calls `listener` with each committed batch of a materialized view's changes. */
  subscribe(view: string, listener: (changes: Change[]) => void): () => void {
    return this.db.subscribe(view, listener);
  }

  /** Each source's and connector table's reading: offset, whether it reads, errors. */
  sources(): ConnectorStatus[] {
    return this.loop?.status() ?? [];
  }

  /** Stops reading sources, writes and checkpoints all state (durable storage) and releases the store. */
  async close(): Promise<void> {
    this.stopTicks();
    await this.loop?.stop();
    await this.durability?.close();
  }
}

export { tableFromArrays };
