/**
 * Typed wrappers over the Wasm kernels: they copy Arrow column buffers into reusable regions of
 * Wasm memory (Arrow's JS buffers cannot be shared with the Wasm memory, so each input column is
 * copied in once per batch), run the kernel and copy results out. Errors a SQL user can cause
 * (exact sums leaving their range) become SqlError 22003.
 */
import type { Data } from 'apache-arrow';
import { SqlError } from '../errors.js';
import { Decimal } from '../types/numeric.js';
import { Kernels, Region } from './loader.js';

export type Fixed = Int8Array | Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array;

/** A column as the kernels read it: Arrow's buffers (validity is an LSB bitmap, null = none). */
export type KColumn =
  | { kind: 'fixed'; values: Fixed; validity?: Uint8Array | null }
  | { kind: 'f64'; values: Float64Array; validity?: Uint8Array | null }
  | { kind: 'utf8'; offsets: Int32Array; data: Uint8Array; validity?: Uint8Array | null };

export function columnLength(c: KColumn): number {
  return c.kind === 'utf8' ? c.offsets.length - 1 : c.values.length;
}

function sliceBitmap(bm: Uint8Array | null | undefined, offset: number, n: number) {
  if (!bm) return null;
  if (offset % 8 === 0) return bm.subarray(offset >> 3, (offset + n + 7) >> 3);
  const out = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) {
    const j = offset + i;
    if ((bm[j >> 3]! >> (j & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

/** An Arrow column's validity bitmap starting at its first row, or null when it has no NULLs. */
export function validityOf(d: Data): Uint8Array | null {
  return d.nullCount > 0 ? sliceBitmap(d.nullBitmap, d.offset, d.length) : null;
}

/** Whether row i is valid (not NULL) under a validity bitmap (null: no NULLs). */
export function isValidAt(validity: Uint8Array | null, i: number): boolean {
  return !validity || ((validity[i >> 3]! >> (i & 7)) & 1) === 1;
}

/**
 * Marks row i of an `n`-row batch NULL in `bitmap`, creating the all-valid bitmap on the first
 * NULL; returns the bitmap.
 */
export function withNull(bitmap: Uint8Array | null, n: number, i: number): Uint8Array {
  const b = bitmap ?? new Uint8Array((n + 7) >> 3).fill(0xff);
  b[i >> 3]! &= ~(1 << (i & 7));
  return b;
}

/** Views an Arrow column (one `Data` chunk) as a KColumn without copying when unsliced. */
export function columnFromArrow(d: Data): KColumn {
  const n = d.length;
  const validity = validityOf(d);
  if (d.valueOffsets) {
    return {
      kind: 'utf8',
      offsets: (d.valueOffsets as Int32Array).subarray(d.offset, d.offset + n + 1),
      data: d.values as Uint8Array,
      validity,
    };
  }
  const values = (d.values as Fixed | Float64Array).subarray(d.offset, d.offset + n);
  if (values instanceof Float64Array) return { kind: 'f64', values, validity };
  return { kind: 'fixed', values, validity };
}

/** Pointers of a column staged in Wasm memory. */
export interface Staged {
  n: number;
  values: number;
  offsets: number;
  validity: number;
  width: number;
}

/** Regions for one staged column, reused batch after batch. */
class Slot {
  values: Region;
  offsets: Region;
  validity: Region;
  constructor(private readonly k: Kernels) {
    this.values = k.region();
    this.offsets = k.region();
    this.validity = k.region();
  }
  stage(c: KColumn): Staged {
    const k = this.k;
    const n = columnLength(c);
    const validity = c.validity ? k.put(this.validity, c.validity) : 0;
    if (c.kind === 'utf8') {
      return {
        n,
        offsets: k.put(this.offsets, c.offsets),
        values: k.put(this.values, c.data),
        validity,
        width: 0,
      };
    }
    return {
      n,
      values: k.put(this.values, c.values),
      offsets: 0,
      validity,
      width: c.values.BYTES_PER_ELEMENT,
    };
  }
  free(): void {
    this.values.free();
    this.offsets.free();
    this.validity.free();
  }
}

/** Row hashes of single or multi-column keys. */
export class KeyHasher {
  private slot: Slot;
  private out: Region;
  constructor(private readonly k: Kernels) {
    this.slot = new Slot(k);
    this.out = k.region();
  }
  hash(cols: KColumn[]): BigUint64Array {
    const n = cols.length ? columnLength(cols[0]!) : 0;
    const out = this.out.ensure(n * 8 + 8);
    cols.forEach((c, i) => {
      const s = this.slot.stage(c);
      const combine = i > 0 ? 1 : 0;
      if (c.kind === 'utf8') this.k.x.hashUtf8(s.offsets, s.values, s.validity, n, out, combine);
      else if (c.kind === 'f64') this.k.x.hashF64(s.values, s.validity, n, out, combine);
      else this.k.x.hashFixed(s.values, s.width, s.validity, n, out, combine);
    });
    return this.k.u64(out, n).slice();
  }
}

/** Group ids for int64 keys (also timestamps); ids are dense and permanent. */
export class I64GroupTable {
  readonly handle: number;
  private slot: Slot;
  private out: Region;
  constructor(
    private readonly k: Kernels,
    capHint = 1024,
  ) {
    this.handle = k.x.i64TableNew(capHint);
    this.slot = new Slot(k);
    this.out = k.region();
  }
  /** Copies a key column into Wasm memory (for fused kernels); valid until the next call. */
  stage(keys: KColumn): Staged {
    return this.slot.stage(keys);
  }
  /** The group-id buffer of `n` rows, reused from call to call. */
  outBuffer(n: number): number {
    return this.out.ensure(n * 4 + 4);
  }
  /** Group ids as a pointer to n i32 in Wasm memory, valid until the next call. */
  assignPtr(keys: KColumn): number {
    const s = this.slot.stage(keys);
    const out = this.out.ensure(s.n * 4 + 4);
    this.k.x.i64TableAssign(this.handle, s.values, s.validity, s.n, out);
    return out;
  }
  assign(keys: KColumn): Int32Array {
    return this.k.i32(this.assignPtr(keys), columnLength(keys)).slice();
  }
  lookupPtr(keys: KColumn): number {
    const s = this.slot.stage(keys);
    const out = this.out.ensure(s.n * 4 + 4);
    this.k.x.i64TableLookup(this.handle, s.values, s.validity, s.n, out);
    return out;
  }
  lookup(keys: KColumn): Int32Array {
    return this.k.i32(this.lookupPtr(keys), columnLength(keys)).slice();
  }
  get size(): number {
    return this.k.x.i64TableSize(this.handle);
  }
  get nullGroup(): number {
    return this.k.x.i64TableNullGroup(this.handle);
  }
  /** The key of group g (null for the NULL group). */
  key(g: number): bigint | null {
    if (g === this.nullGroup) return null;
    return this.k.i64(this.k.x.i64TableGroupKeys(this.handle), this.size)[g]!;
  }
  free(): void {
    this.k.x.i64TableFree(this.handle);
    this.slot.free();
    this.out.free();
  }
}

/**
 * Group ids for byte-string keys: a single UTF-8 column, or several columns of any kind encoded
 * into one byte string per row by the key encoder.
 */
export class BytesGroupTable {
  readonly handle: number;
  private slots: Slot[] = [];
  private lens: Region;
  private offs: Region;
  private cursor: Region;
  private data: Region;
  private out: Region;
  constructor(
    private readonly k: Kernels,
    capHint = 1024,
  ) {
    this.handle = k.x.bytesTableNew(capHint);
    this.lens = k.region();
    this.offs = k.region();
    this.cursor = k.region();
    this.data = k.region();
    this.out = k.region();
  }
  private slot(i: number): Slot {
    while (this.slots.length <= i) this.slots.push(new Slot(this.k));
    return this.slots[i]!;
  }
  /** Stages the key: a lone UTF-8 column as is, anything else through the key encoder. */
  private stageKey(cols: KColumn[]): Staged {
    const x = this.k.x;
    const first = cols[0]!;
    if (cols.length === 1 && first.kind === 'utf8') return this.slot(0).stage(first);
    const n = columnLength(first);
    const lens = this.lens.ensure(n * 4 + 4);
    this.k.u8(lens, n * 4).fill(0);
    const staged = cols.map((c, i) => this.slot(i).stage(c));
    staged.forEach((s, i) => {
      if (cols[i]!.kind === 'utf8') x.keyLenUtf8(s.offsets, s.validity, n, lens);
      else x.keyLenFixed(s.width, s.validity, n, lens);
    });
    const offs = this.offs.ensure(n * 4 + 4);
    const cursor = this.cursor.ensure(n * 4 + 4);
    const total = x.keyOffsets(lens, n, offs, cursor);
    const data = this.data.ensure(total + 8);
    staged.forEach((s, i) => {
      if (cols[i]!.kind === 'utf8') x.keyPutUtf8(s.offsets, s.values, s.validity, n, cursor, data);
      else x.keyPutFixed(s.values, s.width, s.validity, n, cursor, data);
    });
    return { n, values: data, offsets: offs, validity: 0, width: 0 };
  }
  assignPtr(cols: KColumn[]): number {
    const s = this.stageKey(cols);
    const out = this.out.ensure(s.n * 4 + 4);
    this.k.x.bytesTableAssign(this.handle, s.offsets, s.values, s.validity, s.n, out);
    return out;
  }
  assign(cols: KColumn[]): Int32Array {
    return this.k.i32(this.assignPtr(cols), columnLength(cols[0]!)).slice();
  }
  lookupPtr(cols: KColumn[]): number {
    const s = this.stageKey(cols);
    const out = this.out.ensure(s.n * 4 + 4);
    this.k.x.bytesTableLookup(this.handle, s.offsets, s.values, s.validity, s.n, out);
    return out;
  }
  lookup(cols: KColumn[]): Int32Array {
    return this.k.i32(this.lookupPtr(cols), columnLength(cols[0]!)).slice();
  }
  get size(): number {
    return this.k.x.bytesTableSize(this.handle);
  }
  get nullGroup(): number {
    return this.k.x.bytesTableNullGroup(this.handle);
  }
  /** The stored key bytes of group g (UTF-8 text, or the encoded multi-column key). */
  keyBytes(g: number): Uint8Array {
    const offs = this.k.i32(this.k.x.bytesTableKeyOffsets(this.handle), this.size + 1);
    return this.k
      .u8(this.k.x.bytesTableArena(this.handle) + offs[g]!, offs[g + 1]! - offs[g]!)
      .slice();
  }
  free(): void {
    this.k.x.bytesTableFree(this.handle);
    for (const s of this.slots) s.free();
    for (const r of [this.lens, this.offs, this.cursor, this.data, this.out]) r.free();
  }
}

/** What one aggregate accumulates; `column` indexes the batch's argument columns. */
export type AggKind =
  | { fn: 'count_star' }
  | { fn: 'count'; column: number }
  | { fn: 'sum_int'; column: number } // int64 input, exact 128-bit state
  | { fn: 'sum_float'; column: number }
  | { fn: 'sum_decimal'; column: number } // Utf8 decimal text (Sluice's numeric encoding)
  | { fn: 'minmax_int'; column: number }; // this batch's MIN/MAX candidates of inserted rows

/** Per-group state arrays in Wasm memory, grown as groups appear. */
class GroupState {
  ptr = 0;
  cap = 0;
  constructor(
    private readonly k: Kernels,
    readonly width: number,
    private readonly init: number,
  ) {}
  ensure(groups: number): void {
    if (groups <= this.cap) return;
    let cap = Math.max(64, this.cap);
    while (cap < groups) cap *= 2;
    const p = this.k.x.alloc(cap * this.width);
    const u8 = this.k.u8(p, cap * this.width);
    if (this.ptr) u8.set(this.k.u8(this.ptr, this.cap * this.width));
    u8.fill(this.init, this.cap * this.width);
    if (this.ptr) this.k.x.release(this.ptr);
    this.ptr = p;
    this.cap = cap;
  }
}

interface AggSlot {
  kind: AggKind;
  a: GroupState; // count / sum / sum lo / min
  b: GroupState; // sum hi / max
  c: GroupState; // min/max seen
  scale: number; // decimal state scale
}

/** A batch for HashAggregator.apply: key columns, signed weights, argument columns. */
export interface AggBatch {
  keys: KColumn[];
  /** +1 insert, -1 delete per row (see weightsFromOps). */
  weights: Int8Array;
  args: KColumn[];
  /** Per aggregate, weights to use instead (a FILTER clause zeroes the rows it drops). */
  aggWeights?: (Int8Array | null)[];
  /** The caller knows every weight is +1: the weights need not be copied or checked. */
  insertOnly?: boolean;
}

/**
 * Hash aggregation with signed weights: one group table (int64 when the key is a single 64-bit
 * column, byte strings otherwise) and per-aggregate state arrays in Wasm memory.
 */
export class HashAggregator {
  readonly groups: I64GroupTable | BytesGroupTable;
  private slots: AggSlot[];
  private argSlots: Slot[] = [];
  private wRegion: Region;
  private aggW: Region;
  private decLo: Region;
  private decHi: Region;
  constructor(
    private readonly k: Kernels,
    keyIsInt64: boolean,
    kinds: AggKind[],
    capHint = 1024,
  ) {
    this.groups = keyIsInt64 ? new I64GroupTable(k, capHint) : new BytesGroupTable(k, capHint);
    this.slots = kinds.map((kind) => ({
      kind,
      a: new GroupState(k, 8, kind.fn === 'minmax_int' ? 0xff : 0),
      b: new GroupState(k, 8, 0),
      c: new GroupState(k, 1, 0),
      scale: 0,
    }));
    this.wRegion = k.region();
    this.aggW = k.region();
    if (keyIsInt64) {
      this.fusedCount = kinds.findIndex((a) => a.fn === 'count_star');
      this.fusedSum = kinds.findIndex((a) => a.fn === 'sum_int');
    }
    this.decLo = k.region();
    this.decHi = k.region();
  }

  /** Folds a batch into the state; returns each row's group id. Throws SqlError 22003. */
  apply(batch: AggBatch): Int32Array {
    const gp = this.run(batch, true);
    return this.k.i32(gp, batch.weights.length).slice();
  }

  /**
   * Folds a batch into the state like `apply` but returns nothing, so the group ids need not
   * leave Wasm memory (with an int64 key and only COUNT(*) / one exact int64 SUM they are not
   * even written). Throws SqlError 22003 with the state unchanged.
   */
  fold(batch: AggBatch): void {
    this.run(batch, false);
  }

  /**
   * The aggregates the fused int64-key kernel folds while it assigns groups: the first
   * COUNT(*) and the first exact int64 SUM (indexes into the aggregate list, -1 = none).
   */
  private fusedCount = -1;
  private fusedSum = -1;

  /** Runs a batch; returns the group-id pointer (0 when ids were neither wanted nor needed). */
  private run(batch: AggBatch, wantIds: boolean): number {
    const k = this.k;
    const x = k.x;
    const n = batch.weights.length;
    let stagedArgs: Staged[] | null = null;
    const staged = () => (stagedArgs ??= batch.args.map((c, i) => this.argSlot(i).stage(c)));
    let w0 = -1;
    const weightsPtr = () =>
      w0 >= 0
        ? w0
        : (w0 = k.put(this.wRegion, batch.weights.length ? batch.weights : new Int8Array(1)));
    const fc = this.fusedCount;
    const fs = this.fusedSum;
    const fusable =
      this.groups instanceof I64GroupTable &&
      (fc >= 0 || fs >= 0) &&
      !(fc >= 0 && batch.aggWeights?.[fc]) &&
      !(fs >= 0 && batch.aggWeights?.[fs]);
    let gp = 0;
    let fusedUndo: (() => void) | null = null;
    if (fusable) {
      const g = this.groups as I64GroupTable;
      const rest = this.slots.length - Number(fc >= 0) - Number(fs >= 0);
      if (wantIds || rest > 0) gp = g.outBuffer(n);
      const cs = fc >= 0 ? this.slots[fc]! : null;
      const ss = fs >= 0 ? this.slots[fs]! : null;
      const sumCol = ss && ss.kind.fn === 'sum_int' ? ss.kind.column : -1;
      // Without other aggregates, a large batch goes through in cache-sized chunks: each is
      // copied in and folded while still in cache, instead of copying every column whole.
      const step = rest === 0 ? CHUNK : Math.max(n, 1);
      /** Stages rows [s, e): key, summed values and weights. */
      const stageRange = (s: number, e: number) => {
        const whole = s === 0 && e === n;
        const key = whole ? g.stage(batch.keys[0]!) : g.stage(sliceColumn(batch.keys[0]!, s, e));
        let val: Staged | null = null;
        if (sumCol >= 0) {
          val = whole
            ? staged()[sumCol]!
            : this.argSlot(sumCol).stage(sliceColumn(batch.args[sumCol]!, s, e));
        }
        const w = batch.insertOnly
          ? 0
          : whole
            ? weightsPtr()
            : k.put(this.wRegion, batch.weights.subarray(s, e));
        return { key, val, w };
      };
      const undoRange = (s: number, e: number) => {
        const r = stageRange(s, e);
        x.aggFusedUndoI64(
          g.handle,
          r.key.values,
          r.key.validity,
          e - s,
          r.w,
          cs ? cs.a.ptr : 0,
          r.val ? r.val.values : 0,
          r.val ? r.val.validity : 0,
          ss ? ss.a.ptr : 0,
          ss ? ss.b.ptr : 0,
        );
      };
      for (let s0 = 0; s0 < n || s0 === 0; s0 += step) {
        const e0 = Math.min(n, s0 + step);
        const r = stageRange(s0, e0);
        const m = e0 - s0;
        let from = 0;
        for (;;) {
          const size = Math.max(1, g.size);
          cs?.a.ensure(size);
          ss?.a.ensure(size);
          ss?.b.ensure(size);
          const cap = Math.min(cs ? cs.a.cap : Infinity, ss ? ss.a.cap : Infinity);
          from = x.aggFusedI64(
            g.handle,
            r.key.values,
            r.key.validity,
            m,
            from,
            r.w,
            cs ? cs.a.ptr : 0,
            r.val ? r.val.values : 0,
            r.val ? r.val.validity : 0,
            ss ? ss.a.ptr : 0,
            ss ? ss.b.ptr : 0,
            gp ? gp + s0 * 4 : 0,
            cap,
          );
          const status = x.aggFusedStatus();
          if (status === 0) break;
          if (status === 1) {
            // the kernel took back this chunk's rows; take back the chunks before it
            for (let u = s0 - step; u >= 0; u -= step) undoRange(u, u + step);
            throw new SqlError('22003', 'numeric value out of range');
          }
          // status 2: a new group needs room in the state arrays; grow them and resume
          cs?.a.ensure(g.size + 1);
          ss?.a.ensure(g.size + 1);
          ss?.b.ensure(g.size + 1);
        }
        if (e0 >= n) break;
      }
      fusedUndo = () => undoRange(0, n);
      if (rest === 0) return gp;
    } else {
      gp =
        this.groups instanceof I64GroupTable
          ? this.groups.assignPtr(batch.keys[0]!)
          : this.groups.assignPtr(batch.keys);
    }
    const size = this.groups.size;
    // Sums first: if one overflows, later aggregates are untouched and earlier ones are undone.
    const done: (() => void)[] = fusedUndo ? [fusedUndo] : [];
    try {
      const sumsFirst = this.slots
        .map((s, i) => [s, i] as const)
        .filter(([, i]) => !fusedUndo || (i !== fc && i !== fs))
        .sort(([a], [b]) => Number(isSum(b.kind)) - Number(isSum(a.kind)));
      sumsFirst.forEach(([s, i]) => {
        const aw = batch.aggWeights?.[i];
        const w = aw ? k.put(this.aggW, aw) : weightsPtr();
        s.a.ensure(size);
        s.b.ensure(size);
        s.c.ensure(size);
        const kind = s.kind;
        if (kind.fn === 'count_star') x.aggCount(gp, w, 0, n, s.a.ptr);
        else {
          const c = staged()[kind.column]!;
          if (kind.fn === 'count') x.aggCount(gp, w, c.validity, n, s.a.ptr);
          else if (kind.fn === 'sum_float') x.aggSumF64(gp, w, c.values, c.validity, n, s.a.ptr);
          else if (kind.fn === 'minmax_int') {
            k.i64(s.a.ptr, size).fill(BigInt.asIntN(64, (1n << 63n) - 1n));
            k.i64(s.b.ptr, size).fill(-(1n << 63n));
            k.u8(s.c.ptr, size).fill(0);
            x.aggMinMaxI64(gp, w, c.values, c.validity, n, s.a.ptr, s.b.ptr, s.c.ptr);
          } else if (kind.fn === 'sum_int') {
            const bad = x.aggSumI64Wide(gp, w, c.values, c.validity, n, s.a.ptr, s.b.ptr);
            if (bad >= 0) throw new SqlError('22003', 'numeric value out of range');
            done.push(() =>
              this.undoSum(s, gp, this.k.put(this.aggW, aw ?? batch.weights), c, 0, 0, n),
            );
          } else {
            const [lo, hi] = this.parseDecimal(s, c, size);
            const bad = x.aggSumDecimal(gp, w, lo, hi, c.validity, n, s.a.ptr, s.b.ptr);
            if (bad >= 0) throw new SqlError('22003', 'value overflows numeric format');
            done.push(() =>
              this.undoSum(s, gp, this.k.put(this.aggW, aw ?? batch.weights), c, lo, hi, n),
            );
          }
        }
      });
    } catch (e) {
      for (const undo of done.reverse()) undo();
      throw e;
    }
    return gp;
  }

  private argSlot(i: number): Slot {
    while (this.argSlots.length <= i) this.argSlots.push(new Slot(this.k));
    return this.argSlots[i]!;
  }

  /** Applies a sum with negated weights: takes back a batch already folded in. */
  private undoSum(s: AggSlot, gp: number, w: number, c: Staged, lo: number, hi: number, n: number) {
    const neg = this.k.i8(w, n);
    for (let i = 0; i < n; i++) neg[i] = -neg[i]!;
    if (s.kind.fn === 'sum_int')
      this.k.x.aggSumI64Wide(gp, w, c.values, c.validity, n, s.a.ptr, s.b.ptr);
    else this.k.x.aggSumDecimal(gp, w, lo, hi, c.validity, n, s.a.ptr, s.b.ptr);
  }

  /** Parses decimal text at the state's scale, raising the scale (and rescaling) if needed. */
  private parseDecimal(s: AggSlot, c: Staged, size: number): [number, number] {
    const x = this.k.x;
    const lo = this.decLo.ensure(c.n * 8 + 8);
    const hi = this.decHi.ensure(c.n * 8 + 8);
    for (;;) {
      const bad = x.decParseUtf8(c.offsets, c.values, c.validity, c.n, s.scale, lo, hi);
      if (bad < 0) return [lo, hi];
      const status = x.decStatus();
      if (status === 1) {
        const need = x.decNeededScale();
        if (x.decRescale(s.a.ptr, s.b.ptr, size, need - s.scale) >= 0) {
          throw new SqlError('22003', 'value overflows numeric format');
        }
        s.scale = need;
        continue;
      }
      if (status === 2) throw new SqlError('22003', 'value overflows numeric format');
      throw new KernelUnsupportedError('decimal sum of NaN or Infinity');
    }
  }

  get size(): number {
    return this.groups.size;
  }
  /** Count of an aggregate (count_star/count) for group g. */
  count(agg: number, g: number): bigint {
    return this.k.i64(this.slots[agg]!.a.ptr, this.size)[g]!;
  }
  sumFloat(agg: number, g: number): number {
    return this.k.f64(this.slots[agg]!.a.ptr, this.size)[g]!;
  }
  /** Exact integer sum (128-bit state) as a bigint. */
  sumInt(agg: number, g: number): bigint {
    const s = this.slots[agg]!;
    const lo = this.k.u64(s.a.ptr, this.size)[g]!;
    const hi = this.k.i64(s.b.ptr, this.size)[g]!;
    return (hi << 64n) | lo;
  }
  sumDecimal(agg: number, g: number): Decimal {
    return Decimal.of(this.sumInt(agg, g), this.slots[agg]!.scale);
  }
  /** This batch's MIN/MAX candidates of group g, or null when it inserted no value. */
  minMax(agg: number, g: number): [bigint, bigint] | null {
    const s = this.slots[agg]!;
    if (!this.k.u8(s.c.ptr, this.size)[g]) return null;
    return [this.k.i64(s.a.ptr, this.size)[g]!, this.k.i64(s.b.ptr, this.size)[g]!];
  }
}

/** Rows per chunk of a fused fold: the chunk's key, value and weight copies stay in cache. */
const CHUNK = 1 << 15;

/** Rows [s, e) of a fixed-width column; `s` is a multiple of 8 so the bitmap slices cleanly. */
function sliceColumn(c: KColumn, s: number, e: number): KColumn {
  if (c.kind !== 'fixed') throw new Error('sliceColumn: fixed-width columns only');
  return {
    kind: 'fixed',
    values: c.values.subarray(s, e),
    validity: c.validity ? c.validity.subarray(s >> 3, (e + 7) >> 3) : null,
  };
}

function isSum(k: AggKind): boolean {
  return k.fn === 'sum_int' || k.fn === 'sum_decimal';
}

/** The kernels cannot represent this input exactly; the caller must not use them for it. */
export class KernelUnsupportedError extends Error {}

const OP_CODES = { '+': 0, '-': 1, 'U-': 2, 'U+': 3 } as const;

/** Weights from chunk ops ('+'/'U+' → +1, '-'/'U-' → -1). */
export function weightsFromOps(ops: readonly (keyof typeof OP_CODES)[]): Int8Array {
  const w = new Int8Array(ops.length);
  for (let i = 0; i < ops.length; i++) w[i] = OP_CODES[ops[i]!] === 0 || ops[i] === 'U+' ? 1 : -1;
  return w;
}

/**
 * Hash-join index for int64 keys with the key and its newest build row in one slot (one cache
 * line per probe of a unique key). Build rows are numbered in insertion order; deleted rows
 * and NULL keys never match.
 */
export class I64HashJoin {
  readonly handle: number;
  private keys: Slot;
  private del: Region;
  private outP: Region;
  private outB: Region;
  constructor(
    private readonly k: Kernels,
    capHint = 1024,
  ) {
    this.handle = k.x.hjNew(capHint);
    this.keys = new Slot(k);
    this.del = k.region();
    this.outP = k.region();
    this.outB = k.region();
  }
  /** Adds build rows; returns the row number of the first (the rest follow). */
  insert(keys: KColumn): number {
    const s = this.keys.stage(keys);
    return this.k.x.hjInsert(this.handle, s.values, s.validity, s.n);
  }
  /** Deletes build rows by number; returns how many were live. */
  delete(rowIds: Int32Array): number {
    if (rowIds.length === 0) return 0;
    return this.k.x.hjDelete(this.handle, this.k.put(this.del, rowIds), rowIds.length);
  }
  /**
   * Calls `each` with the matching (probe row, build row) pairs of a probe batch, probe rows
   * ascending, in one or more chunks. The arrays are views of Wasm memory, valid only during
   * the call: no copy is made.
   */
  probeEach(keys: KColumn, each: (probe: Int32Array, build: Int32Array) => void): number {
    const x = this.k.x;
    const s = this.keys.stage(keys);
    let cap = Math.max(1024, s.n);
    x.hjProbeReset(this.handle);
    let total = 0;
    while (!x.hjProbeDone(this.handle)) {
      const op = this.outP.ensure(cap * 4);
      const ob = this.outB.ensure(cap * 4);
      const m = x.hjProbe(this.handle, s.values, s.validity, s.n, op, ob, cap);
      each(this.k.i32(op, m), this.k.i32(ob, m));
      total += m;
      cap *= 2;
    }
    return total;
  }
  /** Matching pairs for a probe batch, probe rows ascending (copied out of Wasm memory). */
  probe(keys: KColumn): { probe: Int32Array; build: Int32Array } {
    const probe: Int32Array[] = [];
    const build: Int32Array[] = [];
    const total = this.probeEach(keys, (p, b) => {
      probe.push(p.slice());
      build.push(b.slice());
    });
    return { probe: concatI32(probe, total), build: concatI32(build, total) };
  }
  get rows(): number {
    return this.k.x.hjRows(this.handle);
  }
  get liveRows(): number {
    return this.k.x.hjLiveRows(this.handle);
  }
  free(): void {
    this.k.x.hjFree(this.handle);
    this.keys.free();
    for (const r of [this.del, this.outP, this.outB]) r.free();
  }
}

function concatI32(parts: Int32Array[], total: number): Int32Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Int32Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
