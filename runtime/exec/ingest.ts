/**
 * Columnar ingest: rows arriving as Arrow data (the embedding API's `insert(table, arrowTable)`)
 * go into a table without SQL text. Each input column is matched to a table column by name and
 * converted to the table's storage encoding (arrow-codec): buffers whose Arrow type already is
 * the storage type are reused as they are, Arrow decimals become numeric text, timestamps are
 * rescaled to microseconds, and anything else goes value by value through the same conversion
 * as inserted JavaScript objects. Constraints are checked for the whole input before any row is
 * stored, so a rejected insert leaves the table and its views untouched.
 */
import {
  Data,
  DataType as ArrowDataType,
  RecordBatch,
  Int32,
  Int64,
  Table,
  TimeUnit,
  Type,
  Utf8,
  makeData,
  makeVector,
  type Field,
} from 'apache-arrow';
import { relationKindName, type RelationDesc } from '../catalog/catalog.js';
import type { StatementResult, StatementSession } from './session.js';
import { checkRow, writeRows } from './dml.js';
import type { EvalContext } from '../expr/context.js';
import { SqlError, SqlState } from '../errors.js';
import {
  arrowTypeOf,
  columnsToRows,
  valuesToColumn,
  setScaledInts,
  setUniformScale,
} from '../storage/arrow-codec.js';
import { typeName, type DataType } from '../types/datatype.js';
import { castValue } from '../types/cast.js';
import { isValidAt, validityOf } from '../kernels/ops.js';
import { jsToValue } from '../types/js.js';
import { Decimal } from '../types/numeric.js';
import type { Value } from '../types/value.js';

/**
 * Whether Arrow rows can go into `rel` directly: a table with no DEFAULT or generated column to
 * evaluate per row (the SQL INSERT path handles those).
 */
export function canInsertArrow(rel: RelationDesc): boolean {
  return rel.kind === 'table' && rel.columns.every((c) => !c.default && !c.generated && !c.hidden);
}

/**
 * Inserts Arrow rows into table `name` as one statement. Without a primary key the converted
 * batches are appended as they are and flow to the views as columnar chunks; with one, rows go
 * through the table's conflict policy one by one.
 */
export function insertArrow(
  session: StatementSession,
  name: string,
  input: Table | RecordBatch,
  ctx: EvalContext,
): StatementResult {
  const rel = session.db.catalog.get(name);
  if (!rel) throw new SqlError(SqlState.undefinedTable, `relation "${name}" does not exist`);
  if (rel.kind !== 'table')
    throw new SqlError(
      SqlState.wrongObjectType,
      `cannot insert into ${relationKindName(rel.kind)} "${rel.name}"`,
    );
  if (!canInsertArrow(rel))
    throw new SqlError(
      SqlState.featureNotSupported,
      `Arrow insert into "${rel.name}" is not supported: it has DEFAULT or generated columns`,
    );
  const batches = toStorageColumns(rel, input, ctx);
  const types = rel.columns.map((c) => c.type);
  let count = 0;
  if (rel.primaryKey.length === 0 && !rel.watermark) {
    count = session.db.appendBatches(rel.id, batches);
  } else {
    const rows = batches.flatMap((b) => columnsToRows(b.columns, types, b.length));
    for (const r of rows) checkRow(rel, r);
    count = writeRows(session, rel, rows);
  }
  if (session.inTransaction) session.wroteInTransaction = true;
  return { tag: `INSERT 0 ${count}`, rowCount: count };
}

/** Columns of `rel`'s storage encoding, one group per batch of an Arrow table or record batch. */
export function toStorageColumns(
  rel: RelationDesc,
  input: Table | RecordBatch,
  ctx: EvalContext,
): StorageColumns[] {
  const batches = input instanceof Table ? input.batches : [input];
  const fields = input.schema.fields;
  const byName = new Map<string, number>();
  fields.forEach((f, i) => byName.set(f.name, i));
  for (const f of fields)
    if (!rel.columns.some((c) => c.name === f.name))
      throw new SqlError(
        SqlState.undefinedColumn,
        `column "${f.name}" of relation "${rel.name}" does not exist`,
      );
  return batches
    .filter((b) => b.numRows > 0)
    .map((b) => {
      const children = rel.columns.map((c) => {
        const j = byName.get(c.name);
        const data = j === undefined ? nullData(c.type, b.numRows) : b.data.children[j]!;
        const out = convertColumn(data, fields[j ?? 0]!, c.type, c.name, ctx);
        if (out.nullCount > 0 && c.notNull)
          throw new SqlError(
            SqlState.notNullViolation,
            `null value in column "${c.name}" of relation "${rel.name}" violates not-null constraint`,
          );
        return out;
      });
      return { columns: children, length: b.numRows };
    });
}

/** One batch of rows as storage-encoded Arrow columns. */
export interface StorageColumns {
  columns: Data[];
  length: number;
}

function nullData(t: DataType, n: number): Data {
  return valuesToColumn(t, new Array<Value>(n).fill(null));
}

const STORAGE_TYPE_IDS: Partial<Record<DataType['kind'], Type>> = {
  boolean: Type.Bool,
  int2: Type.Int,
  int4: Type.Int,
  date: Type.Int,
  int8: Type.Int,
  time: Type.Int,
  timestamp: Type.Int,
  timestamptz: Type.Int,
  float4: Type.Float,
  float8: Type.Float,
  varchar: Type.Utf8,
  text: Type.Utf8,
};

function convertColumn(d: Data, field: Field, t: DataType, name: string, ctx: EvalContext): Data {
  const storage = arrowTypeOf(t);
  // Same physical type as storage: the buffers are reused.
  if (STORAGE_TYPE_IDS[t.kind] !== undefined && sameType(d.type, storage)) {
    if (t.kind === 'varchar' && t.length !== undefined) checkVarchar(d, t.length);
    return d;
  }
  if (
    (t.kind === 'timestamp' || t.kind === 'timestamptz') &&
    d.type.typeId === Type.Timestamp &&
    d.values instanceof BigInt64Array
  )
    return timestampMicros(d, (d.type as unknown as { unit: TimeUnit }).unit);
  if (t.kind === 'date' && d.type.typeId === Type.Date && d.values instanceof Int32Array)
    return makeData({
      type: new Int32(),
      length: d.length,
      offset: d.offset,
      nullCount: d.nullCount,
      nullBitmap: d.nullBitmap,
      data: d.values,
    });
  if (t.kind === 'numeric' && t.precision === undefined && d.type.typeId === Type.Decimal)
    return decimalText(d);
  // Value by value, as inserted JavaScript objects are converted.
  const vals: Value[] = new Array<Value>(d.length);
  const vec = makeVector(d);
  const isTime = d.type.typeId === Type.Timestamp || d.type.typeId === Type.Date;
  for (let i = 0; i < d.length; i++) {
    let raw: unknown = d.type.typeId === Type.Decimal ? decimalAt(d, i) : vec.get(i);
    // Arrow reads dates and timestamps as epoch milliseconds.
    if (isTime && typeof raw === 'number') raw = new Date(raw);
    if (raw instanceof Date) raw = raw.toISOString();
    let v: Value;
    try {
      v = jsToValue(raw, t, ctx);
    } catch (e) {
      if (e instanceof SqlError) throw e;
      throw mismatch(name, t, field);
    }
    if (typeof v === 'number' && (t.kind === 'int2' || t.kind === 'int4')) checkIntRange(v, t.kind);
    vals[i] = v === null ? null : castValue(v, t, t, ctx, 'assignment');
  }
  return valuesToColumn(t, vals);
}

const INT_RANGE = {
  int2: [-32768, 32767, 'smallint'],
  int4: [-2147483648, 2147483647, 'integer'],
} as const;

function checkIntRange(v: number, kind: 'int2' | 'int4'): void {
  const [lo, hi, name] = INT_RANGE[kind];
  if (!Number.isInteger(v) || v < lo || v > hi)
    throw new SqlError(SqlState.numericValueOutOfRange, `${name} out of range`);
}

function mismatch(name: string, t: DataType, field: Field): SqlError {
  return new SqlError(
    SqlState.datatypeMismatch,
    `column "${name}" is of type ${typeName(t)} but the Arrow column is of type ${String(field.type)}`,
  );
}

function sameType(a: ArrowDataType, b: ArrowDataType): boolean {
  if (a.typeId !== b.typeId) return false;
  const x = a as { bitWidth?: number; isSigned?: boolean; precision?: number };
  const y = b as { bitWidth?: number; isSigned?: boolean; precision?: number };
  return x.bitWidth === y.bitWidth && x.isSigned === y.isSigned && x.precision === y.precision;
}

/** Whether cell i of an Arrow column is valid (not NULL). */
function cellIsValid(d: Data, i: number): boolean {
  if (!d.nullBitmap || d.nullCount === 0) return true;
  const j = d.offset + i;
  return ((d.nullBitmap[j >> 3]! >> (j & 7)) & 1) === 1;
}

function checkVarchar(d: Data, limit: number): void {
  const offsets = d.valueOffsets as Int32Array;
  const bytes = d.values as Uint8Array;
  const dec = new TextDecoder();
  for (let i = 0; i < d.length; i++) {
    if (!cellIsValid(d, i)) continue;
    const s = offsets[d.offset + i]!;
    const e = offsets[d.offset + i + 1]!;
    // A string of at most `limit` bytes has at most `limit` characters.
    if (e - s <= limit) continue;
    const chars = [...dec.decode(bytes.subarray(s, e))];
    if (chars.length > limit && chars.slice(limit).some((c) => c !== ' '))
      throw new SqlError(
        SqlState.stringDataRightTruncation,
        `value too long for type character varying(${limit})`,
      );
  }
}

const UNIT_TO_MICROS: Record<TimeUnit, [bigint, bigint]> = {
  [TimeUnit.SECOND]: [1_000_000n, 1n],
  [TimeUnit.MILLISECOND]: [1000n, 1n],
  [TimeUnit.MICROSECOND]: [1n, 1n],
  [TimeUnit.NANOSECOND]: [1n, 1000n],
};

function timestampMicros(d: Data, unit: TimeUnit): Data {
  const src = (d.values as BigInt64Array).subarray(d.offset, d.offset + d.length);
  const [mul, div] = UNIT_TO_MICROS[unit];
  let values = src;
  if (mul !== 1n || div !== 1n) {
    values = new BigInt64Array(d.length);
    // Nanoseconds round down to the microsecond, as PostgreSQL truncates excess precision.
    for (let i = 0; i < d.length; i++) {
      const v = src[i]! * mul;
      values[i] = div === 1n ? v : v >= 0n ? v / div : -((-v + div - 1n) / div);
    }
  }
  const bitmap = validityOf(d) ?? undefined;
  return makeData({
    type: new Int64(),
    length: d.length,
    nullCount: d.nullCount,
    nullBitmap: bitmap,
    data: values,
  });
}

/** The value of row i of an Arrow decimal column (128-bit two's complement words). */
function decimalAt(d: Data, i: number): Decimal | null {
  if (!cellIsValid(d, i)) return null;
  const words = d.values as Uint32Array;
  const stride = ((d.type as { bitWidth?: number }).bitWidth ?? 128) / 32;
  const base = (d.offset + i) * stride;
  let v = 0n;
  for (let w = stride - 1; w >= 0; w--) v = (v << 32n) | BigInt(words[base + w]!);
  v = BigInt.asIntN(stride * 32, v);
  return Decimal.of(v, (d.type as unknown as { scale: number }).scale);
}

/** ASCII ones and tens digit of 0..99. */
const DIGIT_ONES = Uint8Array.from({ length: 100 }, (_, r) => 48 + (r % 10));
const DIGIT_TENS = Uint8Array.from({ length: 100 }, (_, r) => 48 + Math.floor(r / 10));

/**
 * An Arrow decimal column as numeric text bytes, written straight into one buffer: values
 * within ±2^53 are formatted from doubles, wider ones through bigint.
 */
function decimalText(d: Data): Data {
  const n = d.length;
  const scale = (d.type as unknown as { scale: number }).scale;
  const words = d.values as Uint32Array;
  const stride = ((d.type as { bitWidth?: number }).bitWidth ?? 128) / 32;
  const offsets = new Int32Array(n + 1);
  let bytes = new Uint8Array(Math.max(64, n * (scale + 8)));
  let pos = 0;
  const digits = new Uint8Array(48);
  // The values as scaled int64s too, while every one fits (its words past the second are sign).
  let scaled: Uint32Array | null = new Uint32Array(2 * n);
  const validity = validityOf(d);
  for (let i = 0; i < n; i++) {
    offsets[i] = pos;
    if (!isValidAt(validity, i)) continue;
    if (pos + 48 + scale > bytes.length) {
      const grown = new Uint8Array(bytes.length * 2 + 48 + scale);
      grown.set(bytes);
      bytes = grown;
    }
    const base = (d.offset + i) * stride;
    const lo = words[base]!;
    const hi = words[base + 1]! | 0;
    let small = true;
    for (let w = 2; w < stride; w++) if ((words[base + w]! | 0) !== hi >> 31) small = false;
    if (scaled) {
      if (small || stride === 2) {
        scaled[2 * i] = lo;
        scaled[2 * i + 1] = hi;
      } else scaled = null;
    }
    // |v| < 2^53 when the high word is within ±2^21.
    if (small && hi >= -0x200000 && hi < 0x200000) {
      let v = hi * 4294967296 + lo;
      if (v < 0) {
        bytes[pos++] = 45; // '-'
        v = -v;
      }
      let k = 0;
      // Digits by int32 arithmetic once the value fits (much cheaper than double division).
      while (v > 0x7fffffff) {
        digits[k++] = 48 + (v % 10);
        v = Math.floor(v / 10);
      }
      let u = v | 0;
      // Two digits per division while more than two remain.
      while (u >= 100) {
        const q = (u / 100) | 0;
        const r = u - q * 100;
        digits[k++] = DIGIT_ONES[r]!;
        digits[k++] = DIGIT_TENS[r]!;
        u = q;
      }
      do {
        const q = (u / 10) | 0;
        digits[k++] = 48 + u - q * 10;
        u = q;
      } while (u > 0);
      while (k <= scale) digits[k++] = 48;
      for (let j = k - 1; j >= 0; j--) {
        bytes[pos++] = digits[j]!;
        if (j === scale && scale > 0) bytes[pos++] = 46; // '.'
      }
    } else {
      const text = decimalAt(d, i)!.toString();
      for (let j = 0; j < text.length; j++) bytes[pos++] = text.charCodeAt(j);
    }
  }
  offsets[n] = pos;
  const out = makeData({
    type: new Utf8(),
    length: n,
    nullCount: d.nullCount,
    nullBitmap: validityOf(d) ?? undefined,
    valueOffsets: offsets,
    data: bytes.subarray(0, pos),
  });
  setUniformScale(out, scale);
  if (scaled) setScaledInts(out, new BigInt64Array(scaled.buffer));
  return out;
}
