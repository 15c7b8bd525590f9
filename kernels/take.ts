/**
 * Gather ("take") kernels: build output columns from row indices, as a filter's selection
 * vector or a join's match pairs produce them. A negative index yields NULL (outer-join
 * padding). Validity output is an Arrow bitmap.
 */
import { isValid } from './common';

/** dst[k] = src[idx[k]] for values of `width` bytes (1, 2, 4, 8 or 16); zeros for idx < 0. */
export function takeFixed(src: usize, width: i32, idx: usize, n: i32, dst: usize): void {
  if (width == 8) {
    for (let k = 0; k < n; k++) {
      const i = load<i32>(idx + ((<usize>k) << 2));
      store<i64>(dst + ((<usize>k) << 3), i < 0 ? 0 : load<i64>(src + ((<usize>i) << 3)));
    }
  } else if (width == 4) {
    for (let k = 0; k < n; k++) {
      const i = load<i32>(idx + ((<usize>k) << 2));
      store<i32>(dst + ((<usize>k) << 2), i < 0 ? 0 : load<i32>(src + ((<usize>i) << 2)));
    }
  } else {
    const w = <usize>width;
    for (let k = 0; k < n; k++) {
      const i = load<i32>(idx + ((<usize>k) << 2));
      if (i < 0) memory.fill(dst + <usize>k * w, 0, w);
      else memory.copy(dst + <usize>k * w, src + <usize>i * w, w);
    }
  }
}

/** Validity bitmap of the gathered rows; returns the NULL count. */
export function takeValidity(validity: usize, idx: usize, n: i32, dst: usize): i32 {
  memory.fill(dst, 0, <usize>((n + 7) >> 3));
  let nulls = 0;
  for (let k = 0; k < n; k++) {
    const i = load<i32>(idx + ((<usize>k) << 2));
    if (i >= 0 && isValid(validity, i)) {
      const p = dst + ((<usize>k) >>> 3);
      store<u8>(p, load<u8>(p) | ((<u8>1) << ((<u8>k) & 7)));
    } else nulls++;
  }
  return nulls;
}

/** Offsets (n + 1) of gathered UTF-8 values; returns the byte length of their data. */
export function takeUtf8Offsets(offsets: usize, idx: usize, n: i32, outOffsets: usize): i32 {
  let acc: i32 = 0;
  store<i32>(outOffsets, 0);
  for (let k = 0; k < n; k++) {
    const i = load<i32>(idx + ((<usize>k) << 2));
    if (i >= 0) {
      acc += load<i32>(offsets + ((<usize>(i + 1)) << 2)) - load<i32>(offsets + ((<usize>i) << 2));
    }
    store<i32>(outOffsets + ((<usize>(k + 1)) << 2), acc);
  }
  return acc;
}

/** Copies the gathered UTF-8 bytes, laid out by `outOffsets` from takeUtf8Offsets. */
export function takeUtf8Data(
  offsets: usize,
  data: usize,
  idx: usize,
  n: i32,
  outOffsets: usize,
  outData: usize,
): void {
  for (let k = 0; k < n; k++) {
    const i = load<i32>(idx + ((<usize>k) << 2));
    if (i < 0) continue;
    const s = load<i32>(offsets + ((<usize>i) << 2));
    const l = load<i32>(offsets + ((<usize>(i + 1)) << 2)) - s;
    memory.copy(
      outData + <usize>load<i32>(outOffsets + ((<usize>k) << 2)),
      data + <usize>s,
      <usize>l,
    );
  }
}
