/**
 * Int64-key hash-join index: open addressing with the key and its newest live build row side
 * by side in one 16-byte slot, so a probe of a unique key costs one cache line (no group id,
 * no chain-head array). Rows sharing a key form a doubly linked chain (newest first); deleting
 * a row unlinks it, so probes never look at dead rows. Probing hashes a block of probe keys
 * and touches their slots before comparing anything, letting the CPU overlap the cache misses;
 * output pairs go to caller-sized buffers and a probe resumes where it stopped when they fill.
 */
import { grow, isValid } from './common';
import { Fast } from './agg';

// slot: i64 key, i32 head row (-1 = no live row), i32 live rows with this key (-1 = empty slot)
const S_KEY: usize = 0;
const S_HEAD: usize = 8;
const S_CNT: usize = 12;
const BLOCK = 32;

@unmanaged
class HashJoin {
  slots: usize;
  cap: i32; // slots, a power of two
  shift: i32;
  used: i32; // occupied slots (keys with at least one row since the last rehash)
  rcap: i32;
  next: usize; // i32 per row: older row with the same key, -1 = end
  prev: usize; // i32 per row: newer row with the same key, -1 = the chain head
  rkeys: usize; // i64 per row
  state: usize; // u8 per row: 0 live, 1 deleted, 2 NULL key (never matches)
  rows: i32;
  live: i32;
  pRow: i32; // probe cursor: row, and chain position within it (-1 = not started)
  pNode: i32;
  done: i32;
  sink: i64;
}

function hjAlloc(j: HashJoin, cap: i32): void {
  j.cap = cap;
  j.shift = 64 - (31 - clz<i32>(cap));
  j.slots = heap.alloc((<usize>cap) << 4);
  memory.fill(j.slots, 0xff, (<usize>cap) << 4);
  j.used = 0;
}

export function hjNew(capHint: i32): usize {
  const j = changetype<HashJoin>(heap.alloc(offsetof<HashJoin>()));
  let cap = 16;
  while (cap < capHint * 2) cap <<= 1;
  hjAlloc(j, cap);
  j.rcap = 64;
  j.next = heap.alloc(64 << 2);
  j.prev = heap.alloc(64 << 2);
  j.rkeys = heap.alloc(64 << 3);
  j.state = heap.alloc(64);
  j.rows = 0;
  j.live = 0;
  j.pRow = 0;
  j.pNode = -1;
  j.done = 1;
  j.sink = 0;
  return changetype<usize>(j);
}

export function hjFree(p: usize): void {
  const j = changetype<HashJoin>(p);
  heap.free(j.slots);
  heap.free(j.next);
  heap.free(j.prev);
  heap.free(j.rkeys);
  heap.free(j.state);
  heap.free(p);
}

export function hjRows(p: usize): i32 {
  return changetype<HashJoin>(p).rows;
}
export function hjLiveRows(p: usize): i32 {
  return changetype<HashJoin>(p).live;
}

/** The slot of key `k`: its own, or the empty slot where it would go. */
function hjSlot(j: HashJoin, k: i64): usize {
  const mask = <usize>(j.cap - 1);
  let s = Fast.slot(k, j.shift);
  while (true) {
    const sp = j.slots + (s << 4);
    if (load<i32>(sp + S_CNT) < 0 || load<i64>(sp + S_KEY) == k) return sp;
    s = (s + 1) & mask;
  }
}

/** Doubles the slot array, dropping keys whose rows were all deleted. */
function hjRehash(j: HashJoin): void {
  const oldCap = j.cap;
  const old = j.slots;
  let live = 0;
  for (let s: usize = 0; s < <usize>oldCap; s++) if (load<i32>(old + (s << 4) + S_CNT) > 0) live++;
  let cap = oldCap;
  while ((live + 1) * 2 > cap) cap <<= 1;
  if (cap == oldCap && live * 4 > oldCap) cap <<= 1;
  hjAlloc(j, cap);
  for (let s: usize = 0; s < <usize>oldCap; s++) {
    const o = old + (s << 4);
    if (load<i32>(o + S_CNT) <= 0) continue;
    const sp = hjSlot(j, load<i64>(o + S_KEY));
    memory.copy(sp, o, 16);
    j.used++;
  }
  heap.free(old);
}

/**
 * Appends `n` build rows keyed by an int64 column (validity 0 = no NULLs; a NULL key is stored
 * but never matches). Returns the row number of the first; the others follow consecutively.
 */
export function hjInsert(p: usize, keys: usize, validity: usize, n: i32): i32 {
  const j = changetype<HashJoin>(p);
  const first = j.rows;
  if (first + n > j.rcap) {
    let c = j.rcap;
    while (first + n > c) c <<= 1;
    j.next = grow(j.next, (<usize>j.rcap) << 2, (<usize>c) << 2);
    j.prev = grow(j.prev, (<usize>j.rcap) << 2, (<usize>c) << 2);
    j.rkeys = grow(j.rkeys, (<usize>j.rcap) << 3, (<usize>c) << 3);
    j.state = grow(j.state, <usize>j.rcap, <usize>c);
    j.rcap = c;
  }
  let live = 0;
  for (let i = 0; i < n; i++) {
    const r = first + i;
    const ro = <usize>r;
    const k = load<i64>(keys + ((<usize>i) << 3));
    store<i64>(j.rkeys + (ro << 3), k);
    store<i32>(j.prev + (ro << 2), -1);
    if (!isValid(validity, i)) {
      store<u8>(j.state + ro, 2);
      store<i32>(j.next + (ro << 2), -1);
      continue;
    }
    store<u8>(j.state + ro, 0);
    live++;
    let sp = hjSlot(j, k);
    let cnt = load<i32>(sp + S_CNT);
    if (cnt < 0) {
      if ((j.used + 1) * 2 > j.cap) {
        hjRehash(j);
        sp = hjSlot(j, k);
      }
      j.used++;
      store<i64>(sp + S_KEY, k);
      store<i32>(sp + S_HEAD, -1);
      cnt = 0;
    }
    const head = load<i32>(sp + S_HEAD);
    store<i32>(j.next + (ro << 2), head);
    if (head >= 0) store<i32>(j.prev + ((<usize>head) << 2), r);
    store<i32>(sp + S_HEAD, r);
    store<i32>(sp + S_CNT, cnt + 1);
  }
  j.rows = first + n;
  j.live += live;
  return first;
}

/** Deletes build rows (unlinking them from their key's chain); returns how many were live. */
export function hjDelete(p: usize, rowIds: usize, n: i32): i32 {
  const j = changetype<HashJoin>(p);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const r = load<i32>(rowIds + ((<usize>i) << 2));
    if (r < 0 || r >= j.rows || load<u8>(j.state + <usize>r) != 0) continue;
    store<u8>(j.state + <usize>r, 1);
    k++;
    const nx = load<i32>(j.next + ((<usize>r) << 2));
    const pv = load<i32>(j.prev + ((<usize>r) << 2));
    if (nx >= 0) store<i32>(j.prev + ((<usize>nx) << 2), pv);
    const sp = hjSlot(j, load<i64>(j.rkeys + ((<usize>r) << 3)));
    if (pv >= 0) store<i32>(j.next + ((<usize>pv) << 2), nx);
    else store<i32>(sp + S_HEAD, nx);
    store<i32>(sp + S_CNT, load<i32>(sp + S_CNT) - 1);
  }
  j.live -= k;
  return k;
}

/** Starts a probe of a new batch. */
export function hjProbeReset(p: usize): void {
  const j = changetype<HashJoin>(p);
  j.pRow = 0;
  j.pNode = -1;
  j.done = 0;
}

export function hjProbeDone(p: usize): bool {
  return changetype<HashJoin>(p).done != 0;
}

/**
 * Emits up to `cap` pairs (outProbe[k], outBuild[k]) for probe rows (an int64 column,
 * validity 0 = no NULLs) whose key matches live build rows, probe rows ascending, continuing
 * from where the previous call stopped. Returns the pair count; hjProbeDone() turns true once
 * every probe row is finished.
 */
export function hjProbe(
  p: usize,
  keys: usize,
  validity: usize,
  n: i32,
  outProbe: usize,
  outBuild: usize,
  cap: i32,
): i32 {
  const j = changetype<HashJoin>(p);
  const slots = j.slots;
  const shift = j.shift;
  const mask = <usize>(j.cap - 1);
  const next = j.next;
  let k = 0;
  let i = j.pRow;
  // finish a chain cut short by a full buffer
  let node = j.pNode;
  if (node >= 0) {
    while (node >= 0) {
      if (k == cap) {
        j.pNode = node;
        return k;
      }
      store<i32>(outProbe + ((<usize>k) << 2), i);
      store<i32>(outBuild + ((<usize>k) << 2), node);
      k++;
      node = load<i32>(next + ((<usize>node) << 2));
    }
    i++;
  }
  let sink: i64 = 0;
  while (i < n) {
    const end = min(i + BLOCK, n);
    // 1: hash the block and touch each home slot; the loads are independent, so their cache
    // misses overlap instead of queueing behind compare-and-branch work
    for (let b = i; b < end; b++) {
      const key = load<i64>(keys + ((<usize>b) << 3));
      sink ^= load<i64>(slots + (Fast.slot(key, shift) << 4) + S_HEAD);
    }
    // 2: compare and emit, the slots now in cache
    for (; i < end; i++) {
      if (validity != 0 && !isValid(validity, i)) continue;
      const key = load<i64>(keys + ((<usize>i) << 3));
      let s = Fast.slot(key, shift);
      let sp = slots + (s << 4);
      while (load<i64>(sp + S_KEY) != key && load<i32>(sp + S_CNT) >= 0) {
        s = (s + 1) & mask;
        sp = slots + (s << 4);
      }
      const cnt = load<i32>(sp + S_CNT);
      if (cnt <= 0) continue;
      if (k + cnt > cap) {
        // not enough room for the whole chain: emit what fits and save the position
        node = load<i32>(sp + S_HEAD);
        while (node >= 0) {
          if (k == cap) {
            j.pRow = i;
            j.pNode = node;
            j.sink = sink;
            return k;
          }
          store<i32>(outProbe + ((<usize>k) << 2), i);
          store<i32>(outBuild + ((<usize>k) << 2), node);
          k++;
          node = load<i32>(next + ((<usize>node) << 2));
        }
        continue;
      }
      node = load<i32>(sp + S_HEAD);
      store<i32>(outProbe + ((<usize>k) << 2), i);
      store<i32>(outBuild + ((<usize>k) << 2), node);
      k++;
      // a unique key (the common case) never reads the chain
      for (let c = 1; c < cnt; c++) {
        node = load<i32>(next + ((<usize>node) << 2));
        store<i32>(outProbe + ((<usize>k) << 2), i);
        store<i32>(outBuild + ((<usize>k) << 2), node);
        k++;
      }
    }
  }
  j.sink = sink;
  j.pRow = n;
  j.pNode = -1;
  j.done = 1;
  return k;
}
