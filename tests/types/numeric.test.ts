/** Decimal: PostgreSQL 15 NUMERIC results, scales and errors, plus exact-arithmetic properties. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from '../../runtime/types/numeric.js';

const d = (s: string): Decimal => Decimal.parse(s);

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('Decimal', () => {
  it('parses and prints PostgreSQL text', () => {
    expect(d('89.49').toString()).toBe('89.49');
    expect(d(' -1.5e3 ').toString()).toBe('-1500');
    expect(d('.5').toString()).toBe('0.5');
    expect(d('5.').toString()).toBe('5');
    expect(d('1.5e-3').toString()).toBe('0.0015');
    expect(d('0.00').toString()).toBe('0.00');
    expect(d('-0.00').toString()).toBe('0.00');
    expect(d('nan').toString()).toBe('NaN');
    expect(d('-Infinity').toString()).toBe('-Infinity');
    expect(d('inf').toString()).toBe('Infinity');
    expect(() => d('1.2.3')).toThrow('invalid input syntax for type numeric: "1.2.3"');
    expect(code(() => d('abc'))).toBe('22P02');
  });

  it('keeps PostgreSQL result scales', () => {
    expect(d('39.50').add(d('49.99')).toString()).toBe('89.49');
    expect(d('1.5').mul(d('2.25')).toString()).toBe('3.375');
    expect(d('1').div(d('3')).toString()).toBe('0.33333333333333333333');
    expect(d('10').div(d('4')).toString()).toBe('2.5000000000000000');
    expect(d('1e300').div(d('7')).toString()).toHaveLength(300);
    expect(d('2').div(d('3.000')).toString()).toBe('0.66666666666666666667');
    expect(d('1').mod(d('0.3')).toString()).toBe('0.1');
    expect(d('-7.5').mod(d('2')).toString()).toBe('-1.5');
  });

  it('rounds, truncates and applies typmods', () => {
    expect(d('2.5').round().toString()).toBe('3');
    expect(d('-2.5').round().toString()).toBe('-3');
    expect(d('1234.5').round(-2).toString()).toBe('1200');
    expect(d('-1.57').trunc(1).toString()).toBe('-1.5');
    expect(d('1.2').ceil().toString()).toBe('2');
    expect(d('-1.2').floor().toString()).toBe('-2');
    expect(d('123.456').withTypmod(5, 2).toString()).toBe('123.46');
    expect(d('1').withTypmod(5, 2).toString()).toBe('1.00');
    expect(code(() => d('1234.5').withTypmod(5, 2))).toBe('22003');
    expect(() => d('1234.5').withTypmod(5, 2)).toThrow('numeric field overflow');
  });

  it('powers and roots as PostgreSQL', () => {
    expect(d('1.5').pow(d('2')).toString()).toBe('2.2500000000000000');
    expect(d('0.001').pow(d('5')).toString()).toBe('0.0000000000000010');
    expect(d('2').pow(d('0.5')).toString()).toBe('1.4142135623730950');
    expect(d('100').pow(d('0.5')).toString()).toBe('10.000000000000000');
    expect(d('1.12').pow(d('10')).toString()).toBe('3.1058482083442092');
    expect(d('2').pow(d('-2')).toString()).toBe('0.2500000000000000');
    expect(d('2').sqrt().toString()).toBe('1.414213562373095');
    expect(d('0.0001').sqrt().toString()).toBe('0.01000000000000000');
    expect(code(() => d('0').pow(d('-1')))).toBe('2201F');
  });

  it('handles NaN and infinities', () => {
    expect(d('Infinity').add(d('-Infinity')).isNaN()).toBe(true);
    expect(d('Infinity').mul(d('0')).isNaN()).toBe(true);
    expect(d('5').div(d('Infinity')).toString()).toBe('0');
    expect(d('NaN').cmp(d('Infinity'))).toBe(1);
    expect(d('NaN').eq(d('NaN'))).toBe(true);
    expect(d('-Infinity').cmp(d('-1e100'))).toBe(-1);
  });

  it('raises division by zero', () => {
    expect(code(() => d('1').div(d('0')))).toBe('22012');
    expect(code(() => d('1').mod(d('0.0')))).toBe('22012');
    expect(() => d('1').div(d('0'))).toThrow('division by zero');
  });

  it('converts to and from numbers and integers', () => {
    expect(Decimal.fromNumber(0.1).toString()).toBe('0.1');
    expect(Decimal.fromNumber(1e20).toString()).toBe('100000000000000000000');
    expect(Decimal.fromNumber(1 / 3).toString()).toBe('0.333333333333333');
    expect(Decimal.fromNumber(Math.fround(0.1), 6).toString()).toBe('0.1');
    expect(d('2.5').toBigInt()).toBe(3n);
    expect(d('-2.5').toBigInt()).toBe(-3n);
    expect(d('32767.4').toInt('int2')).toBe(32767);
    expect(() => d('32767.5').toInt('int2')).toThrow('smallint out of range');
    expect(code(() => d('NaN').toInt('int4'))).toBe('0A000');
    expect(d('1.25').toNumber()).toBe(1.25);
  });

  it('matches bigint arithmetic on scaled integers (property)', () => {
    const dec = fc.tuple(
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
      fc.integer({ min: 0, max: 12 }),
    );
    fc.assert(
      fc.property(dec, dec, ([c1, s1], [c2, s2]) => {
        const a = Decimal.of(c1, s1);
        const b = Decimal.of(c2, s2);
        const s = Math.max(s1, s2);
        const x = c1 * 10n ** BigInt(s - s1);
        const y = c2 * 10n ** BigInt(s - s2);
        const sum = a.add(b);
        const diff = a.sub(b);
        const prod = a.mul(b);
        return (
          sum.scale === s &&
          sum.coef === x + y &&
          diff.coef === x - y &&
          prod.scale === s1 + s2 &&
          prod.coef === c1 * c2 &&
          Math.sign(a.cmp(b)) === (x < y ? -1 : x > y ? 1 : 0)
        );
      }),
      { seed: 20260402, numRuns: 300 },
    );
  });

  it('round-trips through text (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
        fc.integer({ min: 0, max: 20 }),
        (c, s) => {
          const a = Decimal.of(c, s);
          const b = Decimal.parse(a.toString());
          return b.coef === a.coef && b.scale === a.scale;
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('division result times divisor is within rounding of the dividend (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        (a, b) => {
          const q = Decimal.of(a, 2).div(Decimal.of(b, 0));
          const back = q.mul(Decimal.of(b, 0)).sub(Decimal.of(a, 2)).abs();
          const ulp = Decimal.of(b, q.scale); // |error| ≤ b × 0.5 ulp
          return back.cmp(ulp) <= 0;
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });
});
