/**
 * The synchronous engine interface: a `Database` owns the catalog and table data; a `Session`
 * holds per-connection settings and runs SQL text. Every surface (CLI, library, pgwire, HTTP)
 * drives a `Session`.
 */
import type { DataType } from './types/datatype.js';
import type { Row, Value } from './types/value.js';
import type { Statement } from './sql/ast.js';
import { parseStatements } from './sql/parser.js';
import { SqlError, SqlState } from './errors.js';
import { Catalog } from './catalog/catalog.js';
import { TableStore, type RowId } from './storage/table-store.js';
import type { EvalContext } from './expr/context.js';
import { describeStatement, executeStatement } from './exec/statement.js';
import { insertArrow } from './exec/ingest.js';
import { writeRows } from './exec/dml.js';
import type { SourceConnector } from './exec/connector.js';
import { runPlan } from './exec/executor.js';
import type { Data, RecordBatch, Table } from 'apache-arrow';
import { StreamGraph } from './stream/graph.js';
import { StreamChunk } from './stream/chunk.js';
import type { StreamEnv } from './stream/executor.js';
import type { MaterializeExecutor } from './stream/executors/materialize.js';
import type { StreamNode } from './stream/graph.js';
import { SubscriberExecutor, type Change } from './stream/subscription.js';
import { bindWatermark, type TableWatermark } from './exec/watermark.js';
import { below } from './stream/watermark.js';
import type {
  ColumnBatch,
  ColumnInfo,
  RowChange,
  SessionSettings,
  StatementDatabase,
  StatementResult,
  StatementSession,
} from './exec/session.js';

export type {
  ColumnBatch,
  ColumnInfo,
  RowChange,
  SessionSettings,
  StatementResult,
} from './exec/session.js';

export interface PreparedStatement {
  sql: string;
  /** null for an empty query string. */
  statement: Statement | null;
  paramTypes: DataType[];
  /** Result columns, or undefined when the statement returns no rows. */
  columns?: ColumnInfo[];
}

/** A catalog change made by a statement, as the commit log keeps it for replay. */
export interface DdlEffect {
  statement: Statement;
  /** Session settings the statement ran in (views evaluate in their creation time zone). */
  timeZone: string;
  vars: [string, string][];
  /** The catalog's id counter before the statement ran, so a replay assigns the same ids. */
  firstId: number;
  /** Relations the statement created or dropped, and the table an index is on. */
  relationIds: number[];
}

/**
 * Receives every statement's effects when the statement ends (durable storage). `record` is
 * called synchronously, in statement order, before the statement's result is returned.
 */
export interface CommitLog {
  record(
    rows: ReadonlyMap<number, readonly RowChange[]>,
    batches: ReadonlyMap<number, readonly ColumnBatch[]>,
    ddl: DdlEffect | undefined,
    /** Connector offsets the statement moved (relation id → events read), part of its effects. */
    offsets?: ReadonlyMap<number, number>,
  ): void;
}

/** Statements that change the catalog (recorded with their effects for replay). */
export function changesCatalog(stmt: Statement): boolean {
  return stmt.kind.startsWith('create') || stmt.kind === 'drop';
}

interface CatalogIds {
  nextId: number;
  relations: Set<number>;
  indexes: Map<string, number>;
}

function catalogIds(catalog: Catalog): CatalogIds {
  return {
    nextId: catalog.nextRelationId,
    relations: new Set([...catalog.relations.values()].map((r) => r.id)),
    indexes: new Map(catalog.indexes),
  };
}

/** One notice per distinct data error met while maintaining views. */
function evalErrorNotices(errors: SqlError[]): string[] {
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e.message, (counts.get(e.message) ?? 0) + 1);
  return [...counts].map(
    ([m, n]) => `${n} value${n === 1 ? '' : 's'} in materialized views set to NULL: ${m}`,
  );
}

export interface DatabaseOptions {
  /**
   * The clock, in microseconds since the epoch: `now()` in statements and the time views
   * that read the clock are at (see `advanceTime`). Default: the system clock.
   */
  clock?: () => bigint;
}

export class Database implements StatementDatabase {
  readonly catalog = new Catalog();
  /** Microseconds since the epoch (injectable: tests drive time through it). */
  readonly clock: () => bigint;
  /**
   * The time views are at: the clock at the end of the latest epoch, never going back (a
   * clock that does changes nothing until it passes this again).
   */
  private time = 0n;

  constructor(options: DatabaseOptions = {}) {
    this.clock = options.clock ?? (() => BigInt(Date.now()) * 1000n);
  }

  /** The time views are at (microseconds since the epoch). */
  get viewTime(): bigint {
    return this.time;
  }
  private readonly stores = new Map<number, TableStore>();
  /** Changes made by the running statement, per table id (consumed by view maintenance). */
  readonly statementChanges = new Map<number, RowChange[]>();
  /** Dataflows of all materialized views. */
  readonly graph = new StreamGraph();
  /** The connector of each source and connector table, by relation id. */
  readonly connectors = new Map<number, SourceConnector>();
  /** Connector offsets moved by the running statement, per relation id. */
  private readonly statementOffsets = new Map<number, number>();

  connect(): Session {
    return new Session(this);
  }

  createStore(
    id: number,
    columns: { name: string; type: DataType }[],
    primaryKey: number[],
  ): TableStore {
    const store = new TableStore(columns, primaryKey);
    this.stores.set(id, store);
    return store;
  }

  dropStore(id: number): void {
    this.stores.delete(id);
  }

  store(id: number): TableStore {
    const s = this.stores.get(id);
    if (!s) throw new SqlError(SqlState.internalError, `no storage for relation ${id}`);
    return s;
  }

  /** Inserts a row, recording the change. */
  insertRow(tableId: number, row: Row): RowId {
    const id = this.store(tableId).insert(row);
    this.record(tableId, { op: '+', row });
    return id;
  }

  /**
   * Current watermark of each table with `WATERMARK FOR` that has one yet (see
   * exec/watermark.ts); checkpoints keep them.
   */
  readonly tableWatermarks = new Map<number, Value>();
  private readonly watermarkDefs = new Map<number, TableWatermark | null>();

  private watermarkDef(tableId: number, ctx?: EvalContext): TableWatermark | null {
    let def = this.watermarkDefs.get(tableId);
    if (def === undefined) {
      const rel = this.catalog.byId(tableId);
      // The expression reads only the row; a context is needed to bind it, not to evaluate it.
      def = rel?.watermark
        ? bindWatermark(
            this.catalog,
            rel,
            ctx ?? { timeZone: 'UTC', statementTime: 0n, catalog: this.catalog },
          )
        : null;
      this.watermarkDefs.set(tableId, def);
    }
    return def;
  }

  isLate(tableId: number, row: Row): boolean {
    const wm = this.tableWatermarks.get(tableId);
    if (wm === undefined) return false;
    const def = this.watermarkDef(tableId);
    return def !== null && below(row[def.column]!, wm, def.type);
  }

  /**
   * Advances the watermarks of tables the statement inserted into; returns the tables whose
   * watermark moved.
   */
  private advanceWatermarks(env: StreamEnv): number[] {
    const moved: number[] = [];
    for (const [id, changes] of this.statementChanges) {
      const rel = this.catalog.byId(id);
      if (!rel?.watermark) continue;
      const def = this.watermarkDef(id, env.ctx);
      if (!def) continue;
      let wm = this.tableWatermarks.get(id) ?? null;
      for (const c of changes) {
        if (c.op !== '+') continue;
        const v = def.of(c.row, env);
        if (v !== null && (wm === null || below(wm, v, def.type))) wm = v;
      }
      if (wm !== null && wm !== this.tableWatermarks.get(id)) {
        this.tableWatermarks.set(id, wm);
        moved.push(id);
      }
    }
    return moved;
  }

  /** Every table's storage, by table id. */
  get tableStores(): ReadonlyMap<number, TableStore> {
    return this.stores;
  }

  /**
   * Appends record batches in a table's storage encoding (a table without primary key); each
   * reaches the views as one columnar chunk at the end of the statement. Returns the row count.
   */
  appendBatches(tableId: number, batches: { columns: Data[]; length: number }[]): number {
    const store = this.store(tableId);
    let n = 0;
    for (const { columns, length } of batches) {
      store.appendColumns(columns, length);
      n += length;
      const list = this.statementBatches.get(tableId);
      if (list) list.push({ columns, length });
      else this.statementBatches.set(tableId, [{ columns, length }]);
    }
    return n;
  }

  /** Columnar changes (appended batches) of the running statement, per table id. */
  private readonly statementBatches = new Map<number, ColumnBatch[]>();

  /** Where each statement's effects are recorded for durability (none: memory only). */
  commitLog: CommitLog | undefined;

  /**
   * Set while recovery replays a checkpoint's catalog: gives a materialized view being created
   * its saved operator state in place of a backfill; returns false when it has none.
   */
  restoreViewState: ((viewId: number, nodes: StreamNode[], env: StreamEnv) => boolean) | undefined;

  /** Deletes a row by id, recording the change. */
  deleteRow(tableId: number, rowId: number): Row | undefined {
    const row = this.store(tableId).delete(rowId);
    if (row) this.record(tableId, { op: '-', row });
    return row;
  }

  /**
   * Ingests rows a connector read, as part of the running statement: a connector table stores
   * them as inserts do (with its primary-key conflict policy); a source's rows go to the views
   * reading it without being stored. `offset` is the connector's offset after these rows,
   * recorded with them, so recovery resumes exactly after the last durable batch. Rows are
   * whole (generated columns computed). Returns the rows written.
   */
  ingestSourceBatch(relId: number, rows: Row[], offset: number): number {
    const rel = this.catalog.byId(relId);
    if (!rel || (rel.kind !== 'table' && rel.kind !== 'source'))
      throw new SqlError(SqlState.internalError, `relation ${relId} has no connector`);
    this.statementOffsets.set(relId, offset);
    if (rel.kind === 'table') return writeRows({ db: this }, rel, rows);
    // Late events are dropped, as a table with a watermark drops late rows.
    let n = 0;
    const watermarked = rel.watermark !== undefined;
    for (const row of rows) {
      if (watermarked && this.isLate(relId, row)) continue;
      this.record(relId, { op: '+', row });
      n++;
    }
    return n;
  }

  /** Log replay: a source's rows reach its views again (the log holds what was ingested). */
  replaySourceRows(relId: number, rows: Row[]): void {
    for (const row of rows) this.record(relId, { op: '+', row });
  }

  /** Recovery: a connector continues at `offset` (a dropped relation's offset is ignored). */
  seekConnector(relId: number, offset: number): void {
    this.connectors.get(relId)?.seek(offset);
  }

  /** The offset of every connector, by relation id (what a checkpoint keeps). */
  connectorOffsets(): [number, number][] {
    return [...this.connectors].map(([id, c]) => [id, c.offset]);
  }

  /**
   * Whether a connector reads now: a connector table always does; a source only while a
   * materialized view consumes it.
   */
  connectorActive(relId: number): boolean {
    const rel = this.catalog.byId(relId);
    if (!rel || !this.connectors.has(relId)) return false;
    if (rel.kind === 'table') return true;
    return (this.graph.tableSources.get(relId)?.outputs.length ?? 0) > 0;
  }

  /** Told when a statement changed the catalog (a source loop re-plans its connectors). */
  onCatalogChange: (() => void) | undefined;

  private record(tableId: number, change: RowChange): void {
    const list = this.statementChanges.get(tableId);
    if (list) list.push(change);
    else this.statementChanges.set(tableId, [change]);
  }

  private readonly subscribers = new Set<{
    node: StreamNode;
    exec: SubscriberExecutor;
    viewId: number;
  }>();

  /**
   * Calls `listener` with each committed batch of changes to materialized view `name` (one call
   * per statement that changed it). Returns a function that ends the subscription.
   */
  subscribe(name: string, listener: (changes: Change[]) => void): () => void {
    const rel = this.catalog.get(name);
    const flow = rel ? this.graph.views.get(rel.id) : undefined;
    if (!rel || !flow)
      throw new SqlError(SqlState.undefinedTable, `materialized view "${name}" does not exist`);
    const exec = new SubscriberExecutor(flow.output.exec.schema, listener);
    const node = this.graph.newNode(exec);
    this.graph.connect(flow.output, node, 0);
    const sub = { node, exec, viewId: rel.id };
    this.subscribers.add(sub);
    return () => {
      this.subscribers.delete(sub);
      flow.output.outputs = flow.output.outputs.filter((o) => o.node !== node);
    };
  }

  /** Current rows of a table or materialized view. */
  scanRelation(id: number): Row[] {
    const store = this.stores.get(id);
    if (store) return store.scan().rows;
    const view = this.graph.views.get(id);
    if (view) return (view.output.exec as MaterializeExecutor).rows();
    const rel = this.catalog.byId(id);
    if (rel?.kind === 'source')
      throw new SqlError(
        SqlState.featureNotSupported,
        `cannot read source "${rel.name}" directly: a source keeps no rows`,
        undefined,
        undefined,
        `Create a materialized view over it, or a table WITH (connector = '${rel.connector ?? '...'}') to store its rows.`,
      );
    throw new SqlError(SqlState.internalError, `no rows for relation ${id}`);
  }

  /**
   * A stream environment for maintaining views within a statement; `now()` there is the later
   * of the statement's time and the views' time.
   */
  streamEnv(ctx: EvalContext): StreamEnv {
    return {
      ctx: ctx.statementTime >= this.time ? ctx : { ...ctx, statementTime: this.time },
      params: [],
      outer: [],
      ctes: new Map(),
      scan: (id) => this.scanRelation(id),
      subqueryCache: new Map(),
      runPlan,
      stats: this.graph.stats,
      evalErrors: [],
    };
  }

  /**
   * Ends a statement: pushes its table changes through every dependent view's dataflow (so
   * views reflect the statement when it returns), seals written tables into Arrow batches and
   * clears the change log.
   */
  endStatement(ctx: EvalContext, ddl?: DdlEffect): string[] {
    const started = this.onStatementEnd ? performance.now() : 0;
    // The epoch's time: views that read the clock move to it once the changes are in.
    const now = this.clock();
    if (now > this.time) this.time = now;
    if (ctx.statementTime > this.time) this.time = ctx.statementTime;
    const env = this.streamEnv({ ...ctx, statementTime: this.time });
    try {
      // Recorded first: the changes are in the tables already, whatever the views do with them.
      this.commitLog?.record(
        this.statementChanges,
        this.statementBatches,
        ddl,
        this.statementOffsets,
      );
      for (const [id, changes] of this.statementChanges) {
        const source = this.graph.tableSources.get(id);
        if (!source || changes.length === 0) continue;
        const chunk = new StreamChunk(
          changes.map((c) => c.op),
          changes.map((c) => c.row),
        );
        this.graph.emit(source, chunk, env);
      }
      const moved = this.advanceWatermarks(env);
      for (const [id, batches] of this.statementBatches) {
        const source = this.graph.tableSources.get(id);
        if (!source) continue;
        const types = this.store(id).columns.map((c) => c.type);
        for (const { columns, length } of batches)
          this.graph.emit(
            source,
            StreamChunk.fromColumns({ columns, length, types, sel: null, signs: null }),
            env,
          );
      }
      // After the rows: a view closes windows only once it has every row below the watermark.
      for (const id of moved) {
        const source = this.graph.tableSources.get(id);
        const def = this.watermarkDefs.get(id);
        if (source && def)
          this.graph.emitWatermark(
            source,
            { column: def.column, value: this.tableWatermarks.get(id)! },
            env,
          );
      }
      // While a checkpoint's views are being restored, those restored later are still at the
      // checkpoint's time: the views move together once all are back (Durability.open).
      if (!this.restoreViewState) this.graph.advanceTime(env);
    } finally {
      for (const id of this.statementChanges.keys()) this.stores.get(id)?.seal();
      this.statementChanges.clear();
      this.statementBatches.clear();
      this.statementOffsets.clear();
    }
    for (const sub of this.subscribers) {
      // A view dropped while subscribed ends its subscriptions.
      if (!this.graph.views.has(sub.viewId)) this.subscribers.delete(sub);
      else sub.exec.flush();
    }
    this.onStatementEnd?.(performance.now() - started);
    return evalErrorNotices(env.evalErrors ?? []);
  }

  /** Called after each `endStatement` with the milliseconds it took (server metrics). */
  onStatementEnd: ((ms: number) => void) | undefined;

  /** Whether any materialized view reads the clock (a temporal filter, a series to `now()`). */
  get usesTime(): boolean {
    return this.graph.timeNodes().length > 0;
  }

  /**
   * Moves the views that read the clock to the current time, as an epoch of its own (no table
   * changes): rows enter and leave temporal filters, subscribers get those changes, and a
   * checkpoint taken after it holds the views as they are then. Does nothing when no view
   * reads the clock. Hosts call it periodically (`tickEvery`). Returns notices of data errors
   * met, as a statement would.
   */
  advanceTime(): string[] {
    if (!this.usesTime) return [];
    return this.endStatement({
      timeZone: 'UTC',
      statementTime: this.clock(),
      catalog: this.catalog,
    });
  }

  /**
   * Calls `advanceTime` every `ms` milliseconds while some view reads the clock; `run` runs
   * each tick (a host may queue it behind statements), `onError` hears of a failed one. The
   * timer never keeps a process alive. Returns a function that stops the ticks.
   */
  tickEvery(
    ms: number,
    o: { run?: (tick: () => void) => void; onError?: (err: unknown) => void } = {},
  ): () => void {
    const tick = (): void => {
      try {
        this.advanceTime();
      } catch (err) {
        o.onError?.(err);
      }
    };
    const timer = setInterval(() => {
      if (this.usesTime) (o.run ?? ((t: () => void) => t()))(tick);
    }, ms);
    (timer as { unref?: () => void }).unref?.();
    return () => clearInterval(timer);
  }
}

export class Session implements StatementSession {
  readonly settings: SessionSettings = { timeZone: 'UTC', vars: new Map() };
  /** Inside BEGIN ... COMMIT. */
  inTransaction = false;
  /** Whether DML ran since BEGIN (such a transaction cannot be rolled back). */
  wroteInTransaction = false;

  constructor(readonly db: Database) {}

  /**
   * Runs every statement in `sql` in order. Statements before a failing one keep their effect;
   * the failure is thrown as a `SqlError` (with `position` relative to `sql`).
   */
  execute(sql: string, params: Value[] = []): StatementResult[] {
    const statements = parseStatements(sql);
    const results: StatementResult[] = [];
    for (const stmt of statements) results.push(this.executeStatement(stmt, sql, params));
    return results;
  }

  /**
   * Parses and describes one statement without running it (the extended protocol's Parse +
   * Describe): parameter types ($1 → index 0; `unknown` where nothing constrains one, read as
   * text) and the result columns (undefined for statements that return no rows).
   */
  prepare(sql: string, paramTypes: DataType[] = []): PreparedStatement {
    const statements = parseStatements(sql);
    if (statements.length > 1)
      throw new SqlError(
        SqlState.syntaxError,
        'cannot insert multiple commands into a prepared statement',
      );
    const statement = statements[0] ?? null;
    const ctx = this.evalContext();
    const described = statement
      ? describeStatement(this, statement, ctx, paramTypes)
      : { paramTypes: [], columns: undefined };
    return { sql, statement, ...described };
  }

  /** Runs a prepared statement with parameter values (text-format values may be strings). */
  executePrepared(p: PreparedStatement, params: Value[] = []): StatementResult {
    if (!p.statement) return { tag: 'EMPTY' };
    return this.executeStatement(p.statement, p.sql, params, p.paramTypes);
  }

  /**
   * Inserts the rows of an Arrow table or record batch into table `name` as one statement,
   * without SQL text: columns are matched by name (missing ones are NULL) and converted to the
   * table's types; views are maintained before it returns.
   */
  insertArrow(name: string, data: Table | RecordBatch): StatementResult {
    const ctx = this.evalContext();
    let result: StatementResult;
    try {
      result = insertArrow(this, name, data, ctx);
    } catch (err) {
      this.db.endStatement(ctx);
      throw err;
    }
    const notices = this.db.endStatement(ctx);
    return notices.length > 0 ? { ...result, notices } : result;
  }

  /** What a catalog-changing statement did, for the commit log. */
  private ddlEffect(stmt: Statement, before: CatalogIds): DdlEffect {
    const after = catalogIds(this.db.catalog);
    const changed = new Set<number>();
    for (const id of after.relations) if (!before.relations.has(id)) changed.add(id);
    for (const id of before.relations) if (!after.relations.has(id)) changed.add(id);
    for (const [name, table] of after.indexes)
      if (before.indexes.get(name) !== table) changed.add(table);
    for (const [name, table] of before.indexes)
      if (after.indexes.get(name) !== table) changed.add(table);
    return {
      statement: stmt,
      timeZone: this.settings.timeZone,
      vars: [...this.settings.vars],
      firstId: before.nextId,
      relationIds: [...changed],
    };
  }

  /**
   * Runs `fn`, which changes table rows through `db.insertRow`/`deleteRow`/`appendBatches`, as
   * one statement: every view reflects the changes when it returns (log replay).
   */
  applyChanges(fn: () => void): void {
    const ctx = this.evalContext();
    try {
      fn();
    } finally {
      this.db.endStatement(ctx);
    }
  }

  /**
   * Reads up to `n` events from relation `relId`'s connector and commits their rows as one
   * statement (`Database.ingestSourceBatch`): views, subscriptions and durability see it as
   * they see an INSERT. If reading fails, the connector's offset goes back and the error is
   * thrown. Returns the rows ingested.
   */
  ingestConnector(relId: number, n: number): number {
    const connector = this.db.connectors.get(relId);
    if (!connector)
      throw new SqlError(SqlState.internalError, `relation ${relId} has no connector`);
    const ctx = this.evalContext();
    const before = connector.offset;
    let count = 0;
    try {
      let rows: Row[];
      try {
        rows = connector.read(n, this.db.streamEnv(ctx));
      } catch (err) {
        // Nothing was ingested: the events are read again next time.
        connector.seek(before);
        throw err;
      }
      count = this.db.ingestSourceBatch(relId, rows, connector.offset);
    } finally {
      this.db.endStatement(ctx);
    }
    return count;
  }

  /** The evaluation context of a statement starting now. */
  private evalContext(): EvalContext {
    return {
      timeZone: this.settings.timeZone,
      statementTime: this.db.clock(),
      catalog: this.db.catalog,
      settings: this.settings,
    };
  }

  /** Runs one parsed statement; `sql` is the text its positions refer to. */
  executeStatement(
    stmt: Statement,
    sql: string,
    params: Value[] = [],
    paramTypes: DataType[] = [],
  ): StatementResult {
    const ctx = this.evalContext();
    const catalogBefore =
      this.db.commitLog && changesCatalog(stmt) ? catalogIds(this.db.catalog) : undefined;
    let result: StatementResult;
    try {
      result = executeStatement(this, stmt, sql, params, ctx, paramTypes);
    } catch (err) {
      this.db.endStatement(ctx);
      throw err;
    }
    const notices = this.db.endStatement(ctx, catalogBefore && this.ddlEffect(stmt, catalogBefore));
    if (changesCatalog(stmt)) this.db.onCatalogChange?.();
    if (notices.length > 0)
      result = { ...result, notices: [...(result.notices ?? []), ...notices] };
    return result;
  }
}
