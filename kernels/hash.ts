/**
 * Key hashing kernels. Each writes one u64 hash per row into `out`; with `combine` set the
 * column's hash is folded into what `out` already holds, so a multi-column key is hashed by
 * calling one kernel per column. NULLs hash to a fixed value distinct from any value's hash
 * path. Also the key encoder: packs the columns of a multi-column key into one byte string
 * per row (a NULL flag per column, fixed-width values as bytes, strings length-prefixed) so
 * composite keys can be grouped by the byte-string table.
 */
import { hashBytes, isValid, mix64 } from './common';

const NULL_HASH: u64 = 0x2545f4914f6cdd1d;

function put(out: usize, i: i32, h: u64, combine: bool): void {
  const p = out + ((<usize>i) << 3);
  if (combine) store<u64>(p, mix64(rotl<u64>(load<u64>(p), 23) ^ h));
  else store<u64>(p, h);
}

/** Fixed-width column of `width` bytes (1, 2, 4, 8 or 16). */
export function hashFixed(
  col: usize,
  width: i32,
  validity: usize,
  n: i32,
  out: usize,
  combine: bool,
): void {
  for (let i = 0; i < n; i++) {
    let h: u64;
    if (!isValid(validity, i)) h = NULL_HASH;
    else if (width == 8) h = mix64(load<u64>(col + ((<usize>i) << 3)));
    else if (width == 4) h = mix64(<u64>load<u32>(col + ((<usize>i) << 2)));
    else if (width == 2) h = mix64(<u64>load<u16>(col + ((<usize>i) << 1)));
    else if (width == 1) h = mix64(<u64>load<u8>(col + <usize>i));
    else h = hashBytes(col + <usize>i * <usize>width, width, 0);
    put(out, i, h, combine);
  }
}

/** Float64 column, with -0 and 0 hashing alike and every NaN alike (SQL treats them equal). */
export function hashF64(col: usize, validity: usize, n: i32, out: usize, combine: bool): void {
  for (let i = 0; i < n; i++) {
    let h: u64;
    if (!isValid(validity, i)) h = NULL_HASH;
    else {
      const v = load<f64>(col + ((<usize>i) << 3));
      const bits: u64 = v == 0 ? 0 : isNaN(v) ? 0x7ff8000000000000 : reinterpret<u64>(v);
      h = mix64(bits);
    }
    put(out, i, h, combine);
  }
}

/** UTF-8 (Arrow Utf8/Binary) column: i32 offsets (n + 1 of them) into `data`. */
export function hashUtf8(
  offsets: usize,
  data: usize,
  validity: usize,
  n: i32,
  out: usize,
  combine: bool,
): void {
  for (let i = 0; i < n; i++) {
    let h: u64;
    if (!isValid(validity, i)) h = NULL_HASH;
    else {
      const s = load<i32>(offsets + ((<usize>i) << 2));
      const e = load<i32>(offsets + ((<usize>(i + 1)) << 2));
      h = hashBytes(data + <usize>s, e - s, 0);
    }
    put(out, i, h, combine);
  }
}

/** Adds each row's encoded length for a fixed-width key column to `lens` (i32 per row). */
export function keyLenFixed(width: i32, validity: usize, n: i32, lens: usize): void {
  for (let i = 0; i < n; i++) {
    const p = lens + ((<usize>i) << 2);
    store<i32>(p, load<i32>(p) + 1 + (isValid(validity, i) ? width : 0));
  }
}

/** Adds each row's encoded length for a UTF-8 key column to `lens`. */
export function keyLenUtf8(offsets: usize, validity: usize, n: i32, lens: usize): void {
  for (let i = 0; i < n; i++) {
    const p = lens + ((<usize>i) << 2);
    let l = 1;
    if (isValid(validity, i)) {
      l +=
        4 + load<i32>(offsets + ((<usize>(i + 1)) << 2)) - load<i32>(offsets + ((<usize>i) << 2));
    }
    store<i32>(p, load<i32>(p) + l);
  }
}

/**
 * Turns per-row lengths into n + 1 offsets (written to `offsets`) and copies the starts into
 * `cursor` (the write positions the put kernels advance). Returns the total byte count.
 */
export function keyOffsets(lens: usize, n: i32, offsets: usize, cursor: usize): i32 {
  let acc: i32 = 0;
  for (let i = 0; i < n; i++) {
    store<i32>(offsets + ((<usize>i) << 2), acc);
    store<i32>(cursor + ((<usize>i) << 2), acc);
    acc += load<i32>(lens + ((<usize>i) << 2));
  }
  store<i32>(offsets + ((<usize>n) << 2), acc);
  return acc;
}

/** Appends a fixed-width column's bytes to each row's encoded key. */
export function keyPutFixed(
  col: usize,
  width: i32,
  validity: usize,
  n: i32,
  cursor: usize,
  data: usize,
): void {
  for (let i = 0; i < n; i++) {
    const cp = cursor + ((<usize>i) << 2);
    let at = load<i32>(cp);
    if (isValid(validity, i)) {
      store<u8>(data + <usize>at, 1);
      memory.copy(data + <usize>at + 1, col + <usize>i * <usize>width, <usize>width);
      at += 1 + width;
    } else {
      store<u8>(data + <usize>at, 0);
      at += 1;
    }
    store<i32>(cp, at);
  }
}

/** Appends a UTF-8 column's length-prefixed bytes to each row's encoded key. */
export function keyPutUtf8(
  offsets: usize,
  bytes: usize,
  validity: usize,
  n: i32,
  cursor: usize,
  data: usize,
): void {
  for (let i = 0; i < n; i++) {
    const cp = cursor + ((<usize>i) << 2);
    let at = load<i32>(cp);
    if (isValid(validity, i)) {
      const s = load<i32>(offsets + ((<usize>i) << 2));
      const l = load<i32>(offsets + ((<usize>(i + 1)) << 2)) - s;
      store<u8>(data + <usize>at, 1);
      store<i32>(data + <usize>at + 1, l);
      memory.copy(data + <usize>at + 5, bytes + <usize>s, <usize>l);
      at += 5 + l;
    } else {
      store<u8>(data + <usize>at, 0);
      at += 1;
    }
    store<i32>(cp, at);
  }
}
