/**
 * A multiset of rows with signed counts (a Z-set in DBSP terms): the integral of a change
 * stream. Rows are keyed by their exact written form (`exactRowKey`), so only identical rows
 * share an entry: values that compare equal but print differently (numeric 1.0 and 1.00,
 * interval '1 day' and '24 hours', float -0 and 0) stay apart, and deleting one removes that one.
 */
import type { DataType } from '../types/datatype.js';
import type { Row, Value } from '../types/value.js';
import { Decimal } from '../types/numeric.js';
import { valueKey } from '../types/compare.js';
import { isIntegral } from './columnar.js';
import { formatValue } from '../types/format.js';
import { SqlError, SqlState } from '../errors.js';

/** Types whose equal values can be written differently: those exactValueKey tells apart. */
const WRITTEN_FORM_KINDS = new Set([
  'numeric',
  'float4',
  'float8',
  'interval',
  'jsonb',
  'array',
  'struct',
]);

/** Whether equal values of `t` can be written differently (numeric 1.0 and 1.00, …). */
export function hasWrittenForms(t: DataType): boolean {
  return WRITTEN_FORM_KINDS.has(t.kind);
}

/** A key telling apart values that are equal but written differently. */
function exactValueKey(v: Value, t: DataType): string {
  switch (t.kind) {
    case 'numeric':
      return (v as Decimal).toString();
    case 'float4':
    case 'float8':
      return Object.is(v, -0) ? '-0' : valueKey(v, t);
    case 'interval':
    case 'jsonb':
    case 'array':
    case 'struct':
      return formatValue(v, t, { timeZone: 'UTC' });
    default:
      return valueKey(v, t);
  }
}

/** Key of a row's exact form; rows with equal keys are indistinguishable in output. */
export function exactRowKey(values: Row, types: DataType[]): string {
  let k = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? null;
    k += v === null ? '\u0001N' : `\u0001${exactValueKey(v, types[i]!)}`;
  }
  return k;
}

/** Whether two rows have the same exact form (as `exactRowKey` would tell), without keys. */
export function sameExactRow(a: Row, b: Row, types: DataType[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (Object.is(x, y)) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
    if (x instanceof Decimal && y instanceof Decimal) {
      if (!x.sameForm(y)) return false;
      continue;
    }
    const t = types[i]!;
    if (exactValueKey(x, t) !== exactValueKey(y, t)) return false;
  }
  return true;
}

export interface Entry {
  row: Row;
  count: number;
}

export class RowMultiset {
  readonly entries = new Map<string, Entry>();
  private total = 0;

  constructor(private readonly types: DataType[]) {}

  get size(): number {
    return this.total;
  }

  /** Keys of rows added, by row object: a retraction usually passes the row it once added. */
  private readonly keys = new WeakMap<Row, string>();

  keyOf(row: Row): string {
    let k = this.keys.get(row);
    if (k === undefined) {
      k = exactRowKey(row, this.types);
      this.keys.set(row, k);
    }
    return k;
  }

  /** Adds `sign` copies of `row`; returns the row's count after the change. */
  add(row: Row, sign: number, key = this.keyOf(row)): number {
    const e = this.entries.get(key);
    const count = (e?.count ?? 0) + sign;
    if (count < 0)
      throw new SqlError(
        SqlState.internalError,
        'stream state inconsistency: retracting a row that is not present',
      );
    if (count === 0) this.entries.delete(key);
    else if (e) e.count = count;
    else this.entries.set(key, { row, count });
    this.total += sign;
    return count;
  }

  /** Every row, repeated by its count. */
  rows(): Row[] {
    const out: Row[] = [];
    for (const e of this.entries.values()) for (let i = 0; i < e.count; i++) out.push(e.row);
    return out;
  }
}

/**
 * Emits the difference between two multisets of output rows as changes: rows only in `before`
 * as deletes, rows only in `after` as inserts; a single replaced row becomes an update pair.
 */
export function diffRows(
  before: Row[],
  after: Row[],
  types: DataType[],
  emit: (op: '+' | '-' | 'U-' | 'U+', row: Row) => void,
): void {
  const counts = new Map<string, { row: Row; n: number }>();
  for (const r of before) {
    const k = exactRowKey(r, types);
    const e = counts.get(k);
    if (e) e.n--;
    else counts.set(k, { row: r, n: -1 });
  }
  for (const r of after) {
    const k = exactRowKey(r, types);
    const e = counts.get(k);
    if (e) e.n++;
    else counts.set(k, { row: r, n: 1 });
  }
  const dels: Row[] = [];
  const ins: Row[] = [];
  for (const { row, n } of counts.values()) {
    for (let i = 0; i < -n; i++) dels.push(row);
    for (let i = 0; i < n; i++) ins.push(row);
  }
  if (dels.length === 1 && ins.length === 1) {
    emit('U-', dels[0]!);
    emit('U+', ins[0]!);
    return;
  }
  for (const r of dels) emit('-', r);
  for (const r of ins) emit('+', r);
}

/**
 * The rows of a stream whose rows are unique on some columns (an aggregate's group key): one
 * row per key, found by a key built from those columns alone. Only the key's current row can
 * be retracted; anything else is a state inconsistency.
 */
export class KeyedRows {
  /**
   * Key → row. A lone integral key column is keyed by its value itself (each such type has one
   * JS representation, and Map compares bigints by value); other keys by their key string.
   */
  readonly entries = new Map<Value | string, Row>();
  private readonly rawKey: boolean;

  constructor(
    private readonly key: number[],
    private readonly types: DataType[],
  ) {
    this.rawKey = key.length === 1 && isIntegral(types[key[0]!]!);
  }

  get size(): number {
    return this.entries.size;
  }

  keyOf(row: Row): Value | string {
    const key = this.key;
    if (key.length === 1) {
      const v = row[key[0]!] ?? null;
      if (this.rawKey) return v;
      return v === null ? '\u0001N' : valueKey(v, this.types[key[0]!]!);
    }
    let k = '';
    for (const c of key) {
      const v = row[c] ?? null;
      k += v === null ? '\u0001N' : `\u0001${valueKey(v, this.types[c]!)}`;
    }
    return k;
  }

  add(row: Row, sign: number): void {
    const k = this.keyOf(row);
    if (sign > 0) {
      if (this.entries.has(k)) throw inconsistency('a second row for one key');
      this.entries.set(k, row);
    } else {
      this.take(k, row);
      this.entries.delete(k);
    }
  }

  /** Applies an update pair: `prev` (which must be present) becomes `next`. */
  update(prev: Row, next: Row): void {
    const k = this.keyOf(prev);
    const k2 = this.keyOf(next);
    this.take(k, prev);
    if (k2 === k) {
      this.entries.set(k, next);
      return;
    }
    this.entries.delete(k);
    this.add(next, 1);
  }

  private take(k: Value | string, row: Row): void {
    const cur = this.entries.get(k);
    if (!cur || !sameExactRow(cur, row, this.types))
      throw inconsistency('retracting a row that is not present');
  }

  rows(): Row[] {
    return [...this.entries.values()];
  }
}

function inconsistency(what: string): SqlError {
  return new SqlError(SqlState.internalError, `stream state inconsistency: ${what}`);
}
