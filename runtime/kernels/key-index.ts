/**
 * KeyIndex — the hash table of an executor's keys, in Wasm linear memory: keys of a whole batch
 * go to a Wasm group table in one call and come back as dense ids, which index a plain array of
 * the executor's per-key state. Keys are either int64 values (integer, date and timestamp key
 * columns) or canonical key strings (anything else), stored as bytes: UTF-8 when the string
 * has no surrogate code unit, else a 0xFF tag (never in UTF-8) and the UTF-16 code units, so
 * distinct strings always give distinct bytes.
 *
 * The Wasm tables never forget a key, so an id whose state was deleted stays reserved; once
 * such dead ids outnumber the live ones, `compact()` rebuilds the table from the live keys and
 * renumbers the state (ids are only stable between compactions). Tables are freed when their
 * index is garbage collected: executors have no close hook.
 */
import type { DataType } from '../types/datatype.js';
import type { Value } from '../types/value.js';
import { Kernels, loadKernels, loadKernelsSync, type KernelSource } from './loader.js';
import { BytesGroupTable, I64GroupTable, withNull, type KColumn } from './ops.js';

let shared: Kernels | null = null;

/**
 * The one kernel instance executors share (one linear memory per JavaScript realm), compiled
 * from the embedded bytes on first use unless the host installed one with `useKernels`.
 */
export function sharedKernels(): Kernels {
  return (shared ??= loadKernelsSync());
}

/**
 * Installs the kernels executors use; a host that cannot compile Wasm at run time (workerd)
 * calls this with `loadKernelsSync(importedModule)` before creating a database.
 */
export function useKernels(k: Kernels): void {
  shared = k;
}

/**
 * Compiles the kernels asynchronously (off the calling thread where the host can) ahead of
 * their first use, which then finds them ready instead of compiling them synchronously. If
 * something needed them meanwhile, the instance it got stays the shared one.
 */
export async function preloadKernels(source?: KernelSource): Promise<void> {
  const k = await loadKernels(source);
  shared ??= k;
}

type Table = I64GroupTable | BytesGroupTable;
interface Holder {
  table: Table;
}

const registry = new FinalizationRegistry<Holder>((h) => h.table.free());

/**
 * Keys of one batch: int64 values with a validity bitmap (for 'i64' indexes); for 'bytes'
 * indexes, canonical strings (null = NULL key) or columns packed by the Wasm key encoder (a
 * NULL in a column is a value of the key there). One index must always get the same kind.
 */
export type KeyBatch =
  | { kind: 'i64'; values: BigInt64Array; validity: Uint8Array | null }
  | { kind: 'bytes'; keys: (string | null)[] }
  | { kind: 'cols'; cols: KColumn[] };

const INT_KINDS = new Set(['int2', 'int4', 'int8', 'date', 'time', 'timestamp', 'timestamptz']);

/**
 * Whether values of `t` key a table as int64: integral values whose canonical key text is
 * their decimal form, so int64 equality is key equality.
 */
export function isInt64Key(t: DataType): boolean {
  return INT_KINDS.has(t.kind);
}

/** An int64 key batch from integral values (number or bigint); null is a NULL key. */
export function int64Keys(vals: readonly Value[]): KeyBatch & { kind: 'i64' } {
  const n = vals.length;
  const values = new BigInt64Array(n);
  let validity: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const v = vals[i];
    if (typeof v === 'bigint') values[i] = v;
    else if (typeof v === 'number') values[i] = BigInt(v);
    else validity = withNull(validity, n, i);
  }
  return { kind: 'i64', values, validity };
}

/** A key of several integral columns (values per column), packed by the Wasm key encoder. */
export function packedInt64Keys(columns: readonly (readonly Value[])[]): KeyBatch {
  return {
    kind: 'cols',
    cols: columns.map((c) => {
      const { values, validity } = int64Keys(c);
      return { kind: 'fixed', values, validity };
    }),
  };
}

/** Dead ids tolerated before a compaction, on top of the live count. */
const SLACK = 256;

const SURROGATE = /[\uD800-\uDFFF]/;

export class KeyIndex<T> {
  private readonly holder: Holder;
  private values: (T | undefined)[] = [];
  private live = 0;
  private readonly enc = new TextEncoder();
  private buf = new Uint8Array(256);

  constructor(
    readonly mode: 'i64' | 'bytes',
    private readonly k: Kernels = sharedKernels(),
  ) {
    this.holder = { table: this.newTable() };
    registry.register(this, this.holder);
  }

  private newTable(): Table {
    // A small start: many executors hold few keys; the tables double as keys arrive.
    return this.mode === 'i64' ? new I64GroupTable(this.k, 8) : new BytesGroupTable(this.k, 8);
  }

  /** Ids of the batch's keys, creating ids for new keys (a NULL key has an id of its own). */
  assign(b: KeyBatch): Int32Array {
    const t = this.holder.table;
    return t instanceof I64GroupTable ? t.assign(this.i64Column(b)) : t.assign(this.bytes(b));
  }

  /** Ids of the batch's keys, -1 for keys never assigned and for NULL keys. */
  lookup(b: KeyBatch): Int32Array {
    const t = this.holder.table;
    return t instanceof I64GroupTable ? t.lookup(this.i64Column(b)) : t.lookup(this.bytes(b));
  }

  private i64Column(b: KeyBatch): KColumn {
    if (b.kind !== 'i64') throw new Error('KeyIndex: int64 keys expected');
    return { kind: 'fixed', values: b.values, validity: b.validity };
  }

  private bytes(b: KeyBatch): KColumn[] {
    if (b.kind === 'cols') return b.cols;
    if (b.kind !== 'bytes') throw new Error('KeyIndex: string keys expected');
    return [this.encode(b.keys)];
  }

  private encode(keys: readonly (string | Uint8Array | null)[]): KColumn {
    const n = keys.length;
    const offsets = new Int32Array(n + 1);
    let validity: Uint8Array | null = null;
    let at = 0;
    for (let i = 0; i < n; i++) {
      const s = keys[i];
      if (s === null || s === undefined) validity = withNull(validity, n, i);
      else if (typeof s !== 'string') {
        this.reserve(at + s.length);
        this.buf.set(s, at);
        at += s.length;
      } else if (!SURROGATE.test(s)) {
        this.reserve(at + s.length * 3);
        at += this.enc.encodeInto(s, this.buf.subarray(at)).written;
      } else {
        this.reserve(at + 1 + s.length * 2);
        const buf = this.buf;
        buf[at++] = 0xff;
        for (let j = 0; j < s.length; j++) {
          const c = s.charCodeAt(j);
          buf[at++] = c & 0xff;
          buf[at++] = c >> 8;
        }
      }
      offsets[i + 1] = at;
    }
    return { kind: 'utf8', offsets, data: this.buf.subarray(0, Math.max(at, 1)), validity };
  }

  private reserve(bytes: number): void {
    if (bytes <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < bytes) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf);
    this.buf = next;
  }

  get(id: number): T | undefined {
    return id < 0 ? undefined : this.values[id];
  }

  set(id: number, v: T): void {
    if (this.values[id] === undefined) this.live++;
    this.values[id] = v;
  }

  delete(id: number): void {
    if (this.values[id] === undefined) return;
    this.values[id] = undefined;
    this.live--;
  }

  /** Drops the state of every key whose value `dead` accepts; returns how many. */
  deleteWhere(dead: (v: T) => boolean): number {
    let n = 0;
    const values = this.values;
    for (let id = 0; id < values.length; id++) {
      const v = values[id];
      if (v !== undefined && dead(v)) {
        values[id] = undefined;
        this.live--;
        n++;
      }
    }
    return n;
  }

  /** Keys holding state. */
  get size(): number {
    return this.live;
  }

  /** Ids the Wasm table holds, live or dead (what memory use follows). */
  get tableSize(): number {
    return this.holder.table.size;
  }

  /** Live state values (any order). */
  *entries(): IterableIterator<T> {
    for (const v of this.values) if (v !== undefined) yield v;
  }

  /**
   * Rebuilds the table from the live keys when dead ids outnumber live ones (call between
   * batches only: it renumbers ids). Returns whether it did.
   */
  compact(): boolean {
    const old = this.holder.table;
    const total = old.size;
    if (total - this.live <= Math.max(this.live, SLACK)) return false;
    const liveIds: number[] = [];
    for (let g = 0; g < total; g++) if (this.values[g] !== undefined) liveIds.push(g);
    const next = this.newTable();
    let ids: Int32Array;
    if (old instanceof I64GroupTable) {
      const x = this.k.x;
      const all = this.k.i64(x.i64TableGroupKeys(old.handle), total);
      const values = new BigInt64Array(liveIds.length);
      const validity = new Uint8Array((liveIds.length + 7) >> 3).fill(0xff);
      const nullGroup = old.nullGroup;
      liveIds.forEach((g, i) => {
        values[i] = all[g]!;
        if (g === nullGroup) validity[i >> 3]! &= ~(1 << (i & 7));
      });
      ids = (next as I64GroupTable).assign({ kind: 'fixed', values, validity });
    } else {
      const nullGroup = old.nullGroup;
      const x = this.k.x;
      const offs = this.k.i32(x.bytesTableKeyOffsets(old.handle), total + 1).slice();
      const arena = this.k.u8(x.bytesTableArena(old.handle), offs[total]!).slice();
      const keys = liveIds.map((g) =>
        g === nullGroup ? null : arena.subarray(offs[g]!, offs[g + 1]!),
      );
      // The stored bytes (strings or packed columns) go back as one byte-string column.
      ids = (next as BytesGroupTable).assign([this.encode(keys)]);
    }
    const values: (T | undefined)[] = new Array<T | undefined>(liveIds.length);
    liveIds.forEach((g, i) => {
      values[ids[i]!] = this.values[g];
    });
    this.values = values;
    this.holder.table = next;
    old.free();
    return true;
  }
}
