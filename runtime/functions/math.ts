/**
 * Mathematical functions over integers, floats and exact numerics, with PostgreSQL's overloads,
 * result types, rounding rules and error codes.
 */
import { SqlError, SqlState } from '../errors.js';
import type { DataType } from '../types/datatype.js';
import { T } from '../types/datatype.js';
import { Decimal, pow10 } from '../types/numeric.js';
import type { Value } from '../types/value.js';
import type { ScalarFunction } from '../expr/registry.js';
import { scalar } from './overload.js';
import type { Overload } from './overload.js';
import { checkInt, outOfRange } from './util.js';

const { int4, int8, float4, float8, numeric } = T;

function divisionByZero(): SqlError {
  return new SqlError(SqlState.divisionByZero, 'division by zero');
}

/** Float results: PostgreSQL reports overflow/underflow instead of returning ±Inf/0. */
export function checkFloat(r: number, inputsFinite: boolean, zeroOk = true): number {
  if (!Number.isFinite(r) && !Number.isNaN(r) && inputsFinite)
    throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
  if (r === 0 && !zeroOk)
    throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: underflow');
  return r;
}

const f1 = (f: (x: number) => number): Overload => ({
  args: [float8],
  ret: float8,
  eval: (a) => f(a[0] as number),
});
const n1 = (f: (x: Decimal) => Value): Overload => ({
  args: [numeric],
  ret: numeric,
  eval: (a) => f(a[0] as Decimal),
});

/** PostgreSQL's rint(): round half to even. */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  // Math.round rounds .5 up; fix ties to even.
  if (Math.abs(x - Math.trunc(x)) === 0.5) {
    const t = 2 * Math.round(x / 2);
    return t === 0 ? (x < 0 ? -0 : 0) : t;
  }
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

function intAbs(kind: 'int2' | 'int4' | 'int8'): Overload {
  const t = T[kind];
  return {
    args: [t],
    ret: t,
    eval: (a) => {
      const v = a[0]!;
      if (typeof v === 'bigint') return checkInt('int8', v < 0n ? -v : v);
      return checkInt(kind, Math.abs(v as number));
    },
  };
}

function intMod(kind: 'int2' | 'int4' | 'int8'): Overload {
  const t = T[kind];
  return {
    args: [t, t],
    ret: t,
    eval: (a) => {
      if (kind === 'int8') {
        const y = a[1] as bigint;
        if (y === 0n) throw divisionByZero();
        if (y === -1n) return 0n;
        return (a[0] as bigint) % y;
      }
      const y = a[1] as number;
      if (y === 0) throw divisionByZero();
      const r = (a[0] as number) % y;
      return r === 0 ? 0 : r;
    },
  };
}

function gcdBig(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function intGcdLcm(kind: 'int4' | 'int8', lcm: boolean): Overload {
  const t = T[kind];
  return {
    args: [t, t],
    ret: t,
    eval: (a) => {
      const x = BigInt(a[0] as number | bigint);
      const y = BigInt(a[1] as number | bigint);
      let r: bigint;
      if (lcm) {
        if (x === 0n || y === 0n) r = 0n;
        else {
          r = (x / gcdBig(x, y)) * y;
          if (r < 0n) r = -r;
        }
      } else r = gcdBig(x, y);
      const out = checkInt(kind, r);
      return kind === 'int8' ? out : Number(out);
    },
  };
}

function decimalGcd(x: Decimal, y: Decimal): Decimal {
  if (!x.isFinite() || !y.isFinite()) return Decimal.NaN;
  const s = Math.max(x.scale, y.scale);
  const g = gcdBig(x.rescale(s).coef, y.rescale(s).coef);
  return Decimal.of(g, s);
}

function decimalLcm(x: Decimal, y: Decimal): Decimal {
  if (!x.isFinite() || !y.isFinite()) return Decimal.NaN;
  if (x.isZero() || y.isZero()) return Decimal.ZERO.rescale(Math.max(x.scale, y.scale));
  const s = Math.max(x.scale, y.scale);
  const xc = x.rescale(s).coef;
  const yc = y.rescale(s).coef;
  let l = (xc / gcdBig(xc, yc)) * yc;
  if (l < 0n) l = -l;
  return Decimal.of(l, s);
}

// ---- exact numeric ln/exp in fixed point -------------------------------------------------

/** atanh-series ln of `x / one` for x in (0, 2·one]. */
function lnSeries(x: bigint, one: bigint): bigint {
  const z = ((x - one) * one) / (x + one);
  const z2 = (z * z) / one;
  let term = z;
  let sum = 0n;
  for (let k = 1n; term !== 0n; k += 2n) {
    sum += term / k;
    term = (term * z2) / one;
  }
  return 2n * sum;
}

/** ln(c × 10^-scale) as a fixed-point bigint with `digits` fraction digits (c > 0). */
function fixedLnDecimal(c: bigint, scale: number, digits: number): bigint {
  const work = digits + 10;
  const one = pow10(work);
  // c × 10^-scale = m × 10^e with m in [1, 10).
  const len = c.toString().length;
  const e = len - 1 - scale;
  let m = (c * one) / pow10(len - 1);
  const ln2 = lnSeries(2n * one, one);
  const ln10 = 3n * ln2 + lnSeries((one * 5n) / 4n, one);
  let k = 0n;
  while (m > (one * 3n) / 2n) {
    m /= 2n;
    k++;
  }
  const r = lnSeries(m, one) + k * ln2 + BigInt(e) * ln10;
  return r / pow10(10);
}

/** Decimal weight of ln(x), estimated as PostgreSQL does to choose result scales. */
function lnDweight(x: Decimal): number {
  if (x.sign() <= 0) return 0;
  const v = x.toNumber();
  if (v >= 0.9 && v <= 1.1) {
    const d = x.sub(Decimal.ONE);
    if (d.isZero()) return 0;
    return Math.floor(Math.log10(Math.abs(d.toNumber())));
  }
  // ln(c × 10^-scale) from the leading digits, safe for values beyond the float range.
  const digits = x.coef.toString();
  const lead = Number(`${digits.slice(0, 1)}.${digits.slice(1, 17)}`);
  const ln = Math.log(lead) + (digits.length - 1 - x.scale) * Math.LN10;
  return Math.trunc(Math.log10(Math.abs(ln)));
}

function lnScale(x: Decimal): number {
  return Math.min(Math.max(16 - lnDweight(x), x.scale, 0), 1000);
}

function logScale(b: Decimal, x: Decimal): number {
  return Math.min(Math.max(16 - (lnDweight(x) - lnDweight(b)), b.scale, x.scale, 0), 1000);
}

function checkLogArg(x: Decimal): void {
  const s = x.sign();
  if (s === 0) throw new SqlError('2201E', 'cannot take logarithm of zero');
  if (s < 0) throw new SqlError('2201E', 'cannot take logarithm of a negative number');
}

export function decimalLn(x: Decimal): Decimal {
  if (x.isNaN()) return x;
  checkLogArg(x);
  if (!x.isFinite()) return x;
  const rs = lnScale(x);
  const v = fixedLnDecimal(x.coef, x.scale, rs + 2);
  return Decimal.of(v, rs + 2).round(rs);
}

function decimalLog10(x: Decimal): Decimal {
  if (x.isNaN()) return x;
  checkLogArg(x);
  if (!x.isFinite()) return x;
  const rs = logScale(Decimal.fromBigInt(10), x);
  const d = rs + 6;
  const lx = fixedLnDecimal(x.coef, x.scale, d);
  const l10 = fixedLnDecimal(10n, 0, d);
  return Decimal.of((lx * pow10(d)) / l10, d).round(rs);
}

function decimalLog(b: Decimal, x: Decimal): Decimal {
  if (b.isNaN() || x.isNaN()) return Decimal.NaN;
  checkLogArg(b);
  checkLogArg(x);
  if (b.eq(Decimal.ONE)) throw divisionByZero();
  const rs = logScale(b, x);
  const d = rs + 8 + Math.max(0, lnDweight(x));
  const q = (fixedLnDecimal(x.coef, x.scale, d) * pow10(d)) / fixedLnDecimal(b.coef, b.scale, d);
  return Decimal.of(q, d).round(rs);
}

const E100 = Decimal.parse(
  '2.7182818284590452353602874713526624977572470936999595749669676277240766303535475945713821785251664274',
);

function decimalExp(x: Decimal): Decimal {
  if (x.isNaN()) return x;
  if (!x.isFinite()) return x.sign() > 0 ? x : Decimal.ZERO;
  const val = x.toNumber() * 0.434294481903252;
  if (val > 131072)
    throw new SqlError(SqlState.numericValueOutOfRange, 'value overflows numeric format');
  const rs = Math.min(Math.max(16 - Math.trunc(Math.max(val, -1000)), x.scale, 0), 1000);
  if (val < -rs - 2) return Decimal.ZERO.rescale(rs);
  return E100.pow(x).round(rs);
}

function floatPow(x: number, y: number): number {
  if (x === 0 && y < 0) throw new SqlError('2201F', 'zero raised to a negative power is undefined');
  if (x < 0 && !Number.isInteger(y) && Number.isFinite(y))
    throw new SqlError(
      '2201F',
      'a negative number raised to a non-integer power yields a complex result',
    );
  if (x === 1 || y === 0) return 1;
  const r = Math.pow(x, y);
  return checkFloat(
    r,
    Number.isFinite(x) && Number.isFinite(y),
    !(r === 0 && x !== 0 && Number.isFinite(x) && Number.isFinite(y)),
  );
}

function floatLn(x: number, log: (v: number) => number): number {
  if (x === 0) throw new SqlError('2201E', 'cannot take logarithm of zero');
  if (x < 0) throw new SqlError('2201E', 'cannot take logarithm of a negative number');
  return log(x);
}

function rangeCheck(x: number, lo: number, hi: number): number {
  if (x < lo || x > hi)
    throw new SqlError(SqlState.numericValueOutOfRange, 'input is out of range');
  return x;
}

const RAD = Math.PI / 180;

/** Degree-based trig with exact results at the standard angles, as PostgreSQL. */
function sind(x: number): number {
  if (!Number.isFinite(x)) {
    if (Number.isNaN(x)) return NaN;
    throw new SqlError(SqlState.numericValueOutOfRange, 'input is out of range');
  }
  let a = x % 360;
  if (a < 0) a += 360;
  let sign = 1;
  if (a > 180) {
    a -= 180;
    sign = -1;
  }
  if (a > 90) a = 180 - a;
  if (a === 30) return sign * 0.5;
  if (a === 0) return sign * 0;
  if (a === 90) return sign;
  return sign * Math.sin(a * RAD);
}

function cosd(x: number): number {
  if (!Number.isFinite(x)) {
    if (Number.isNaN(x)) return NaN;
    throw new SqlError(SqlState.numericValueOutOfRange, 'input is out of range');
  }
  let a = x % 360;
  if (a < 0) a += 360;
  if (a > 180) a = 360 - a;
  let sign = 1;
  if (a > 90) {
    a = 180 - a;
    sign = -1;
  }
  if (a === 60) return sign * 0.5;
  if (a === 90) return 0;
  if (a === 0) return sign;
  return sign * Math.cos(a * RAD);
}

function tand(x: number): number {
  const s = sind(x);
  const c = cosd(x);
  if (c === 0) return s > 0 ? Infinity : -Infinity;
  const a = ((x % 180) + 180) % 180;
  if (a === 45) return 1;
  if (a === 135) return -1;
  return s / c;
}

function cotd(x: number): number {
  const s = sind(x);
  const c = cosd(x);
  const a = ((x % 180) + 180) % 180;
  if (a === 45) return 1;
  if (a === 135) return -1;
  if (s === 0) return c > 0 ? Infinity : -Infinity;
  const r = c / s;
  return r === 0 ? 0 : r;
}

function asind(x: number): number {
  if (Number.isNaN(x)) return NaN;
  rangeCheck(x, -1, 1);
  if (x === 0.5) return 30;
  if (x === -0.5) return -30;
  if (x === 1) return 90;
  if (x === -1) return -90;
  return Math.asin(x) / RAD;
}

function acosd(x: number): number {
  if (Number.isNaN(x)) return NaN;
  rangeCheck(x, -1, 1);
  if (x === 0.5) return 60;
  if (x === -0.5) return 120;
  if (x === 0) return 90;
  if (x === 1) return 0;
  if (x === -1) return 180;
  return Math.acos(x) / RAD;
}

function atand(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === 1) return 45;
  if (x === -1) return -45;
  if (x === 0) return x;
  return Math.atan(x) / RAD;
}

function atan2d(y: number, x: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  const r = Math.atan2(y, x) / RAD;
  const rounded = Math.round(r * 1e9) / 1e9;
  return Number.isInteger(rounded) && rounded % 45 === 0 ? rounded : r;
}

function gamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x === -Infinity || (x <= 0 && Number.isInteger(x))) {
    if (x === 0)
      throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
    throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
  }
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  if (Number.isInteger(x) && x <= 171) {
    let r = 1;
    for (let i = 2; i < x; i++) r *= i;
    return r;
  }
  const r = Math.exp(lgammaPos(x));
  return checkFloat(r, true, false);
}

const lanczos = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

function lgammaPos(x: number): number {
  const z = x - 1;
  let a = lanczos[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += lanczos[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0 && Number.isInteger(x))
    throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
  if (x === 1 || x === 2) return 0;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  return lgammaPos(x);
}

function widthBucket(op: number, lo: number, hi: number, count: number): number {
  if (count <= 0) throw new SqlError('2201G', 'count must be greater than zero');
  if (Number.isNaN(op) || Number.isNaN(lo) || Number.isNaN(hi))
    throw new SqlError('2201G', 'operand, lower bound, and upper bound cannot be NaN');
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    throw new SqlError('2201G', 'lower and upper bounds must be finite');
  if (lo === hi) throw new SqlError('2201G', 'lower bound cannot equal upper bound');
  let r: number;
  if (lo < hi) {
    if (op < lo) r = 0;
    else if (op >= hi) r = count + 1;
    else r = Math.floor(((op - lo) / (hi - lo)) * count) + 1;
  } else {
    if (op > lo) r = 0;
    else if (op <= hi) r = count + 1;
    else r = Math.floor(((lo - op) / (lo - hi)) * count) + 1;
  }
  if (r > 2147483647) throw outOfRange('integer');
  return r;
}

function decimalSign(x: Decimal): Decimal {
  if (x.isNaN()) return x;
  return Decimal.fromBigInt(x.sign());
}

function factorial(n: bigint): Decimal {
  if (n < 0n)
    throw new SqlError(
      SqlState.invalidParameterValue,
      'factorial of a negative number is undefined',
    );
  if (n > 32177n)
    throw new SqlError(SqlState.numericValueOutOfRange, 'value overflows numeric format');
  let r = 1n;
  for (let i = 2n; i <= n; i++) r *= i;
  return Decimal.fromBigInt(r);
}

/** Numeric scale(): digits after the decimal point; NULL for NaN/Infinity. */
function scaleOf(x: Decimal): Value {
  return x.isFinite() ? x.scale : null;
}

function minScale(x: Decimal): Value {
  return x.isFinite() ? x.trimScale().scale : null;
}

const defs: ScalarFunction[] = [
  scalar('abs', [
    intAbs('int2'),
    intAbs('int4'),
    intAbs('int8'),
    { args: [float4], ret: float4, eval: (a) => Math.abs(a[0] as number) },
    f1(Math.abs),
    n1((x) => x.abs()),
  ]),
  ...['ceil', 'ceiling'].map((n) => scalar(n, [f1((x) => Math.ceil(x)), n1((x) => x.ceil())])),
  scalar('floor', [f1(Math.floor), n1((x) => x.floor())]),
  scalar('round', [
    f1(rint),
    n1((x) => x.round(0)),
    {
      args: [numeric, int4],
      ret: numeric,
      eval: (a) => (a[0] as Decimal).round(a[1] as number),
    },
  ]),
  scalar('trunc', [
    f1(Math.trunc),
    n1((x) => x.trunc(0)),
    {
      args: [numeric, int4],
      ret: numeric,
      eval: (a) => (a[0] as Decimal).trunc(a[1] as number),
    },
  ]),
  scalar('sign', [
    f1((x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0)),
    n1(decimalSign),
  ]),
  scalar('mod', [
    intMod('int2'),
    intMod('int4'),
    intMod('int8'),
    { args: [numeric, numeric], ret: numeric, eval: (a) => (a[0] as Decimal).mod(a[1] as Decimal) },
  ]),
  scalar('div', [
    {
      args: [numeric, numeric],
      ret: numeric,
      eval: (a) => (a[0] as Decimal).divTrunc(a[1] as Decimal),
    },
  ]),
  ...['power', 'pow'].map((n) =>
    scalar(n, [
      {
        args: [float8, float8],
        ret: float8,
        eval: (a) => floatPow(a[0] as number, a[1] as number),
      },
      {
        args: [numeric, numeric],
        ret: numeric,
        eval: (a) => (a[0] as Decimal).pow(a[1] as Decimal),
      },
    ]),
  ),
  scalar('sqrt', [
    f1((x) => {
      if (x < 0) throw new SqlError('2201F', 'cannot take square root of a negative number');
      return Math.sqrt(x);
    }),
    n1((x) => x.sqrt()),
  ]),
  scalar('cbrt', [f1(Math.cbrt)]),
  scalar('exp', [
    f1((x) => {
      const r = Math.exp(x);
      return checkFloat(r, Number.isFinite(x), !(r === 0 && Number.isFinite(x)));
    }),
    n1(decimalExp),
  ]),
  scalar('ln', [f1((x) => floatLn(x, Math.log)), n1(decimalLn)]),
  scalar('log10', [f1((x) => floatLn(x, Math.log10)), n1(decimalLog10)]),
  scalar('log', [
    f1((x) => floatLn(x, Math.log10)),
    n1(decimalLog10),
    {
      args: [numeric, numeric],
      ret: numeric,
      eval: (a) => decimalLog(a[0] as Decimal, a[1] as Decimal),
    },
  ]),
  scalar('pi', [{ args: [], ret: float8, eval: () => Math.PI }]),
  scalar('degrees', [f1((x) => x / RAD)]),
  scalar('radians', [f1((x) => x * RAD)]),
  scalar('sin', [f1(Math.sin)]),
  scalar('cos', [f1(Math.cos)]),
  scalar('tan', [f1(Math.tan)]),
  scalar('cot', [f1((x) => 1 / Math.tan(x))]),
  scalar('asin', [f1((x) => Math.asin(Number.isNaN(x) ? x : rangeCheck(x, -1, 1)))]),
  scalar('acos', [f1((x) => Math.acos(Number.isNaN(x) ? x : rangeCheck(x, -1, 1)))]),
  scalar('atan', [f1(Math.atan)]),
  scalar('atan2', [
    {
      args: [float8, float8],
      ret: float8,
      eval: (a) => Math.atan2(a[0] as number, a[1] as number),
    },
  ]),
  scalar('sind', [f1(sind)]),
  scalar('cosd', [f1(cosd)]),
  scalar('tand', [f1(tand)]),
  scalar('cotd', [f1(cotd)]),
  scalar('asind', [f1(asind)]),
  scalar('acosd', [f1(acosd)]),
  scalar('atand', [f1(atand)]),
  scalar('atan2d', [
    { args: [float8, float8], ret: float8, eval: (a) => atan2d(a[0] as number, a[1] as number) },
  ]),
  scalar('sinh', [f1(Math.sinh)]),
  scalar('cosh', [f1(Math.cosh)]),
  scalar('tanh', [f1(Math.tanh)]),
  scalar('asinh', [f1(Math.asinh)]),
  scalar('acosh', [
    f1((x) => {
      if (x < 1) throw new SqlError(SqlState.numericValueOutOfRange, 'input is out of range');
      return Math.acosh(x);
    }),
  ]),
  scalar('atanh', [
    f1((x) => {
      if (x < -1 || x > 1)
        throw new SqlError(SqlState.numericValueOutOfRange, 'input is out of range');
      return Math.atanh(x);
    }),
  ]),
  scalar('gamma', [f1(gamma)]),
  scalar('lgamma', [f1(lgamma)]),
  scalar('random', [{ args: [], ret: float8, volatile: true, eval: () => Math.random() }]),
  scalar('gcd', [
    intGcdLcm('int4', false),
    intGcdLcm('int8', false),
    {
      args: [numeric, numeric],
      ret: numeric,
      eval: (a) => decimalGcd(a[0] as Decimal, a[1] as Decimal),
    },
  ]),
  scalar('lcm', [
    intGcdLcm('int4', true),
    intGcdLcm('int8', true),
    {
      args: [numeric, numeric],
      ret: numeric,
      eval: (a) => decimalLcm(a[0] as Decimal, a[1] as Decimal),
    },
  ]),
  scalar('width_bucket', [
    {
      args: [float8, float8, float8, int4],
      ret: int4,
      eval: (a) => widthBucket(a[0] as number, a[1] as number, a[2] as number, a[3] as number),
    },
    {
      args: [numeric, numeric, numeric, int4],
      ret: int4,
      eval: (a) =>
        widthBucket(
          (a[0] as Decimal).toNumber(),
          (a[1] as Decimal).toNumber(),
          (a[2] as Decimal).toNumber(),
          a[3] as number,
        ),
    },
  ]),
  scalar('scale', [{ args: [numeric], ret: int4, eval: (a) => scaleOf(a[0] as Decimal) }]),
  scalar('min_scale', [{ args: [numeric], ret: int4, eval: (a) => minScale(a[0] as Decimal) }]),
  scalar('trim_scale', [n1((x) => x.trimScale())]),
  scalar('factorial', [{ args: [int8], ret: numeric, eval: (a) => factorial(a[0] as bigint) }]),
];

export const mathFunctions: ScalarFunction[] = defs;

/** Integer kinds by DataType, for callers that dispatch on the argument type. */
export function isIntKind(t: DataType): t is { kind: 'int2' | 'int4' | 'int8' } {
  return t.kind === 'int2' || t.kind === 'int4' || t.kind === 'int8';
}
