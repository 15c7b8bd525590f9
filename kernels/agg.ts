/**
 * Hash aggregation kernels. Two open-addressing group tables assign dense, permanent group ids
 * (0, 1, 2, ...) to keys: one for int64 keys (also timestamps and any fixed-width key widened
 * to 64 bits) and one for byte-string keys kept in an arena (UTF-8 keys or multi-column keys
 * encoded by the key encoder). NULL keys share one group. Accumulator kernels then fold a batch
 * into per-group state arrays indexed by group id, each row carrying a signed weight (+1 insert,
 * -1 delete, 0 filtered out). Exact sums that would leave their range stop at the offending
 * row and undo the rows already applied, so state is never left wrapped or half-updated.
 */
import { grow, hashBytes, isValid } from './common';

// ---------------------------------------------------------------- int64 group table

// Slots are 16 bytes, key and group id side by side, so a probe touches one cache line.
const SLOT_KEY: usize = 0;
const SLOT_GID: usize = 8;

@unmanaged
class I64Table {
  cap: i32; // slots, a power of two
  size: i32; // groups assigned
  nullGroup: i32; // group of the NULL key, -1 until seen
  gcap: i32; // capacity of the group-key array
  slots: usize; // 16 bytes per slot: i64 key, i32 group id (-1 = empty)
  shift: i32; // 64 - log2(cap): multiply-shift hashing keeps the top bits
  pad: i32;
  gkeys: usize; // i64 per group (0 for the NULL group)
}

/** Hot helpers, inlined into their loops (a decorator on a static method is plain TS syntax). */
export class Fast {
  /** Multiply-shift hash: one multiply; the top bits of the product index the table. */
  @inline static slot(k: i64, shift: i32): usize {
    return <usize>((<u64>k * 0x9e3779b97f4a7c15) >>> (<u64>shift));
  }

  /**
   * Adds (w > 0) or subtracts v (sign-extended int64) to the 128-bit sum of group byte offset
   * `g`; returns whether the result left the 128-bit range (it is stored wrapped then, and the
   * caller takes it back). The high word only moves when the low word crosses a multiple of
   * 2^64, so it is read and written only then: most rows touch one word.
   */
  @inline static addWide(sumLo: usize, sumHi: usize, g: usize, v: i64, w: i32): bool {
    const alo = load<u64>(sumLo + g);
    let c: i64;
    if (w > 0) {
      const rlo = alo + <u64>v;
      store<u64>(sumLo + g, rlo);
      c = <i64>(rlo < alo) + (v >> 63);
    } else {
      store<u64>(sumLo + g, alo - <u64>v);
      c = -(<i64>(alo < <u64>v)) - (v >> 63);
    }
    if (c == 0) return false;
    const ahi = load<i64>(sumHi + g);
    const rhi = ahi + c;
    store<i64>(sumHi + g, rhi);
    return ((ahi ^ rhi) & (c ^ rhi)) < 0;
  }

  /**
   * The insert-only, NULL-free fused loop from row `i`: compiled once per constant combination
   * of `doCount`, `doSum` and `doOut`. Sets fusedStat (1 overflow: row `i` itself taken back,
   * the caller undoes the rows before; 2 state full) and returns the row reached.
   */
  @inline static run(
    t: I64Table,
    keys: usize,
    n: i32,
    i: i32,
    counts: usize,
    vals: usize,
    sumLo: usize,
    sumHi: usize,
    outGids: usize,
    stateCap: i32,
    doCount: bool,
    doSum: bool,
    doOut: bool,
  ): i32 {
    // The table fields live in locals, reloaded only after an insert (which may rehash).
    let slots = t.slots;
    let mask = <usize>(t.cap - 1);
    let shift = t.shift;
    for (; i < n; i++) {
      const k = load<i64>(keys + ((<usize>i) << 3));
      let j = Fast.slot(k, shift);
      let g: i32;
      while (true) {
        const sp = slots + (j << 4);
        g = load<i32>(sp + SLOT_GID);
        if (g < 0) {
          g = i64Insert(t, k);
          slots = t.slots;
          mask = <usize>(t.cap - 1);
          shift = t.shift;
          // only a new group can lie past the state arrays the host sized
          if (g >= stateCap) {
            fusedStat = 2;
            return i;
          }
          break;
        }
        if (load<i64>(sp + SLOT_KEY) == k) break;
        j = (j + 1) & mask;
      }
      if (doOut) store<i32>(outGids + ((<usize>i) << 2), g);
      const go = (<usize>g) << 3;
      if (doCount) store<i64>(counts + go, load<i64>(counts + go) + 1);
      if (doSum) {
        const x = load<i64>(vals + ((<usize>i) << 3));
        if (Fast.addWide(sumLo, sumHi, go, x, 1)) {
          Fast.addWide(sumLo, sumHi, go, x, -1);
          if (doCount) store<i64>(counts + go, load<i64>(counts + go) - 1);
          fusedStat = 1;
          return i;
        }
      }
    }
    return n;
  }

  /** Group of key `k` in `t`, created if missing. */
  @inline static find(t: I64Table, k: i64): i32 {
    const slots = t.slots;
    const mask = <usize>(t.cap - 1);
    let j = Fast.slot(k, t.shift);
    while (true) {
      const sp = slots + (j << 4);
      const g = load<i32>(sp + SLOT_GID);
      if (g < 0) return i64Insert(t, k);
      if (load<i64>(sp + SLOT_KEY) == k) return g;
      j = (j + 1) & mask;
    }
  }

  /** Group of key `k` in `t`, or -1. */
  @inline static get(t: I64Table, k: i64): i32 {
    const slots = t.slots;
    const mask = <usize>(t.cap - 1);
    let j = Fast.slot(k, t.shift);
    while (true) {
      const sp = slots + (j << 4);
      const g = load<i32>(sp + SLOT_GID);
      if (g < 0 || load<i64>(sp + SLOT_KEY) == k) return g;
      j = (j + 1) & mask;
    }
  }
}

function i64Alloc(t: I64Table, cap: i32): void {
  t.cap = cap;
  t.shift = 64 - (31 - clz<i32>(cap));
  t.slots = heap.alloc((<usize>cap) << 4);
  memory.fill(t.slots, 0xff, (<usize>cap) << 4);
}

export function i64TableNew(capHint: i32): usize {
  const t = changetype<I64Table>(heap.alloc(offsetof<I64Table>()));
  let cap = 16;
  while (cap < capHint * 2) cap <<= 1;
  i64Alloc(t, cap);
  t.size = 0;
  t.nullGroup = -1;
  t.gcap = cap >> 1;
  t.gkeys = heap.alloc((<usize>t.gcap) << 3);
  return changetype<usize>(t);
}

export function i64TableFree(p: usize): void {
  const t = changetype<I64Table>(p);
  heap.free(t.slots);
  heap.free(t.gkeys);
  heap.free(p);
}

export function i64TableSize(p: usize): i32 {
  return changetype<I64Table>(p).size;
}
export function i64TableNullGroup(p: usize): i32 {
  return changetype<I64Table>(p).nullGroup;
}
/** Pointer to the key of each group (i64 per group); valid until the next assign. */
export function i64TableGroupKeys(p: usize): usize {
  return changetype<I64Table>(p).gkeys;
}

function i64Rehash(t: I64Table): void {
  const oldCap = t.cap;
  const old = t.slots;
  i64Alloc(t, oldCap << 1);
  const mask = <usize>(t.cap - 1);
  const slots = t.slots;
  const shift = t.shift;
  for (let s: usize = 0; s < <usize>oldCap; s++) {
    const o = old + (s << 4);
    const g = load<i32>(o + SLOT_GID);
    if (g < 0) continue;
    const k = load<i64>(o + SLOT_KEY);
    let j = Fast.slot(k, shift);
    while (load<i32>(slots + (j << 4) + SLOT_GID) >= 0) j = (j + 1) & mask;
    store<i64>(slots + (j << 4) + SLOT_KEY, k);
    store<i32>(slots + (j << 4) + SLOT_GID, g);
  }
  heap.free(old);
}

function newGroup(t: I64Table, k: i64): i32 {
  if (t.size == t.gcap) {
    t.gkeys = grow(t.gkeys, (<usize>t.gcap) << 3, (<usize>t.gcap) << 4);
    t.gcap <<= 1;
  }
  const g = t.size++;
  store<i64>(t.gkeys + ((<usize>g) << 3), k);
  return g;
}

/** Creates the group of key `k`, which a probe found missing (kept out of line: rare). */
function i64Insert(t: I64Table, k: i64): i32 {
  if ((t.size + 1) * 2 > t.cap) i64Rehash(t);
  const mask = <usize>(t.cap - 1);
  let j = Fast.slot(k, t.shift);
  while (load<i32>(t.slots + (j << 4) + SLOT_GID) >= 0) j = (j + 1) & mask;
  const g = newGroup(t, k);
  store<i64>(t.slots + (j << 4) + SLOT_KEY, k);
  store<i32>(t.slots + (j << 4) + SLOT_GID, g);
  return g;
}

function i64NullGroup(t: I64Table): i32 {
  if (t.nullGroup < 0) t.nullGroup = newGroup(t, 0);
  return t.nullGroup;
}

/** Writes the group id of each row to `out` (i32), creating groups; returns the group count. */
export function i64TableAssign(p: usize, keys: usize, validity: usize, n: i32, out: usize): i32 {
  const t = changetype<I64Table>(p);
  if (validity == 0) {
    for (let i = 0; i < n; i++) {
      store<i32>(out + ((<usize>i) << 2), Fast.find(t, load<i64>(keys + ((<usize>i) << 3))));
    }
    return t.size;
  }
  for (let i = 0; i < n; i++) {
    const g = isValid(validity, i)
      ? Fast.find(t, load<i64>(keys + ((<usize>i) << 3)))
      : i64NullGroup(t);
    store<i32>(out + ((<usize>i) << 2), g);
  }
  return t.size;
}

/** Like assign but never creates groups: unknown keys (and NULL keys) get -1. */
export function i64TableLookup(p: usize, keys: usize, validity: usize, n: i32, out: usize): void {
  const t = changetype<I64Table>(p);
  for (let i = 0; i < n; i++) {
    const g = isValid(validity, i) ? Fast.get(t, load<i64>(keys + ((<usize>i) << 3))) : -1;
    store<i32>(out + ((<usize>i) << 2), g);
  }
}

// ---------------------------------------------------------------- byte-string group table

@unmanaged
class BytesTable {
  cap: i32;
  size: i32;
  nullGroup: i32;
  gcap: i32;
  hashes: usize; // u64 per slot
  gids: usize; // i32 per slot, -1 = empty
  goffs: usize; // i32 per group + 1: key start in the arena
  arena: usize;
  arenaCap: i32;
}

function bytesAlloc(t: BytesTable, cap: i32): void {
  t.cap = cap;
  t.hashes = heap.alloc((<usize>cap) << 3);
  t.gids = heap.alloc((<usize>cap) << 2);
  memory.fill(t.gids, 0xff, (<usize>cap) << 2);
}

export function bytesTableNew(capHint: i32): usize {
  const t = changetype<BytesTable>(heap.alloc(offsetof<BytesTable>()));
  let cap = 16;
  while (cap < capHint * 2) cap <<= 1;
  bytesAlloc(t, cap);
  t.size = 0;
  t.nullGroup = -1;
  t.gcap = cap >> 1;
  t.goffs = heap.alloc((<usize>(t.gcap + 1)) << 2);
  store<i32>(t.goffs, 0);
  t.arenaCap = 1024;
  t.arena = heap.alloc(<usize>t.arenaCap);
  return changetype<usize>(t);
}

export function bytesTableFree(p: usize): void {
  const t = changetype<BytesTable>(p);
  heap.free(t.hashes);
  heap.free(t.gids);
  heap.free(t.goffs);
  heap.free(t.arena);
  heap.free(p);
}

export function bytesTableSize(p: usize): i32 {
  return changetype<BytesTable>(p).size;
}
export function bytesTableNullGroup(p: usize): i32 {
  return changetype<BytesTable>(p).nullGroup;
}
/** Pointer to size + 1 i32 offsets of each group's key in the arena. */
export function bytesTableKeyOffsets(p: usize): usize {
  return changetype<BytesTable>(p).goffs;
}
export function bytesTableArena(p: usize): usize {
  return changetype<BytesTable>(p).arena;
}

function bytesRehash(t: BytesTable): void {
  const oldCap = t.cap;
  const oldHashes = t.hashes;
  const oldGids = t.gids;
  bytesAlloc(t, oldCap << 1);
  const mask = t.cap - 1;
  for (let s = 0; s < oldCap; s++) {
    const g = load<i32>(oldGids + ((<usize>s) << 2));
    if (g < 0) continue;
    const h = load<u64>(oldHashes + ((<usize>s) << 3));
    let j = (<i32>h) & mask;
    while (load<i32>(t.gids + ((<usize>j) << 2)) >= 0) j = (j + 1) & mask;
    store<u64>(t.hashes + ((<usize>j) << 3), h);
    store<i32>(t.gids + ((<usize>j) << 2), g);
  }
  heap.free(oldHashes);
  heap.free(oldGids);
}

function bytesNewGroup(t: BytesTable, src: usize, len: i32): i32 {
  if (t.size == t.gcap) {
    t.goffs = grow(t.goffs, (<usize>(t.gcap + 1)) << 2, (<usize>(2 * t.gcap + 1)) << 2);
    t.gcap <<= 1;
  }
  const g = t.size++;
  const start = load<i32>(t.goffs + ((<usize>g) << 2));
  if (start + len > t.arenaCap) {
    let c = t.arenaCap;
    while (start + len > c) c <<= 1;
    t.arena = grow(t.arena, <usize>t.arenaCap, <usize>c);
    t.arenaCap = c;
  }
  memory.copy(t.arena + <usize>start, src, <usize>len);
  store<i32>(t.goffs + ((<usize>(g + 1)) << 2), start + len);
  return g;
}

function bytesFind(t: BytesTable, h: u64, src: usize, len: i32, create: bool): i32 {
  if (create && (t.size + 1) * 2 > t.cap) bytesRehash(t);
  const mask = t.cap - 1;
  let j = (<i32>h) & mask;
  while (true) {
    const gp = t.gids + ((<usize>j) << 2);
    const g = load<i32>(gp);
    if (g < 0) {
      if (!create) return -1;
      const ng = bytesNewGroup(t, src, len);
      store<i32>(gp, ng);
      store<u64>(t.hashes + ((<usize>j) << 3), h);
      return ng;
    }
    if (load<u64>(t.hashes + ((<usize>j) << 3)) == h) {
      const s = load<i32>(t.goffs + ((<usize>g) << 2));
      const e = load<i32>(t.goffs + ((<usize>(g + 1)) << 2));
      if (e - s == len && memory.compare(t.arena + <usize>s, src, <usize>len) == 0) return g;
    }
    j = (j + 1) & mask;
  }
}

function bytesRun(
  p: usize,
  offsets: usize,
  data: usize,
  validity: usize,
  n: i32,
  out: usize,
  create: bool,
): void {
  const t = changetype<BytesTable>(p);
  for (let i = 0; i < n; i++) {
    let g: i32;
    if (!isValid(validity, i)) {
      if (create && t.nullGroup < 0) t.nullGroup = bytesNewGroup(t, 0, 0);
      g = create ? t.nullGroup : -1;
    } else {
      const s = load<i32>(offsets + ((<usize>i) << 2));
      const len = load<i32>(offsets + ((<usize>(i + 1)) << 2)) - s;
      const h = hashBytes(data + <usize>s, len, 0x9ae16a3b2f90404f);
      g = bytesFind(t, h, data + <usize>s, len, create);
    }
    store<i32>(out + ((<usize>i) << 2), g);
  }
}

/** Group ids for byte-string keys (i32 offsets into `data`); returns the group count. */
export function bytesTableAssign(
  p: usize,
  offsets: usize,
  data: usize,
  validity: usize,
  n: i32,
  out: usize,
): i32 {
  bytesRun(p, offsets, data, validity, n, out, true);
  return changetype<BytesTable>(p).size;
}

export function bytesTableLookup(
  p: usize,
  offsets: usize,
  data: usize,
  validity: usize,
  n: i32,
  out: usize,
): void {
  bytesRun(p, offsets, data, validity, n, out, false);
}

// ---------------------------------------------------------------- accumulators

/** counts[g] += weight for rows whose value is non-NULL (validity 0: COUNT(*)); i64 state. */
export function aggCount(
  gids: usize,
  weights: usize,
  validity: usize,
  n: i32,
  counts: usize,
): void {
  for (let i = 0; i < n; i++) {
    if (!isValid(validity, i)) continue;
    const w = load<i8>(weights + <usize>i);
    const p = counts + ((<usize>load<i32>(gids + ((<usize>i) << 2))) << 3);
    store<i64>(p, load<i64>(p) + <i64>w);
  }
}

/** sums[g] += weight × value over float64 values. */
export function aggSumF64(
  gids: usize,
  weights: usize,
  vals: usize,
  validity: usize,
  n: i32,
  sums: usize,
): void {
  for (let i = 0; i < n; i++) {
    if (!isValid(validity, i)) continue;
    const w = load<i8>(weights + <usize>i);
    if (w == 0) continue;
    const p = sums + ((<usize>load<i32>(gids + ((<usize>i) << 2))) << 3);
    const v = load<f64>(vals + ((<usize>i) << 3));
    store<f64>(p, w > 0 ? load<f64>(p) + v : load<f64>(p) - v);
  }
}

/**
 * Checked int64 sum: sums[g] += sign(weight) × value. Returns -1, or the index of the first row
 * whose addition overflows (after undoing the rows before it).
 */
export function aggSumI64Checked(
  gids: usize,
  weights: usize,
  vals: usize,
  validity: usize,
  n: i32,
  sums: usize,
): i32 {
  for (let i = 0; i < n; i++) {
    if (!isValid(validity, i)) continue;
    const w = load<i8>(weights + <usize>i);
    if (w == 0) continue;
    const p = sums + ((<usize>load<i32>(gids + ((<usize>i) << 2))) << 3);
    const a = load<i64>(p);
    const v = load<i64>(vals + ((<usize>i) << 3));
    const r = w > 0 ? a + v : a - v;
    const over = w > 0 ? ((a ^ r) & (v ^ r)) < 0 : ((a ^ v) & (a ^ r)) < 0;
    if (over) {
      for (let k = i - 1; k >= 0; k--) {
        if (!isValid(validity, k)) continue;
        const wk = load<i8>(weights + <usize>k);
        if (wk == 0) continue;
        const q = sums + ((<usize>load<i32>(gids + ((<usize>k) << 2))) << 3);
        const vk = load<i64>(vals + ((<usize>k) << 3));
        store<i64>(q, wk > 0 ? load<i64>(q) - vk : load<i64>(q) + vk);
      }
      return i;
    }
    store<i64>(p, r);
  }
  return -1;
}

/**
 * Adds (w > 0) or subtracts a 128-bit value to the 128-bit accumulator at lo/hi; returns
 * whether the signed result left the 128-bit range (the store is skipped then).
 */
function add128(lo: usize, hi: usize, vlo: u64, vhi: i64, w: i8): bool {
  const alo = load<u64>(lo);
  const ahi = load<i64>(hi);
  let rlo: u64;
  let rhi: i64;
  let over: bool;
  if (w > 0) {
    rlo = alo + vlo;
    rhi = ahi + vhi + <i64>(rlo < alo);
    over = ((ahi ^ rhi) & (vhi ^ rhi)) < 0;
  } else {
    rlo = alo - vlo;
    rhi = ahi - vhi - <i64>(alo < vlo);
    over = ((ahi ^ vhi) & (ahi ^ rhi)) < 0;
  }
  if (!over) {
    store<u64>(lo, rlo);
    store<i64>(hi, rhi);
  }
  return over;
}

/** Exact int64 sum into 128-bit state (sumLo u64, sumHi i64 per group); -1 or overflow row. */
export function aggSumI64Wide(
  gids: usize,
  weights: usize,
  vals: usize,
  validity: usize,
  n: i32,
  sumLo: usize,
  sumHi: usize,
): i32 {
  for (let i = 0; i < n; i++) {
    if (!isValid(validity, i)) continue;
    const w = load<i8>(weights + <usize>i);
    if (w == 0) continue;
    const g = (<usize>load<i32>(gids + ((<usize>i) << 2))) << 3;
    const v = load<i64>(vals + ((<usize>i) << 3));
    if (add128(sumLo + g, sumHi + g, <u64>v, v >> 63, w)) {
      undoWide(gids, weights, vals, 0, validity, i, sumLo, sumHi);
      return i;
    }
  }
  return -1;
}

/**
 * Exact decimal sum: values and state are 128-bit integers scaled by the same power of ten
 * (valLo/valHi and sumLo/sumHi, u64 + i64 per entry). Returns -1 or the overflowing row; on
 * overflow the rows before it are undone.
 */
export function aggSumDecimal(
  gids: usize,
  weights: usize,
  valLo: usize,
  valHi: usize,
  validity: usize,
  n: i32,
  sumLo: usize,
  sumHi: usize,
): i32 {
  for (let i = 0; i < n; i++) {
    if (!isValid(validity, i)) continue;
    const w = load<i8>(weights + <usize>i);
    if (w == 0) continue;
    const g = (<usize>load<i32>(gids + ((<usize>i) << 2))) << 3;
    const o = (<usize>i) << 3;
    if (add128(sumLo + g, sumHi + g, load<u64>(valLo + o), load<i64>(valHi + o), w)) {
      undoWide(gids, weights, valLo, valHi, validity, i, sumLo, sumHi);
      return i;
    }
  }
  return -1;
}

/** Reverts rows [0, upTo) of a wide sum; wrapping arithmetic makes this exact. */
function undoWide(
  gids: usize,
  weights: usize,
  valLo: usize,
  valHi: usize,
  validity: usize,
  upTo: i32,
  sumLo: usize,
  sumHi: usize,
): void {
  for (let k = upTo - 1; k >= 0; k--) {
    if (!isValid(validity, k)) continue;
    const w = load<i8>(weights + <usize>k);
    if (w == 0) continue;
    const g = (<usize>load<i32>(gids + ((<usize>k) << 2))) << 3;
    const o = (<usize>k) << 3;
    const vlo = load<u64>(valLo + o);
    // valHi == 0 marks int64 input: the high word is the sign extension.
    const vhi = valHi == 0 ? (<i64>vlo) >> 63 : load<i64>(valHi + o);
    const alo = load<u64>(sumLo + g);
    const ahi = load<i64>(sumHi + g);
    if (w > 0) {
      store<u64>(sumLo + g, alo - vlo);
      store<i64>(sumHi + g, ahi - vhi - <i64>(alo < vlo));
    } else {
      const rlo = alo + vlo;
      store<u64>(sumLo + g, rlo);
      store<i64>(sumHi + g, ahi + vhi + <i64>(rlo < alo));
    }
  }
}

/**
 * Per-group MIN/MAX candidates of this batch's inserted (weight > 0) int64 values: the host
 * resets `mins` to i64.MAX, `maxs` to i64.MIN and `seen` to 0 before the batch and merges the
 * candidates into its retractable state afterwards.
 */
export function aggMinMaxI64(
  gids: usize,
  weights: usize,
  vals: usize,
  validity: usize,
  n: i32,
  mins: usize,
  maxs: usize,
  seen: usize,
): void {
  for (let i = 0; i < n; i++) {
    if (!isValid(validity, i) || load<i8>(weights + <usize>i) <= 0) continue;
    const g = load<i32>(gids + ((<usize>i) << 2));
    const v = load<i64>(vals + ((<usize>i) << 3));
    const mp = mins + ((<usize>g) << 3);
    const xp = maxs + ((<usize>g) << 3);
    if (v < load<i64>(mp)) store<i64>(mp, v);
    if (v > load<i64>(xp)) store<i64>(xp, v);
    store<u8>(seen + <usize>g, 1);
  }
}

// ---------------------------------------------------------------- decimal text to scaled

let lastStatus: i32 = 0;
let lastNeededScale: i32 = 0;

/** 0 ok, 1 scale too small (see decNeededScale), 2 out of the 128-bit range, 3 not a number. */
export function decStatus(): i32 {
  return lastStatus;
}
export function decNeededScale(): i32 {
  return lastNeededScale;
}

/** Multiplies the non-negative 128-bit magnitude at (lo, hi) by 10 and adds `d`. */
let mlo: u64 = 0;
let mhi: u64 = 0;
function mulAdd10(d: u64): bool {
  const a = mlo >>> 32;
  const b = mlo & 0xffffffff;
  const lo10 = mlo * 10;
  const carry = (a * 10 + ((b * 10) >>> 32)) >>> 32;
  if (mhi > 0x0ccccccccccccccc) return false;
  let hi = mhi * 10 + carry;
  const lo = lo10 + d;
  if (lo < lo10) hi++;
  if (hi > 0x7fffffffffffffff) return false;
  mlo = lo;
  mhi = hi;
  return true;
}

/**
 * Parses decimal text (Utf8 column: plain `-12.50` or Sluice's `{"n":"-12.50"}` encoding) into
 * 128-bit integers scaled by 10^scale (outLo u64, outHi i64 per row; NULL rows get 0).
 * Returns -1 when every row converted, else the first failing row with decStatus() saying why;
 * on status 1 decNeededScale() is the scale the whole batch needs.
 */
export function decParseUtf8(
  offsets: usize,
  data: usize,
  validity: usize,
  n: i32,
  scale: i32,
  outLo: usize,
  outHi: usize,
): i32 {
  lastStatus = 0;
  lastNeededScale = scale;
  let firstBad: i32 = -1;
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 3;
    store<u64>(outLo + o, 0);
    store<i64>(outHi + o, 0);
    if (!isValid(validity, i)) continue;
    let s = <usize>load<i32>(offsets + ((<usize>i) << 2));
    let e = <usize>load<i32>(offsets + ((<usize>(i + 1)) << 2));
    if (e > s && load<u8>(data + s) == 0x7b) {
      // {"n":"...."}
      s += 6;
      e -= 2;
    }
    let neg = false;
    if (s < e && (load<u8>(data + s) == 0x2d || load<u8>(data + s) == 0x2b)) {
      neg = load<u8>(data + s) == 0x2d;
      s++;
    }
    mlo = 0;
    mhi = 0;
    let frac: i32 = 0; // fraction digits applied
    let pendingZeros: i32 = 0; // fraction zeros not yet applied (trailing unless a digit follows)
    let inFrac = false;
    let digits = 0;
    let status = 0;
    for (let p = s; p < e; p++) {
      const c = load<u8>(data + p);
      if (c == 0x2e && !inFrac) {
        inFrac = true;
        continue;
      }
      if (c < 0x30 || c > 0x39) {
        status = 3;
        break;
      }
      digits++;
      const d = <u64>(c - 0x30);
      if (inFrac) {
        if (d == 0) {
          pendingZeros++;
          continue;
        }
        while (pendingZeros > 0) {
          if (!mulAdd10(0)) status = 2;
          pendingZeros--;
          frac++;
        }
        frac++;
      }
      if (!mulAdd10(d)) status = 2;
      if (status != 0) break;
    }
    if (status == 0 && digits == 0) status = 3;
    if (status == 0 && frac > scale) {
      status = 1;
      if (frac > lastNeededScale) lastNeededScale = frac;
    }
    if (status == 0) {
      for (let k = frac; k < scale; k++) {
        if (!mulAdd10(0)) {
          status = 2;
          break;
        }
      }
    }
    if (status != 0) {
      // A range or syntax failure ends the scan; a scale shortfall keeps scanning for the maximum.
      if (firstBad < 0 || (lastStatus == 1 && status > 1)) {
        if (firstBad < 0) firstBad = i;
        lastStatus = status;
      }
      if (status > 1) return i;
      continue;
    }
    if (neg) {
      const lo = ~mlo + 1;
      const hi = ~mhi + <u64>(lo == 0);
      store<u64>(outLo + o, lo);
      store<i64>(outHi + o, <i64>hi);
    } else {
      store<u64>(outLo + o, mlo);
      store<i64>(outHi + o, <i64>mhi);
    }
  }
  return firstBad;
}

/**
 * Multiplies `n` 128-bit state entries by 10^k (to move state to a larger scale). Returns -1
 * or the first entry that would overflow, in which case nothing is changed.
 */
export function decRescale(lo: usize, hi: usize, n: i32, k: i32): i32 {
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < n; i++) {
      const o = (<usize>i) << 3;
      let l = load<u64>(lo + o);
      let h = load<i64>(hi + o);
      const neg = h < 0;
      if (neg) {
        l = ~l + 1;
        h = <i64>(~(<u64>h) + <u64>(l == 0));
      }
      mlo = l;
      mhi = <u64>h;
      for (let j = 0; j < k; j++) if (!mulAdd10(0)) return i;
      if (pass == 1) {
        if (neg) {
          const nl = ~mlo + 1;
          store<u64>(lo + o, nl);
          store<i64>(hi + o, <i64>(~mhi + <u64>(nl == 0)));
        } else {
          store<u64>(lo + o, mlo);
          store<i64>(hi + o, <i64>mhi);
        }
      }
    }
  }
  return -1;
}

// ---------------------------------------------------------------- fused int64-key aggregation

let fusedStat: i32 = 0;

/** Why aggFusedI64 stopped: 0 finished, 1 a sum overflowed (batch undone), 2 state arrays full. */
export function aggFusedStatus(): i32 {
  return fusedStat;
}

/** Whether all `n` weights are +1 (16 at a time), so the insert-only loop applies. */
export function allWeightsOne(weights: usize, n: i32): bool {
  const ones = i8x16.splat(1);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    if (!i8x16.all_true(i8x16.eq(v128.load(weights + <usize>i), ones))) return false;
  }
  for (; i < n; i++) if (load<i8>(weights + <usize>i) != 1) return false;
  return true;
}

/**
 * Reverts rows [0, upTo) of a fused pass (and, for row `upTo` itself, nothing: its sum was
 * never kept). Groups are found again by lookup, so no group-id buffer is needed; wrapping
 * arithmetic makes the reversal exact.
 */
function fusedUndo(
  t: I64Table,
  keys: usize,
  keyValidity: usize,
  upTo: i32,
  weights: usize,
  counts: usize,
  vals: usize,
  valValidity: usize,
  sumLo: usize,
  sumHi: usize,
): void {
  for (let i = upTo - 1; i >= 0; i--) {
    const g = isValid(keyValidity, i)
      ? Fast.get(t, load<i64>(keys + ((<usize>i) << 3)))
      : t.nullGroup;
    const w: i32 = weights == 0 ? 1 : <i32>load<i8>(weights + <usize>i);
    const go = (<usize>g) << 3;
    if (counts != 0) store<i64>(counts + go, load<i64>(counts + go) - <i64>w);
    if (vals != 0 && w != 0 && isValid(valValidity, i)) {
      Fast.addWide(sumLo, sumHi, go, load<i64>(vals + ((<usize>i) << 3)), -w);
    }
  }
}

/**
 * One pass over a batch keyed by an int64 column: assigns group ids (as i64TableAssign) and
 * folds COUNT(*) and an exact int64 SUM into their per-group state at the same time, instead
 * of one pass per step. `weights` 0 means every row is +1; `counts`, `vals` and `outGids` 0
 * skip that part. The state arrays hold `stateCap` groups: when a new group would not fit,
 * the pass stops (status 2) at that row and the host grows them and calls again with `from`
 * set to the returned row. A sum leaving the 128-bit range stops the pass with status 1 and
 * takes back rows [0, returned row) of the batch — counts and sums alike, so the state is as
 * before the batch (groups created on the way stay, with zero state). Returns the row reached
 * (n when finished); aggFusedStatus() says why it stopped.
 */
export function aggFusedI64(
  p: usize,
  keys: usize,
  keyValidity: usize,
  n: i32,
  from: i32,
  weights: usize,
  counts: usize,
  vals: usize,
  valValidity: usize,
  sumLo: usize,
  sumHi: usize,
  outGids: usize,
  stateCap: i32,
): i32 {
  const t = changetype<I64Table>(p);
  fusedStat = 0;
  let w1 = weights;
  if (w1 != 0 && allWeightsOne(w1 + <usize>from, n - from)) w1 = 0;
  let i = from;
  if (keyValidity == 0 && valValidity == 0 && w1 == 0) {
    // Insert-only, NULL-free: the hot loops have no per-row validity or weight work, and one
    // is compiled per combination of parts so no row tests a flag.
    const c = counts != 0;
    const v = vals != 0;
    const o = outGids != 0;
    if (c && v && !o)
      i = Fast.run(t, keys, n, i, counts, vals, sumLo, sumHi, 0, stateCap, true, true, false);
    else if (c && v && o)
      i = Fast.run(t, keys, n, i, counts, vals, sumLo, sumHi, outGids, stateCap, true, true, true);
    else if (c && !v && !o)
      i = Fast.run(t, keys, n, i, counts, 0, 0, 0, 0, stateCap, true, false, false);
    else if (!c && v && !o)
      i = Fast.run(t, keys, n, i, 0, vals, sumLo, sumHi, 0, stateCap, false, true, false);
    else i = Fast.run(t, keys, n, i, counts, vals, sumLo, sumHi, outGids, stateCap, c, v, o);
    if (fusedStat == 1) {
      fusedUndo(t, keys, keyValidity, i, weights, counts, vals, valValidity, sumLo, sumHi);
    }
    return i;
  }
  for (; i < n; i++) {
    const g = isValid(keyValidity, i)
      ? Fast.find(t, load<i64>(keys + ((<usize>i) << 3)))
      : i64NullGroup(t);
    if (g >= stateCap) {
      fusedStat = 2;
      return i;
    }
    if (outGids != 0) store<i32>(outGids + ((<usize>i) << 2), g);
    const w: i32 = w1 == 0 ? 1 : <i32>load<i8>(w1 + <usize>i);
    const go = (<usize>g) << 3;
    if (counts != 0) store<i64>(counts + go, load<i64>(counts + go) + <i64>w);
    if (vals != 0 && w != 0 && isValid(valValidity, i)) {
      const v = load<i64>(vals + ((<usize>i) << 3));
      if (Fast.addWide(sumLo, sumHi, go, v, w)) {
        Fast.addWide(sumLo, sumHi, go, v, -w);
        if (counts != 0) store<i64>(counts + go, load<i64>(counts + go) - <i64>w);
        fusedUndo(t, keys, keyValidity, i, weights, counts, vals, valValidity, sumLo, sumHi);
        fusedStat = 1;
        return i;
      }
    }
  }
  return n;
}

/** Takes back a whole batch folded by aggFusedI64 (when a later aggregate of it fails). */
export function aggFusedUndoI64(
  p: usize,
  keys: usize,
  keyValidity: usize,
  n: i32,
  weights: usize,
  counts: usize,
  vals: usize,
  valValidity: usize,
  sumLo: usize,
  sumHi: usize,
): void {
  const t = changetype<I64Table>(p);
  fusedUndo(t, keys, keyValidity, n, weights, counts, vals, valValidity, sumLo, sumHi);
}
