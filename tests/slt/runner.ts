/**
 * sqllogictest runner: executes the records of one file (includes expanded) against
 * `SltConnection`s and compares results the way sqllogictest-rs does: each value rendered as
 * text (NULL → `NULL`, empty string → `(empty)`), the columns of a row joined by one space after
 * collapsing whitespace, optional row/value sorting, then line-by-line equality with the file.
 *
 * Unlike sqllogictest-rs the runner keeps going after a failed record, so one run reports how
 * many records of a file pass. With `valueMatching: 'renderings'` a line may also differ from the
 * expected one in how equal values are written (`renderingsMatch`).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compileRegex,
  loadSltFile,
  type ExpectedError,
  type Location,
  type Record,
  type SortMode,
} from './parser.js';

export interface SltColumn {
  name: string;
  /** Type name as the connection reports it (informational: column types are not checked). */
  type: unknown;
}

export type SltResult = { columns: SltColumn[]; rows: (string | null)[][] } | { tag: string };

/** One database session. `run` throws an Error (optionally with `.code` = SQLSTATE) on failure. */
export interface SltConnection {
  run(sql: string): Promise<SltResult>;
  /**
   * Cap on the time one `retry` record waits between attempts. A connection whose statements
   * are fully visible when they return (the embedded engine) sets it low: waiting there only
   * lets the clock move on, it finishes no background work.
   */
  readonly maxRetryWaitMs?: number;
  close?(): Promise<void> | void;
}

export interface RunOptions {
  /** Labels for `onlyif`/`skipif`. */
  labels?: readonly string[];
  /**
   * `strict`: an expected-error record needs a matching message. `any-error`: any error
   * passes, mismatching messages are reported as `errorMismatches` (for suites written against
   * another product's wording).
   */
  errorMatching?: 'strict' | 'any-error';
  /**
   * `exact`: values compare as text. `renderings`: a result line that differs from the
   * expected one only in how a value is written (see `renderingsMatch`) still matches (for
   * suites whose expected text another product printed).
   */
  valueMatching?: 'exact' | 'renderings';
  /**
   * Most time a `retry N backoff D` record may spend waiting between attempts; default: the
   * connection's own `maxRetryWaitMs`, else as written.
   */
  maxRetryWaitMs?: number;
}

export interface RecordFailure {
  /** `file:line`, followed by ` (included from file:line)` chains. */
  where: string;
  sql: string;
  expected: string;
  got: string;
}

export interface ErrorMismatch {
  where: string;
  sql: string;
  expected: string;
  got: string;
}

export interface FileCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface FileResult extends FileCounts {
  file: string;
  failures: RecordFailure[];
  errorMismatches: ErrorMismatch[];
  /** Per source file (the entry file and each included part). */
  bySource: { [file: string]: FileCounts };
  /** Set when the file could not be parsed or loaded. */
  parseError?: string;
  halted: boolean;
}

export function formatLocation(loc: Location): string {
  let s = `${loc.file}:${loc.line}`;
  for (let up = loc.includedFrom; up; up = up.includedFrom)
    s += ` (included from ${up.file}:${up.line})`;
  return s;
}

/** sqllogictest-rs's normaliser: trim, and collapse runs of whitespace to one space. */
export function normalize(s: string): string {
  return s.trim().split(/\s+/).filter(Boolean).join(' ');
}

/** How the suite writes one value. */
export function sltValue(v: string | null): string {
  if (v === null) return 'NULL';
  if (v === '') return '(empty)';
  return v;
}

/**
 * Whether two result lines (values joined by single spaces) hold the same values written by two
 * products, token by token:
 *  - a time of day whose fractional seconds differ only in trailing zeros (`00:00:00.010`,
 *    written in groups of three digits, against PostgreSQL's `00:00:00.01`), or whose UTC
 *    offset of whole hours has minutes (`12:01:15+00:00` against PostgreSQL's `12:01:15+00`);
 *  - decimal numbers of equal value (`6221.50` against PostgreSQL's `6221.5000000000000000`,
 *    whose division picks the scale), or, when the shorter has at least 16 significant digits
 *    (a rounded quotient, as PostgreSQL's division keeps at least 16), the longer rounded half
 *    away from zero to the shorter's scale equals it (`263196.66666666666666666666667` against
 *    `263196.666666666667`).
 */
export function renderingsMatch(expected: string, got: string): boolean {
  if (expected === got) return true;
  const a = expected.split(' ');
  const b = got.split(' ');
  return a.length === b.length && a.every((t, i) => tokensMatch(t, b[i]!));
}

const TIME_TOKEN = /^(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(.*)$/;
const DECIMAL_TOKEN = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A UTC offset of whole hours written with or without minutes (`+00:00`, PostgreSQL's `+00`). */
function sameOffset(a: string, b: string): boolean {
  return (
    a === b ||
    (/^[+-]\d\d$/.test(a) && b === `${a}:00`) ||
    (/^[+-]\d\d$/.test(b) && a === `${b}:00`)
  );
}

function tokensMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const ta = TIME_TOKEN.exec(a);
  const tb = TIME_TOKEN.exec(b);
  if (ta && tb)
    return (
      ta[1] === tb[1] &&
      sameOffset(ta[3]!, tb[3]!) &&
      (ta[2] ?? '').replace(/0+$/, '') === (tb[2] ?? '').replace(/0+$/, '')
    );
  const da = DECIMAL_TOKEN.exec(a);
  const db = DECIMAL_TOKEN.exec(b);
  if (!da || !db) return false;
  const parse = (m: RegExpExecArray): { v: bigint; scale: number } => {
    const frac = m[3] ?? '';
    const v = BigInt(m[2]! + frac);
    return { v: m[1] === '-' ? -v : v, scale: frac.length };
  };
  let x = parse(da);
  let y = parse(db);
  if (x.scale > y.scale) [x, y] = [y, x];
  // x has the smaller scale: bring it to y's and compare exactly.
  const up = 10n ** BigInt(y.scale - x.scale);
  if (x.v * up === y.v) return true;
  const digits = (x.v < 0n ? -x.v : x.v).toString().replace(/^0+/, '').length;
  if (digits < 16 || x.scale === y.scale) return false;
  const half = up / 2n;
  const rounded = y.v < 0n ? -((-y.v + half) / up) : (y.v + half) / up;
  return rounded === x.v;
}

/** Pairs every expected line with a result line it `renderingsMatch`es, in order or not. */
function linesMatchAcrossRenderings(expected: string[], got: string[], ordered: boolean): boolean {
  if (expected.length !== got.length) return false;
  if (ordered) return expected.every((e, k) => renderingsMatch(e, got[k]!));
  // Equal lines pair first; the rest greedily.
  const left = new Map<string, number>();
  for (const g of got) left.set(g, (left.get(g) ?? 0) + 1);
  const unmatched: string[] = [];
  for (const e of expected) {
    const n = left.get(e) ?? 0;
    if (n > 0) left.set(e, n - 1);
    else unmatched.push(e);
  }
  const pool = [...left].flatMap(([g, n]) => Array<string>(n).fill(g));
  for (const e of unmatched) {
    const k = pool.findIndex((g) => renderingsMatch(e, g));
    if (k < 0) return false;
    pool.splice(k, 1);
  }
  return true;
}

function compareRows(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function errorMatches(expected: ExpectedError, message: string, code: string | undefined): boolean {
  switch (expected.kind) {
    case 'any':
      return true;
    case 'regex': {
      const re = compileRegex(expected.pattern);
      return re ? re.test(message) : message.includes(expected.pattern);
    }
    case 'sqlstate':
      return code === expected.code;
    case 'exact':
      return expected.text.trim() === message.trim();
  }
}

function describeError(e: ExpectedError): string {
  switch (e.kind) {
    case 'any':
      return 'an error';
    case 'regex':
      return `an error matching /${e.pattern}/`;
    case 'sqlstate':
      return `an error with SQLSTATE ${e.code}`;
    case 'exact':
      return `the error:\n${e.text}`;
  }
}

function errorText(e: unknown): { message: string; code: string | undefined } {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { message: e.message, code: typeof code === 'string' ? code : undefined };
  }
  return { message: String(e), code: undefined };
}

function rowCountOf(r: SltResult): number {
  if ('rows' in r) return r.rows.length;
  const m = /(\d+)\s*$/.exec(r.tag);
  return m ? Number(m[1]) : 0;
}

const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

type Outcome =
  | { status: 'pass'; mismatch?: { expected: string; got: string } }
  | { status: 'fail'; expected: string; got: string };

/**
 * Runs one .slt file. `connect(name)` opens a session: `default` first, then one per
 * `connection <name>` used; every session is closed at the end.
 */
export async function runSltFile(
  file: string,
  connect: (name: string) => Promise<SltConnection> | SltConnection,
  options: RunOptions = {},
): Promise<FileResult> {
  const result: FileResult = {
    file,
    passed: 0,
    failed: 0,
    skipped: 0,
    failures: [],
    errorMismatches: [],
    bySource: {},
    halted: false,
  };
  let records: Record[];
  try {
    records = loadSltFile(file);
  } catch (e) {
    result.parseError = errorText(e).message;
    result.failed = 1;
    return result;
  }

  const labels = new Set(options.labels ?? ['sluice']);
  const lenient = options.errorMatching === 'any-error';
  const renderings = options.valueMatching === 'renderings';
  const conns = new Map<string, SltConnection>();
  const session = async (name: string): Promise<SltConnection> => {
    let c = conns.get(name);
    if (!c) {
      c = await connect(name);
      conns.set(name, c);
    }
    return c;
  };

  let sortMode: SortMode | undefined;
  let valueWise = false;
  let substitution = false;
  let hashThreshold = 0;
  const vars = new Map<string, string>();
  let testDir: string | undefined;

  const substitute = (sql: string): string => {
    if (!substitution) return sql;
    return sql.replace(
      /\$\{(\w+)\}|\$(\w+)/g,
      (whole, a: string | undefined, b: string | undefined) => {
        const name = (a ?? b)!;
        if (name === '__TEST_DIR__')
          return (testDir ??= mkdtempSync(join(tmpdir(), 'sluice-slt-')));
        if (name === '__NOW__') return String(BigInt(Date.now()) * 1_000_000n);
        if (name === '__DATABASE__') return 'dev';
        return vars.get(name) ?? process.env[name] ?? whole;
      },
    );
  };

  const count = (loc: Location, key: keyof FileCounts): void => {
    result[key]++;
    const src = (result.bySource[loc.file] ??= { passed: 0, failed: 0, skipped: 0 });
    src[key]++;
  };

  const renderRows = (rows: (string | null)[][]): string[][] => rows.map((r) => r.map(sltValue));

  const checkQuery = (rec: Extract<Record, { type: 'query' }>, res: SltResult): Outcome => {
    if (rec.expect.kind === 'error')
      return { status: 'fail', expected: describeError(rec.expect.error), got: 'no error' };
    const want = rec.expect.lines;
    if (!('rows' in res)) {
      return want.length === 0
        ? { status: 'pass' }
        : { status: 'fail', expected: want.join('\n'), got: `(command ${res.tag})` };
    }
    let rows = renderRows(res.rows);
    const mode = rec.expect.sortMode ?? sortMode;
    if (mode === 'rowsort') rows.sort(compareRows);
    else if (mode === 'valuesort')
      rows = rows
        .flat()
        .map((v) => [v])
        .sort(compareRows);
    const width = res.columns.length;
    const values = mode === 'valuesort' ? rows.length : rows.length * width;
    const hashed = hashThreshold > 0 && values > hashThreshold;
    if (hashed) {
      const md5 = createHash('md5');
      for (const r of rows) for (const v of r) md5.update(v + '\n');
      rows = [[`${values} values hashing to ${md5.digest('hex')}`]];
    }
    if (valueWise) rows = rows.flat().map((v) => [v]);
    // `<slt:ignore>` marks volatile fragments: match the remaining fragments in order.
    if (want.some((l) => l.includes('<slt:ignore>'))) {
      const actual = rows.map((r) => r.join(' ')).join('\n');
      let pos = 0;
      for (const frag of want.join('\n').split('<slt:ignore>')) {
        if (frag === '') continue;
        const idx = actual.indexOf(frag, pos);
        if (idx < 0) return { status: 'fail', expected: want.join('\n'), got: actual };
        pos = idx + frag.length;
      }
      return { status: 'pass' };
    }
    const got = rows.map((r) => r.map(normalize).join(' '));
    const exp = want.map(normalize);
    const same =
      (got.length === exp.length && got.every((g, k) => g === exp[k])) ||
      (renderings &&
        !hashed &&
        linesMatchAcrossRenderings(exp, got, mode !== 'rowsort' && mode !== 'valuesort'));
    return same
      ? { status: 'pass' }
      : {
          status: 'fail',
          expected: want.join('\n'),
          got: rows.map((r) => r.join(' ')).join('\n'),
        };
  };

  const onError = (expected: ExpectedError, err: unknown): Outcome => {
    const { message, code } = errorText(err);
    if (errorMatches(expected, message, code)) return { status: 'pass' };
    if (lenient)
      return { status: 'pass', mismatch: { expected: describeError(expected), got: message } };
    return { status: 'fail', expected: describeError(expected), got: `error: ${message}` };
  };

  const runOnce = async (rec: Record): Promise<Outcome> => {
    switch (rec.type) {
      case 'statement': {
        const conn = await session(rec.connection);
        let res: SltResult;
        try {
          res = await conn.run(substitute(rec.sql));
        } catch (e) {
          if (rec.expect.kind === 'error') return onError(rec.expect.error, e);
          return { status: 'fail', expected: 'ok', got: `error: ${errorText(e).message}` };
        }
        if (rec.expect.kind === 'error')
          return { status: 'fail', expected: describeError(rec.expect.error), got: 'ok' };
        if (rec.expect.kind === 'count' && rowCountOf(res) !== rec.expect.count)
          return {
            status: 'fail',
            expected: `${rec.expect.count} rows affected`,
            got: `${rowCountOf(res)} rows affected`,
          };
        return { status: 'pass' };
      }
      case 'query': {
        const conn = await session(rec.connection);
        let res: SltResult;
        try {
          res = await conn.run(substitute(rec.sql));
        } catch (e) {
          if (rec.expect.kind === 'error') return onError(rec.expect.error, e);
          return {
            status: 'fail',
            expected: rec.expect.lines.join('\n'),
            got: `error: ${errorText(e).message}`,
          };
        }
        return checkQuery(rec, res);
      }
      case 'let': {
        const conn = await session(rec.connection);
        try {
          const res = await conn.run(substitute(rec.sql));
          if (
            !('rows' in res) ||
            res.rows.length !== 1 ||
            res.columns.length !== rec.variables.length
          )
            return {
              status: 'fail',
              expected: `one row of ${rec.variables.length} values`,
              got: 'other',
            };
          rec.variables.forEach((v, k) => vars.set(v, res.rows[0]![k] ?? 'NULL'));
          return { status: 'pass' };
        } catch (e) {
          return { status: 'fail', expected: 'ok', got: `error: ${errorText(e).message}` };
        }
      }
      default:
        return { status: 'pass' };
    }
  };

  try {
    for (const rec of records) {
      if (rec.type === 'halt') {
        result.halted = true;
        break;
      }
      switch (rec.type) {
        case 'sleep':
          await sleep(rec.ms);
          continue;
        case 'control':
          if (rec.setting === 'sortmode') sortMode = rec.value;
          else if (rec.setting === 'resultmode') valueWise = rec.value === 'valuewise';
          else substitution = rec.value;
          continue;
        case 'hash-threshold':
          hashThreshold = rec.threshold;
          continue;
        case 'statement':
        case 'query':
        case 'let':
        case 'system':
          break;
        default:
          continue;
      }
      const skip = rec.conditions.some((c) =>
        c.kind === 'onlyif' ? !labels.has(c.label) : labels.has(c.label),
      );
      // Shell commands are outside what the runner executes.
      if (skip || rec.type === 'system') {
        count(rec.loc, 'skipped');
        continue;
      }
      let outcome = await runOnce(rec);
      let waited = 0;
      const cap =
        options.maxRetryWaitMs ??
        (rec.retry ? (await session(rec.connection)).maxRetryWaitMs : undefined) ??
        Infinity;
      for (let a = 0; outcome.status === 'fail' && rec.retry && a < rec.retry.attempts; a++) {
        const wait = Math.min(rec.retry.backoffMs, cap - waited);
        if (wait < 0 || (wait === 0 && a > 0)) break;
        await sleep(wait);
        waited += wait;
        outcome = await runOnce(rec);
      }
      const sql = rec.sql;
      if (outcome.status === 'pass') {
        count(rec.loc, 'passed');
        if (outcome.mismatch)
          result.errorMismatches.push({ where: formatLocation(rec.loc), sql, ...outcome.mismatch });
      } else {
        count(rec.loc, 'failed');
        result.failures.push({
          where: formatLocation(rec.loc),
          sql,
          expected: outcome.expected,
          got: outcome.got,
        });
      }
    }
  } finally {
    for (const c of conns.values()) await c.close?.();
  }
  return result;
}

/** Human-readable report of a file's failures (first `limit` of them). */
export function formatFailures(r: FileResult, limit = 20): string {
  const out: string[] = [];
  if (r.parseError) out.push(`${r.file}: cannot load: ${r.parseError}`);
  for (const f of r.failures.slice(0, limit)) {
    out.push(
      `${f.where}\n  sql: ${f.sql.split('\n').join('\n       ')}\n  expected: ${indent(f.expected)}\n  got:      ${indent(f.got)}`,
    );
  }
  if (r.failures.length > limit) out.push(`... and ${r.failures.length - limit} more failures`);
  return out.join('\n');
}

function indent(s: string): string {
  return s.split('\n').join('\n            ');
}
