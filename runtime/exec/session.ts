/**
 * Statement results, and what statement execution needs of the engine: the engine's `Session`
 * and `Database` implement `StatementSession` and `StatementDatabase`, so the executors below
 * the engine never import it.
 */
import type { Data } from 'apache-arrow';
import type { Catalog } from '../catalog/catalog.js';
import type { EvalContext } from '../expr/context.js';
import type { RowId, TableStore } from '../storage/table-store.js';
import type { StreamEnv } from '../stream/executor.js';
import type { StreamGraph, StreamNode } from '../stream/graph.js';
import type { DataType } from '../types/datatype.js';
import type { Row, Value } from '../types/value.js';

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
  /** Notices raised while running the statement (PostgreSQL NOTICE/WARNING). */
  notices?: string[];
}

export interface SessionSettings {
  timeZone: string;
  /** Other `SET` variables, by lower-case name, as text. */
  vars: Map<string, string>;
}

/** One row change of a table, as DML applies it. */
export interface RowChange {
  op: '+' | '-';
  row: Row;
}

/** Columns appended in a table's storage encoding (`Database.appendBatches`). */
export interface ColumnBatch {
  columns: Data[];
  length: number;
}

/** A relation's connector as statements see it (`exec/connector.ts` makes them). */
export interface ConnectorHandle {
  readonly relationId: number;
  /** Events read so far. */
  readonly offset: number;
  seek(offset: number): void;
}

/** The database a statement runs against (the engine's `Database`). */
export interface StatementDatabase {
  readonly catalog: Catalog;
  /** Dataflows of all materialized views. */
  readonly graph: StreamGraph;
  /** The connector of each source and connector table, by relation id. */
  readonly connectors: Map<number, ConnectorHandle>;
  createStore(
    id: number,
    columns: { name: string; type: DataType }[],
    primaryKey: number[],
  ): TableStore;
  dropStore(id: number): void;
  store(id: number): TableStore;
  insertRow(tableId: number, row: Row): RowId;
  deleteRow(tableId: number, rowId: number): Row | undefined;
  appendBatches(tableId: number, batches: ColumnBatch[]): number;
  /** Current watermark per table with `WATERMARK FOR`, once it has one. */
  readonly tableWatermarks: ReadonlyMap<number, Value>;
  /** Whether `row` is late for its table: below the table's watermark (never stored). */
  isLate(tableId: number, row: Row): boolean;
  /** Current rows of a table or materialized view. */
  scanRelation(id: number): Row[];
  /** A stream environment for maintaining views within a statement. */
  streamEnv(ctx: EvalContext): StreamEnv;
  /** Set while recovery replays a checkpoint's catalog (see `Database.restoreViewState`). */
  restoreViewState: ((viewId: number, nodes: StreamNode[], env: StreamEnv) => boolean) | undefined;
}

/** The session a statement runs in (the engine's `Session`). */
export interface StatementSession {
  readonly db: StatementDatabase;
  readonly settings: SessionSettings;
  /** Inside BEGIN ... COMMIT. */
  inTransaction: boolean;
  /** Whether DML ran since BEGIN (such a transaction cannot be rolled back). */
  wroteInTransaction: boolean;
}
