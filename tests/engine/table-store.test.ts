import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { TableStore } from '../../runtime/storage/table-store.js';
import { T } from '../../runtime/types/datatype.js';
import { Decimal } from '../../runtime/types/numeric.js';
import type { Row } from '../../runtime/types/value.js';

const columns = [
  { name: 'k', type: T.int4 },
  { name: 'big', type: T.int8 },
  { name: 'n', type: T.numeric },
  { name: 's', type: T.text },
  { name: 'ts', type: T.timestamptz },
];

describe('TableStore', () => {
  test('rows survive the round trip through Arrow record batches', () => {
    const store = new TableStore(columns, []);
    const rows: Row[] = [
      [1, 2n ** 62n, Decimal.parse('-12.340'), 'héllo', 1_775_114_820_000_000n],
      [null, null, null, null, null],
    ];
    rows.forEach((r) => store.insert(r));
    store.seal();
    const batches = store.batches();
    expect(batches.length).toBe(1);
    expect(batches[0]!.numRows).toBe(2);
    expect(batches[0]!.schema.fields.map((f) => String(f.type))).toEqual([
      'Int32',
      'Int64',
      'Utf8',
      'Utf8',
      'Int64',
    ]);
    const out = store.scan().rows;
    expect(out[0]![0]).toBe(1);
    expect(out[0]![1]).toBe(2n ** 62n);
    expect((out[0]![2] as Decimal).toString()).toBe('-12.340');
    expect(out[0]![3]).toBe('héllo');
    expect(out[0]![4]).toBe(1_775_114_820_000_000n);
    expect(out[1]).toEqual([null, null, null, null, null]);
  });

  test('random inserts and deletes match a reference list', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('ins' as const), k: fc.integer({ min: 0, max: 20 }) }),
            fc.record({ op: fc.constant('del' as const), k: fc.integer({ min: 0, max: 20 }) }),
            fc.constant({ op: 'seal' as const, k: 0 }),
          ),
          { maxLength: 80 },
        ),
        (ops) => {
          const store = new TableStore([{ name: 'k', type: T.int4 }], [0]);
          const ref = new Map<number, number>();
          for (const o of ops) {
            if (o.op === 'seal') store.seal();
            else if (o.op === 'ins') {
              const old = store.findByKey([o.k]);
              if (old !== undefined) store.delete(old);
              store.insert([o.k]);
              ref.set(o.k, o.k);
            } else {
              const id = store.findByKey([o.k]);
              if (id !== undefined) store.delete(id);
              ref.delete(o.k);
            }
          }
          const got = store
            .scan()
            .rows.map((r) => r[0] as number)
            .sort((a, b) => a - b);
          expect(got).toEqual([...ref.keys()].sort((a, b) => a - b));
          expect(store.rowCount).toBe(ref.size);
        },
      ),
      { seed: 20261127, numRuns: 200 },
    );
  });
});
