/**
 * `now()` in materialized views. A view reads the time of its epoch (the end of the statement
 * that changed it, or the engine's tick): `now()` there is the view time, and the view must
 * equal its query evaluated with that time. Dataflows support it in two forms:
 *
 * - temporal filters: conjuncts of a WHERE / HAVING (or an ON pushed to one side) that compare
 *   an expression of the row with an expression of `now()` alone (`ts > now() - interval '1
 *   hour'`, `ts + interval '1 day' >= now()`, `v BETWEEN now() AND now() + interval '1 hour'`),
 *   each possibly OR-ed with ordinary predicates (`ts > now() - interval '1 hour' OR ts IS NULL`);
 * - `generate_series(start, <now() expression>, step)` in FROM, whose end only grows.
 *
 * Anything else reading the clock is refused (0A000), as a value frozen at creation would go
 * stale. This module recognises the forms; the executors (temporal-filter.ts, now-series.ts)
 * maintain them.
 */
import type { BoundExpr, PlanNode } from '../plan/logical.js';
import { T, type DataType } from '../types/datatype.js';
import { shiftColumns, visitBound } from '../plan/bound.js';
import { SqlError, SqlState } from '../errors.js';
import { Interval } from '../types/interval.js';
import { Decimal } from '../types/numeric.js';
import { compareValues } from '../types/compare.js';

/** Functions whose value is the statement's (in a view: the epoch's) time. */
const CLOCK_FUNCTIONS = new Set([
  'now',
  'current_timestamp',
  'transaction_timestamp',
  'statement_timestamp',
  'current_date',
  'localtimestamp',
  'localtime',
]);

/** Whether `e` is a call of a function reading the statement time (`now()`, ...). */
export function isClockCall(e: BoundExpr): boolean {
  return e.kind === 'call' && e.fn.volatile === true && CLOCK_FUNCTIONS.has(e.name);
}

/** Whether `e` reads the statement time anywhere. */
export function usesNow(e: BoundExpr | null | undefined): boolean {
  if (!e) return false;
  let found = false;
  visitBound(e, (x) => {
    if (isClockCall(x)) found = true;
  });
  return found;
}

export function nowUnsupported(detail: string): SqlError {
  return new SqlError(
    SqlState.featureNotSupported,
    `${detail} is not supported in materialized views: now() may be compared with an expression of the row in WHERE, HAVING or ON (ts > now() - interval '1 hour') or end a generate_series`,
  );
}

export type CmpOp = '<' | '<=' | '>' | '>=' | '=' | '<>';

/** The comparison with its sides swapped. */
export const FLIP: Record<CmpOp, CmpOp> = {
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
  '=': '=',
  '<>': '<>',
};
const NEGATE: Record<CmpOp, CmpOp> = {
  '<': '>=',
  '<=': '>',
  '>': '<=',
  '>=': '<',
  '=': '<>',
  '<>': '=',
};

export function isCmpOp(name: string): name is CmpOp {
  return name in FLIP;
}

/** How an expression of the clock moves as time passes. */
export interface Monotonicity {
  /** Never decreases and is never NULL (when `fixedZone` holds, if set). */
  up: boolean;
  /** `up` holds only in a time zone without daylight saving changes (local-time arithmetic). */
  needsFixedZone: boolean;
}

/** One temporal conjunct: `escape OR (key op bound)`. */
export interface TemporalCondition {
  /** Expression of the input row, without `now()`. */
  key: BoundExpr;
  op: CmpOp;
  /** Expression of `now()` and constants only. */
  bound: BoundExpr;
  /** The type both sides are compared in. */
  type: DataType;
  /** Ordinary predicates OR-ed with the comparison (null: none): true makes the conjunct true. */
  escape: BoundExpr | null;
  monotone: Monotonicity;
}

/** Whether an expression reads a column, a parameter, a subquery or an outer row. */
function readsRow(e: BoundExpr): boolean {
  let found = false;
  visitBound(e, (x) => {
    switch (x.kind) {
      case 'column':
      case 'outerColumn':
      case 'param':
      case 'scalarSubquery':
      case 'exists':
      case 'quantifiedSubquery':
      case 'arraySubquery':
        found = true;
        break;
      case 'call':
        // Only the clock may be volatile on the bound side.
        if (x.fn.volatile && !isClockCall(x)) found = true;
        break;
      default:
        break;
    }
  });
  return found;
}

/** Column indexes an expression reads. */
export function columnsOf(e: BoundExpr): Set<number> {
  const out = new Set<number>();
  visitBound(e, (x) => {
    if (x.kind === 'column') out.add(x.index);
  });
  return out;
}

/** The conjunction of `parts` (one part: itself). */
export function and(parts: BoundExpr[]): BoundExpr {
  return parts.length === 1 ? parts[0]! : { kind: 'and', args: parts, type: T.boolean };
}

/** `AND`-ed parts of a predicate, flattened. */
export function conjuncts(e: BoundExpr): BoundExpr[] {
  return e.kind === 'and' ? e.args.flatMap(conjuncts) : [e];
}

/** `key op bound` with `bound` an expression of the clock alone, or null. */
function comparison(e: BoundExpr): Omit<TemporalCondition, 'escape' | 'monotone'> | null {
  let negate = false;
  while (e.kind === 'not') {
    negate = !negate;
    e = e.arg;
  }
  if (e.kind !== 'binary' || !isCmpOp(e.name)) return null;
  let op: CmpOp = e.name;
  let key = e.left;
  let bound = e.right;
  if (usesNow(key)) {
    [key, bound] = [bound, key];
    op = FLIP[op];
  }
  if (usesNow(key) || !usesNow(bound) || readsRow(bound)) return null;
  if (negate) op = NEGATE[op];
  return { key, op, bound, type: e.op.leftType };
}

/**
 * Splits a filter predicate into ordinary conjuncts and temporal conditions; throws 0A000 for
 * a use of `now()` that is neither.
 */
export function splitTemporal(predicate: BoundExpr): {
  plain: BoundExpr[];
  temporal: TemporalCondition[];
} {
  const plain: BoundExpr[] = [];
  const temporal: TemporalCondition[] = [];
  for (const c of conjuncts(predicate)) {
    if (!usesNow(c)) {
      plain.push(c);
      continue;
    }
    const parts = c.kind === 'or' ? c.args.flatMap(disjuncts) : [c];
    const timed = parts.filter((p) => usesNow(p));
    if (timed.length > 1) throw nowUnsupported('OR of several conditions on now()');
    const cmp = comparison(timed[0]!);
    if (!cmp) throw nowUnsupported('this use of now()');
    const rest = parts.filter((p) => !usesNow(p));
    const escape: BoundExpr | null =
      rest.length === 0
        ? null
        : rest.length === 1
          ? rest[0]!
          : { kind: 'or', args: rest, type: c.type };
    temporal.push({ ...cmp, escape, monotone: monotonicity(cmp.bound) });
  }
  return { plain, temporal };
}

function disjuncts(e: BoundExpr): BoundExpr[] {
  return e.kind === 'or' ? e.args.flatMap(disjuncts) : [e];
}

const NOT_UP: Monotonicity = { up: false, needsFixedZone: false };

function nonNullLiteral(e: BoundExpr): boolean {
  return e.kind === 'literal' && e.value !== null;
}

/** Whether a literal interval is a plain duration (no days or months, which follow local time). */
function isDuration(e: BoundExpr): boolean {
  return (
    e.kind === 'literal' &&
    e.value instanceof Interval &&
    e.value.months === 0 &&
    e.value.days === 0
  );
}

function positiveLiteral(e: BoundExpr): boolean {
  if (e.kind !== 'literal') return false;
  const v = e.value;
  if (typeof v === 'number') return v > 0;
  if (typeof v === 'bigint') return v > 0n;
  if (v instanceof Decimal) return v.sign() > 0;
  return false;
}

const TIME_KINDS = new Set(['timestamp', 'timestamptz', 'date']);
const NUMBER_KINDS = new Set(['int2', 'int4', 'int8', 'numeric', 'float4', 'float8']);

/**
 * Whether an expression of the clock never decreases (and is never NULL) as time passes: the
 * clock itself, plus or minus a constant, scaled by a positive constant, truncated, its epoch,
 * and casts between time types or between number types. Anything else is treated as moving
 * either way.
 */
export function monotonicity(e: BoundExpr): Monotonicity {
  const join = (...ms: Monotonicity[]): Monotonicity =>
    ms.every((m) => m.up) ? { up: true, needsFixedZone: ms.some((m) => m.needsFixedZone) } : NOT_UP;
  switch (e.kind) {
    case 'call': {
      if (
        e.name === 'now' ||
        e.name === 'current_timestamp' ||
        e.name === 'transaction_timestamp' ||
        e.name === 'statement_timestamp'
      )
        return isClockCall(e) ? { up: true, needsFixedZone: false } : NOT_UP;
      if (e.name === 'current_date' || e.name === 'localtimestamp')
        return isClockCall(e) ? { up: true, needsFixedZone: true } : NOT_UP;
      if (e.name === 'date_trunc' && e.args.length === 2 && nonNullLiteral(e.args[0]!)) {
        const inner = monotonicity(e.args[1]!);
        return join(inner, { up: true, needsFixedZone: e.args[1]!.type.kind === 'timestamptz' });
      }
      if ((e.name === 'extract' || e.name === 'date_part') && e.args.length === 2) {
        const field = e.args[0]!;
        if (field.kind === 'literal' && String(field.value).toLowerCase() === 'epoch')
          return monotonicity(e.args[1]!);
      }
      if (e.name === 'to_timestamp' && e.args.length === 1) return monotonicity(e.args[0]!);
      return NOT_UP;
    }
    case 'binary': {
      if (e.name === '+' || e.name === '-') {
        const timeArith = TIME_KINDS.has(e.type.kind);
        const constant = (c: BoundExpr): Monotonicity =>
          nonNullLiteral(c)
            ? {
                up: true,
                needsFixedZone: timeArith && c.type.kind === 'interval' && !isDuration(c),
              }
            : NOT_UP;
        if (e.name === '+' && nonNullLiteral(e.left))
          return join(monotonicity(e.right), constant(e.left));
        if (nonNullLiteral(e.right)) return join(monotonicity(e.left), constant(e.right));
        return NOT_UP;
      }
      if (e.name === '*' && NUMBER_KINDS.has(e.type.kind)) {
        if (positiveLiteral(e.left)) return monotonicity(e.right);
        if (positiveLiteral(e.right)) return monotonicity(e.left);
      }
      return NOT_UP;
    }
    case 'cast': {
      const from = e.from.kind;
      const to = e.type.kind;
      if (TIME_KINDS.has(from) && TIME_KINDS.has(to))
        return join(monotonicity(e.arg), {
          up: true,
          needsFixedZone: (from === 'timestamptz') !== (to === 'timestamptz'),
        });
      if (NUMBER_KINDS.has(from) && NUMBER_KINDS.has(to)) return monotonicity(e.arg);
      return NOT_UP;
    }
    default:
      return NOT_UP;
  }
}

/** Whether a session time zone never changes its offset (no daylight saving time). */
export function isFixedZone(zone: string): boolean {
  const z = zone.toUpperCase();
  return z === 'UTC' || z === 'GMT' || z === 'ETC/UTC' || z === 'Z' || /^[+-]?\d/.test(z);
}

/**
 * A join whose ON clause reads the clock, rewritten so the clock is read by filters: conditions
 * on one side only move into that side's input where that keeps the join's meaning (the side
 * an outer join does not preserve, either side of an inner join, the inner side of a semi or
 * anti join, the outer side of a semi join), and conditions on both sides of an inner join
 * filter its output. Other uses are refused.
 */
export function pushTemporalJoinConditions(p: Extract<PlanNode, { kind: 'join' }>): PlanNode {
  const width = p.left.schema.length;
  const kind = p.joinKind;
  const leftOk = kind === 'inner' || kind === 'right' || kind === 'semi';
  const rightOk = kind === 'inner' || kind === 'left' || kind === 'semi' || kind === 'anti';
  const keep: BoundExpr[] = [];
  const left: BoundExpr[] = [];
  const right: BoundExpr[] = [];
  const above: BoundExpr[] = [];
  for (const c of conjuncts(p.condition!)) {
    if (!usesNow(c)) {
      keep.push(c);
      continue;
    }
    const cols = [...columnsOf(c)];
    if (rightOk && cols.every((i) => i >= width)) right.push(shiftColumns(c, -width));
    else if (leftOk && cols.every((i) => i < width)) left.push(c);
    else if (kind === 'inner') above.push(c);
    else
      throw nowUnsupported(
        `now() in the ON clause of a ${kind.toUpperCase()} JOIN on the side it preserves`,
      );
  }
  const filtered = (input: PlanNode, parts: BoundExpr[]): PlanNode =>
    parts.length === 0
      ? input
      : { kind: 'filter', input, predicate: and(parts), schema: input.schema };
  const join: PlanNode = {
    ...p,
    left: filtered(p.left, left),
    right: filtered(p.right, right),
    condition: keep.length > 0 ? and(keep) : null,
  };
  return filtered(join, above);
}

/**
 * Checks `generate_series(start, <now() expression>, step)` (or `range`) in FROM, a series
 * growing with the clock (executors/now-series.ts): only the stop may read the clock, and the
 * step must be a positive constant. Throws 0A000 otherwise.
 */
export function checkNowSeries(p: Extract<PlanNode, { kind: 'tableFunction' }>): void {
  const [start, stop, step] = p.args;
  if ((p.name !== 'generate_series' && p.name !== 'range') || !start || !stop)
    throw nowUnsupported(`now() in the arguments of ${p.name}()`);
  if (usesNow(start) || (step && usesNow(step)))
    throw nowUnsupported(`now() in the start or step of ${p.name}()`);
  if (readsRow(stop)) throw nowUnsupported(`this stop of ${p.name}()`);
  if (!step) return;
  const v = step.kind === 'literal' ? step.value : null;
  const positive =
    v instanceof Interval
      ? compareValues(v, Interval.ZERO, T.interval) > 0
      : typeof v === 'number'
        ? v > 0
        : typeof v === 'bigint'
          ? v > 0n
          : v instanceof Decimal && v.isFinite() && v.sign() > 0;
  if (!positive)
    throw nowUnsupported(`${p.name}() up to now() with a step that is not a positive constant`);
}
