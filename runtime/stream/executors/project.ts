/**
 * ProjectExecutor — Δ(π) = π(Δ): maps each changed row through the projection.
 * Insert, delete, U- and U+ keep their op. Stateless.
 */
import type { BoundExpr, ColumnSchema } from '../../plan/logical.js';
import { compiled } from '../../exec/executor.js';
import { exprText } from '../../plan/explain.js';
import { StreamChunk } from '../chunk.js';
import type { StreamEnv, StreamExecutor } from '../executor.js';

export class ProjectExecutor implements StreamExecutor {
  readonly name = 'StreamProject';
  private readonly fns;
  constructor(
    readonly exprs: BoundExpr[],
    readonly schema: ColumnSchema[],
    private readonly inputNames: string[],
  ) {
    this.fns = exprs.map(compiled);
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk {
    env.stats.rowsIn += chunk.size;
    return new StreamChunk(
      chunk.ops,
      chunk.rows.map((r) => this.fns.map((f) => f(r, env))),
    );
  }

  describe(): string {
    return `exprs: [${this.exprs.map((e) => exprText(e, this.inputNames)).join(', ')}]`;
  }
}
