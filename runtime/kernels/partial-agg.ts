/**
 * PartialAggregator — the Wasm half of columnar hash aggregation. For one chunk, the executor
 * numbers the groups it touches 0..g-1 and gives every batch row its group number and signed
 * weight (0 for rows the chunk or a FILTER leaves out); the kernels then fold whole columns
 * into per-group partials — counts, exact 128-bit integer sums, exact decimal sums parsed
 * straight from the numeric text buffers — which the executor adds to its groups' accumulators.
 * Partials start from zero for every chunk, so a failure (a decimal the kernels cannot
 * represent, a chunk sum beyond 128 bits) leaves no trace and the caller applies that
 * aggregate's values one by one instead.
 */
import type { Kernels } from './loader.js';
import { sharedKernels } from './key-index.js';

export class PartialAggregator {
  private readonly gids;
  private readonly w;
  private readonly vals;
  private readonly valid;
  private readonly offs;
  private readonly data;
  private readonly lo;
  private readonly hi;
  private readonly sumLo;
  private readonly sumHi;
  private readonly counts;
  private n = 0;
  private groups = 0;
  /** Scale the last decimal chunk needed: where the next one starts parsing. */
  private decimalScale = 0;

  constructor(private readonly k: Kernels = sharedKernels()) {
    this.gids = k.region();
    this.w = k.region();
    this.vals = k.region();
    this.valid = k.region();
    this.offs = k.region();
    this.data = k.region();
    this.lo = k.region();
    this.hi = k.region();
    this.sumLo = k.region();
    this.sumHi = k.region();
    this.counts = k.region();
  }

  /** Stages the chunk's per-row group numbers (`groups` distinct, numbered from 0). */
  begin(gids: Int32Array, groups: number): void {
    this.k.put(this.gids, gids);
    this.n = gids.length;
    this.groups = groups;
  }

  private validity(v: Uint8Array | null): number {
    return v ? this.k.put(this.valid, v) : 0;
  }

  private zeroed(r: ReturnType<Kernels['region']>): number {
    const p = r.ensure(this.groups * 8 + 8);
    this.k.i64(p, this.groups).fill(0n);
    return p;
  }

  /**
   * Signed count per group of rows with weight and (when `validity` is given) a value. A chunk's
   * counts are within ±2^31, so they are read as the low halves of the kernel's int64 counts
   * (plain numbers: reading an int64 element would allocate a bigint).
   */
  count(weights: Int8Array, validity: Uint8Array | null): Int32Array {
    const w = this.k.put(this.w, weights);
    const c = this.zeroed(this.counts);
    this.k.x.aggCount(this.gids.ptr, w, this.validity(validity), this.n, c);
    const words = this.k.i32(c, 2 * this.groups);
    const out = new Int32Array(this.groups);
    for (let g = 0; g < out.length; g++) out[g] = words[2 * g]!;
    return out;
  }

  /** Exact signed sum per group of int64 values; null when a sum leaves 128 bits. */
  sumInt(weights: Int8Array, values: BigInt64Array, validity: Uint8Array | null): bigint[] | null {
    const x = this.k.x;
    const w = this.k.put(this.w, weights);
    const v = this.k.put(this.vals, values);
    const lo = this.zeroed(this.sumLo);
    const hi = this.zeroed(this.sumHi);
    if (x.aggSumI64Wide(this.gids.ptr, w, v, this.validity(validity), this.n, lo, hi) >= 0)
      return null;
    return this.wide(lo, hi);
  }

  /**
   * Exact signed sum per group of numeric text (Utf8 offsets and bytes), at the returned scale;
   * null when a value is NaN or infinite, or a sum leaves 128 bits.
   */
  sumDecimal(
    weights: Int8Array,
    offsets: Int32Array,
    data: Uint8Array,
    validity: Uint8Array | null,
  ): { sums: bigint[]; scale: number } | null {
    const x = this.k.x;
    const n = this.n;
    const o = this.k.put(this.offs, offsets);
    const d = this.k.put(this.data, data.length > 0 ? data : new Uint8Array(1));
    const vp = this.validity(validity);
    const lo = this.lo.ensure(n * 8 + 8);
    const hi = this.hi.ensure(n * 8 + 8);
    let scale = this.decimalScale;
    for (;;) {
      if (x.decParseUtf8(o, d, vp, n, scale, lo, hi) < 0) break;
      // Status 1: a value has more fraction digits than `scale`; anything else is not for us.
      if (x.decStatus() !== 1) return null;
      scale = x.decNeededScale();
    }
    this.decimalScale = scale;
    const w = this.k.put(this.w, weights);
    const sl = this.zeroed(this.sumLo);
    const sh = this.zeroed(this.sumHi);
    if (x.aggSumDecimal(this.gids.ptr, w, lo, hi, vp, n, sl, sh) >= 0) return null;
    return { sums: this.wide(sl, sh), scale };
  }

  /**
   * The int64 values of rows with weight > 0, bucketed by group as doubles: group g's values are
   * `values[starts[g] .. starts[g + 1])`, in row order. Null when a weight is negative or a value
   * is not exact as a double.
   */
  bucketInt64(
    weights: Int8Array,
    values: BigInt64Array,
    validity: Uint8Array | null,
  ): { starts: Int32Array; values: Float64Array } | null {
    const k = this.k;
    const g = this.groups;
    const w = k.put(this.w, weights);
    const v = k.put(this.vals, values);
    const starts = this.counts.ensure((g + 1) * 4 + 8);
    const cursor = this.sumLo.ensure(g * 4 + 8);
    const out = this.lo.ensure(this.n * 8 + 8);
    const ok = k.x.bucketI64ByGroup(
      this.gids.ptr,
      w,
      v,
      this.validity(validity),
      this.n,
      g,
      starts,
      cursor,
      out,
    );
    if (!ok) return null;
    const s = k.i32(starts, g + 1).slice();
    return { starts: s, values: k.f64(out, s[g]!).slice() };
  }

  private wide(lo: number, hi: number): bigint[] {
    const l = this.k.u64(lo, this.groups);
    const h = this.k.i64(hi, this.groups);
    const out = new Array<bigint>(this.groups);
    for (let g = 0; g < this.groups; g++) out[g] = h[g]! === 0n ? l[g]! : (h[g]! << 64n) | l[g]!;
    return out;
  }
}
