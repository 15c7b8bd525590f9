/**
 * TemporalFilterExecutor — a filter whose conditions compare an expression of the row with an
 * expression of `now()` (`ts > now() - interval '1 hour'`, each condition possibly OR-ed with
 * ordinary predicates; see stream/temporal.ts). A row is in the output while every condition
 * holds at the view time, so rows enter and leave as time passes, without any input change.
 *
 * Insert and delete pass when the row holds at the current time; an update pair stays a pair
 * when both halves hold, and becomes a delete or an insert when only one does. When the time
 * moves (`advanceTime`, or before an input chunk), each condition's bound is re-evaluated and
 * only the rows whose key lies between the old and the new bound are looked at: each is
 * emitted as an insert if it now holds and did not, a delete if the reverse.
 *
 * State: per condition, the rows still waiting on it, ordered by the condition's key
 * (ordered-rows.ts), with counts; the time and the bounds last applied. When a bound never
 * decreases (the clock plus or minus a constant, truncated, ...: `monotonicity`), rows it has
 * settled are dropped: a row the condition can never pass again (`ts <= now() - 1 hour` for
 * `ts > now() - 1 hour`) is forgotten altogether (its later delete, not holding, emits
 * nothing), and a row it will always pass (`ts < now()` once true) is kept only under its
 * other conditions. Otherwise every row with a non-NULL key is kept. Checkpoints save the
 * kept rows with their counts, the time and the bounds.
 */
import type { BoundExpr, ColumnSchema } from '../../plan/logical.js';
import type { Row, Value } from '../../types/value.js';
import type { DataType } from '../../types/datatype.js';
import { T } from '../../types/datatype.js';
import { compiled } from '../../expr/eval.js';
import { exprText } from '../../plan/explain.js';
import { compareValues } from '../../types/compare.js';
import { decodeValue, encodeValue, type StateJson } from '../../types/state-value.js';
import { ChunkBuilder, filterChanges, type StreamChunk } from '../chunk.js';
import type { OperatorState, StreamEnv, StreamExecutor } from '../executor.js';
import { exactRowKey } from '../multiset.js';
import { OrderedRows, type OrderedEntry } from '../ordered-rows.js';
import { isFixedZone, type CmpOp, type TemporalCondition } from '../temporal.js';

/** Whether `key op bound` holds, given compare(key, bound). */
export function cmpHolds(op: CmpOp, c: number): boolean {
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '=':
      return c === 0;
    case '<>':
      return c !== 0;
  }
}

/** What a condition says of a row at a bound that never decreases. */
type Status = 'always' | 'never' | 'waiting';

/** Per row: each condition's key and whether its escape (OR-ed predicates) is true. */
interface RowKeys {
  keys: Value[];
  escapes: boolean[];
}

export class TemporalFilterExecutor implements StreamExecutor {
  readonly name = 'StreamTemporalFilter';
  private readonly keyFns;
  private readonly escapeFns;
  private readonly boundFns;
  private readonly types: DataType[];
  private readonly indexes: OrderedRows[];
  /** View time last applied (null until the first input or tick). */
  private now: bigint | null = null;
  private bounds: Value[];
  /** Per condition: whether its bound never decreases in this view's time zone. */
  private settles: boolean[] | null = null;

  constructor(
    readonly conditions: TemporalCondition[],
    readonly schema: ColumnSchema[],
    private readonly inputNames: string[],
  ) {
    this.keyFns = conditions.map((c) => compiled(c.key));
    this.escapeFns = conditions.map((c) => (c.escape ? compiled(c.escape) : null));
    this.boundFns = conditions.map((c) => compiled(c.bound));
    this.types = schema.map((c) => c.type);
    this.indexes = conditions.map((c) => new OrderedRows(c.type, this.types));
    this.bounds = conditions.map(() => null);
  }

  private prepare(env: StreamEnv): boolean[] {
    return (this.settles ??= this.conditions.map(
      (c) => c.monotone.up && (!c.monotone.needsFixedZone || isFixedZone(env.ctx.timeZone)),
    ));
  }

  private rowKeys(row: Row, env: StreamEnv): RowKeys {
    return {
      keys: this.keyFns.map((f) => f(row, env)),
      escapes: this.escapeFns.map((f) => f !== null && f(row, env) === true),
    };
  }

  private holds(i: number, k: RowKeys, bound: Value): boolean {
    if (k.escapes[i]) return true;
    const key = k.keys[i]!;
    if (key === null || bound === null) return false;
    return cmpHolds(this.conditions[i]!.op, compareValues(key, bound, this.conditions[i]!.type));
  }

  private visible(k: RowKeys, bounds: Value[]): boolean {
    for (let i = 0; i < this.conditions.length; i++)
      if (!this.holds(i, k, bounds[i]!)) return false;
    return true;
  }

  private status(i: number, k: RowKeys, bound: Value): Status {
    if (k.escapes[i]) return 'always';
    const key = k.keys[i]!;
    if (key === null) return 'never';
    if (!this.settles![i] || bound === null) return 'waiting';
    const c = compareValues(key, bound, this.conditions[i]!.type);
    switch (this.conditions[i]!.op) {
      case '>':
        return c > 0 ? 'waiting' : 'never';
      case '>=':
        return c >= 0 ? 'waiting' : 'never';
      case '=':
        return c >= 0 ? 'waiting' : 'never';
      case '<':
        return c < 0 ? 'always' : 'waiting';
      case '<=':
        return c <= 0 ? 'always' : 'waiting';
      case '<>':
        return c < 0 ? 'always' : 'waiting';
    }
  }

  /** The conditions a row waits on at `bounds` (null: one can never hold, the row is dropped). */
  private waitingOn(k: RowKeys, bounds: Value[]): number[] | null {
    const out: number[] = [];
    for (let i = 0; i < this.conditions.length; i++) {
      const s = this.status(i, k, bounds[i]!);
      if (s === 'never') return null;
      if (s === 'waiting') out.push(i);
    }
    return out;
  }

  private store(row: Row, k: RowKeys, on: number[], delta: number): void {
    for (const i of on) this.indexes[i]!.add(k.keys[i]!, row, delta);
  }

  /** Applies one input change to the state; returns whether the row holds now. */
  private apply(row: Row, sign: number, env: StreamEnv): boolean {
    const k = this.rowKeys(row, env);
    const on = this.waitingOn(k, this.bounds);
    if (on) this.store(row, k, on, sign);
    env.stats.stateTouches += on?.length ?? 0;
    return this.visible(k, this.bounds);
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    const out = new ChunkBuilder();
    this.advance(env, out);
    filterChanges(chunk, (row, sign) => this.apply(row, sign, env), out);
    return out.build();
  }

  advanceTime(env: StreamEnv): StreamChunk | null {
    const out = new ChunkBuilder();
    this.advance(env, out);
    return out.build();
  }

  /** Moves to the time in `env`, emitting the rows that enter or leave. */
  private advance(env: StreamEnv, out: ChunkBuilder): void {
    const settles = this.prepare(env);
    const t = env.ctx.statementTime;
    if (this.now !== null && t <= this.now) return;
    const first = this.now === null;
    this.now = t;
    const old = this.bounds;
    const next = this.boundFns.map((f, i) => {
      const v = f([], env);
      // A bound that cannot be computed (an overflow, reported as a notice) stays put where
      // rows were dropped on the promise that it never decreases.
      return v === null && settles[i] && old[i] !== null ? old[i]! : v;
    });
    this.bounds = next;
    // Nothing is held before the first input.
    if (first) return;
    // A row waiting on several moved conditions is met once.
    const candidates = new Map<string, OrderedEntry>();
    const moved: OrderedEntry[][] = [];
    for (let i = 0; i < this.conditions.length; i++) {
      const a = old[i]!;
      const b = next[i]!;
      const type = this.conditions[i]!.type;
      if (a !== null && b !== null && compareValues(a, b, type) === 0) continue;
      const entries =
        a === null || b === null
          ? this.indexes[i]!.range(null, null)
          : compareValues(a, b, type) < 0
            ? this.indexes[i]!.range({ value: a, inclusive: true }, { value: b, inclusive: true })
            : this.indexes[i]!.range({ value: b, inclusive: true }, { value: a, inclusive: true });
      moved.push(entries);
    }
    if (moved.length > 1)
      for (const entries of moved)
        for (const e of entries) candidates.set(exactRowKey(e.row, this.types), e);
    for (const e of moved.length > 1 ? candidates.values() : (moved[0] ?? [])) {
      env.stats.stateTouches++;
      const k = this.rowKeys(e.row, env);
      const was = this.visible(k, old);
      const is = this.visible(k, next);
      const before = this.waitingOn(k, old) ?? [];
      const after = this.waitingOn(k, next) ?? [];
      this.store(
        e.row,
        k,
        before.filter((i) => !after.includes(i)),
        -e.count,
      );
      this.store(
        e.row,
        k,
        after.filter((i) => !before.includes(i)),
        e.count,
      );
      if (was === is) continue;
      for (let n = 0; n < e.count; n++) out.push(is ? '+' : '-', e.row);
    }
  }

  saveState(): OperatorState {
    const rows: Row[] = [];
    const counts: Value[] = [];
    const seen = new Set<string>();
    for (const index of this.indexes)
      for (const e of index.entries()) {
        // With one condition every row is met once; with more, once per condition waited on.
        if (this.indexes.length > 1) {
          const exact = exactRowKey(e.row, this.types);
          if (seen.has(exact)) continue;
          seen.add(exact);
        }
        rows.push(e.row);
        counts.push(BigInt(e.count));
      }
    const meta: StateJson = {
      now: this.now === null ? null : this.now.toString(),
      bounds: this.bounds.map(encodeValue),
    };
    return { meta, tables: [{ types: [...this.types, T.int8], rows, extra: [counts] }] };
  }

  loadState(state: OperatorState, env: StreamEnv): void {
    this.prepare(env);
    const meta = state.meta as { now: string | null; bounds: StateJson[] };
    this.now = meta.now === null ? null : BigInt(meta.now);
    this.bounds = meta.bounds.map(decodeValue);
    const n = this.types.length;
    for (const saved of state.tables[0]!.rows) {
      const row = saved.slice(0, n);
      const k = this.rowKeys(row, env);
      const on = this.waitingOn(k, this.bounds);
      if (on) this.store(row, k, on, Number(saved[n] as bigint));
    }
  }

  describe(): string {
    const text = (e: BoundExpr): string => exprText(e, this.inputNames);
    return `conditions: ${this.conditions
      .map((c) => {
        const cmp = `${text(c.key)} ${c.op} ${text(c.bound)}`;
        return c.escape ? `(${text(c.escape)} OR ${cmp})` : cmp;
      })
      .join(' AND ')}`;
  }
}
