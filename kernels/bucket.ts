/**
 * Bucketing by group: a counting sort of a chunk's inserted int64 values by their group number,
 * so that each group's values can join its state in one piece (min/max multisets take a
 * group's values as one ascending run). Values come out as doubles, exact below 2^53.
 */
import { isValid } from './common';

const EXACT: i64 = 9007199254740991; // 2^53 - 1

/**
 * Writes the values of rows with weight > 0 and a non-NULL value, grouped by `gids` (groups
 * numbered 0..groups-1, kept in row order within a group), as f64 into `out`, and each group's
 * start into `starts` (groups + 1 entries); `cursor` is scratch (groups entries). Returns 0 when
 * a row has a negative weight or a value is not exact as a double (nothing useful is written
 * then), else 1.
 */
export function bucketI64ByGroup(
  gids: usize,
  weights: usize,
  vals: usize,
  validity: usize,
  n: i32,
  groups: i32,
  starts: usize,
  cursor: usize,
  out: usize,
): i32 {
  memory.fill(starts, 0, (<usize>(groups + 1)) << 2);
  for (let i = 0; i < n; i++) {
    const w = load<i8>(weights + <usize>i);
    if (w == 0 || !isValid(validity, i)) continue;
    const v = load<i64>(vals + ((<usize>i) << 3));
    if (w < 0 || v > EXACT || v < -EXACT) return 0;
    const p = starts + ((<usize>(load<i32>(gids + ((<usize>i) << 2)) + 1)) << 2);
    store<i32>(p, load<i32>(p) + 1);
  }
  for (let g = 0; g < groups; g++) {
    const p = starts + ((<usize>(g + 1)) << 2);
    const s = load<i32>(p - 4);
    store<i32>(p, load<i32>(p) + s);
    store<i32>(cursor + ((<usize>g) << 2), s);
  }
  for (let i = 0; i < n; i++) {
    if (load<i8>(weights + <usize>i) == 0 || !isValid(validity, i)) continue;
    const c = cursor + ((<usize>load<i32>(gids + ((<usize>i) << 2))) << 2);
    const at = load<i32>(c);
    store<f64>(out + ((<usize>at) << 3), <f64>load<i64>(vals + ((<usize>i) << 3)));
    store<i32>(c, at + 1);
  }
  return 1;
}
