/**
 * Vectorised comparison kernels producing selection vectors (i32 row indices, ascending).
 * Each takes an optional input selection (`selIn` = 0 means every row) so conjunctions chain
 * one comparison after another. NULL never satisfies a comparison. Operators: 0 =, 1 <>, 2 <,
 * 3 <=, 4 >, 5 >=. Floats compare in SQL order: NaN equals NaN and sorts above every number.
 * Also the two glue kernels a stream operator needs: chunk ops to signed weights, and zeroing
 * the weights of rows a FILTER clause drops.
 */
import { isValid } from './common';

function test(c: i32, op: i32): bool {
  switch (op) {
    case 0:
      return c == 0;
    case 1:
      return c != 0;
    case 2:
      return c < 0;
    case 3:
      return c <= 0;
    case 4:
      return c > 0;
    default:
      return c >= 0;
  }
}

function cmpF(a: f64, b: f64): i32 {
  const an = isNaN(a);
  const bn = isNaN(b);
  if (an || bn) return an && bn ? 0 : an ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares an int64 column with a constant. */
export function cmpI64(
  col: usize,
  validity: usize,
  n: i32,
  op: i32,
  c: i64,
  selIn: usize,
  nIn: i32,
  selOut: usize,
): i32 {
  let k = 0;
  const m = selIn == 0 ? n : nIn;
  for (let j = 0; j < m; j++) {
    const i = selIn == 0 ? j : load<i32>(selIn + ((<usize>j) << 2));
    if (!isValid(validity, i)) continue;
    const v = load<i64>(col + ((<usize>i) << 3));
    if (test(v < c ? -1 : v > c ? 1 : 0, op)) {
      store<i32>(selOut + ((<usize>k) << 2), i);
      k++;
    }
  }
  return k;
}

/** Compares an int32 column (int4, date) with a constant. */
export function cmpI32(
  col: usize,
  validity: usize,
  n: i32,
  op: i32,
  c: i32,
  selIn: usize,
  nIn: i32,
  selOut: usize,
): i32 {
  let k = 0;
  const m = selIn == 0 ? n : nIn;
  for (let j = 0; j < m; j++) {
    const i = selIn == 0 ? j : load<i32>(selIn + ((<usize>j) << 2));
    if (!isValid(validity, i)) continue;
    const v = load<i32>(col + ((<usize>i) << 2));
    if (test(v < c ? -1 : v > c ? 1 : 0, op)) {
      store<i32>(selOut + ((<usize>k) << 2), i);
      k++;
    }
  }
  return k;
}

/** Compares a float64 column with a constant. */
export function cmpF64(
  col: usize,
  validity: usize,
  n: i32,
  op: i32,
  c: f64,
  selIn: usize,
  nIn: i32,
  selOut: usize,
): i32 {
  let k = 0;
  const m = selIn == 0 ? n : nIn;
  for (let j = 0; j < m; j++) {
    const i = selIn == 0 ? j : load<i32>(selIn + ((<usize>j) << 2));
    if (!isValid(validity, i)) continue;
    if (test(cmpF(load<f64>(col + ((<usize>i) << 3)), c), op)) {
      {
        store<i32>(selOut + ((<usize>k) << 2), i);
        k++;
      }
    }
  }
  return k;
}

/** Compares two int64 columns row by row. */
export function cmpI64Cols(
  a: usize,
  va: usize,
  b: usize,
  vb: usize,
  n: i32,
  op: i32,
  selIn: usize,
  nIn: i32,
  selOut: usize,
): i32 {
  let k = 0;
  const m = selIn == 0 ? n : nIn;
  for (let j = 0; j < m; j++) {
    const i = selIn == 0 ? j : load<i32>(selIn + ((<usize>j) << 2));
    if (!isValid(va, i) || !isValid(vb, i)) continue;
    const x = load<i64>(a + ((<usize>i) << 3));
    const y = load<i64>(b + ((<usize>i) << 3));
    if (test(x < y ? -1 : x > y ? 1 : 0, op)) {
      store<i32>(selOut + ((<usize>k) << 2), i);
      k++;
    }
  }
  return k;
}

/**
 * Compares a UTF-8 column with a constant byte string (`cPtr`, `cLen`) bytewise, which is
 * code-point order (PostgreSQL's "C" collation).
 */
export function cmpUtf8(
  offsets: usize,
  data: usize,
  validity: usize,
  n: i32,
  op: i32,
  cPtr: usize,
  cLen: i32,
  selIn: usize,
  nIn: i32,
  selOut: usize,
): i32 {
  let k = 0;
  const m = selIn == 0 ? n : nIn;
  for (let j = 0; j < m; j++) {
    const i = selIn == 0 ? j : load<i32>(selIn + ((<usize>j) << 2));
    if (!isValid(validity, i)) continue;
    const s = load<i32>(offsets + ((<usize>i) << 2));
    const len = load<i32>(offsets + ((<usize>(i + 1)) << 2)) - s;
    let c: i32;
    if (op <= 1 && len != cLen) c = 1;
    else {
      c = memory.compare(data + <usize>s, cPtr, <usize>(len < cLen ? len : cLen));
      if (c == 0) c = len < cLen ? -1 : len > cLen ? 1 : 0;
    }
    if (test(c, op)) {
      store<i32>(selOut + ((<usize>k) << 2), i);
      k++;
    }
  }
  return k;
}

/** Chunk op codes (0 +, 1 -, 2 U-, 3 U+) to weights: +1 for inserts, -1 for deletes. */
export function opsToWeights(ops: usize, n: i32, out: usize): void {
  for (let i = 0; i < n; i++) {
    const o = load<i8>(ops + <usize>i);
    store<i8>(out + <usize>i, o == 0 || o == 3 ? 1 : -1);
  }
}

/** out[i] = weights[i] for rows in the selection, 0 elsewhere (a FILTER clause's weights). */
export function maskWeights(weights: usize, n: i32, sel: usize, nSel: i32, out: usize): void {
  memory.fill(out, 0, <usize>n);
  for (let j = 0; j < nSel; j++) {
    const i = <usize>load<i32>(sel + ((<usize>j) << 2));
    store<i8>(out + i, load<i8>(weights + i));
  }
}
