/**
 * The vectorised aggregation keeps its Wasm memory flat: batch after batch of inserts into a
 * 1,000-group view reuse the same staging regions, group table and partial-sum arrays, so the
 * Wasm memory does not grow after warm-up (the table's rows live in JavaScript, not in Wasm).
 */
import { describe, expect, it } from 'vitest';
import { Table, makeVector } from 'apache-arrow';
import { Database } from '../../runtime/engine.js';
import { sharedKernels } from '../../runtime/kernels/key-index.js';

describe('columnar aggregation memory', () => {
  it('Wasm memory stays flat over 1M rows into a 1,000-group view', () => {
    const s = new Database().connect();
    s.execute(
      'CREATE TABLE t (k bigint, v int); CREATE MATERIALIZED VIEW m AS SELECT k, count(*) AS c, sum(v) AS s, max(v) AS x FROM t GROUP BY k',
    );
    const n = 10_000;
    const batch = (b: number) =>
      new Table({
        k: makeVector(BigInt64Array.from({ length: n }, (_, i) => BigInt((i * 7919 + b) % 1000))),
        v: makeVector(Int32Array.from({ length: n }, (_, i) => (i + b) % 100)),
      });
    const sizes: number[] = [];
    for (let b = 0; b < 100; b++) {
      s.insertArrow('t', batch(b));
      sizes.push(sharedKernels().memoryBytes());
    }
    // After the first 10 batches, not one byte more.
    expect(sizes[99]).toBe(sizes[9]);
    const r = s.execute('SELECT sum(c), count(*) FROM m')[0]!.rows![0]!;
    expect(r).toEqual([expect.anything(), 1000n]);
    expect(String(r[0])).toBe('1000000');
  });
});
