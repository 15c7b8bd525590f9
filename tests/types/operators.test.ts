/** Operator resolution (result types as PostgreSQL 15) and evaluation, including errors. */
import { describe, expect, it } from 'vitest';
import { resolveBinaryOperator, resolveUnaryOperator } from '../../runtime/expr/operators.js';
import { T, arrayOf, typeName, type DataType } from '../../runtime/types/datatype.js';
import type { BinaryOperator } from '../../runtime/sql/ast.js';
import { parseValue } from '../../runtime/types/parse.js';
import { castValue } from '../../runtime/types/cast.js';
import { formatValue } from '../../runtime/types/format.js';

const ctx = { timeZone: 'UTC', statementTime: 0n };

function sig(op: BinaryOperator, l: DataType, r: DataType): string {
  const o = resolveBinaryOperator(op, l, r);
  return o
    ? `${typeName(o.leftType)} ${op} ${typeName(o.rightType)} -> ${typeName(o.returnType)}`
    : 'none';
}

/** Evaluate `l op r` from text operands, coercing as the binder would. */
function ev(
  op: BinaryOperator,
  l: string,
  lt: DataType,
  r: string,
  rtype: DataType,
  zone = 'UTC',
): string {
  const c = { ...ctx, timeZone: zone };
  const o = resolveBinaryOperator(op, lt, rtype);
  if (!o) return 'no operator';
  const lv = castValue(parseValue(l, lt, c), lt, o.leftType, c);
  const rv = castValue(parseValue(r, rtype, c), rtype, o.rightType, c);
  try {
    const v = o.eval(lv, rv, c);
    return v === null ? 'NULL' : formatValue(v, o.returnType, c);
  } catch (e) {
    return `${(e as { code: string }).code} ${(e as Error).message}`;
  }
}

describe('operator resolution', () => {
  it('picks PostgreSQL result types', () => {
    expect(sig('+', T.int4, T.int4)).toBe('integer + integer -> integer');
    expect(sig('+', T.float4, T.int4)).toBe(
      'double precision + double precision -> double precision',
    );
    expect(sig('*', T.float4, T.float4)).toBe('real * real -> real');
    expect(sig('+', T.numeric, T.float4)).toContain('-> double precision');
    expect(sig('^', T.int4, T.int4)).toContain('-> double precision');
    expect(sig('+', T.int2, T.int2)).toContain('-> smallint');
    expect(sig('+', T.int2, T.int8)).toContain('-> bigint');
    expect(sig('+', T.int8, T.numeric)).toContain('-> numeric');
    expect(sig('=', T.int4, T.numeric)).toBe('numeric = numeric -> boolean');
    expect(sig('||', T.int4, T.unknown)).toContain('-> text');
    expect(sig('-', T.date, T.date)).toContain('-> integer');
    expect(sig('+', T.date, T.int4)).toContain('-> date');
    expect(sig('+', T.timestamp, T.unknown)).toContain('interval -> timestamp without time zone');
    expect(sig('->', T.jsonb, T.unknown)).toBe('jsonb -> text -> jsonb');
    expect(sig('=', T.varchar, T.text)).toBe('text = text -> boolean');
    expect(sig('<', T.date, T.timestamptz)).toContain(
      'timestamp with time zone < timestamp with time zone',
    );
    expect(sig('+', T.boolean, T.int4)).toBe('none');
    expect(resolveBinaryOperator('AND', T.boolean, T.boolean)).toBeUndefined();
  });
});

describe('operator evaluation', () => {
  it('does integer arithmetic with overflow checks', () => {
    expect(ev('/', '7', T.int4, '2', T.int4)).toBe('3');
    expect(ev('/', '-7', T.int4, '2', T.int4)).toBe('-3');
    expect(ev('%', '-7', T.int4, '3', T.int4)).toBe('-1');
    expect(ev('+', '2147483647', T.int4, '1', T.int4)).toBe('22003 integer out of range');
    expect(ev('*', '9223372036854775807', T.int8, '2', T.int8)).toBe('22003 bigint out of range');
    expect(ev('/', '1', T.int4, '0', T.int4)).toBe('22012 division by zero');
    expect(ev('-', '-32768', T.int2, '1', T.int2)).toBe('22003 smallint out of range');
    expect(ev('<<', '1', T.int8, '40', T.int4)).toBe('1099511627776');
    expect(ev('#', '5', T.int4, '3', T.int4)).toBe('6');
  });

  it('does numeric and float arithmetic', () => {
    expect(ev('+', '39.50', T.numeric, '49.99', T.numeric)).toBe('89.49');
    expect(ev('/', '1', T.int4, '3', T.numeric)).toBe('0.33333333333333333333');
    expect(ev('=', '1', T.int4, '1.0', T.numeric)).toBe('t');
    expect(ev('/', '1', T.float8, '0', T.float8)).toBe('22012 division by zero');
    expect(ev('*', '1e308', T.float8, '10', T.float8)).toBe('22003 value out of range: overflow');
    expect(ev('^', '2', T.int4, '10', T.int4)).toBe('1024');
    expect(ev('+', '0.1', T.float8, '0.2', T.float8)).toBe('0.30000000000000004');
    expect(ev('<', 'NaN', T.float8, 'Infinity', T.float8)).toBe('f');
  });

  it('does date and time arithmetic', () => {
    expect(ev('+', '2026-04-02', T.date, '30', T.int4)).toBe('2026-05-02');
    expect(ev('-', '2026-04-02', T.date, '2026-01-01', T.date)).toBe('91');
    expect(ev('+', '2026-04-02', T.date, '1 hour', T.interval)).toBe('2026-04-02 01:00:00');
    expect(ev('+', '2026-04-02', T.date, '12:30', T.time)).toBe('2026-04-02 12:30:00');
    expect(ev('-', '2026-04-02 10:00', T.timestamp, '2026-04-01 09:30', T.timestamp)).toBe(
      '1 day 00:30:00',
    );
    expect(ev('+', '2026-01-31 10:00', T.timestamp, '1 mon', T.interval)).toBe(
      '2026-02-28 10:00:00',
    );
    expect(ev('+', '23:00', T.time, '2 hours', T.interval)).toBe('01:00:00');
    expect(ev('*', '1 hour', T.interval, '1.5', T.float8)).toBe('01:30:00');
    expect(
      ev('+', '2026-03-07 12:00-05', T.timestamptz, '1 day', T.interval, 'America/New_York'),
    ).toBe('2026-03-08 12:00:00-04');
    expect(ev('<', '2026-04-02', T.date, '2026-04-02 00:00:01', T.timestamp)).toBe('t');
  });

  it('concatenates text and arrays', () => {
    expect(ev('||', 'a', T.text, '1', T.int4)).toBe('a1');
    expect(ev('||', '{1,2}', arrayOf(T.int4), '{3}', arrayOf(T.int4))).toBe('{1,2,3}');
    expect(ev('||', '{1,2}', arrayOf(T.int4), '3', T.int4)).toBe('{1,2,3}');
    expect(ev('@>', '{1,2,3}', arrayOf(T.int4), '{3,1}', arrayOf(T.int4))).toBe('t');
    expect(ev('&&', '{1,2}', arrayOf(T.int4), '{5,NULL}', arrayOf(T.int4))).toBe('f');
  });

  it('evaluates jsonb operators', () => {
    expect(ev('->', '{"a":{"b":1}}', T.jsonb, 'a', T.unknown)).toBe('{"b": 1}');
    expect(ev('->>', '[1,"x"]', T.jsonb, '1', T.int4)).toBe('x');
    expect(ev('#>>', '{"a":{"b":[1,2]}}', T.jsonb, '{a,b,1}', arrayOf(T.text))).toBe('2');
    expect(ev('?|', '{"a":1}', T.jsonb, '{b,a}', arrayOf(T.text))).toBe('t');
    expect(ev('<@', '{"a":1}', T.jsonb, '{"a":1,"b":2}', T.jsonb)).toBe('t');
    expect(ev('->', '{"a":1}', T.jsonb, 'zz', T.text)).toBe('NULL');
  });

  it('resolves prefix operators', () => {
    const neg = resolveUnaryOperator('-', T.int4)!;
    expect(neg.eval(5, ctx)).toBe(-5);
    expect(() => neg.eval(-2147483648, ctx)).toThrow('integer out of range');
    expect(resolveUnaryOperator('|/', T.int4)!.eval(25, ctx)).toBe(5);
    expect(resolveUnaryOperator('@', T.int8)!.eval(-3n, ctx)).toBe(3n);
    expect(resolveUnaryOperator('~', T.int4)!.eval(5, ctx)).toBe(-6);
    expect(resolveUnaryOperator('-', T.text)).toBeUndefined();
  });
});
