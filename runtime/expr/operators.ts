/**
 * Built-in operators: resolution of an operator name and argument types to an implementation,
 * after PostgreSQL's operator resolution (exact match, then an unknown literal takes the other
 * side's type, then the candidate needing the fewest implicit casts, preferring float8 / text /
 * timestamptz), and the implementations with PostgreSQL's result types and errors.
 *
 * `AND`/`OR`/`NOT` and the regex operators are not resolved here.
 */
import { SqlError, SqlState } from '../errors.js';
import type { BinaryOperator, UnaryOperator } from '../sql/ast.js';
import type { DataType } from '../types/datatype.js';
import { T, arrayOf, isNumeric, typesEqual } from '../types/datatype.js';
import type { Value } from '../types/value.js';
import type { EvalContext } from './context.js';
import { canImplicitCast } from '../types/coerce.js';
import { Decimal } from '../types/numeric.js';
import {
  Interval,
  timeAddInterval,
  timestampAddInterval,
  timestampDiff,
  timestamptzAddInterval,
} from '../types/interval.js';
import { Jsonb } from '../types/jsonb.js';
import {
  DATE_INFINITY,
  DATE_NEG_INFINITY,
  checkTimestamp,
  dateToTimestamp,
  isFiniteDate,
} from '../types/datetime.js';
import { compareValues, valuesEqual } from '../types/compare.js';
import { formatValue } from '../types/format.js';

export interface ResolvedOperator {
  leftType: DataType;
  rightType: DataType;
  returnType: DataType;
  eval(l: Value, r: Value, ctx: EvalContext): Value;
}

export interface ResolvedUnaryOperator {
  argType: DataType;
  returnType: DataType;
  eval(v: Value, ctx: EvalContext): Value;
}

type Eval = (l: Value, r: Value, ctx: EvalContext) => Value;

interface Candidate {
  /** Signature matched against the argument types. */
  l: DataType;
  r: DataType;
  /** Types the arguments are coerced to (default: the signature). */
  cl?: DataType;
  cr?: DataType;
  ret: DataType;
  eval: Eval;
}

// ---------------------------------------------------------------------------------------------
// Errors and checked arithmetic

function outOfRange(name: string): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, `${name} out of range`);
}

function divByZero(): SqlError {
  return new SqlError(SqlState.divisionByZero, 'division by zero');
}

type IntKind = 'int2' | 'int4' | 'int8';
const intLimits = {
  int2: [-32768, 32767, 'smallint'],
  int4: [-2147483648, 2147483647, 'integer'],
} as const;
const INT8_MIN = -9223372036854775808n;
const INT8_MAX = 9223372036854775807n;

function checkSmall(v: number, kind: 'int2' | 'int4'): number {
  const [lo, hi, name] = intLimits[kind];
  if (v < lo || v > hi) throw outOfRange(name);
  return v || 0;
}

function checkBig(v: bigint): bigint {
  if (v < INT8_MIN || v > INT8_MAX) throw outOfRange('bigint');
  return v;
}

function intArith(kind: IntKind, op: string): Eval | undefined {
  if (kind === 'int8') {
    switch (op) {
      case '+':
        return (a, b) => checkBig((a as bigint) + (b as bigint));
      case '-':
        return (a, b) => checkBig((a as bigint) - (b as bigint));
      case '*':
        return (a, b) => checkBig((a as bigint) * (b as bigint));
      case '/':
        return (a, b) => {
          if (b === 0n) throw divByZero();
          return checkBig((a as bigint) / (b as bigint));
        };
      case '%':
        return (a, b) => {
          if (b === 0n) throw divByZero();
          return (a as bigint) % (b as bigint);
        };
      case '&':
        return (a, b) => (a as bigint) & (b as bigint);
      case '|':
        return (a, b) => (a as bigint) | (b as bigint);
      case '#':
        return (a, b) => (a as bigint) ^ (b as bigint);
    }
    return undefined;
  }
  switch (op) {
    case '+':
      return (a, b) => checkSmall((a as number) + (b as number), kind);
    case '-':
      return (a, b) => checkSmall((a as number) - (b as number), kind);
    case '*':
      return (a, b) => {
        const p = (a as number) * (b as number);
        if (!Number.isSafeInteger(p)) throw outOfRange(intLimits[kind][2]);
        return checkSmall(p, kind);
      };
    case '/':
      return (a, b) => {
        if (b === 0) throw divByZero();
        return checkSmall(Math.trunc((a as number) / (b as number)), kind);
      };
    case '%':
      return (a, b) => {
        if (b === 0) throw divByZero();
        return (a as number) % (b as number) || 0;
      };
    case '&':
      return (a, b) => (a as number) & (b as number);
    case '|':
      return (a, b) => (a as number) | (b as number);
    case '#':
      return (a, b) => (a as number) ^ (b as number);
  }
  return undefined;
}

function checkFloat(r: number, a: number, b: number, zeroOk: boolean, float4: boolean): number {
  if (float4) r = Math.fround(r);
  if (!Number.isFinite(r) && Number.isFinite(a) && Number.isFinite(b))
    throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
  if (r === 0 && !zeroOk)
    throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: underflow');
  return r;
}

function floatArith(float4: boolean, op: string): Eval | undefined {
  switch (op) {
    case '+':
      return (a, b) =>
        checkFloat((a as number) + (b as number), a as number, b as number, true, float4);
    case '-':
      return (a, b) =>
        checkFloat((a as number) - (b as number), a as number, b as number, true, float4);
    case '*':
      return (a, b) =>
        checkFloat(
          (a as number) * (b as number),
          a as number,
          b as number,
          a === 0 || b === 0,
          float4,
        );
    case '/':
      return (a, b) => {
        if (b === 0) throw divByZero();
        return checkFloat((a as number) / (b as number), a as number, b as number, a === 0, float4);
      };
    case '^':
      return float4 ? undefined : (a, b) => floatPow(a as number, b as number);
  }
  return undefined;
}

function floatPow(a: number, b: number): number {
  if (a === 0 && b < 0) throw new SqlError('2201F', 'zero raised to a negative power is undefined');
  if (a < 0 && Number.isFinite(b) && !Number.isInteger(b))
    throw new SqlError(
      '2201F',
      'a negative number raised to a non-integer power yields a complex result',
    );
  if (Number.isNaN(a)) return b === 0 ? 1 : NaN;
  if (Number.isNaN(b)) return a === 1 ? 1 : NaN;
  // pow(-1, ±Infinity) is 1 in C, NaN in JS.
  if (a === -1 && !Number.isFinite(b)) return 1;
  return checkFloat(Math.pow(a, b), a, b, a === 0, false);
}

function numericArith(op: string): Eval | undefined {
  switch (op) {
    case '+':
      return (a, b) => (a as Decimal).add(b as Decimal);
    case '-':
      return (a, b) => (a as Decimal).sub(b as Decimal);
    case '*':
      return (a, b) => (a as Decimal).mul(b as Decimal);
    case '/':
      return (a, b) => (a as Decimal).div(b as Decimal);
    case '%':
      return (a, b) => (a as Decimal).mod(b as Decimal);
    case '^':
      return (a, b) => (a as Decimal).pow(b as Decimal);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Candidate tables

const numericKinds = [T.int2, T.int4, T.int8, T.numeric, T.float4, T.float8] as const;

const comparableBase: DataType[] = [
  T.boolean,
  T.int2,
  T.int4,
  T.int8,
  T.float4,
  T.float8,
  T.numeric,
  T.text,
  T.date,
  T.time,
  T.timestamp,
  T.timestamptz,
  T.interval,
  T.jsonb,
  T.bytea,
];

/** Mixed-width pairs PostgreSQL has direct operators for: the narrower side widens. */
const crossPairs: [DataType, DataType, DataType][] = [
  [T.int2, T.int4, T.int4],
  [T.int4, T.int2, T.int4],
  [T.int2, T.int8, T.int8],
  [T.int8, T.int2, T.int8],
  [T.int4, T.int8, T.int8],
  [T.int8, T.int4, T.int8],
  [T.float4, T.float8, T.float8],
  [T.float8, T.float4, T.float8],
];

function arithEval(t: DataType, op: string): Eval | undefined {
  switch (t.kind) {
    case 'int2':
    case 'int4':
    case 'int8':
      return intArith(t.kind, op);
    case 'float4':
      return floatArith(true, op);
    case 'float8':
      return floatArith(false, op);
    case 'numeric':
      return numericArith(op);
    default:
      return undefined;
  }
}

function cmpEval(op: string, t: DataType): Eval {
  switch (op) {
    case '=':
      return (a, b) => compareValues(a, b, t) === 0;
    case '<>':
      return (a, b) => compareValues(a, b, t) !== 0;
    case '<':
      return (a, b) => compareValues(a, b, t) < 0;
    case '<=':
      return (a, b) => compareValues(a, b, t) <= 0;
    case '>':
      return (a, b) => compareValues(a, b, t) > 0;
    default:
      return (a, b) => compareValues(a, b, t) >= 0;
  }
}

const comparisonOps = new Set(['=', '<>', '<', '<=', '>', '>=']);

function dateAddDays(d: number, n: number): number {
  if (!isFiniteDate(d)) return d;
  const r = d + n;
  if (r >= DATE_INFINITY || r <= DATE_NEG_INFINITY || Math.abs(r) > 2_147_483_000)
    throw new SqlError(SqlState.datetimeFieldOverflow, 'date out of range');
  return r;
}

function toText(v: Value, t: DataType, ctx: EvalContext): string {
  if (t.kind === 'text' || t.kind === 'varchar' || t.kind === 'unknown') return v as string;
  // A boolean reaches || through its cast to text, which spells it out.
  if (t.kind === 'boolean') return v ? 'true' : 'false';
  return formatValue(v, t, ctx);
}

function arrayContains(a: Value[], b: Value[], t: DataType): boolean {
  return b.every((y) => y !== null && a.some((x) => x !== null && valuesEqual(x, y, t)));
}

function textArrayArg(v: Value): (string | null)[] {
  return (v as Value[]).map((x) => (x === null ? null : String(x)));
}

/** Candidate implementations of `op` relevant to the argument types. */
function candidates(op: BinaryOperator, lt: DataType, rt: DataType): Candidate[] {
  const out: Candidate[] = [];
  const add = (
    l: DataType,
    r: DataType,
    ret: DataType,
    ev: Eval,
    cl?: DataType,
    cr?: DataType,
  ): void => {
    out.push({ l, r, ret, eval: ev, cl, cr });
  };
  if (comparisonOps.has(op)) {
    for (const t of comparableBase) add(t, t, T.boolean, cmpEval(op, t));
    for (const [l, r, w] of crossPairs) add(l, r, T.boolean, cmpEval(op, w), w, w);
    for (const t of [lt, rt])
      if (t.kind === 'array' || t.kind === 'struct') add(t, t, T.boolean, cmpEval(op, t));
    return out;
  }
  switch (op) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '^':
      for (const t of numericKinds) {
        if (op === '^' && t.kind !== 'float8' && t.kind !== 'numeric') continue;
        if (op === '%' && (t.kind === 'float4' || t.kind === 'float8')) continue;
        const ev = arithEval(t, op);
        if (ev) add(t, t, t, ev);
      }
      if (op !== '^')
        for (const [l, r, w] of crossPairs) {
          if (op === '%' && (w.kind === 'float8' || w.kind === 'float4')) continue;
          const ev = arithEval(w, op);
          if (ev) add(l, r, w, ev, w, w);
        }
      temporalCandidates(op, add);
      break;
    case '||':
      add(T.text, T.text, T.text, (a, b) => (a as string) + (b as string));
      if (lt.kind === 'array' || rt.kind === 'array') {
        const at = lt.kind === 'array' ? lt : rt;
        const el = (at as { element: DataType }).element;
        add(at, at, at, (a, b) => [...(a as Value[]), ...(b as Value[])]);
        add(at, el, at, (a, b) => [...(a as Value[]), b]);
        add(el, at, at, (a, b) => [a, ...(b as Value[])]);
      } else {
        // anynonarray || text and text || anynonarray: the other side is printed as text.
        if (lt.kind !== 'unknown' && lt.kind !== 'text' && lt.kind !== 'varchar')
          add(lt, T.text, T.text, (a, b, ctx) => toText(a, lt, ctx) + (b as string));
        if (rt.kind !== 'unknown' && rt.kind !== 'text' && rt.kind !== 'varchar')
          add(T.text, rt, T.text, (a, b, ctx) => (a as string) + toText(b, rt, ctx));
      }
      add(T.jsonb, T.jsonb, T.jsonb, (a, b) => (a as Jsonb).concat(b as Jsonb));
      break;
    case '->':
      add(T.jsonb, T.text, T.jsonb, (a, b) => (a as Jsonb).get(b as string));
      add(T.jsonb, T.int4, T.jsonb, (a, b) => (a as Jsonb).get(b as number));
      break;
    case '->>':
      add(T.jsonb, T.text, T.text, (a, b) => (a as Jsonb).getText(b as string));
      add(T.jsonb, T.int4, T.text, (a, b) => (a as Jsonb).getText(b as number));
      break;
    case '#>':
      add(T.jsonb, arrayOf(T.text), T.jsonb, (a, b) => (a as Jsonb).getPath(textArrayArg(b)));
      break;
    case '#>>':
      add(T.jsonb, arrayOf(T.text), T.text, (a, b) => (a as Jsonb).getPathText(textArrayArg(b)));
      break;
    case '@>':
    case '<@': {
      const flip = op === '<@';
      add(T.jsonb, T.jsonb, T.boolean, (a, b) =>
        flip ? (b as Jsonb).contains(a as Jsonb) : (a as Jsonb).contains(b as Jsonb),
      );
      for (const t of [lt, rt])
        if (t.kind === 'array') {
          const el = t.element;
          add(t, t, T.boolean, (a, b) =>
            flip
              ? arrayContains(b as Value[], a as Value[], el)
              : arrayContains(a as Value[], b as Value[], el),
          );
        }
      break;
    }
    case '&&':
      for (const t of [lt, rt])
        if (t.kind === 'array') {
          const el = t.element;
          add(t, t, T.boolean, (a, b) =>
            (a as Value[]).some(
              (x) => x !== null && (b as Value[]).some((y) => y !== null && valuesEqual(x, y, el)),
            ),
          );
        }
      break;
    case '?':
      add(T.jsonb, T.text, T.boolean, (a, b) => (a as Jsonb).hasKey(b as string));
      break;
    case '?|':
      add(T.jsonb, arrayOf(T.text), T.boolean, (a, b) => (a as Jsonb).hasAnyKey(textArrayArg(b)));
      break;
    case '?&':
      add(T.jsonb, arrayOf(T.text), T.boolean, (a, b) => (a as Jsonb).hasAllKeys(textArrayArg(b)));
      break;
    case '&':
    case '|':
    case '#':
      for (const t of [T.int2, T.int4, T.int8]) add(t, t, t, intArith(t.kind, op)!);
      for (const [l, r, w] of crossPairs)
        if (w.kind !== 'float8') add(l, r, w, intArith(w.kind as IntKind, op)!, w, w);
      break;
    case '<<':
    case '>>':
      for (const t of [T.int2, T.int4, T.int8]) add(t, T.int4, t, shiftEval(t.kind, op));
      break;
    default:
      break;
  }
  return out;
}

function shiftEval(kind: IntKind, op: '<<' | '>>'): Eval {
  if (kind === 'int8')
    return (a, b) => {
      const n = BigInt((b as number) & 63);
      return op === '<<' ? BigInt.asIntN(64, (a as bigint) << n) : (a as bigint) >> n;
    };
  return (a, b) => {
    const n = b as number;
    if (kind === 'int4') return op === '<<' ? (a as number) << n : (a as number) >> n;
    // int2 shifts in 16 bits, as C's int16 arithmetic truncated on return.
    const r = op === '<<' ? (a as number) << (n & 31) : (a as number) >> (n & 31);
    return (r << 16) >> 16;
  };
}

function temporalCandidates(
  op: string,
  add: (l: DataType, r: DataType, ret: DataType, ev: Eval, cl?: DataType, cr?: DataType) => void,
): void {
  const iv = (v: Value): Interval => v as Interval;
  switch (op) {
    case '+':
      add(T.date, T.int4, T.date, (a, b) => dateAddDays(a as number, b as number));
      add(T.int4, T.date, T.date, (a, b) => dateAddDays(b as number, a as number));
      add(T.date, T.interval, T.timestamp, (a, b) =>
        timestampAddInterval(dateToTimestamp(a as number), iv(b)),
      );
      add(T.interval, T.date, T.timestamp, (a, b) =>
        timestampAddInterval(dateToTimestamp(b as number), iv(a)),
      );
      add(T.date, T.time, T.timestamp, (a, b) =>
        checkTimestamp(dateToTimestamp(a as number) + (b as bigint)),
      );
      add(T.time, T.date, T.timestamp, (a, b) =>
        checkTimestamp(dateToTimestamp(b as number) + (a as bigint)),
      );
      add(T.timestamp, T.interval, T.timestamp, (a, b) => timestampAddInterval(a as bigint, iv(b)));
      add(T.interval, T.timestamp, T.timestamp, (a, b) => timestampAddInterval(b as bigint, iv(a)));
      add(T.timestamptz, T.interval, T.timestamptz, (a, b, ctx) =>
        timestamptzAddInterval(a as bigint, iv(b), ctx.timeZone),
      );
      add(T.interval, T.timestamptz, T.timestamptz, (a, b, ctx) =>
        timestamptzAddInterval(b as bigint, iv(a), ctx.timeZone),
      );
      add(T.time, T.interval, T.time, (a, b) => timeAddInterval(a as bigint, iv(b)));
      add(T.interval, T.time, T.time, (a, b) => timeAddInterval(b as bigint, iv(a)));
      add(T.interval, T.interval, T.interval, (a, b) => iv(a).add(iv(b)));
      break;
    case '-':
      add(T.date, T.int4, T.date, (a, b) => dateAddDays(a as number, -(b as number)));
      add(T.date, T.date, T.int4, (a, b) => {
        if (!isFiniteDate(a as number) || !isFiniteDate(b as number))
          throw new SqlError(SqlState.datetimeFieldOverflow, 'cannot subtract infinite dates');
        return (a as number) - (b as number);
      });
      add(T.date, T.interval, T.timestamp, (a, b) =>
        timestampAddInterval(dateToTimestamp(a as number), iv(b).neg()),
      );
      add(T.timestamp, T.interval, T.timestamp, (a, b) =>
        timestampAddInterval(a as bigint, iv(b).neg()),
      );
      add(T.timestamptz, T.interval, T.timestamptz, (a, b, ctx) =>
        timestamptzAddInterval(a as bigint, iv(b).neg(), ctx.timeZone),
      );
      add(T.timestamp, T.timestamp, T.interval, (a, b) => timestampDiff(a as bigint, b as bigint));
      add(T.timestamptz, T.timestamptz, T.interval, (a, b) =>
        timestampDiff(a as bigint, b as bigint),
      );
      add(T.time, T.interval, T.time, (a, b) => timeAddInterval(a as bigint, iv(b).neg()));
      add(T.time, T.time, T.interval, (a, b) => new Interval(0, 0, (a as bigint) - (b as bigint)));
      add(T.interval, T.interval, T.interval, (a, b) => iv(a).sub(iv(b)));
      break;
    case '*':
      add(T.interval, T.float8, T.interval, (a, b) => iv(a).mul(b as number));
      add(T.float8, T.interval, T.interval, (a, b) => iv(b).mul(a as number));
      break;
    case '/':
      add(T.interval, T.float8, T.interval, (a, b) => iv(a).div(b as number));
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Resolution

/** varchar has no operators of its own: it matches text exactly, as PostgreSQL's binary coercion. */
function norm(t: DataType): DataType {
  if (t.kind === 'varchar') return T.text;
  if (t.kind === 'array') return arrayOf(norm(t.element));
  return t;
}

function same(a: DataType, b: DataType): boolean {
  return typesEqual(norm(a), norm(b));
}

const preferred = new Set(['float8', 'text', 'timestamptz', 'interval', 'boolean']);

function finish(c: Candidate): ResolvedOperator {
  return { leftType: c.cl ?? c.l, rightType: c.cr ?? c.r, returnType: c.ret, eval: c.eval };
}

/**
 * Resolve `left op right` to an implementation, or undefined (the binder then raises 42883).
 * Arguments must be coerced to `leftType` / `rightType`; NULLs are the caller's business.
 */
export function resolveBinaryOperator(
  op: BinaryOperator,
  left: DataType,
  right: DataType,
): ResolvedOperator | undefined {
  if (op === 'AND' || op === 'OR') return undefined;
  let lt = left;
  let rt = right;
  if (lt.kind === 'unknown' && rt.kind === 'unknown') {
    lt = T.text;
    rt = T.text;
  }
  const cands = candidates(op, lt, rt);
  // 1. Exact match (an unknown side first assumes the other side's type).
  const el = lt.kind === 'unknown' ? rt : lt;
  const er = rt.kind === 'unknown' ? lt : rt;
  for (const c of cands) if (same(c.l, el) && same(c.r, er)) return finish(c);
  // 2. Fewest implicit casts; ties go to PostgreSQL's preferred types, then to text for
  //    unknown literals.
  let best: Candidate | undefined;
  let bestScore = Infinity;
  for (const c of cands) {
    let score = 0;
    let ok = true;
    for (const [actual, formal] of [
      [lt, c.l],
      [rt, c.r],
    ] as const) {
      if (actual.kind === 'unknown') {
        score += formal.kind === 'text' ? 10 : 11;
        continue;
      }
      if (same(actual, formal)) continue;
      if (!canImplicitCast(norm(actual), formal)) {
        ok = false;
        break;
      }
      score += preferred.has(formal.kind) ? 19 : 20;
    }
    if (ok && score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best ? finish(best) : undefined;
}

function negInt(kind: IntKind): (v: Value) => Value {
  if (kind === 'int8') return (v) => checkBig(-(v as bigint));
  return (v) => checkSmall(-(v as number), kind);
}

function absInt(kind: IntKind): (v: Value) => Value {
  if (kind === 'int8') return (v) => checkBig((v as bigint) < 0n ? -(v as bigint) : (v as bigint));
  return (v) => checkSmall(Math.abs(v as number), kind);
}

/** Resolve a prefix operator (`-`, `+`, `@`, `~`, `|/`, `||/`); `NOT` is the caller's. */
export function resolveUnaryOperator(
  op: UnaryOperator,
  t: DataType,
): ResolvedUnaryOperator | undefined {
  if (op === 'NOT') return undefined;
  const u = (
    argType: DataType,
    returnType: DataType,
    ev: (v: Value) => Value,
  ): ResolvedUnaryOperator => ({
    argType,
    returnType,
    eval: (v) => ev(v),
  });
  const k = t.kind === 'unknown' ? (op === '|/' || op === '||/' ? 'float8' : 'numeric') : t.kind;
  switch (op) {
    case '+':
      if (isNumeric(t) || t.kind === 'unknown') {
        const tt = t.kind === 'unknown' ? T.numeric : t;
        return u(tt, tt, (v) => v);
      }
      if (t.kind === 'interval') return u(t, t, (v) => v);
      return undefined;
    case '-':
      switch (k) {
        case 'int2':
        case 'int4':
        case 'int8':
          return u(t, t, negInt(k));
        case 'float4':
        case 'float8':
          return u(t, t, (v) => -(v as number));
        case 'numeric':
          return u(T.numeric, T.numeric, (v) => (v as Decimal).neg());
        case 'interval':
          return u(t, t, (v) => (v as Interval).neg());
      }
      return undefined;
    case '@':
      switch (k) {
        case 'int2':
        case 'int4':
        case 'int8':
          return u(t, t, absInt(k));
        case 'float4':
        case 'float8':
          return u(t, t, (v) => Math.abs(v as number));
        case 'numeric':
          return u(T.numeric, T.numeric, (v) => (v as Decimal).abs());
      }
      return undefined;
    case '~':
      switch (k) {
        case 'int2':
        case 'int4':
          return u(t, t, (v) => ~(v as number));
        case 'int8':
          return u(t, t, (v) => ~(v as bigint));
      }
      return undefined;
    case '|/':
      if (!isNumeric(t) && t.kind !== 'unknown') return undefined;
      return u(T.float8, T.float8, (v) => {
        const x = v as number;
        if (x < 0) throw new SqlError('2201F', 'cannot take square root of a negative number');
        return Math.sqrt(x);
      });
    case '||/':
      if (!isNumeric(t) && t.kind !== 'unknown') return undefined;
      return u(T.float8, T.float8, (v) => Math.cbrt(v as number));
  }
  return undefined;
}
