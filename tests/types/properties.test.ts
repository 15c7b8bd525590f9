/**
 * Properties over generated values of every type: text output reads back to an equal value, and
 * ordering agrees with hash keys (equal under `=` exactly when keys are equal).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { T, arrayOf, type DataType } from '../../runtime/types/datatype.js';
import type { Value } from '../../runtime/types/value.js';
import { StructValue } from '../../runtime/types/value.js';
import { Decimal } from '../../runtime/types/numeric.js';
import { Interval } from '../../runtime/types/interval.js';
import { Jsonb } from '../../runtime/types/jsonb.js';
import { formatValue } from '../../runtime/types/format.js';
import { parseValue } from '../../runtime/types/parse.js';
import { compareValues, valueKey } from '../../runtime/types/compare.js';

const decimal = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .tuple(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), fc.integer({ min: 0, max: 10 }))
      .map(([c, s]) => Decimal.of(c, s)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(Decimal.NaN, Decimal.Infinity, Decimal.NegativeInfinity),
  },
);
const interval = fc
  .tuple(
    fc.integer({ min: -50000, max: 50000 }),
    fc.integer({ min: -50000, max: 50000 }),
    fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }),
  )
  .map(([m, d, us]) => new Interval(m, d, us));
const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const structType: DataType = {
  kind: 'struct',
  fields: [
    { name: 'a', type: T.int4 },
    { name: 'b', type: T.text },
  ],
};

const cases: [DataType, fc.Arbitrary<Value>][] = [
  [T.boolean, fc.boolean()],
  [T.int2, fc.integer({ min: -32768, max: 32767 })],
  [T.int4, fc.integer({ min: -2147483648, max: 2147483647 })],
  [T.int8, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
  [T.float4, fc.float().map((x) => Math.fround(x))],
  [T.float8, fc.double()],
  [T.numeric, decimal],
  [T.text, text],
  [T.date, fc.integer({ min: -2_400_000, max: 2_900_000 })],
  [T.time, fc.bigInt({ min: 0n, max: 86_400_000_000n })],
  [T.timestamp, fc.bigInt({ min: -200_000_000_000_000_000n, max: 9_000_000_000_000_000_000n })],
  [T.timestamptz, fc.bigInt({ min: -2_000_000_000_000_000n, max: 9_000_000_000_000_000n })],
  [T.interval, interval],
  [T.jsonb, fc.jsonValue({ maxDepth: 3 }).map((v) => Jsonb.fromJs(v))],
  [T.bytea, fc.uint8Array({ maxLength: 16 })],
  [arrayOf(T.int4), fc.array(fc.option(fc.integer(), { nil: null }), { maxLength: 6 })],
  [arrayOf(T.text), fc.array(fc.option(text, { nil: null }), { maxLength: 6 })],
  [arrayOf(T.numeric), fc.array(fc.option(decimal, { nil: null }), { maxLength: 4 })],
  [
    structType,
    fc
      .tuple(fc.option(fc.integer(), { nil: null }), fc.option(text, { nil: null }))
      .map((f) => new StructValue(f)),
  ],
];

describe('type properties', () => {
  for (const zone of ['UTC', 'America/New_York', '+05:30']) {
    for (const [t, arb] of cases) {
      if (zone !== 'UTC' && t.kind !== 'timestamptz') continue;
      it(`parse(format(v)) = v for ${JSON.stringify(t)} in ${zone}`, () => {
        const ctx = { timeZone: zone };
        fc.assert(
          fc.property(arb, (v) => {
            const s = formatValue(v, t, ctx);
            const back = parseValue(s, t, ctx);
            expect(compareValues(back, v, t)).toBe(0);
            expect(formatValue(back, t, ctx)).toBe(s);
          }),
          { seed: 1234, numRuns: 200 },
        );
      });
    }
  }

  const smallDecimal = fc
    .tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 3 }))
    .map(([c, s]) => Decimal.of(BigInt(c) * 10n ** BigInt(s % 2), s));
  const keyed: [DataType, fc.Arbitrary<Value>][] = [
    [T.numeric, fc.oneof(smallDecimal, fc.constantFrom(Decimal.NaN, Decimal.Infinity))],
    [T.float8, fc.constantFrom(0, -0, 1, NaN, Infinity, 0.5)],
    [
      T.interval,
      fc
        .tuple(
          fc.integer({ min: 0, max: 2 }),
          fc.constantFrom(0, 30, 60),
          fc.constantFrom(0n, 86_400_000_000n),
        )
        .map(([m, d, us]) => new Interval(m, d, us)),
    ],
    [
      T.jsonb,
      fc
        .constantFrom('1', '1.0', '[1, 2]', '[1.00, 2]', '{"a": 1}', '{"a": 1.0}', '"1"')
        .map((s) => Jsonb.parse(s)),
    ],
    [arrayOf(T.numeric), fc.array(fc.option(smallDecimal, { nil: null }), { maxLength: 2 })],
    [T.text, fc.constantFrom('a', 'b', 'ab', '', '\u{1F600}', '\uFFFF')],
  ];
  for (const [t, arb] of keyed) {
    it(`valueKey agrees with compareValues for ${JSON.stringify(t)}`, () => {
      fc.assert(
        fc.property(arb, arb, (a, b) => {
          const c = compareValues(a, b, t);
          expect(Math.sign(compareValues(b, a, t)) + 0).toBe(-Math.sign(c) + 0);
          expect(valueKey(a, t) === valueKey(b, t)).toBe(c === 0);
        }),
        { seed: 77, numRuns: 300 },
      );
    });
  }
});
