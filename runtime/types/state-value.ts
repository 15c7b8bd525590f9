/**
 * The lossless JSON form of SQL values (`StateJson`): how non-native values are written in
 * Arrow Utf8 cells (storage/arrow-codec.ts), and how operator and accumulator state is written
 * to checkpoints. Values whose JSON form would be lossy or ambiguous are tagged objects with
 * one key:
 *
 * | value                         | form                 |
 * | ----------------------------- | -------------------- |
 * | bigint                        | `{"b": "123"}`       |
 * | NaN, ±Infinity, -0 (doubles)  | `{"f": "NaN"}`       |
 * | Decimal                       | `{"n": "1.50"}`      |
 * | Interval                      | `{"i": [m, d, "µs"]}`|
 * | Jsonb                         | `{"j": "{...}"}`     |
 * | Uint8Array                    | `{"y": [bytes]}`     |
 * | StructValue                   | `{"s": [...]}`       |
 *
 * Arrays stay arrays; other objects never appear as values, so a one-key object is always a tag.
 */
import { SqlError, SqlState } from '../errors.js';
import { Decimal } from './numeric.js';
import { Interval } from './interval.js';
import { Jsonb } from './jsonb.js';
import { StructValue, type Value } from './value.js';

export type StateJson = null | boolean | number | string | StateJson[] | { [k: string]: StateJson };

export function encodeValue(v: Value): StateJson {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number')
    return Number.isFinite(v) && !Object.is(v, -0) ? v : { f: Object.is(v, -0) ? '-0' : String(v) };
  if (typeof v === 'bigint') return { b: v.toString() };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v instanceof Decimal) return { n: v.toString() };
  if (v instanceof Interval) return { i: [v.months, v.days, v.micros.toString()] };
  if (v instanceof Jsonb) return { j: v.toString() };
  if (v instanceof Uint8Array) return { y: Array.from(v) };
  return { s: v.fields.map(encodeValue) };
}

function corrupt(what: string): SqlError {
  return new SqlError(SqlState.dataCorrupted, `operator state holds an invalid value: ${what}`);
}

export function decodeValue(j: StateJson): Value {
  if (j === null || typeof j === 'boolean' || typeof j === 'string' || typeof j === 'number')
    return j;
  if (Array.isArray(j)) return j.map(decodeValue);
  const [tag, body] = Object.entries(j)[0] ?? [];
  switch (tag) {
    case 'b':
      return BigInt(body as string);
    case 'f':
      return body === '-0' ? -0 : Number(body as string);
    case 'n':
      return Decimal.parse(body as string);
    case 'i': {
      const [m, d, us] = body as [number, number, string];
      return new Interval(m, d, BigInt(us));
    }
    case 'j':
      return Jsonb.parse(body as string);
    case 'y':
      return Uint8Array.from(body as number[]);
    case 's':
      return new StructValue((body as StateJson[]).map(decodeValue));
    default:
      throw corrupt(JSON.stringify(j).slice(0, 80));
  }
}

export const encodeRow = (r: readonly Value[]): StateJson[] => r.map(encodeValue);
export const decodeRow = (j: StateJson): Value[] => (j as StateJson[]).map(decodeValue);
