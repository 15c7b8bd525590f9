/**
 * Hash-join kernels. Keys are first mapped to dense group ids by a group table (the build side
 * assigns, the probe side looks up), so one join index serves int64, string and multi-column
 * keys alike. The index chains build rows per group id (head per group, next per row); rows are
 * numbered in insertion order and can be marked deleted. Probing emits (probe row, build row)
 * index pairs into caller-sized buffers and resumes where it stopped when they fill up.
 */
import { grow } from './common';

@unmanaged
class JoinIndex {
  heads: usize; // i32 per group, -1 = no rows
  hcap: i32;
  next: usize; // i32 per build row
  dead: usize; // u8 per build row
  rcap: i32;
  rows: i32;
  live: i32;
  // probe cursor
  pRow: i32;
  pNode: i32;
  done: i32;
}

export function joinNew(): usize {
  const j = changetype<JoinIndex>(heap.alloc(offsetof<JoinIndex>()));
  j.hcap = 64;
  j.heads = heap.alloc((<usize>j.hcap) << 2);
  memory.fill(j.heads, 0xff, (<usize>j.hcap) << 2);
  j.rcap = 64;
  j.next = heap.alloc((<usize>j.rcap) << 2);
  j.dead = heap.alloc(<usize>j.rcap);
  j.rows = 0;
  j.live = 0;
  j.pRow = 0;
  j.pNode = -1;
  j.done = 1;
  return changetype<usize>(j);
}

export function joinFree(p: usize): void {
  const j = changetype<JoinIndex>(p);
  heap.free(j.heads);
  heap.free(j.next);
  heap.free(j.dead);
  heap.free(p);
}

export function joinRows(p: usize): i32 {
  return changetype<JoinIndex>(p).rows;
}
export function joinLiveRows(p: usize): i32 {
  return changetype<JoinIndex>(p).live;
}

/**
 * Appends `n` build rows with the given group ids (a negative id, i.e. a NULL key, is stored
 * but never matches). Returns the row number of the first; the others follow consecutively.
 */
export function joinInsert(p: usize, gids: usize, n: i32): i32 {
  const j = changetype<JoinIndex>(p);
  const first = j.rows;
  if (first + n > j.rcap) {
    let c = j.rcap;
    while (first + n > c) c <<= 1;
    j.next = grow(j.next, (<usize>j.rcap) << 2, (<usize>c) << 2);
    j.dead = grow(j.dead, <usize>j.rcap, <usize>c);
    j.rcap = c;
  }
  for (let i = 0; i < n; i++) {
    const g = load<i32>(gids + ((<usize>i) << 2));
    const r = first + i;
    store<u8>(j.dead + <usize>r, 0);
    if (g < 0) {
      store<i32>(j.next + ((<usize>r) << 2), -1);
      continue;
    }
    if (g >= j.hcap) {
      let c = j.hcap;
      while (g >= c) c <<= 1;
      const nh = heap.alloc((<usize>c) << 2);
      memory.copy(nh, j.heads, (<usize>j.hcap) << 2);
      memory.fill(nh + ((<usize>j.hcap) << 2), 0xff, (<usize>(c - j.hcap)) << 2);
      heap.free(j.heads);
      j.heads = nh;
      j.hcap = c;
    }
    const hp = j.heads + ((<usize>g) << 2);
    store<i32>(j.next + ((<usize>r) << 2), load<i32>(hp));
    store<i32>(hp, r);
  }
  j.rows = first + n;
  j.live += n;
  return first;
}

/** Marks build rows deleted (they stop matching); returns how many were live. */
export function joinDelete(p: usize, rowIds: usize, n: i32): i32 {
  const j = changetype<JoinIndex>(p);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const r = load<i32>(rowIds + ((<usize>i) << 2));
    if (r < 0 || r >= j.rows || load<u8>(j.dead + <usize>r) != 0) continue;
    store<u8>(j.dead + <usize>r, 1);
    k++;
  }
  j.live -= k;
  return k;
}

/** Starts a probe of a new batch. */
export function joinProbeReset(p: usize): void {
  const j = changetype<JoinIndex>(p);
  j.pRow = 0;
  j.pNode = -1;
  j.done = 0;
}

export function joinProbeDone(p: usize): bool {
  return changetype<JoinIndex>(p).done != 0;
}

/**
 * Emits up to `cap` pairs (outProbe[k], outBuild[k]) for probe rows whose group id matches
 * live build rows, continuing from where the previous call stopped. Returns the pair count;
 * joinProbeDone() turns true once every probe row is finished.
 */
export function joinProbe(
  p: usize,
  gids: usize,
  n: i32,
  outProbe: usize,
  outBuild: usize,
  cap: i32,
): i32 {
  const j = changetype<JoinIndex>(p);
  let k = 0;
  let i = j.pRow;
  let node = j.pNode;
  const heads = j.heads;
  const next = j.next;
  const dead = j.dead;
  const hcap = j.hcap;
  while (i < n) {
    if (node < 0) {
      const g = load<i32>(gids + ((<usize>i) << 2));
      node = g >= 0 && g < hcap ? load<i32>(heads + ((<usize>g) << 2)) : -1;
      if (node < 0) {
        i++;
        continue;
      }
    }
    while (node >= 0) {
      if (load<u8>(dead + <usize>node) == 0) {
        if (k == cap) {
          j.pRow = i;
          j.pNode = node;
          return k;
        }
        store<i32>(outProbe + ((<usize>k) << 2), i);
        store<i32>(outBuild + ((<usize>k) << 2), node);
        k++;
      }
      node = load<i32>(next + ((<usize>node) << 2));
    }
    i++;
  }
  j.pRow = n;
  j.pNode = -1;
  j.done = 1;
  return k;
}
