/**
 * NowSeriesExecutor — `generate_series(start, stop, step)` (or `range`) in FROM whose stop
 * reads the clock (`generate_series(ts0, now(), interval '1 second')`), with a constant start
 * and a positive constant step: the series up to the view time, growing as time passes. It has
 * no inputs. When the view is created (`initial`) it emits the series as inserts; when the
 * time moves (`advanceTime`) it re-evaluates the stop and emits the values it now reaches as
 * inserts, or, should the stop move back, the values beyond it as deletes. Values are stepped
 * exactly as the batch function steps them (by repeated addition, from the last value).
 *
 * State: the values emitted so far, in order (the view holds the same rows), and the time last
 * applied. Checkpoints save both.
 */
import type { ColumnSchema, PlanNode } from '../../plan/logical.js';
import type { Row, Value } from '../../types/value.js';
import type { DataType } from '../../types/datatype.js';
import { compiled } from '../../expr/eval.js';
import { exprText } from '../../plan/explain.js';
import { compareValues } from '../../types/compare.js';
import { ChunkBuilder, type StreamChunk } from '../chunk.js';
import type { OperatorState, StreamEnv, StreamExecutor } from '../executor.js';

type SeriesPlan = Extract<PlanNode, { kind: 'tableFunction' }>;

export class NowSeriesExecutor implements StreamExecutor {
  readonly name = 'StreamNowSeries';
  readonly schema: ColumnSchema[];
  private readonly argFns;
  private readonly valueType: DataType;
  private readonly inclusive: boolean;
  /** The series' values emitted so far, in order. */
  private values: Value[] = [];
  private now: bigint | null = null;

  constructor(private readonly plan: SeriesPlan) {
    this.schema = plan.schema;
    this.argFns = plan.args.map(compiled);
    this.valueType = plan.schema[0]!.type;
    this.inclusive = plan.name === 'generate_series';
  }

  private row(i: number): Row {
    const v = this.values[i]!;
    return this.plan.withOrdinality ? [v, BigInt(i + 1)] : [v];
  }

  initial(env: StreamEnv): StreamChunk | null {
    return this.advanceTime(env);
  }

  process(chunk: StreamChunk): StreamChunk {
    return chunk;
  }

  advanceTime(env: StreamEnv): StreamChunk | null {
    const t = env.ctx.statementTime;
    if (this.now !== null && t <= this.now) return null;
    this.now = t;
    const args = this.argFns.map((f) => f([], env));
    const stop = args[1] ?? null;
    const out = new ChunkBuilder();
    // Values past the stop leave (the stop moved back, or became NULL).
    const beyond = (v: Value): boolean => {
      if (stop === null) return true;
      const c = compareValues(v, stop, this.valueType);
      return this.inclusive ? c > 0 : c >= 0;
    };
    while (this.values.length > 0 && beyond(this.values[this.values.length - 1]!)) {
      out.push('-', this.row(this.values.length - 1));
      this.values.pop();
    }
    if (stop !== null && args[0] !== null) {
      const last = this.values[this.values.length - 1];
      // Stepping on from the last value gives the batch function's values exactly.
      const from = last === undefined ? args[0]! : last;
      const rows = this.plan.eval([from, ...args.slice(1)], env.ctx);
      for (let i = last === undefined ? 0 : 1; i < rows.length; i++) {
        this.values.push(rows[i]![0]!);
        out.push('+', this.row(this.values.length - 1));
      }
    }
    return out.build();
  }

  saveState(): OperatorState {
    return {
      meta: this.now === null ? null : this.now.toString(),
      tables: [{ types: [this.valueType], rows: this.values.map((v) => [v]) }],
    };
  }

  loadState(state: OperatorState): void {
    this.now = state.meta === null ? null : BigInt(state.meta as string);
    this.values = state.tables[0]!.rows.map((r) => r[0]!);
  }

  describe(): string {
    return `${this.plan.name}(${this.plan.args.map((a) => exprText(a, [])).join(', ')})`;
  }
}
