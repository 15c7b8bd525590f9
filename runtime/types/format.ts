/**
 * PostgreSQL text output for every Sluice type (what psql and the wire protocol's text format
 * show): `t`/`f`, shortest round-trip floats, NUMERIC with its scale, ISO dates, `{1,2,NULL}`
 * arrays, `(1,abc)` records, `\x..` bytea.
 */
import type { DataType } from './datatype.js';
import type { Value } from './value.js';
import { StructValue } from './value.js';
import { Decimal } from './numeric.js';
import { Interval } from './interval.js';
import { Jsonb } from './jsonb.js';
import { formatDate, formatTime, formatTimestamp, formatTimestamptz } from './datetime.js';

export interface FormatContext {
  timeZone: string;
}

/** Digits and decimal exponent of a float's shortest representation (`digits` has no point). */
function shortestDigits(x: number, float4: boolean): { digits: string; exp: number } {
  let s: string | undefined;
  if (float4) {
    for (let p = 1; p <= 9; p++) {
      const t = x.toExponential(p - 1);
      if (Math.fround(Number(t)) === x) {
        s = t;
        break;
      }
    }
  }
  s ??= x.toExponential();
  const m = /^-?(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s)!;
  const digits = (m[1]! + (m[2] ?? '')).replace(/0+$/, '') || '0';
  return { digits, exp: Number(m[3]) };
}

/**
 * PostgreSQL 15 float output (extra_float_digits = 1): the shortest digits that read back to the
 * same value, in fixed notation for decimal exponents from -4 up to 14 (6 for real).
 */
export function formatFloat(x: number, float4 = false): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const neg = x < 0;
  const { digits, exp } = shortestDigits(Math.abs(x), float4);
  const maxFixed = float4 ? 6 : 15;
  let out: string;
  if (exp < -4 || exp >= maxFixed) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, '0');
    out = `${mant}e${exp < 0 ? '-' : '+'}${e}`;
  } else if (exp < 0) {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    out = digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return neg ? `-${out}` : out;
}

export function formatBytea(b: Uint8Array): string {
  let s = '\\x';
  for (const byte of b) s += byte.toString(16).padStart(2, '0');
  return s;
}

function quoteArrayElement(s: string): string {
  if (s === '' || /["\\{},\s]/.test(s) || s.toUpperCase() === 'NULL')
    return `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  return s;
}

function quoteRecordField(s: string): string {
  if (s === '' || /["\\(),\s]/.test(s)) return `"${s.replace(/["\\]/g, (c) => c + c)}"`;
  return s;
}

/** Text of a non-null or null value of type `t` (NULL prints as an empty string here). */
export function formatValue(v: Value, t: DataType, ctx: FormatContext): string {
  if (v === null) return '';
  switch (t.kind) {
    case 'boolean':
      return v ? 't' : 'f';
    case 'int2':
    case 'int4':
    case 'int8':
      return String(v);
    case 'float4':
      return formatFloat(v as number, true);
    case 'float8':
      return formatFloat(v as number, false);
    case 'numeric':
      return v instanceof Decimal ? v.toString() : String(v);
    case 'varchar':
    case 'text':
    case 'unknown':
      return typeof v === 'string' ? v : String(v);
    case 'date':
      return formatDate(v as number);
    case 'time':
      return formatTime(v as bigint);
    case 'timestamp':
      return formatTimestamp(v as bigint);
    case 'timestamptz':
      return formatTimestamptz(v as bigint, ctx.timeZone);
    case 'interval':
      return (v as Interval).toString();
    case 'jsonb':
      return v instanceof Jsonb ? v.toString() : Jsonb.fromJs(v).toString();
    case 'bytea':
      return formatBytea(v as Uint8Array);
    case 'array': {
      const items = (v as Value[]).map((e) => {
        if (e === null) return 'NULL';
        if (t.element.kind === 'array') return formatValue(e, t.element, ctx);
        return quoteArrayElement(formatValue(e, t.element, ctx));
      });
      return `{${items.join(',')}}`;
    }
    case 'struct': {
      const fields = v instanceof StructValue ? v.fields : (v as Value[]);
      return `(${fields
        .map((f, i) => {
          if (f === null) return '';
          const ft = t.fields[i]?.type ?? { kind: 'text' };
          return quoteRecordField(formatValue(f, ft, ctx));
        })
        .join(',')})`;
    }
  }
}
