/**
 * Rows → Arrow columns (`rowsToColumns`, written straight into buffers) against Arrow's own
 * builders (`vectorFromArray`) on random rows of every storage type: the same buffers for
 * every valid cell, the same NULLs, and rows that decode back to themselves.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeVector, vectorFromArray } from 'apache-arrow';
import { arrowTypeOf, columnsToRows, rowsToColumns } from '../../runtime/storage/arrow-codec.js';
import { encodeValue } from '../../runtime/types/state-value.js';
import { T, arrayOf, type DataType } from '../../runtime/types/datatype.js';
import { Decimal } from '../../runtime/types/numeric.js';
import { Interval } from '../../runtime/types/interval.js';
import type { Row, Value } from '../../runtime/types/value.js';

const maybe = (a: fc.Arbitrary<Value>): fc.Arbitrary<Value> =>
  fc.oneof({ weight: 4, arbitrary: a }, { weight: 1, arbitrary: fc.constant(null) });

const COLUMNS: [DataType, fc.Arbitrary<Value>][] = [
  [T.boolean, fc.boolean()],
  [T.int2, fc.integer({ min: -32768, max: 32767 })],
  [T.int4, fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })],
  [T.int8, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
  [T.float4, fc.float({ noNaN: false }).map((x) => Math.fround(x))],
  [T.float8, fc.double()],
  [T.date, fc.integer({ min: -1_000_000, max: 1_000_000 })],
  [T.timestamptz, fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n })],
  [T.text, fc.string({ unit: 'binary' })],
  [T.varchar, fc.constantFrom('', 'a', 'é€', '\u{1F600}', 'x'.repeat(300))],
  [
    T.numeric,
    fc.oneof(
      fc
        .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 6 }))
        .map(([v, s]) => Decimal.of(v, s)),
      fc.constantFrom(Decimal.NaN, Decimal.Infinity, Decimal.NegativeInfinity),
    ),
  ],
  [
    T.interval,
    fc
      .tuple(
        fc.integer({ min: -100, max: 100 }),
        fc.integer({ min: -40, max: 40 }),
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
      )
      .map(([m, d, us]) => new Interval(m, d, us)),
  ],
  [arrayOf(T.int4), fc.array(maybe(fc.integer()), { maxLength: 4 })],
];
const types = COLUMNS.map(([t]) => t);
const rowArb = fc.tuple(...COLUMNS.map(([, a]) => maybe(a))) as fc.Arbitrary<Row>;

describe('rowsToColumns', () => {
  it('writes the buffers Arrow builders write, and decodes back to the same rows', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 40 }), (rows) => {
        const columns = rowsToColumns(types, rows);
        types.forEach((t, c) => {
          const d = columns[c]!;
          const native =
            !(arrowTypeOf(t).toString() === 'Utf8') || t.kind === 'text' || t.kind === 'varchar';
          const cells = rows.map((r) => {
            const v = r[c] ?? null;
            if (v === null || native) return v;
            return t.kind === 'numeric'
              ? (v as Decimal).toString()
              : JSON.stringify(encodeValue(v));
          });
          const want = vectorFromArray(cells as unknown[], arrowTypeOf(t));
          const got = makeVector(d);
          expect(d.length).toBe(rows.length);
          expect(d.nullCount).toBe(want.nullCount);
          for (let i = 0; i < rows.length; i++) expect(got.get(i)).toEqual(want.get(i));
        });
        const back = columnsToRows(columns, types, rows.length);
        expect(back.map((r) => r.map(show))).toEqual(rows.map((r) => r.map(show)));
      }),
      { seed: 20261128, numRuns: 200 },
    );
  });

  it('writes an empty batch', () => {
    const columns = rowsToColumns(types, []);
    expect(columns.map((d) => d.length)).toEqual(types.map(() => 0));
  });
});

/** A comparable form of a value (Decimal and Interval by their text, -0 kept apart from 0). */
function show(v: Value): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint')
    return v;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v;
  return JSON.stringify(encodeValue(v));
}
