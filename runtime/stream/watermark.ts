/**
 * Watermarks through expressions. A watermark on input column `c` says later rows have
 * `c >= w`; an expression that never decreases as `c` grows (and reads no other column)
 * carries it: later rows have `f(c) >= f(w)`. Projections, window assignment and group keys
 * use this to say which of their output columns carry watermarks, and with what value.
 */
import type { BoundExpr } from '../plan/logical.js';
import type { DataType } from '../types/datatype.js';
import type { Value } from '../types/value.js';
import { compareValues } from '../types/compare.js';
import { compiled } from '../expr/eval.js';
import type { StreamEnv, Watermark, WatermarkOutput } from './executor.js';

/** Functions non-decreasing in their one non-constant argument (the others constants). */
const MONOTONE_CALLS = new Set(['date_trunc', 'to_timestamp', 'tumble_start', 'date']);

/** Time-like and numeric types, on which casts between them keep the order. */
const ORDERED_CASTS = new Set([
  'int2',
  'int4',
  'int8',
  'numeric',
  'float4',
  'float8',
  'date',
  'timestamp',
  'timestamptz',
]);

/**
 * The input column `e` is non-decreasing in, when it reads exactly one column and every step
 * from that column to the result keeps the order; otherwise null.
 */
export function monotoneColumn(e: BoundExpr): number | null {
  switch (e.kind) {
    case 'column':
      return e.index;
    case 'cast':
      return ORDERED_CASTS.has(e.from.kind) && ORDERED_CASTS.has(e.type.kind)
        ? monotoneColumn(e.arg)
        : null;
    case 'binary':
      if (e.name === '+') {
        if (e.right.kind === 'literal') return monotoneColumn(e.left);
        if (e.left.kind === 'literal') return monotoneColumn(e.right);
        return null;
      }
      if (e.name === '-' && e.right.kind === 'literal') return monotoneColumn(e.left);
      return null;
    case 'call': {
      if (!MONOTONE_CALLS.has(e.name)) return null;
      const varying = e.args.filter((a) => a.kind !== 'literal');
      return varying.length === 1 ? monotoneColumn(varying[0]!) : null;
    }
    default:
      return null;
  }
}

/** `e` evaluated with its one column at `value` (see monotoneColumn). */
export function valueAt(e: BoundExpr, column: number, value: Value, env: StreamEnv): Value {
  const row: Value[] = [];
  row[column] = value;
  return compiled(e)(row, env);
}

/**
 * Output watermarks of expressions over an input whose column `wm.column` has a watermark:
 * one per expression that is monotone in that column.
 */
export function watermarksThrough(
  exprs: readonly BoundExpr[],
  wm: Watermark,
  env: StreamEnv,
  outputOffset = 0,
): Watermark[] {
  const out: Watermark[] = [];
  exprs.forEach((e, i) => {
    if (monotoneColumn(e) !== wm.column) return;
    const value = valueAt(e, wm.column, wm.value, env);
    if (value !== null) out.push({ column: outputOffset + i, value });
  });
  return out;
}

/** Output columns of `exprs` that carry a watermark when the input's `inputs` do. */
export function watermarkedExprs(
  exprs: readonly BoundExpr[],
  inputs: ReadonlySet<number>,
  outputOffset = 0,
): Set<number> {
  const out = new Set<number>();
  exprs.forEach((e, i) => {
    const c = monotoneColumn(e);
    if (c !== null && inputs.has(c)) out.add(outputOffset + i);
  });
  return out;
}

/** Whether `v` lies below watermark value `w` (NULLs never do: they close nothing). */
export function below(v: Value, w: Value, type: DataType): boolean {
  return v !== null && w !== null && compareValues(v, w, type) < 0;
}

/**
 * The latest watermark per column of one input port; a watermark that does not advance
 * (an equal or lower value) is ignored.
 */
export class WatermarkTracker {
  private readonly latest = new Map<number, Value>();
  constructor(private readonly types: readonly DataType[]) {}

  /** Records `wm`; false when it does not advance its column's watermark. */
  advance(wm: Watermark): boolean {
    const prev = this.latest.get(wm.column);
    if (prev !== undefined && prev !== null && !below(prev, wm.value, this.types[wm.column]!))
      return false;
    this.latest.set(wm.column, wm.value);
    return true;
  }

  get(column: number): Value | undefined {
    return this.latest.get(column);
  }
}

/** An executor's output columns are its input's: watermarks pass unchanged. */
export function sameColumns(inputs: readonly ReadonlySet<number>[]): Set<number> {
  return new Set(inputs[0]);
}

/** What a stateless executor with its input's columns does with a watermark: passes it. */
export function passOn(wm: Watermark): WatermarkOutput {
  return { chunk: null, watermarks: [wm] };
}
