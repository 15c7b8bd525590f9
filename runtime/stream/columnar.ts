/**
 * Building blocks for executors working on columnar chunks (see ColumnarForm): reading Arrow
 * columns as typed arrays, and compiling predicates to the Wasm selection kernels. Only simple
 * shapes have a columnar form — a column compared with a constant, and ANDs of those; for
 * anything else the compilers return null and the executor works on decoded rows.
 */
import type { Data } from 'apache-arrow';
import type { BoundExpr } from '../plan/logical.js';
import type { DataType } from '../types/datatype.js';
import { sharedKernels } from '../kernels/key-index.js';
import { Filter, type CmpOp } from '../kernels/misc.js';
import { columnFromArrow, isValidAt, validityOf, withNull } from '../kernels/ops.js';

export { isValidAt, validityOf };
import type { ColumnarForm } from './chunk.js';

/** Column types whose values an int64 buffer holds one to one. */
const INT64_KINDS = new Set(['int8', 'time', 'timestamp', 'timestamptz']);
/** Column types stored as Int32 (compared by the int32 kernel). */
const INT32_KINDS = new Set(['int4', 'date']);
/** Integral column types (any width) that widen exactly to int64. */
const INTEGRAL_KINDS = new Set([...INT64_KINDS, ...INT32_KINDS, 'int2']);

export function isIntegral(t: DataType): boolean {
  return INTEGRAL_KINDS.has(t.kind);
}

/** `e` without casts that leave values unchanged (varchar → text). */
export function stripNoopCasts(e: BoundExpr): BoundExpr {
  while (e.kind === 'cast' && e.from.kind === 'varchar' && e.type.kind === 'text') e = e.arg;
  return e;
}

/** The input column `e` reads, if it is a plain column reference (through no-op casts). */
export function columnOf(e: BoundExpr): number | null {
  const x = stripNoopCasts(e);
  return x.kind === 'column' ? x.index : null;
}

export function columnData(f: ColumnarForm, c: number): Data {
  return f.columns[c]!;
}

/** An integral column's values as int64, one per batch row (Int64 as is, narrower widened). */
export function int64Values(d: Data): BigInt64Array {
  const v = d.values as BigInt64Array | Int32Array | Int16Array;
  if (v instanceof BigInt64Array) return v.subarray(d.offset, d.offset + d.length);
  const out = new BigInt64Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = BigInt(v[d.offset + i]!);
  return out;
}

/**
 * An integral column's int64 values and validity for the rows of a selection (all rows when
 * null). The values are copied as int32 halves, so no bigint is made per row.
 */
export function selectedInt64(
  d: Data,
  sel: Int32Array | null,
): { values: BigInt64Array; validity: Uint8Array | null } {
  const all = int64Values(d);
  const allValid = validityOf(d);
  if (!sel) return { values: all, validity: allValid };
  const m = sel.length;
  const values = new BigInt64Array(m);
  const to = new Int32Array(values.buffer);
  const from = new Int32Array(all.buffer, all.byteOffset, 2 * all.length);
  let validity: Uint8Array | null = null;
  for (let j = 0; j < m; j++) {
    const i = sel[j]!;
    to[2 * j] = from[2 * i]!;
    to[2 * j + 1] = from[2 * i + 1]!;
    if (!isValidAt(allValid, i)) validity = withNull(validity, m, j);
  }
  return { values, validity };
}

/** Row i's value of an integral column as Sluice represents it (bigint or number). */
export function integralAt(d: Data, i: number): number | bigint {
  return (d.values as BigInt64Array | Int32Array | Int16Array)[d.offset + i]!;
}

/** A columnar form with other columns (same rows, selection and signs). */
export function withColumns(f: ColumnarForm, types: DataType[], columns: Data[]): ColumnarForm {
  return { columns, length: f.length, types, sel: f.sel, signs: f.signs };
}

/** Narrows a selection (batch row indexes; null = all rows) to the rows passing a predicate. */
export type SelectionFn = (f: ColumnarForm, sel: Int32Array | null) => Int32Array;

const CMP_OPS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const FLIP: Record<CmpOp, CmpOp> = {
  '=': '=',
  '<>': '<>',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

/**
 * A predicate's columnar form: comparisons of a column with a non-NULL constant of the same
 * type (integers, dates, timestamps; strings with = and <> only, as bytewise order is not the
 * collation), and ANDs of those. NULL compares to nothing, as in SQL.
 */
export function compilePredicate(e: BoundExpr): SelectionFn | null {
  if (e.kind === 'and') {
    const parts = e.args.map(compilePredicate);
    if (parts.some((p) => !p)) return null;
    return (f, sel) => {
      let s = sel;
      for (const p of parts) s = p!(f, s);
      return s ?? allRows(f.length);
    };
  }
  if (e.kind !== 'binary' || !CMP_OPS.has(e.name)) return null;
  let op = e.name as CmpOp;
  let col = stripNoopCasts(e.left);
  let lit = e.right;
  if (col.kind !== 'column') {
    [col, lit] = [stripNoopCasts(e.right), e.left];
    op = FLIP[op];
  }
  if (col.kind !== 'column' || lit.kind !== 'literal' || lit.value === null) return null;
  const t = col.type;
  const value = lit.value;
  const index = col.index;
  const isString = t.kind === 'varchar' || t.kind === 'text';
  if (isString) {
    if ((op !== '=' && op !== '<>') || typeof value !== 'string') return null;
  } else if (INT64_KINDS.has(t.kind)) {
    if (typeof value !== 'bigint') return null;
  } else if (INT32_KINDS.has(t.kind)) {
    if (typeof value !== 'number') return null;
  } else return null;
  // The constant must have the column's type (the binder casts one side to the other).
  if (stripNoopCasts(lit).type.kind !== t.kind && !(isString && lit.type.kind === 'text'))
    return null;
  const filter = new Filter(sharedKernels());
  return (f, sel) => filter.compare(columnFromArrow(columnData(f, index)), op, value, sel);
}

function allRows(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
