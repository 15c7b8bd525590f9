/**
 * SessionWindowExecutor — window functions over SESSION frames (`f(...) OVER (PARTITION BY k
 * ORDER BY t SESSION WITH GAP g)`, and the SESSION table function, which is bound to such calls),
 * kept up to date one session range at a time instead of one partition at a time.
 *
 * Insert/U+ add a row to its partition and delete/U- remove it; an update's two halves are
 * applied the same way, so an update that moves a row in time is a removal from one place and
 * an addition at another. Afterwards, for each ORDER BY value that changed, the executor finds
 * the smallest run of values around it that is bounded, before and after, by a distance of at
 * least the gap between neighbouring values — counting both the values present before the
 * change and those present after it. Such a bound separates sessions in the old state and in
 * the new one, so the run holds whole sessions either way: an insert that bridges two sessions
 * re-evaluates both, a delete that splits one re-evaluates it, and every other session of the
 * partition is left alone. The run's rows are evaluated again and the difference between their
 * previous and new output rows (input row ++ window results) is emitted.
 *
 * Planned only when every call's result depends on its session alone: aggregates and
 * first_value/last_value/nth_value, all with SESSION frames over one shared PARTITION BY and
 * ORDER BY. Ranking functions and lag/lead, which see the whole partition, stay with
 * OverWindowExecutor.
 *
 * State per partition: its distinct ORDER BY values in sort order, each with its input rows (a
 * multiset) and its last output rows. Checkpoints save the input rows with their counts; the
 * output rows are evaluated again from them.
 */
import type { ColumnSchema, PlanNode, WindowCall } from '../../plan/logical.js';
import type { Row, Value } from '../../types/value.js';
import { compiled } from '../../expr/eval.js';
import { compareKeys, keyOrders, rowKey, type KeyOrder } from '../../expr/keys.js';
import { runWindow, sessionLink } from '../../expr/window.js';
import { exprText, windowCallsText } from '../../plan/explain.js';
import { ChunkBuilder, opSign, type StreamChunk } from '../chunk.js';
import type { OperatorState, StreamEnv, StreamExecutor } from '../executor.js';
import { T } from '../../types/datatype.js';
import { RowMultiset, diffRows } from '../multiset.js';

type WindowPlan = Extract<PlanNode, { kind: 'window' }>;

/** One ORDER BY value of a partition: its rows and the output rows last emitted for them. */
interface Group {
  key: Value;
  rows: RowMultiset;
  output: Row[];
}

interface Partition {
  id: string;
  /** Sorted by ORDER BY value, in the window's sort order. */
  groups: Group[];
}

/** Calls whose value for a row depends only on the rows of its session. */
const SESSION_LOCAL = new Set(['first_value', 'last_value', 'nth_value']);

export class SessionWindowExecutor implements StreamExecutor {
  readonly name = 'StreamSessionWindow';
  private readonly partitions = new Map<string, Partition>();
  private readonly partFns;
  private readonly partTypes;
  private readonly orderFn;
  private readonly orders: KeyOrder[];
  private readonly inTypes;
  private readonly outTypes;
  private readonly inputNames: string[];
  /** Whether two neighbouring ORDER BY values share a session under some call (gaps are constant). */
  private link: ((prev: Value, cur: Value) => boolean) | null = null;

  /** Whether every call of the window node can be maintained session by session. */
  static applies(plan: WindowPlan): boolean {
    const first = plan.calls[0];
    if (!first || first.orderBy.length !== 1) return false;
    const text = (c: WindowCall): string =>
      [
        ...c.partitionBy.map((p) => exprText(p, [])),
        '|',
        ...c.orderBy.map((o) => `${exprText(o.expr, [])} ${o.desc} ${o.nullsFirst}`),
      ].join(',');
    const shape = text(first);
    return plan.calls.every(
      (c) =>
        c.frame.units === 'session' &&
        c.frame.exclude === 'noOthers' &&
        (c.agg !== null || SESSION_LOCAL.has(c.name)) &&
        text(c) === shape,
    );
  }

  constructor(
    private readonly plan: WindowPlan,
    readonly schema: ColumnSchema[],
  ) {
    const first = plan.calls[0]!;
    this.partFns = first.partitionBy.map(compiled);
    this.partTypes = first.partitionBy.map((k) => k.type);
    this.orderFn = compiled(first.orderBy[0]!.expr);
    this.orders = keyOrders(first.orderBy);
    this.inTypes = plan.input.schema.map((c) => c.type);
    this.outTypes = schema.map((c) => c.type);
    this.inputNames = plan.input.schema.map((c) => c.name);
  }

  private linked(env: StreamEnv): (prev: Value, cur: Value) => boolean {
    if (!this.link) {
      const links = this.plan.calls.map((c) => sessionLink(c, env));
      this.link = links.length === 1 ? links[0]! : (a, b) => links.some((l) => l(a, b));
    }
    return this.link;
  }

  private partitionOf(row: Row, env: StreamEnv): Partition {
    const id = rowKey(
      this.partFns.map((f) => f(row, env)),
      this.partTypes,
    );
    let p = this.partitions.get(id);
    if (!p) {
      p = { id, groups: [] };
      this.partitions.set(id, p);
    }
    return p;
  }

  /** Where `key` is in the sorted groups of `p`, or where it would go: [index, found]. */
  private search(p: Partition, key: Value): [number, boolean] {
    const gs = p.groups;
    let lo = 0;
    let hi = gs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = compareKeys([gs[mid]!.key], [key], this.orders);
      if (c === 0) return [mid, true];
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return [lo, false];
  }

  /** The group of `key` in `p`, created in its sorted place when missing. */
  private groupOf(p: Partition, key: Value): Group {
    const [at, found] = this.search(p, key);
    if (found) return p.groups[at]!;
    const g: Group = { key, rows: new RowMultiset(this.inTypes), output: [] };
    p.groups.splice(at, 0, g);
    return g;
  }

  /**
   * Evaluates the groups `lo..hi` of `p` (whole sessions) again: emits the difference from
   * their last output into `out` (when given) and keeps the new output.
   */
  private evaluate(
    p: Partition,
    lo: number,
    hi: number,
    env: StreamEnv,
    out: ChunkBuilder | null,
  ): void {
    const rows: Row[] = [];
    const before: Row[] = [];
    const sizes: number[] = [];
    for (let i = lo; i <= hi; i++) {
      const g = p.groups[i]!;
      const rs = g.rows.rows();
      sizes.push(rs.length);
      for (const r of rs) rows.push(r);
      for (const r of g.output) before.push(r);
    }
    env.stats.stateTouches += rows.length;
    const next = runWindow(this.plan, rows, env);
    if (out) diffRows(before, next, this.outTypes, (op, r) => out.push(op, r));
    let at = 0;
    for (let i = lo; i <= hi; i++) {
      const n = sizes[i - lo]!;
      p.groups[i]!.output = next.slice(at, at + n);
      at += n;
    }
  }

  saveState(): OperatorState {
    const rows: Row[] = [];
    for (const p of this.partitions.values())
      for (const g of p.groups)
        for (const e of g.rows.entries.values()) rows.push([...e.row, BigInt(e.count)]);
    return { meta: null, tables: [{ types: [...this.inTypes, T.int8], rows }] };
  }

  loadState(state: OperatorState, env: StreamEnv): void {
    const n = this.inTypes.length;
    for (const saved of state.tables[0]!.rows) {
      const row = saved.slice(0, n);
      const p = this.partitionOf(row, env);
      this.groupOf(p, this.orderFn(row, env)).rows.add(row, Number(saved[n] as bigint));
    }
    for (const p of this.partitions.values())
      if (p.groups.length) this.evaluate(p, 0, p.groups.length - 1, env, null);
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    const touched = new Map<Partition, Set<Group>>();
    chunk.rows.forEach((row, i) => {
      env.stats.stateTouches++;
      const p = this.partitionOf(row, env);
      const g = this.groupOf(p, this.orderFn(row, env));
      g.rows.add(row, opSign(chunk.ops[i]!));
      let set = touched.get(p);
      if (!set) touched.set(p, (set = new Set()));
      set.add(g);
    });
    const link = this.linked(env);
    const out = new ChunkBuilder();
    for (const [p, changed] of touched) {
      // Groups emptied by this chunk are still listed: their values bound the runs as well.
      const gs = p.groups;
      const at = [...changed].map((g) => this.search(p, g.key)[0]).sort((a, b) => a - b);
      let done = -1;
      for (const i of at) {
        if (i <= done) continue;
        let lo = i;
        while (lo > 0 && link(gs[lo - 1]!.key, gs[lo]!.key)) lo--;
        let hi = i;
        while (hi + 1 < gs.length && link(gs[hi]!.key, gs[hi + 1]!.key)) hi++;
        this.evaluate(p, lo, hi, env, out);
        done = hi;
      }
      if ([...changed].some((g) => g.rows.size === 0)) p.groups = gs.filter((g) => g.rows.size > 0);
      if (p.groups.length === 0) this.partitions.delete(p.id);
    }
    return out.build();
  }

  describe(): string {
    return `window_functions: [${windowCallsText(this.plan.calls, this.inputNames)}]`;
  }
}
