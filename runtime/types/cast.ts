/**
 * Casts between SQL types with PostgreSQL's semantics (`CAST`, `::`, assignment to columns) and
 * the cast contexts (implicit / assignment / explicit) that decide where each cast may be applied
 * without being written.
 */
import { SqlError, SqlState } from '../errors.js';
import type { DataType } from './datatype.js';
import { isInteger, isNumeric, isString, typeName, typesEqual } from './datatype.js';
import type { Value } from './value.js';
import { StructValue } from './value.js';
import { canImplicitCast } from './coerce.js';
import { Decimal } from './numeric.js';
import { Interval } from './interval.js';
import { Jsonb } from './jsonb.js';
import {
  MICROS_PER_DAY,
  dateToTimestamp,
  isFiniteTimestamp,
  localToUtc,
  timestampToDate,
  timestampToTime,
  utcToLocal,
} from './datetime.js';
import { formatValue } from './format.js';
import { checkVarchar, parseValue } from './parse.js';

export interface CastContext {
  timeZone: string;
  statementTime?: bigint;
}

export type CastContextKind = 'implicit' | 'assignment' | 'explicit';

const INT_RANGE = {
  int2: [-32768, 32767, 'smallint'],
  int4: [-2147483648, 2147483647, 'integer'],
  int8: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'bigint'],
} as const;

const INT8_MIN = -9223372036854775808n;
const INT8_MAX = 9223372036854775807n;

function intOutOfRange(kind: 'int2' | 'int4' | 'int8'): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, `${INT_RANGE[kind][2]} out of range`);
}

/** Check an integer result against the range of `kind` (bigint for int8). */
export function toIntKind(v: bigint, kind: 'int2' | 'int4' | 'int8'): number | bigint {
  if (kind === 'int8') {
    if (v < INT8_MIN || v > INT8_MAX) throw intOutOfRange(kind);
    return v;
  }
  const [lo, hi] = INT_RANGE[kind];
  if (v < BigInt(lo) || v > BigInt(hi)) throw intOutOfRange(kind);
  return Number(v);
}

/** Round half to even, as C's rint() under the default rounding mode. */
export function rint(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}

function floatToInt(x: number, kind: 'int2' | 'int4' | 'int8'): number | bigint {
  if (!Number.isFinite(x)) throw intOutOfRange(kind);
  const r = rint(x);
  if (kind === 'int8') {
    if (r < -9223372036854775808 || r >= 9223372036854775808) throw intOutOfRange(kind);
    return BigInt(r);
  }
  const [lo, hi] = INT_RANGE[kind];
  if (r < lo || r > hi) throw intOutOfRange(kind);
  return r;
}

function toFloat4(x: number): number {
  const f = Math.fround(x);
  if (!Number.isFinite(f) && Number.isFinite(x))
    throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
  if (f === 0 && x !== 0)
    throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: underflow');
  return f;
}

function numToDecimal(v: Value, from: DataType): Decimal {
  switch (from.kind) {
    case 'int2':
    case 'int4':
      return Decimal.fromBigInt(BigInt(v as number));
    case 'int8':
      return Decimal.fromBigInt(v as bigint);
    case 'float4':
      return Decimal.fromNumber(v as number, 6);
    case 'float8':
      return Decimal.fromNumber(v as number, 15);
    case 'numeric':
      return v as Decimal;
    default:
      throw new Error(`not numeric: ${from.kind}`);
  }
}

function castNumeric(v: Value, from: DataType, to: DataType): Value {
  switch (to.kind) {
    case 'int2':
    case 'int4':
    case 'int8':
      switch (from.kind) {
        case 'int2':
        case 'int4':
          return toIntKind(BigInt(v as number), to.kind);
        case 'int8':
          return toIntKind(v as bigint, to.kind);
        case 'float4':
        case 'float8':
          return floatToInt(v as number, to.kind);
        default:
          return (v as Decimal).toInt(to.kind);
      }
    case 'float4':
    case 'float8': {
      const x =
        from.kind === 'numeric'
          ? (v as Decimal).toNumber()
          : from.kind === 'int8'
            ? Number(v as bigint)
            : (v as number);
      return to.kind === 'float4' ? toFloat4(x) : x;
    }
    case 'numeric':
      return numToDecimal(v, from).withTypmod(to.precision, to.scale);
    default:
      throw cannotCast(from, to);
  }
}

export function cannotCast(from: DataType, to: DataType): SqlError {
  return new SqlError(
    SqlState.cannotCoerce,
    `cannot cast type ${typeName(from)} to ${typeName(to)}`,
  );
}

function jsonbTo(j: Jsonb, to: DataType): Value {
  const kind = j.typeName();
  const fail = (): SqlError =>
    new SqlError(
      SqlState.invalidParameterValue,
      `cannot cast jsonb ${kind} to type ${typeName(to)}`,
    );
  if (to.kind === 'boolean') {
    if (kind !== 'boolean') throw fail();
    return j.value as boolean;
  }
  if (isNumeric(to)) {
    if (kind !== 'number') throw fail();
    return castNumeric(j.value as Decimal, { kind: 'numeric' }, to);
  }
  throw fail();
}

/**
 * Convert non-null `v` of type `from` to type `to`. `mode` matters only for varchar(n): an
 * explicit cast truncates, an assignment raises 22001 unless the excess is spaces.
 */
export function castValue(
  v: Value,
  from: DataType,
  to: DataType,
  ctx: CastContext,
  mode: CastContextKind = 'explicit',
): Value {
  if (v === null) return null;
  if (from.kind === 'unknown') return parseValue(String(v), to, ctx);
  switch (to.kind) {
    case 'text':
      if (from.kind === 'boolean') return v ? 'true' : 'false';
      return formatValue(v, from, ctx);
    case 'varchar': {
      const s = from.kind === 'boolean' ? (v ? 'true' : 'false') : formatValue(v, from, ctx);
      if (to.length === undefined) return s;
      if (mode === 'explicit') {
        const chars = [...s];
        return chars.length > to.length ? chars.slice(0, to.length).join('') : s;
      }
      return checkVarchar(s, to.length);
    }
  }
  if (isString(from)) return parseValue(v as string, to, ctx);
  if (typesEqual(from, to) && to.kind !== 'numeric' && to.kind !== 'array' && to.kind !== 'struct')
    return v;
  if (isNumeric(from) && isNumeric(to)) return castNumeric(v, from, to);
  if (from.kind === 'boolean' && isInteger(to)) return toIntKind(v ? 1n : 0n, to.kind as 'int2');
  if (isInteger(from) && to.kind === 'boolean') return from.kind === 'int8' ? v !== 0n : v !== 0;
  const zone = ctx.timeZone;
  switch (from.kind) {
    case 'date':
      if (to.kind === 'timestamp') return dateToTimestamp(v as number);
      if (to.kind === 'timestamptz') return localToUtc(dateToTimestamp(v as number), zone);
      break;
    case 'timestamp':
      if (to.kind === 'date') return timestampToDate(v as bigint);
      if (to.kind === 'timestamptz') return localToUtc(v as bigint, zone);
      if (to.kind === 'time') {
        if (!isFiniteTimestamp(v as bigint)) throw cannotCastInfinite();
        return timestampToTime(v as bigint);
      }
      break;
    case 'timestamptz': {
      const local = utcToLocal(v as bigint, zone);
      if (to.kind === 'timestamp') return local;
      if (to.kind === 'date') return timestampToDate(local);
      if (to.kind === 'time') {
        if (!isFiniteTimestamp(local)) throw cannotCastInfinite();
        return timestampToTime(local);
      }
      break;
    }
    case 'time':
      if (to.kind === 'interval') return new Interval(0, 0, v as bigint);
      break;
    case 'interval':
      if (to.kind === 'time') {
        let r = (v as Interval).micros % MICROS_PER_DAY;
        if (r < 0n) r += MICROS_PER_DAY;
        return r;
      }
      break;
    case 'jsonb':
      return jsonbTo(v as Jsonb, to);
    case 'array':
      if (to.kind === 'array')
        return (v as Value[]).map((e) =>
          e === null ? null : castValue(e, from.element, to.element, ctx, mode),
        );
      break;
    case 'struct':
      if (to.kind === 'struct') {
        const f = v instanceof StructValue ? v.fields : (v as Value[]);
        if (f.length !== to.fields.length) throw cannotCast(from, to);
        return new StructValue(
          f.map((x, i) =>
            x === null ? null : castValue(x, from.fields[i]!.type, to.fields[i]!.type, ctx, mode),
          ),
        );
      }
      break;
    case 'numeric':
      break;
    default:
      break;
  }
  if (typesEqual(from, to)) return v;
  throw cannotCast(from, to);
}

function cannotCastInfinite(): SqlError {
  return new SqlError(SqlState.datetimeFieldOverflow, 'time out of range');
}

const numericRank: Partial<Record<DataType['kind'], number>> = {
  int2: 1,
  int4: 2,
  int8: 3,
  numeric: 4,
  float4: 5,
  float8: 6,
};

/**
 * The context in which a cast from `from` to `to` exists (PostgreSQL's pg_cast.castcontext, plus
 * I/O conversion casts: to text is assignment, from text is explicit), or undefined if none.
 */
export function canCast(from: DataType, to: DataType): CastContextKind | undefined {
  if (canImplicitCast(from, to)) return 'implicit';
  if (from.kind === 'array' && to.kind === 'array') return canCast(from.element, to.element);
  if (from.kind === 'struct' && to.kind === 'struct') {
    if (from.fields.length !== to.fields.length) return undefined;
    let worst: CastContextKind = 'implicit';
    for (let i = 0; i < from.fields.length; i++) {
      const c = canCast(from.fields[i]!.type, to.fields[i]!.type);
      if (c === undefined) return undefined;
      if (c === 'explicit' || (c === 'assignment' && worst === 'implicit')) worst = c;
    }
    // A row value is assigned to a composite column field by field (as PostgreSQL's record → composite).
    return worst === 'implicit' ? 'assignment' : worst;
  }
  if (to.kind === 'text' || to.kind === 'varchar') return 'assignment';
  if (isString(from)) return 'explicit';
  const nf = numericRank[from.kind];
  const nt = numericRank[to.kind];
  if (nf !== undefined && nt !== undefined) return 'assignment';
  if (from.kind === 'boolean' && to.kind === 'int4') return 'explicit';
  if (from.kind === 'int4' && to.kind === 'boolean') return 'explicit';
  switch (from.kind) {
    case 'timestamp':
    case 'timestamptz':
      if (to.kind === 'date' || to.kind === 'time' || to.kind === 'timestamp') return 'assignment';
      break;
    case 'interval':
      if (to.kind === 'time') return 'assignment';
      break;
    case 'jsonb':
      if (to.kind === 'boolean' || isNumeric(to)) return 'explicit';
      break;
  }
  return undefined;
}
