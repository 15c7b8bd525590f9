/**
 * A compact text form of stream chunks, for operator tests and debugging: one row per line, the
 * op first, then the row's values in PostgreSQL text form separated by spaces:
 *
 *     +  1 4
 *     -  2 .
 *     U- 5 3
 *     U+ 5 4
 *
 * `.` is NULL. A value containing spaces (or one that would read as `.`, or empty text) is
 * written in double quotes, a quote inside doubled. Blank lines and lines starting with `#`
 * are ignored. Values are parsed with the column types given, so `numeric`, `timestamptz` and
 * the rest read exactly as in SQL.
 */
import type { DataType } from '../types/datatype.js';
import type { Row, Value } from '../types/value.js';
import { parseValue } from '../types/parse.js';
import { formatValue } from '../types/format.js';
import { type Op, StreamChunk } from './chunk.js';

const OPS: readonly string[] = ['+', '-', 'U-', 'U+'];

export interface PrettyOptions {
  /** Time zone for reading and printing zoned values; UTC unless given. */
  timeZone?: string;
}

/** Splits a line into tokens; a quoted token comes back with `quoted` set (never NULL). */
function tokenize(line: string): { text: string; quoted: boolean }[] {
  const out: { text: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated quoted value in chunk line: ${line}`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            text += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += line[i]!;
        i++;
      }
      out.push({ text, quoted: true });
      continue;
    }
    let j = i;
    while (j < line.length && line[j] !== ' ' && line[j] !== '\t') j++;
    out.push({ text: line.slice(i, j), quoted: false });
    i = j;
  }
  return out;
}

/** Parses chunk text with the given column types. */
export function parseChunk(text: string, types: DataType[], opts: PrettyOptions = {}): StreamChunk {
  const ctx = { timeZone: opts.timeZone ?? 'UTC' };
  const ops: Op[] = [];
  const rows: Row[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const tokens = tokenize(line);
    const op = tokens.shift();
    if (!op || op.quoted || !OPS.includes(op.text))
      throw new Error(`chunk line must start with + - U- U+: ${line}`);
    if (tokens.length !== types.length)
      throw new Error(`chunk line has ${tokens.length} values, expected ${types.length}: ${line}`);
    ops.push(op.text as Op);
    rows.push(
      tokens.map((t, i): Value =>
        !t.quoted && t.text === '.' ? null : parseValue(t.text, types[i]!, ctx),
      ),
    );
  }
  return new StreamChunk(ops, rows);
}

function printValue(v: Value, t: DataType, timeZone: string): string {
  if (v === null) return '.';
  const s = formatValue(v, t, { timeZone });
  return s === '' || s === '.' || /[\s"]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Prints a chunk (or nothing, for null) in the text form, one line per row, ops padded. */
export function prettyChunk(
  chunk: StreamChunk | null,
  types: DataType[],
  opts: PrettyOptions = {},
): string {
  if (!chunk) return '';
  const tz = opts.timeZone ?? 'UTC';
  return chunk.rows
    .map((row, i) => {
      const op = chunk.ops[i]!;
      const values = row.map((v, c) => printValue(v, types[c]!, tz));
      return [op.padEnd(2), ...values].join(' ');
    })
    .join('\n');
}

/** Normalizes chunk text (spacing, value spelling) by reading and printing it back. */
export function normalizeChunk(text: string, types: DataType[], opts: PrettyOptions = {}): string {
  return prettyChunk(parseChunk(text, types, opts), types, opts);
}
