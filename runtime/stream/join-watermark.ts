/**
 * What watermarks tell a join. Columns are numbered in the joined row: the left input's, then
 * the right input's (offset by the left width).
 *
 * - Expiry: a stored row of one side is dead once no later row of the other side can match
 *   it. An equality key `l = r` with both sides monotone in a watermarked column makes a left
 *   row dead when `r(wm) > l(row)`. A condition conjunct `lo <= hi` (or `<`, `>=`, `>`, and
 *   BETWEEN's two halves), `lo` monotone in a watermarked column of one side and `hi` in a
 *   column of the other, makes a row of `hi`'s side dead when `lo(wm) > hi(row)` — the interval
 *   join `a.ts BETWEEN b.ts - INTERVAL '10' SECOND AND b.ts` bounds both sides' state.
 * - Output watermarks: a later output row comes from a later row of either side. For a plain
 *   key column pair `a = b` it has `a = b >= min(wm_a, wm_b)`; for a plain column `y` bounded
 *   below by `lo(x) <= y`, `y >= min(wm_y, lo(wm_x))`.
 */
import type { BoundExpr } from '../plan/logical.js';
import type { DataType } from '../types/datatype.js';
import type { Row, Value } from '../types/value.js';
import { compiled } from '../expr/eval.js';
import type { StreamEnv, Watermark } from './executor.js';
import { below, monotoneColumn, valueAt } from './watermark.js';

export interface JoinExpiry {
  /** The side whose stored rows expire (0 left, 1 right). */
  side: 0 | 1;
  /** The joined-row column whose watermark expires them (on the other side). */
  by: number;
  /** The lowest value a later matching row can give; from the watermark. */
  bound: (wm: Value, env: StreamEnv) => Value;
  /** The stored row's value compared with it. */
  value: (row: Row, env: StreamEnv) => Value;
  /** `<` rather than `<=`: a row equal to the bound is dead too. */
  strict: boolean;
  type: DataType;
}

export interface JoinOutputWatermark {
  /** Output column (a joined-row column). */
  column: number;
  /** Its own watermark, and the other side's column that bounds it. */
  own: number;
  other: number;
  via: (wm: Value, env: StreamEnv) => Value;
  type: DataType;
}

export interface JoinWatermarks {
  expiries: JoinExpiry[];
  outputs: JoinOutputWatermark[];
}

function conjuncts(e: BoundExpr | null): BoundExpr[] {
  if (!e) return [];
  return e.kind === 'and' ? e.args.flatMap(conjuncts) : [e];
}

/** `a op b` as `lo <= hi` / `lo < hi`. */
function asLowHigh(e: BoundExpr): { lo: BoundExpr; hi: BoundExpr; strict: boolean } | null {
  if (e.kind !== 'binary') return null;
  switch (e.name) {
    case '<=':
      return { lo: e.left, hi: e.right, strict: false };
    case '<':
      return { lo: e.left, hi: e.right, strict: true };
    case '>=':
      return { lo: e.right, hi: e.left, strict: false };
    case '>':
      return { lo: e.right, hi: e.left, strict: true };
    default:
      return null;
  }
}

export function analyzeJoin(
  leftKeys: readonly BoundExpr[],
  rightKeys: readonly BoundExpr[],
  condition: BoundExpr | null,
  leftWidth: number,
  /** Output columns the join has: both sides, or the left only (semi/anti). */
  outputWidth: number,
): JoinWatermarks {
  const nl = leftWidth;
  const expiries: JoinExpiry[] = [];
  const outputs: JoinOutputWatermark[] = [];
  const output = (o: JoinOutputWatermark): void => {
    if (o.column < outputWidth) outputs.push(o);
  };
  leftKeys.forEach((lk, i) => {
    const rk = rightKeys[i]!;
    const a = monotoneColumn(lk);
    const b = monotoneColumn(rk);
    if (a === null || b === null) return;
    const lf = compiled(lk);
    const rf = compiled(rk);
    expiries.push(
      {
        side: 0,
        by: nl + b,
        bound: (wm, env) => valueAt(rk, b, wm, env),
        value: (row, env) => lf(row, env),
        strict: false,
        type: lk.type,
      },
      {
        side: 1,
        by: a,
        bound: (wm, env) => valueAt(lk, a, wm, env),
        value: (row, env) => rf(row, env),
        strict: false,
        type: rk.type,
      },
    );
    if (lk.kind === 'column' && rk.kind === 'column') {
      const same = (wm: Value): Value => wm;
      output({ column: a, own: a, other: nl + b, via: same, type: lk.type });
      output({ column: nl + b, own: nl + b, other: a, via: same, type: rk.type });
    }
  });
  for (const c of conjuncts(condition)) {
    const lh = asLowHigh(c);
    if (!lh) continue;
    const x = monotoneColumn(lh.lo);
    const y = monotoneColumn(lh.hi);
    if (x === null || y === null || x < nl === y < nl) continue;
    const hi = compiled(lh.hi);
    const lo = lh.lo;
    const ySide: 0 | 1 = y < nl ? 0 : 1;
    expiries.push({
      side: ySide,
      by: x,
      bound: (wm, env) => valueAt(lo, x, wm, env),
      // A right row is evaluated in the joined row's numbering.
      value:
        ySide === 0
          ? (row, env) => hi(row, env)
          : (row, env) => hi([...new Array<Value>(nl).fill(null), ...row], env),
      strict: lh.strict,
      type: lh.hi.type,
    });
    if (lh.hi.kind === 'column')
      output({
        column: y,
        own: y,
        other: x,
        via: (wm, env) => valueAt(lo, x, wm, env),
        type: lh.hi.type,
      });
  }
  return { expiries, outputs };
}

/** Whether an expiry rule kills a stored row, given the bound its watermark gives. */
export function expired(e: JoinExpiry, bound: Value, row: Row, env: StreamEnv): boolean {
  const v = e.value(row, env);
  if (v === null || bound === null) return false;
  return e.strict ? !below(bound, v, e.type) : below(v, bound, e.type);
}

/** Output watermarks a join emits once `latest` (joined-row column → watermark) moved. */
export function joinOutputWatermarks(
  rules: readonly JoinOutputWatermark[],
  latest: ReadonlyMap<number, Value>,
  env: StreamEnv,
): Watermark[] {
  const out: Watermark[] = [];
  for (const r of rules) {
    const own = latest.get(r.own);
    const other = latest.get(r.other);
    if (own === undefined || other === undefined || own === null || other === null) continue;
    const via = r.via(other, env);
    if (via === null) continue;
    out.push({ column: r.column, value: below(via, own, r.type) ? via : own });
  }
  return out;
}
