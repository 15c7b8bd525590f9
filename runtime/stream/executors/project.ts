/**
 * ProjectExecutor — Δ(π) = π(Δ): maps each changed row through the projection.
 * Insert, delete, U- and U+ keep their op. Stateless. On a columnar chunk, a projection of
 * plain columns picks the Arrow columns without touching rows.
 */
import type { BoundExpr, ColumnSchema } from '../../plan/logical.js';
import { compiled } from '../../expr/eval.js';
import { exprText } from '../../plan/explain.js';
import { StreamChunk } from '../chunk.js';
import { columnData, withColumns } from '../columnar.js';
import type { StreamEnv, StreamExecutor, Watermark, WatermarkOutput } from '../executor.js';
import { watermarkedExprs, watermarksThrough } from '../watermark.js';

export class ProjectExecutor implements StreamExecutor {
  readonly name = 'StreamProject';
  private readonly fns;
  constructor(
    readonly exprs: BoundExpr[],
    readonly schema: ColumnSchema[],
    private readonly inputNames: string[],
  ) {
    this.fns = exprs.map(compiled);
    const cols = exprs.map((e) => (e.kind === 'column' ? e.index : null));
    this.columns = cols.every((c) => c !== null) ? (cols as number[]) : null;
    this.identity = this.columns?.every((c, i) => c === i) === true;
  }

  /** Outputs every input column in order (a rename): chunks pass through unchanged. */
  private identity = false;

  /** Input column of each output column, when every expression is a plain column. */
  private readonly columns: number[] | null;

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk {
    env.stats.rowsIn += chunk.size;
    if (
      this.identity &&
      chunk.size > 0 &&
      (chunk.columnar?.types.length ?? chunk.rows[0]!.length) === this.exprs.length
    )
      return chunk;
    const f = chunk.columnar;
    if (f && this.columns)
      return StreamChunk.fromColumns(
        withColumns(
          f,
          this.schema.map((c) => c.type),
          this.columns.map((c) => columnData(f, c)),
        ),
      );
    return new StreamChunk(
      chunk.ops,
      chunk.rows.map((r) => this.fns.map((f) => f(r, env))),
    );
  }

  watermarkColumns(inputs: readonly ReadonlySet<number>[]): Set<number> {
    return watermarkedExprs(this.exprs, inputs[0] ?? new Set());
  }

  onWatermark(wm: Watermark, _port: number, env: StreamEnv): WatermarkOutput {
    return { chunk: null, watermarks: watermarksThrough(this.exprs, wm, env) };
  }

  describe(): string {
    return `exprs: [${this.exprs.map((e) => exprText(e, this.inputNames)).join(', ')}]`;
  }
}
