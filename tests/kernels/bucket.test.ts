/**
 * The group-bucketing kernel (PartialAggregator.bucketInt64) against a plain-TS counting sort:
 * random group numbers, weights (0 and +1; any -1 refuses), NULLs and int64 values on both sides
 * of the exact-double range.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PartialAggregator } from '../../runtime/kernels/partial-agg.js';

const EXACT = 2n ** 53n - 1n;

function reference(
  gids: number[],
  weights: number[],
  values: bigint[],
  valid: boolean[],
  groups: number,
): { starts: number[]; values: number[] } | null {
  const buckets: number[][] = Array.from({ length: groups }, () => []);
  for (let i = 0; i < gids.length; i++) {
    if (weights[i] === 0 || !valid[i]) continue;
    if (weights[i]! < 0 || values[i]! > EXACT || values[i]! < -EXACT) return null;
    buckets[gids[i]!]!.push(Number(values[i]));
  }
  const starts = [0];
  for (const b of buckets) starts.push(starts[starts.length - 1]! + b.length);
  return { starts, values: buckets.flat() };
}

describe('bucketing by group', () => {
  it('matches a counting sort, and refuses deletes and inexact values', () => {
    const p = new PartialAggregator();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((groups) =>
          fc
            .array(
              fc.record({
                g: fc.integer({ min: 0, max: groups - 1 }),
                w: fc.constantFrom(0, 1, 1, 1, -1),
                v: fc.oneof(
                  fc.bigInt({ min: -1000n, max: 1000n }),
                  fc.constantFrom(EXACT, -EXACT, EXACT + 1n, -(2n ** 63n), 2n ** 63n - 1n),
                ),
                valid: fc.boolean(),
              }),
              { maxLength: 50 },
            )
            .map((rows) => ({ groups, rows })),
        ),
        ({ groups, rows }) => {
          const gids = Int32Array.from(rows, (r) => r.g);
          const weights = Int8Array.from(rows, (r) => r.w);
          const values = BigInt64Array.from(rows, (r) => r.v);
          const validity = new Uint8Array((rows.length + 7) >> 3);
          rows.forEach((r, i) => {
            if (r.valid) validity[i >> 3]! |= 1 << (i & 7);
          });
          p.begin(gids, groups);
          const got = p.bucketInt64(weights, values, validity);
          const want = reference(
            rows.map((r) => r.g),
            rows.map((r) => r.w),
            rows.map((r) => r.v),
            rows.map((r) => r.valid),
            groups,
          );
          if (!want) expect(got).toBeNull();
          else {
            expect(got).not.toBeNull();
            expect([...got!.starts]).toEqual(want.starts);
            expect([...got!.values]).toEqual(want.values);
          }
        },
      ),
      { seed: 20261128, numRuns: 300 },
    );
  });
});
