/**
 * The synchronous engine interface: a `Database` owns the catalog and table data; a `Session`
 * holds per-connection settings and runs SQL text. Every surface (CLI, library, pgwire, HTTP)
 * drives a `Session`.
 */
import type { DataType } from './types/datatype.js';
import type { Row, Value } from './types/value.js';
import { SqlError, SqlState } from './errors.js';

export interface ColumnInfo {
  name: string;
  type: DataType;
}

export interface StatementResult {
  /** PostgreSQL command tag: `SELECT 3`, `INSERT 0 1`, `CREATE TABLE`, `SET`, ... */
  tag: string;
  /** Present for statements that return rows (queries, SHOW, DESCRIBE, EXPLAIN, RETURNING). */
  columns?: ColumnInfo[];
  rows?: Row[];
  /** Rows affected or returned. */
  rowCount?: number;
}

export interface SessionSettings {
  timeZone: string;
  /** Other `SET` variables, by lower-case name, as text. */
  vars: Map<string, string>;
}

export class Database {
  connect(): Session {
    return new Session(this);
  }
}

export class Session {
  readonly settings: SessionSettings = { timeZone: 'UTC', vars: new Map() };
  constructor(readonly db: Database) {}

  /**
   * Runs every statement in `sql` in order. Statements before a failing one keep their effect;
   * the failure is thrown as a `SqlError` (with `position` relative to `sql`).
   */
  execute(sql: string, params: Value[] = []): StatementResult[] {
    void sql;
    void params;
    throw new SqlError(SqlState.featureNotSupported, 'not implemented yet');
  }
}
