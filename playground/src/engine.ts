/**
 * The playground's engine: the embedding library (`Sluice`) plus what the page needs on top of
 * it — scripts run statement by statement with a summary each, results rendered as psql renders
 * values, errors located in the editor, the schema, and a reset. Platform-neutral (no DOM, no
 * worker globals), so it runs in the worker and in Node tests alike.
 */
import { Sluice, SqlError, type Change, type ColumnInfo } from '../../runtime/index.js';
import { changesCatalog } from '../../runtime/engine.js';
import type { Statement } from '../../runtime/sql/ast.js';
import { parseStatements } from '../../runtime/sql/parser.js';
import { splitStatements } from '../../runtime/sql/split.js';
import { isNumeric, typeName } from '../../runtime/types/datatype.js';
import { formatValue } from '../../runtime/types/format.js';
import type { Row } from '../../runtime/types/value.js';
import {
  columnNamesFor,
  convertRecords,
  createTableSql,
  inferTypes,
  readFile,
  tableNameFor,
  type TargetColumn,
} from './importer.js';
import { GeneratorLoop } from './generator-loop.js';
import type {
  EngineApi,
  EngineError,
  ExecuteResult,
  GeneratorKind,
  GeneratorStatus,
  ImportResult,
  OpenInfo,
  PinResult,
  Relation,
  RelationKind,
  Reply,
  ResultSet,
  RunResult,
  Schema,
  StatementSummary,
  TextChange,
} from './protocol.js';

export interface EngineOptions {
  /** Opens the database (recovering its state); `storage` names where it lives. */
  open: () => Promise<{ db: Sluice; info: Omit<OpenInfo, 'openMs'> }>;
  /** Deletes the storage of a closed database. */
  destroy: () => Promise<void>;
}

const RELATION_KINDS: Record<string, RelationKind> = {
  r: 'table',
  v: 'view',
  m: 'materialized view',
  f: 'source',
};

const SCHEMA_QUERY = `SELECT c.relname, c.relkind, a.column_name, a.data_type
FROM pg_catalog.pg_class c
LEFT JOIN information_schema.columns a ON a.table_name = c.relname
WHERE c.relkind IN ('r', 'v', 'm', 'f')
ORDER BY c.relname, a.ordinal_position`;

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** An error as the page shows it; `from` is the statement's offset in the editor. */
export function engineError(e: unknown, from?: number, to?: number): EngineError {
  if (e instanceof SqlError)
    return {
      code: e.code,
      message: e.message,
      // PostgreSQL's position is 1-based within the statement.
      position: e.position !== undefined && from !== undefined ? from + e.position - 1 : undefined,
      from,
      to,
    };
  return {
    code: 'XX000',
    message: `internal error: ${e instanceof Error ? e.message : String(e)}`,
    from,
    to,
  };
}

/** Whether a statement returns rows (and so goes through `query`, which returns them). */
function returnsRows(stmt: Statement): boolean {
  switch (stmt.kind) {
    case 'query':
    case 'show':
    case 'describe':
    case 'explain':
      return true;
    case 'insert':
    case 'update':
    case 'delete':
      return (stmt.returning?.length ?? 0) > 0;
    default:
      return false;
  }
}

/** The command tag the engine gives a row-returning statement of `n` rows. */
function rowsTag(stmt: Statement, n: number): string {
  switch (stmt.kind) {
    case 'show':
      return `SHOW ${n}`;
    case 'describe':
      return `DESCRIBE ${n}`;
    case 'explain':
      return `EXPLAIN ${n}`;
    case 'insert':
      return `INSERT 0 ${n}`;
    case 'update':
      return `UPDATE ${n}`;
    case 'delete':
      return `DELETE ${n}`;
    default:
      return `SELECT ${n}`;
  }
}

export class PlaygroundEngine implements EngineApi {
  private db: Sluice | undefined;
  private opened: Promise<Reply<OpenInfo>>;
  /** The tail of the call queue: every call starts when the previous one has settled. */
  private tail: Promise<unknown> = Promise.resolve();
  /** The session's time zone, which timestamps are printed in (`SET TIME ZONE` changes it). */
  private timeZone = 'UTC';
  private readonly subscriptions = new Map<number, () => void>();
  private nextSubscription = 1;
  /** The built-in data generator; its batches go through the call queue like any call. */
  private readonly generator = new GeneratorLoop({
    serial: (fn) => this.serial(async () => fn(this.open)),
    error: (e) => engineError(e),
  });

  constructor(private readonly options: EngineOptions) {
    this.opened = this.serial(() => this.openDb());
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async openDb(): Promise<Reply<OpenInfo>> {
    const started = performance.now();
    try {
      const { db, info } = await this.options.open();
      this.db = db;
      this.timeZone = 'UTC';
      return { ok: true, value: { ...info, openMs: performance.now() - started } };
    } catch (e) {
      return { ok: false, error: engineError(e) };
    }
  }

  private get open(): Sluice {
    // 55000: object not in prerequisite state (opening failed, or a reset is under way).
    if (!this.db) throw new SqlError('55000', 'the database is not open');
    return this.db;
  }

  ready(): Promise<Reply<OpenInfo>> {
    return this.opened;
  }

  /** Runs `fn` after the calls before it, with failures as data. */
  private call<T>(fn: (db: Sluice) => Promise<T>): Promise<Reply<T>> {
    return this.serial(async () => {
      try {
        return { ok: true, value: await fn(this.open) } as const;
      } catch (e) {
        return { ok: false, error: engineError(e) } as const;
      }
    });
  }

  private resultSet(columns: ColumnInfo[], rows: Row[], timeZone = this.timeZone): ResultSet {
    const ctx = { timeZone };
    return {
      columns: columns.map((c) => ({
        name: c.name,
        type: typeName(c.type),
        numeric: isNumeric(c.type),
      })),
      values: columns.map((c, j) =>
        rows.map((r) => {
          const v = r[j] ?? null;
          return v === null ? null : formatValue(v, c.type, ctx);
        }),
      ),
      rowCount: rows.length,
    };
  }

  /** Runs one statement; only a row-returning one has a result set. */
  private async statement(
    db: Sluice,
    text: string,
  ): Promise<{ summary: ExecuteResult; result?: ResultSet; ddl: boolean }> {
    const parsed = parseStatements(text);
    const stmt = parsed.length === 1 ? parsed[0] : undefined;
    if (!stmt || !returnsRows(stmt)) {
      const r = await db.execute(text);
      if (parsed.some((s) => s.kind === 'set')) await this.refreshTimeZone(db);
      return { summary: r, ddl: parsed.some(changesCatalog) };
    }
    const { columns, rows } = await db.query(text);
    // `query` does not wait for durability; a statement that wrote must be durable when its
    // result shows (FLUSH resolves once everything before it is).
    if (stmt.kind === 'insert' || stmt.kind === 'update' || stmt.kind === 'delete')
      await db.execute('FLUSH');
    return {
      summary: { command: rowsTag(stmt, rows.length), rowCount: rows.length },
      result: this.resultSet(columns, rows),
      ddl: false,
    };
  }

  private async refreshTimeZone(db: Sluice): Promise<void> {
    const tz = (await db.query('SHOW TIME ZONE')).rows[0]?.[0];
    if (typeof tz === 'string') this.timeZone = tz;
  }

  run(script: string, base = 0): Promise<RunResult> {
    return this.serial(async () => {
      const started = performance.now();
      const statements: StatementSummary[] = [];
      let result: ResultSet | undefined;
      let schemaChanged = false;
      const done = (error?: EngineError): RunResult => ({
        statements,
        ...(error ? { error } : result ? { result } : {}),
        elapsedMs: performance.now() - started,
        schemaChanged,
      });
      let db: Sluice;
      try {
        db = this.open;
      } catch (e) {
        return done(engineError(e));
      }
      for (const s of splitStatements(script)) {
        const from = base + s.offset;
        const to = from + s.text.length;
        const t0 = performance.now();
        try {
          const r = await this.statement(db, s.text);
          schemaChanged ||= r.ddl;
          result = r.result;
          statements.push({ ...r.summary, from, to, ms: performance.now() - t0 });
        } catch (e) {
          // A failed DDL statement changes nothing, but one before it in the script may have.
          return done(engineError(e, from, to));
        }
      }
      return done();
    });
  }

  execute(sql: string, params: unknown[] = []): Promise<Reply<ExecuteResult>> {
    return this.call(async (db) => {
      const r = await db.execute(sql, params);
      // Over-approximates (UPDATE ... SET matches too); asking again is harmless.
      if (/\bset\b/i.test(sql)) await this.refreshTimeZone(db);
      return r;
    });
  }

  query(sql: string, params: unknown[] = []): Promise<Reply<ResultSet>> {
    return this.call(async (db) => {
      const r = await db.query(sql, params);
      return this.resultSet(r.columns, r.rows);
    });
  }

  insert(table: string, rows: Record<string, unknown>[]): Promise<Reply<number>> {
    return this.call((db) => db.insert(table, rows));
  }

  subscribe(view: string, listener: (changes: TextChange[]) => void): Promise<Reply<number>> {
    return this.call(async (db) => {
      const { columns } = await db.query(`SELECT * FROM ${quoteIdent(view)} LIMIT 0`);
      // Rendered as UTC text, as the HTTP API's subscriptions are: a subscription outlives the
      // session settings it started under.
      const ctx = { timeZone: 'UTC' };
      const stop = db.subscribe(view, (changes) =>
        listener(
          changes.map((c): TextChange => ({
            op: c.op,
            // The view's visible columns lead the row; anything after them is internal.
            row: columns.map((col, j) => {
              const v = c.row[j] ?? null;
              return v === null ? null : formatValue(v, col.type, ctx);
            }),
          })),
        ),
      );
      const id = this.nextSubscription++;
      this.subscriptions.set(id, stop);
      return id;
    });
  }

  async unsubscribe(id: number): Promise<void> {
    this.subscriptions.get(id)?.();
    this.subscriptions.delete(id);
  }

  pin(view: string, listener: (changes: TextChange[]) => void): Promise<Reply<PinResult>> {
    return this.call(async (db) => {
      // The read happens when `query` is called and the subscription attaches right after, with
      // no commit possible between them; changes wait in `early` until the columns are known.
      let columns: ColumnInfo[] | undefined;
      const early: Change[][] = [];
      const ctx = { timeZone: 'UTC' };
      const send = (changes: Change[], cols: ColumnInfo[]): void =>
        listener(
          changes.map((c): TextChange => ({
            op: c.op,
            row: cols.map((col, j) => {
              const v = c.row[j] ?? null;
              return v === null ? null : formatValue(v, col.type, ctx);
            }),
          })),
        );
      const read = db.query(`SELECT * FROM ${quoteIdent(view)}`);
      let stop: () => void;
      try {
        stop = db.subscribe(view, (changes) => {
          if (columns) send(changes, columns);
          else early.push(changes);
        });
      } catch (e) {
        await read.catch(() => undefined);
        throw e;
      }
      try {
        const r = await read;
        columns = r.columns;
        const id = this.nextSubscription++;
        this.subscriptions.set(id, stop);
        for (const changes of early) send(changes, columns);
        return { id, snapshot: this.resultSet(r.columns, r.rows, 'UTC') };
      } catch (e) {
        stop();
        throw e;
      }
    });
  }

  importFile(fileName: string, data: string | ArrayBuffer): Promise<Reply<ImportResult>> {
    return this.call(async (db) => {
      const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
      const file = readFile(fileName, text);
      const table = tableNameFor(fileName);
      const found = await db.query('SELECT relkind FROM pg_catalog.pg_class WHERE relname = $1', [
        table,
      ]);
      const kind = found.rows[0]?.[0];
      // 42809: wrong_object_type.
      if (kind !== undefined && kind !== 'r')
        throw new SqlError('42809', `"${table}" is not a table`);
      const created = kind === undefined;
      let target: TargetColumn[];
      if (created) {
        if (file.columns.length === 0)
          throw new SqlError('22P04', `"${fileName}" has no columns to make a table of`);
        const types = inferTypes(file);
        target = columnNamesFor(file.columns).map((name, j) => ({ name, type: types[j]! }));
      } else {
        const { columns } = await db.query(`SELECT * FROM ${quoteIdent(table)} LIMIT 0`);
        target = columns.map((c) => ({ name: c.name, type: c.type }));
      }
      // Every value is converted before anything is written: a bad one leaves the table as it was.
      const rows = convertRecords(file, table, target, this.timeZone);
      if (created) await db.execute(createTableSql(table, target));
      const rowCount = rows.length > 0 ? await db.insert(table, rows) : 0;
      return {
        table,
        created,
        rowCount,
        columns: target.map((c) => ({ name: c.name, type: typeName(c.type) })),
      };
    });
  }

  startGenerator(kind: GeneratorKind, rowsPerSecond: number): Promise<Reply<GeneratorStatus>> {
    return this.replyOf(() => this.generator.start(kind, rowsPerSecond));
  }

  setGeneratorRate(rowsPerSecond: number): Promise<Reply<GeneratorStatus>> {
    return this.replyOf(async () => this.generator.setRate(rowsPerSecond));
  }

  pauseGenerator(): Promise<Reply<GeneratorStatus>> {
    return this.replyOf(() => this.generator.pause());
  }

  resumeGenerator(): Promise<Reply<GeneratorStatus>> {
    return this.replyOf(async () => this.generator.resume());
  }

  async generatorStatus(): Promise<GeneratorStatus> {
    return this.generator.status();
  }

  /** `fn`'s value, or its failure as data (it queues its own work where it needs to). */
  private async replyOf<T>(fn: () => Promise<T>): Promise<Reply<T>> {
    try {
      return { ok: true, value: await fn() };
    } catch (e) {
      return { ok: false, error: engineError(e) };
    }
  }

  schema(): Promise<Reply<Schema>> {
    return this.call(async (db) => {
      const { rows } = await db.query(SCHEMA_QUERY);
      const byName = new Map<string, Relation>();
      for (const [name, kind, column, type] of rows as [string, string, string | null, string][]) {
        let rel = byName.get(name);
        if (!rel) {
          rel = { name, kind: RELATION_KINDS[kind] ?? 'table', columns: [] };
          byName.set(name, rel);
        }
        if (column !== null) rel.columns.push({ name: column, type });
      }
      return { relations: [...byName.values()] };
    });
  }

  reset(): Promise<Reply<OpenInfo>> {
    this.generator.stop();
    this.opened = this.serial(async () => {
      for (const stop of this.subscriptions.values()) stop();
      this.subscriptions.clear();
      try {
        const db = this.db;
        this.db = undefined;
        await db?.close();
        await this.options.destroy();
      } catch (e) {
        return { ok: false, error: engineError(e) } as const;
      }
      return this.openDb();
    });
    return this.opened;
  }

  close(): Promise<void> {
    this.generator.stop();
    return this.serial(async () => {
      for (const stop of this.subscriptions.values()) stop();
      this.subscriptions.clear();
      const db = this.db;
      this.db = undefined;
      await db?.close();
    });
  }
}
