/**
 * Building blocks of aggregate accumulators: checkpoint state helpers, exact float and decimal
 * sums (add-then-retract returns to the same state), multisets and lists that support
 * retraction (min/max, percentiles, mode, order-sensitive aggregates), and list aggregates.
 */
import { SqlError, SqlState } from '../errors.js';
import type { DataType } from '../types/datatype.js';
import { T } from '../types/datatype.js';
import { Decimal, pow10 } from '../types/numeric.js';
import { Interval } from '../types/interval.js';
import { valueKey } from '../types/compare.js';
import type { Value } from '../types/value.js';
import { decodeRow, decodeValue, encodeRow, encodeValue } from '../types/state-value.js';
import type { StateJson } from '../types/state-value.js';
import type { Accumulator, AggregateFunction } from '../expr/registry.js';

const { text } = T;

// ---- checkpoint state -----------------------------------------------------------------------

/** A piece of accumulator state that can be written to a checkpoint and read back exactly. */
export interface Stateful {
  save(): StateJson;
  /** Overwrites the whole state with one `save` returned. */
  load(state: StateJson): void;
}

export function corruptState(what: string): SqlError {
  return new SqlError(SqlState.dataCorrupted, `aggregate state is invalid: ${what}`);
}

/** `j` as a saved tuple of `n` elements. */
export function stateTuple(j: StateJson, n: number): StateJson[] {
  if (!Array.isArray(j) || j.length !== n) throw corruptState(JSON.stringify(j).slice(0, 80));
  return j;
}

/** A list in saved state. */
export function stateList(j: StateJson | undefined): StateJson[] {
  if (!Array.isArray(j)) throw corruptState('expected a list');
  return j;
}

/** A count (always a safe integer). */
export function stateCount(j: StateJson | undefined): number {
  if (typeof j !== 'number' || !Number.isSafeInteger(j)) throw corruptState('expected a count');
  return j;
}

export const saveBig = (b: bigint): StateJson => b.toString();
export function loadBig(j: StateJson | undefined): bigint {
  if (typeof j !== 'string') throw corruptState('expected an integer');
  return BigInt(j);
}

/** Any double, exactly (NaN, ±Infinity and -0 included). */
export const saveFloat = (x: number): StateJson => encodeValue(x);
export function loadFloat(j: StateJson | undefined): number {
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

export function bitLength(n: bigint): number {
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
export function scaledToFloat(s: bigint, shift: number): number {
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
export class FloatSum implements Stateful {
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
export class DecimalSum implements Stateful {
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
export function accumulator(
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
export class IntMultiset implements Stateful {
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
export const BIGINT_KINDS = new Set(['int8', 'time', 'timestamp', 'timestamptz']);

export const INTEGRAL = new Set([
  'int2',
  'int4',
  'int8',
  'date',
  'time',
  'timestamp',
  'timestamptz',
]);

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
export class SortedMultiset implements Stateful {
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
export class OrderedList implements Stateful {
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

export function rowKey(types: DataType[]): (row: Value[]) => string {
  return (row) =>
    row.map((v, i) => (v === null ? '\u0000N' : `\u0001${valueKey(v, types[i]!)}`)).join('\u0002');
}

export const orderable = (t: DataType): boolean =>
  t.kind !== 'struct' && t.kind !== 'unknown' && t.kind !== 'jsonb' ? true : t.kind === 'jsonb';

export function listAgg(
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
