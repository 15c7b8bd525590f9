/**
 * Ordering and equality of SQL values, as PostgreSQL's btree and hash opclasses define them:
 * a total order per type (NaN sorts above every other float or numeric; strings compare by code
 * point, Sluice's C collation), and a canonical key per value for hashing (GROUP BY, DISTINCT,
 * joins) such that keys are equal exactly when the values are `=`.
 */
import type { DataType } from './datatype.js';
import type { Value } from './value.js';
import { StructValue } from './value.js';
import { Decimal } from './numeric.js';
import { Interval } from './interval.js';
import { Jsonb, JsonObject, type JsonValue } from './jsonb.js';

/** Code-point order (UTF-16 order differs only where astral characters meet U+E000..U+FFFF). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const sx = x >= 0xd800 && x <= 0xdfff;
      const sy = y >= 0xd800 && y <= 0xdfff;
      if (sx !== sy) return sx ? 1 : -1; // a surrogate half encodes a code point above U+FFFF
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function cmpPrim<T extends number | bigint>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Floats: -0 = 0, NaN = NaN and NaN above everything, as PostgreSQL. */
export function compareFloat(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return cmpPrim(a.length, b.length);
}

/** Element lists: NULLs sort after non-NULLs; a shorter prefix sorts first. */
function compareLists(a: Value[], b: Value[], types: (i: number) => DataType): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === null || y === null) {
      if (x === null && y === null) continue;
      return x === null ? 1 : -1;
    }
    const c = compareValues(x, y, types(i));
    if (c !== 0) return c;
  }
  return cmpPrim(a.length, b.length);
}

/** Order of two non-null values of type `t`: negative, zero or positive. */
export function compareValues(a: Value, b: Value, t: DataType): number {
  switch (t.kind) {
    case 'boolean':
      return a === b ? 0 : a ? 1 : -1;
    case 'int2':
    case 'int4':
    case 'date':
      return cmpPrim(a as number, b as number);
    case 'int8':
    case 'time':
    case 'timestamp':
    case 'timestamptz':
      return cmpPrim(a as bigint, b as bigint);
    case 'float4':
    case 'float8':
      return compareFloat(a as number, b as number);
    case 'numeric':
      return (a as Decimal).cmp(b as Decimal);
    case 'varchar':
    case 'text':
    case 'unknown':
      return compareText(String(a), String(b));
    case 'interval':
      return (a as Interval).cmp(b as Interval);
    case 'jsonb':
      return (a as Jsonb).cmp(b as Jsonb);
    case 'bytea':
      return compareBytes(a as Uint8Array, b as Uint8Array);
    case 'array':
      return compareLists(a as Value[], b as Value[], () => t.element);
    case 'struct': {
      const fa = a instanceof StructValue ? a.fields : (a as Value[]);
      const fb = b instanceof StructValue ? b.fields : (b as Value[]);
      return compareLists(fa, fb, (i) => t.fields[i]?.type ?? { kind: 'text' });
    }
  }
}

export function valuesEqual(a: Value, b: Value, t: DataType): boolean {
  return compareValues(a, b, t) === 0;
}

function jsonKey(v: JsonValue): string {
  if (v === null) return 'n';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Decimal) return `#${v.trimScale().toString()}`;
  if (Array.isArray(v)) return `[${v.map(jsonKey).join(',')}]`;
  const o = v as JsonObject;
  return `{${[...o.entries].map(([k, x]) => `${JSON.stringify(k)}:${jsonKey(x)}`).join(',')}}`;
}

function listKey(items: Value[], types: (i: number) => DataType): string {
  let s = '';
  items.forEach((x, i) => {
    if (x === null) s += 'N;';
    else {
      const k = valueKey(x, types(i));
      s += `${k.length}:${k};`;
    }
  });
  return s;
}

/**
 * Canonical text of a non-null value: equal (`=`) values give equal keys and unequal values give
 * different keys (numeric 1.0 and 1.00 share a key; so do float -0 and 0, and intervals of equal
 * span).
 */
export function valueKey(v: Value, t: DataType): string {
  switch (t.kind) {
    case 'boolean':
      return v ? 't' : 'f';
    case 'float4':
    case 'float8': {
      const x = v as number;
      return Number.isNaN(x) ? 'NaN' : x === 0 ? '0' : String(x);
    }
    case 'numeric':
      return (v as Decimal).trimScale().toString();
    case 'interval':
      return (v as Interval).span().toString();
    case 'jsonb':
      return jsonKey((v as Jsonb).value);
    case 'bytea': {
      let s = '';
      for (const b of v as Uint8Array) s += b.toString(16).padStart(2, '0');
      return s;
    }
    case 'array':
      return `[${listKey(v as Value[], () => t.element)}]`;
    case 'struct': {
      const f = v instanceof StructValue ? v.fields : (v as Value[]);
      return `(${listKey(f, (i) => t.fields[i]?.type ?? { kind: 'text' })})`;
    }
    default:
      return String(v);
  }
}
