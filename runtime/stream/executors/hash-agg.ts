/**
 * HashAggExecutor — incremental GROUP BY: Δ(γ) per group. Each input row is applied to its
 * group's accumulators with sign +1 (insert, U+) or -1 (delete, U-); every accumulator is
 * retractable (MIN/MAX keep the multiset of their inputs, so deleting the current extreme yields
 * the next one). After a chunk, each touched group emits its change: a new group `+`, a changed
 * one `U-`/`U+`, an emptied one `-`. Without GROUP BY there is exactly one group, which always
 * exists (`count(*)` of an empty input is a row with 0), so it is emitted at creation.
 *
 * DISTINCT aggregates count each distinct argument per group and apply it only on 0 ↔ 1
 * transitions. Aggregates with ORDER BY keep their (sort key, args) entries per group and
 * rebuild their accumulator from the sorted entries when the group changes.
 *
 * State per group: key values, row count, accumulators, distinct counters, ordered entries and
 * the last emitted output row. The group-key → group mapping is a Wasm hash table per grouping
 * set (KeyIndex): a chunk's keys go in one call (int64 values for a lone integer/date/timestamp
 * key, canonical key strings otherwise) and come back as ids indexing the groups' state.
 */
import type { AggCall, BoundExpr, ColumnSchema } from '../../plan/logical.js';
import type { Row, Value } from '../../types/value.js';
import type { Accumulator } from '../../expr/registry.js';
import { compiled, rowKey } from '../../exec/executor.js';
import { compareKeys, keyOrders } from '../../exec/sort.js';
import { exprText } from '../../plan/explain.js';
import { ChunkBuilder, opSign, type StreamChunk } from '../chunk.js';
import { exactRowKey } from '../multiset.js';
import {
  int64Keys,
  isInt64Key,
  KeyIndex,
  packedInt64Keys,
  type KeyBatch,
} from '../../kernels/key-index.js';
import type { StreamEnv, StreamExecutor } from '../executor.js';

interface OrderedEntry {
  sortKey: Value[];
  args: Value[];
  count: number;
}

interface Group {
  keys: Value[];
  /** The exact forms the group's key arrived in (1.0 and 1.00 are one group), with counts. */
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

  constructor(
    readonly groupKeys: BoundExpr[],
    readonly calls: AggCall[],
    groupingSets: number[][] | null,
    readonly schema: ColumnSchema[],
    private readonly inputNames: string[],
    /** Output each row's grouping-set index after the aggregates (for `grouping()`). */
    private readonly groupingSetColumn = false,
  ) {
    this.name = groupKeys.length > 0 || groupingSets ? 'StreamHashAgg' : 'StreamSimpleAgg';
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
      if (set.length > 0) return;
      const index = this.indexes[si]!;
      const id = index.assign({ kind: 'bytes', keys: [''] })[0]!;
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
    const row = [...g.keys, ...g.accs.map((a) => a.result())];
    if (this.groupingSetColumn) row.push(g.set);
    return row;
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    /** Touched groups with their grouping set and id (ids hold until the chunk ends). */
    const touched = new Map<Group, [number, number]>();
    const { ops, rows } = chunk;
    const n = rows.length;
    const allKeys: Value[][] = new Array<Value[]>(n);
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      allKeys[i] = this.keyFns.map((f) => f(row, env));
    }
    // Each grouping set's keys for the whole chunk, and their group ids in one Wasm call.
    const setKeys: Value[][][] = [];
    const setIds: Int32Array[] = [];
    this.sets.forEach((set, si) => {
      const keysOf =
        set.length === this.keyFns.length
          ? allKeys
          : allKeys.map((ks) => ks.map((v, k) => (set.includes(k) ? v : null)));
      setKeys.push(keysOf);
      const index = this.indexes[si]!;
      let batch: KeyBatch;
      if (index.mode === 'i64') {
        const c = set[0]!;
        batch = int64Keys(allKeys.map((ks) => ks[c]!));
      } else if (set.length > 1 && set.every((c) => isInt64Key(this.keyTypes[c]!))) {
        batch = packedInt64Keys(set.map((c) => allKeys.map((ks) => ks[c]!)));
      } else {
        const types = set.map((c) => this.keyTypes[c]!);
        batch = {
          kind: 'bytes',
          keys: allKeys.map((ks) =>
            rowKey(
              set.map((c) => ks[c]!),
              types,
            ),
          ),
        };
      }
      setIds.push(index.assign(batch));
    });
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      const sign = opSign(ops[i]!);
      this.sets.forEach((set, si) => {
        const keys = setKeys[si]![i]!;
        const id = setIds[si]![i]!;
        const index = this.indexes[si]!;
        env.stats.stateTouches++;
        let g = index.get(id);
        if (!g) {
          g = this.newGroup(keys, set.length === 0, si);
          index.set(id, g);
        }
        g.rowCount += sign;
        const form = exactRowKey(keys, this.keyTypes);
        const f = g.keyForms.get(form);
        const n = (f?.count ?? 0) + sign;
        if (n <= 0) g.keyForms.delete(form);
        else if (f) f.count = n;
        else g.keyForms.set(form, { keys, count: n });
        touched.set(g, [si, id]);
        this.aggs.forEach((a, ai) => {
          if (a.filter && a.filter(row, env) !== true) return;
          const args = a.args.map((f) => f(row, env));
          if (a.ignoreNulls && args.some((v) => v === null)) return;
          const dist = g!.distinct[ai];
          if (dist) {
            const k = rowKey(args, a.argTypes);
            const before = dist.get(k) ?? 0;
            const after = before + sign;
            if (after === 0) dist.delete(k);
            else dist.set(k, after);
            if (!((before === 0 && after === 1) || (before === 1 && after === 0))) return;
          }
          const ord = g!.ordered[ai];
          if (ord) {
            const sortKey = a.order.map((f) => f(row, env));
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
          g!.accs[ai]!.apply(args, sign);
        });
      });
    }
    const out = new ChunkBuilder();
    for (const [g, [si, id]] of touched) {
      this.aggs.forEach((a, ai) => {
        const ord = g.ordered[ai];
        if (!ord) return;
        const acc = a.call.fn.create();
        const entries = [...ord.values()].sort((x, y) =>
          compareKeys(x.sortKey, y.sortKey, a.orders),
        );
        for (const e of entries) for (let n = 0; n < e.count; n++) acc.apply(e.args, 1);
        g.accs[ai] = acc;
      });
      // The key is shown as a form still present: the one shown so far, if its rows remain.
      if (g.keyForms.size > 0 && !g.keyForms.has(exactRowKey(g.keys, this.keyTypes)))
        g.keys = g.keyForms.values().next().value!.keys;
      const next = g.rowCount > 0 || g.global ? this.outputRow(g) : null;
      const prev = g.output;
      if (prev && !next) out.push('-', prev);
      else if (!prev && next) out.push('+', next);
      else if (
        prev &&
        next &&
        exactRowKey(prev, this.outTypes) !== exactRowKey(next, this.outTypes)
      )
        out.update(prev, next);
      g.output = next;
      if (!next) this.indexes[si]!.delete(id);
    }
    for (const index of this.indexes) index.compact();
    return out.build();
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
