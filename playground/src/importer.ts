/**
 * Reading a dropped file into rows for a table: CSV (header row, RFC 4180 quoting; `.tsv` with
 * tabs), a JSON array of objects, or newline-delimited JSON. Column names are sanitised to plain
 * lower-case identifiers; a new table's column types are inferred from the values, and values are
 * converted to a table's column types with the engine's own text input, so an error names the
 * column and the line. Platform-neutral: the engine runs this in the worker.
 */
import { SqlError } from '../../runtime/index.js';
import { CsvError, parseCsv } from '../../runtime/format/csv.js';
import { T, typeName, type DataType } from '../../runtime/types/datatype.js';
import { parseValue } from '../../runtime/types/parse.js';
import type { Value } from '../../runtime/types/value.js';

/** A cell as the file has it: CSV gives text; JSON also numbers and booleans. */
export type Cell = string | number | boolean | null;

export interface FileRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  cells: Cell[];
}

export interface FileData {
  /** JSON says which values are numbers; in CSV everything is text. */
  format: 'csv' | 'json';
  /** The file's column names, as written. */
  columns: string[];
  records: FileRecord[];
}

// SQLSTATEs: bad_copy_file_format, invalid_text_representation, undefined_column.
const BAD_FILE = '22P04';
const UNDEFINED_COLUMN = '42703';

/** A table name from a file name: its base name without extension, as a plain identifier. */
export function tableNameFor(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  return identifier(base, 'imported');
}

/** Lower case, runs of anything but letters, digits and `_` as one `_`, not starting with a digit. */
function identifier(text: string, fallback: string): string {
  let s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (s === '') s = fallback;
  if (/^[0-9]/.test(s)) s = `_${s}`;
  // PostgreSQL's NAMEDATALEN - 1.
  return s.slice(0, 63);
}

/** Sanitised, distinct column names for a file's header (`column_3` for a blank one). */
export function columnNamesFor(header: readonly string[]): string[] {
  const seen = new Set<string>();
  return header.map((h, i) => {
    const base = identifier(h, `column_${i + 1}`);
    let name = base;
    for (let k = 2; seen.has(name); k++) name = `${base}_${k}`;
    seen.add(name);
    return name;
  });
}

/** Reads a file's records by its extension. */
export function readFile(fileName: string, text: string): FileData {
  const ext = /\.([^.]*)$/.exec(fileName)?.[1]?.toLowerCase();
  switch (ext) {
    case 'csv':
      return readCsv(text, ',');
    case 'tsv':
      return readCsv(text, '\t');
    case 'json':
    case 'ndjson':
    case 'jsonl':
      return readJson(text);
    default:
      throw new SqlError(
        BAD_FILE,
        `cannot import "${fileName}": only .csv, .tsv, .json, .ndjson and .jsonl files can be imported`,
      );
  }
}

function readCsv(text: string, delimiter: string): FileData {
  let records;
  try {
    records = parseCsv(text, { delimiter });
  } catch (e) {
    if (e instanceof CsvError) throw new SqlError(BAD_FILE, `malformed CSV: ${e.message}`);
    throw e;
  }
  const [header, ...rows] = records;
  if (!header) throw new SqlError(BAD_FILE, 'the file is empty: a header row is expected');
  const columns = header.fields.map((f) => f ?? '');
  const out: FileRecord[] = [];
  for (const r of rows) {
    // A blank line reads as one empty field: skipped, as most CSV writers never mean a row.
    if (r.fields.length === 1 && r.fields[0] === null) continue;
    if (r.fields.length !== columns.length)
      throw new SqlError(
        BAD_FILE,
        `line ${r.line} has ${r.fields.length} ${r.fields.length === 1 ? 'field' : 'fields'}, the header has ${columns.length}`,
      );
    out.push({ line: r.line, cells: r.fields });
  }
  return { format: 'csv', columns, records: out };
}

function readJson(text: string): FileData {
  const objects: { line: number; value: unknown }[] = [];
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      throw new SqlError(BAD_FILE, `malformed JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!Array.isArray(parsed)) throw new SqlError(BAD_FILE, 'malformed JSON');
    const lines = elementLines(text);
    parsed.forEach((value, i) => objects.push({ line: lines[i] ?? 1, value }));
  } else {
    text.split('\n').forEach((l, i) => {
      if (l.trim() === '') return;
      try {
        objects.push({ line: i + 1, value: JSON.parse(l) });
      } catch (e) {
        throw new SqlError(
          BAD_FILE,
          `malformed JSON on line ${i + 1}: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    });
  }
  const index = new Map<string, number>();
  const rows: { line: number; value: Record<string, unknown> }[] = [];
  for (const { line, value } of objects) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new SqlError(BAD_FILE, `line ${line}: each record must be a JSON object`);
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!index.has(k)) index.set(k, index.size);
    rows.push({ line, value: o });
  }
  const columns = [...index.keys()];
  const records = rows.map(({ line, value }) => ({
    line,
    cells: columns.map((c): Cell => {
      const v = value[c];
      if (v === undefined || v === null) return null;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
      // Nested objects and arrays keep their JSON text.
      return JSON.stringify(v);
    }),
  }));
  return { format: 'json', columns, records };
}

/** The 1-based line on which each element of a top-level JSON array starts. */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectElement && !/\s/.test(c) && c !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectElement = true;
  }
  return lines;
}

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?$/i;
const ZONED = /(Z|[+-]\d{2}(:?\d{2})?)$/i;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

type Candidate = 'bigint' | 'float' | 'boolean' | 'timestamp' | 'timestamptz';
const ALL: Candidate[] = ['bigint', 'float', 'boolean', 'timestamp', 'timestamptz'];

/** The types (besides varchar, which takes anything) that one cell could be a value of. */
function candidates(c: Exclude<Cell, null>): Candidate[] {
  if (typeof c === 'boolean') return ['boolean'];
  if (typeof c === 'number') return Number.isSafeInteger(c) ? ['bigint', 'float'] : ['float'];
  const s = c.trim();
  if (INTEGER.test(s)) {
    const n = BigInt(s);
    return n >= INT8_MIN && n <= INT8_MAX ? ['bigint', 'float'] : ['float'];
  }
  if (FLOAT.test(s)) return ['float'];
  if (/^(true|false)$/i.test(s)) return ['boolean'];
  if (TIMESTAMP.test(s)) {
    const zoned = ZONED.test(s) && /[ T]/.test(s);
    try {
      parseValue(s, zoned ? T.timestamptz : T.timestamp, { timeZone: 'UTC' });
    } catch {
      // Shaped like a timestamp but not one (month 13): text, which is what the cell then is.
      return [];
    }
    return [zoned ? 'timestamptz' : 'timestamp'];
  }
  return [];
}

/**
 * Column types from the values: bigint when every value is an integer, else double precision
 * when every one is a number, else boolean, else timestamp (with time zone when the values carry
 * an offset), else varchar. A JSON string is never read as a number or boolean. A column of
 * NULLs only is varchar.
 */
export function inferTypes(data: FileData): DataType[] {
  return data.columns.map((_, j) => {
    let possible = new Set<Candidate>(ALL);
    let any = false;
    for (const r of data.records) {
      const c = r.cells[j] ?? null;
      if (c === null) continue;
      any = true;
      const mine =
        data.format === 'json' && typeof c === 'string'
          ? candidates(c).filter((k) => k === 'timestamp' || k === 'timestamptz')
          : candidates(c);
      possible = new Set(mine.filter((k) => possible.has(k)));
      if (possible.size === 0) break;
    }
    if (!any) return T.varchar;
    for (const k of ALL)
      if (possible.has(k))
        return k === 'bigint'
          ? T.int8
          : k === 'float'
            ? T.float8
            : k === 'boolean'
              ? T.boolean
              : k === 'timestamp'
                ? T.timestamp
                : T.timestamptz;
    return T.varchar;
  });
}

/** The text input the engine reads a cell with. */
function cellText(c: Exclude<Cell, null>): string {
  return typeof c === 'string' ? c : String(c);
}

export interface TargetColumn {
  name: string;
  type: DataType;
}

/**
 * The file's records as objects keyed by `table`'s column names, each value converted to its
 * column's type. File columns match table columns by name, exactly or once sanitised; a file
 * column the table lacks is an error, a table column the file lacks is NULL.
 */
export function convertRecords(
  data: FileData,
  table: string,
  target: readonly TargetColumn[],
  timeZone: string,
): Record<string, Value>[] {
  const sanitised = columnNamesFor(data.columns);
  const byName = new Map(target.map((c) => [c.name, c]));
  const mapped = data.columns.map((name, j) => {
    const col = byName.get(name) ?? byName.get(sanitised[j]!);
    if (!col)
      throw new SqlError(
        UNDEFINED_COLUMN,
        `column "${name}" of relation "${table}" does not exist`,
      );
    return col;
  });
  const ctx = { timeZone };
  return data.records.map((r) => {
    const o: Record<string, Value> = {};
    mapped.forEach((col, j) => {
      const c = r.cells[j] ?? null;
      if (c === null) {
        o[col.name] = null;
        return;
      }
      const text = cellText(c);
      try {
        o[col.name] = parseValue(
          col.type.kind === 'varchar' || col.type.kind === 'text' ? text : text.trim(),
          col.type,
          ctx,
        );
      } catch (e) {
        if (e instanceof SqlError)
          throw new SqlError(e.code, `column "${col.name}", line ${r.line}: ${e.message}`);
        throw e;
      }
    });
    return o;
  });
}

/** `CREATE TABLE` for a new table of these columns. */
export function createTableSql(table: string, columns: readonly TargetColumn[]): string {
  const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
  return `CREATE TABLE ${q(table)} (${columns.map((c) => `${q(c.name)} ${typeName(c.type)}`).join(', ')})`;
}
