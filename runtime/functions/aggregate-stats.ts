/**
 * Statistical aggregates (stddev, variance) and ordered-set and RisingWave aggregates:
 * first/last_value, approx_count_distinct, arg_min/arg_max, percentile_cont/disc and mode.
 */
import { SqlError, SqlState } from '../errors.js';
import type { DataType } from '../types/datatype.js';
import { T } from '../types/datatype.js';
import { Decimal, pow10 } from '../types/numeric.js';
import { Interval } from '../types/interval.js';
import { compareValues, valueKey } from '../types/compare.js';
import type { Value } from '../types/value.js';
import type { StateJson } from '../types/state-value.js';
import type { AggregateFunction } from '../expr/registry.js';
import { aggregate } from './overload.js';
import type { AggOverload } from './overload.js';
import {
  DecimalSum,
  FloatSum,
  SortedMultiset,
  accumulator,
  bitLength,
  corruptState,
  listAgg,
  loadFloat,
  saveFloat,
  scaledToFloat,
  stateCount,
  stateList,
  stateTuple,
} from './aggregate-state.js';

const { int2, int4, int8, float4, float8, numeric, text, interval } = T;

// ---- statistics -----------------------------------------------------------------------------

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  const guess = Math.sqrt(Number(n));
  let x = Number.isFinite(guess)
    ? BigInt(Math.floor(guess))
    : 1n << BigInt((bitLength(n) + 1) >> 1);
  if (x === 0n) x = 1n;
  // One Newton step from any positive guess lands at or above ⌊√n⌋ (a guess below it, as a
  // rounded double can be, would otherwise stop the descent at once); from there it descends.
  x = (x + n / x) >> 1n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

/** Square root rounded (half away from zero) to `rscale` digits. */
function decimalSqrtAt(x: Decimal, rscale: number): Decimal {
  const wanted = rscale + 1;
  const shift = 2 * wanted - x.scale;
  const c = shift >= 0 ? x.coef * pow10(shift) : x.coef / pow10(-shift);
  const root = isqrt(c);
  const q = root / 10n;
  const r = root % 10n;
  return Decimal.of(r >= 5n ? q + 1n : q, rscale);
}

type StatKind = 'var_samp' | 'var_pop' | 'stddev_samp' | 'stddev_pop';

function decimalStat(ds: DecimalSum, kind: StatKind): Value {
  const n = ds.n;
  const sample = kind === 'var_samp' || kind === 'stddev_samp';
  if (n === 0 || (sample && n === 1)) return null;
  const sp = ds.special();
  if (sp !== undefined) return Decimal.NaN;
  const sx = ds.total();
  const sx2 = ds.totalSquares();
  const N = Decimal.fromBigInt(n);
  const num = N.mul(sx2).sub(sx.mul(sx));
  if (num.sign() <= 0) return Decimal.ZERO;
  const den = sample ? N.mul(Decimal.fromBigInt(n - 1)) : N.mul(N);
  const v = num.div(den);
  if (kind === 'var_samp' || kind === 'var_pop') return v;
  return decimalSqrtAt(num.div(den), v.scale);
}

function floatStat(fs: FloatSum, kind: StatKind): Value {
  const n = fs.n;
  const sample = kind === 'var_samp' || kind === 'stddev_samp';
  if (n === 0 || (sample && n === 1)) return null;
  if (fs.special() !== undefined) return NaN;
  if (fs.sequential()) {
    const v = fs.seqSxx / (sample ? n - 1 : n);
    return kind === 'var_samp' || kind === 'var_pop' ? v : Math.sqrt(v);
  }
  // Exact: (n·Σx² − (Σx)²) / (n·(n−1)) over the 2^-2148 scale.
  const N = BigInt(n);
  const num = N * fs.sumSq - fs.sum * fs.sum;
  if (num <= 0n) return 0;
  const den = sample ? N * (N - 1n) : N * N;
  // Divide keeping 64 extra bits of precision.
  const q = (num << 64n) / den;
  const v = scaledToFloat(q, 2148 + 64);
  return kind === 'var_samp' || kind === 'var_pop' ? v : Math.sqrt(v);
}

export function statAgg(name: string, kind: StatKind): AggregateFunction {
  const exact = (t: DataType): AggOverload => ({
    args: [t],
    ret: numeric,
    create: () => () => {
      const ds = new DecimalSum(true);
      return accumulator(
        (a, s) => {
          const v = a[0]!;
          ds.apply(
            v instanceof Decimal
              ? v
              : Decimal.fromBigInt(typeof v === 'bigint' ? v : (v as number)),
            s,
          );
        },
        () => decimalStat(ds, kind),
        ds,
      );
    },
  });
  const float = (t: DataType): AggOverload => ({
    args: [t],
    ret: float8,
    create: () => () => {
      const fs = new FloatSum(true);
      return accumulator(
        (a, s) => fs.apply(a[0] as number, s),
        () => floatStat(fs, kind),
        fs,
      );
    },
  });
  return aggregate(name, [
    exact(int2),
    exact(int4),
    exact(int8),
    exact(numeric),
    float(float4),
    float(float8),
  ]);
}

// ---- ordered-set and RisingWave aggregates -------------------------------------------------

export function firstLast(name: 'first_value' | 'last_value'): AggregateFunction {
  return listAgg(
    name,
    (t) => t,
    (rows) => (name === 'first_value' ? rows[0]![0]! : rows[rows.length - 1]![0]!),
  );
}

export const approxCountDistinct: AggregateFunction = {
  name: 'approx_count_distinct',
  resolve(argTypes) {
    if (argTypes.length !== 1) return undefined;
    const t = argTypes[0]!.kind === 'unknown' ? text : argTypes[0]!;
    return {
      argTypes: [t],
      returnType: int8,
      create: () => {
        const counts = new Map<string, number>();
        return accumulator(
          (a, s) => {
            const k = valueKey(a[0]!, t);
            const c = (counts.get(k) ?? 0) + s;
            if (c <= 0) counts.delete(k);
            else counts.set(k, c);
          },
          () => BigInt(counts.size),
          // `[value key, count, …]`.
          {
            save: () => {
              const out: StateJson[] = [];
              counts.forEach((c, k) => out.push(k, c));
              return out;
            },
            load: (j) => {
              const pairs = stateList(j);
              counts.clear();
              for (let i = 0; i + 1 < pairs.length; i += 2) {
                const k = pairs[i];
                if (typeof k !== 'string') throw corruptState('expected a value key');
                counts.set(k, stateCount(pairs[i + 1]));
              }
            },
          },
        );
      },
    };
  },
};

/** arg_min/arg_max(value, key): the value of the row with the smallest/largest key. */
export function argExtremum(name: 'arg_min' | 'arg_max'): AggregateFunction {
  return {
    name,
    resolve(argTypes) {
      if (argTypes.length !== 2) return undefined;
      const types = argTypes.map((t) => (t.kind === 'unknown' ? text : t));
      const [vt, kt] = types as [DataType, DataType];
      return {
        argTypes: types,
        returnType: vt,
        create: () => {
          const ms = new SortedMultiset((a, b) => {
            const x = a as Value[];
            const y = b as Value[];
            return (
              compareValues(x[1]!, y[1]!, kt) ||
              (x[0] === null
                ? y[0] === null
                  ? 0
                  : 1
                : y[0] === null
                  ? -1
                  : compareValues(x[0]!, y[0]!, vt))
            );
          });
          return accumulator(
            (a, s) => {
              if (a[1] === null) return;
              ms.apply(a, s);
            },
            () => {
              const r = (name === 'arg_min' ? ms.min() : ms.max()) as Value[] | null;
              return r === null ? null : r[0]!;
            },
            ms,
          );
        },
      };
    },
  };
}

/**
 * percentile_cont/percentile_disc(fraction) WITHIN GROUP (ORDER BY x): arguments are
 * `(fraction, x)`, the fraction being the same for every row of a group.
 */
export function percentile(name: 'percentile_cont' | 'percentile_disc'): AggregateFunction {
  return {
    name,
    resolve(argTypes) {
      if (argTypes.length !== 2) return undefined;
      const ft = argTypes[0]!;
      if (
        ft.kind !== 'unknown' &&
        !['int2', 'int4', 'int8', 'float4', 'float8', 'numeric'].includes(ft.kind)
      )
        return undefined;
      let xt = argTypes[1]!;
      if (name === 'percentile_cont') {
        if (xt.kind === 'interval') xt = interval;
        else if (
          ['int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'unknown'].includes(xt.kind)
        )
          xt = float8;
        else return undefined;
      } else if (xt.kind === 'unknown') xt = text;
      const type = xt;
      return {
        argTypes: [float8, type],
        returnType: type,
        ignoreNulls: false,
        create: () => {
          const ms = new SortedMultiset((a, b) => compareValues(a, b, type));
          let fraction: number | null = null;
          return accumulator(
            (a, s) => {
              fraction = a[0] as number | null;
              if (a[1] !== null) ms.apply(a[1]!, s);
            },
            () => {
              if (ms.size === 0 || fraction === null) return null;
              if (!(fraction >= 0 && fraction <= 1))
                throw new SqlError(
                  SqlState.numericValueOutOfRange,
                  `percentile value ${fraction} is not between 0 and 1`,
                );
              if (name === 'percentile_disc') {
                const k = Math.max(0, Math.ceil(fraction * ms.size) - 1);
                return ms.at(k);
              }
              const pos = fraction * (ms.size - 1);
              const lo = Math.floor(pos);
              const hi = Math.ceil(pos);
              const a = ms.at(lo);
              const b = ms.at(hi);
              if (lo === hi) return a;
              const w = pos - lo;
              if (type.kind === 'interval') {
                const x = a as Interval;
                const y = b as Interval;
                return x.add(y.sub(x).mul(w));
              }
              return (a as number) + w * ((b as number) - (a as number));
            },
            // `[fraction, sorted values]`.
            {
              save: () => [fraction === null ? null : saveFloat(fraction), ms.save()],
              load: (j) => {
                const [jf, jm] = stateTuple(j, 2);
                fraction = jf === null ? null : loadFloat(jf);
                ms.load(jm!);
              },
            },
          );
        },
      };
    },
  };
}

export const mode: AggregateFunction = {
  name: 'mode',
  resolve(argTypes) {
    if (argTypes.length !== 1) return undefined;
    const t = argTypes[0]!.kind === 'unknown' ? text : argTypes[0]!;
    return {
      argTypes: [t],
      returnType: t,
      create: () => {
        const ms = new SortedMultiset((a, b) => compareValues(a, b, t));
        return accumulator(
          (a, s) => ms.apply(a[0]!, s),
          () => {
            let best: { v: Value; n: number } | undefined;
            for (const it of ms.items) if (!best || it.n > best.n) best = it;
            return best ? best.v : null;
          },
          ms,
        );
      },
    };
  },
};
