import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { T } from '../../runtime/types/datatype.js';
import type { DataType } from '../../runtime/types/datatype.js';
import { Decimal } from '../../runtime/types/numeric.js';
import { Interval } from '../../runtime/types/interval.js';
import { Jsonb } from '../../runtime/types/jsonb.js';
import type { Value } from '../../runtime/types/value.js';
import { agg, runAgg, sqlstateOf } from './helpers.js';

const d = (s: string): Decimal => Decimal.parse(s);
const col = (...vs: Value[]): Value[][] => vs.map((v) => [v]);
const str = (v: Value): string => (v === null ? 'NULL' : String(v));

describe('aggregates', () => {
  it('count', () => {
    expect(runAgg(agg('count', []), [[], [], []])).toBe(3n);
    expect(runAgg(agg('count', [T.int4]), col(1, null, 3))).toBe(2n);
    expect(runAgg(agg('count', [T.int4]), [])).toBe(0n);
  });
  it('sum types and results', () => {
    expect(agg('sum', [T.int4]).returnType).toEqual(T.int8);
    expect(agg('sum', [T.int8]).returnType).toEqual(T.numeric);
    expect(agg('sum', [T.float4]).returnType).toEqual(T.float4);
    expect(runAgg(agg('sum', [T.int4]), col(1, 2, null))).toBe(3n);
    expect(runAgg(agg('sum', [T.int4]), col(null))).toBe(null);
    expect(str(runAgg(agg('sum', [T.int8]), col(9223372036854775807n, 1n)))).toBe(
      '9223372036854775808',
    );
    expect(str(runAgg(agg('sum', [T.numeric]), col(d('39.50'), d('49.99'), d('1'))))).toBe('90.49');
    expect(runAgg(agg('sum', [T.float8]), col(0.1, 0.2))).toBe(0.30000000000000004);
    expect(str(runAgg(agg('sum', [T.numeric]), col(d('1'), d('NaN'))))).toBe('NaN');
    const iv = runAgg(
      agg('sum', [T.interval]),
      col(new Interval(1, 2, 3n), new Interval(0, 1, 1n)),
    );
    expect(iv).toEqual(new Interval(1, 3, 4n));
  });
  it('avg', () => {
    expect(str(runAgg(agg('avg', [T.int4]), col(1, 2)))).toBe('1.5000000000000000');
    expect(str(runAgg(agg('avg', [T.numeric]), col(d('1.0'), d('2.0'), d('4.0'))))).toBe(
      '2.3333333333333333',
    );
    expect(runAgg(agg('avg', [T.float8]), col(1, 2))).toBe(1.5);
    expect(runAgg(agg('avg', [T.int4]), [])).toBe(null);
  });
  it('min/max with retraction of the extreme', () => {
    const r = agg('max', [T.text]);
    const acc = r.create();
    for (const v of ['b', 'c', 'a', 'c']) acc.apply([v], 1);
    expect(acc.result()).toBe('c');
    acc.apply(['c'], -1);
    expect(acc.result()).toBe('c');
    acc.apply(['c'], -1);
    expect(acc.result()).toBe('b');
    expect(agg('min', [T.date]).returnType).toEqual(T.date);
    expect(lookupFails(() => agg('min', [T.boolean]))).toBe(true);
  });
  it('bool and bit aggregates', () => {
    expect(runAgg(agg('bool_and', [T.boolean]), col(true, false))).toBe(false);
    expect(runAgg(agg('every', [T.boolean]), col(true, true))).toBe(true);
    expect(runAgg(agg('bool_or', [T.boolean]), col(false, true))).toBe(true);
    expect(runAgg(agg('bit_and', [T.int4]), col(7, 3, -1))).toBe(3);
    expect(runAgg(agg('bit_or', [T.int4]), col(1, 4, -8))).toBe(-3);
    expect(runAgg(agg('bit_xor', [T.int8]), col(5n, 3n))).toBe(6n);
  });
  it('string_agg, array_agg, jsonb_agg, jsonb_object_agg', () => {
    const sa = agg('string_agg', [T.text, T.unknown]);
    expect(
      runAgg(sa, [
        ['a', ','],
        [null, ','],
        ['b', ';'],
        ['c', null],
      ]),
    ).toBe('a;bc');
    expect(runAgg(agg('array_agg', [T.int4]), col(1, null, 2))).toEqual([1, null, 2]);
    expect(runAgg(agg('array_agg', [T.int4]), [])).toBe(null);
    const j = runAgg(agg('jsonb_agg', [T.int4]), col(1, null)) as Jsonb;
    expect(j.toString()).toBe('[1, null]');
    const o = runAgg(agg('jsonb_object_agg', [T.text, T.int4]), [
      ['a', 1],
      ['b', null],
    ]) as Jsonb;
    expect(o.toString()).toBe('{"a": 1, "b": null}');
  });
  it('variance and stddev', () => {
    const rows = col(1, 2, 3, 4);
    expect(str(runAgg(agg('var_samp', [T.int4]), rows))).toBe('1.6666666666666667');
    expect(str(runAgg(agg('var_pop', [T.int4]), rows))).toBe('1.2500000000000000');
    expect(str(runAgg(agg('stddev_samp', [T.int4]), rows))).toBe('1.2909944487358056');
    expect(str(runAgg(agg('stddev_pop', [T.int4]), rows))).toBe('1.1180339887498948');
    expect(runAgg(agg('stddev_samp', [T.int4]), col(1))).toBe(null);
    expect(str(runAgg(agg('variance', [T.int4]), col(5, 5)))).toBe('0');
    expect(runAgg(agg('var_samp', [T.float8]), col(1, 2, 3, 4))).toBeCloseTo(
      1.6666666666666667,
      15,
    );
    expect(runAgg(agg('stddev_pop', [T.float8]), col(1, 2, 3, 4))).toBeCloseTo(
      1.118033988749895,
      15,
    );
  });
  it('percentiles, mode, arg_min/arg_max, first/last_value, approx_count_distinct', () => {
    const pc = agg('percentile_cont', [T.float8, T.int4]);
    expect(
      runAgg(
        pc,
        [0.5, 1, 2, 3, 4].slice(1).map((x) => [0.5, x]),
      ),
    ).toBe(2.5);
    const pd = agg('percentile_disc', [T.float8, T.int4]);
    expect(
      runAgg(
        pd,
        [1, 2, 3, 4].map((x) => [0.5, x]),
      ),
    ).toBe(2);
    expect(sqlstateOf(() => runAgg(pd, [[1.5, 1]]))).toBe('22003');
    expect(runAgg(agg('mode', [T.text]), col('b', 'a', 'b', 'a', 'c'))).toBe('a');
    expect(
      runAgg(agg('arg_min', [T.text, T.int4]), [
        ['x', 3],
        ['y', 1],
        ['z', 2],
      ]),
    ).toBe('y');
    expect(
      runAgg(agg('arg_max', [T.text, T.int4]), [
        ['x', 3],
        ['y', 1],
        ['z', 2],
      ]),
    ).toBe('x');
    expect(runAgg(agg('first_value', [T.int4]), col(null, 2))).toBe(null);
    expect(runAgg(agg('last_value', [T.int4]), col(null, 2))).toBe(2);
    expect(runAgg(agg('approx_count_distinct', [T.int4]), col(1, 2, 2, 3))).toBe(3n);
  });
});

function lookupFails(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch {
    return true;
  }
}

/** Canonical text of a result for comparison. */
function show(v: Value): string {
  if (v instanceof Jsonb) return v.toString();
  if (Array.isArray(v)) return JSON.stringify(v.map(show));
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  return v === null ? 'NULL' : String(v);
}

interface Case {
  name: string;
  types: DataType[];
  gen: fc.Arbitrary<Value[]>;
}

const smallInt = fc.integer({ min: -50, max: 50 });
const maybe = <V extends Value>(a: fc.Arbitrary<V>): fc.Arbitrary<V | null> =>
  fc.option(a, { freq: 6, nil: null });
const decimal = fc
  .tuple(fc.integer({ min: -100000, max: 100000 }), fc.integer({ min: 0, max: 4 }))
  .map(([c, s]) => Decimal.of(BigInt(c), s));
const float = fc.oneof(
  fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
  fc.constantFrom(0.1, 0.2, 1e-300, 1e300, -0),
);

const cases: Case[] = [
  { name: 'count', types: [T.int4], gen: maybe(smallInt).map((v) => [v]) },
  { name: 'sum', types: [T.int4], gen: maybe(smallInt).map((v) => [v]) },
  {
    name: 'sum',
    types: [T.int8],
    gen: fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }).map((v) => [v]),
  },
  { name: 'sum', types: [T.numeric], gen: maybe(decimal).map((v) => [v]) },
  { name: 'sum', types: [T.float8], gen: maybe(float).map((v) => [v]) },
  { name: 'avg', types: [T.numeric], gen: decimal.map((v) => [v]) },
  { name: 'avg', types: [T.int4], gen: smallInt.map((v) => [v]) },
  { name: 'avg', types: [T.float8], gen: float.map((v) => [v]) },
  { name: 'min', types: [T.int4], gen: maybe(smallInt).map((v) => [v]) },
  { name: 'max', types: [T.text], gen: fc.string({ maxLength: 3 }).map((v) => [v]) },
  { name: 'max', types: [T.numeric], gen: decimal.map((v) => [v]) },
  { name: 'bool_and', types: [T.boolean], gen: fc.boolean().map((v) => [v]) },
  { name: 'bool_or', types: [T.boolean], gen: fc.boolean().map((v) => [v]) },
  { name: 'bit_and', types: [T.int4], gen: smallInt.map((v) => [v]) },
  { name: 'bit_or', types: [T.int8], gen: fc.bigInt({ min: -100n, max: 100n }).map((v) => [v]) },
  { name: 'bit_xor', types: [T.int2], gen: smallInt.map((v) => [v]) },
  { name: 'var_samp', types: [T.numeric], gen: decimal.map((v) => [v]) },
  { name: 'stddev_pop', types: [T.int4], gen: smallInt.map((v) => [v]) },
  { name: 'stddev_samp', types: [T.float8], gen: float.map((v) => [v]) },
  { name: 'var_pop', types: [T.float8], gen: float.map((v) => [v]) },
  {
    name: 'string_agg',
    types: [T.text, T.text],
    gen: fc.tuple(maybe(fc.constantFrom('a', 'b', 'c')), maybe(fc.constantFrom(',', ';'))),
  },
  { name: 'array_agg', types: [T.int4], gen: maybe(smallInt).map((v) => [v]) },
  { name: 'jsonb_agg', types: [T.text], gen: maybe(fc.constantFrom('x', 'y')).map((v) => [v]) },
  { name: 'first_value', types: [T.int4], gen: maybe(smallInt).map((v) => [v]) },
  { name: 'last_value', types: [T.int4], gen: maybe(smallInt).map((v) => [v]) },
  { name: 'approx_count_distinct', types: [T.int4], gen: smallInt.map((v) => [v]) },
  { name: 'mode', types: [T.int4], gen: fc.integer({ min: 0, max: 5 }).map((v) => [v]) },
  { name: 'arg_max', types: [T.int4, T.int4], gen: fc.tuple(smallInt, smallInt) },
  {
    name: 'percentile_cont',
    types: [T.float8, T.float8],
    gen: fc.integer({ min: -20, max: 20 }).map((v) => [0.25, v]),
  },
  { name: 'percentile_disc', types: [T.float8, T.int4], gen: smallInt.map((v) => [0.5, v]) },
];

function keyOf(row: Value[]): string {
  return row.map(show).join('|');
}

describe('aggregate retraction (property)', () => {
  for (const c of cases) {
    it(`${c.name}(${c.types.map((t) => t.kind).join(', ')}): retraction equals recomputation`, () => {
      const r = agg(c.name, c.types);
      fc.assert(
        fc.property(
          fc.array(c.gen, { maxLength: 25 }),
          fc.array(fc.nat(), { maxLength: 40 }),
          (rows, ops) => {
            // Interleave inserts (in order) with deletes of random currently-present rows.
            const acc = r.create();
            const live: Value[][] = [];
            const skip = (row: Value[]): boolean =>
              r.ignoreNulls !== false && row.some((v) => v === null);
            let next = 0;
            for (const op of ops) {
              if (op % 3 !== 0 && next < rows.length) {
                const row = rows[next++]!;
                live.push(row);
                if (!skip(row)) acc.apply(row, 1);
              } else if (live.length > 0) {
                // Retract one occurrence; the earliest equal row leaves the arrival order.
                const victim = live[op % live.length]!;
                const k = keyOf(victim);
                live.splice(
                  live.findIndex((x) => keyOf(x) === k),
                  1,
                );
                if (!skip(victim)) acc.apply(victim, -1);
              }
            }
            const fresh = r.create();
            for (const row of live) if (!skip(row)) fresh.apply(row, 1);
            const a = acc.result();
            const b = fresh.result();
            if (typeof a === 'number' && typeof b === 'number' && Number.isFinite(a)) {
              // Float aggregates are exact after a retraction, sequential (as PostgreSQL) before.
              expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
            } else expect(show(a)).toBe(show(b));
          },
        ),
        { seed: 20240611, numRuns: 150 },
      );
    });
  }
});
