/**
 * Typed wrappers for the window, filter and take kernels (see ops.ts for the staging
 * rules: inputs are copied into reusable Wasm regions, results copied out).
 */
import { Kernels, Region } from './loader.js';
import { columnLength, type Fixed, type KColumn } from './ops.js';

class Staging {
  private regions = new Map<string, Region>();
  constructor(private readonly k: Kernels) {}
  r(name: string): Region {
    let r = this.regions.get(name);
    if (!r) this.regions.set(name, (r = this.k.region()));
    return r;
  }
  free(): void {
    for (const r of this.regions.values()) r.free();
  }
}

/** TUMBLE and HOP window assignment over int64 microsecond timestamps. */
export class WindowAssigner {
  private st: Staging;
  constructor(private readonly k: Kernels) {
    this.st = new Staging(k);
  }
  /** Copies timestamps and their validity into Wasm memory; returns their pointers. */
  private stage(ts: BigInt64Array, validity: Uint8Array | null): [number, number] {
    return [this.k.put(this.st.r('ts'), ts), validity ? this.k.put(this.st.r('v'), validity) : 0];
  }
  tumble(ts: BigInt64Array, validity: Uint8Array | null, size: bigint, offset = 0n): BigInt64Array {
    const n = ts.length;
    const [t, v] = this.stage(ts, validity);
    const out = this.st.r('s').ensure(n * 8 + 8);
    this.k.x.tumble(t, v, n, size, offset, out, 0);
    return this.k.i64(out, n).slice();
  }
  /** Window starts and ends (start + size) of each row; NULL rows get 0 in both. */
  tumbleBounds(
    ts: BigInt64Array,
    validity: Uint8Array | null,
    size: bigint,
    offset = 0n,
  ): { starts: BigInt64Array; ends: BigInt64Array } {
    const n = ts.length;
    const [t, v] = this.stage(ts, validity);
    const s = this.st.r('s').ensure(n * 8 + 8);
    const e = this.st.r('e').ensure(n * 8 + 8);
    this.k.x.tumble(t, v, n, size, offset, s, e);
    return { starts: this.k.i64(s, n).slice(), ends: this.k.i64(e, n).slice() };
  }
  hop(
    ts: BigInt64Array,
    validity: Uint8Array | null,
    slide: bigint,
    size: bigint,
    offset = 0n,
  ): { rows: Int32Array; starts: BigInt64Array } {
    const n = ts.length;
    const [t, v] = this.stage(ts, validity);
    const max = n * this.k.x.hopMaxWindows(slide, size);
    const rows = this.st.r('r').ensure(max * 4 + 4);
    const starts = this.st.r('s').ensure(max * 8 + 8);
    const m = this.k.x.hop(t, v, n, slide, size, offset, rows, starts);
    return { rows: this.k.i32(rows, m).slice(), starts: this.k.i64(starts, m).slice() };
  }
}

export type CmpOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
const CMP: Record<CmpOp, number> = { '=': 0, '<>': 1, '<': 2, '<=': 3, '>': 4, '>=': 5 };

/** Column-versus-constant comparisons producing selection vectors; chain them for AND. */
export class Filter {
  private st: Staging;
  private enc = new TextEncoder();
  private constText: string | null = null;
  private constBytes = new Uint8Array(0);
  constructor(private readonly k: Kernels) {
    this.st = new Staging(k);
  }
  compare(
    col: KColumn,
    op: CmpOp,
    c: bigint | number | string,
    sel?: Int32Array | null,
  ): Int32Array {
    const k = this.k;
    const x = k.x;
    const n = columnLength(col);
    const v = col.validity ? k.put(this.st.r('v'), col.validity) : 0;
    const si = sel ? k.put(this.st.r('si'), sel) : 0;
    const ni = sel ? sel.length : 0;
    const so = this.st.r('so').ensure((sel ? ni : n) * 4 + 4);
    let m: number;
    if (col.kind === 'utf8') {
      // Predicates compare with the same constant chunk after chunk: encode it once.
      if (this.constText !== String(c)) {
        this.constText = String(c);
        this.constBytes = this.enc.encode(this.constText);
      }
      const bytes = this.constBytes;
      const cp = k.put(this.st.r('c'), bytes);
      const o = k.put(this.st.r('o'), col.offsets);
      const d = k.put(this.st.r('d'), col.data);
      m = x.cmpUtf8(o, d, v, n, CMP[op], cp, bytes.length, si, ni, so);
    } else {
      const p = k.put(this.st.r('d'), col.values);
      if (col.kind === 'f64') m = x.cmpF64(p, v, n, CMP[op], Number(c), si, ni, so);
      else if (col.values instanceof BigInt64Array) {
        m = x.cmpI64(p, v, n, CMP[op], BigInt(c), si, ni, so);
      } else if (col.values instanceof Int32Array) {
        m = x.cmpI32(p, v, n, CMP[op], Number(c), si, ni, so);
      } else throw new Error('compare: unsupported column width');
    }
    return k.i32(so, m).slice();
  }
}

/** Gathers rows of a column by index (negative index → NULL). */
export class Take {
  private st: Staging;
  constructor(private readonly k: Kernels) {
    this.st = new Staging(k);
  }
  take(col: KColumn, idx: Int32Array): KColumn {
    const k = this.k;
    const x = k.x;
    const n = idx.length;
    const ip = k.put(this.st.r('i'), idx.length ? idx : new Int32Array(1));
    const v = col.validity ? k.put(this.st.r('v'), col.validity) : 0;
    const vo = this.st.r('vo').ensure(((n + 7) >> 3) + 8);
    const nulls = x.takeValidity(v, ip, n, vo);
    const validity = nulls > 0 ? k.u8(vo, (n + 7) >> 3).slice() : null;
    if (col.kind === 'utf8') {
      const o = k.put(this.st.r('o'), col.offsets);
      const d = k.put(this.st.r('d'), col.data.length ? col.data : new Uint8Array(1));
      const oo = this.st.r('oo').ensure(n * 4 + 8);
      const bytes = x.takeUtf8Offsets(o, ip, n, oo);
      const od = this.st.r('od').ensure(bytes + 8);
      x.takeUtf8Data(o, d, ip, n, oo, od);
      return {
        kind: 'utf8',
        offsets: k.i32(oo, n + 1).slice(),
        data: k.u8(od, bytes).slice(),
        validity,
      };
    }
    const width = col.values.BYTES_PER_ELEMENT;
    const src = k.put(this.st.r('d'), col.values);
    const dst = this.st.r('out').ensure(n * width + 8);
    x.takeFixed(src, width, ip, n, dst);
    const buf = k.u8(dst, n * width).slice().buffer;
    const Ctor = col.values.constructor as new (b: ArrayBuffer) => Fixed | Float64Array;
    const values = new Ctor(buf);
    return col.kind === 'f64'
      ? { kind: 'f64', values: values as Float64Array, validity }
      : { kind: 'fixed', values: values as Exclude<typeof values, Float64Array>, validity };
  }
}
