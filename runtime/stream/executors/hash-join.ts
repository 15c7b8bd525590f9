/**
 * HashJoinExecutor — incremental join by the delta rule Δ(a ⋈ b) = Δa ⋈ b + a' ⋈ Δb: a change
 * on one side is joined with the current state of the other side, then applied to its own
 * side's state (so a change arriving on both sides in one step is joined exactly once).
 *
 * State, per side: a Wasm hash-join table (I64HashJoin) of the side's stored rows keyed by
 * int64, and a row store indexed by the table's row numbers — the row, its join key, its exact
 * form (`exactRowKey`) and, for outer/semi/anti joins, its degree — plus a map from exact form
 * to the live row numbers of that form. The int64 key is the value itself for a lone integer,
 * date or timestamp key column (read straight from the Arrow column of a columnar chunk); any
 * other key (strings, numerics, several columns) is first mapped to an id by one KeyIndex both
 * sides share, so equal keys get equal ids on either side. A key with a NULL is stored as a
 * NULL key, which the table never matches, and only where an outer, semi or anti join must
 * emit the row unmatched. A row inserted twice is two stored rows.
 *
 * A chunk from side s is probed against the other side's table in one call, giving the
 * matching (chunk row, stored row) pairs; then the whole chunk is applied to side s. Doing the
 * probes first equals joining and applying row by row, as a chunk only changes side s. Per
 * chunk row, matches are taken oldest first, equal stored rows together, and the residual
 * (non-equi) condition is checked once per group. Insert and U+ add to state: the chunk's
 * inserted rows are appended to the table in one call. Delete and U- remove: each removes one
 * stored row of exactly the retracted row's form (possibly one inserted earlier in the chunk),
 * deleted from the table by row number. Results are emitted as inserts and deletes.
 *
 * The degree of a stored row is the number of matching rows on the other side. A preserved-side
 * row with degree 0 is emitted padded with NULLs; when its degree moves 0 → 1 the padded row is
 * retracted and the match inserted, and 1 → 0 the reverse. Semi joins emit a left row while its
 * degree > 0, anti joins while it is 0.
 *
 * The table never reuses a deleted row's number; once dead rows outnumber live ones (beyond a
 * slack), the side's table is rebuilt from its live rows, renumbering its row store. The shared
 * KeyIndex counts the live stored rows of each id; when it compacts its dead ids away (which
 * renumbers ids), both sides' stored keys are renumbered and both tables rebuilt.
 *
 * Watermarks (see stream/join-watermark.ts) expire stored rows no later row of the other side
 * can match — by an equality key monotone in a watermarked column, or by an interval condition
 * such as `a.ts BETWEEN b.ts - INTERVAL '10' SECOND AND b.ts` — without output: their matches
 * were emitted already and nothing can change them. Degrees of the rows they matched keep
 * counting them, which is what those rows' padding needs.
 *
 * Checkpoints save each side's live rows in row-number order with their degrees; a restore
 * stores them again (keys recomputed, tables rebuilt) without probing or emitting.
 */
import type { BoundExpr, ColumnSchema, JoinKind } from '../../plan/logical.js';
import type { DataType } from '../../types/datatype.js';
import type { Row, Value } from '../../types/value.js';
import { compiled } from '../../expr/eval.js';
import { rowKey } from '../../expr/keys.js';
import { exprText } from '../../plan/explain.js';
import { ChunkBuilder, opSign, StreamChunk } from '../chunk.js';
import type {
  OperatorState,
  StreamEnv,
  StreamExecutor,
  Watermark,
  WatermarkOutput,
} from '../executor.js';
import {
  analyzeJoin,
  expired,
  joinOutputWatermarks,
  type JoinWatermarks,
} from '../join-watermark.js';
import { WatermarkTracker } from '../watermark.js';
import { T } from '../../types/datatype.js';
import { SqlError, SqlState } from '../../errors.js';
import { exactRowKey } from '../multiset.js';
import {
  int64Keys,
  isInt64Key,
  KeyIndex,
  packedInt64Keys,
  sharedKernels,
  type KeyBatch,
} from '../../kernels/key-index.js';
import { I64HashJoin, withNull } from '../../kernels/ops.js';
import { columnOf, isIntegral, isValidAt, selectedInt64 } from '../columnar.js';

/** Dead rows a table may hold beyond its live count before it is rebuilt. */
const SLACK = 256;

/** Live stored rows (both sides) with one shared key id. */
interface KeyRef {
  refs: number;
  /** The id this entry was last filed under (to renumber rows after a compaction). */
  id: number;
}

/** One side's stored rows, numbered as its join table numbers them. */
class Side {
  table: I64HashJoin;
  /** Row by row number; undefined once deleted. */
  rows: (Row | undefined)[] = [];
  /** Exact row key by row number (groups equal rows; finds a retraction's row list). */
  exact: string[] = [];
  /**
   * Join key by row number (and the same memory as int32 halves, copied without making BigInts),
   * and whether it is non-NULL (1): kept to rebuild the table.
   */
  keys = new BigInt64Array(64);
  keys32 = new Int32Array(this.keys.buffer);
  valid = new Uint8Array(64);
  /** Matching rows on the other side, by row number (outer/semi/anti only). */
  degree = new Int32Array(64);
  /** Exact row key → the live row number, or row numbers, with that exact form. */
  byExact = new Map<string, number | number[]>();
  live = 0;

  constructor() {
    this.table = new I64HashJoin(sharedKernels(), 16);
  }

  /** Makes room for row numbers below `n`. */
  reserve(n: number): void {
    if (n <= this.keys.length) return;
    let cap = this.keys.length * 2;
    while (cap < n) cap *= 2;
    const keys = new BigInt64Array(cap);
    keys.set(this.keys);
    const valid = new Uint8Array(cap);
    valid.set(this.valid);
    const degree = new Int32Array(cap);
    degree.set(this.degree);
    this.keys = keys;
    this.keys32 = new Int32Array(keys.buffer);
    this.valid = valid;
    this.degree = degree;
  }

  /** Rebuilds the table from the live rows, renumbering them densely from 0. */
  rebuild(): void {
    const total = this.rows.length;
    const renum = new Int32Array(total).fill(-1);
    const n = this.live;
    const keys = new BigInt64Array(Math.max(64, n));
    const keys32 = new Int32Array(keys.buffer);
    const old32 = this.keys32;
    const valid = new Uint8Array(keys.length);
    const degree = new Int32Array(keys.length);
    // Grown by push: a large preallocated array would start in V8's slow dictionary mode.
    const rows: Row[] = [];
    const exact: string[] = [];
    const validity = new Uint8Array((n + 7) >> 3);
    let j = 0;
    for (let r = 0; r < total; r++) {
      const row = this.rows[r];
      if (row === undefined) continue;
      renum[r] = j;
      rows.push(row);
      exact.push(this.exact[r]!);
      keys32[2 * j] = old32[2 * r]!;
      keys32[2 * j + 1] = old32[2 * r + 1]!;
      valid[j] = this.valid[r]!;
      degree[j] = this.degree[r]!;
      if (valid[j]) validity[j >> 3]! |= 1 << (j & 7);
      j++;
    }
    for (const [k, list] of this.byExact)
      if (typeof list === 'number') this.byExact.set(k, renum[list]!);
      else for (let i = 0; i < list.length; i++) list[i] = renum[list[i]!]!;
    const table = new I64HashJoin(sharedKernels(), n);
    if (n > 0) table.insert({ kind: 'fixed', values: keys.subarray(0, n), validity });
    this.table.free();
    this.table = table;
    this.rows = rows;
    this.exact = exact;
    this.keys = keys;
    this.keys32 = keys32;
    this.valid = valid;
    this.degree = degree;
  }
}

interface Holder {
  sides: Side[];
}

/** Frees the Wasm join tables once their executor is garbage collected (no close hook). */
const registry = new FinalizationRegistry<Holder>((h) => {
  for (const s of h.sides) s.table.free();
});

/** Pair buffers reused from chunk to chunk (probe views of Wasm memory are copied here). */
class Pairs {
  probe = new Int32Array(256);
  build = new Int32Array(256);
  n = 0;
  /** Drops buffers a large chunk grew, so they are not held between chunks. */
  shrink(): void {
    if (this.probe.length <= 1 << 16) return;
    this.probe = new Int32Array(256);
    this.build = new Int32Array(256);
  }
  add(p: Int32Array, b: Int32Array): void {
    const need = this.n + p.length;
    if (need > this.probe.length) {
      let cap = this.probe.length * 2;
      while (cap < need) cap *= 2;
      const np = new Int32Array(cap);
      np.set(this.probe.subarray(0, this.n));
      const nb = new Int32Array(cap);
      nb.set(this.build.subarray(0, this.n));
      this.probe = np;
      this.build = nb;
    }
    this.probe.set(p, this.n);
    this.build.set(b, this.n);
    this.n = need;
  }
}

/**
 * A chunk's join keys: int64 values with validity (bit clear = a NULL in the key, never
 * matching), and for keys mapped to shared ids, the ids themselves.
 */
interface Keys {
  values: BigInt64Array;
  validity: Uint8Array | null;
  ids: Int32Array | null;
}

/** Above this many matches of one change, equal stored rows are grouped with a Map. */
const SMALL_GROUPING = 16;

export class HashJoinExecutor implements StreamExecutor {
  readonly name: string;
  private readonly sides: [Side, Side];
  /**
   * Key → id, shared by both sides; null when the key is a lone integral column (its value is
   * the join key). Each id's value counts the live stored rows (both sides) with that key.
   */
  private readonly ids: KeyIndex<KeyRef> | null;
  /** Several integer key columns: packed by the Wasm key encoder instead of key strings. */
  private readonly packed: boolean;
  private readonly keyFns: [
    ((r: Row, e: StreamEnv) => Value)[],
    ((r: Row, e: StreamEnv) => Value)[],
  ];
  /** Per side, the input column a lone integral key reads (columnar chunks), or null. */
  private readonly keyCols: [number | null, number | null];
  private readonly keyTypes: DataType[];
  private readonly rowTypes: [DataType[], DataType[]];
  private readonly cond;
  private readonly nl: number;
  private readonly nr: number;
  private readonly pairs = new Pairs();
  /** A group of equal stored rows, reused. */
  private readonly group: number[] = [];

  constructor(
    readonly joinKind: JoinKind,
    readonly leftKeys: BoundExpr[],
    readonly rightKeys: BoundExpr[],
    readonly condition: BoundExpr | null,
    leftSchema: ColumnSchema[],
    rightSchema: ColumnSchema[],
    readonly schema: ColumnSchema[],
  ) {
    this.name =
      joinKind === 'semi' || joinKind === 'anti'
        ? `StreamHash${joinKind === 'semi' ? 'Semi' : 'Anti'}Join`
        : 'StreamHashJoin';
    this.keyFns = [leftKeys.map(compiled), rightKeys.map(compiled)];
    this.keyTypes = leftKeys.map((k) => k.type);
    const allInt =
      leftKeys.length > 0 && [...leftKeys, ...rightKeys].every((k) => isInt64Key(k.type));
    const direct = allInt && leftKeys.length === 1;
    this.packed = allInt && leftKeys.length > 1;
    this.ids = direct ? null : new KeyIndex<KeyRef>('bytes');
    const keyCol = (k: BoundExpr | undefined, schema: ColumnSchema[]): number | null => {
      const c = direct && k ? columnOf(k) : null;
      return c !== null && schema[c] && isIntegral(schema[c].type) ? c : null;
    };
    this.keyCols = [keyCol(leftKeys[0], leftSchema), keyCol(rightKeys[0], rightSchema)];
    this.sides = [new Side(), new Side()];
    registry.register(this, { sides: this.sides });
    this.rowTypes = [leftSchema.map((c) => c.type), rightSchema.map((c) => c.type)];
    this.cond = condition ? compiled(condition) : null;
    this.nl = leftSchema.length;
    this.nr = rightSchema.length;
    this.names = [...leftSchema, ...rightSchema].map((c) => c.name);
    this.leftNames = leftSchema.map((c) => c.name);
    this.rightNames = rightSchema.map((c) => c.name);
    this.wm = analyzeJoin(leftKeys, rightKeys, condition, this.nl, schema.length);
    const joined = [...this.rowTypes[0], ...this.rowTypes[1]];
    this.inWatermarks = new WatermarkTracker(joined);
    this.outWatermarks = new WatermarkTracker(joined);
  }
  private readonly wm: JoinWatermarks;
  /** Latest watermark per joined-row column (both inputs), and per output column emitted. */
  private readonly inWatermarks: WatermarkTracker;
  private readonly outWatermarks: WatermarkTracker;

  watermarkColumns(inputs: readonly ReadonlySet<number>[]): Set<number> {
    const has = (c: number): boolean =>
      c < this.nl ? (inputs[0]?.has(c) ?? false) : (inputs[1]?.has(c - this.nl) ?? false);
    return new Set(this.wm.outputs.filter((o) => has(o.own) && has(o.other)).map((o) => o.column));
  }

  onWatermark(wm: Watermark, port: number, env: StreamEnv): WatermarkOutput {
    const column = port === 0 ? wm.column : this.nl + wm.column;
    const none = { chunk: null, watermarks: [] };
    if (!this.inWatermarks.advance({ column, value: wm.value })) return none;
    for (const e of this.wm.expiries) {
      if (e.by !== column) continue;
      const bound = e.bound(wm.value, env);
      if (bound !== null) this.expireRows(e.side, (row) => expired(e, bound, row, env));
    }
    const latest = new Map<number, Value>();
    for (const o of this.wm.outputs)
      for (const c of [o.own, o.other]) {
        const v = this.inWatermarks.get(c);
        if (v !== undefined) latest.set(c, v);
      }
    const rules = this.wm.outputs.filter((o) => o.own === column || o.other === column);
    return {
      chunk: null,
      watermarks: joinOutputWatermarks(rules, latest, env).filter((w) =>
        this.outWatermarks.advance(w),
      ),
    };
  }

  /** Drops side `s`'s stored rows that `dead` accepts, without output. */
  private expireRows(s: 0 | 1, dead: (row: Row) => boolean): void {
    const side = this.sides[s];
    const del: number[] = [];
    for (let r = 0; r < side.rows.length; r++) {
      const row = side.rows[r];
      if (row === undefined || !dead(row)) continue;
      const rk = side.exact[r]!;
      const list = side.byExact.get(rk);
      if (typeof list === 'number') side.byExact.delete(rk);
      else if (list) {
        list.splice(list.indexOf(r), 1);
        if (list.length === 1) side.byExact.set(rk, list[0]!);
      }
      side.rows[r] = undefined;
      side.exact[r] = '';
      side.live--;
      del.push(r);
      if (side.valid[r] && this.ids) this.ref(side.keys32[2 * r]!, -1);
    }
    if (del.length === 0) return;
    side.table.delete(Int32Array.from(del));
    if (side.rows.length - side.live > Math.max(side.live, SLACK)) side.rebuild();
    if (this.ids?.compact()) this.renumberKeys();
  }
  private readonly names: string[];
  private readonly leftNames: string[];
  private readonly rightNames: string[];

  /** Whether side `s` (0 left, 1 right) is preserved: its unmatched rows are emitted padded. */
  private preserves(s: number): boolean {
    const k = this.joinKind;
    return k === 'full' || (s === 0 && k === 'left') || (s === 1 && k === 'right');
  }

  private tracksDegree(s: number): boolean {
    return this.preserves(s) || (s === 0 && (this.joinKind === 'semi' || this.joinKind === 'anti'));
  }

  private combine(s: number, mine: Row, other: Row): Row {
    return s === 0 ? [...mine, ...other] : [...other, ...mine];
  }

  private padded(s: number, row: Row): Row {
    return s === 0
      ? [...row, ...new Array<Value>(this.nr).fill(null)]
      : [...new Array<Value>(this.nl).fill(null), ...row];
  }

  private matches(s: number, mine: Row, other: Row, env: StreamEnv): boolean {
    return !this.cond || this.cond(this.combine(s, mine, other), env) === true;
  }

  /**
   * The join keys of a chunk from side `s`, as int64 values with validity (bit clear = a NULL
   * in the key, never matching). A lone integral key column of a columnar chunk is read from
   * its Arrow column; other keys are evaluated per row and, unless a lone integral key, mapped
   * to shared ids.
   */
  private chunkKeys(chunk: StreamChunk, s: 0 | 1, env: StreamEnv): Keys {
    const n = chunk.size;
    const f = chunk.columnar;
    const col = this.keyCols[s];
    if (!this.ids && f && col !== null && isIntegral(f.types[col]!))
      return { ...selectedInt64(f.columns[col]!, f.sel), ids: null };
    const keyFns = this.keyFns[s];
    const rows = chunk.rows;
    if (!this.ids) {
      const f0 = keyFns[0]!;
      const b = int64Keys(rows.map((row) => f0(row, env)));
      return { values: b.values, validity: b.validity, ids: null };
    }
    const keyVals = rows.map((row) => keyFns.map((fn) => fn(row, env)));
    let batch: KeyBatch;
    if (this.packed) batch = packedInt64Keys(keyFns.map((_, c) => keyVals.map((k) => k[c]!)));
    else
      batch = {
        kind: 'bytes',
        keys: keyVals.map((k) => (k.some((v) => v === null) ? null : rowKey(k, this.keyTypes))),
      };
    const ids = this.ids.assign(batch);
    const values = new BigInt64Array(n);
    const halves = new Int32Array(values.buffer);
    let validity: Uint8Array | null = null;
    for (let i = 0; i < n; i++) {
      // A packed key treats a NULL column as a value; SQL equality never matches it.
      if (keyVals[i]!.some((v) => v === null)) validity = withNull(validity, n, i);
      else halves[2 * i] = ids[i]!; // ids are non-negative: the high half stays 0
    }
    return { values, validity, ids };
  }

  process(chunk: StreamChunk, port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    const s: 0 | 1 = port === 0 ? 0 : 1;
    const o: 0 | 1 = s === 0 ? 1 : 0;
    const other = this.sides[o];
    const out = new ChunkBuilder();
    const semiAnti = this.joinKind === 'semi' || this.joinKind === 'anti';
    const trackOwn = this.tracksDegree(s);
    const rows = chunk.rows;
    const ops = chunk.ops;
    const n = rows.length;
    if (n === 0) return null;
    const keys = this.chunkKeys(chunk, s, env);
    // Every (chunk row, other-side row) pair with equal keys, chunk rows ascending.
    const pairs = this.pairs;
    pairs.n = 0;
    if (other.live > 0)
      other.table.probeEach(
        { kind: 'fixed', values: keys.values, validity: keys.validity },
        (p, b) => pairs.add(p, b),
      );
    const { probe, build } = pairs;
    const degrees = trackOwn ? new Int32Array(n) : null;
    let p = 0;
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      const sign = opSign(ops[i]!);
      env.stats.stateTouches++;
      // Join the change against the other side's current state.
      const from = p;
      while (p < pairs.n && probe[p] === i) p++;
      const degree = p === from ? 0 : this.joinMatches(s, row, sign, build, from, p, env, out);
      if (degrees) degrees[i] = degree;
      if (semiAnti && s === 0) {
        if ((this.joinKind === 'semi') === degree > 0) out.push(sign > 0 ? '+' : '-', row);
      } else if (this.preserves(s) && degree === 0)
        out.push(sign > 0 ? '+' : '-', this.padded(s, row));
    }
    pairs.shrink();
    this.apply(s, chunk, keys, degrees);
    if (this.ids?.compact()) this.renumberKeys();
    return out.build();
  }

  /**
   * Joins a change on side `s` with the other side's stored rows build[from..to) (its matches
   * by key, which the table lists newest first). They are taken oldest first, equal rows (of one
   * exact form) together, so each group gets one residual check and one degree transition, and
   * duplicates are emitted side by side. Returns the rows matched, residual condition included.
   */
  private joinMatches(
    s: 0 | 1,
    row: Row,
    sign: number,
    build: Int32Array,
    from: number,
    to: number,
    env: StreamEnv,
    out: ChunkBuilder,
  ): number {
    const group = this.group;
    group.length = 0;
    if (to - from === 1) {
      group.push(build[from]!);
      return this.joinGroup(s, row, sign, group, env, out);
    }
    const exact = this.sides[s === 0 ? 1 : 0].exact;
    let degree = 0;
    if (to - from > SMALL_GROUPING) {
      const groups = new Map<string, number[]>();
      for (let q = to - 1; q >= from; q--) {
        const r = build[q]!;
        const g = groups.get(exact[r]!);
        if (g) g.push(r);
        else groups.set(exact[r]!, [r]);
      }
      for (const g of groups.values()) degree += this.joinGroup(s, row, sign, g, env, out);
      return degree;
    }
    // Few matches: group by comparing, marking taken rows -1 in the (scratch) pair buffer.
    for (let q = to - 1; q >= from; q--) {
      const r = build[q]!;
      if (r < 0) continue;
      group.length = 0;
      group.push(r);
      const k = exact[r]!;
      for (let q2 = q - 1; q2 >= from; q2--) {
        const r2 = build[q2]!;
        if (r2 >= 0 && exact[r2] === k) {
          group.push(r2);
          build[q2] = -1;
        }
      }
      degree += this.joinGroup(s, row, sign, group, env, out);
    }
    return degree;
  }

  /** Joins a change with a group of equal stored rows of the other side (see joinMatches). */
  private joinGroup(
    s: 0 | 1,
    row: Row,
    sign: number,
    group: readonly number[],
    env: StreamEnv,
    out: ChunkBuilder,
  ): number {
    const o = s === 0 ? 1 : 0;
    const other = this.sides[o];
    const r0 = group[0]!;
    const otherRow = other.rows[r0]!;
    if (!this.matches(s, row, otherRow, env)) return 0;
    env.stats.stateTouches++;
    const count = group.length;
    const semiAnti = this.joinKind === 'semi' || this.joinKind === 'anti';
    if (semiAnti) {
      if (s === 1) {
        // A right row change moves left rows' degrees.
        const before = other.degree[r0]!;
        const after = before + sign;
        for (let g = 0; g < count; g++) other.degree[group[g]!] = after;
        const entering = before === 0 && after > 0;
        const leaving = before > 0 && after === 0;
        if (entering || leaving) {
          const op = entering === (this.joinKind === 'semi') ? '+' : '-';
          for (let c = 0; c < count; c++) out.push(op, otherRow);
        }
      }
      return count;
    }
    const op = sign > 0 ? '+' : '-';
    if (!this.tracksDegree(o)) {
      for (let c = 0; c < count; c++) out.push(op, this.combine(s, row, otherRow));
      return count;
    }
    const before = other.degree[r0]!;
    const after = before + sign;
    for (let g = 0; g < count; g++) other.degree[group[g]!] = after;
    // The other row's padded version appears/disappears as its first match comes/goes.
    if (before === 0 && after > 0)
      for (let c = 0; c < count; c++) out.push('-', this.padded(o, otherRow));
    for (let c = 0; c < count; c++) out.push(op, this.combine(s, row, otherRow));
    if (before > 0 && after === 0)
      for (let c = 0; c < count; c++) out.push('+', this.padded(o, otherRow));
    return count;
  }

  /**
   * Applies a chunk to side `s`'s state in chunk order. Inserted rows get the row numbers the
   * table will give them (it numbers appended rows consecutively), so a later row of the same
   * chunk may retract one of them; the table gets all inserts in one call, then the deletes.
   */
  private apply(s: 0 | 1, chunk: StreamChunk, keys: Keys, degrees: Int32Array | null): void {
    const side = this.sides[s];
    const rows = chunk.rows;
    const ops = chunk.ops;
    const n = rows.length;
    // Rows with a NULL key are kept only where they can be emitted unmatched.
    const keepNull = this.preserves(s) || (s === 0 && this.tracksDegree(0));
    const base = side.table.rows;
    let inserted = 0;
    const del: number[] = [];
    side.reserve(base + n);
    const halves = new Int32Array(keys.values.buffer, keys.values.byteOffset, 2 * n);
    const ids = keys.ids;
    for (let i = 0; i < n; i++) {
      const valid = isValidAt(keys.validity, i);
      if (!valid && !keepNull) continue;
      const row = rows[i]!;
      const rk = exactRowKey(row, this.rowTypes[s]);
      const list = side.byExact.get(rk);
      if (opSign(ops[i]!) > 0) {
        const r = base + inserted++;
        side.rows[r] = row;
        side.exact[r] = rk;
        side.keys32[2 * r] = halves[2 * i]!;
        side.keys32[2 * r + 1] = halves[2 * i + 1]!;
        side.valid[r] = valid ? 1 : 0;
        side.degree[r] = degrees ? degrees[i]! : 0;
        // One number for a row stored once (the common case), an array for duplicates.
        if (list === undefined) side.byExact.set(rk, r);
        else if (typeof list === 'number') side.byExact.set(rk, [list, r]);
        else list.push(r);
        side.live++;
        if (valid && ids) this.ref(ids[i]!, 1);
      } else {
        // Rows are told apart by their exact form, so a retraction finds the very row it retracts.
        let r: number | undefined;
        if (typeof list === 'number') {
          r = list;
          side.byExact.delete(rk);
        } else if (list) {
          r = list.pop()!;
          if (list.length === 1) side.byExact.set(rk, list[0]!);
        }
        if (r === undefined)
          throw new SqlError(
            SqlState.internalError,
            'stream state inconsistency in join: retracting a missing row',
          );
        side.rows[r] = undefined;
        side.exact[r] = '';
        side.live--;
        del.push(r);
        if (side.valid[r] && ids) this.ref(side.keys32[2 * r]!, -1);
      }
    }
    if (inserted > 0) {
      // The inserted rows' keys lie side by side in the key store.
      const m = inserted;
      let validity: Uint8Array | null = null;
      for (let j = 0; j < m; j++) {
        if (!side.valid[base + j]) validity = withNull(validity, m, j);
      }
      side.table.insert({ kind: 'fixed', values: side.keys.subarray(base, base + m), validity });
    }
    if (del.length > 0) side.table.delete(Int32Array.from(del));
    if (side.rows.length - side.live > Math.max(side.live, SLACK)) side.rebuild();
  }

  saveState(): OperatorState {
    const tables = this.sides.map((side, s) => {
      const rows: Row[] = [];
      const degrees: number[] = [];
      for (let r = 0; r < side.rows.length; r++) {
        const row = side.rows[r];
        if (row === undefined) continue;
        rows.push(row);
        degrees.push(side.degree[r]!);
      }
      return { types: [...this.rowTypes[s]!, T.int4], rows, extra: [degrees] };
    });
    return { meta: null, tables };
  }

  loadState(state: OperatorState, env: StreamEnv): void {
    for (const s of [0, 1] as const) {
      const saved = state.tables[s]!.rows;
      const width = this.rowTypes[s].length;
      const chunk = StreamChunk.inserts(saved.map((r) => r.slice(0, width)));
      const degrees = Int32Array.from(saved, (r) => r[width] as number);
      if (chunk.size > 0) this.apply(s, chunk, this.chunkKeys(chunk, s, env), degrees);
    }
    if (this.ids?.compact()) this.renumberKeys();
  }

  /** Counts a stored row in (+1) or out (-1) of its shared key id. */
  private ref(id: number, d: 1 | -1): void {
    const ids = this.ids!;
    const e = ids.get(id);
    if (e) {
      e.refs += d;
      if (e.refs === 0) ids.delete(id);
    } else ids.set(id, { refs: 1, id });
  }

  /** After the shared KeyIndex compacted: moves stored keys to the new ids, rebuilds both sides. */
  private renumberKeys(): void {
    const ids = this.ids!;
    const moved = new Map<number, number>();
    for (let g = 0; g < ids.tableSize; g++) {
      const e = ids.get(g);
      if (!e) continue;
      moved.set(e.id, g);
      e.id = g;
    }
    for (const side of this.sides) {
      const k32 = side.keys32;
      for (let r = 0; r < side.rows.length; r++)
        if (side.rows[r] !== undefined && side.valid[r]) k32[2 * r] = moved.get(k32[2 * r]!)!;
      side.rebuild();
    }
  }

  /** Per side: [live stored rows, rows the Wasm join table holds] (for memory-bound tests). */
  get keyTableSizes(): [number, number][] {
    return this.sides.map((side) => [side.live, side.table.rows]);
  }

  /** Ids the shared key index holds (0 for a lone integral key, which needs none). */
  get sharedKeyTableSize(): number {
    return this.ids?.tableSize ?? 0;
  }

  describe(): string {
    const eq = this.leftKeys.map(
      (l, i) => `${exprText(l, this.leftNames)} = ${exprText(this.rightKeys[i]!, this.rightNames)}`,
    );
    return `type: ${this.joinKind}${eq.length ? `, predicate: ${eq.join(' AND ')}` : ''}${this.condition ? `, condition: ${exprText(this.condition, this.names)}` : ''}`;
  }
}
