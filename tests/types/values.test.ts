/** jsonb, text input/output, casts and ordering of SQL values, with PostgreSQL 15's results. */
import { describe, expect, it } from 'vitest';
import { Jsonb } from '../../runtime/types/jsonb.js';
import { formatFloat, formatValue } from '../../runtime/types/format.js';
import { parseValue } from '../../runtime/types/parse.js';
import { canCast, castValue } from '../../runtime/types/cast.js';
import { compareValues, valueKey } from '../../runtime/types/compare.js';
import { Decimal } from '../../runtime/types/numeric.js';
import { T, arrayOf, type DataType } from '../../runtime/types/datatype.js';
import type { Value } from '../../runtime/types/value.js';

const ctx = { timeZone: 'UTC' };
const rt = (text: string, t: DataType): string => formatValue(parseValue(text, t, ctx), t, ctx);
const cast = (text: string, from: DataType, to: DataType, zone = 'UTC'): string =>
  formatValue(
    castValue(parseValue(text, from, { timeZone: zone }), from, to, { timeZone: zone }),
    to,
    {
      timeZone: zone,
    },
  );

function err(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return `${(e as { code: string }).code} ${(e as Error).message}`;
  }
  return 'no error';
}

describe('jsonb', () => {
  it('normalises as PostgreSQL', () => {
    expect(Jsonb.parse('{"b": [1, 2], "a": 1, "aa": 1.50, "a": 2}').toString()).toBe(
      '{"a": 2, "b": [1, 2], "aa": 1.50}',
    );
    expect(Jsonb.parse(' [1e2, -0.5, "x\\ny\\u00e9", true, null, {}] ').toString()).toBe(
      '[100, -0.5, "x\\nyé", true, null, {}]',
    );
    expect(err(() => Jsonb.parse('{"a":}'))).toBe('22P02 invalid input syntax for type json');
    expect(err(() => Jsonb.parse('01'))).toBe('22P02 invalid input syntax for type json');
  });

  it('accesses and tests containment', () => {
    const j = Jsonb.parse('{"a":{"b":[10,20]},"s":"x","n":null}');
    expect(j.get('a')?.toString()).toBe('{"b": [10, 20]}');
    expect(j.getText('s')).toBe('x');
    expect(j.getText('n')).toBeNull();
    expect(j.get('zz')).toBeNull();
    expect(j.getPath(['a', 'b', '-1'])?.toString()).toBe('20');
    expect(j.getPathText(['a', 'b', '0'])).toBe('10');
    expect(Jsonb.parse('[1,2,3]').get(-1)?.toString()).toBe('3');
    expect(j.contains(Jsonb.parse('{"a":{"b":[20]}}'))).toBe(true);
    expect(j.contains(Jsonb.parse('{"a":{"b":[30]}}'))).toBe(false);
    expect(Jsonb.parse('[1,2]').contains(Jsonb.parse('1'))).toBe(true);
    expect(Jsonb.parse('[[1,2]]').contains(Jsonb.parse('[1]'))).toBe(false);
    expect(j.hasKey('s')).toBe(true);
    expect(Jsonb.parse('["a"]').hasKey('a')).toBe(true);
    expect(Jsonb.parse('1.0').eq(Jsonb.parse('1.00'))).toBe(true);
  });
});

describe('text output and input', () => {
  it('prints floats as PostgreSQL 15', () => {
    expect(formatFloat(0.1)).toBe('0.1');
    expect(formatFloat(1e20)).toBe('1e+20');
    expect(formatFloat(123456789012345)).toBe('123456789012345');
    expect(formatFloat(1e15)).toBe('1e+15');
    expect(formatFloat(1e-5)).toBe('1e-05');
    expect(formatFloat(-0)).toBe('-0');
    expect(formatFloat(NaN)).toBe('NaN');
    expect(formatFloat(-Infinity)).toBe('-Infinity');
    expect(formatFloat(Math.fround(1 / 3), true)).toBe('0.33333334');
    expect(formatFloat(Math.fround(1e6), true)).toBe('1e+06');
  });

  it('round-trips values of every type', () => {
    expect(rt('yes', T.boolean)).toBe('t');
    expect(rt(' off ', T.boolean)).toBe('f');
    expect(rt(' -42 ', T.int4)).toBe('-42');
    expect(rt('9223372036854775807', T.int8)).toBe('9223372036854775807');
    expect(rt('1.50', T.numeric)).toBe('1.50');
    expect(rt('1.555', { kind: 'numeric', precision: 5, scale: 2 })).toBe('1.56');
    expect(rt('-inf', T.float8)).toBe('-Infinity');
    expect(rt('\\x0aff', T.bytea)).toBe('\\x0aff');
    expect(rt('ab\\\\c', T.bytea)).toBe('\\x61625c63');
    expect(rt('{"a b",NULL,"\\"q\\"",x, "" }', arrayOf(T.text))).toBe(
      '{"a b",NULL,"\\"q\\"",x,""}',
    );
    expect(rt('{{1,2},{3,NULL}}', arrayOf(arrayOf(T.int4)))).toBe('{{1,2},{3,NULL}}');
    expect(rt('{}', arrayOf(T.int4))).toBe('{}');
    const st: DataType = {
      kind: 'struct',
      fields: [
        { name: 'a', type: T.int4 },
        { name: 'b', type: T.text },
      ],
    };
    expect(rt('(1,"a b")', st)).toBe('(1,"a b")');
    expect(rt('(,x)', st)).toBe('(,x)');
    expect(rt('1 day 2 hours', T.interval)).toBe('1 day 02:00:00');
    expect(rt('{"k": [1]}', T.jsonb)).toBe('{"k": [1]}');
  });

  it('raises PostgreSQL input errors', () => {
    expect(err(() => parseValue('99999999999', T.int4, ctx))).toBe(
      '22003 value "99999999999" is out of range for type integer',
    );
    expect(err(() => parseValue('x', T.int4, ctx))).toBe(
      '22P02 invalid input syntax for type integer: "x"',
    );
    expect(err(() => parseValue('1.5', T.int2, ctx))).toBe(
      '22P02 invalid input syntax for type smallint: "1.5"',
    );
    expect(err(() => parseValue('maybe', T.boolean, ctx))).toBe(
      '22P02 invalid input syntax for type boolean: "maybe"',
    );
    expect(err(() => parseValue('1e400', T.float8, ctx))).toBe(
      '22003 "1e400" is out of range for type double precision',
    );
    expect(err(() => parseValue('abcdef', { kind: 'varchar', length: 3 }, ctx))).toBe(
      '22001 value too long for type character varying(3)',
    );
    expect(err(() => parseValue('{1,2', arrayOf(T.int4), ctx))).toBe(
      '22P02 malformed array literal: "{1,2"',
    );
  });
});

describe('casts', () => {
  it('converts between numeric types as PostgreSQL', () => {
    expect(cast('2.5', T.numeric, T.int4)).toBe('3');
    expect(cast('-2.5', T.numeric, T.int4)).toBe('-3');
    expect(cast('2.5', T.float8, T.int4)).toBe('2');
    expect(cast('3.5', T.float8, T.int4)).toBe('4');
    expect(cast('0.1', T.float8, T.numeric)).toBe('0.1');
    expect(cast('0.1', T.float4, T.float8)).toBe('0.10000000149011612');
    expect(cast('12.345', T.numeric, { kind: 'numeric', precision: 4, scale: 1 })).toBe('12.3');
    expect(err(() => cast('40000', T.int4, T.int2))).toBe('22003 smallint out of range');
    expect(err(() => cast('3e9', T.float8, T.int4))).toBe('22003 integer out of range');
    expect(err(() => cast('1e19', T.numeric, T.int8))).toBe('22003 bigint out of range');
  });

  it('converts other pairs', () => {
    expect(cast('true', T.boolean, T.text)).toBe('true');
    expect(cast('t', T.boolean, T.int4)).toBe('1');
    expect(cast('0', T.int4, T.boolean)).toBe('f');
    expect(cast('abcdef', T.text, { kind: 'varchar', length: 3 })).toBe('abc');
    expect(cast('2026-04-02', T.date, T.timestamptz, 'America/New_York')).toBe(
      '2026-04-02 00:00:00-04',
    );
    expect(cast('2026-04-02 03:00:00+00', T.timestamptz, T.date, 'America/New_York')).toBe(
      '2026-04-01',
    );
    expect(cast('2026-04-02 03:04:05', T.timestamp, T.time)).toBe('03:04:05');
    expect(cast('{"a":1}', T.jsonb, T.text)).toBe('{"a": 1}');
    expect(cast('12.5', T.jsonb, T.numeric)).toBe('12.5');
    expect(cast('12.5', T.jsonb, T.int4)).toBe('13');
    expect(err(() => cast('"x"', T.jsonb, T.numeric))).toBe(
      '22023 cannot cast jsonb string to type numeric',
    );
    expect(cast('{1.5,2.5}', arrayOf(T.numeric), arrayOf(T.int4))).toBe('{2,3}');
    expect(err(() => castValue(1, T.int4, T.date, ctx))).toBe(
      '42846 cannot cast type integer to date',
    );
  });

  it('classifies cast contexts', () => {
    expect(canCast(T.int4, T.int8)).toBe('implicit');
    expect(canCast(T.int8, T.int4)).toBe('assignment');
    expect(canCast(T.float8, T.numeric)).toBe('assignment');
    expect(canCast(T.int4, T.text)).toBe('assignment');
    expect(canCast(T.text, T.int4)).toBe('explicit');
    expect(canCast(T.boolean, T.int4)).toBe('explicit');
    expect(canCast(T.int4, T.date)).toBeUndefined();
  });
});

describe('ordering and keys', () => {
  const n = (s: string): Decimal => Decimal.parse(s);
  it('orders as PostgreSQL', () => {
    expect(compareValues(NaN, Infinity, T.float8)).toBe(1);
    expect(compareValues(-0, 0, T.float8)).toBe(0);
    expect(compareValues(n('NaN'), n('1e100'), T.numeric)).toBe(1);
    expect(compareValues('B', 'a', T.text)).toBe(-1);
    expect(compareValues('\u{1F600}', '\uFFFF', T.text)).toBe(1);
    expect(compareValues([1, null], [1, 2], arrayOf(T.int4))).toBe(1);
    expect(compareValues([1], [1, 2], arrayOf(T.int4))).toBe(-1);
  });

  it('gives equal keys to equal values', () => {
    expect(valueKey(n('1.0'), T.numeric)).toBe(valueKey(n('1.00'), T.numeric));
    expect(valueKey(-0, T.float8)).toBe(valueKey(0, T.float8));
    const iv = (s: string): Value => parseValue(s, T.interval, ctx);
    expect(valueKey(iv('1 mon'), T.interval)).toBe(valueKey(iv('30 days'), T.interval));
    expect(valueKey(['a,b'], arrayOf(T.text))).not.toBe(valueKey(['a', 'b'], arrayOf(T.text)));
  });
});
