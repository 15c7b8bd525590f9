/**
 * Exact decimal arithmetic for SQL NUMERIC: a bigint coefficient and a scale (digits after the
 * point), plus NaN and ±Infinity. Result scales follow PostgreSQL 15 so that printed values match
 * (`39.50 + 49.99 = 89.49`, `1 / 3 = 0.33333333333333333333`).
 */
import { SqlError, SqlState } from '../errors.js';

type Special = 'nan' | 'inf' | '-inf' | undefined;

/** PostgreSQL's NUMERIC_MIN_SIG_DIGITS: quotients and powers carry at least this many digits. */
const MIN_SIG_DIGITS = 16;
const MAX_DISPLAY_SCALE = 1000;

const pow10Cache: bigint[] = [];
/** 10^n as bigint (cached for small n). */
export function pow10(n: number): bigint {
  if (n < 0) throw new RangeError('negative power of ten');
  if (n < 64) {
    let v = pow10Cache[n];
    if (v === undefined) {
      v = 10n ** BigInt(n);
      pow10Cache[n] = v;
    }
    return v;
  }
  return 10n ** BigInt(n);
}

function absBig(n: bigint): bigint {
  return n < 0n ? -n : n;
}

/** Number of decimal digits of |n| (0 has 1 digit). */
function digitCount(n: bigint): number {
  return absBig(n).toString().length;
}

/** a / b rounded half away from zero (b ≠ 0). */
function divRound(a: bigint, b: bigint): bigint {
  if (b < 0n) {
    a = -a;
    b = -b;
  }
  const q = a / b;
  const r = a - q * b;
  if (2n * absBig(r) >= b) return a < 0n ? q - 1n : q + 1n;
  return q;
}

/** Integer square root (floor) of a non-negative bigint. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  // Newton's method from a power of two above the root decreases monotonically to floor(√n).
  let x = 1n << BigInt((n.toString(2).length >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

function overflow(): SqlError {
  return new SqlError(SqlState.numericValueOutOfRange, 'value overflows numeric format');
}

function divisionByZero(): SqlError {
  return new SqlError(SqlState.divisionByZero, 'division by zero');
}

const numericSyntax = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;

export class Decimal {
  private constructor(
    /** Unscaled value: the number is `coef × 10^-scale`. Zero for special values. */
    readonly coef: bigint,
    /** Digits after the decimal point (PostgreSQL's display scale). */
    readonly scale: number,
    private readonly special: Special,
  ) {}

  static readonly NaN = new Decimal(0n, 0, 'nan');
  static readonly Infinity = new Decimal(0n, 0, 'inf');
  static readonly NegativeInfinity = new Decimal(0n, 0, '-inf');
  static readonly ZERO = new Decimal(0n, 0, undefined);
  static readonly ONE = new Decimal(1n, 0, undefined);

  /** A finite value `coef × 10^-scale`. */
  static of(coef: bigint, scale = 0): Decimal {
    if (scale < 0) return new Decimal(coef * pow10(-scale), 0, undefined);
    return new Decimal(coef, scale, undefined);
  }

  static fromBigInt(n: bigint | number): Decimal {
    return new Decimal(BigInt(n), 0, undefined);
  }

  /**
   * A float converted as PostgreSQL does: printed with 15 (float8) or 6 (float4) significant
   * digits, then read back, so `0.1::float8::numeric = 0.1`.
   */
  static fromNumber(n: number, significantDigits = 15): Decimal {
    if (Number.isNaN(n)) return Decimal.NaN;
    if (n === Infinity) return Decimal.Infinity;
    if (n === -Infinity) return Decimal.NegativeInfinity;
    if (Number.isInteger(n) && Math.abs(n) < 1e15) return Decimal.fromBigInt(BigInt(n));
    let text = n.toPrecision(significantDigits);
    // %g drops trailing zeros of the mantissa.
    const m = /^(-?\d+)(?:\.(\d*?))?0*(e[+-]\d+)?$/.exec(text);
    if (m) text = `${m[1]}${m[2] ? `.${m[2]}` : ''}${m[3] ?? ''}`;
    return Decimal.parse(text);
  }

  /** PostgreSQL numeric input. Throws 22P02 on bad syntax. */
  static parse(text: string): Decimal {
    const s = text.trim();
    const m = numericSyntax.exec(s);
    if (!m) {
      const lower = s.toLowerCase();
      if (lower === 'nan') return Decimal.NaN;
      if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf')
        return Decimal.Infinity;
      if (lower === '-infinity' || lower === '-inf') return Decimal.NegativeInfinity;
      throw new SqlError(
        SqlState.invalidTextRepresentation,
        `invalid input syntax for type numeric: "${text}"`,
      );
    }
    const neg = m[1] === '-';
    const intPart = m[2] ?? '';
    const frac = m[3] ?? m[4] ?? '';
    const exp = m[5] !== undefined ? Number(m[5]) : 0;
    if (!Number.isSafeInteger(exp) || Math.abs(exp) > 100000) throw overflow();
    let coef = BigInt((intPart + frac).replace(/^0+(?=\d)/, '') || '0');
    let scale = frac.length - exp;
    if (scale < 0) {
      coef *= pow10(-scale);
      scale = 0;
    }
    return new Decimal(neg ? -coef : coef, scale, undefined);
  }

  isNaN(): boolean {
    return this.special === 'nan';
  }

  /** ±Infinity. */
  isInfinite(): boolean {
    return this.special === 'inf' || this.special === '-inf';
  }

  isFinite(): boolean {
    return this.special === undefined;
  }

  isZero(): boolean {
    return this.special === undefined && this.coef === 0n;
  }

  /** -1, 0 or 1 (NaN gives NaN as PostgreSQL's sign()). */
  sign(): number {
    if (this.special === 'nan') return NaN;
    if (this.special === 'inf') return 1;
    if (this.special === '-inf') return -1;
    return this.coef > 0n ? 1 : this.coef < 0n ? -1 : 0;
  }

  /** The same value with the given scale (exact when increasing, rounded when decreasing). */
  rescale(scale: number): Decimal {
    if (this.special) return this;
    if (scale === this.scale) return this;
    if (scale > this.scale)
      return new Decimal(this.coef * pow10(scale - this.scale), scale, undefined);
    return new Decimal(divRound(this.coef, pow10(this.scale - scale)), scale, undefined);
  }

  private static align(a: Decimal, b: Decimal): [bigint, bigint, number] {
    const s = Math.max(a.scale, b.scale);
    return [a.coef * pow10(s - a.scale), b.coef * pow10(s - b.scale), s];
  }

  neg(): Decimal {
    if (this.special === 'inf') return Decimal.NegativeInfinity;
    if (this.special === '-inf') return Decimal.Infinity;
    if (this.special) return this;
    return new Decimal(-this.coef, this.scale, undefined);
  }

  abs(): Decimal {
    if (this.special === '-inf') return Decimal.Infinity;
    if (this.special) return this;
    return this.coef < 0n ? new Decimal(-this.coef, this.scale, undefined) : this;
  }

  add(o: Decimal): Decimal {
    if (this.special || o.special) {
      if (this.special === 'nan' || o.special === 'nan') return Decimal.NaN;
      if (this.special && o.special && this.special !== o.special) return Decimal.NaN;
      return this.special ? this : o;
    }
    const [x, y, s] = Decimal.align(this, o);
    return new Decimal(x + y, s, undefined);
  }

  sub(o: Decimal): Decimal {
    return this.add(o.neg());
  }

  mul(o: Decimal): Decimal {
    if (this.special || o.special) {
      if (this.special === 'nan' || o.special === 'nan') return Decimal.NaN;
      const s = this.sign() * o.sign();
      if (s === 0) return Decimal.NaN;
      return s > 0 ? Decimal.Infinity : Decimal.NegativeInfinity;
    }
    let scale = this.scale + o.scale;
    let coef = this.coef * o.coef;
    if (scale > MAX_DISPLAY_SCALE) {
      coef = divRound(coef, pow10(scale - MAX_DISPLAY_SCALE));
      scale = MAX_DISPLAY_SCALE;
    }
    return new Decimal(coef, scale, undefined);
  }

  /** Weight and leading digit of the value in base 10000, as PostgreSQL stores numerics. */
  private baseWeight(): { weight: number; first: number } {
    if (this.special || this.coef === 0n) return { weight: 0, first: 0 };
    const s4 = Math.ceil(this.scale / 4) * 4;
    const c = absBig(this.coef) * pow10(s4 - this.scale);
    const digits = c.toString();
    const n = Math.ceil(digits.length / 4);
    const firstLen = digits.length - (n - 1) * 4;
    return { weight: n - 1 - s4 / 4, first: Number(digits.slice(0, firstLen)) };
  }

  /** PostgreSQL's select_div_scale: at least 16 significant digits, never less than the inputs. */
  private static divScale(a: Decimal, b: Decimal): number {
    const wa = a.baseWeight();
    const wb = b.baseWeight();
    let qweight = wa.weight - wb.weight;
    if (wa.first <= wb.first) qweight--;
    let rscale = MIN_SIG_DIGITS - qweight * 4;
    rscale = Math.max(rscale, a.scale, b.scale, 0);
    return Math.min(rscale, MAX_DISPLAY_SCALE);
  }

  /** Quotient rounded at `scale` digits (half away from zero). */
  private static divAt(a: Decimal, b: Decimal, scale: number): Decimal {
    // a.coef/10^sa ÷ b.coef/10^sb = (a.coef × 10^(scale + sb - sa) / b.coef) / 10^scale
    const shift = scale + b.scale - a.scale;
    const q =
      shift >= 0
        ? divRound(a.coef * pow10(shift), b.coef)
        : divRound(a.coef, b.coef * pow10(-shift));
    return new Decimal(q, scale, undefined);
  }

  div(o: Decimal): Decimal {
    if (this.special || o.special) {
      if (this.special === 'nan' || o.special === 'nan') return Decimal.NaN;
      if (this.special) {
        if (o.special) return Decimal.NaN;
        const s = o.sign();
        if (s === 0) throw divisionByZero();
        return s * this.sign() > 0 ? Decimal.Infinity : Decimal.NegativeInfinity;
      }
      return Decimal.ZERO;
    }
    if (o.coef === 0n) throw divisionByZero();
    return Decimal.divAt(this, o, Decimal.divScale(this, o));
  }

  /** Truncating integer division (PostgreSQL's div()). */
  divTrunc(o: Decimal): Decimal {
    if (this.special || o.special) {
      const q = this.div(o);
      return q.isFinite() ? q.trunc(0) : q;
    }
    if (o.coef === 0n) throw divisionByZero();
    const [x, y] = Decimal.align(this, o);
    return new Decimal(x / y, 0, undefined);
  }

  mod(o: Decimal): Decimal {
    if (this.special || o.special) {
      if (this.special === 'nan' || o.special === 'nan') return Decimal.NaN;
      if (this.special) {
        if (o.isZero()) throw divisionByZero();
        return Decimal.NaN;
      }
      return this;
    }
    if (o.coef === 0n) throw divisionByZero();
    const [x, y, s] = Decimal.align(this, o);
    return new Decimal(x % y, s, undefined);
  }

  /** Total order: -Infinity < finite < +Infinity < NaN (NaN equals NaN), as PostgreSQL sorts. */
  cmp(o: Decimal): number {
    const ra = this.rank();
    const rb = o.rank();
    if (ra !== rb) return ra < rb ? -1 : 1;
    if (ra !== 1) return 0;
    const [x, y] = Decimal.align(this, o);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  private rank(): number {
    switch (this.special) {
      case '-inf':
        return 0;
      case 'inf':
        return 2;
      case 'nan':
        return 3;
      default:
        return 1;
    }
  }

  eq(o: Decimal): boolean {
    return this.cmp(o) === 0;
  }

  /** Same value written the same way (1.0 and 1.00 are equal but not the same form). */
  sameForm(o: Decimal): boolean {
    return this.special === o.special && this.coef === o.coef && this.scale === o.scale;
  }

  /** Round half away from zero to `scale` digits after the point (negative rounds left of it). */
  round(scale = 0): Decimal {
    if (this.special) return this;
    scale = Math.min(scale, MAX_DISPLAY_SCALE);
    if (scale >= this.scale) return this.rescale(scale);
    if (scale >= 0) return this.rescale(scale);
    const unit = pow10(this.scale - scale);
    return new Decimal(divRound(this.coef, unit) * pow10(-scale), 0, undefined);
  }

  /** Truncate toward zero to `scale` digits after the point. */
  trunc(scale = 0): Decimal {
    if (this.special) return this;
    scale = Math.min(scale, MAX_DISPLAY_SCALE);
    if (scale >= this.scale) return this.rescale(scale);
    const unit = pow10(this.scale - Math.min(scale, this.scale));
    const t = this.coef / unit;
    if (scale >= 0) return new Decimal(t, scale, undefined);
    return new Decimal(t * pow10(-scale), 0, undefined);
  }

  ceil(): Decimal {
    if (this.special) return this;
    const unit = pow10(this.scale);
    let q = this.coef / unit;
    if (q * unit !== this.coef && this.coef > 0n) q += 1n;
    return new Decimal(q, 0, undefined);
  }

  floor(): Decimal {
    if (this.special) return this;
    const unit = pow10(this.scale);
    let q = this.coef / unit;
    if (q * unit !== this.coef && this.coef < 0n) q -= 1n;
    return new Decimal(q, 0, undefined);
  }

  /** Is the value integral? (NaN and infinities are not.) */
  isInteger(): boolean {
    return this.special === undefined && this.coef % pow10(this.scale) === 0n;
  }

  /** Square root with PostgreSQL's result scale. 2201F for negative input. */
  sqrt(): Decimal {
    if (this.special === 'nan' || this.special === 'inf') return this;
    if (this.sign() < 0)
      throw new SqlError('2201F', 'cannot take square root of a negative number');
    const { weight } = this.baseWeight();
    const sweight = Math.trunc(((weight + 1) * 4) / 2) - 1;
    let rscale = MIN_SIG_DIGITS - sweight;
    rscale = Math.min(Math.max(rscale, this.scale, 0), MAX_DISPLAY_SCALE);
    // sqrt(coef × 10^-s) at rscale+1 digits, then round.
    const wanted = rscale + 1;
    let shift = 2 * wanted - this.scale;
    let c = this.coef;
    if (shift < 0) {
      // keep an even shift so the root stays exact in digits
      c = c / pow10(-shift);
      shift = 0;
    }
    const root = isqrt(c * pow10(shift));
    return new Decimal(divRound(root, 10n), rscale, undefined);
  }

  /** Power with PostgreSQL's rules: exact for integer exponents, otherwise via exp(y·ln x). */
  pow(e: Decimal): Decimal {
    if (this.special === 'nan' || e.special === 'nan') {
      // 1 ^ NaN and NaN ^ 0 are 1, as PostgreSQL.
      if (this.isFinite() && this.eq(Decimal.ONE)) return Decimal.ONE.rescale(MIN_SIG_DIGITS);
      if (e.isZero()) return Decimal.ONE.rescale(MIN_SIG_DIGITS);
      return Decimal.NaN;
    }
    if (this.special || e.special) return Decimal.powSpecial(this, e);
    if (this.coef === 0n && e.sign() < 0)
      throw new SqlError('2201F', 'zero raised to a negative power is undefined');
    if (this.sign() < 0 && !e.isInteger())
      throw new SqlError(
        '2201F',
        'a negative number raised to a non-integer power yields a complex result',
      );
    if (e.isInteger()) {
      const n = e.coef / pow10(e.scale);
      if (n >= -2147483648n && n <= 2147483647n) {
        const rscale = Math.min(Math.max(MIN_SIG_DIGITS, this.scale, 0), MAX_DISPLAY_SCALE);
        if (this.coef === 0n) return Decimal.ZERO.rescale(rscale);
        const absN = n < 0n ? -n : n;
        const digits = digitCount(this.coef) - this.scale;
        if (Number(absN) * Math.max(digits, 1) > 200000) throw overflow();
        if (Number(absN) * this.scale > 200000 && n > 0n) {
          // |x| < 1 to a huge power underflows to zero at rscale.
          return Decimal.ZERO.rescale(rscale);
        }
        const p = new Decimal(this.coef ** absN, this.scale * Number(absN), undefined);
        if (n >= 0n) return p.round(rscale);
        return Decimal.divAt(Decimal.ONE, p, rscale);
      }
    }
    // General case: estimate the result's decimal weight to choose the scale, as PostgreSQL.
    const lnEstimate = Math.log(Math.abs(this.toNumber())) * e.toNumber();
    const val = lnEstimate * 0.434294481903252;
    if (!Number.isFinite(val) || val > 131072) throw overflow();
    let rscale = MIN_SIG_DIGITS - Math.trunc(val);
    rscale = Math.min(Math.max(rscale, this.scale, e.scale, 0), MAX_DISPLAY_SCALE);
    if (val < -rscale - 2) return Decimal.ZERO.rescale(rscale);
    const work = rscale + Math.max(0, Math.ceil(val)) + 30;
    const one = pow10(work);
    const x = this.rescale(work).coef;
    const y = e.rescale(work).coef;
    const r = fixedExp((fixedLn(x, one) * y) / one, one);
    return new Decimal(divRound(r, pow10(work - rscale)), rscale, undefined);
  }

  private static powSpecial(b: Decimal, e: Decimal): Decimal {
    const es = e.sign();
    if (b.isFinite()) {
      // finite ^ ±Infinity
      if (b.coef === 0n) {
        if (es < 0) throw new SqlError('2201F', 'zero raised to a negative power is undefined');
        return Decimal.ZERO;
      }
      const cmp1 = b.abs().cmp(Decimal.ONE);
      if (cmp1 === 0) return Decimal.ONE.rescale(MIN_SIG_DIGITS);
      if (cmp1 > 0 === es > 0) return Decimal.Infinity;
      return Decimal.ZERO;
    }
    if (es === 0) return Decimal.ONE.rescale(MIN_SIG_DIGITS);
    if (b.special === 'inf') return es > 0 ? Decimal.Infinity : Decimal.ZERO;
    // -Infinity
    if (es < 0) return Decimal.ZERO;
    if (e.isFinite() && e.isInteger() && (e.coef / pow10(e.scale)) % 2n !== 0n)
      return Decimal.NegativeInfinity;
    if (e.isFinite() && !e.isInteger())
      throw new SqlError(
        '2201F',
        'a negative number raised to a non-integer power yields a complex result',
      );
    return Decimal.Infinity;
  }

  /** PostgreSQL text output. */
  toString(): string {
    switch (this.special) {
      case 'nan':
        return 'NaN';
      case 'inf':
        return 'Infinity';
      case '-inf':
        return '-Infinity';
    }
    const neg = this.coef < 0n;
    let digits = absBig(this.coef).toString();
    if (this.scale === 0) return neg ? `-${digits}` : digits;
    if (digits.length <= this.scale) digits = '0'.repeat(this.scale - digits.length + 1) + digits;
    const cut = digits.length - this.scale;
    const s = `${digits.slice(0, cut)}.${digits.slice(cut)}`;
    return neg ? `-${s}` : s;
  }

  toJSON(): string {
    return this.toString();
  }

  /** Nearest double (NaN/Infinity map to their float counterparts). */
  toNumber(): number {
    switch (this.special) {
      case 'nan':
        return NaN;
      case 'inf':
        return Infinity;
      case '-inf':
        return -Infinity;
    }
    if (this.scale === 0) return Number(this.coef);
    return Number.parseFloat(this.toString());
  }

  /** Rounded half away from zero to an integer; NaN/Infinity raise 0A000 as PostgreSQL. */
  toBigInt(typeName = 'bigint'): bigint {
    if (this.special === 'nan')
      throw new SqlError(SqlState.featureNotSupported, `cannot convert NaN to ${typeName}`);
    if (this.special)
      throw new SqlError(SqlState.featureNotSupported, `cannot convert infinity to ${typeName}`);
    return divRound(this.coef, pow10(this.scale));
  }

  /** Cast to smallint/integer/bigint with PostgreSQL's range errors. */
  toInt(kind: 'int2' | 'int4' | 'int8'): number | bigint {
    const name = kind === 'int2' ? 'smallint' : kind === 'int4' ? 'integer' : 'bigint';
    const v = this.toBigInt(name);
    const [lo, hi] =
      kind === 'int2'
        ? [-32768n, 32767n]
        : kind === 'int4'
          ? [-2147483648n, 2147483647n]
          : [-9223372036854775808n, 9223372036854775807n];
    if (v < lo || v > hi)
      throw new SqlError(SqlState.numericValueOutOfRange, `${name} out of range`);
    return kind === 'int8' ? v : Number(v);
  }

  /**
   * Apply a `numeric(precision, scale)` typmod: round to `scale`, then raise 22003
   * `numeric field overflow` when the integer part needs more than `precision - scale` digits.
   */
  withTypmod(precision: number | undefined, scale: number | undefined): Decimal {
    if (precision === undefined) return this;
    const s = scale ?? 0;
    if (this.special === 'nan') return this;
    if (this.special)
      throw new SqlError(
        SqlState.numericValueOutOfRange,
        'numeric field overflow',
        undefined,
        `A field with precision ${precision}, scale ${s} cannot hold an infinite value.`,
      );
    const r = this.round(s);
    const rr = s < 0 ? r : r;
    const intDigits = rr.coef === 0n ? 0 : digitCount(rr.coef) - rr.scale;
    if (intDigits > precision - s) {
      throw new SqlError(
        SqlState.numericValueOutOfRange,
        'numeric field overflow',
        undefined,
        `A field with precision ${precision}, scale ${s} must round to an absolute value less than 10^${precision - s}.`,
      );
    }
    return s >= 0 ? rr.rescale(s) : rr;
  }

  /** Remove trailing fractional zeros (PostgreSQL's trim_scale). */
  trimScale(): Decimal {
    if (this.special || this.scale === 0) return this;
    let c = this.coef;
    let s = this.scale;
    while (s > 0 && c % 10n === 0n) {
      c /= 10n;
      s--;
    }
    return new Decimal(c, s, undefined);
  }
}

/** ln(x / one) × one for fixed-point x > 0. */
function fixedLn(x: bigint, one: bigint): bigint {
  // Bring x near 1 by square roots: ln x = 2^k ln x^(1/2^k).
  let k = 0n;
  const lo = one - one / 100n;
  const hi = one + one / 100n;
  while (x < lo || x > hi) {
    x = isqrt(x * one);
    k++;
  }
  // ln x = 2 atanh((x-1)/(x+1)) = 2 (z + z^3/3 + z^5/5 + ...)
  const z = ((x - one) * one) / (x + one);
  const z2 = (z * z) / one;
  let term = z;
  let sum = 0n;
  for (let n = 1n; term !== 0n; n += 2n) {
    sum += term / n;
    term = (term * z2) / one;
  }
  return 2n * sum * (1n << k);
}

/** exp(y / one) × one for fixed-point y. */
function fixedExp(y: bigint, one: bigint): bigint {
  let k = 0;
  const limit = one / 100n;
  while (absBig(y) > limit) {
    y /= 2n;
    k++;
  }
  let term = one;
  let sum = one;
  for (let n = 1n; term !== 0n; n++) {
    term = (term * y) / (one * n);
    sum += term;
  }
  for (let i = 0; i < k; i++) sum = (sum * sum) / one;
  return sum;
}
