/**
 * The message API between the page and the engine worker (exposed with comlink). Everything
 * that crosses is structured-cloneable plain data: values are already PostgreSQL text, so the
 * page never needs the engine's value classes. Failures come back as data (`Reply`) because
 * comlink keeps only the message of a thrown error, and the page needs the SQLSTATE and the
 * position.
 */

/** A PostgreSQL-style error. Offsets are 0-based UTF-16 offsets into the script that was run. */
export interface EngineError {
  /** SQLSTATE, e.g. `42601`. */
  code: string;
  message: string;
  /** Where the engine points (PostgreSQL's position, turned into a script offset). */
  position?: number;
  /** The failing statement's extent in the script. */
  from?: number;
  to?: number;
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: EngineError };

export interface Column {
  name: string;
  /** SQL type name, e.g. `bigint`, `timestamp with time zone`. */
  type: string;
  /** Right-aligned, as psql aligns numeric columns. */
  numeric: boolean;
}

/**
 * A result set. Cells are column-major (`values[column][row]`): a few large arrays clone much
 * faster than one small array per row. Each cell is the value as psql prints it, NULL as null.
 */
export interface ResultSet {
  columns: Column[];
  values: (string | null)[][];
  rowCount: number;
}

/** One statement of a script that ran to completion. */
export interface StatementSummary {
  /** The command tag: `CREATE TABLE`, `INSERT 0 3`, `SELECT 2`, ... */
  command: string;
  rowCount: number;
  /** Extent of the statement in the script. */
  from: number;
  to: number;
  ms: number;
}

export interface RunResult {
  /** The statements that ran, in order (all of them unless one failed). */
  statements: StatementSummary[];
  /** The last statement's rows, when it returns rows and nothing failed. */
  result?: ResultSet;
  /** The failure that stopped the script; the statements before it keep their effects. */
  error?: EngineError;
  elapsedMs: number;
  /** Whether a statement may have changed the catalog (the schema view is stale). */
  schemaChanged: boolean;
}

export type RelationKind = 'table' | 'view' | 'materialized view' | 'source';

export interface Relation {
  name: string;
  kind: RelationKind;
  columns: { name: string; type: string }[];
}

export interface Schema {
  relations: Relation[];
}

export interface OpenInfo {
  /** Where state lives, e.g. `indexeddb:sluice-playground`, or `memory`. */
  storage: string;
  persistent: boolean;
  /** Why state is not persistent, when it is not. */
  warning?: string;
  openMs: number;
}

export interface ExecuteResult {
  command: string;
  rowCount: number;
}

/** One change of a subscribed materialized view, values as PostgreSQL text. */
export interface TextChange {
  op: '+' | '-' | 'U-' | 'U+';
  row: (string | null)[];
}

/** A pinned view: its rows when pinned (timestamps in UTC, as changes are) and the subscription. */
export interface PinResult {
  id: number;
  snapshot: ResultSet;
}

export interface ImportResult {
  table: string;
  /** Whether the table was created from the file (else rows were added to it). */
  created: boolean;
  rowCount: number;
  columns: { name: string; type: string }[];
}

export type GeneratorKind = 'nexmark' | 'clickstream';

/** The data generator's state, as the generator panel shows it. */
export interface GeneratorStatus {
  /** The generator last started (null: none). */
  kind: GeneratorKind | null;
  running: boolean;
  /** The requested rate. */
  rowsPerSecond: number;
  /** Rows inserted since it was started. */
  rowsInserted: number;
  /** Events produced in all, those of earlier runs included (where a restart resumes). */
  offset: number;
  /** Rows per second achieved over the last two seconds (0 while paused). */
  measuredRowsPerSecond: number;
  /** The tables it fills. */
  tables: string[];
  /** Why it stopped, when an insert failed. */
  error?: EngineError;
}

/** What the worker exposes. Calls are serialised: each runs after the previous one finished. */
export interface EngineApi {
  /** Resolves once the database is open (recovered from IndexedDB). */
  ready(): Promise<Reply<OpenInfo>>;
  /**
   * Runs a script statement by statement, stopping at the first error. `base` is the offset of
   * `script` in the editor, added to every offset in the result.
   */
  run(script: string, base?: number): Promise<RunResult>;
  /** The library's `execute`: one or more statements, the last one's tag. */
  execute(sql: string, params?: unknown[]): Promise<Reply<ExecuteResult>>;
  /** The library's `query`: one statement with `$n` parameters. */
  query(sql: string, params?: unknown[]): Promise<Reply<ResultSet>>;
  /** The library's `insert` of objects keyed by column name; resolves to the row count. */
  insert(table: string, rows: Record<string, unknown>[]): Promise<Reply<number>>;
  /** Calls `listener` with each committed batch of a view's changes; resolves to an id. */
  subscribe(view: string, listener: (changes: TextChange[]) => void): Promise<Reply<number>>;
  unsubscribe(id: number): Promise<void>;
  /**
   * A view's rows and a subscription to its changes, taken together: every change committed
   * after the snapshot reaches `listener` once, none before it does. Stop it with `unsubscribe`.
   */
  pin(view: string, listener: (changes: TextChange[]) => void): Promise<Reply<PinResult>>;
  /** Imports a CSV or JSON file into the table named after it, creating it if need be. */
  importFile(fileName: string, data: string | ArrayBuffer): Promise<Reply<ImportResult>>;
  /**
   * Starts a built-in generator inserting about `rowsPerSecond` rows a second into its tables
   * (created if missing), in batches that queue with every other call; replaces a running one.
   */
  startGenerator(kind: GeneratorKind, rowsPerSecond: number): Promise<Reply<GeneratorStatus>>;
  setGeneratorRate(rowsPerSecond: number): Promise<Reply<GeneratorStatus>>;
  /** Resolves once no more generated rows will be inserted. */
  pauseGenerator(): Promise<Reply<GeneratorStatus>>;
  resumeGenerator(): Promise<Reply<GeneratorStatus>>;
  generatorStatus(): Promise<GeneratorStatus>;
  /** Tables, views and materialized views with their columns. */
  schema(): Promise<Reply<Schema>>;
  /** Closes the database, deletes its storage and opens it again, empty. */
  reset(): Promise<Reply<OpenInfo>>;
  close(): Promise<void>;
}

/** The name of a call the page can make. */
export type Method = keyof EngineApi;

/** What a call of `M` carries: its method and arguments. */
export interface CallOf<M extends Method> {
  method: M;
  args: Parameters<EngineApi[M]>;
}

/** The calls the page can make, one message type each, derived from `EngineApi`. */
export type EngineCall = { [M in Method]: CallOf<M> }[Method];

/** What a call of `M` resolves to (a `Reply`, for every call that can fail). */
export type ReplyOf<M extends Method> = Awaited<ReturnType<EngineApi[M]>>;

/** What any call resolves to. */
export type EngineReply = { [M in Method]: ReplyOf<M> }[Method];

/** Carries one call to an engine and brings its reply back (comlink, a test harness, ...). */
export type Transport = <M extends Method>(call: CallOf<M>) => Promise<ReplyOf<M>>;

/**
 * Every method, once. `satisfies` makes a method missing here, or listed here but not in
 * `EngineApi`, a compile error, so everything built from this list covers the whole API.
 */
const METHOD_SET = {
  ready: true,
  run: true,
  execute: true,
  query: true,
  insert: true,
  subscribe: true,
  unsubscribe: true,
  pin: true,
  importFile: true,
  startGenerator: true,
  setGeneratorRate: true,
  pauseGenerator: true,
  resumeGenerator: true,
  generatorStatus: true,
  schema: true,
  reset: true,
  close: true,
} as const satisfies Record<Method, true>;

export const METHODS = Object.keys(METHOD_SET) as readonly Method[];

/** An `EngineApi` whose every method sends its call over `send`. */
export function engineOver(send: Transport): EngineApi {
  const api: Partial<Record<Method, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const method of METHODS)
    // The list and the message types come from `EngineApi`; TypeScript cannot follow one
    // method's arguments through a loop over all of them, hence the cast.
    api[method] = (...args) => send({ method, args } as EngineCall);
  return api as EngineApi;
}

/** Makes `call` on `api`: the receiving end of a transport. */
export function dispatch<M extends Method>(api: EngineApi, call: CallOf<M>): Promise<ReplyOf<M>> {
  // As above: the call's arguments are those of its method, which the types cannot relate.
  const fn = api[call.method] as (...args: unknown[]) => Promise<ReplyOf<M>>;
  return fn.apply(api, call.args);
}
