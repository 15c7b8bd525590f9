/**
 * Row keys: comparison of ORDER BY keys (NULLS FIRST/LAST, DESC), shared by sort, window and
 * top-N, and the string key of grouping, DISTINCT and join values.
 */
import type { SortKey } from '../plan/logical.js';
import type { Value } from '../types/value.js';
import { compareValues, valueKey } from '../types/compare.js';
import type { DataType } from '../types/datatype.js';

export interface KeyOrder {
  desc: boolean;
  nullsFirst: boolean;
  type: DataType;
}

export function keyOrders(keys: SortKey[]): KeyOrder[] {
  return keys.map((k) => ({ desc: k.desc, nullsFirst: k.nullsFirst, type: k.expr.type }));
}

/** Compares two key tuples. */
export function compareKeys(a: Value[], b: Value[], orders: KeyOrder[]): number {
  for (let i = 0; i < orders.length; i++) {
    const o = orders[i]!;
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === null || y === null) {
      if (x === y) continue;
      // NULL sorts as larger than every value unless NULLS FIRST.
      return (x === null) === o.nullsFirst ? -1 : 1;
    }
    const c = compareValues(x, y, o.type);
    if (c !== 0) return o.desc ? -c : c;
  }
  return 0;
}

export function rowKey(values: Value[], types: DataType[]): string {
  let k = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? null;
    k += v === null ? '\u0001N' : `\u0001${valueKey(v, types[i]!)}`;
  }
  return k;
}
