/**
 * Aggregate functions. Every accumulator supports retraction (`apply(args, -1)`), and its result
 * depends only on the multiset of rows it currently holds (for order-sensitive aggregates such as
 * string_agg, on their arrival order with retracted rows removed at their earliest occurrence), so
 * a streaming aggregate equals a batch recomputation. Sums are kept exactly (floats as scaled
 * bigints) so that add-then-retract returns to the same state; float aggregates that never saw a
 * retraction report PostgreSQL's sequential result instead, which can differ in the last bits.
 *
 * Every accumulator's state can be saved for a checkpoint (`save`, a JSON-compatible form: a
 * tuple per piece of state, SQL values through encodeValue, bigints as decimal strings) and loaded
 * into a fresh accumulator of the same aggregate, which then behaves exactly like the original.
 */
import { SqlError, SqlState } from '../errors.js';
import type { DataType } from '../types/datatype.js';
import { T, arrayOf } from '../types/datatype.js';
import { Decimal, pow10 } from '../types/numeric.js';
import { Interval } from '../types/interval.js';
import { Jsonb, JsonObject } from '../types/jsonb.js';
import type { JsonValue } from '../types/jsonb.js';
import { compareValues, valueKey } from '../types/compare.js';
import type { Value } from '../types/value.js';
import { decodeRow, decodeValue, encodeRow, encodeValue } from '../types/state-value.js';
import type { StateJson } from '../types/state-value.js';
import type { Accumulator, AggregateFunction } from '../expr/registry.js';
import { aggregate } from './overload.js';
import type { AggOverload } from './overload.js';
import { checkInt8 } from './util.js';
import { toJsonValue } from './json.js';

const { int2, int4, int8, float4, float8, numeric, text, interval, boolean: bool } = T;

// ---- checkpoint state -----------------------------------------------------------------------

/** A piece of accumulator state that can be written to a checkpoint and read back exactly. */
interface Stateful {
  save(): StateJson;
  /** Overwrites the whole state with one `save` returned. */
  load(state: StateJson): void;
}

function corruptState(what: string): SqlError {
  return new SqlError(SqlState.dataCorrupted, `aggregate state is invalid: ${what}`);
}

/** `j` as a saved tuple of `n` elements. */
function stateTuple(j: StateJson, n: number): StateJson[] {
  if (!Array.isArray(j) || j.length !== n) throw corruptState(JSON.stringify(j).slice(0, 80));
  return j;
}

/** A list in saved state. */
function stateList(j: StateJson | undefined): StateJson[] {
  if (!Array.isArray(j)) throw corruptState('expected a list');
  return j;
}

/** A count (always a safe integer). */
function stateCount(j: StateJson | undefined): number {
  if (typeof j !== 'number' || !Number.isSafeInteger(j)) throw corruptState('expected a count');
  return j;
}

const saveBig = (b: bigint): StateJson => b.toString();
function loadBig(j: StateJson | undefined): bigint {
  if (typeof j !== 'string') throw corruptState('expected an integer');
  return BigInt(j);
}

/** Any double, exactly (NaN, ±Infinity and -0 included). */
const saveFloat = (x: number): StateJson => encodeValue(x);
function loadFloat(j: StateJson | undefined): number {
  const x = j === undefined ? undefined : decodeValue(j);
  if (typeof x !== 'number') throw corruptState('expected a number');
  return x;
}

// ---- exact float sums ---------------------------------------------------------------------

const F64 = new DataView(new ArrayBuffer(8));

/** x × 2^1074 as an exact bigint (x finite). */
function floatToScaled(x: number): bigint {
  F64.setFloat64(0, x);
  const hi = F64.getUint32(0);
  const lo = F64.getUint32(4);
  const neg = hi >>> 31 === 1;
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp !== 0) mant = (mant | (1n << 52n)) << BigInt(exp - 1);
  return neg ? -mant : mant;
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** ldexp without intermediate overflow/underflow of the power of two. */
function ldexp(m: number, e: number): number {
  let r = m;
  while (e > 1000) {
    r *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    r *= 2 ** -1000;
    e += 1000;
  }
  return r * 2 ** e;
}

/** The double nearest to s × 2^-shift. */
function scaledToFloat(s: bigint, shift: number): number {
  if (s === 0n) return 0;
  const neg = s < 0n;
  let a = neg ? -s : s;
  const k = Math.max(0, bitLength(a) - 64);
  if (k > 0) {
    const sticky = (a & ((1n << BigInt(k)) - 1n)) !== 0n;
    a >>= BigInt(k);
    if (sticky) a |= 1n;
  }
  const r = ldexp(Number(a), k - shift);
  return neg ? -r : r;
}

/** Exact multiset sum of doubles with NaN/±Infinity counts. */
class FloatSum implements Stateful {
  sum = 0n;
  sumSq = 0n;
  n = 0;
  /** PostgreSQL's sequential float accumulation (Youngs-Cramer), valid until a retraction. */
  seqN = 0;
  seqSx = 0;
  seqSxx = 0;
  retracted = false;
  nan = 0;
  pinf = 0;
  ninf = 0;
  constructor(private readonly squares = false) {}
  apply(x: number, sign: 1 | -1): void {
    this.n += sign;
    if (sign === -1) this.retracted = true;
    else if (!this.retracted) {
      const prevN = this.seqN;
      this.seqN += 1;
      this.seqSx += x;
      if (prevN > 0) {
        const tmp = x * this.seqN - this.seqSx;
        this.seqSxx += (tmp * tmp) / (this.seqN * prevN);
      } else this.seqSxx = Number.isFinite(x) ? 0 : NaN;
    }
    if (Number.isNaN(x)) this.nan += sign;
    else if (x === Infinity) this.pinf += sign;
    else if (x === -Infinity) this.ninf += sign;
    else {
      const s = floatToScaled(x);
      this.sum += sign === 1 ? s : -s;
      if (this.squares) this.sumSq += sign === 1 ? s * s : -(s * s);
    }
  }
  special(): number | undefined {
    if (this.nan > 0 || (this.pinf > 0 && this.ninf > 0)) return NaN;
    if (this.pinf > 0) return Infinity;
    if (this.ninf > 0) return -Infinity;
    return undefined;
  }
  /** Sequential results match PostgreSQL bit for bit on append-only input. */
  sequential(): boolean {
    return !this.retracted;
  }
  total(): number {
    const sp = this.special();
    if (sp !== undefined) return sp;
    if (this.sequential()) return this.seqSx;
    const r = scaledToFloat(this.sum, 1074);
    if (!Number.isFinite(r))
      throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
    return r;
  }
  /** `[n, nan, +inf, -inf, Σ, Σ², retracted, seqN, seqΣx, seqΣxx]`. */
  save(): StateJson {
    return [
      this.n,
      this.nan,
      this.pinf,
      this.ninf,
      saveBig(this.sum),
      saveBig(this.sumSq),
      this.retracted,
      this.seqN,
      saveFloat(this.seqSx),
      saveFloat(this.seqSxx),
    ];
  }
  load(state: StateJson): void {
    const [n, nan, pinf, ninf, sum, sumSq, retracted, seqN, seqSx, seqSxx] = stateTuple(state, 10);
    this.n = stateCount(n);
    this.nan = stateCount(nan);
    this.pinf = stateCount(pinf);
    this.ninf = stateCount(ninf);
    this.sum = loadBig(sum);
    this.sumSq = loadBig(sumSq);
    this.retracted = retracted === true;
    this.seqN = stateCount(seqN);
    this.seqSx = loadFloat(seqSx);
    this.seqSxx = loadFloat(seqSxx);
  }
}

/** Exact multiset sum of decimals; the result keeps the largest scale among current inputs. */
class DecimalSum implements Stateful {
  private sum = 0n;
  private sumSq = 0n;
  /** Fixed internal scale; raised (rescaling the sums) when an input needs more. */
  private scale = 0;
  private scales = new Map<number, number>();
  n = 0;
  private nan = 0;
  private pinf = 0;
  private ninf = 0;
  constructor(private readonly squares = false) {}
  apply(x: Decimal, sign: 1 | -1): void {
    this.n += sign;
    if (x.isNaN()) this.nan += sign;
    else if (!x.isFinite()) {
      if (x.sign() > 0) this.pinf += sign;
      else this.ninf += sign;
    } else {
      if (x.scale > this.scale) {
        const f = pow10(x.scale - this.scale);
        this.sum *= f;
        this.sumSq *= f * f;
        this.scale = x.scale;
      }
      const c = x.coef * pow10(this.scale - x.scale);
      this.sum += sign === 1 ? c : -c;
      if (this.squares) this.sumSq += sign === 1 ? c * c : -(c * c);
      const k = (this.scales.get(x.scale) ?? 0) + sign;
      if (k === 0) this.scales.delete(x.scale);
      else this.scales.set(x.scale, k);
    }
  }
  /** Folds pre-aggregated finite inputs (see Accumulator.addBatch). */
  addBatch(rows: number, sum: bigint, scale: number, scales: ReadonlyMap<number, number>): void {
    this.n += rows;
    if (scale > this.scale) {
      const f = pow10(scale - this.scale);
      this.sum *= f;
      this.sumSq *= f * f;
      this.scale = scale;
    }
    if (sum !== 0n) this.sum += scale === this.scale ? sum : sum * pow10(this.scale - scale);
    scales.forEach((k, sc) => {
      const c = (this.scales.get(sc) ?? 0) + k;
      if (c === 0) this.scales.delete(sc);
      else this.scales.set(sc, c);
    });
  }
  special(): Decimal | undefined {
    if (this.nan > 0 || (this.pinf > 0 && this.ninf > 0)) return Decimal.NaN;
    if (this.pinf > 0) return Decimal.Infinity;
    if (this.ninf > 0) return Decimal.NegativeInfinity;
    return undefined;
  }
  displayScale(): number {
    let s = 0;
    for (const k of this.scales.keys()) if (k > s) s = k;
    return s;
  }
  total(): Decimal {
    return this.special() ?? Decimal.of(this.sum, this.scale).rescale(this.displayScale());
  }
  totalSquares(): Decimal {
    return Decimal.of(this.sumSq, 2 * this.scale).rescale(2 * this.displayScale());
  }
  /** `[n, nan, +inf, -inf, scale, Σ, Σ², [input scale, count, …]]`. */
  save(): StateJson {
    const scales: number[] = [];
    this.scales.forEach((k, sc) => scales.push(sc, k));
    return [
      this.n,
      this.nan,
      this.pinf,
      this.ninf,
      this.scale,
      saveBig(this.sum),
      saveBig(this.sumSq),
      scales,
    ];
  }
  load(state: StateJson): void {
    const [n, nan, pinf, ninf, scale, sum, sumSq, scales] = stateTuple(state, 8);
    this.n = stateCount(n);
    this.nan = stateCount(nan);
    this.pinf = stateCount(pinf);
    this.ninf = stateCount(ninf);
    this.scale = stateCount(scale);
    this.sum = loadBig(sum);
    this.sumSq = loadBig(sumSq);
    const pairs = stateList(scales);
    this.scales = new Map();
    for (let i = 0; i + 1 < pairs.length; i += 2)
      this.scales.set(stateCount(pairs[i]), stateCount(pairs[i + 1]));
  }
}

// ---- helpers --------------------------------------------------------------------------------

/** An accumulator from its parts; `state` saves and loads everything `apply` changes. */
function accumulator(
  apply: (args: Value[], sign: 1 | -1) => void,
  result: () => Value,
  state: Stateful,
  addBatch?: Accumulator['addBatch'],
): Accumulator {
  const save = (): StateJson => state.save();
  const load = (j: StateJson): void => state.load(j);
  return addBatch ? { apply, result, save, load, addBatch } : { apply, result, save, load };
}

/**
 * Sorted multiset of integral values (integers, dates, times, timestamps), whose written form is
 * the value itself: sorted distinct values with their counts. Values are held as doubles while
 * every one is exact as a double (every timestamp within ±285 years of 1970 is), as bigints once
 * one is not. Values mostly arrive in order (timestamps), so inserting is usually an append, and
 * a sorted run of new maxima is appended in one pass. Plain arrays of doubles rather than typed
 * arrays: the many small sets of a grouped MIN/MAX grow often, and typed arrays are costly to
 * create.
 */
class IntMultiset implements Stateful {
  private vals: number[] = [];
  private counts: number[] = [];
  /** Set once a value is not an exact double: values and counts as plain arrays. */
  private wide: { vals: bigint[]; counts: number[] } | null = null;
  /** `bigints`: results are bigint (int8, time, timestamps); else number. */
  constructor(private readonly bigints: boolean) {}

  apply(x: number | bigint, sign: 1 | -1): void {
    if (!this.wide) {
      if (typeof x === 'number') return this.applyExact(x, sign);
      if (x >= -MAX_EXACT && x <= MAX_EXACT) return this.applyExact(Number(x), sign);
      this.widen();
    }
    const w = this.wide!;
    const v = BigInt(x);
    const i = lowerBound(w.vals, w.vals.length, v);
    if (i < w.vals.length && w.vals[i] === v) {
      const c = w.counts[i]! + sign;
      if (c > 0) w.counts[i] = c;
      else {
        w.vals.splice(i, 1);
        w.counts.splice(i, 1);
      }
    } else if (sign > 0) {
      w.vals.splice(i, 0, v);
      w.counts.splice(i, 0, 1);
    }
  }

  private widen(): void {
    this.wide = { vals: this.vals.map((v) => BigInt(v)), counts: this.counts };
    this.vals = [];
    this.counts = [];
  }

  private applyExact(v: number, sign: 1 | -1): void {
    const vals = this.vals;
    const len = vals.length;
    const i = len > 0 && v > vals[len - 1]! ? len : lowerBound(vals, len, v);
    if (i < len && vals[i] === v) {
      const c = this.counts[i]! + sign;
      if (c > 0) this.counts[i] = c;
      else {
        vals.splice(i, 1);
        this.counts.splice(i, 1);
      }
    } else if (sign > 0) {
      if (i === len) {
        vals.push(v);
        this.counts.push(1);
      } else {
        vals.splice(i, 0, v);
        this.counts.splice(i, 0, 1);
      }
    }
  }

  /**
   * Inserts `values[from..to)`, exact integers in ascending order; returns false (inserting
   * nothing) when they cannot be appended in one piece, so the caller inserts them one by one.
   */
  appendRun(values: Float64Array, from: number, to: number): boolean {
    if (this.wide) return false;
    const vals = this.vals;
    const counts = this.counts;
    const len = vals.length;
    if (len > 0 && values[from]! <= vals[len - 1]!) return false;
    for (let j = from; j < to; j++) {
      const v = values[j]!;
      const n = vals.length;
      if (n > len && v === vals[n - 1]) counts[n - 1]!++;
      else {
        vals.push(v);
        counts.push(1);
      }
    }
    return true;
  }

  private out(v: number | bigint | undefined): Value {
    if (v === undefined) return null;
    return this.bigints && typeof v === 'number' ? BigInt(v) : v;
  }
  min(): Value {
    if (this.wide) return this.out(this.wide.vals[0]);
    return this.out(this.vals[0]);
  }
  max(): Value {
    if (this.wide) return this.out(this.wide.vals[this.wide.vals.length - 1]);
    return this.out(this.vals[this.vals.length - 1]);
  }
  /** `[wide, values, counts]`: values as numbers (or decimal strings once wide). */
  save(): StateJson {
    if (this.wide) return [true, this.wide.vals.map(saveBig), this.wide.counts.slice()];
    return [false, this.vals.map(saveFloat), this.counts.slice()];
  }
  load(state: StateJson): void {
    const [wide, vals, counts] = stateTuple(state, 3);
    const cs = stateList(counts).map(stateCount);
    const vs = stateList(vals);
    if (vs.length !== cs.length) throw corruptState('value and count lists differ in length');
    if (wide === true) {
      this.wide = { vals: vs.map(loadBig), counts: cs };
      this.vals = [];
      this.counts = [];
    } else {
      this.wide = null;
      this.vals = vs.map(loadFloat);
      this.counts = cs;
    }
  }
}

/** First index in sorted `a[0..n)` whose value is not below `v`. */
function lowerBound<T extends number | bigint>(a: ArrayLike<T>, n: number, v: T): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);
const BIGINT_KINDS = new Set(['int8', 'time', 'timestamp', 'timestamptz']);

const INTEGRAL = new Set(['int2', 'int4', 'int8', 'date', 'time', 'timestamp', 'timestamptz']);

/** A sorted multiset of values of one type (min/max/percentiles/mode). */
/** The exact written form of a value, telling apart equal values such as 1.0 and 1.00. */
function exactForm(v: Value): string {
  if (v instanceof Interval) return `${v.months}|${v.days}|${v.micros}`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  return String(v);
}

/**
 * Sorted multiset of values. Values that compare equal share one entry but keep their written
 * forms, so retracting `1.0` leaves `1.00` (not `1.0`) as the value shown.
 */
class SortedMultiset implements Stateful {
  items: { v: Value; n: number; forms: Map<string, { v: Value; n: number }> }[] = [];
  size = 0;
  constructor(private readonly cmp: (a: Value, b: Value) => number) {}
  private find(v: Value): [number, boolean] {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = this.cmp(this.items[mid]!.v, v);
      if (c === 0) return [mid, true];
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return [lo, false];
  }
  apply(v: Value, sign: 1 | -1): void {
    const [i, found] = this.find(v);
    const form = exactForm(v);
    if (sign === 1) {
      if (found) {
        const it = this.items[i]!;
        it.n++;
        const f = it.forms.get(form);
        if (f) f.n++;
        else it.forms.set(form, { v, n: 1 });
      } else this.items.splice(i, 0, { v, n: 1, forms: new Map([[form, { v, n: 1 }]]) });
      this.size++;
    } else if (found) {
      const it = this.items[i]!;
      const f = it.forms.get(form);
      if (f && --f.n === 0) {
        it.forms.delete(form);
        // Show a form that is still present.
        const next = it.forms.values().next();
        if (!next.done) it.v = next.value.v;
      }
      if (--it.n === 0) this.items.splice(i, 1);
      this.size--;
    }
  }
  min(): Value {
    return this.items.length ? this.items[0]!.v : null;
  }
  max(): Value {
    return this.items.length ? this.items[this.items.length - 1]!.v : null;
  }
  /** The value at 0-based rank `k` in sorted order. */
  at(k: number): Value {
    let r = k;
    for (const it of this.items) {
      if (r < it.n) return it.v;
      r -= it.n;
    }
    return null;
  }
  /**
   * `[size, [count, [form, value, count, …], shown], …]` in sorted order, forms in insertion
   * order; `shown` is the index of the form shown, or `[value]` when it is none of them.
   */
  save(): StateJson {
    const out: StateJson[] = [this.size];
    for (const it of this.items) {
      const forms: StateJson[] = [];
      let shown: StateJson = null;
      let i = 0;
      for (const [form, f] of it.forms) {
        forms.push(form, encodeValue(f.v), f.n);
        if (shown === null && f.v === it.v) shown = i;
        i++;
      }
      out.push([it.n, forms, shown ?? [encodeValue(it.v)]]);
    }
    return out;
  }
  load(state: StateJson): void {
    const all = stateList(state);
    this.size = stateCount(all[0]);
    this.items = all.slice(1).map((j) => {
      const [n, forms, shown] = stateTuple(j, 3);
      const fs = stateList(forms);
      const map = new Map<string, { v: Value; n: number }>();
      const vals: Value[] = [];
      for (let i = 0; i + 2 < fs.length; i += 3) {
        const form = fs[i];
        if (typeof form !== 'string') throw corruptState('expected a written form');
        const v = decodeValue(fs[i + 1]!);
        map.set(form, { v, n: stateCount(fs[i + 2]) });
        vals.push(v);
      }
      let v: Value;
      if (typeof shown === 'number') {
        const sv = vals[shown];
        if (sv === undefined) throw corruptState('no such form');
        v = sv;
      } else v = decodeValue(stateTuple(shown!, 1)[0]!);
      return { v, n: stateCount(n), forms: map };
    });
  }
}

/** Arrival-ordered list; retraction removes the earliest equal row. */
class OrderedList implements Stateful {
  rows: Value[][] = [];
  constructor(private readonly key: (row: Value[]) => string) {}
  apply(row: Value[], sign: 1 | -1): void {
    if (sign === 1) {
      this.rows.push(row);
      return;
    }
    const k = this.key(row);
    const i = this.rows.findIndex((r) => this.key(r) === k);
    if (i >= 0) this.rows.splice(i, 1);
  }
  /** The rows in order, each through encodeRow. */
  save(): StateJson {
    return this.rows.map(encodeRow);
  }
  load(state: StateJson): void {
    this.rows = stateList(state).map(decodeRow);
  }
}

function rowKey(types: DataType[]): (row: Value[]) => string {
  return (row) =>
    row.map((v, i) => (v === null ? '\u0000N' : `\u0001${valueKey(v, types[i]!)}`)).join('\u0002');
}

const orderable = (t: DataType): boolean =>
  t.kind !== 'struct' && t.kind !== 'unknown' && t.kind !== 'jsonb' ? true : t.kind === 'jsonb';

// ---- count / sum / avg ----------------------------------------------------------------------

function countAccumulator(): Accumulator {
  let n = 0;
  return accumulator(
    (_a, s) => (n += s),
    () => BigInt(n),
    // The row count.
    { save: () => n, load: (j) => (n = stateCount(j)) },
    (rows) => (n += rows),
  );
}

const count = aggregate('count', [
  { args: [], ret: int8, create: () => countAccumulator },
  { args: ['any'], ret: int8, create: () => countAccumulator },
]);

function intSum(kind: 'int2' | 'int4' | 'int8'): AggOverload {
  return {
    args: [T[kind]],
    ret: kind === 'int8' ? numeric : int8,
    create: () => () => {
      let sum = 0n;
      let n = 0;
      return accumulator(
        (a, s) => {
          const v = a[0]!;
          const b = typeof v === 'bigint' ? v : BigInt(v as number);
          sum += s === 1 ? b : -b;
          n += s;
        },
        () => (n === 0 ? null : kind === 'int8' ? Decimal.fromBigInt(sum) : checkInt8(sum)),
        // `[n, Σ]`.
        {
          save: () => [n, saveBig(sum)],
          load: (j) => {
            const [jn, js] = stateTuple(j, 2);
            n = stateCount(jn);
            sum = loadBig(js);
          },
        },
        (rows, total) => {
          sum += total;
          n += rows;
        },
      );
    },
  };
}

function floatSumOverload(t: DataType, ret: DataType): AggOverload {
  return {
    args: [t],
    ret,
    create: () => () => {
      const fs = new FloatSum();
      return accumulator(
        (a, s) => fs.apply(a[0] as number, s),
        () => {
          if (fs.n === 0) return null;
          const r = fs.total();
          if (ret.kind === 'float4' && Number.isFinite(r) && !Number.isFinite(Math.fround(r)))
            throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
          return ret.kind === 'float4' ? Math.fround(r) : r;
        },
        fs,
      );
    },
  };
}

class IntervalSum implements Stateful {
  months = 0;
  days = 0;
  micros = 0n;
  n = 0;
  apply(iv: Interval, sign: 1 | -1): void {
    this.months += sign * iv.months;
    this.days += sign * iv.days;
    this.micros += sign === 1 ? iv.micros : -iv.micros;
    this.n += sign;
  }
  total(): Interval {
    if (Math.abs(this.months) > 2147483647 || Math.abs(this.days) > 2147483647)
      throw new SqlError(SqlState.datetimeFieldOverflow, 'interval out of range');
    return new Interval(this.months, this.days, this.micros);
  }
  /** `[n, months, days, micros]`. */
  save(): StateJson {
    return [this.n, saveFloat(this.months), saveFloat(this.days), saveBig(this.micros)];
  }
  load(state: StateJson): void {
    const [n, months, days, micros] = stateTuple(state, 4);
    this.n = stateCount(n);
    this.months = loadFloat(months);
    this.days = loadFloat(days);
    this.micros = loadBig(micros);
  }
}

const sum = aggregate('sum', [
  intSum('int2'),
  intSum('int4'),
  intSum('int8'),
  {
    args: [numeric],
    ret: numeric,
    create: () => () => {
      const ds = new DecimalSum();
      return accumulator(
        (a, s) => ds.apply(a[0] as Decimal, s),
        () => (ds.n === 0 ? null : ds.total()),
        ds,
        (rows, total, scale, scales) => ds.addBatch(rows, total, scale, scales),
      );
    },
  },
  floatSumOverload(float4, float4),
  floatSumOverload(float8, float8),
  {
    args: [interval],
    ret: interval,
    create: () => () => {
      const is = new IntervalSum();
      return accumulator(
        (a, s) => is.apply(a[0] as Interval, s),
        () => (is.n === 0 ? null : is.total()),
        is,
      );
    },
  },
]);

function avgExact(t: DataType): AggOverload {
  return {
    args: [t],
    ret: numeric,
    create: () => () => {
      const ds = new DecimalSum();
      return accumulator(
        (a, s) => {
          const v = a[0]!;
          ds.apply(
            v instanceof Decimal
              ? v
              : Decimal.fromBigInt(typeof v === 'bigint' ? v : (v as number)),
            s,
          );
        },
        () => (ds.n === 0 ? null : ds.total().div(Decimal.fromBigInt(ds.n))),
        ds,
        (rows, total, scale, scales) => ds.addBatch(rows, total, scale, scales),
      );
    },
  };
}

function avgFloat(t: DataType): AggOverload {
  return {
    args: [t],
    ret: float8,
    create: () => () => {
      const fs = new FloatSum();
      return accumulator(
        (a, s) => fs.apply(a[0] as number, s),
        () => {
          if (fs.n === 0) return null;
          const sp = fs.special();
          if (sp !== undefined) return sp;
          if (fs.sequential()) return fs.seqSx / fs.n;
          return scaledToFloat(fs.sum, 1074) / fs.n;
        },
        fs,
      );
    },
  };
}

const avg = aggregate('avg', [
  avgExact(int2),
  avgExact(int4),
  avgExact(int8),
  avgExact(numeric),
  avgFloat(float4),
  avgFloat(float8),
  {
    args: [interval],
    ret: interval,
    create: () => () => {
      const is = new IntervalSum();
      return accumulator(
        (a, s) => is.apply(a[0] as Interval, s),
        () => (is.n === 0 ? null : is.total().div(is.n)),
        is,
      );
    },
  },
]);

// ---- min / max ---------------------------------------------------------------------------------

function extremum(name: 'min' | 'max'): AggregateFunction {
  return {
    name,
    resolve(argTypes) {
      if (argTypes.length !== 1) return undefined;
      let t = argTypes[0]!;
      if (t.kind === 'unknown') t = text;
      if (t.kind === 'boolean' || t.kind === 'struct' || !orderable(t)) return undefined;
      if (t.kind === 'varchar') t = { kind: 'varchar' };
      const type = t;
      return {
        argTypes: [type],
        returnType: type,
        create: () => {
          if (INTEGRAL.has(type.kind)) {
            const ims = new IntMultiset(BIGINT_KINDS.has(type.kind));
            const acc = accumulator(
              (a, s) => ims.apply(a[0] as number | bigint, s),
              () => (name === 'min' ? ims.min() : ims.max()),
              ims,
            );
            acc.appendRun = (values, from, to) => ims.appendRun(values, from, to);
            return acc;
          }
          const ms = new SortedMultiset((a, b) => compareValues(a, b, type));
          return accumulator(
            (a, s) => ms.apply(a[0]!, s),
            () => (name === 'min' ? ms.min() : ms.max()),
            ms,
          );
        },
      };
    },
  };
}

// ---- boolean / bitwise ---------------------------------------------------------------------

function boolAgg(name: string, all: boolean): AggregateFunction {
  return aggregate(name, [
    {
      args: [bool],
      ret: bool,
      create: () => () => {
        let t = 0;
        let f = 0;
        return accumulator(
          (a, s) => {
            if (a[0]) t += s;
            else f += s;
          },
          () => (t + f === 0 ? null : all ? f === 0 : t > 0),
          // `[trues, falses]`.
          {
            save: () => [t, f],
            load: (j) => {
              const [jt, jf] = stateTuple(j, 2);
              t = stateCount(jt);
              f = stateCount(jf);
            },
          },
        );
      },
    },
  ]);
}

function bitAgg(name: 'bit_and' | 'bit_or' | 'bit_xor'): AggregateFunction {
  return aggregate(
    name,
    (['int2', 'int4', 'int8'] as const).map((kind): AggOverload => ({
      args: [T[kind]],
      ret: T[kind],
      create: () => () => {
        const bits = kind === 'int8' ? 64 : kind === 'int4' ? 32 : 16;
        const ones = new Array<number>(bits).fill(0);
        let n = 0;
        return accumulator(
          (a, s) => {
            const v = a[0]!;
            let b = BigInt.asUintN(bits, typeof v === 'bigint' ? v : BigInt(v as number));
            for (let i = 0; i < bits && b !== 0n; i++, b >>= 1n) if (b & 1n) ones[i]! += s;
            n += s;
          },
          () => {
            if (n === 0) return null;
            let r = 0n;
            for (let i = bits - 1; i >= 0; i--) {
              const c = ones[i]!;
              const set = name === 'bit_and' ? c === n : name === 'bit_or' ? c > 0 : c % 2 !== 0;
              r = (r << 1n) | (set ? 1n : 0n);
            }
            const signed = BigInt.asIntN(bits, r);
            return kind === 'int8' ? signed : Number(signed);
          },
          // `[n, [rows with bit i set, …]]`.
          {
            save: () => [n, ones.slice()],
            load: (j) => {
              const [jn, jo] = stateTuple(j, 2);
              const o = stateList(jo).map(stateCount);
              if (o.length !== bits) throw corruptState('wrong number of bits');
              n = stateCount(jn);
              ones.splice(0, bits, ...o);
            },
          },
        );
      },
    })),
  );
}

// ---- string_agg / array_agg / jsonb -------------------------------------------------------

const stringAgg: AggregateFunction = {
  name: 'string_agg',
  resolve(argTypes) {
    if (argTypes.length !== 2) return undefined;
    const [a, b] = argTypes as [DataType, DataType];
    const isBytes = a.kind === 'bytea' && (b.kind === 'bytea' || b.kind === 'unknown');
    const isText =
      (a.kind === 'text' || a.kind === 'varchar' || a.kind === 'unknown') &&
      (b.kind === 'text' || b.kind === 'varchar' || b.kind === 'unknown');
    if (!isBytes && !isText) return undefined;
    const t = isBytes ? T.bytea : text;
    return {
      argTypes: [t, t],
      returnType: t,
      ignoreNulls: false,
      create: () => {
        const list = new OrderedList(rowKey([t, t]));
        return accumulator(
          (args, s) => {
            if (args[0] === null) return;
            list.apply(args, s);
          },
          () => {
            if (list.rows.length === 0) return null;
            if (isBytes) {
              const parts: number[] = [];
              list.rows.forEach((r, i) => {
                if (i > 0 && r[1] !== null) parts.push(...(r[1] as Uint8Array));
                parts.push(...(r[0] as Uint8Array));
              });
              return Uint8Array.from(parts);
            }
            let out = '';
            list.rows.forEach((r, i) => {
              if (i > 0 && r[1] !== null) out += r[1] as string;
              out += r[0] as string;
            });
            return out;
          },
          list,
        );
      },
    };
  },
};

function listAgg(
  name: string,
  ret: (t: DataType) => DataType,
  finish: (rows: Value[][], t: DataType) => Value,
): AggregateFunction {
  return {
    name,
    resolve(argTypes) {
      if (argTypes.length !== 1) return undefined;
      const t = argTypes[0]!.kind === 'unknown' ? text : argTypes[0]!;
      return {
        argTypes: [t],
        returnType: ret(t),
        ignoreNulls: false,
        create: () => {
          const list = new OrderedList(rowKey([t]));
          return accumulator(
            (a, s) => list.apply(a, s),
            () => (list.rows.length === 0 ? null : finish(list.rows, t)),
            list,
          );
        },
      };
    },
  };
}

const arrayAgg = listAgg(
  'array_agg',
  (t) => (t.kind === 'array' ? t : arrayOf(t)),
  (rows, t) => {
    if (t.kind === 'array') {
      // array_agg over arrays would build a 2-D array; Sluice arrays are one-dimensional, so
      // the rows are concatenated only when they are all NULL-free and of equal length.
      throw new SqlError(SqlState.featureNotSupported, 'array_agg of arrays is not supported');
    }
    return rows.map((r) => r[0]!);
  },
);

const jsonbAgg = listAgg(
  'jsonb_agg',
  () => T.jsonb,
  (rows, t) => new Jsonb(rows.map((r) => toJsonValue(r[0]!, t))),
);

const jsonbObjectAgg: AggregateFunction = {
  name: 'jsonb_object_agg',
  resolve(argTypes) {
    if (argTypes.length !== 2) return undefined;
    const types = argTypes.map((t) => (t.kind === 'unknown' ? text : t));
    return {
      argTypes: types,
      returnType: T.jsonb,
      ignoreNulls: false,
      create: () => {
        const list = new OrderedList(rowKey(types));
        return accumulator(
          (a, s) => {
            if (a[0] === null)
              throw new SqlError(SqlState.invalidParameterValue, 'field name must not be null');
            list.apply(a, s);
          },
          () => {
            if (list.rows.length === 0) return null;
            const pairs: [string, JsonValue][] = list.rows.map((r) => {
              const k = toJsonValue(r[0]!, types[0]!);
              const key = typeof k === 'string' ? k : new Jsonb(k).toString();
              return [key, toJsonValue(r[1]!, types[1]!)];
            });
            return new Jsonb(new JsonObject(pairs));
          },
          list,
        );
      },
    };
  },
};

// ---- statistics -----------------------------------------------------------------------------

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  const guess = Math.sqrt(Number(n));
  let x = Number.isFinite(guess)
    ? BigInt(Math.floor(guess))
    : 1n << BigInt((bitLength(n) + 1) >> 1);
  if (x === 0n) x = 1n;
  // One Newton step from any positive guess lands at or above ⌊√n⌋ (a guess below it, as a
  // rounded double can be, would otherwise stop the descent at once); from there it descends.
  x = (x + n / x) >> 1n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

/** Square root rounded (half away from zero) to `rscale` digits. */
function decimalSqrtAt(x: Decimal, rscale: number): Decimal {
  const wanted = rscale + 1;
  const shift = 2 * wanted - x.scale;
  const c = shift >= 0 ? x.coef * pow10(shift) : x.coef / pow10(-shift);
  const root = isqrt(c);
  const q = root / 10n;
  const r = root % 10n;
  return Decimal.of(r >= 5n ? q + 1n : q, rscale);
}

type StatKind = 'var_samp' | 'var_pop' | 'stddev_samp' | 'stddev_pop';

function decimalStat(ds: DecimalSum, kind: StatKind): Value {
  const n = ds.n;
  const sample = kind === 'var_samp' || kind === 'stddev_samp';
  if (n === 0 || (sample && n === 1)) return null;
  const sp = ds.special();
  if (sp !== undefined) return Decimal.NaN;
  const sx = ds.total();
  const sx2 = ds.totalSquares();
  const N = Decimal.fromBigInt(n);
  const num = N.mul(sx2).sub(sx.mul(sx));
  if (num.sign() <= 0) return Decimal.ZERO;
  const den = sample ? N.mul(Decimal.fromBigInt(n - 1)) : N.mul(N);
  const v = num.div(den);
  if (kind === 'var_samp' || kind === 'var_pop') return v;
  return decimalSqrtAt(num.div(den), v.scale);
}

function floatStat(fs: FloatSum, kind: StatKind): Value {
  const n = fs.n;
  const sample = kind === 'var_samp' || kind === 'stddev_samp';
  if (n === 0 || (sample && n === 1)) return null;
  if (fs.special() !== undefined) return NaN;
  if (fs.sequential()) {
    const v = fs.seqSxx / (sample ? n - 1 : n);
    return kind === 'var_samp' || kind === 'var_pop' ? v : Math.sqrt(v);
  }
  // Exact: (n·Σx² − (Σx)²) / (n·(n−1)) over the 2^-2148 scale.
  const N = BigInt(n);
  const num = N * fs.sumSq - fs.sum * fs.sum;
  if (num <= 0n) return 0;
  const den = sample ? N * (N - 1n) : N * N;
  // Divide keeping 64 extra bits of precision.
  const q = (num << 64n) / den;
  const v = scaledToFloat(q, 2148 + 64);
  return kind === 'var_samp' || kind === 'var_pop' ? v : Math.sqrt(v);
}

function statAgg(name: string, kind: StatKind): AggregateFunction {
  const exact = (t: DataType): AggOverload => ({
    args: [t],
    ret: numeric,
    create: () => () => {
      const ds = new DecimalSum(true);
      return accumulator(
        (a, s) => {
          const v = a[0]!;
          ds.apply(
            v instanceof Decimal
              ? v
              : Decimal.fromBigInt(typeof v === 'bigint' ? v : (v as number)),
            s,
          );
        },
        () => decimalStat(ds, kind),
        ds,
      );
    },
  });
  const float = (t: DataType): AggOverload => ({
    args: [t],
    ret: float8,
    create: () => () => {
      const fs = new FloatSum(true);
      return accumulator(
        (a, s) => fs.apply(a[0] as number, s),
        () => floatStat(fs, kind),
        fs,
      );
    },
  });
  return aggregate(name, [
    exact(int2),
    exact(int4),
    exact(int8),
    exact(numeric),
    float(float4),
    float(float8),
  ]);
}

// ---- ordered-set and RisingWave aggregates -------------------------------------------------

function firstLast(name: 'first_value' | 'last_value'): AggregateFunction {
  return listAgg(
    name,
    (t) => t,
    (rows) => (name === 'first_value' ? rows[0]![0]! : rows[rows.length - 1]![0]!),
  );
}

const approxCountDistinct: AggregateFunction = {
  name: 'approx_count_distinct',
  resolve(argTypes) {
    if (argTypes.length !== 1) return undefined;
    const t = argTypes[0]!.kind === 'unknown' ? text : argTypes[0]!;
    return {
      argTypes: [t],
      returnType: int8,
      create: () => {
        const counts = new Map<string, number>();
        return accumulator(
          (a, s) => {
            const k = valueKey(a[0]!, t);
            const c = (counts.get(k) ?? 0) + s;
            if (c <= 0) counts.delete(k);
            else counts.set(k, c);
          },
          () => BigInt(counts.size),
          // `[value key, count, …]`.
          {
            save: () => {
              const out: StateJson[] = [];
              counts.forEach((c, k) => out.push(k, c));
              return out;
            },
            load: (j) => {
              const pairs = stateList(j);
              counts.clear();
              for (let i = 0; i + 1 < pairs.length; i += 2) {
                const k = pairs[i];
                if (typeof k !== 'string') throw corruptState('expected a value key');
                counts.set(k, stateCount(pairs[i + 1]));
              }
            },
          },
        );
      },
    };
  },
};

/** arg_min/arg_max(value, key): the value of the row with the smallest/largest key. */
function argExtremum(name: 'arg_min' | 'arg_max'): AggregateFunction {
  return {
    name,
    resolve(argTypes) {
      if (argTypes.length !== 2) return undefined;
      const types = argTypes.map((t) => (t.kind === 'unknown' ? text : t));
      const [vt, kt] = types as [DataType, DataType];
      return {
        argTypes: types,
        returnType: vt,
        create: () => {
          const ms = new SortedMultiset((a, b) => {
            const x = a as Value[];
            const y = b as Value[];
            return (
              compareValues(x[1]!, y[1]!, kt) ||
              (x[0] === null
                ? y[0] === null
                  ? 0
                  : 1
                : y[0] === null
                  ? -1
                  : compareValues(x[0]!, y[0]!, vt))
            );
          });
          return accumulator(
            (a, s) => {
              if (a[1] === null) return;
              ms.apply(a, s);
            },
            () => {
              const r = (name === 'arg_min' ? ms.min() : ms.max()) as Value[] | null;
              return r === null ? null : r[0]!;
            },
            ms,
          );
        },
      };
    },
  };
}

/**
 * percentile_cont/percentile_disc(fraction) WITHIN GROUP (ORDER BY x): arguments are
 * `(fraction, x)`, the fraction being the same for every row of a group.
 */
function percentile(name: 'percentile_cont' | 'percentile_disc'): AggregateFunction {
  return {
    name,
    resolve(argTypes) {
      if (argTypes.length !== 2) return undefined;
      const ft = argTypes[0]!;
      if (
        ft.kind !== 'unknown' &&
        !['int2', 'int4', 'int8', 'float4', 'float8', 'numeric'].includes(ft.kind)
      )
        return undefined;
      let xt = argTypes[1]!;
      if (name === 'percentile_cont') {
        if (xt.kind === 'interval') xt = interval;
        else if (
          ['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'unknown'].includes(xt.kind)
        )
          xt = float8;
        else return undefined;
      } else if (xt.kind === 'unknown') xt = text;
      const type = xt;
      return {
        argTypes: [float8, type],
        returnType: type,
        ignoreNulls: false,
        create: () => {
          const ms = new SortedMultiset((a, b) => compareValues(a, b, type));
          let fraction: number | null = null;
          return accumulator(
            (a, s) => {
              fraction = a[0] as number | null;
              if (a[1] !== null) ms.apply(a[1]!, s);
            },
            () => {
              if (ms.size === 0 || fraction === null) return null;
              if (!(fraction >= 0 && fraction <= 1))
                throw new SqlError(
                  SqlState.numericValueOutOfRange,
                  `percentile value ${fraction} is not between 0 and 1`,
                );
              if (name === 'percentile_disc') {
                const k = Math.max(0, Math.ceil(fraction * ms.size) - 1);
                return ms.at(k);
              }
              const pos = fraction * (ms.size - 1);
              const lo = Math.floor(pos);
              const hi = Math.ceil(pos);
              const a = ms.at(lo);
              const b = ms.at(hi);
              if (lo === hi) return a;
              const w = pos - lo;
              if (type.kind === 'interval') {
                const x = a as Interval;
                const y = b as Interval;
                return x.add(y.sub(x).mul(w));
              }
              return (a as number) + w * ((b as number) - (a as number));
            },
            // `[fraction, sorted values]`.
            {
              save: () => [fraction === null ? null : saveFloat(fraction), ms.save()],
              load: (j) => {
                const [jf, jm] = stateTuple(j, 2);
                fraction = jf === null ? null : loadFloat(jf);
                ms.load(jm!);
              },
            },
          );
        },
      };
    },
  };
}

const mode: AggregateFunction = {
  name: 'mode',
  resolve(argTypes) {
    if (argTypes.length !== 1) return undefined;
    const t = argTypes[0]!.kind === 'unknown' ? text : argTypes[0]!;
    return {
      argTypes: [t],
      returnType: t,
      create: () => {
        const ms = new SortedMultiset((a, b) => compareValues(a, b, t));
        return accumulator(
          (a, s) => ms.apply(a[0]!, s),
          () => {
            let best: { v: Value; n: number } | undefined;
            for (const it of ms.items) if (!best || it.n > best.n) best = it;
            return best ? best.v : null;
          },
          ms,
        );
      },
    };
  },
};

export const aggregateFunctions: AggregateFunction[] = [
  count,
  sum,
  avg,
  extremum('min'),
  extremum('max'),
  boolAgg('bool_and', true),
  boolAgg('every', true),
  boolAgg('bool_or', false),
  bitAgg('bit_and'),
  bitAgg('bit_or'),
  bitAgg('bit_xor'),
  stringAgg,
  arrayAgg,
  jsonbAgg,
  jsonbObjectAgg,
  statAgg('stddev', 'stddev_samp'),
  statAgg('stddev_samp', 'stddev_samp'),
  statAgg('stddev_pop', 'stddev_pop'),
  statAgg('variance', 'var_samp'),
  statAgg('var_samp', 'var_samp'),
  statAgg('var_pop', 'var_pop'),
  firstLast('first_value'),
  firstLast('last_value'),
  approxCountDistinct,
  argExtremum('arg_min'),
  argExtremum('arg_max'),
  percentile('percentile_cont'),
  percentile('percentile_disc'),
  mode,
];
