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

export { SqlError, SqlState } from './errors.js';
export type { ColumnInfo, StatementResult } from './engine.js';
export type { Change } from './stream/subscription.js';
export type { Value, Row } from './types/value.js';

export type StorageOption = 'memory' | { dir: string } | { s3: string } | { indexedDb: string };

export interface OpenOptions {
  storage?: StorageOption;
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
  private constructor(
    private readonly db: Database,
    private readonly session: Session,
  ) {}

  static async open(options: OpenOptions = {}): Promise<Sluice> {
    const storage = options.storage ?? 'memory';
    if (storage !== 'memory')
      throw new SqlError(
        SqlState.featureNotSupported,
        'durable storage is not supported yet; use storage: "memory"',
      );
    const db = new Database();
    return new Sluice(db, db.connect());
  }

  /** Runs one or more statements; returns the last one's command tag and row count. */
  async execute(sql: string, params: unknown[] = []): Promise<ExecuteResult> {
    const results = this.session.execute(sql, params as Value[]);
    const last: StatementResult | undefined = results[results.length - 1];
    return { command: last?.tag ?? '', rowCount: last?.rowCount ?? 0 };
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
      return this.session.insertArrow(table, rows).rowCount ?? 0;
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
    return r[0]?.rowCount ?? 0;
  }

  /** Calls `listener` with each committed batch of a materialized view's changes. */
  subscribe(view: string, listener: (changes: Change[]) => void): () => void {
    return this.db.subscribe(view, listener);
  }

  async close(): Promise<void> {
    // In-memory state needs no flushing; durable backends will flush here.
  }
}

export { tableFromArrays };
