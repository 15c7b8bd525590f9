import { describe, expect, it } from 'vitest';
import { T } from '../../runtime/types/datatype.js';
import { Decimal } from '../../runtime/types/numeric.js';
import { call, resolve, sqlstateOf } from './helpers.js';

const n = (s: string): [Decimal, typeof T.numeric] => [Decimal.parse(s), T.numeric];
const f = (x: number): [number, typeof T.float8] => [x, T.float8];
const i = (x: number): [number, typeof T.int4] => [x, T.int4];
const str = (v: unknown): string => String(v);

describe('math functions', () => {
  it('abs keeps the integer type and checks overflow', () => {
    expect(call('abs', [i(-5)])).toBe(5);
    expect(call('abs', [[-5n, T.int8]])).toBe(5n);
    expect(resolve('abs', [T.int2]).returnType).toEqual(T.int2);
    expect(sqlstateOf(() => call('abs', [i(-2147483648)]))).toBe('22003');
    expect(str(call('abs', [n('-1.50')]))).toBe('1.50');
  });
  it('round: half away from zero for numeric, half even for float', () => {
    expect(str(call('round', [n('-5.5')]))).toBe('-6');
    expect(str(call('round', [n('2.5')]))).toBe('3');
    expect(call('round', [f(2.5)])).toBe(2);
    expect(call('round', [f(-0.5)])).toBe(-0);
    expect(call('round', [f(3.5)])).toBe(4);
    expect(str(call('round', [n('42.4382'), i(2)]))).toBe('42.44');
    expect(str(call('round', [n('1234.5'), i(-2)]))).toBe('1200');
    expect(resolve('round', [T.unknown]).returnType).toEqual(T.float8);
    expect(resolve('round', [T.int4]).returnType).toEqual(T.float8);
  });
  it('ceil, floor, trunc, sign', () => {
    expect(str(call('ceil', [n('-42.8')]))).toBe('-42');
    expect(str(call('floor', [n('-42.8')]))).toBe('-43');
    expect(call('ceil', [f(4.2)])).toBe(5);
    expect(str(call('trunc', [n('42.4382'), i(2)]))).toBe('42.43');
    expect(call('trunc', [f(-42.8)])).toBe(-42);
    expect(str(call('sign', [n('-8.4')]))).toBe('-1');
  });
  it('mod and div', () => {
    expect(call('mod', [i(9), i(4)])).toBe(1);
    expect(call('mod', [i(-9), i(4)])).toBe(-1);
    expect(
      call('mod', [
        [9n, T.int8],
        [-4n, T.int8],
      ]),
    ).toBe(1n);
    expect(resolve('mod', [T.int4, T.int8]).returnType).toEqual(T.int8);
    expect(sqlstateOf(() => call('mod', [i(1), i(0)]))).toBe('22012');
    expect(str(call('mod', [n('9.5'), n('4')]))).toBe('1.5');
    expect(str(call('div', [n('9'), n('4')]))).toBe('2');
  });
  it('powers, roots and logarithms', () => {
    expect(call('power', [f(2), f(10)])).toBe(1024);
    expect(str(call('power', [n('2'), n('10')]))).toBe('1024.0000000000000000');
    expect(call('sqrt', [f(4)])).toBe(2);
    expect(str(call('sqrt', [n('2')]))).toBe('1.414213562373095');
    expect(call('cbrt', [f(27)])).toBeCloseTo(3, 12);
    expect(str(call('ln', [n('2.0')]))).toBe('0.6931471805599453');
    expect(str(call('exp', [n('1.0')]))).toBe('2.7182818284590452');
    expect(str(call('log', [n('100')]))).toBe('2.0000000000000000');
    expect(str(call('log', [n('2'), n('8')]))).toBe('3.0000000000000000');
    expect(call('log10', [f(1000)])).toBe(3);
    expect(sqlstateOf(() => call('ln', [f(0)]))).toBe('2201E');
    expect(sqlstateOf(() => call('ln', [n('-1')]))).toBe('2201E');
    expect(sqlstateOf(() => call('sqrt', [f(-1)]))).toBe('2201F');
    expect(sqlstateOf(() => call('power', [f(0), f(-1)]))).toBe('2201F');
    expect(sqlstateOf(() => call('exp', [f(1000)]))).toBe('22003');
  });
  it('trigonometry', () => {
    expect(call('pi', [])).toBe(Math.PI);
    expect(call('degrees', [f(Math.PI)])).toBe(180);
    expect(call('sind', [f(30)])).toBe(0.5);
    expect(call('cosd', [f(60)])).toBe(0.5);
    expect(call('tand', [f(45)])).toBe(1);
    expect(call('asind', [f(0.5)])).toBe(30);
    expect(call('atan2d', [f(1), f(1)])).toBe(45);
    expect(sqlstateOf(() => call('asin', [f(2)]))).toBe('22003');
  });
  it('gcd, lcm, width_bucket, scale, factorial', () => {
    expect(call('gcd', [i(1071), i(462)])).toBe(21);
    expect(call('lcm', [i(1071), i(462)])).toBe(23562);
    expect(str(call('gcd', [n('1.5'), n('0.6')]))).toBe('0.3');
    expect(call('width_bucket', [f(5.35), f(0.024), f(10.06), i(5)])).toBe(3);
    expect(call('scale', [n('8.4100')])).toBe(4);
    expect(str(call('factorial', [[5n, T.int8]]))).toBe('120');
  });
  it('gamma and lgamma', () => {
    expect(call('gamma', [f(5)])).toBe(24);
    expect(call('gamma', [f(0.5)])).toBeCloseTo(Math.sqrt(Math.PI), 12);
    expect(call('lgamma', [f(10)])).toBeCloseTo(Math.log(362880), 10);
  });
});
