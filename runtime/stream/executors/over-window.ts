/**
 * OverWindowExecutor — window functions (`f(...) OVER (PARTITION BY ... ORDER BY ...)`) kept
 * up to date per partition. Insert/U+ add a row to its partition and delete/U- remove it; each
 * touched partition is then re-evaluated and the difference between its previous and new output
 * rows (input row ++ window results) is emitted, so a change that shifts ranks or frames of
 * other rows retracts and re-inserts exactly those rows.
 *
 * State per partition: its input rows (a multiset) and its last output rows. Checkpoints save
 * the input rows with their counts; the output rows are evaluated again from them.
 */
import type { ColumnSchema, PlanNode, WindowCall } from '../../plan/logical.js';
import type { Row } from '../../types/value.js';
import { compiled } from '../../expr/eval.js';
import { rowKey } from '../../expr/keys.js';
import { runWindow } from '../../expr/window.js';
import { exprText, windowCallsText } from '../../plan/explain.js';
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
import { RowMultiset, diffRows } from '../multiset.js';

interface Partition {
  id: string;
  rows: RowMultiset;
  output: Row[];
}

export class OverWindowExecutor implements StreamExecutor {
  readonly name = 'StreamOverWindow';
  private readonly partitions = new Map<string, Partition>();
  private readonly partFns;
  private readonly partTypes;
  private readonly inTypes;
  private readonly outTypes;
  private readonly inputNames: string[];

  constructor(
    private readonly plan: Extract<PlanNode, { kind: 'window' }>,
    readonly schema: ColumnSchema[],
  ) {
    // Partition state by the keys shared by every call (all calls of one node share them when planned).
    const first: WindowCall = plan.calls[0]!;
    const shared = plan.calls.every(
      (c) =>
        c.partitionBy.length === first.partitionBy.length &&
        c.partitionBy.every((p, i) => exprText(p, []) === exprText(first.partitionBy[i]!, [])),
    );
    const keys = shared ? first.partitionBy : [];
    this.partitionColumns = keys.flatMap((k) => (k.kind === 'column' ? [k.index] : []));
    this.partFns = keys.map(compiled);
    this.partTypes = keys.map((k) => k.type);
    this.inTypes = plan.input.schema.map((c) => c.type);
    this.outTypes = schema.map((c) => c.type);
    this.inputNames = plan.input.schema.map((c) => c.name);
  }

  /** Input columns the partitions are keyed by as they are (watermarks can close these). */
  private readonly partitionColumns: number[];

  /**
   * Only partition columns carry watermarks: a row entering a partition changes the results
   * of rows of any age within it.
   */
  watermarkColumns(inputs: readonly ReadonlySet<number>[]): Set<number> {
    return new Set(this.partitionColumns.filter((c) => inputs[0]?.has(c)));
  }

  /** Partitions below the watermark get no more rows: their state is dropped, without output. */
  onWatermark(wm: Watermark): WatermarkOutput {
    if (!this.partitionColumns.includes(wm.column)) return { chunk: null, watermarks: [] };
    const type = this.inTypes[wm.column]!;
    for (const p of this.partitions.values()) {
      const first = p.rows.entries.values().next().value;
      if (first && below(first.row[wm.column]!, wm.value, type)) this.partitions.delete(p.id);
    }
    return { chunk: null, watermarks: [wm] };
  }

  /** Partitions holding state (for memory-bound tests). */
  get partitionCount(): number {
    return this.partitions.size;
  }

  private partitionOf(row: Row, env: StreamEnv): Partition {
    const id = rowKey(
      this.partFns.map((f) => f(row, env)),
      this.partTypes,
    );
    let p = this.partitions.get(id);
    if (!p) {
      p = { id, rows: new RowMultiset(this.inTypes), output: [] };
      this.partitions.set(id, p);
    }
    return p;
  }

  saveState(): OperatorState {
    const rows: Row[] = [];
    for (const p of this.partitions.values())
      for (const e of p.rows.entries.values()) rows.push([...e.row, BigInt(e.count)]);
    return { meta: null, tables: [{ types: [...this.inTypes, T.int8], rows }] };
  }

  loadState(state: OperatorState, env: StreamEnv): void {
    const n = this.inTypes.length;
    for (const saved of state.tables[0]!.rows) {
      const row = saved.slice(0, n);
      this.partitionOf(row, env).rows.add(row, Number(saved[n] as bigint));
    }
    for (const p of this.partitions.values()) p.output = runWindow(this.plan, p.rows.rows(), env);
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    const touched = new Set<Partition>();
    chunk.rows.forEach((row, i) => {
      env.stats.stateTouches++;
      const p = this.partitionOf(row, env);
      p.rows.add(row, opSign(chunk.ops[i]!));
      touched.add(p);
    });
    const out = new ChunkBuilder();
    for (const p of touched) {
      const rows = p.rows.rows();
      env.stats.stateTouches += rows.length;
      const next = runWindow(this.plan, rows, env);
      diffRows(p.output, next, this.outTypes, (op, r) => out.push(op, r));
      p.output = next;
      if (p.rows.size === 0) this.partitions.delete(p.id);
    }
    return out.build();
  }

  describe(): string {
    return `window_functions: [${windowCallsText(this.plan.calls, this.inputNames)}]`;
  }
}
