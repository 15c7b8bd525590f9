/** Shared generators and column builders for the kernel property tests. */
import fc from 'fast-check';
import { Int64, vectorFromArray } from 'apache-arrow';
import { columnFromArrow, type KColumn } from '../../runtime/kernels/index.js';

export const I64_MIN = -(1n << 63n);
export const I64_MAX = (1n << 63n) - 1n;

/** An int64 column with NULLs, as the kernels read Arrow data. */
export const i64Col = (v: (bigint | null)[]): KColumn =>
  columnFromArrow(vectorFromArray(v, new Int64()).data[0]!);

/** Any int64, with the extremes and small values (so keys collide) often. */
export const int64 = fc.oneof(
  fc.bigInt({ min: I64_MIN, max: I64_MAX }),
  fc.constantFrom(I64_MIN, I64_MAX, 0n, -1n),
  fc.bigInt({ min: -20n, max: 20n }),
);

export const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 5 });
