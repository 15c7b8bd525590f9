/**
 * Implicit coercion rules, after PostgreSQL's type categories: numeric types widen
 * int2 → int4 → int8 → numeric → float4 → float8; varchar ⇄ text; an `unknown` literal becomes
 * whatever is needed; date → timestamp → timestamptz.
 */
import type { DataType } from './datatype.js';
import { T, typesEqual } from './datatype.js';

const numericRank: Partial<Record<DataType['kind'], number>> = {
  int2: 1,
  int4: 2,
  int8: 3,
  numeric: 4,
  float4: 5,
  float8: 6,
};

const temporalRank: Partial<Record<DataType['kind'], number>> = {
  date: 1,
  timestamp: 2,
  timestamptz: 3,
};

/** Whether a value of `from` may be implicitly cast to `to` (PostgreSQL's `castcontext = 'i'`). */
export function canImplicitCast(from: DataType, to: DataType): boolean {
  if (typesEqual(from, to)) return true;
  if (from.kind === 'unknown') return true;
  const nf = numericRank[from.kind];
  const nt = numericRank[to.kind];
  if (nf !== undefined && nt !== undefined) return nf <= nt;
  const tf = temporalRank[from.kind];
  const tt = temporalRank[to.kind];
  if (tf !== undefined && tt !== undefined) return tf <= tt;
  if (
    (from.kind === 'varchar' || from.kind === 'text') &&
    (to.kind === 'varchar' || to.kind === 'text')
  )
    return true;
  if (from.kind === 'time' && to.kind === 'interval') return true;
  if (from.kind === 'array' && to.kind === 'array')
    return canImplicitCast(from.element, to.element);
  return false;
}

/**
 * PostgreSQL's `select_common_type`: the type that all inputs (of UNION, CASE, IN, COALESCE, ...)
 * are coerced to, or undefined when none exists. All-unknown inputs resolve to text.
 */
export function commonType(types: DataType[]): DataType | undefined {
  const known = types.filter((t) => t.kind !== 'unknown');
  if (known.length === 0) return T.text;
  let best = known[0]!;
  for (const t of known.slice(1)) {
    if (typesEqual(best, t)) continue;
    if (canImplicitCast(best, t) && !canImplicitCast(t, best)) best = t;
    else if (canImplicitCast(t, best)) continue;
    else if (
      (best.kind === 'varchar' || best.kind === 'text') &&
      (t.kind === 'varchar' || t.kind === 'text')
    )
      best = T.text;
    else return undefined;
  }
  // varchar mixed with text resolves to text, as PostgreSQL's preferred string type.
  if (best.kind === 'varchar' && known.some((t) => t.kind === 'text')) return T.text;
  // A type modifier (numeric(10,2), varchar(5)) survives only if every input has it.
  if (hasModifier(best) && !known.every((t) => sameModifier(t, best)))
    return { kind: best.kind } as DataType;
  return best;
}

function hasModifier(t: DataType): boolean {
  return (
    (t.kind === 'numeric' && t.precision !== undefined) ||
    (t.kind === 'varchar' && t.length !== undefined)
  );
}

function sameModifier(a: DataType, b: DataType): boolean {
  if (a.kind === 'numeric' && b.kind === 'numeric')
    return a.precision === b.precision && a.scale === b.scale;
  if (a.kind === 'varchar' && b.kind === 'varchar') return a.length === b.length;
  return false;
}
