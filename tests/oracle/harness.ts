/**
 * Shared machinery of the PostgreSQL oracle suites: reading the SQL corpus, running SQL on
 * PostgreSQL (through `pg`, every value kept as PostgreSQL's own text) and on Sluice (values
 * rendered with `formatValue`), and comparing the two results.
 *
 * Sluice is loaded lazily (`loadSluice`) so that a broken engine fails each test case with its
 * load error instead of failing the suite's collection.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { splitStatements } from '../../runtime/sql/split.js';

export type Cell = string | null;

/** A query result as PostgreSQL text: column names and rows (NULL as null). */
export interface TextResult {
  columns: string[];
  rows: Cell[][];
}

/** An error raised by either engine, reduced to what the suites compare. */
export interface EngineError {
  code: string;
  message: string;
}

export type Outcome = { ok: true; result: TextResult } | { ok: false; error: EngineError };

export const CORPUS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'corpus');

export interface CorpusQuery {
  sql: string;
  /** 1-based line of the statement's first character in its file. */
  line: number;
  /** Short display name: file, line and the first line of the statement. */
  name: string;
}

export interface CorpusFile {
  file: string;
  setup: string[];
  queries: CorpusQuery[];
}

/** Statements that set up a corpus file rather than being compared. */
const SETUP_RE = /^(CREATE|INSERT|SET|DROP)\b/i;

/** Reads one corpus file: leading setup statements, then the queries. */
export function loadCorpusFile(path: string): CorpusFile {
  const text = readFileSync(path, 'utf8');
  const file = basename(path);
  const setup: string[] = [];
  const queries: CorpusQuery[] = [];
  for (const st of splitStatements(text)) {
    // The splitter keeps leading comments out of `text`, so the first line is SQL.
    const line = text.slice(0, st.offset).split('\n').length;
    if (SETUP_RE.test(st.text)) {
      if (queries.length > 0) {
        throw new Error(`${file}:${line}: setup statement after the first query`);
      }
      setup.push(st.text);
      continue;
    }
    const first = st.text.split('\n')[0]!.trim();
    queries.push({ sql: st.text, line, name: `${file}:${line} ${first}` });
  }
  return { file, setup, queries };
}

/** Every corpus file, sorted by name. */
export function loadCorpus(): CorpusFile[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => loadCorpusFile(join(CORPUS_DIR, f)));
}

/**
 * Whether the statement's outermost query has ORDER BY: an `ORDER BY` at parenthesis depth 0,
 * outside strings and comments (ORDER BY inside subqueries, OVER (...) and aggregate calls is
 * always parenthesised).
 */
export function hasTopLevelOrderBy(sql: string): boolean {
  let depth = 0;
  let i = 0;
  const n = sql.length;
  let prevWord = '';
  while (i < n) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      i++;
      while (i < n) {
        if (sql[i] === c) {
          if (sql[i + 1] === c) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      i++;
      prevWord = '';
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < n && /[A-Za-z0-9_$]/.test(sql[j]!)) j++;
      const word = sql.slice(i, j).toLowerCase();
      if (depth === 0 && prevWord === 'order' && word === 'by') return true;
      prevWord = word;
      i = j;
      continue;
    }
    if (!/\s/.test(c)) prevWord = '';
    i++;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** Every type's text comes back unparsed: the oracle compares PostgreSQL's own output. */
const rawTypes = { getTypeParser: () => (v: string) => v };

export async function pgConnect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, types: rawTypes });
  // Errors on an idle connection (server shutdown at the end) must not crash the worker.
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

function pgError(err: unknown): EngineError {
  if (err instanceof pg.DatabaseError) return { code: err.code ?? '?????', message: err.message };
  throw err;
}

/** Runs one statement on PostgreSQL; SQL errors become an `Outcome`, anything else throws. */
export async function runPg(client: pg.Client, sql: string): Promise<Outcome> {
  try {
    const r = await client.query<Cell[]>({ text: sql, rowMode: 'array' });
    const columns = (r.fields ?? []).map((f) => f.name);
    const rows = (r.rows ?? []).map((row) => row.map((v) => (v === null ? null : String(v))));
    return { ok: true, result: { columns, rows } };
  } catch (err) {
    return { ok: false, error: pgError(err) };
  }
}

// ---------------------------------------------------------------------------------------------
// Sluice

/** The part of a Sluice session the oracle drives. */
export interface SluiceSession {
  execute(sql: string): {
    columns?: { name: string; type: unknown }[];
    rows?: unknown[][];
  }[];
  settings: { timeZone: string };
}

export interface SluiceApi {
  newSession(): SluiceSession;
  /** One result value as PostgreSQL text. */
  format(v: unknown, type: unknown, timeZone: string): string;
  SqlError: new (...args: never[]) => Error & { code: string };
}

let sluice: Promise<SluiceApi> | undefined;

/** Imports the engine on first use; the promise rejects with the load error if it is broken. */
export function loadSluice(): Promise<SluiceApi> {
  sluice ??= (async () => {
    const engine = await import('../../runtime/engine.js');
    const fmt = await import('../../runtime/types/format.js');
    const errors = await import('../../runtime/errors.js');
    type FormatFn = (v: unknown, type: unknown, opts: { timeZone: string }) => string;
    const formatValue = fmt.formatValue as unknown as FormatFn;
    return {
      newSession: () => new engine.Database().connect() as unknown as SluiceSession,
      format: (v, type, timeZone) => formatValue(v, type, { timeZone }),
      SqlError: errors.SqlError as unknown as SluiceApi['SqlError'],
    };
  })();
  return sluice;
}

/**
 * Runs one statement on Sluice. A `SqlError` becomes an error outcome; any other exception is
 * an engine crash and is reported as SQLSTATE `XX000` with the JS error text, so that the
 * comparison shows it rather than aborting the suite.
 */
export function runSluice(api: SluiceApi, session: SluiceSession, sql: string): Outcome {
  try {
    const results = session.execute(sql);
    const last = results[results.length - 1];
    const tz = session.settings.timeZone;
    const cols = last?.columns ?? [];
    const rows = (last?.rows ?? []).map((row) =>
      row.map((v, i) => (v === null ? null : api.format(v, cols[i]!.type, tz))),
    );
    return { ok: true, result: { columns: cols.map((c) => c.name), rows } };
  } catch (err) {
    if (err instanceof api.SqlError)
      return { ok: false, error: { code: err.code, message: err.message } };
    const e = err instanceof Error ? err : new Error(String(err));
    return {
      ok: false,
      error: { code: 'XX000', message: `engine crash: ${e.name}: ${e.message}` },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Comparison

function cmpRows(a: Cell[], b: Cell[]): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Rows in a canonical order, for results whose order SQL leaves unspecified. */
export function sortedRows(rows: Cell[][]): Cell[][] {
  return [...rows].sort(cmpRows);
}

/** The result as compared: rows sorted unless the order is part of the answer. */
export function normalise(r: TextResult, ordered: boolean): TextResult {
  return { columns: r.columns, rows: ordered ? r.rows : sortedRows(r.rows) };
}

/** Renders an outcome compactly for failure messages and reports. */
export function showOutcome(o: Outcome): string {
  if (!o.ok) return `ERROR ${o.error.code}: ${o.error.message}`;
  const lines = [o.result.columns.join(' | ')];
  for (const r of o.result.rows) lines.push(r.map((v) => (v === null ? 'NULL' : v)).join(' | '));
  return lines.join('\n');
}
