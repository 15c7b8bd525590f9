/**
 * Maps SQL types to Arrow column types and converts between Sluice row values and Arrow
 * vectors. Fixed-width types map to native Arrow types so kernels can read the buffers directly:
 * integers and booleans as themselves, date as Int32 days, time/timestamp/timestamptz as Int64
 * microseconds. Numeric is Utf8 holding PostgreSQL's decimal text (`39.50`, `NaN`, `Infinity`),
 * which keeps each value's display scale and which the decimal kernels parse straight from the
 * buffers. Other types without a native Arrow counterpart Sluice can use exactly (interval,
 * jsonb, bytea, arrays, structs) are stored as Utf8 in a lossless tagged-JSON encoding.
 * The SQL type of each column is kept in the field metadata under `sluice.type`.
 */
import {
  Bool,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  makeData,
  makeVector,
  type Data,
  type DataType as ArrowType,
} from 'apache-arrow';
import type { DataType } from '../types/datatype.js';
import { withNull } from '../kernels/ops.js';
import { typeName } from '../types/datatype.js';
import type { Row, Value } from '../types/value.js';
import { Decimal } from '../types/numeric.js';
import { decodeValue, encodeValue, type StateJson } from '../types/state-value.js';

export function arrowTypeOf(t: DataType): ArrowType {
  switch (t.kind) {
    case 'boolean':
      return new Bool();
    case 'int2':
      return new Int16();
    case 'int4':
    case 'date':
      return new Int32();
    case 'int8':
    case 'time':
    case 'timestamp':
    case 'timestamptz':
      return new Int64();
    case 'float4':
      return new Float32();
    case 'float8':
      return new Float64();
    default:
      return new Utf8();
  }
}

function isNative(t: DataType): boolean {
  return !(arrowTypeOf(t) instanceof Utf8) || t.kind === 'varchar' || t.kind === 'text';
}

/** Encodes one non-native value as its Utf8 cell. */
function encodeCell(t: DataType, v: Value): string {
  return t.kind === 'numeric' ? (v as Decimal).toString() : JSON.stringify(encodeValue(v));
}

/** Decodes one non-native Utf8 cell. */
function decodeCell(t: DataType, raw: string): Value {
  return t.kind === 'numeric' ? Decimal.parse(raw) : decodeValue(JSON.parse(raw) as StateJson);
}

export function schemaOf(columns: { name: string; type: DataType }[]): Schema {
  return new Schema(
    columns.map(
      (c) =>
        new Field(c.name, arrowTypeOf(c.type), true, new Map([['sluice.type', typeName(c.type)]])),
    ),
  );
}

/** A record batch of `schema` over columns already in its encoding. */
export function columnsToBatch(schema: Schema, columns: Data[], length: number): RecordBatch {
  const data = makeData({ type: new Struct(schema.fields), length, children: columns });
  return new RecordBatch(schema, data);
}

/** Builds one record batch from rows (row-major values). */
export function rowsToBatch(schema: Schema, types: DataType[], rows: readonly Row[]): RecordBatch {
  const data = makeData({
    type: new Struct(schema.fields),
    length: rows.length,
    nullCount: 0,
    children: rowsToColumns(types, rows),
  });
  return new RecordBatch(schema, data);
}

/** One Arrow column per type from rows (row-major values), written straight into buffers. */
export function rowsToColumns(types: readonly DataType[], rows: readonly Row[]): Data[] {
  return types.map((t, c) => columnOf(t, rows.length, (i) => rows[i]![c] ?? null));
}

/** One Arrow column of type `t` holding `values`. */
export function valuesToColumn(t: DataType, values: ArrayLike<Value>): Data {
  return columnOf(t, values.length, (i) => values[i] ?? null);
}

const UTF8_ENCODER = new TextEncoder();

/** An Arrow column of type `t` with `n` values, value i read by `get(i)`. */
function columnOf(t: DataType, n: number, get: (i: number) => Value): Data {
  const type = arrowTypeOf(t);
  let validity: Uint8Array | null = null;
  let nulls = 0;
  /** Row i's value, marking it NULL in the validity bitmap when it is. */
  const at = (i: number): Value => {
    const v = get(i);
    if (v === null) {
      validity = withNull(validity, n, i);
      nulls++;
    }
    return v;
  };
  // Called once the values are written, so the NULLs are counted.
  const props = () => ({ length: n, nullCount: nulls, nullBitmap: validity });
  if (type instanceof Utf8) {
    const native = isNative(t);
    const parts = new Array<Uint8Array | null>(n);
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const v = at(i);
      // Lone surrogates become U+FFFD, as every UTF-8 encoder writes them.
      const p = v === null ? null : UTF8_ENCODER.encode(native ? (v as string) : encodeCell(t, v));
      parts[i] = p;
      bytes += p?.length ?? 0;
    }
    const valueOffsets = new Int32Array(n + 1);
    const data = new Uint8Array(bytes);
    let end = 0;
    for (let i = 0; i < n; i++) {
      const p = parts[i];
      if (p) {
        data.set(p, end);
        end += p.length;
      }
      valueOffsets[i + 1] = end;
    }
    return makeData({ type, ...props(), valueOffsets, data });
  }
  if (type instanceof Bool) {
    const data = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) if (at(i) === true) data[i >> 3]! |= 1 << (i & 7);
    return makeData({ type, ...props(), data });
  }
  if (type instanceof Int64) {
    const data = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      const v = at(i);
      if (v !== null) data[i] = typeof v === 'bigint' ? v : BigInt(v as number);
    }
    return makeData({ type, ...props(), data });
  }
  const fill = <A extends Int16Array | Int32Array | Float32Array | Float64Array>(data: A): A => {
    for (let i = 0; i < n; i++) {
      const v = at(i);
      if (v !== null) data[i] = Number(v);
    }
    return data;
  };
  if (type instanceof Int16) {
    const data = fill(new Int16Array(n));
    return makeData({ type, ...props(), data });
  }
  if (type instanceof Int32) {
    const data = fill(new Int32Array(n));
    return makeData({ type, ...props(), data });
  }
  if (type instanceof Float32) {
    const data = fill(new Float32Array(n));
    return makeData({ type, ...props(), data });
  }
  const data = fill(new Float64Array(n));
  return makeData({ type: new Float64(), ...props(), data });
}

/** Decodes a record batch back into rows. */
export function batchToRows(batch: RecordBatch, types: DataType[]): Row[] {
  return columnsToRows(batch.data.children, types, batch.numRows);
}

/** Decodes `n` rows from Arrow columns (one per type). */
export function columnsToRows(columns: Data[], types: DataType[], n: number): Row[] {
  const rows: Row[] = Array.from({ length: n }, () => new Array<Value>(types.length));
  types.forEach((t, c) => {
    const vec = makeVector(columns[c]!);
    const native = isNative(t);
    for (let i = 0; i < n; i++) {
      const raw = vec.get(i) as Value | null;
      rows[i]![c] = raw === null ? null : native ? raw : decodeCell(t, raw as string);
    }
  });
  return rows;
}

/**
 * Numeric columns known to hold one display scale in every non-NULL cell (text written from an
 * Arrow decimal column), so readers can skip looking for the decimal point row by row.
 */
const uniformScales = new WeakMap<object, number>();

export function setUniformScale(column: object, scale: number): void {
  uniformScales.set(column, scale);
}

/** The one display scale of a numeric column's cells, if known. */
export function uniformScale(column: object): number | undefined {
  return uniformScales.get(column);
}

/**
 * Numeric text columns whose values are also known as int64s scaled by their uniform scale
 * (written from an Arrow decimal column whose values all fit in 64 bits): sums read these
 * instead of parsing the text again.
 */
const scaledInts = new WeakMap<object, BigInt64Array>();

export function setScaledInts(column: object, values: BigInt64Array): void {
  scaledInts.set(column, values);
}

/** The column's values × 10^uniformScale as int64s (NULL rows hold 0), if known. */
export function scaledIntsOf(column: object): BigInt64Array | undefined {
  return scaledInts.get(column);
}
