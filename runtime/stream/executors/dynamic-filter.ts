/**
 * DynamicFilterExecutor — `WHERE key op (SELECT ...)` with an uncorrelated scalar subquery of at
 * most one row (`x > (SELECT max(y) FROM t2)`): port 0 carries the filtered rows, port 1 the
 * subquery's row, whose value is the bound (NULL when it has no row: nothing passes). Unlike a
 * join with the subquery, a move of the bound touches only the rows whose key lies between the
 * old and the new bound.
 *
 * Port 0: an insert or delete passes when `key op bound` holds; an update pair stays a pair
 * when both halves hold, and becomes a delete or an insert when only one does. Port 1: the
 * chunk's changes (insert, delete, both update halves) replace the subquery row; if the bound
 * then differs, every row between the two bounds is emitted as an insert if it holds now and
 * did not, a delete if the reverse (all rows, when either bound is NULL). The output carries
 * the rows of port 0 only.
 *
 * State: the rows of port 0 with a non-NULL key, ordered by key (ordered-rows.ts) with counts;
 * the subquery's row. Checkpoints save both.
 */
import type { BoundExpr, ColumnSchema } from '../../plan/logical.js';
import type { Row, Value } from '../../types/value.js';
import type { DataType } from '../../types/datatype.js';
import { T } from '../../types/datatype.js';
import { compiled } from '../../expr/eval.js';
import { exprText } from '../../plan/explain.js';
import { compareValues } from '../../types/compare.js';
import { ChunkBuilder, filterChanges, opSign, type StreamChunk } from '../chunk.js';
import type { OperatorState, StreamEnv, StreamExecutor } from '../executor.js';
import { sameExactRow } from '../multiset.js';
import { OrderedRows, type OrderedEntry } from '../ordered-rows.js';
import type { CmpOp } from '../temporal.js';
import { cmpHolds } from './temporal-filter.js';
import { SqlError, SqlState } from '../../errors.js';

export class DynamicFilterExecutor implements StreamExecutor {
  readonly name = 'StreamDynamicFilter';
  private readonly keyFn;
  private readonly boundFn;
  private readonly types: DataType[];
  private readonly rightTypes: DataType[];
  private readonly index: OrderedRows;
  /** The subquery's live rows (at most one between chunks), with counts. */
  private right: { row: Row; count: number }[] = [];
  private bound: Value = null;

  constructor(
    /** Expression of a port-0 row. */
    readonly key: BoundExpr,
    readonly op: CmpOp,
    /** Expression of the subquery's row. */
    readonly boundExpr: BoundExpr,
    /** The type key and bound are compared in. */
    readonly type: DataType,
    readonly schema: ColumnSchema[],
    rightSchema: ColumnSchema[],
    private readonly inputNames: string[],
  ) {
    this.keyFn = compiled(key);
    this.boundFn = compiled(boundExpr);
    this.types = schema.map((c) => c.type);
    this.rightTypes = rightSchema.map((c) => c.type);
    this.index = new OrderedRows(type, this.types);
  }

  private holds(key: Value, bound: Value): boolean {
    return (
      key !== null && bound !== null && cmpHolds(this.op, compareValues(key, bound, this.type))
    );
  }

  /** Applies a port-0 change; returns whether the row passes. */
  private apply(row: Row, sign: number, env: StreamEnv): boolean {
    const key = this.keyFn(row, env);
    if (key === null) return false;
    env.stats.stateTouches++;
    this.index.add(key, row, sign);
    return this.holds(key, this.bound);
  }

  process(chunk: StreamChunk, port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    const out = new ChunkBuilder();
    const { ops, rows } = chunk;
    if (port === 1) {
      for (let i = 0; i < rows.length; i++) this.changeRight(rows[i]!, opSign(ops[i]!));
      this.moveBound(env, out);
      return out.build();
    }
    filterChanges(chunk, (row, sign) => this.apply(row, sign, env), out);
    return out.build();
  }

  private changeRight(row: Row, sign: number): void {
    const at = this.right.findIndex((r) => sameExactRow(r.row, row, this.rightTypes));
    if (at >= 0) {
      this.right[at]!.count += sign;
      if (this.right[at]!.count === 0) this.right.splice(at, 1);
    } else if (sign > 0) this.right.push({ row, count: 1 });
    else throw new SqlError(SqlState.internalError, 'dynamic filter: unknown subquery row deleted');
  }

  private moveBound(env: StreamEnv, out: ChunkBuilder): void {
    const live = this.right.filter((r) => r.count > 0);
    if (live.length > 1 || (live.length === 1 && live[0]!.count > 1))
      throw new SqlError(
        SqlState.cardinalityViolation,
        'more than one row returned by a subquery used as an expression',
      );
    const next = live.length === 0 ? null : this.boundFn(live[0]!.row, env);
    const old = this.bound;
    if (old !== null && next !== null && compareValues(old, next, this.type) === 0) return;
    if (old === null && next === null) return;
    this.bound = next;
    let entries: OrderedEntry[];
    if (old === null || next === null) entries = this.index.range(null, null);
    else {
      const [lo, hi] = compareValues(old, next, this.type) < 0 ? [old, next] : [next, old];
      entries = this.index.range({ value: lo, inclusive: true }, { value: hi, inclusive: true });
    }
    for (const e of entries) {
      env.stats.stateTouches++;
      const was = this.holds(e.key, old);
      const is = this.holds(e.key, next);
      if (was === is) continue;
      for (let n = 0; n < e.count; n++) out.push(is ? '+' : '-', e.row);
    }
  }

  saveState(): OperatorState {
    const rows: Row[] = [];
    const counts: Value[] = [];
    for (const e of this.index.entries()) {
      rows.push(e.row);
      counts.push(BigInt(e.count));
    }
    return {
      meta: null,
      tables: [
        { types: [...this.types, T.int8], rows, extra: [counts] },
        {
          types: [...this.rightTypes, T.int8],
          rows: this.right.map((r) => r.row),
          extra: [this.right.map((r) => BigInt(r.count))],
        },
      ],
    };
  }

  loadState(state: OperatorState, env: StreamEnv): void {
    const n = this.types.length;
    for (const saved of state.tables[0]!.rows) {
      const row = saved.slice(0, n);
      const key = this.keyFn(row, env);
      if (key !== null) this.index.add(key, row, Number(saved[n] as bigint));
    }
    const m = this.rightTypes.length;
    this.right = state.tables[1]!.rows.map((saved) => ({
      row: saved.slice(0, m),
      count: Number(saved[m] as bigint),
    }));
    const live = this.right.filter((r) => r.count > 0);
    this.bound = live.length === 1 ? this.boundFn(live[0]!.row, env) : null;
  }

  describe(): string {
    return `predicate: ${exprText(this.key, this.inputNames)} ${this.op} $subquery`;
  }
}
