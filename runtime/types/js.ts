/**
 * Conversion of plain JavaScript values (library parameters, inserted objects) into Sluice's
 * representation of a SQL type: numbers become bigint for bigint columns and exact decimals for
 * numeric ones, Dates become timestamps, strings are parsed with the type's text input.
 */
import type { DataType } from './datatype.js';
import type { Value } from './value.js';
import { Decimal } from './numeric.js';
import { Interval } from './interval.js';
import { Jsonb } from './jsonb.js';
import { parseValue, type ParseContext } from './parse.js';
import { SqlError, SqlState } from '../errors.js';

export function jsToValue(v: unknown, t: DataType, ctx: ParseContext): Value {
  if (v === null || v === undefined) return null;
  if (t.kind === 'unknown') return typeof v === 'string' ? v : (v as Value);
  if (typeof v === 'string') {
    if (t.kind === 'text' || t.kind === 'varchar') return v;
    return parseValue(v, t, ctx);
  }
  switch (t.kind) {
    case 'int2':
    case 'int4':
    case 'float4':
    case 'float8':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      break;
    case 'int8':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
      break;
    case 'numeric':
      if (v instanceof Decimal) return v;
      if (typeof v === 'number') return Decimal.fromNumber(v);
      if (typeof v === 'bigint') return Decimal.fromBigInt(v);
      break;
    case 'boolean':
      if (typeof v === 'boolean') return v;
      break;
    case 'timestamp':
    case 'timestamptz':
      if (v instanceof Date) return BigInt(v.getTime()) * 1000n;
      if (typeof v === 'bigint') return v;
      break;
    case 'date':
      if (v instanceof Date) return Math.floor(v.getTime() / 86_400_000);
      if (typeof v === 'number') return v;
      break;
    case 'interval':
      if (v instanceof Interval) return v;
      break;
    case 'jsonb':
      return v instanceof Jsonb ? v : Jsonb.fromJs(v);
    case 'array':
      if (Array.isArray(v)) return v.map((x) => jsToValue(x, t.element, ctx));
      break;
    default:
      break;
  }
  if (
    typeof v === 'object' &&
    (v instanceof Decimal || v instanceof Interval || v instanceof Uint8Array)
  )
    return v;
  throw new SqlError(
    SqlState.invalidParameterValue,
    `cannot use a JavaScript ${typeof v} as a value of type ${t.kind}`,
  );
}
