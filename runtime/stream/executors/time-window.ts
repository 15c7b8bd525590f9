/**
 * TimeWindowExecutor — TUMBLE/HOP window assignment, a row-wise map (one-to-many for HOP):
 * Δ(f) = f(Δ). Insert and delete keep their op; an update pair becomes delete/insert because HOP
 * may map its halves to different numbers of windows. Stateless.
 */
import type { ColumnSchema, PlanNode } from '../../plan/logical.js';
import type { Row } from '../../types/value.js';
import { assignWindows } from '../../exec/time-window.js';
import { exprText } from '../../plan/explain.js';
import type { StreamEnv, StreamExecutor } from '../executor.js';
import { ExpandExecutor } from './expand.js';

export class TimeWindowExecutor extends ExpandExecutor implements StreamExecutor {
  readonly name: string;
  readonly schema: ColumnSchema[];
  constructor(private readonly plan: Extract<PlanNode, { kind: 'timeWindow' }>) {
    super();
    this.name = plan.fn === 'tumble' ? 'StreamTumble' : 'StreamHop';
    this.schema = plan.schema;
  }

  protected expand(row: Row, env: StreamEnv): Row[] {
    return assignWindows(this.plan, [row], env);
  }

  describe(): string {
    const names = this.plan.input.schema.map((c) => c.name);
    return `time_col: ${exprText(this.plan.timeCol, names)}, size: ${exprText(this.plan.size, [])}${this.plan.slide ? `, slide: ${exprText(this.plan.slide, [])}` : ''}`;
  }
}
