/**
 * HashAggExecutor — incremental GROUP BY: Δ(γ) per group. Each input row is applied to its
 * group's accumulators with sign +1 (insert, U+) or -1 (delete, U-); every accumulator is
 * retractable (MIN/MAX keep the multiset of their inputs, so deleting the current extreme yields
 * the next one). After a chunk, each touched group emits its change: a new group `+`, a changed
 * one `U-`/`U+`, an emptied one `-`. Without GROUP BY there is exactly one group, which always
 * exists (`count(*)` of an empty input is a row with 0), so it is emitted at creation.
 * `SELECT DISTINCT` and `UNION` are this executor keyed by every column with no aggregates: a
 * row is emitted when its group gets its first row and retracted when it loses its last.
 *
 * DISTINCT aggregates count each distinct argument per group and apply it only on 0 ↔ 1
 * transitions. Aggregates with ORDER BY keep their (sort key, args) entries per group and
 * rebuild their accumulator from the sorted entries when the group changes.
 *
 * State per group: key values, row count, accumulators, distinct counters, ordered entries and
 * the last emitted output row. The group-key → group mapping is a Wasm hash table per grouping
 * set (KeyIndex), whose ids index the groups' state.
 *
 * Every chunk is aggregated the same way, row chunks as Arrow columns with their ops as signs.
 * Its keys get their group ids in one Wasm call per grouping set: integral and text key columns
 * are read straight from Arrow (int64 values, UTF-8 bytes); keys of other types, and keys that
 * are expressions, as the canonical text of their values (equal values, equal texts). The
 * touched groups are numbered for the chunk, and the PartialAggregator kernels fold whole
 * columns into per-group partials — row counts; counts, sums and avgs of integers and numerics,
 * under FILTERs evaluated as Wasm selections — that are added to the accumulators; min/max of
 * integral values reach their multisets in sorted runs bucketed in Wasm. Aggregates with no
 * kernel (min/max of other types, float sums kept exact, string_agg, …), DISTINCT ones, and
 * values the kernels cannot represent (NaN or infinite numerics, a chunk sum beyond 128 bits)
 * get their column's decoded values one by one; aggregates of expressions, with ORDER BY, or
 * with FILTERs that have no columnar form are evaluated on the decoded rows.
 *
 * Checkpoints save one row per group: its keys, grouping set, row count, and as JSON its
 * accumulators' states, key forms, DISTINCT counters and ORDER BY entries. A restore files each
 * group under the id its key gets from the group table; output rows are derived.
 */
import type { AggCall, BoundExpr, ColumnSchema } from '../../plan/logical.js';
import type { Row, Value } from '../../types/value.js';
import { T, type DataType } from '../../types/datatype.js';
import type { Accumulator } from '../../expr/registry.js';
import { compiled } from '../../expr/eval.js';
import { compareKeys, keyOrders, rowKey } from '../../expr/keys.js';
import { exprText } from '../../plan/explain.js';
import { ChunkBuilder, type ColumnarForm, type StreamChunk } from '../chunk.js';
import {
  columnData,
  columnOf,
  compilePredicate,
  int64Values,
  selectedInt64,
  integralAt,
  isIntegral,
  isValidAt,
  validityOf,
  type SelectionFn,
} from '../columnar.js';
import { PartialAggregator } from '../../kernels/partial-agg.js';
import {
  columnsToRows,
  scaledIntsOf,
  valuesToColumn,
  uniformScale,
} from '../../storage/arrow-codec.js';
import { exactRowKey, hasWrittenForms, sameExactRow } from '../multiset.js';
import type { Data } from 'apache-arrow';
import { columnFromArrow, withNull, type KColumn } from '../../kernels/ops.js';
import { int64Keys, isInt64Key, KeyIndex } from '../../kernels/key-index.js';
import { valueKey } from '../../types/compare.js';
import type {
  OperatorState,
  StreamEnv,
  StreamExecutor,
  Watermark,
  WatermarkOutput,
} from '../executor.js';
import { below, monotoneColumn, valueAt, watermarkedExprs } from '../watermark.js';
import { decodeRow, encodeRow, type StateJson } from '../../types/state-value.js';

interface OrderedEntry {
  sortKey: Value[];
  args: Value[];
  count: number;
}

interface Group {
  keys: Value[];
  /**
   * The exact forms the group's inexact keys arrived in (1.0 and 1.00 are one group), with
   * counts, in the order the forms arrived.
   */
  keyForms: Map<string, { keys: Value[]; count: number }>;
  rowCount: number;
  accs: Accumulator[];
  distinct: (Map<string, number> | null)[];
  ordered: (Map<string, OrderedEntry> | null)[];
  output: Row | null;
  /** Always present (global aggregation / the empty grouping set). */
  global: boolean;
  /** Index of the group's grouping set. */
  set: number;
}

export class HashAggExecutor implements StreamExecutor {
  readonly name: string;
  /** Per grouping set: group key → group. */
  private readonly indexes: KeyIndex<Group>[];
  private readonly keyFns;
  private readonly keyTypes;
  private readonly aggs;
  private readonly sets: number[][];
  private readonly groupingSets: number[][] | null;
  private readonly outTypes;
  private readonly inputNames: string[];
  private readonly inputTypes: DataType[];
  /** Whether the empty grouping key's group always exists (it has aggregates to show). */
  private readonly globalGroup: boolean;

  constructor(
    readonly groupKeys: BoundExpr[],
    readonly calls: AggCall[],
    groupingSets: number[][] | null,
    readonly schema: ColumnSchema[],
    /** The input's columns. */
    private readonly input: ColumnSchema[],
    /** Output each row's grouping-set index after the aggregates (for `grouping()`). */
    private readonly groupingSetColumn = false,
  ) {
    this.inputNames = input.map((c) => c.name);
    this.inputTypes = input.map((c) => c.type);
    this.name =
      groupKeys.length > 0 || groupingSets || calls.length === 0
        ? 'StreamHashAgg'
        : 'StreamSimpleAgg';
    // Without aggregates (DISTINCT) the empty key is a group only while it has rows.
    this.globalGroup = calls.length > 0;
    this.keyFns = groupKeys.map(compiled);
    this.keyTypes = groupKeys.map((k) => k.type);
    this.sets = groupingSets ?? [groupKeys.map((_, i) => i)];
    this.groupingSets = groupingSets;
    this.indexes = this.sets.map(
      (set) =>
        new KeyIndex<Group>(
          set.length === 1 && isInt64Key(this.keyTypes[set[0]!]!) ? 'i64' : 'bytes',
        ),
    );
    this.outTypes = schema.map((c) => c.type);
    this.aggs = calls.map((c) => ({
      call: c,
      args: c.args.map(compiled),
      argTypes: c.args.map((a) => a.type),
      filter: c.filter ? compiled(c.filter) : null,
      order: c.orderBy.map((o) => compiled(o.expr)),
      orders: keyOrders(c.orderBy),
      ignoreNulls: c.fn.ignoreNulls !== false,
    }));
    this.plan = this.aggPlan();
    this.inexactKeys = this.sets.map((set) =>
      set.filter((k) => hasWrittenForms(this.keyTypes[k]!)),
    );
  }

  /** How chunks are aggregated: each key's source and each aggregate's kind. */
  private readonly plan: AggPlan;
  /** Per grouping set: its keys whose equal values can be written differently (see Group). */
  private readonly inexactKeys: number[][];
  private readonly partial = new PartialAggregator();
  /** Chunk-local group number + 1 per group id (zeroed again after each chunk). */
  private localOf = new Int32Array(64);
  /** Per-chunk work arrays, reused from chunk to chunk. */
  private readonly scratch = new Scratch();

  private aggPlan(): AggPlan {
    const keys = this.groupKeys.map((k): PlanKey => {
      const col = columnOf(k);
      // Text keys are equal exactly when their UTF-8 bytes are; integral ones as int64s.
      const text = k.type.kind === 'text' || k.type.kind === 'varchar';
      if (col !== null && (text || isIntegral(k.type)))
        return { col, direct: text ? 'text' : 'int' };
      return { col, direct: null };
    });
    const aggs = this.aggs.map((a): PlanAgg => {
      const call = a.call;
      const filter = call.filter ? compilePredicate(call.filter) : null;
      const arg = call.args[0];
      const col = arg ? columnOf(arg) : null;
      // Sort keys, expression arguments and FILTERs without a columnar form need the rows.
      if (
        call.orderBy.length > 0 ||
        (call.filter && !filter) ||
        (arg && col === null) ||
        call.args.length > 1
      )
        return { kind: 'rows', col: null, filter: null };
      const t = arg?.type;
      // DISTINCT passes each argument on only at its first arrival and last departure.
      if (call.distinct) return { kind: arg ? 'values' : 'rows', col, filter };
      // avg of exact values is their exact sum over their count: the same partials as sum.
      const sumLike = call.name === 'sum' || call.name === 'avg';
      let kind: PlanAgg['kind'];
      if (call.name === 'count') kind = 'count';
      else if (sumLike && t && ['int2', 'int4', 'int8'].includes(t.kind)) kind = 'sumInt';
      else if (sumLike && t?.kind === 'numeric') kind = 'sumDecimal';
      else if ((call.name === 'min' || call.name === 'max') && t && isIntegral(t)) kind = 'minmax';
      // Any other aggregate of one column: its values are decoded and applied one by one.
      else kind = arg ? 'values' : 'rows';
      return { kind, col, filter };
    });
    return { keys, aggs };
  }

  private newGroup(keys: Value[], global: boolean, set: number): Group {
    return {
      keys,
      keyForms: new Map(),
      rowCount: 0,
      accs: this.aggs.map((a) => a.call.fn.create()),
      distinct: this.aggs.map((a) => (a.call.distinct ? new Map() : null)),
      ordered: this.aggs.map((a) => (a.order.length > 0 ? new Map() : null)),
      output: null,
      global,
      set,
    };
  }

  /** Global groups exist before any input arrives. */
  initial(env: StreamEnv): StreamChunk | null {
    const out = new ChunkBuilder();
    this.sets.forEach((set, si) => {
      if (set.length > 0 || !this.globalGroup) return;
      const index = this.indexes[si]!;
      const id = globalId(index);
      const g = this.newGroup(
        this.keyFns.map(() => null),
        true,
        si,
      );
      index.set(id, g);
      g.output = this.outputRow(g);
      out.push('+', g.output);
    });
    void env;
    return out.build();
  }

  private outputRow(g: Group): Row {
    const nk = g.keys.length;
    const accs = g.accs;
    const row = new Array<Value>(nk + accs.length + (this.groupingSetColumn ? 1 : 0));
    for (let i = 0; i < nk; i++) row[i] = g.keys[i]!;
    for (let i = 0; i < accs.length; i++) row[nk + i] = accs[i]!.result();
    if (this.groupingSetColumn) row[nk + accs.length] = g.set;
    return row;
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    // Row chunks are aggregated as Arrow columns too, with their ops as signs.
    const f = chunk.toColumnar(this.inputTypes);
    const m = f.sel ? f.sel.length : f.length;
    if (m === 0) return null;
    let rows: readonly (Row | undefined)[] | null = null;
    const c: ChunkState = {
      f,
      m,
      env,
      rowsOf: () => (rows ??= batchRows(chunk)),
      keys: [],
      aggSel: this.plan.aggs.map((a) => (a.filter ? a.filter(f, f.sel) : null)),
      values: new Map(),
    };
    c.keys = this.chunkKeys(c);
    const groups: Group[] = [];
    const ids: number[] = [];
    for (let si = 0; si < this.sets.length; si++) this.aggregateSet(si, c, groups, ids);
    return this.emit(groups, ids);
  }

  /** The chunk's group keys, for its selected rows (see ChunkKey). */
  private chunkKeys(c: ChunkState): ChunkKey[] {
    const { f, m } = c;
    const sel = f.sel;
    return this.plan.keys.map((k, ki) => {
      if (k.direct !== null) {
        const d = columnData(f, k.col!);
        const col = k.direct === 'text' ? utf8Column(d, sel) : int64Column(d, sel);
        return { col, data: d, values: null };
      }
      // Expressions and other types: values per selected row, keyed by their canonical form.
      const values = new Array<Value>(m);
      if (k.col !== null) {
        const all = this.columnValuesOf(c, k.col);
        for (let j = 0; j < m; j++) values[j] = all[sel ? sel[j]! : j]!;
      } else {
        const rows = c.rowsOf();
        const fn = this.keyFns[ki]!;
        for (let j = 0; j < m; j++) values[j] = fn(rows[sel ? sel[j]! : j]!, c.env);
      }
      return { col: keyColumnOf(values, this.keyTypes[ki]!), data: null, values };
    });
  }

  saveState(): OperatorState {
    const rows: Row[] = [];
    for (const index of this.indexes)
      for (const g of index.entries()) {
        const state: { [k: string]: StateJson } = { a: g.accs.map((acc) => acc.save()) };
        if (g.keyForms.size > 0)
          state.f = [...g.keyForms].map(([k, e]) => [k, encodeRow(e.keys), e.count]);
        if (g.distinct.some((d) => d)) state.d = g.distinct.map((d) => (d ? [...d] : null));
        if (g.ordered.some((o) => o))
          state.o = g.ordered.map((o) =>
            o
              ? [...o].map(([k, e]) => [k, encodeRow(e.sortKey), encodeRow(e.args), e.count])
              : null,
          );
        rows.push([...g.keys, g.set, BigInt(g.rowCount), JSON.stringify(state)]);
      }
    return { meta: null, tables: [{ types: [...this.keyTypes, T.int4, T.int8, T.text], rows }] };
  }

  loadState(saved: OperatorState): void {
    const nk = this.keyTypes.length;
    const bySet = this.sets.map((): Row[] => []);
    for (const row of saved.tables[0]!.rows) bySet[row[nk] as number]!.push(row);
    bySet.forEach((rows, si) => {
      if (rows.length === 0) return;
      const set = this.sets[si]!;
      const index = this.indexes[si]!;
      // The group ids come from the same key encoding a chunk's keys get.
      let ids: Int32Array;
      if (set.length === 0) ids = new Int32Array(rows.length).fill(globalId(index));
      else {
        const cols = set.map((k) =>
          keyColumnOf(
            rows.map((r) => r[k]!),
            this.keyTypes[k]!,
          ),
        );
        ids =
          index.mode === 'i64'
            ? index.assign({
                kind: 'i64',
                values: (cols[0] as KColumn & { kind: 'fixed' }).values as BigInt64Array,
                validity: cols[0]!.validity ?? null,
              })
            : index.assign({ kind: 'cols', cols });
      }
      rows.forEach((row, r) => {
        const g = this.newGroup(row.slice(0, nk), set.length === 0 && this.globalGroup, si);
        g.rowCount = Number(row[nk + 1] as bigint);
        const state = JSON.parse(row[nk + 2] as string) as {
          a: StateJson[];
          f?: [string, StateJson, number][];
          d?: ([string, number][] | null)[];
          o?: ([string, StateJson, StateJson, number][] | null)[];
        };
        state.a.forEach((acc, ai) => g.accs[ai]!.load(acc));
        for (const [k, keys, count] of state.f ?? [])
          g.keyForms.set(k, { keys: decodeRow(keys), count });
        state.d?.forEach((d, ai) => {
          if (d) g.distinct[ai] = new Map(d);
        });
        state.o?.forEach((o, ai) => {
          if (o)
            g.ordered[ai] = new Map(
              o.map(([k, sortKey, args, count]) => [
                k,
                { sortKey: decodeRow(sortKey), args: decodeRow(args), count },
              ]),
            );
        });
        g.output = this.outputRow(g);
        index.set(ids[r]!, g);
      });
    });
  }

  /** A column's decoded values by batch row, decoded once per chunk. */
  private columnValuesOf(c: ChunkState, col: number): Value[] {
    let v = c.values.get(col);
    if (!v) {
      v = columnValues(columnData(c.f, col), c.f.types[col]!);
      c.values.set(col, v);
    }
    return v;
  }

  /**
   * Aggregates the chunk into grouping set `si` (see the file comment), adding the touched
   * groups and their ids to `groups` and `groupIds`.
   */
  private aggregateSet(si: number, c: ChunkState, outGroups: Group[], outIds: number[]): void {
    const { f, m, env, keys } = c;
    const plan = this.plan;
    const n = f.length;
    const sel = f.sel;
    const set = this.sets[si]!;
    const index = this.indexes[si]!;
    const scratch = this.scratch;
    // Keys of the chunk's rows → group ids, in one Wasm call.
    let ids: Int32Array;
    if (set.length === 0) {
      // The empty grouping key: every row is in the one global group.
      ids = scratch.i32('ids', m).fill(globalId(index));
    } else if (index.mode === 'i64') {
      const k = keys[set[0]!]!.col as KColumn & { kind: 'fixed' };
      ids = index.assign({
        kind: 'i64',
        values: k.values as BigInt64Array,
        validity: k.validity ?? null,
      });
    } else ids = index.assign({ kind: 'cols', cols: set.map((k) => keys[k]!.col) });
    // Number the touched groups for this chunk; give each batch row its group and weight.
    if (this.localOf.length < index.tableSize) {
      let cap = this.localOf.length;
      while (cap < index.tableSize) cap *= 2;
      this.localOf = new Int32Array(cap);
    }
    const localOf = this.localOf;
    const groups: Group[] = [];
    const groupIds: number[] = [];
    const gids = scratch.i32('gids', n, true);
    const w = scratch.i8('w', n, true);
    const signs = f.signs;
    for (let j = 0; j < m; j++) {
      const i = sel ? sel[j]! : j;
      const id = ids[j]!;
      let l = localOf[id]! - 1;
      if (l < 0) {
        l = groups.length;
        localOf[id] = l + 1;
        // (A closure here would capture i and j, costing an allocation per row.)
        const g = index.get(id) ?? this.keyedGroup(si, id, keys, i, j);
        groups.push(g);
        groupIds.push(id);
      }
      gids[i] = l;
      w[i] = signs ? signs[i]! : 1;
    }
    for (const id of groupIds) localOf[id] = 0;
    const inexact = this.inexactKeys[si]!;
    if (inexact.length > 0) this.countKeyForms(groups, gids, w, keys, inexact, sel, m);
    const partial = this.partial;
    partial.begin(gids, groups.length);
    const rowCounts = partial.count(w, null);
    for (let l = 0; l < groups.length; l++) groups[l]!.rowCount += rowCounts[l]!;
    env.stats.stateTouches += m;
    for (let ai = 0; ai < plan.aggs.length; ai++) {
      const a = plan.aggs[ai]!;
      let wa = w;
      const s = c.aggSel[ai];
      if (s) {
        wa = scratch.i8('wa', n, true);
        for (let j = 0; j < s.length; j++) wa[s[j]!] = w[s[j]!]!;
      }
      if (a.kind === 'rows') this.applyRows(c, ai, groups, gids, w);
      else if (a.kind === 'values' || !this.foldPartials(c, a, ai, groups, gids, wa))
        // Also where the kernels refuse the chunk's values (NaN or infinite numerics, a sum
        // beyond 128 bits): the aggregate then takes them value by value.
        this.applyValues(c, a.col!, ai, groups, gids, wa);
    }
    for (let l = 0; l < groups.length; l++) {
      outGroups.push(groups[l]!);
      outIds.push(groupIds[l]!);
    }
  }

  /**
   * Folds aggregate `ai`'s per-group partials from the kernels into the groups' accumulators;
   * false, before any accumulator changed, when the kernels cannot represent the values.
   */
  private foldPartials(
    c: ChunkState,
    a: PlanAgg,
    ai: number,
    groups: Group[],
    gids: Int32Array,
    wa: Int8Array,
  ): boolean {
    const partial = this.partial;
    const n = c.f.length;
    const d = a.col === null ? null : columnData(c.f, a.col);
    const validity = d ? validityOf(d) : null;
    let r: AggPartial;
    if (a.kind === 'count') r = { counts: partial.count(wa, validity) };
    else if (a.kind === 'sumInt') {
      const sums = partial.sumInt(wa, int64Values(d!), validity);
      if (!sums) return false;
      r = { counts: partial.count(wa, validity), sums, scale: 0 };
    } else if (a.kind === 'sumDecimal') {
      const counts = partial.count(wa, validity);
      const scale = uniformScale(d!);
      const scaled = scale === undefined ? undefined : scaledIntsOf(d!);
      if (scaled) {
        // Values known as scaled int64s: summed without parsing their text.
        const sums = partial.sumInt(wa, scaled, validity);
        if (!sums) return false;
        r = { counts, sums, scale, scales: uniformScales(scale!, counts) };
      } else {
        const offsets = (d!.valueOffsets as Int32Array).subarray(d!.offset, d!.offset + n + 1);
        const data = d!.values as Uint8Array;
        const s = partial.sumDecimal(wa, offsets, data, validity);
        if (!s) return false;
        r = {
          counts,
          sums: s.sums,
          scale: s.scale,
          scales:
            scale === undefined
              ? displayScales(wa, gids, offsets, data, validity, groups.length)
              : uniformScales(scale, counts),
        };
      }
    } else {
      // min/max: inserted values are bucketed by group in Wasm and join each group's multiset
      // as one ascending run; a chunk with deletes or values beyond 2^53 goes value by value.
      const b = partial.bucketInt64(wa, int64Values(d!), validity);
      if (!b) return false;
      appendSortedRuns(b.values, b.starts, groups, ai);
      return true;
    }
    for (let l = 0; l < groups.length; l++) {
      const rows = r.counts[l]!;
      const sum = r.sums ? r.sums[l]! : 0n;
      const scales = r.scales?.(l);
      if (rows === 0 && sum === 0n && !scales) continue;
      groups[l]!.accs[ai]!.addBatch!(rows, sum, r.scale ?? 0, scales ?? EMPTY_SCALES);
    }
    return true;
  }

  /**
   * Applies aggregate `ai` to column `col`'s decoded values one by one, in batch-row order (as
   * the rows arrived); NULLs only where the aggregate takes them.
   */
  private applyValues(
    c: ChunkState,
    col: number,
    ai: number,
    groups: Group[],
    gids: Int32Array,
    wa: Int8Array,
  ): void {
    const values = this.columnValuesOf(c, col);
    const skipNulls = this.aggs[ai]!.ignoreNulls;
    for (let i = 0; i < wa.length; i++) {
      if (wa[i] === 0) continue;
      const v = values[i]!;
      if (v === null && skipNulls) continue;
      // A fresh argument list: accumulators such as array_agg may keep it.
      this.applyArgs(groups[gids[i]!]!, ai, [v], wa[i]! < 0 ? -1 : 1, undefined, c.env);
    }
  }

  /** Aggregate `ai` with its FILTER, arguments (and sort keys) evaluated on the decoded rows. */
  private applyRows(
    c: ChunkState,
    ai: number,
    groups: Group[],
    gids: Int32Array,
    w: Int8Array,
  ): void {
    const ag = this.aggs[ai]!;
    const rows = c.rowsOf();
    for (let i = 0; i < w.length; i++) {
      if (w[i] === 0) continue;
      const row = rows[i]!;
      if (ag.filter && ag.filter(row, c.env) !== true) continue;
      const args = ag.args.map((fn) => fn(row, c.env));
      if (ag.ignoreNulls && args.some((v) => v === null)) continue;
      this.applyArgs(groups[gids[i]!]!, ai, args, w[i]! < 0 ? -1 : 1, row, c.env);
    }
  }

  /**
   * One input row's arguments for aggregate `ai` of group g: DISTINCT counts them and passes
   * on only 0 ↔ 1 transitions; ORDER BY keeps them as an entry under the row's sort key.
   */
  private applyArgs(
    g: Group,
    ai: number,
    args: Value[],
    sign: 1 | -1,
    row: Row | undefined,
    env: StreamEnv,
  ): void {
    const dist = g.distinct[ai];
    const a = this.aggs[ai]!;
    if (dist) {
      const k = rowKey(args, a.argTypes);
      const before = dist.get(k) ?? 0;
      const after = before + sign;
      if (after === 0) dist.delete(k);
      else dist.set(k, after);
      if (!((before === 0 && after === 1) || (before === 1 && after === 0))) return;
    }
    const ord = g.ordered[ai];
    if (ord) {
      const sortKey = a.order.map((fn) => fn(row!, env));
      const k = rowKey(
        [...sortKey, ...args],
        [...a.call.orderBy.map((o) => o.expr.type), ...a.argTypes],
      );
      const e = ord.get(k);
      const count = (e?.count ?? 0) + sign;
      if (count <= 0) ord.delete(k);
      else if (e) e.count = count;
      else ord.set(k, { sortKey, args, count });
      return;
    }
    g.accs[ai]!.apply(args, sign);
  }

  /**
   * Signed counts of the exact forms the inexact keys (numeric 1.0 and 1.00, …) arrive in, per
   * group, so a group shows a form that its rows still have.
   */
  private countKeyForms(
    groups: Group[],
    gids: Int32Array,
    w: Int8Array,
    keys: ChunkKey[],
    inexact: number[],
    sel: Int32Array | null,
    m: number,
  ): void {
    for (let j = 0; j < m; j++) {
      const i = sel ? sel[j]! : j;
      const g = groups[gids[i]!]!;
      const form = g.keys.slice();
      for (const k of inexact) form[k] = keys[k]!.values![j]!;
      const fk = exactRowKey(form, this.keyTypes);
      const e = g.keyForms.get(fk);
      const count = (e?.count ?? 0) + w[i]!;
      if (count <= 0) g.keyForms.delete(fk);
      else if (e) e.count = count;
      else g.keyForms.set(fk, { keys: form, count });
    }
  }

  /** A new group of set `si` for the key of batch row i (selected row j). */
  private keyedGroup(si: number, id: number, keys: ChunkKey[], i: number, j: number): Group {
    const set = this.sets[si]!;
    const vals = this.keyFns.map((): Value => null);
    for (const k of set) vals[k] = keyValue(keys[k]!, i, j);
    const g = this.newGroup(vals, set.length === 0 && this.globalGroup, si);
    this.indexes[si]!.set(id, g);
    return g;
  }

  /** Emits the changes of the touched groups' output rows (`ids[i]` is `groups[i]`'s id). */
  private emit(groups: Group[], ids: number[]): StreamChunk | null {
    const out = new ChunkBuilder();
    const hasOrdered = this.aggs.some((a) => a.order.length > 0);
    for (let t = 0; t < groups.length; t++) {
      const g = groups[t]!;
      if (hasOrdered) this.rebuildOrdered(g);
      // The key is shown in the form present longest (a form whose rows all left, even for an
      // update, counts as new when it comes back), as a scan of the table would meet them.
      if (g.keyForms.size > 0) g.keys = g.keyForms.values().next().value!.keys;
      const next = g.rowCount > 0 || g.global ? this.outputRow(g) : null;
      const prev = g.output;
      if (prev && !next) out.push('-', prev);
      else if (!prev && next) out.push('+', next);
      else if (prev && next && !sameExactRow(prev, next, this.outTypes)) out.update(prev, next);
      g.output = next;
      if (!next) this.indexes[g.set]!.delete(ids[t]!);
    }
    for (const index of this.indexes) index.compact();
    return out.build();
  }

  /** Aggregates with ORDER BY: the accumulator is rebuilt from the group's sorted entries. */
  private rebuildOrdered(g: Group): void {
    this.aggs.forEach((a, ai) => {
      const ord = g.ordered[ai];
      if (!ord) return;
      const acc = a.call.fn.create();
      const entries = [...ord.values()].sort((x, y) => compareKeys(x.sortKey, y.sortKey, a.orders));
      for (const e of entries) for (let n = 0; n < e.count; n++) acc.apply(e.args, 1);
      g.accs[ai] = acc;
    });
  }

  /**
   * A group key monotone in a watermarked input column carries its watermark: later input
   * rows only reach groups at or above it.
   */
  watermarkColumns(inputs: readonly ReadonlySet<number>[]): Set<number> {
    if (this.groupingSets) return new Set();
    return watermarkedExprs(this.groupKeys, inputs[0] ?? new Set());
  }

  /**
   * Groups whose key lies below the watermark can get no more rows: their state is dropped,
   * without output (their rows stay in the view).
   */
  onWatermark(wm: Watermark, _port: number, env: StreamEnv): WatermarkOutput {
    const watermarks: Watermark[] = [];
    this.groupKeys.forEach((k, i) => {
      if (this.groupingSets || monotoneColumn(k) !== wm.column) return;
      const value = valueAt(k, wm.column, wm.value, env);
      if (value === null) return;
      const type = this.keyTypes[i]!;
      for (const index of this.indexes) {
        index.deleteWhere((g) => below(g.keys[i]!, value, type));
        index.compact();
      }
      watermarks.push({ column: i, value });
    });
    return { chunk: null, watermarks };
  }

  /** Number of groups held (for tests of incremental work). */
  get groupCount(): number {
    return this.indexes.reduce((n, ix) => n + ix.size, 0);
  }

  /** Keys the Wasm group tables hold, live or awaiting compaction (for memory-bound tests). */
  get keyTableSize(): number {
    return this.indexes.reduce((n, ix) => n + ix.tableSize, 0);
  }

  describe(): string {
    const aggs = this.calls.map(
      (a) =>
        `${a.name}(${a.distinct ? 'DISTINCT ' : ''}${a.star ? '*' : a.args.map((x) => exprText(x, this.inputNames)).join(', ')}${a.orderBy.length ? ` ORDER BY ${a.orderBy.map((o) => `${exprText(o.expr, this.inputNames)}${o.desc ? ' DESC' : ''}`).join(', ')}` : ''})${a.filter ? ` FILTER (WHERE ${exprText(a.filter, this.inputNames)})` : ''}`,
    );
    const sets = this.groupingSets
      ? `, grouping_sets: [${this.groupingSets.map((s) => `[${s.map((i) => exprText(this.groupKeys[i]!, this.inputNames)).join(', ')}]`).join(', ')}]`
      : '';
    return `${this.groupKeys.length ? `group_key: [${this.groupKeys.map((k) => exprText(k, this.inputNames)).join(', ')}], ` : ''}aggs: [${aggs.join(', ')}]${sets}`;
  }
}

interface PlanAgg {
  kind: 'count' | 'sumInt' | 'sumDecimal' | 'minmax' | 'values' | 'rows';
  /** Argument column (null for count(*) and for aggregates of expressions). */
  col: number | null;
  /** The FILTER as a selection; null without one, and for 'rows' (evaluated per row). */
  filter: SelectionFn | null;
}

/**
 * A group key's source: an integral or text input column read straight from Arrow ('int',
 * 'text'), or values (of a column of another type, or of an expression) keyed by their
 * canonical text.
 */
interface PlanKey {
  col: number | null;
  direct: 'int' | 'text' | null;
}

interface AggPlan {
  keys: PlanKey[];
  aggs: PlanAgg[];
}

/** A group key for a chunk's selected rows, as a key column for the Wasm key tables. */
interface ChunkKey {
  col: KColumn;
  /** The Arrow column the key is read from (direct keys). */
  data: Data | null;
  /** The values, by selected row (other keys). */
  values: Value[] | null;
}

/** What one chunk's aggregation shares between grouping sets. */
interface ChunkState {
  f: ColumnarForm;
  /** Selected rows. */
  m: number;
  env: StreamEnv;
  /** The chunk's rows by batch row (decoded on demand; unselected rows may be missing). */
  rowsOf: () => readonly (Row | undefined)[];
  keys: ChunkKey[];
  /** Each aggregate's FILTER as a selection of batch rows (null: no columnar FILTER). */
  aggSel: (Int32Array | null)[];
  /** Decoded column values by column. */
  values: Map<number, Value[]>;
}

/** Key k's value at batch row i (selected row j). */
function keyValue(k: ChunkKey, i: number, j: number): Value {
  if (k.values) return k.values[j]!;
  const c = k.col;
  if (!isValidAt(c.validity ?? null, j)) return null;
  if (c.kind !== 'utf8') return integralAt(k.data!, i);
  return UTF8.decode(c.data.subarray(c.offsets[j]!, c.offsets[j + 1]!));
}

/**
 * A value's canonical key text (equal values, equal texts), made valid UTF-8: a text with a
 * lone surrogate, or one starting with U+0000, is written as U+0000 and its JSON string form.
 */
function canonicalText(v: Value, t: DataType): string {
  const s = valueKey(v, t);
  return SURROGATE.test(s) || s.startsWith('\0') ? `\0${JSON.stringify(s)}` : s;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** One aggregate's per-group partials for a chunk. */
interface AggPartial {
  counts: Int32Array;
  sums?: bigint[];
  scale?: number;
  scales?: (group: number) => ReadonlyMap<number, number> | undefined;
}

const EMPTY_SCALES: ReadonlyMap<number, number> = new Map();

/** Typed work arrays by name, grown as needed and handed out as views of the first `n`. */
class Scratch {
  private readonly bufs = new Map<string, Int32Array | Int8Array | Float64Array>();
  private get<T extends Int32Array | Int8Array | Float64Array>(
    name: string,
    n: number,
    zero: boolean,
    make: (n: number) => T,
  ): T {
    let b = this.bufs.get(name) as T | undefined;
    if (!b || b.length < n) {
      b = make(Math.max(n, 2 * (b?.length ?? 0), 16));
      this.bufs.set(name, b);
    }
    const v = b.subarray(0, n) as T;
    if (zero) v.fill(0);
    return v;
  }
  i32(name: string, n: number, zero = false): Int32Array {
    return this.get(name, n, zero, (k) => new Int32Array(k));
  }
  i8(name: string, n: number, zero = false): Int8Array {
    return this.get(name, n, zero, (k) => new Int8Array(k));
  }
  f64(name: string, n: number, zero = false): Float64Array {
    return this.get(name, n, zero, (k) => new Float64Array(k));
  }
}

/**
 * Inserts each group's values `values[starts[l] .. starts[l + 1])` into aggregate `ai` of group
 * l as one ascending run (sorting it first when it is not).
 */
function appendSortedRuns(
  sorted: Float64Array,
  starts: Int32Array,
  groups: Group[],
  ai: number,
): void {
  const arg: Value[] = [null];
  for (let l = 0; l < groups.length; l++) {
    const from = starts[l]!;
    const to = starts[l + 1]!;
    if (from === to) continue;
    let ascending = true;
    for (let j = from + 1; j < to && ascending; j++)
      if (sorted[j]! < sorted[j - 1]!) ascending = false;
    if (!ascending) sorted.subarray(from, to).sort();
    const acc = groups[l]!.accs[ai]!;
    if (acc.appendRun?.(sorted, from, to)) continue;
    for (let j = from; j < to; j++) {
      arg[0] = sorted[j]!;
      acc.apply(arg, 1);
    }
  }
}

/** Display-scale counts of a column with one scale: each group's count of non-NULL rows. */
function uniformScales(
  scale: number,
  counts: Int32Array,
): (group: number) => ReadonlyMap<number, number> | undefined {
  // One map, refilled for each group as it is read (addBatch does not keep it).
  const one = new Map<number, number>();
  return (g) => {
    if (counts[g] === 0) return undefined;
    one.clear();
    one.set(scale, counts[g]!);
    return one;
  };
}

/**
 * Signed counts of the display scales (digits after the point) of numeric text values, per
 * group: sum(numeric) shows the largest scale among its current inputs.
 */
function displayScales(
  weights: Int8Array,
  gids: Int32Array,
  offsets: Int32Array,
  data: Uint8Array,
  validity: Uint8Array | null,
  groups: number,
): (group: number) => ReadonlyMap<number, number> | undefined {
  const out = new Array<Map<number, number> | undefined>(groups);
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w === 0 || !isValidAt(validity, i)) continue;
    const s = offsets[i]!;
    const e = offsets[i + 1]!;
    let scale = 0;
    for (let p = e - 1; p >= s; p--)
      if (data[p] === 46) {
        scale = e - p - 1;
        break;
      }
    const g = gids[i]!;
    const map = (out[g] ??= new Map());
    const c = (map.get(scale) ?? 0) + w;
    if (c === 0) map.delete(scale);
    else map.set(scale, c);
  }
  return (g) => out[g];
}

const UTF8 = new TextDecoder();

/** An integral key column as int64s for the chunk's rows (gathered when there is a selection). */
function int64Column(d: Data, sel: Int32Array | null): KColumn {
  return { kind: 'fixed', ...selectedInt64(d, sel) };
}

/** A text key column's UTF-8 for the chunk's rows (gathered when there is a selection). */
function utf8Column(d: Data, sel: Int32Array | null): KColumn {
  const offsets = (d.valueOffsets as Int32Array).subarray(d.offset, d.offset + d.length + 1);
  const data = d.values as Uint8Array;
  const validity = validityOf(d);
  if (!sel) return { kind: 'utf8', offsets, data, validity };
  const m = sel.length;
  const outOffsets = new Int32Array(m + 1);
  let bytes = 0;
  for (let j = 0; j < m; j++) bytes += offsets[sel[j]! + 1]! - offsets[sel[j]!]!;
  const out = new Uint8Array(Math.max(bytes, 1));
  let valid: Uint8Array | null = null;
  let at = 0;
  for (let j = 0; j < m; j++) {
    const i = sel[j]!;
    out.set(data.subarray(offsets[i]!, offsets[i + 1]!), at);
    at += offsets[i + 1]! - offsets[i]!;
    outOffsets[j + 1] = at;
    if (validity && !isValidAt(validity, i)) valid = withNull(valid, m, j);
  }
  return { kind: 'utf8', offsets: outOffsets, data: out, validity: valid };
}

/** Text values (null = NULL) as a UTF-8 key column, encoded as Arrow storage encodes them. */
function encodeUtf8Column(vals: readonly (string | null)[]): KColumn {
  return columnFromArrow(valuesToColumn(T.text, vals));
}

/**
 * A group key column from its values: int64 for integral types, UTF-8 for text, and the
 * canonical text of anything else — the same keys Arrow columns of those types give.
 */
function keyColumnOf(values: readonly Value[], t: DataType): KColumn {
  if (isInt64Key(t)) {
    const b = int64Keys(values);
    return { kind: 'fixed', values: b.values, validity: b.validity };
  }
  if (t.kind === 'text' || t.kind === 'varchar')
    return encodeUtf8Column(values as (string | null)[]);
  return encodeUtf8Column(values.map((v) => (v === null ? null : canonicalText(v, t))));
}

/** The id of the one group of the empty grouping key (global aggregation). */
function globalId(index: KeyIndex<Group>): number {
  return index.assign({ kind: 'bytes', keys: [''] })[0]!;
}

/** A column's values as Sluice represents them, one per batch row. */
function columnValues(d: Data, t: DataType): Value[] {
  return columnsToRows([d], [t], d.length).map((r) => r[0]!);
}

/** A chunk's rows indexed by batch row: row i of a columnar chunk's Arrow columns. */
function batchRows(chunk: StreamChunk): readonly (Row | undefined)[] {
  const f = chunk.columnar;
  if (!f?.sel) return chunk.rows;
  const out = new Array<Row | undefined>(f.length);
  const rows = chunk.rows;
  for (let j = 0; j < f.sel.length; j++) out[f.sel[j]!] = rows[j];
  return out;
}
