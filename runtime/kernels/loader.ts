/**
 * Loads the Wasm kernels in any JavaScript host: Node, a browser worker and workerd. By default
 * the module is compiled from the bytes embedded in wasm-bytes.ts; a host that cannot compile
 * Wasm at run time (workerd) passes the `WebAssembly.Module` it imported instead. Also gives the
 * memory helpers every wrapper uses: scratch regions that grow and are reused across batches,
 * and fresh typed-array views (a memory growth detaches the old ones).
 */
import { KERNELS_WASM_BASE64 } from './wasm-bytes.js';

type Ptr = number;

/** The raw exports of the kernel module (see kernels/*.ts for each one's contract). */
export interface KernelExports {
  memory: WebAssembly.Memory;
  alloc(size: number): Ptr;
  release(p: Ptr): void;
  memoryBytes(): number;
  hashFixed(col: Ptr, width: number, validity: Ptr, n: number, out: Ptr, combine: number): void;
  hashF64(col: Ptr, validity: Ptr, n: number, out: Ptr, combine: number): void;
  hashUtf8(offs: Ptr, data: Ptr, validity: Ptr, n: number, out: Ptr, combine: number): void;
  keyLenFixed(width: number, validity: Ptr, n: number, lens: Ptr): void;
  keyLenUtf8(offsets: Ptr, validity: Ptr, n: number, lens: Ptr): void;
  keyOffsets(lens: Ptr, n: number, offsets: Ptr, cursor: Ptr): number;
  keyPutFixed(col: Ptr, width: number, validity: Ptr, n: number, cursor: Ptr, data: Ptr): void;
  keyPutUtf8(offs: Ptr, bytes: Ptr, validity: Ptr, n: number, cursor: Ptr, data: Ptr): void;
  i64TableNew(capHint: number): Ptr;
  i64TableFree(t: Ptr): void;
  i64TableSize(t: Ptr): number;
  i64TableNullGroup(t: Ptr): number;
  i64TableGroupKeys(t: Ptr): Ptr;
  i64TableAssign(t: Ptr, keys: Ptr, validity: Ptr, n: number, out: Ptr): number;
  i64TableLookup(t: Ptr, keys: Ptr, validity: Ptr, n: number, out: Ptr): void;
  bytesTableNew(capHint: number): Ptr;
  bytesTableFree(t: Ptr): void;
  bytesTableSize(t: Ptr): number;
  bytesTableNullGroup(t: Ptr): number;
  bytesTableKeyOffsets(t: Ptr): Ptr;
  bytesTableArena(t: Ptr): Ptr;
  bytesTableAssign(t: Ptr, offs: Ptr, data: Ptr, validity: Ptr, n: number, out: Ptr): number;
  bytesTableLookup(t: Ptr, offs: Ptr, data: Ptr, validity: Ptr, n: number, out: Ptr): void;
  aggCount(gids: Ptr, weights: Ptr, validity: Ptr, n: number, counts: Ptr): void;
  aggSumF64(gids: Ptr, w: Ptr, vals: Ptr, validity: Ptr, n: number, sums: Ptr): void;
  aggSumI64Checked(gids: Ptr, w: Ptr, vals: Ptr, validity: Ptr, n: number, sums: Ptr): number;
  aggSumI64Wide(gids: Ptr, w: Ptr, vals: Ptr, validity: Ptr, n: number, lo: Ptr, hi: Ptr): number;
  aggSumDecimal(
    gids: Ptr,
    w: Ptr,
    vlo: Ptr,
    vhi: Ptr,
    validity: Ptr,
    n: number,
    lo: Ptr,
    hi: Ptr,
  ): number;
  bucketI64ByGroup(
    gids: Ptr,
    weights: Ptr,
    vals: Ptr,
    validity: Ptr,
    n: number,
    groups: number,
    starts: Ptr,
    cursor: Ptr,
    out: Ptr,
  ): number;
  aggMinMaxI64(
    gids: Ptr,
    w: Ptr,
    vals: Ptr,
    validity: Ptr,
    n: number,
    mins: Ptr,
    maxs: Ptr,
    seen: Ptr,
  ): void;
  aggFusedI64(
    t: Ptr,
    keys: Ptr,
    keyValidity: Ptr,
    n: number,
    from: number,
    w: Ptr,
    counts: Ptr,
    vals: Ptr,
    valValidity: Ptr,
    lo: Ptr,
    hi: Ptr,
    outGids: Ptr,
    stateCap: number,
  ): number;
  aggFusedStatus(): number;
  aggFusedUndoI64(
    t: Ptr,
    keys: Ptr,
    keyValidity: Ptr,
    n: number,
    w: Ptr,
    counts: Ptr,
    vals: Ptr,
    valValidity: Ptr,
    lo: Ptr,
    hi: Ptr,
  ): void;
  allWeightsOne(w: Ptr, n: number): number;
  decStatus(): number;
  decNeededScale(): number;
  decParseUtf8(
    offs: Ptr,
    data: Ptr,
    validity: Ptr,
    n: number,
    scale: number,
    lo: Ptr,
    hi: Ptr,
  ): number;
  decRescale(lo: Ptr, hi: Ptr, n: number, k: number): number;
  hjNew(capHint: number): Ptr;
  hjFree(j: Ptr): void;
  hjRows(j: Ptr): number;
  hjLiveRows(j: Ptr): number;
  hjInsert(j: Ptr, keys: Ptr, validity: Ptr, n: number): number;
  hjDelete(j: Ptr, rowIds: Ptr, n: number): number;
  hjProbeReset(j: Ptr): void;
  hjProbeDone(j: Ptr): number;
  hjProbe(
    j: Ptr,
    keys: Ptr,
    validity: Ptr,
    n: number,
    outProbe: Ptr,
    outBuild: Ptr,
    cap: number,
  ): number;
  tumble(ts: Ptr, validity: Ptr, n: number, size: bigint, offset: bigint, s: Ptr, e: Ptr): void;
  hopMaxWindows(slide: bigint, size: bigint): number;
  hop(
    ts: Ptr,
    validity: Ptr,
    n: number,
    slide: bigint,
    size: bigint,
    offset: bigint,
    outRow: Ptr,
    outStart: Ptr,
  ): number;
  cmpI64(c: Ptr, v: Ptr, n: number, op: number, k: bigint, si: Ptr, ni: number, so: Ptr): number;
  cmpI32(c: Ptr, v: Ptr, n: number, op: number, k: number, si: Ptr, ni: number, so: Ptr): number;
  cmpF64(c: Ptr, v: Ptr, n: number, op: number, k: number, si: Ptr, ni: number, so: Ptr): number;
  cmpI64Cols(
    a: Ptr,
    va: Ptr,
    b: Ptr,
    vb: Ptr,
    n: number,
    op: number,
    si: Ptr,
    ni: number,
    so: Ptr,
  ): number;
  cmpUtf8(
    offs: Ptr,
    data: Ptr,
    v: Ptr,
    n: number,
    op: number,
    cPtr: Ptr,
    cLen: number,
    si: Ptr,
    ni: number,
    so: Ptr,
  ): number;
  opsToWeights(ops: Ptr, n: number, out: Ptr): void;
  maskWeights(weights: Ptr, n: number, sel: Ptr, nSel: number, out: Ptr): void;
  takeFixed(src: Ptr, width: number, idx: Ptr, n: number, dst: Ptr): void;
  takeValidity(validity: Ptr, idx: Ptr, n: number, dst: Ptr): number;
  takeUtf8Offsets(offsets: Ptr, idx: Ptr, n: number, outOffsets: Ptr): number;
  takeUtf8Data(offs: Ptr, data: Ptr, idx: Ptr, n: number, outOffs: Ptr, outData: Ptr): void;
}

function embeddedBytes(): Uint8Array<ArrayBuffer> {
  const bin = atob(KERNELS_WASM_BASE64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function imports(): WebAssembly.Imports {
  return {
    env: {
      abort(): never {
        throw new Error('Wasm kernel aborted');
      },
    },
  };
}

/** A growable block of Wasm memory reused from batch to batch. */
export class Region {
  ptr = 0;
  bytes = 0;
  constructor(private readonly k: KernelExports) {}
  /** Returns a block of at least `bytes` bytes; earlier contents are not kept. */
  ensure(bytes: number): number {
    if (bytes > this.bytes) {
      if (this.ptr) this.k.release(this.ptr);
      let cap = Math.max(64, this.bytes);
      while (cap < bytes) cap *= 2;
      this.ptr = this.k.alloc(cap);
      this.bytes = cap;
    }
    return this.ptr;
  }
  free(): void {
    if (this.ptr) this.k.release(this.ptr);
    this.ptr = 0;
    this.bytes = 0;
  }
}

type Typed =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float64Array
  | Float32Array;

/** The instantiated kernel module plus typed views over its memory. */
export class Kernels {
  constructor(readonly x: KernelExports) {}

  region(): Region {
    return new Region(this.x);
  }

  /** Copies `src` into `r` (grown as needed) and returns the pointer. */
  put(r: Region, src: Typed): number {
    const p = r.ensure(Math.max(8, src.byteLength));
    // A view of the same element type (regions are 8-byte aligned): reading `src.buffer` would
    // make V8 move a small on-heap typed array's storage off-heap on every call.
    const View = src.constructor as new (b: ArrayBuffer, o: number, n: number) => Typed;
    (new View(this.x.memory.buffer, p, src.length) as Typed & { set(a: Typed): void }).set(src);
    return p;
  }

  u8(p: number, n: number): Uint8Array {
    return new Uint8Array(this.x.memory.buffer, p, n);
  }
  i8(p: number, n: number): Int8Array {
    return new Int8Array(this.x.memory.buffer, p, n);
  }
  i32(p: number, n: number): Int32Array {
    return new Int32Array(this.x.memory.buffer, p, n);
  }
  i64(p: number, n: number): BigInt64Array {
    return new BigInt64Array(this.x.memory.buffer, p, n);
  }
  u64(p: number, n: number): BigUint64Array {
    return new BigUint64Array(this.x.memory.buffer, p, n);
  }
  f64(p: number, n: number): Float64Array {
    return new Float64Array(this.x.memory.buffer, p, n);
  }
  /** Current size of the Wasm memory in bytes. */
  memoryBytes(): number {
    return this.x.memory.buffer.byteLength;
  }
}

export type KernelSource = BufferSource | WebAssembly.Module;

/** Instantiates synchronously (Node, workers); `source` defaults to the embedded bytes. */
export function loadKernelsSync(source?: KernelSource): Kernels {
  const mod =
    source instanceof WebAssembly.Module
      ? source
      : new WebAssembly.Module(source ?? embeddedBytes());
  const inst = new WebAssembly.Instance(mod, imports());
  return new Kernels(inst.exports as unknown as KernelExports);
}

/** Instantiates asynchronously (the only way a browser main thread allows for large modules). */
export async function loadKernels(source?: KernelSource): Promise<Kernels> {
  const mod =
    source instanceof WebAssembly.Module
      ? source
      : await WebAssembly.compile(source ?? embeddedBytes());
  const inst = await WebAssembly.instantiate(mod, imports());
  return new Kernels(inst.exports as unknown as KernelExports);
}
