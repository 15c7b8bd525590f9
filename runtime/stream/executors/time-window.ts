/**
 * TimeWindowExecutor — TUMBLE/HOP window assignment, a row-wise map (one-to-many for HOP):
 * Δ(f) = f(Δ). Insert and delete keep their op; an update pair becomes delete/insert because HOP
 * may map its halves to different numbers of windows. Stateless. On a columnar chunk, TUMBLE
 * over a timestamp column runs the Wasm window kernel over the whole column and appends the
 * window_start/window_end columns; selection and signs carry over unchanged.
 */
import type { ColumnSchema, PlanNode } from '../../plan/logical.js';
import type { Row } from '../../types/value.js';
import { Int64, makeData } from 'apache-arrow';
import { assignWindows, firstOpenWindowStart, windowParams } from '../../expr/time-window.js';
import { sharedKernels } from '../../kernels/key-index.js';
import { WindowAssigner } from '../../kernels/misc.js';
import { StreamChunk } from '../chunk.js';
import { columnData, int64Values, validityOf, withColumns } from '../columnar.js';
import { exprText } from '../../plan/explain.js';
import type { StreamEnv, StreamExecutor, Watermark, WatermarkOutput } from '../executor.js';
import { monotoneColumn, valueAt } from '../watermark.js';
import { ExpandExecutor } from './expand.js';

export class TimeWindowExecutor extends ExpandExecutor implements StreamExecutor {
  readonly name: string;
  readonly schema: ColumnSchema[];
  constructor(private readonly plan: Extract<PlanNode, { kind: 'timeWindow' }>) {
    super();
    this.name = plan.fn === 'tumble' ? 'StreamTumble' : 'StreamHop';
    this.schema = plan.schema;
  }

  override process(chunk: StreamChunk, port: number, env: StreamEnv): StreamChunk | null {
    const f = chunk.columnar;
    const col = this.plan.timeCol.kind === 'column' ? this.plan.timeCol.index : null;
    const t = this.plan.timeCol.type.kind;
    if (
      !f ||
      this.plan.fn !== 'tumble' ||
      col === null ||
      (t !== 'timestamp' && t !== 'timestamptz')
    )
      return super.process(chunk, port, env);
    env.stats.rowsIn += chunk.size;
    const { size, offset } = windowParams(this.plan, env);
    const d = columnData(f, col);
    const validity = validityOf(d);
    const { starts, ends } = this.windows.tumbleBounds(int64Values(d), validity, size, offset);
    const n = d.length;
    const nullCount = validity ? d.nullCount : 0;
    const bitmap = validity ?? undefined;
    const startData = makeData({
      type: new Int64(),
      length: n,
      nullCount,
      nullBitmap: bitmap,
      data: starts,
    });
    const endData = makeData({
      type: new Int64(),
      length: n,
      nullCount,
      nullBitmap: bitmap,
      data: ends,
    });
    return StreamChunk.fromColumns(
      withColumns(
        f,
        this.schema.map((c) => c.type),
        [...f.columns, startData, endData],
      ),
    );
  }

  private readonly windows = new WindowAssigner(sharedKernels());

  protected expand(row: Row, env: StreamEnv): Row[] {
    return assignWindows(this.plan, [row], env);
  }

  /** The input columns pass theirs on; window_start and window_end follow the time column's. */
  watermarkColumns(inputs: readonly ReadonlySet<number>[]): Set<number> {
    const out = new Set(inputs[0]);
    const col = monotoneColumn(this.plan.timeCol);
    const n = this.plan.input.schema.length;
    if (col !== null && inputs[0]?.has(col)) out.add(n).add(n + 1);
    return out;
  }

  onWatermark(wm: Watermark, _port: number, env: StreamEnv): WatermarkOutput {
    const watermarks = [wm];
    if (monotoneColumn(this.plan.timeCol) === wm.column) {
      const t = valueAt(this.plan.timeCol, wm.column, wm.value, env);
      if (t !== null) {
        const start = firstOpenWindowStart(this.plan, t as bigint | number, env);
        const { size } = windowParams(this.plan, env);
        const n = this.plan.input.schema.length;
        watermarks.push({ column: n, value: start }, { column: n + 1, value: start + size });
      }
    }
    return { chunk: null, watermarks };
  }

  describe(): string {
    const names = this.plan.input.schema.map((c) => c.name);
    return `time_col: ${exprText(this.plan.timeCol, names)}, size: ${exprText(this.plan.size, [])}${this.plan.slide ? `, slide: ${exprText(this.plan.slide, [])}` : ''}`;
  }
}
