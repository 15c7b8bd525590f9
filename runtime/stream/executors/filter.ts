/**
 * FilterExecutor — Δ(σ) = σ(Δ): keeps changed rows that satisfy the predicate.
 * Insert/delete pass when the row passes. An update pair U-/U+ stays a pair when both halves
 * pass, becomes a delete when only the old row passes and an insert when only the new one does.
 * Stateless. On a columnar chunk, a predicate with a columnar form runs as a Wasm selection
 * kernel and only narrows the chunk's selection: no column is copied.
 */
import type { BoundExpr, ColumnSchema } from '../../plan/logical.js';
import { compiled } from '../../expr/eval.js';
import { exprText } from '../../plan/explain.js';
import { ChunkBuilder, StreamChunk } from '../chunk.js';
import { compilePredicate, type SelectionFn } from '../columnar.js';
import type { StreamEnv, StreamExecutor } from '../executor.js';
import { passOn, sameColumns } from '../watermark.js';

export class FilterExecutor implements StreamExecutor {
  readonly name = 'StreamFilter';
  private readonly pred;
  constructor(
    readonly predicate: BoundExpr,
    readonly schema: ColumnSchema[],
    private readonly inputNames: string[],
  ) {
    this.pred = compiled(predicate);
    this.columnar = compilePredicate(predicate);
  }

  private readonly columnar: SelectionFn | null;

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    const f = chunk.columnar;
    if (f && this.columnar) {
      const sel = this.columnar(f, f.sel);
      return sel.length === 0 ? null : StreamChunk.fromColumns({ ...f, sel });
    }
    const out = new ChunkBuilder();
    const { ops, rows } = chunk;
    for (let i = 0; i < rows.length; i++) {
      const op = ops[i]!;
      const row = rows[i]!;
      if (op === 'U-' && ops[i + 1] === 'U+') {
        const next = rows[i + 1]!;
        const a = this.pred(row, env) === true;
        const b = this.pred(next, env) === true;
        if (a && b) out.update(row, next);
        else if (a) out.push('-', row);
        else if (b) out.push('+', next);
        i++;
        continue;
      }
      if (this.pred(row, env) === true) out.push(op === 'U-' ? '-' : op === 'U+' ? '+' : op, row);
    }
    return out.build();
  }

  watermarkColumns = sameColumns;
  onWatermark = passOn;

  describe(): string {
    return `predicate: ${exprText(this.predicate, this.inputNames)}`;
  }
}
