/**
 * TopNExecutor — `ORDER BY ... LIMIT n [OFFSET m]` per group (no group for a plain ORDER BY
 * LIMIT; the partition of `row_number() OVER (PARTITION BY ...) <= n`; the DISTINCT ON keys).
 * Insert/U+ add the row to its group, delete/U- remove it; afterwards every touched group's
 * new top rows are compared with the ones it emitted last, and the difference is emitted
 * (a row entering the top `+`, one leaving `-`; a row pushed out by an insert is the retraction
 * that refills from state on delete).
 *
 * State per group: all rows of the group (a multiset) and the top rows last emitted.
 * With `rankColumn`, the row's 1-based position is appended (for `row_number()` views).
 */
import type { BoundExpr, ColumnSchema, SortKey } from '../../plan/logical.js';
import type { Row } from '../../types/value.js';
import { compiled, rowKey } from '../../exec/executor.js';
import { compareKeys, keyOrders } from '../../exec/sort.js';
import { exprText } from '../../plan/explain.js';
import { ChunkBuilder, opSign, type StreamChunk } from '../chunk.js';
import type { StreamEnv, StreamExecutor } from '../executor.js';
import { RowMultiset, diffRows } from '../multiset.js';

interface Group {
  id: string;
  rows: RowMultiset;
  top: Row[];
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

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    const touched = new Set<Group>();
    chunk.rows.forEach((row, i) => {
      const gk = rowKey(this.groupFns.map((f) => f(row, env)), this.groupKeys.map((k) => k.type));
      env.stats.stateTouches++;
      let g = this.groups.get(gk);
      if (!g) {
        g = { id: gk, rows: new RowMultiset(this.inTypes), top: [] };
        this.groups.set(gk, g);
      }
      g.rows.add(row, opSign(chunk.ops[i]!));
      touched.add(g);
    });
    const out = new ChunkBuilder();
    for (const g of touched) {
      const next = this.computeTop(g, env);
      diffRows(g.top, next, this.outTypes, (op, r) => out.push(op, r));
      g.top = next;
      if (g.rows.size === 0) this.groups.delete(g.id);
    }
    return out.build();
  }

  private computeTop(g: Group, env: StreamEnv): Row[] {
    const all = g.rows.rows().map((r) => ({ r, k: this.orderFns.map((f) => f(r, env)), rk: rowKey(r, this.inTypes) }));
    env.stats.stateTouches += all.length;
    // Ties on the ORDER BY keys are broken by the whole row, so the choice is deterministic.
    all.sort((a, b) => compareKeys(a.k, b.k, this.orders) || (a.rk < b.rk ? -1 : a.rk > b.rk ? 1 : 0));
    let end = this.limit === null ? all.length : Math.min(all.length, this.offset + this.limit);
    if (this.withTies && this.limit !== null && this.limit > 0 && end > this.offset)
      while (end < all.length && compareKeys(all[end]!.k, all[end - 1]!.k, this.orders) === 0) end++;
    const top = all.slice(this.offset, end).map((x) => x.r);
    return this.rankColumn ? top.map((r, i) => [...r, BigInt(this.offset + i + 1)]) : top;
  }

  describe(): string {
    const order = this.order
      .map((o) => `${exprText(o.expr, this.inputNames)} ${o.desc ? 'DESC' : 'ASC'}`)
      .join(', ');
    return `${this.groupKeys.length ? `group_key: [${this.groupKeys.map((k) => exprText(k, this.inputNames)).join(', ')}], ` : ''}order: [${order}], limit: ${this.limit ?? 'ALL'}, offset: ${this.offset}${this.withTies ? ', with_ties' : ''}`;
  }
}
