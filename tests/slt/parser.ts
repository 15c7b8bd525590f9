/**
 * Parser for sqllogictest files in the dialect of sqllogictest-rs (the one RisingWave's e2e
 * suite is written in). `parseSlt` turns one script into records; `loadSltFile` reads a file and
 * splices in the records of its `include <glob>` lines (globs relative to the including file).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface Location {
  file: string;
  line: number;
  /** Where the file holding this record was included from, outermost last. */
  includedFrom?: Location;
}

export type SortMode = 'nosort' | 'rowsort' | 'valuesort';

export type ExpectedError =
  | { kind: 'any' }
  | { kind: 'regex'; pattern: string }
  | { kind: 'sqlstate'; code: string }
  /** `----` block: the whole message must equal this text (trimmed). */
  | { kind: 'exact'; text: string };

export interface Retry {
  attempts: number;
  backoffMs: number;
}

interface Common {
  loc: Location;
  conditions: Condition[];
  connection: string;
  retry?: Retry;
}

export interface Condition {
  kind: 'onlyif' | 'skipif';
  label: string;
}

export type Record =
  | (Common & {
      type: 'statement';
      sql: string;
      expect:
        { kind: 'ok' } | { kind: 'count'; count: number } | { kind: 'error'; error: ExpectedError };
    })
  | (Common & {
      type: 'query';
      sql: string;
      expect:
        | { kind: 'rows'; types: string; sortMode?: SortMode; label?: string; lines: string[] }
        | { kind: 'error'; error: ExpectedError };
    })
  | (Common & { type: 'system'; command: string; stdout?: string })
  | (Common & { type: 'let'; variables: string[]; sql: string })
  | { type: 'include'; loc: Location; pattern: string }
  | { type: 'halt'; loc: Location }
  | { type: 'sleep'; loc: Location; ms: number }
  | { type: 'subtest'; loc: Location; name: string }
  | { type: 'hash-threshold'; loc: Location; threshold: number }
  | { type: 'control'; loc: Location; setting: 'sortmode'; value: SortMode }
  | { type: 'control'; loc: Location; setting: 'resultmode'; value: 'rowwise' | 'valuewise' }
  | { type: 'control'; loc: Location; setting: 'substitution'; value: boolean }
  /** Marks where an included file's records begin/end (used for per-file accounting). */
  | { type: 'begin-include' | 'end-include'; loc: Location; file: string };

export class SltParseError extends Error {
  constructor(
    readonly loc: Location,
    message: string,
  ) {
    super(`${loc.file}:${loc.line}: ${message}`);
    this.name = 'SltParseError';
  }
}

const DELIMITER = '----';
const SORT_MODES: readonly string[] = ['nosort', 'rowsort', 'valuesort'];

/** Durations as sqllogictest files write them: `1s`, `500ms`, `2m`, `1.5s`. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|sec|m|min|h)?$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  switch (m[2]) {
    case 'ms':
      return n;
    case 'm':
    case 'min':
      return n * 60_000;
    case 'h':
      return n * 3_600_000;
    default:
      return n * 1000;
  }
}

/** Parses one script. Includes are left as `include` records (see loadSltFile). */
export function parseSlt(script: string, file: string, includedFrom?: Location): Record[] {
  const lines = script.split(/\r?\n/);
  const records: Record[] = [];
  let conditions: Condition[] = [];
  let connection = 'default';
  let i = 0;

  const at = (line: number): Location => ({
    file,
    line,
    ...(includedFrom ? { includedFrom } : {}),
  });

  /** SQL lines up to a blank line or `----`; returns the text and whether `----` ended it. */
  const readBlock = (loc: Location): { text: string; delimited: boolean } => {
    if (i >= lines.length) throw new SltParseError(loc, 'unexpected end of file');
    const out: string[] = [lines[i++]!];
    while (i < lines.length) {
      const l = lines[i]!;
      if (l === '') break;
      i++;
      if (l === DELIMITER) return { text: out.join('\n'), delimited: true };
      out.push(l);
    }
    return { text: out.join('\n'), delimited: false };
  };

  /** Result lines after `----`, up to the first blank line. */
  const readResults = (): string[] => {
    const out: string[] = [];
    while (i < lines.length && lines[i] !== '') out.push(lines[i++]!);
    return out;
  };

  /** A multi-line message after `----`, ended by two consecutive blank lines (or EOF). */
  const readMultiline = (): string => {
    const out: string[] = [];
    while (i < lines.length) {
      const l = lines[i++]!;
      if (l === '' && (i >= lines.length || lines[i] === '')) {
        i++;
        break;
      }
      out.push(l);
    }
    return out.join('\n').trim();
  };

  const parseRetry = (tokens: string[], loc: Location): Retry | undefined => {
    if (tokens.length === 0) return undefined;
    const [kw, n, kw2, dur, ...extra] = tokens;
    const attempts = Number(n);
    const backoffMs = dur === undefined ? null : parseDuration(dur);
    if (
      kw !== 'retry' ||
      kw2 !== 'backoff' ||
      !(attempts > 0) ||
      backoffMs === null ||
      extra.length
    )
      throw new SltParseError(loc, `invalid retry clause: ${tokens.join(' ')}`);
    return { attempts, backoffMs };
  };

  const parseError = (tokens: string[], loc: Location): ExpectedError => {
    const joined = tokens.join(' ');
    if (joined === '') return { kind: 'any' };
    const state = /^\(([0-9A-Z]{5})\)$/.exec(joined);
    if (state) return { kind: 'sqlstate', code: state[1]! };
    if (!compileRegex(joined)) throw new SltParseError(loc, `invalid error regex: ${joined}`);
    return { kind: 'regex', pattern: joined };
  };

  const take = (): { conditions: Condition[]; connection: string } => {
    const r = { conditions, connection };
    conditions = [];
    connection = 'default';
    return r;
  };

  while (i < lines.length) {
    const lineNo = i + 1;
    const line = lines[i++]!;
    if (line.startsWith('#') || line === '') continue;
    const loc = at(lineNo);
    // Trailing `# comment` on a directive line is allowed.
    const tokens = line
      .replace(/\s+#.*$/, '')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    if (tokens.length === 0) continue;
    const [head, ...rest] = tokens;
    switch (head) {
      case 'include':
        if (rest.length !== 1) throw new SltParseError(loc, `invalid line: ${line}`);
        records.push({ type: 'include', loc, pattern: rest[0]! });
        break;
      case 'halt':
        records.push({ type: 'halt', loc });
        break;
      case 'subtest':
        records.push({ type: 'subtest', loc, name: rest.join(' ') });
        break;
      case 'sleep': {
        const ms = parseDuration(rest[0] ?? '');
        if (ms === null) throw new SltParseError(loc, `invalid duration: ${rest[0]}`);
        records.push({ type: 'sleep', loc, ms });
        break;
      }
      case 'skipif':
      case 'onlyif':
        if (rest.length !== 1) throw new SltParseError(loc, `invalid line: ${line}`);
        conditions.push({ kind: head, label: rest[0]! });
        break;
      case 'connection':
        if (rest.length !== 1) throw new SltParseError(loc, `invalid line: ${line}`);
        connection = rest[0]!;
        break;
      case 'hash-threshold': {
        const n = Number(rest[0]);
        if (!Number.isInteger(n) || n < 0)
          throw new SltParseError(loc, `invalid number: ${rest[0]}`);
        records.push({ type: 'hash-threshold', loc, threshold: n });
        break;
      }
      case 'control': {
        const [what, value] = rest;
        if (what === 'sortmode' && value && SORT_MODES.includes(value))
          records.push({ type: 'control', loc, setting: 'sortmode', value: value as SortMode });
        else if (what === 'resultmode' && (value === 'rowwise' || value === 'valuewise'))
          records.push({ type: 'control', loc, setting: 'resultmode', value });
        else if (what === 'substitution' && (value === 'on' || value === 'off'))
          records.push({ type: 'control', loc, setting: 'substitution', value: value === 'on' });
        else throw new SltParseError(loc, `invalid control line: ${line}`);
        break;
      }
      case 'statement': {
        const [kind, ...tail] = rest;
        let expect: Extract<Record, { type: 'statement' }>['expect'];
        let retryTokens: string[] = [];
        if (kind === 'ok') {
          expect = { kind: 'ok' };
          retryTokens = tail;
        } else if (kind === 'count') {
          const n = Number(tail[0]);
          if (!Number.isInteger(n) || n < 0)
            throw new SltParseError(loc, `invalid count: ${tail[0]}`);
          expect = { kind: 'count', count: n };
          retryTokens = tail.slice(1);
        } else if (kind === 'error') {
          if (tail[0] === 'retry' && tail.length === 4 && tail[2] === 'backoff') {
            expect = { kind: 'error', error: { kind: 'any' } };
            retryTokens = tail;
          } else expect = { kind: 'error', error: parseError(tail, loc) };
        } else throw new SltParseError(loc, `invalid line: ${line}`);
        const retry = parseRetry(retryTokens, loc);
        const block = readBlock(loc);
        if (block.delimited) {
          if (expect.kind !== 'error') throw new SltParseError(loc, 'statement has results');
          if (expect.error.kind !== 'any')
            throw new SltParseError(loc, 'error message given both inline and after ----');
          expect = { kind: 'error', error: { kind: 'exact', text: readMultiline() } };
        }
        records.push({
          type: 'statement',
          ...take(),
          loc,
          sql: block.text,
          expect,
          ...(retry ? { retry } : {}),
        });
        break;
      }
      case 'query': {
        let expect: Extract<Record, { type: 'query' }>['expect'];
        let retryTokens: string[] = [];
        if (rest[0] === 'error') {
          const tail = rest.slice(1);
          if (tail[0] === 'retry' && tail.length === 4 && tail[2] === 'backoff') {
            expect = { kind: 'error', error: { kind: 'any' } };
            retryTokens = tail;
          } else expect = { kind: 'error', error: parseError(tail, loc) };
        } else {
          let tail = rest.slice(1);
          let sortMode: SortMode | undefined;
          if (tail[0] && SORT_MODES.includes(tail[0])) {
            sortMode = tail[0] as SortMode;
            tail = tail.slice(1);
          }
          let label: string | undefined;
          if (tail[0] && tail[0] !== 'retry') {
            label = tail[0];
            tail = tail.slice(1);
          }
          retryTokens = tail;
          expect = {
            kind: 'rows',
            types: rest[0] ?? '',
            ...(sortMode ? { sortMode } : {}),
            ...(label ? { label } : {}),
            lines: [],
          };
        }
        const retry = parseRetry(retryTokens, loc);
        const block = readBlock(loc);
        if (block.delimited) {
          if (expect.kind === 'rows') expect.lines = readResults();
          else if (expect.error.kind === 'any')
            expect = { kind: 'error', error: { kind: 'exact', text: readMultiline() } };
          else throw new SltParseError(loc, 'error message given both inline and after ----');
        }
        records.push({
          type: 'query',
          ...take(),
          loc,
          sql: block.text,
          expect,
          ...(retry ? { retry } : {}),
        });
        break;
      }
      case 'system': {
        if (rest[0] !== 'ok') throw new SltParseError(loc, `invalid line: ${line}`);
        const retry = parseRetry(rest.slice(1), loc);
        const block = readBlock(loc);
        const stdout = block.delimited ? readMultiline() : undefined;
        records.push({
          type: 'system',
          ...take(),
          loc,
          command: block.text,
          ...(stdout !== undefined ? { stdout } : {}),
          ...(retry ? { retry } : {}),
        });
        break;
      }
      case 'let': {
        const variables = rest
          .join(' ')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (variables.length === 0 || variables.some((v) => !/^[A-Za-z_]\w*$/.test(v)))
          throw new SltParseError(loc, `invalid let line: ${line}`);
        const block = readBlock(loc);
        records.push({ type: 'let', ...take(), loc, variables, sql: block.text });
        break;
      }
      default:
        throw new SltParseError(loc, `invalid line: ${line}`);
    }
  }
  return records;
}

/**
 * Compiles a sqllogictest (Rust `regex`) pattern as a JS RegExp. A leading `(?i)`-style flag
 * group becomes RegExp flags; returns null for patterns JS cannot compile.
 */
export function compileRegex(pattern: string): RegExp | null {
  let flags = 'u';
  let body = pattern;
  const m = /^\(\?([imsx]+)\)/.exec(body);
  if (m) {
    body = body.slice(m[0].length);
    for (const f of m[1]!) if (f === 'i' || f === 'm' || f === 's') flags += f;
  }
  try {
    return new RegExp(body, flags);
  } catch {
    try {
      return new RegExp(body, flags.replace('u', ''));
    } catch {
      return null;
    }
  }
}

/**
 * Reads `file` and expands its includes recursively, wrapping each included file's records in
 * begin-include/end-include markers. An include that matches no file is an error, as in
 * sqllogictest-rs.
 */
export function loadSltFile(file: string, includedFrom?: Location): Record[] {
  const text = readFileSync(file, 'utf8');
  const out: Record[] = [];
  for (const rec of parseSlt(text, file, includedFrom)) {
    out.push(rec);
    if (rec.type !== 'include') continue;
    const matches = globFiles(resolveLinkStubs(resolve(dirname(file), rec.pattern)));
    if (matches.length === 0)
      throw new SltParseError(rec.loc, `include matched no file: ${rec.pattern}`);
    for (const m of matches) {
      out.push({ type: 'begin-include', loc: rec.loc, file: m });
      out.push(...loadSltFile(m, rec.loc));
      out.push({ type: 'end-include', loc: rec.loc, file: m });
    }
  }
  return out;
}

/**
 * Follows symbolic links that a checkout stored as plain files holding the link target (as git
 * does without symlink support): a path segment that is a small file but is used as a
 * directory is replaced by the path it names.
 */
export function resolveLinkStubs(path: string): string {
  const parts = resolve(path).split(sep);
  let cur = parts[0] === '' ? sep : parts[0]!;
  for (let k = 1; k < parts.length; k++) {
    cur = join(cur, parts[k]!);
    if (k === parts.length - 1 || /[*?[]/.test(parts[k]!)) continue;
    try {
      const st = statSync(cur);
      if (st.isFile() && st.size < 1024) {
        const target = readFileSync(cur, 'utf8').trim();
        if (target && !target.includes('\n')) cur = resolve(dirname(cur), target);
      }
    } catch {
      // a missing segment: the glob simply matches nothing
    }
  }
  return cur;
}

/** Glob over the file system: `*`, `?`, `[...]` within a path segment, `**` across segments. */
export function globFiles(pattern: string): string[] {
  const abs = resolve(pattern);
  const parts = abs.split(sep);
  // The literal prefix of the pattern is where the walk starts.
  let k = 0;
  while (k < parts.length && !/[*?[]/.test(parts[k]!)) k++;
  if (k === parts.length) return isFile(abs) ? [abs] : [];
  const base = parts.slice(0, k).join(sep) || sep;
  const re = globToRegExp(parts.slice(k).join('/'));
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries.sort()) {
      const full = join(dir, name);
      let st;
      try {
        st = statSync(full);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(full);
      else if (re.test(relative(base, full).split(sep).join('/'))) found.push(full);
    }
  };
  walk(base);
  return found.sort();
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more directories; a bare `**` anything.
      if (glob[i + 2] === '/') {
        re += '(?:[^/]*/)*';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += '[' + glob.slice(i + 1, end).replace(/^!/, '^') + ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
