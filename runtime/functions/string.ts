/**
 * String functions (PostgreSQL semantics; lengths and positions count characters, i.e. code
 * points). The regular-expression functions' implementations are in `regexp.ts`, the binary
 * encodings in `encoding.ts`; all are registered here.
 */
import { SqlError, SqlState } from '../errors.js';
import type { DataType } from '../types/datatype.js';
import { T, arrayOf } from '../types/datatype.js';
import type { Value } from '../types/value.js';
import type { ScalarFunction } from '../expr/registry.js';
import type { EvalContext } from '../expr/context.js';
import { scalar } from './overload.js';
import type { Overload } from './overload.js';
import { posixRegex } from './pattern.js';
import { md5Hex } from './md5.js';
import {
  charLength,
  codePoints,
  invalidParam,
  isBmp,
  textOf,
  toBig,
  utf8Decode,
  utf8Encode,
  utf8Length,
} from './util.js';
import {
  regexpCount,
  regexpInstr,
  regexpMatch,
  regexpMatchesRows,
  regexpReplace,
  regexpSplit,
  regexpSubstr,
  substringRegex,
  substringSimilar,
} from './regexp.js';
import { checkEncoding, crc32, decode, encode } from './encoding.js';

/**
 * Case mapping character by character, as PostgreSQL does: a character whose mapping would
 * expand into several (ß → SS) is left as it is.
 */
function mapCase(s: string, upper: boolean): string {
  let out = '';
  for (const ch of s) {
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    out += [...m].length === 1 ? m : ch;
  }
  return out;
}

const text = T.text;
const int4 = T.int4;
const int8 = T.int8;
const bool = T.boolean;
const textArr = arrayOf(T.text);

/** Characters `from` (1-based, may be ≤ 0) for `count` characters (all when undefined). */
export function substr(s: string, start: number, count?: number): string {
  if (count !== undefined && count < 0)
    throw new SqlError('22011', 'negative substring length not allowed');
  let from = start;
  const to = count === undefined ? Infinity : start + count;
  if (from < 1) from = 1;
  if (to <= from) return '';
  if (isBmp(s)) return s.slice(from - 1, to === Infinity ? undefined : to - 1);
  const cps = Array.from(s);
  return cps.slice(from - 1, to === Infinity ? undefined : to - 1).join('');
}

function strpos(s: string, sub: string): number {
  const i = s.indexOf(sub);
  if (i < 0) return 0;
  return charLength(s.slice(0, i)) + 1;
}

function trimChars(s: string, chars: string, left: boolean, right: boolean): string {
  const set = new Set(codePoints(chars));
  const cps = codePoints(s);
  let a = 0;
  let b = cps.length;
  if (left) while (a < b && set.has(cps[a]!)) a++;
  if (right) while (b > a && set.has(cps[b - 1]!)) b--;
  return cps.slice(a, b).join('');
}

export function pad(s: string, len: number, fill: string, left: boolean): string {
  if (len <= 0) return '';
  const cps = codePoints(s);
  if (cps.length >= len) return cps.slice(0, len).join('');
  const f = codePoints(fill);
  if (f.length === 0) return s;
  const need = len - cps.length;
  let p = '';
  for (let i = 0; i < need; i++) p += f[i % f.length]!;
  return left ? p + s : s + p;
}

function initcap(s: string): string {
  let out = '';
  let inWord = false;
  for (const ch of s) {
    const alnum = /[\p{L}\p{N}]/u.test(ch);
    out += alnum ? (inWord ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    inWord = alnum;
  }
  return out;
}

function splitPart(s: string, delim: string, n: number): string {
  if (n === 0) throw invalidParam('field position must not be zero');
  if (s === '') return '';
  const parts = delim === '' ? [s] : s.split(delim);
  const idx = n > 0 ? n - 1 : parts.length + n;
  return parts[idx] ?? '';
}

function translate(s: string, from: string, to: string): string {
  const f = codePoints(from);
  const t = codePoints(to);
  const map = new Map<string, string | null>();
  f.forEach((c, i) => {
    if (!map.has(c)) map.set(c, t[i] ?? null);
  });
  let out = '';
  for (const ch of s) {
    const m = map.get(ch);
    if (m === undefined) out += ch;
    else if (m !== null) out += m;
  }
  return out;
}

function toHex(v: Value, bits: 32 | 64): string {
  let n = toBig(v);
  if (n < 0n) n += 1n << BigInt(bits);
  return n.toString(16);
}

const reservedWords = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check ' +
    'collate collation column concurrently constraint create cross current_catalog current_date ' +
    'current_role current_schema current_time current_timestamp current_user default deferrable ' +
    'desc distinct do else end except false fetch for foreign freeze from full grant group having ' +
    'ilike in initially inner intersect into is isnull join lateral leading left like limit ' +
    'localtime localtimestamp natural not notnull null offset on only or order outer overlaps ' +
    'placing primary references returning right select session_user similar some symmetric table ' +
    'tablesample then to trailing true union unique user using variadic verbose when where window with'
  ).split(' '),
);

export function quoteIdent(s: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(s) && !reservedWords.has(s)) return s;
  return `"${s.replace(/"/g, '""')}"`;
}

export function quoteLiteral(s: string): string {
  const body = s.replace(/'/g, "''");
  if (s.includes('\\')) return `E'${body.replace(/\\/g, '\\\\')}'`;
  return `'${body}'`;
}

/** format(fmt, args...) with %s, %I, %L, %%, positions (`%2$s`) and widths (`%-10s`, `%*s`). */
function format(args: Value[], types: DataType[], ctx: EvalContext): Value {
  const fmt = args[0];
  if (fmt === null || fmt === undefined) return null;
  const f = fmt as string;
  let out = '';
  let next = 1;
  const argText = (i: number): string | null => {
    if (i >= args.length)
      throw new SqlError(SqlState.invalidParameterValue, 'too few arguments for format()');
    const v = args[i]!;
    return v === null ? null : textOf(v, types[i]!, ctx);
  };
  for (let i = 0; i < f.length; i++) {
    const c = f[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    i++;
    if (i >= f.length)
      throw new SqlError(
        SqlState.invalidParameterValue,
        'unterminated format() type specifier',
        undefined,
        undefined,
        'For a single "%" use "%%".',
      );
    if (f[i] === '%') {
      out += '%';
      continue;
    }
    // [position$][flags][width]type
    let argIndex: number | undefined;
    const pos = /^(\d+)\$/.exec(f.slice(i));
    if (pos) {
      const p = Number(pos[1]);
      if (p === 0)
        throw new SqlError(
          SqlState.invalidParameterValue,
          'format specifies argument 0, but arguments are numbered from 1',
        );
      argIndex = p;
      i += pos[0].length;
    }
    let leftAlign = false;
    while (f[i] === '-') {
      leftAlign = true;
      i++;
    }
    let width = 0;
    if (f[i] === '*') {
      i++;
      const wpos = /^(\d+)\$/.exec(f.slice(i));
      let wi: number;
      if (wpos) {
        wi = Number(wpos[1]);
        i += wpos[0].length;
      } else wi = next++;
      const wv = argText(wi);
      width = wv === null ? 0 : Number(wv);
      if (width < 0) {
        leftAlign = true;
        width = -width;
      }
    } else {
      const w = /^\d+/.exec(f.slice(i));
      if (w) {
        width = Number(w[0]);
        i += w[0].length;
      }
    }
    const type = f[i];
    if (type === undefined)
      throw new SqlError(
        SqlState.invalidParameterValue,
        'unterminated format() type specifier',
        undefined,
        undefined,
        'For a single "%" use "%%".',
      );
    if (type !== 's' && type !== 'I' && type !== 'L')
      throw new SqlError(
        SqlState.invalidParameterValue,
        `unrecognized format() type specifier "${type}"`,
        undefined,
        undefined,
        'For a single "%" use "%%".',
      );
    const ai = argIndex ?? next;
    next = ai + 1;
    const v = argText(ai);
    let piece: string;
    if (type === 's') piece = v ?? '';
    else if (type === 'I') {
      if (v === null)
        throw new SqlError('22004', 'null values cannot be formatted as an SQL identifier');
      piece = quoteIdent(v);
    } else piece = v === null ? 'NULL' : quoteLiteral(v);
    const len = charLength(piece);
    if (len < width)
      piece = leftAlign ? piece + ' '.repeat(width - len) : ' '.repeat(width - len) + piece;
    out += piece;
  }
  return out;
}

export function stringToArray(s: string, delim: string | null, nullStr: string | null): Value[] {
  if (s === '') return [];
  let parts: string[];
  if (delim === null) parts = codePoints(s);
  else if (delim === '') parts = [s];
  else parts = s.split(delim);
  return parts.map((p) => (nullStr !== null && p === nullStr ? null : p));
}

function chr(n: number): string {
  if (n === 0) throw new SqlError(SqlState.programLimitExceeded, 'null character not permitted');
  const u = n >>> 0;
  if (u > 0x10ffff)
    throw new SqlError(
      SqlState.programLimitExceeded,
      `requested character too large for encoding: ${u}`,
    );
  if (u >= 0xd800 && u <= 0xdfff)
    throw new SqlError(
      SqlState.programLimitExceeded,
      `requested character not valid for encoding: ${u}`,
    );
  return String.fromCodePoint(u);
}

function repeat(s: string, n: number): string {
  if (n <= 0 || s === '') return '';
  if (s.length * n > 1 << 28)
    throw new SqlError(SqlState.programLimitExceeded, 'requested length too large');
  return s.repeat(n);
}

function overlay(s: string, rep: string, from: number, count?: number): string {
  const n = count ?? charLength(rep);
  if (from < 1) throw new SqlError('22011', 'negative substring length not allowed');
  return substr(s, 1, from - 1) + rep + substr(s, from + n);
}

const s1 = (f: (s: string) => Value): Overload => ({
  args: [text],
  ret: text,
  eval: (a) => f(a[0] as string),
});

const defs: ScalarFunction[] = [
  scalar('length', [
    { args: [text], ret: int4, eval: (a) => charLength(a[0] as string) },
    { args: [T.bytea], ret: int4, eval: (a) => (a[0] as Uint8Array).length },
  ]),
  scalar('char_length', [{ args: [text], ret: int4, eval: (a) => charLength(a[0] as string) }]),
  scalar('character_length', [
    { args: [text], ret: int4, eval: (a) => charLength(a[0] as string) },
  ]),
  scalar('octet_length', [
    { args: [text], ret: int4, eval: (a) => utf8Length(a[0] as string) },
    { args: [T.bytea], ret: int4, eval: (a) => (a[0] as Uint8Array).length },
  ]),
  scalar('bit_length', [
    { args: [text], ret: int4, eval: (a) => utf8Length(a[0] as string) * 8 },
    { args: [T.bytea], ret: int4, eval: (a) => (a[0] as Uint8Array).length * 8 },
  ]),
  scalar('lower', [s1((s) => mapCase(s, false))]),
  scalar('upper', [s1((s) => mapCase(s, true))]),
  scalar('initcap', [s1(initcap)]),
  scalar('reverse', [s1((s) => codePoints(s).reverse().join(''))]),
  scalar('md5', [
    s1((s) => md5Hex(utf8Encode(s))),
    { args: [T.bytea], ret: text, eval: (a) => md5Hex(a[0] as Uint8Array) },
  ]),
  scalar(
    'ascii',
    [s1((s) => (s === '' ? 0 : s.codePointAt(0)!))].map((o) => ({ ...o, ret: int4 })),
  ),
  scalar('chr', [{ args: [int4], ret: text, eval: (a) => chr(a[0] as number) }]),
  ...['substr', 'substring'].map((name) =>
    scalar(name, [
      { args: [text, int4], ret: text, eval: (a) => substr(a[0] as string, a[1] as number) },
      {
        args: [text, int4, int4],
        ret: text,
        eval: (a) => substr(a[0] as string, a[1] as number, a[2] as number),
      },
      ...(name === 'substring'
        ? [
            {
              args: [text, text],
              ret: text,
              eval: (a: Value[]) => substringRegex(a[0] as string, a[1] as string),
            },
            {
              args: [text, text, text],
              ret: text,
              eval: (a: Value[]) =>
                substringSimilar(a[0] as string, a[1] as string, a[2] as string),
            },
          ]
        : []),
      {
        args: [T.bytea, int4],
        ret: T.bytea,
        eval: (a) => (a[0] as Uint8Array).slice(Math.max(0, (a[1] as number) - 1)),
      },
      {
        args: [T.bytea, int4, int4],
        ret: T.bytea,
        eval: (a) => {
          const start = a[1] as number;
          const n = a[2] as number;
          if (n < 0) throw new SqlError('22011', 'negative substring length not allowed');
          return (a[0] as Uint8Array).slice(Math.max(0, start - 1), Math.max(0, start - 1 + n));
        },
      },
    ]),
  ),
  scalar('strpos', [
    { args: [text, text], ret: int4, eval: (a) => strpos(a[0] as string, a[1] as string) },
  ]),
  scalar('position', [
    { args: [text, text], ret: int4, eval: (a) => strpos(a[1] as string, a[0] as string) },
  ]),
  scalar('replace', [
    {
      args: [text, text, text],
      ret: text,
      eval: (a) => {
        const from = a[1] as string;
        return from === '' ? (a[0] as string) : (a[0] as string).split(from).join(a[2] as string);
      },
    },
  ]),
  ...(
    [
      ['btrim', true, true],
      ['trim', true, true],
      ['ltrim', true, false],
      ['rtrim', false, true],
    ] as const
  ).map(([name, l, r]) =>
    scalar(name, [
      { args: [text], ret: text, eval: (a) => trimChars(a[0] as string, ' ', l, r) },
      {
        args: [text, text],
        ret: text,
        eval: (a) => trimChars(a[0] as string, a[1] as string, l, r),
      },
    ]),
  ),
  ...(['lpad', 'rpad'] as const).map((name) =>
    scalar(name, [
      {
        args: [text, int4],
        ret: text,
        eval: (a) => pad(a[0] as string, a[1] as number, ' ', name === 'lpad'),
      },
      {
        args: [text, int4, text],
        ret: text,
        eval: (a) => pad(a[0] as string, a[1] as number, a[2] as string, name === 'lpad'),
      },
    ]),
  ),
  scalar('left', [
    {
      args: [text, int4],
      ret: text,
      eval: (a) => {
        const cps = codePoints(a[0] as string);
        const n = a[1] as number;
        return cps.slice(0, n >= 0 ? n : Math.max(0, cps.length + n)).join('');
      },
    },
  ]),
  scalar('right', [
    {
      args: [text, int4],
      ret: text,
      eval: (a) => {
        const cps = codePoints(a[0] as string);
        const n = a[1] as number;
        return cps.slice(n >= 0 ? Math.max(0, cps.length - n) : Math.min(cps.length, -n)).join('');
      },
    },
  ]),
  scalar('repeat', [
    { args: [text, int4], ret: text, eval: (a) => repeat(a[0] as string, a[1] as number) },
  ]),
  scalar('concat', [
    {
      args: [],
      variadic: 'any',
      ret: text,
      strict: false,
      eval: (a) => a.map((v) => (v === null ? '' : typeof v === 'string' ? v : String(v))).join(''),
    },
  ]),
  scalar('concat_ws', [
    {
      args: [text],
      variadic: 'any',
      ret: text,
      strict: false,
      eval: (a) => {
        if (a[0] === null) return null;
        return a
          .slice(1)
          .filter((v) => v !== null)
          .map((v) => (typeof v === 'string' ? v : String(v)))
          .join(a[0] as string);
      },
    },
  ]),
  scalar('split_part', [
    {
      args: [text, text, int4],
      ret: text,
      eval: (a) => splitPart(a[0] as string, a[1] as string, a[2] as number),
    },
  ]),
  scalar('starts_with', [
    { args: [text, text], ret: bool, eval: (a) => (a[0] as string).startsWith(a[1] as string) },
  ]),
  scalar('translate', [
    {
      args: [text, text, text],
      ret: text,
      eval: (a) => translate(a[0] as string, a[1] as string, a[2] as string),
    },
  ]),
  scalar('to_hex', [
    { args: [int4], ret: text, eval: (a) => toHex(a[0]!, 32) },
    { args: [int8], ret: text, eval: (a) => toHex(a[0]!, 64) },
  ]),
  scalar('quote_ident', [s1(quoteIdent)]),
  scalar('quote_literal', [
    s1(quoteLiteral),
    { args: ['any'], ret: text, eval: (a) => quoteLiteral(String(a[0])) },
  ]),
  scalar('quote_nullable', [
    {
      args: [text],
      ret: text,
      strict: false,
      eval: (a) => (a[0] === null ? 'NULL' : quoteLiteral(a[0] as string)),
    },
  ]),
  scalar('string_to_array', [
    {
      args: [text, text],
      ret: textArr,
      strict: false,
      eval: (a) =>
        a[0] === null ? null : stringToArray(a[0] as string, a[1] as string | null, null),
    },
    {
      args: [text, text, text],
      ret: textArr,
      strict: false,
      eval: (a) =>
        a[0] === null
          ? null
          : stringToArray(a[0] as string, a[1] as string | null, a[2] as string | null),
    },
  ]),
  scalar('regexp_match', [
    {
      args: [text, text],
      ret: textArr,
      eval: (a) => regexpMatch(a[0] as string, a[1] as string, ''),
    },
    {
      args: [text, text, text],
      ret: textArr,
      eval: (a) => regexpMatch(a[0] as string, a[1] as string, a[2] as string),
    },
  ]),
  scalar('regexp_matches', [
    {
      args: [text, text],
      ret: textArr,
      eval: (a) => regexpMatchesRows(a[0] as string, a[1] as string, '')[0] ?? null,
    },
    {
      args: [text, text, text],
      ret: textArr,
      eval: (a) => regexpMatchesRows(a[0] as string, a[1] as string, a[2] as string)[0] ?? null,
    },
  ]),
  scalar('regexp_replace', [
    {
      args: [text, text, text],
      ret: text,
      eval: (a) => regexpReplace(a[0] as string, a[1] as string, a[2] as string, 1, undefined, ''),
    },
    {
      args: [text, text, text, text],
      ret: text,
      eval: (a) =>
        regexpReplace(a[0] as string, a[1] as string, a[2] as string, 1, undefined, a[3] as string),
    },
    {
      args: [text, text, text, int4],
      ret: text,
      eval: (a) =>
        regexpReplace(
          a[0] as string,
          a[1] as string,
          a[2] as string,
          a[3] as number,
          undefined,
          '',
        ),
    },
    {
      args: [text, text, text, int4, int4],
      ret: text,
      eval: (a) =>
        regexpReplace(
          a[0] as string,
          a[1] as string,
          a[2] as string,
          a[3] as number,
          a[4] as number,
          '',
        ),
    },
    {
      args: [text, text, text, int4, int4, text],
      ret: text,
      eval: (a) =>
        regexpReplace(
          a[0] as string,
          a[1] as string,
          a[2] as string,
          a[3] as number,
          a[4] as number,
          a[5] as string,
        ),
    },
  ]),
  scalar('regexp_count', [
    {
      args: [text, text],
      ret: int4,
      eval: (a) => regexpCount(a[0] as string, a[1] as string, 1, ''),
    },
    {
      args: [text, text, int4],
      ret: int4,
      eval: (a) => regexpCount(a[0] as string, a[1] as string, a[2] as number, ''),
    },
    {
      args: [text, text, int4, text],
      ret: int4,
      eval: (a) => regexpCount(a[0] as string, a[1] as string, a[2] as number, a[3] as string),
    },
  ]),
  scalar('regexp_like', [
    {
      args: [text, text],
      ret: bool,
      eval: (a) => posixRegex(a[1] as string, '').test(a[0] as string),
    },
    {
      args: [text, text, text],
      ret: bool,
      eval: (a) => {
        const fl = a[2] as string;
        if (fl.includes('g'))
          throw invalidParam('regexp_like() does not support the "global" option');
        return posixRegex(a[1] as string, fl).test(a[0] as string);
      },
    },
  ]),
  scalar('regexp_instr', [
    ...[2, 3, 4, 5, 6, 7].map((n): Overload => ({
      args: [text, text, int4, int4, int4, text, int4].slice(0, n),
      ret: int4,
      eval: (a) =>
        regexpInstr(
          a[0] as string,
          a[1] as string,
          (a[2] as number | undefined) ?? 1,
          (a[3] as number | undefined) ?? 1,
          (a[4] as number | undefined) ?? 0,
          (a[5] as string | undefined) ?? '',
          (a[6] as number | undefined) ?? 0,
        ),
    })),
  ]),
  scalar('regexp_substr', [
    ...[2, 3, 4, 5, 6].map((n): Overload => ({
      args: [text, text, int4, int4, text, int4].slice(0, n),
      ret: text,
      eval: (a) =>
        regexpSubstr(
          a[0] as string,
          a[1] as string,
          (a[2] as number | undefined) ?? 1,
          (a[3] as number | undefined) ?? 1,
          (a[4] as string | undefined) ?? '',
          (a[5] as number | undefined) ?? 0,
        ),
    })),
  ]),
  scalar('regexp_split_to_array', [
    {
      args: [text, text],
      ret: textArr,
      eval: (a) => regexpSplit(a[0] as string, a[1] as string, ''),
    },
    {
      args: [text, text, text],
      ret: textArr,
      eval: (a) => regexpSplit(a[0] as string, a[1] as string, a[2] as string),
    },
  ]),
  scalar('encode', [
    { args: [T.bytea, text], ret: text, eval: (a) => encode(a[0] as Uint8Array, a[1] as string) },
  ]),
  scalar('decode', [
    { args: [text, text], ret: T.bytea, eval: (a) => decode(a[0] as string, a[1] as string) },
  ]),
  scalar('convert_to', [
    {
      args: [text, text],
      ret: T.bytea,
      eval: (a) => {
        checkEncoding(a[1] as string);
        return utf8Encode(a[0] as string);
      },
    },
  ]),
  scalar('convert_from', [
    {
      args: [T.bytea, text],
      ret: text,
      eval: (a) => {
        checkEncoding(a[1] as string);
        return utf8Decode(a[0] as Uint8Array);
      },
    },
  ]),
  scalar('overlay', [
    {
      args: [text, text, int4],
      ret: text,
      eval: (a) => overlay(a[0] as string, a[1] as string, a[2] as number),
    },
    {
      args: [text, text, int4, int4],
      ret: text,
      eval: (a) => overlay(a[0] as string, a[1] as string, a[2] as number, a[3] as number),
    },
  ]),
  scalar('crc32', [
    { args: [T.bytea], ret: int8, eval: (a) => BigInt(crc32(a[0] as Uint8Array, 0xedb88320)) },
  ]),
  scalar('crc32c', [
    { args: [T.bytea], ret: int8, eval: (a) => BigInt(crc32(a[0] as Uint8Array, 0x82f63b78)) },
  ]),
  scalar('get_bit', [
    {
      args: [T.bytea, int8],
      ret: int4,
      eval: (a) => {
        const b = a[0] as Uint8Array;
        const n = Number(a[1]);
        if (n < 0 || n >= b.length * 8)
          throw new SqlError(
            SqlState.arraySubscriptError,
            `index ${n} out of valid range, 0..${b.length * 8 - 1}`,
          );
        return (b[n >> 3]! >> (n & 7)) & 1;
      },
    },
  ]),
  scalar('get_byte', [
    {
      args: [T.bytea, int4],
      ret: int4,
      eval: (a) => {
        const b = a[0] as Uint8Array;
        const n = a[1] as number;
        if (n < 0 || n >= b.length)
          throw new SqlError(
            SqlState.arraySubscriptError,
            `index ${n} out of valid range, 0..${b.length - 1}`,
          );
        return b[n]!;
      },
    },
  ]),
];

/** format() and the any-typed text functions need argument types for rendering. */
const typed: ScalarFunction[] = [
  {
    name: 'format',
    resolve(argTypes) {
      if (argTypes.length === 0) return undefined;
      const f = argTypes[0]!;
      if (f.kind !== 'text' && f.kind !== 'varchar' && f.kind !== 'unknown') return undefined;
      const types = argTypes.map((t, i) => (i === 0 || t.kind === 'unknown' ? T.text : t));
      return {
        argTypes: types,
        returnType: text,
        strict: false,
        eval: (a, ctx) => format(a, types, ctx),
      };
    },
  },
  {
    name: 'concat',
    resolve(argTypes) {
      const types = argTypes.map((t) => (t.kind === 'unknown' ? T.text : t));
      return {
        argTypes: types,
        returnType: text,
        strict: false,
        eval: (a, ctx) => a.map((v, i) => (v === null ? '' : textOf(v, types[i]!, ctx))).join(''),
      };
    },
  },
  {
    name: 'concat_ws',
    resolve(argTypes) {
      if (argTypes.length < 1) return undefined;
      const types = argTypes.map((t) => (t.kind === 'unknown' ? T.text : t));
      if (types[0]!.kind !== 'text' && types[0]!.kind !== 'varchar') return undefined;
      types[0] = T.text;
      return {
        argTypes: types,
        returnType: text,
        strict: false,
        eval: (a, ctx) => {
          if (a[0] === null) return null;
          const parts: string[] = [];
          for (let i = 1; i < a.length; i++) {
            const v = a[i]!;
            if (v !== null) parts.push(textOf(v, types[i]!, ctx));
          }
          return parts.join(a[0] as string);
        },
      };
    },
  },
  {
    name: 'quote_literal',
    resolve(argTypes) {
      if (argTypes.length !== 1) return undefined;
      const t = argTypes[0]!.kind === 'unknown' ? T.text : argTypes[0]!;
      return {
        argTypes: [t],
        returnType: text,
        eval: (a, ctx) => quoteLiteral(textOf(a[0]!, t, ctx)),
      };
    },
  },
  {
    name: 'quote_nullable',
    resolve(argTypes) {
      if (argTypes.length !== 1) return undefined;
      const t = argTypes[0]!.kind === 'unknown' ? T.text : argTypes[0]!;
      return {
        argTypes: [t],
        returnType: text,
        strict: false,
        eval: (a, ctx) => (a[0] === null ? 'NULL' : quoteLiteral(textOf(a[0]!, t, ctx))),
      };
    },
  },
];

export const stringFunctions: ScalarFunction[] = [
  ...defs.filter((d) => !typed.some((t) => t.name === d.name)),
  ...typed,
];
