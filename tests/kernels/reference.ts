/**
 * Plain-TypeScript references of the Wasm kernels, written for clarity over speed: the tests
 * compare each kernel with them and the benchmarks measure the kernels against them. Values
 * are ordinary JS values (bigint for int64, null for NULL).
 */

const M64 = (1n << 64n) - 1n;
const mul = (a: bigint, b: bigint) => (a * b) & M64;

export function mix64(x: bigint): bigint {
  x = mul(x, 0x9e3779b97f4a7c15n);
  x ^= x >> 29n;
  x = mul(x, 0xbf58476d1ce4e5b9n);
  x ^= x >> 32n;
  return x;
}

export const NULL_HASH = 0x2545f4914f6cdd1dn;

export function hashBytes(b: Uint8Array, seed: bigint): bigint {
  let h = seed ^ mul(BigInt(b.length), 0x9e3779b97f4a7c15n);
  let i = 0;
  const word = (from: number, to: number) => {
    let w = 0n;
    for (let j = to - 1; j >= from; j--) w = (w << 8n) | BigInt(b[j]!);
    return w;
  };
  for (; i + 8 <= b.length; i += 8) h = mix64(h ^ word(i, i + 8));
  if (i < b.length) h = mix64(h ^ word(i, b.length) ^ 0x5555555555555555n);
  return h;
}

const rotl23 = (x: bigint) => ((x << 23n) | (x >> 41n)) & M64;

/** Hash of one column's value (int64 as two's complement bits, text as UTF-8). */
export function hashValue(v: bigint | string | number | null, kind: 'i64' | 'f64' | 'utf8') {
  if (v === null) return NULL_HASH;
  if (kind === 'utf8') return hashBytes(new TextEncoder().encode(v as string), 0n);
  if (kind === 'f64') {
    const f = v as number;
    const dv = new DataView(new ArrayBuffer(8));
    dv.setFloat64(0, f === 0 ? 0 : Number.isNaN(f) ? NaN : f, true);
    return mix64(Number.isNaN(f) ? 0x7ff8000000000000n : dv.getBigUint64(0, true));
  }
  return mix64(BigInt.asUintN(64, v as bigint));
}

export function hashRows(
  cols: { kind: 'i64' | 'f64' | 'utf8'; values: (bigint | string | number | null)[] }[],
): bigint[] {
  const n = cols[0]?.values.length ?? 0;
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) {
    let h = 0n;
    cols.forEach((c, j) => {
      const x = hashValue(c.values[i]!, c.kind);
      h = j === 0 ? x : mix64(rotl23(h) ^ x);
    });
    out.push(h);
  }
  return out;
}

/** Dense group ids in first-seen order (NULL is a group of its own). */
export class RefGroups<K> {
  readonly ids = new Map<K | null, number>();
  assign(keys: (K | null)[]): number[] {
    return keys.map((k) => {
      let g = this.ids.get(k);
      if (g === undefined) this.ids.set(k, (g = this.ids.size));
      return g;
    });
  }
  lookup(keys: (K | null)[]): number[] {
    return keys.map((k) => (k === null ? -1 : (this.ids.get(k) ?? -1)));
  }
}

/** Signed-weight count and exact sum per group, over a Map keyed by group. */
export function refAggregate(
  keys: (bigint | null)[],
  weights: number[],
  vals: (bigint | null)[],
): Map<bigint | null, { count: bigint; countVal: bigint; sum: bigint }> {
  const m = new Map<bigint | null, { count: bigint; countVal: bigint; sum: bigint }>();
  keys.forEach((k, i) => {
    let s = m.get(k);
    if (!s) m.set(k, (s = { count: 0n, countVal: 0n, sum: 0n }));
    const w = BigInt(weights[i]!);
    s.count += w;
    const v = vals[i];
    if (v !== null && v !== undefined) {
      s.countVal += w;
      s.sum += w * v;
    }
  });
  return m;
}

/** Hash join by nested loops: (probe row, build row) pairs, NULL never matching. */
export function refJoin(build: (bigint | null)[], dead: Set<number>, probe: (bigint | null)[]) {
  const pairs: [number, number][] = [];
  probe.forEach((p, i) => {
    if (p === null) return;
    build.forEach((b, j) => {
      if (b === p && !dead.has(j)) pairs.push([i, j]);
    });
  });
  return pairs;
}

export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

export function refTumble(ts: bigint | null, size: bigint, offset: bigint): bigint | null {
  return ts === null ? null : floorDiv(ts - offset, size) * size + offset;
}

export function refHop(ts: (bigint | null)[], slide: bigint, size: bigint, offset: bigint) {
  const out: [number, bigint][] = [];
  ts.forEach((t, i) => {
    if (t === null) return;
    // every start ≡ offset (mod slide) in (t - size, t]
    const last = floorDiv(t - offset, slide) * slide + offset;
    const starts: bigint[] = [];
    for (let s = last; s > t - size; s -= slide) starts.push(s);
    for (const s of starts.reverse()) out.push([i, s]);
  });
  return out;
}

export function refCompare<T extends bigint | number | string>(
  vals: (T | null)[],
  op: '=' | '<>' | '<' | '<=' | '>' | '>=',
  c: T,
  cmp: (a: T, b: T) => number,
): number[] {
  const out: number[] = [];
  vals.forEach((v, i) => {
    if (v === null) return;
    const r = cmp(v, c);
    const ok =
      op === '='
        ? r === 0
        : op === '<>'
          ? r !== 0
          : op === '<'
            ? r < 0
            : op === '<='
              ? r <= 0
              : op === '>'
                ? r > 0
                : r >= 0;
    if (ok) out.push(i);
  });
  return out;
}

/** SQL float order: NaN equal to itself and above every number. */
export function cmpFloat(a: number, b: number): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an && bn ? 0 : an ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function cmpBytes(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
