/**
 * ProjectSetExecutor — set-returning functions in a select list (`SELECT generate_series(1, n)`),
 * a row-wise one-to-many map: Δ(f) = f(Δ). Insert and delete keep their op; an update pair
 * becomes delete/insert, as its halves may yield different numbers of rows. Stateless.
 */
import type { ColumnSchema, PlanNode } from '../../plan/logical.js';
import type { Row } from '../../types/value.js';
import { runProjectSet } from '../../expr/project-set.js';
import { exprText } from '../../plan/explain.js';
import type { StreamEnv, StreamExecutor } from '../executor.js';
import { ExpandExecutor } from './expand.js';
import { passOn, sameColumns } from '../watermark.js';

export class ProjectSetExecutor extends ExpandExecutor implements StreamExecutor {
  readonly name = 'StreamProjectSet';
  readonly schema: ColumnSchema[];
  constructor(private readonly plan: Extract<PlanNode, { kind: 'projectSet' }>) {
    super();
    this.schema = plan.schema;
  }

  protected expand(row: Row, env: StreamEnv): Row[] {
    return runProjectSet(this.plan, [row], env);
  }

  /** Each output row starts with its input row: the input's watermarks pass. */
  watermarkColumns = sameColumns;
  onWatermark = passOn;

  describe(): string {
    const names = this.plan.input.schema.map((c) => c.name);
    return `calls: [${this.plan.calls.map((c) => `${c.name}(${c.args.map((a) => exprText(a, names)).join(', ')})`).join(', ')}]`;
  }
}
