/**
 * Time-window assignment over int64 microsecond timestamps. TUMBLE maps each row to the one
 * window [start, start + size) containing it; HOP expands each row into every window of length
 * `size` starting on a multiple of `slide` (plus `offset`) that contains it. Window starts use
 * floor division so timestamps before the epoch land in the right window.
 */
import { isValid } from './common';

function floorStart(ts: i64, step: i64, offset: i64): i64 {
  const d = ts - offset;
  let q = d / step;
  if (d % step != 0 && d < 0) q--;
  return q * step + offset;
}

/** outStart[i] (and outEnd[i] when non-zero) for each row; NULL rows get 0 (keep validity). */
export function tumble(
  ts: usize,
  validity: usize,
  n: i32,
  size: i64,
  offset: i64,
  outStart: usize,
  outEnd: usize,
): void {
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    let s: i64 = 0;
    if (isValid(validity, i)) s = floorStart(load<i64>(ts + o), size, offset);
    store<i64>(outStart + o, s);
    if (outEnd != 0) store<i64>(outEnd + o, isValid(validity, i) ? s + size : 0);
  }
}

/** Most windows one row can fall into: the host sizes HOP's outputs as n × this. */
export function hopMaxWindows(slide: i64, size: i64): i32 {
  return <i32>((size + slide - 1) / slide);
}

/**
 * Writes one output per (row, window) pair: outRow = input row, outStart = window start, in
 * row order and ascending start within a row. NULL timestamps produce no windows. Returns the
 * number of outputs.
 */
export function hop(
  ts: usize,
  validity: usize,
  n: i32,
  slide: i64,
  size: i64,
  offset: i64,
  outRow: usize,
  outStart: usize,
): i32 {
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (!isValid(validity, i)) continue;
    const t = load<i64>(ts + ((<usize>i) << 3));
    const last = floorStart(t, slide, offset);
    // the first start s with s + size > t
    let first = last;
    while (first - slide > t - size) first -= slide;
    for (let s = first; s <= last; s += slide) {
      store<i32>(outRow + ((<usize>k) << 2), i);
      store<i64>(outStart + ((<usize>k) << 3), s);
      k++;
    }
  }
  return k;
}
