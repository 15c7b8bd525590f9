/**
 * Shared pieces of the Sluice kernels: the allocator the host uses to place Arrow buffers in
 * linear memory, validity-bitmap access and the 64-bit mixers every hash table builds on.
 * All kernels work on raw pointers; nothing here allocates managed objects, so the heap is the
 * only thing that grows and freed blocks are reused by later batches.
 */

/** Allocates `size` bytes (8-byte aligned); the host frees with `release`. */
export function alloc(size: usize): usize {
  return heap.alloc(size);
}

export function release(ptr: usize): void {
  if (ptr != 0) heap.free(ptr);
}

/** Bytes of linear memory currently reserved (pages × 64 KiB); for memory-flatness checks. */
export function memoryBytes(): usize {
  return (<usize>memory.size()) << 16;
}

/** Finaliser-style mixer: spreads every input bit over the whole word. */
export function mix64(x: u64): u64 {
  x *= 0x9e3779b97f4a7c15;
  x ^= x >>> 29;
  x *= 0xbf58476d1ce4e5b9;
  x ^= x >>> 32;
  return x;
}

/** Bit `i` of an Arrow validity bitmap (LSB first); a zero pointer means "no NULLs". */
export function isValid(bitmap: usize, i: i32): bool {
  return bitmap == 0 || ((load<u8>(bitmap + ((<usize>i) >>> 3)) >>> ((<u8>i) & 7)) & 1) != 0;
}

/** Hash of a byte string, 8 bytes at a time. */
export function hashBytes(p: usize, len: i32, seed: u64): u64 {
  let h: u64 = seed ^ (<u64>len * 0x9e3779b97f4a7c15);
  let i: i32 = 0;
  while (i + 8 <= len) {
    h = mix64(h ^ load<u64>(p + <usize>i));
    i += 8;
  }
  if (i < len) {
    let w: u64 = 0;
    let s: u64 = 0;
    while (i < len) {
      w |= (<u64>load<u8>(p + <usize>i)) << s;
      s += 8;
      i++;
    }
    h = mix64(h ^ w ^ 0x5555555555555555);
  }
  return h;
}

/** Reallocates an i32/i64/... array of `oldBytes` into a block of `newBytes`, zero-filling. */
export function grow(ptr: usize, oldBytes: usize, newBytes: usize): usize {
  const p = heap.alloc(newBytes);
  if (oldBytes > 0) memory.copy(p, ptr, oldBytes);
  memory.fill(p + oldBytes, 0, newBytes - oldBytes);
  if (ptr != 0) heap.free(ptr);
  return p;
}
