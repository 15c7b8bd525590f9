/**
 * ValuesExecutor — a constant relation (VALUES, or a table function of constants such as
 * `generate_series(1, 10)`): its rows are emitted once, as inserts, when the view is created.
 * It has no inputs; state: none.
 */
import type { ColumnSchema, PlanNode } from '../../plan/logical.js';
import { StreamChunk } from '../chunk.js';
import type { StreamEnv, StreamExecutor } from '../executor.js';

export class ValuesExecutor implements StreamExecutor {
  readonly name = 'StreamValues';
  readonly schema: ColumnSchema[];
  constructor(private readonly plan: PlanNode) {
    this.schema = plan.schema;
  }

  initial(env: StreamEnv): StreamChunk | null {
    const rows = env.runPlan(this.plan, env);
    return rows.length ? StreamChunk.inserts(rows) : null;
  }

  process(chunk: StreamChunk): StreamChunk {
    return chunk;
  }

  describe(): string {
    return `rows: ${this.plan.kind}`;
  }
}
