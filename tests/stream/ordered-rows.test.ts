/**
 * OrderedRows (the state of temporal and dynamic filters) against a plain sorted model: random
 * adds and removes over enough keys to split and empty blocks, rows sharing keys (including
 * rows equal but written differently), and ranges with open, closed and missing ends.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OrderedRows, type RangeEnd } from '../../runtime/stream/ordered-rows.js';
import { T } from '../../runtime/types/datatype.js';
import { Decimal } from '../../runtime/types/numeric.js';
import type { Row } from '../../runtime/types/value.js';

const rowText = (r: Row): string => r.map((v) => String(v)).join('|');

describe('OrderedRows', () => {
  it('holds what a sorted model holds and reads ranges in key order (seeded)', () => {
    const op = fc.tuple(
      fc.integer({ min: 0, max: 600 }),
      fc.constantFrom('1.0', '1.00', '2'),
      fc.boolean(),
    );
    const end = fc.option(fc.tuple(fc.integer({ min: -5, max: 605 }), fc.boolean()), {
      nil: null,
    });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 2500 }), end, end, (ops, lo, hi) => {
        const index = new OrderedRows(T.int4, [T.int4, T.numeric]);
        const model = new Map<string, { key: number; row: Row; count: number }>();
        for (const [key, n, remove] of ops) {
          const row: Row = [key, Decimal.parse(n)];
          const id = rowText(row);
          const held = model.get(id);
          if (remove) {
            if (!held) continue;
            index.add(key, row, -1);
            if (--held.count === 0) model.delete(id);
          } else {
            index.add(key, row, 1);
            if (held) held.count++;
            else model.set(id, { key, row, count: 1 });
          }
        }
        expect(index.size).toBe(model.size);
        const within = (k: number): boolean =>
          (!lo || k > lo[0] || (lo[1] && k === lo[0])) &&
          (!hi || k < hi[0] || (hi[1] && k === hi[0]));
        const range = (e: [number, boolean] | null): RangeEnd | null =>
          e ? { value: e[0], inclusive: e[1] } : null;
        const got = index.range(range(lo), range(hi));
        const keys = got.map((e) => e.key as number);
        expect(keys).toEqual([...keys].sort((a, b) => a - b));
        const text = (es: { row: Row; count: number }[]): string[] =>
          es.map((e) => `${rowText(e.row)} x${e.count}`).sort();
        expect(text(got)).toEqual(text([...model.values()].filter((e) => within(e.key))));
        expect(text([...index.entries()])).toEqual(text([...model.values()]));
      }),
      { seed: 4217, numRuns: 150 },
    );
  });

  it('refuses to remove a row it does not hold', () => {
    const index = new OrderedRows(T.int4, [T.int4]);
    index.add(1, [1], 1);
    expect(() => index.add(2, [2], -1)).toThrow(/missing/);
    expect(() => index.add(1, [1], -2)).toThrow(/missing/);
  });
});
