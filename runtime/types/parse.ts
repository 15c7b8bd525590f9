/**
 * PostgreSQL text input for every Sluice type: the conversion behind `'42'::int`, typed literals,
 * COPY-like loads and text-format parameters. Errors carry PostgreSQL's SQLSTATEs and wording.
 */
import { SqlError, SqlState } from '../errors.js';
import type { DataType } from './datatype.js';
import type { Value } from './value.js';
import { StructValue } from './value.js';
import { Decimal } from './numeric.js';
import { parseInterval } from './interval.js';
import { Jsonb } from './jsonb.js';
import { parseDate, parseTime, parseTimestamp, parseTimestamptz } from './datetime.js';

export interface ParseContext {
  timeZone: string;
  /** Statement time (µs since epoch) for `now`, `today`. */
  statementTime?: bigint;
}

function invalid(type: string, text: string): SqlError {
  return new SqlError(
    SqlState.invalidTextRepresentation,
    `invalid input syntax for type ${type}: "${text}"`,
  );
}

export function parseBoolean(text: string): boolean {
  const s = text.trim().toLowerCase();
  const n = s.length;
  if (n > 0) {
    if ('true'.startsWith(s) || 'yes'.startsWith(s)) return true;
    if ('false'.startsWith(s) || 'no'.startsWith(s)) return false;
    if (n >= 2 && 'on' === s) return true;
    if (n >= 2 && 'off'.startsWith(s)) return false;
    if (s === '1') return true;
    if (s === '0') return false;
  }
  throw invalid('boolean', text);
}

const intRanges = {
  int2: [-32768n, 32767n, 'smallint'],
  int4: [-2147483648n, 2147483647n, 'integer'],
  int8: [-9223372036854775808n, 9223372036854775807n, 'bigint'],
} as const;

export function parseInteger(text: string, kind: 'int2' | 'int4' | 'int8'): number | bigint {
  const [lo, hi, name] = intRanges[kind];
  const s = text.trim();
  if (!/^[+-]?\d+$/.test(s)) throw invalid(name, text);
  const v = BigInt(s);
  if (v < lo || v > hi)
    throw new SqlError(
      SqlState.numericValueOutOfRange,
      `value "${text}" is out of range for type ${name}`,
    );
  return kind === 'int8' ? v : Number(v);
}

export function parseFloat8(text: string, float4 = false): number {
  const name = float4 ? 'real' : 'double precision';
  const s = text.trim();
  const lower = s.toLowerCase();
  let v: number;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(lower)) v = Number(s);
  else if (lower === 'nan') return NaN;
  else if (/^[+]?(infinity|inf)$/.test(lower)) return Infinity;
  else if (/^-(infinity|inf)$/.test(lower)) return -Infinity;
  else throw invalid(name, text);
  const outOfRange = (): SqlError =>
    new SqlError(SqlState.numericValueOutOfRange, `"${text}" is out of range for type ${name}`);
  if (!Number.isFinite(v)) throw outOfRange();
  const nonzeroText = /[1-9]/.test(lower.split('e')[0]!);
  if (v === 0 && nonzeroText) throw outOfRange();
  if (float4) {
    const f = Math.fround(v);
    if (!Number.isFinite(f) || (f === 0 && nonzeroText)) throw outOfRange();
    return f;
  }
  return v;
}

export function parseBytea(text: string): Uint8Array {
  if (text.startsWith('\\x') || text.startsWith('\\X')) {
    const hex = text.slice(2).replace(/\s+/g, '');
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex))
      throw new SqlError(
        SqlState.invalidTextRepresentation,
        hex.length % 2 !== 0
          ? 'invalid hexadecimal data: odd number of digits'
          : `invalid hexadecimal digit: "${/[^0-9a-fA-F]/.exec(hex)?.[0] ?? ''}"`,
      );
    const out = new Uint8Array(hex.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    return out;
  }
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < text.length;) {
    if (text[i] === '\\') {
      if (text[i + 1] === '\\') {
        bytes.push(0x5c);
        i += 2;
      } else if (/^[0-3][0-7]{2}$/.test(text.slice(i + 1, i + 4))) {
        bytes.push(parseInt(text.slice(i + 1, i + 4), 8));
        i += 4;
      } else throw invalid('bytea', text);
    } else {
      const cp = text.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      bytes.push(...enc.encode(ch));
      i += ch.length;
    }
  }
  return new Uint8Array(bytes);
}

/** varchar(n) input/assignment: too-long values are an error unless the excess is spaces. */
export function checkVarchar(s: string, length: number | undefined): string {
  if (length === undefined) return s;
  const chars = [...s];
  if (chars.length <= length) return s;
  if (chars.slice(length).every((c) => c === ' ')) return chars.slice(0, length).join('');
  throw new SqlError(
    SqlState.stringDataRightTruncation,
    `value too long for type character varying(${length})`,
  );
}

function malformedArray(text: string, detail?: string): SqlError {
  return new SqlError(
    SqlState.invalidTextRepresentation,
    `malformed array literal: "${text}"`,
    undefined,
    detail,
  );
}

/** Split `{a,"b c",NULL,{1,2}}` into raw elements (null = unquoted NULL). */
function splitArray(text: string): (string | null)[] | null {
  let s = text.trim();
  // Optional dimension decoration `[1:3]=`.
  s = s.replace(/^(\[\s*[+-]?\d+\s*:\s*[+-]?\d+\s*\])+\s*=\s*/, '');
  if (!s.startsWith('{'))
    throw malformedArray(text, 'Array value must start with "{" or dimension information.');
  const out: (string | null)[] = [];
  let i = 1;
  const ws = (): void => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  ws();
  if (s[i] === '}') {
    if (s.slice(i + 1).trim() !== '') throw malformedArray(text, 'Junk after closing right brace.');
    return out;
  }
  for (;;) {
    ws();
    if (s[i] === '"') {
      i++;
      let v = '';
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\') i++;
        if (i >= s.length) break;
        v += s[i];
        i++;
      }
      if (s[i] !== '"') throw malformedArray(text, 'Unexpected end of input.');
      i++;
      out.push(v);
    } else if (s[i] === '{') {
      // Nested array: keep its text for the element parser.
      let depth = 0;
      const start = i;
      let inQuote = false;
      for (; i < s.length; i++) {
        const c = s[i];
        if (inQuote) {
          if (c === '\\') i++;
          else if (c === '"') inQuote = false;
        } else if (c === '"') inQuote = true;
        else if (c === '{') depth++;
        else if (c === '}') {
          depth--;
          if (depth === 0) {
            i++;
            break;
          }
        }
      }
      out.push(s.slice(start, i));
    } else {
      let v = '';
      let escaped = false;
      while (i < s.length && s[i] !== ',' && s[i] !== '}') {
        if (s[i] === '\\') {
          i++;
          escaped = true;
        }
        if (s[i] === '"' || s[i] === '{') throw malformedArray(text, 'Unexpected array element.');
        v += s[i] ?? '';
        i++;
      }
      v = v.replace(/\s+$/, '');
      if (v === '') throw malformedArray(text, 'Unexpected "," character.');
      out.push(!escaped && v.toUpperCase() === 'NULL' ? null : v);
    }
    ws();
    if (s[i] === ',') {
      i++;
      continue;
    }
    if (s[i] === '}') {
      if (s.slice(i + 1).trim() !== '')
        throw malformedArray(text, 'Junk after closing right brace.');
      return out;
    }
    throw malformedArray(text, 'Unexpected end of input.');
  }
}

function malformedRecord(text: string, detail: string): SqlError {
  return new SqlError(
    SqlState.invalidTextRepresentation,
    `malformed record literal: "${text}"`,
    undefined,
    detail,
  );
}

function splitRecord(text: string): (string | null)[] {
  const s = text.trim();
  if (!s.startsWith('(')) throw malformedRecord(text, 'Missing left parenthesis.');
  const out: (string | null)[] = [];
  let i = 1;
  for (;;) {
    let v = '';
    let quotedOrAny = false;
    while (i < s.length && s[i] !== ',' && s[i] !== ')') {
      if (s[i] === '"') {
        quotedOrAny = true;
        i++;
        while (i < s.length) {
          if (s[i] === '"') {
            if (s[i + 1] === '"') {
              v += '"';
              i += 2;
              continue;
            }
            break;
          }
          if (s[i] === '\\') i++;
          v += s[i] ?? '';
          i++;
        }
        if (s[i] !== '"') throw malformedRecord(text, 'Unexpected end of input.');
        i++;
      } else {
        if (s[i] === '\\') i++;
        v += s[i] ?? '';
        quotedOrAny = true;
        i++;
      }
    }
    out.push(quotedOrAny ? v : null);
    if (s[i] === ',') {
      i++;
      continue;
    }
    if (s[i] === ')') {
      if (s.slice(i + 1).trim() !== '')
        throw malformedRecord(text, 'Junk after right parenthesis.');
      return out;
    }
    throw malformedRecord(text, 'Unexpected end of input.');
  }
}

/** Read `text` as a value of type `t` (PostgreSQL's input function for the type). */
export function parseValue(text: string, t: DataType, ctx: ParseContext): Value {
  switch (t.kind) {
    case 'boolean':
      return parseBoolean(text);
    case 'int2':
    case 'int4':
    case 'int8':
      return parseInteger(text, t.kind);
    case 'float4':
      return parseFloat8(text, true);
    case 'float8':
      return parseFloat8(text, false);
    case 'numeric':
      return Decimal.parse(text).withTypmod(t.precision, t.scale);
    case 'varchar':
      return checkVarchar(text, t.length);
    case 'text':
    case 'unknown':
      return text;
    case 'date':
      return parseDate(text, { timeZone: ctx.timeZone, now: ctx.statementTime });
    case 'time':
      return parseTime(text, { timeZone: ctx.timeZone, now: ctx.statementTime });
    case 'timestamp':
      return parseTimestamp(text, { timeZone: ctx.timeZone, now: ctx.statementTime });
    case 'timestamptz':
      return parseTimestamptz(text, { timeZone: ctx.timeZone, now: ctx.statementTime });
    case 'interval':
      return parseInterval(text);
    case 'jsonb':
      return Jsonb.parse(text);
    case 'bytea':
      return parseBytea(text);
    case 'array': {
      const raw = splitArray(text);
      if (raw === null) throw malformedArray(text);
      return raw.map((e) => (e === null ? null : parseValue(e, t.element, ctx)));
    }
    case 'struct': {
      const raw = splitRecord(text);
      if (raw.length < t.fields.length) throw malformedRecord(text, 'Too few columns.');
      if (raw.length > t.fields.length) throw malformedRecord(text, 'Too many columns.');
      return new StructValue(
        raw.map((e, i) => (e === null ? null : parseValue(e, t.fields[i]!.type, ctx))),
      );
    }
  }
}
