/**
 * Plain-TypeScript versions of the kernel loops over typed arrays (the same algorithms as the
 * Wasm kernels, as a JavaScript engineer would write them without Wasm): the baseline each
 * kernel benchmark divides by.
 */

function mix(k: bigint): number {
  // Same open-addressing idea, hashing the low and high 32 bits with Math.imul.
  const lo = Number(BigInt.asUintN(32, k));
  const hi = Number(BigInt.asUintN(32, k >> 32n));
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  return Math.imul(h, 0xc2b2ae35) ^ (h >>> 13);
}

/** Open-addressing count + sum per int64 key. */
export class TsAgg {
  cap = 2048;
  keys = new BigInt64Array(this.cap);
  gids = new Int32Array(this.cap).fill(-1);
  size = 0;
  counts = new Float64Array(1024);
  sums = new BigInt64Array(1024);
  apply(keys: BigInt64Array, weights: Int8Array, vals: BigInt64Array): void {
    const mask = this.cap - 1;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      let j = mix(k) & mask;
      let g: number;
      for (;;) {
        g = this.gids[j]!;
        if (g < 0) {
          g = this.size++;
          this.gids[j] = g;
          this.keys[j] = k;
          break;
        }
        if (this.keys[j] === k) break;
        j = (j + 1) & mask;
      }
      const w = weights[i]!;
      this.counts[g]! += w;
      this.sums[g] = w > 0 ? this.sums[g]! + vals[i]! : this.sums[g]! - vals[i]!;
    }
  }
}

/** Join build side as Map<key, row[]>; probe emits pairs into growable arrays. */
export class TsJoin {
  map = new Map<bigint, number[]>();
  build(keys: BigInt64Array): void {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const l = this.map.get(k);
      if (l) l.push(i);
      else this.map.set(k, [i]);
    }
  }
  probe(keys: BigInt64Array): number {
    const p: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      const l = this.map.get(keys[i]!);
      if (!l) continue;
      for (const r of l) {
        p.push(i);
        b.push(r);
      }
    }
    return p.length;
  }
}

export function tsFilterGt(col: BigInt64Array, c: bigint, out: Int32Array): number {
  let k = 0;
  for (let i = 0; i < col.length; i++) if (col[i]! > c) out[k++] = i;
  return k;
}

export function tsTumble(ts: BigInt64Array, size: bigint, out: BigInt64Array): void {
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    let q = t / size;
    if (t % size !== 0n && t < 0n) q--;
    out[i] = q * size;
  }
}

export function tsTake(src: BigInt64Array, idx: Int32Array, out: BigInt64Array): void {
  for (let i = 0; i < idx.length; i++) out[i] = src[idx[i]!]!;
}

export function tsHashUtf8(strs: string[], out: Uint32Array): void {
  for (let i = 0; i < strs.length; i++) {
    const s = strs[i]!;
    let h = 0x811c9dc5;
    for (let j = 0; j < s.length; j++) h = Math.imul(h ^ s.charCodeAt(j), 0x01000193);
    out[i] = h >>> 0;
  }
}
