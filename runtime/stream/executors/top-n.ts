/**
 * TopNExecutor — `ORDER BY ... LIMIT n [OFFSET m]` per group (no group for a plain ORDER BY
 * LIMIT; the partition of `row_number() OVER (PARTITION BY ...) <= n`; the DISTINCT ON keys).
 * Insert/U+ add the row to its group, delete/U- remove it; afterwards every touched group's
 * new top rows are compared with the ones it emitted last, and the difference is emitted
 * (a row entering the top `+`, one leaving `-`; a row pushed out by an insert is the retraction
 * that refills from state on delete).
 *
 * State per group: its rows in ORDER BY order (a sorted array with counts, ties broken by the
 * whole row so the choice is deterministic) and the top rows last emitted. A change costs a
 * binary search plus reading the first offset + limit rows, not the whole group.
 * With `rankColumn`, the row's 1-based position is appended (for `row_number()` views).
 * Checkpoints save every group's rows in order with their counts; the top rows are derived.
 */
import type { BoundExpr, ColumnSchema, SortKey } from '../../plan/logical.js';
import type { Row, Value } from '../../types/value.js';
import { compiled } from '../../expr/eval.js';
import { compareKeys, keyOrders, rowKey } from '../../expr/keys.js';
import { exprText } from '../../plan/explain.js';
import { ChunkBuilder, opSign, type StreamChunk } from '../chunk.js';
import type {
  OperatorState,
  StreamEnv,
  StreamExecutor,
  Watermark,
  WatermarkOutput,
} from '../executor.js';
import { below } from '../watermark.js';
import { T } from '../../types/datatype.js';
import { diffRows, exactRowKey } from '../multiset.js';
import { SqlError, SqlState } from '../../errors.js';

interface Entry {
  row: Row;
  /** ORDER BY values. */
  k: Value[];
  /** Equality key, then exact key, of the whole row: the tie-breakers. */
  eq: string;
  exact: string;
  count: number;
}

interface Group {
  id: string;
  sorted: Entry[];
  byExact: Map<string, Entry>;
  top: Row[];
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class TopNExecutor implements StreamExecutor {
  readonly name: string;
  private readonly groups = new Map<string, Group>();
  private readonly groupFns;
  private readonly orderFns;
  private readonly orders;
  private readonly inTypes;
  private readonly outTypes;

  constructor(
    readonly groupKeys: BoundExpr[],
    readonly order: SortKey[],
    readonly limit: number | null,
    readonly offset: number,
    readonly withTies: boolean,
    /** Append the row number within the group as an int8 column. */
    readonly rankColumn: boolean,
    inputSchema: ColumnSchema[],
    readonly schema: ColumnSchema[],
  ) {
    this.name = groupKeys.length > 0 ? 'StreamGroupTopN' : 'StreamTopN';
    this.groupFns = groupKeys.map(compiled);
    this.orderFns = order.map((o) => compiled(o.expr));
    this.orders = keyOrders(order);
    this.inTypes = inputSchema.map((c) => c.type);
    this.outTypes = schema.map((c) => c.type);
    this.inputNames = inputSchema.map((c) => c.name);
  }
  private readonly inputNames: string[];

  private groupOf(row: Row, env: StreamEnv): Group {
    const gk = rowKey(
      this.groupFns.map((f) => f(row, env)),
      this.groupKeys.map((k) => k.type),
    );
    let g = this.groups.get(gk);
    if (!g) {
      g = { id: gk, sorted: [], byExact: new Map(), top: [] };
      this.groups.set(gk, g);
    }
    return g;
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    const touched = new Set<Group>();
    chunk.rows.forEach((row, i) => {
      env.stats.stateTouches++;
      const g = this.groupOf(row, env);
      this.apply(g, row, opSign(chunk.ops[i]!), env);
      touched.add(g);
    });
    const out = new ChunkBuilder();
    for (const g of touched) {
      const next = this.computeTop(g, env);
      diffRows(g.top, next, this.outTypes, (op, r) => out.push(op, r));
      g.top = next;
      if (g.sorted.length === 0) this.groups.delete(g.id);
    }
    return out.build();
  }

  /**
   * Only partition columns carry watermarks: a row entering a partition can push out rows
   * of any age within it, so other columns' values are not bounded.
   */
  watermarkColumns(inputs: readonly ReadonlySet<number>[]): Set<number> {
    const out = new Set<number>();
    for (const k of this.groupKeys)
      if (k.kind === 'column' && inputs[0]?.has(k.index)) out.add(k.index);
    return out;
  }

  /** Partitions below the watermark get no more rows: their state is dropped, without output. */
  onWatermark(wm: Watermark): WatermarkOutput {
    if (!this.groupKeys.some((k) => k.kind === 'column' && k.index === wm.column))
      return { chunk: null, watermarks: [] };
    const type = this.inTypes[wm.column]!;
    for (const g of this.groups.values())
      if (below(g.sorted[0]!.row[wm.column]!, wm.value, type)) this.groups.delete(g.id);
    return { chunk: null, watermarks: [wm] };
  }

  private compare(a: Entry, b: Entry): number {
    return compareKeys(a.k, b.k, this.orders) || cmpStr(a.eq, b.eq) || cmpStr(a.exact, b.exact);
  }

  saveState(): OperatorState {
    const rows: Row[] = [];
    for (const g of this.groups.values())
      for (const e of g.sorted) rows.push([...e.row, BigInt(e.count)]);
    return { meta: null, tables: [{ types: [...this.inTypes, T.int8], rows }] };
  }

  loadState(state: OperatorState, env: StreamEnv): void {
    const n = this.inTypes.length;
    // Saved group by group, each in order: appending keeps every group sorted.
    for (const saved of state.tables[0]!.rows) {
      const row = saved.slice(0, n);
      const g = this.groupOf(row, env);
      const exact = exactRowKey(row, this.inTypes);
      const entry: Entry = {
        row,
        k: this.orderFns.map((f) => f(row, env)),
        eq: rowKey(row, this.inTypes),
        exact,
        count: Number(saved[n] as bigint),
      };
      g.sorted.push(entry);
      g.byExact.set(exact, entry);
    }
    for (const g of this.groups.values()) g.top = this.computeTop(g, env);
  }

  /** Position of `e` in the sorted rows, or where it would go. */
  private position(g: Group, e: Entry): number {
    let lo = 0;
    let hi = g.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(g.sorted[mid]!, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private apply(g: Group, row: Row, sign: number, env: StreamEnv): void {
    const exact = exactRowKey(row, this.inTypes);
    const e = g.byExact.get(exact);
    if (e) {
      e.count += sign;
      if (e.count === 0) {
        g.sorted.splice(this.position(g, e), 1);
        g.byExact.delete(exact);
      }
      return;
    }
    if (sign < 0)
      throw new SqlError(
        SqlState.internalError,
        'stream state inconsistency in top-n: retracting a missing row',
      );
    const entry: Entry = {
      row,
      k: this.orderFns.map((f) => f(row, env)),
      eq: rowKey(row, this.inTypes),
      exact,
      count: sign,
    };
    g.sorted.splice(this.position(g, entry), 0, entry);
    g.byExact.set(exact, entry);
  }

  /** The group's rows from `offset` to `offset + limit` (plus ties), reading only those. */
  private computeTop(g: Group, env: StreamEnv): Row[] {
    const end = this.limit === null ? Infinity : this.offset + this.limit;
    const ties = this.withTies && this.limit !== null && this.limit > 0;
    const rows: Row[] = [];
    let last: Entry | null = null;
    for (const e of g.sorted) {
      if (
        rows.length >= end &&
        !(ties && rows.length > this.offset && last && compareKeys(e.k, last.k, this.orders) === 0)
      )
        break;
      env.stats.stateTouches++;
      for (let n = 0; n < e.count && (rows.length < end || ties); n++) rows.push(e.row);
      last = e;
    }
    const top = rows.slice(this.offset);
    return this.rankColumn ? top.map((r, i) => [...r, BigInt(this.offset + i + 1)]) : top;
  }

  describe(): string {
    const order = this.order
      .map((o) => `${exprText(o.expr, this.inputNames)} ${o.desc ? 'DESC' : 'ASC'}`)
      .join(', ');
    return `${this.groupKeys.length ? `group_key: [${this.groupKeys.map((k) => exprText(k, this.inputNames)).join(', ')}], ` : ''}order: [${order}], limit: ${this.limit ?? 'ALL'}, offset: ${this.offset}${this.withTies ? ', with_ties' : ''}`;
  }
}
