/**
 * Aggregate functions. Every accumulator supports retraction (`apply(args, -1)`), and its result
 * depends only on the multiset of rows it currently holds (for order-sensitive aggregates such as
 * string_agg, on their arrival order with retracted rows removed at their earliest occurrence), so
 * a streaming aggregate equals a batch recomputation. Sums are kept exactly (floats as scaled
 * bigints) so that add-then-retract returns to the same state; float aggregates that never saw a
 * retraction report PostgreSQL's sequential result instead, which can differ in the last bits.
 *
 * Every accumulator's state can be saved for a checkpoint (`save`, a JSON-compatible form: a
 * tuple per piece of state, SQL values through encodeValue, bigints as decimal strings) and loaded
 * into a fresh accumulator of the same aggregate, which then behaves exactly like the original.
 */
import { SqlError, SqlState } from '../errors.js';
import type { DataType } from '../types/datatype.js';
import { T, arrayOf } from '../types/datatype.js';
import { Decimal } from '../types/numeric.js';
import { Interval } from '../types/interval.js';
import { Jsonb, JsonObject } from '../types/jsonb.js';
import type { JsonValue } from '../types/jsonb.js';
import { compareValues } from '../types/compare.js';
import type { StateJson } from '../types/state-value.js';
import type { Accumulator, AggregateFunction } from '../expr/registry.js';
import { aggregate } from './overload.js';
import type { AggOverload } from './overload.js';
import { checkInt8 } from './util.js';
import { toJsonValue } from './json.js';
import {
  BIGINT_KINDS,
  DecimalSum,
  FloatSum,
  INTEGRAL,
  IntMultiset,
  OrderedList,
  SortedMultiset,
  accumulator,
  corruptState,
  listAgg,
  loadBig,
  loadFloat,
  orderable,
  rowKey,
  saveBig,
  saveFloat,
  scaledToFloat,
  stateCount,
  stateList,
  stateTuple,
  type Stateful,
} from './aggregate-state.js';
import {
  approxCountDistinct,
  argExtremum,
  firstLast,
  mode,
  percentile,
  statAgg,
} from './aggregate-stats.js';

const { int2, int4, int8, float4, float8, numeric, text, interval, boolean: bool } = T;

// ---- count / sum / avg ----------------------------------------------------------------------

function countAccumulator(): Accumulator {
  let n = 0;
  return accumulator(
    (_a, s) => (n += s),
    () => BigInt(n),
    // The row count.
    { save: () => n, load: (j) => (n = stateCount(j)) },
    (rows) => (n += rows),
  );
}

const count = aggregate('count', [
  { args: [], ret: int8, create: () => countAccumulator },
  { args: ['any'], ret: int8, create: () => countAccumulator },
]);

function intSum(kind: 'int2' | 'int4' | 'int8'): AggOverload {
  return {
    args: [T[kind]],
    ret: kind === 'int8' ? numeric : int8,
    create: () => () => {
      let sum = 0n;
      let n = 0;
      return accumulator(
        (a, s) => {
          const v = a[0]!;
          const b = typeof v === 'bigint' ? v : BigInt(v as number);
          sum += s === 1 ? b : -b;
          n += s;
        },
        () => (n === 0 ? null : kind === 'int8' ? Decimal.fromBigInt(sum) : checkInt8(sum)),
        // `[n, Σ]`.
        {
          save: () => [n, saveBig(sum)],
          load: (j) => {
            const [jn, js] = stateTuple(j, 2);
            n = stateCount(jn);
            sum = loadBig(js);
          },
        },
        (rows, total) => {
          sum += total;
          n += rows;
        },
      );
    },
  };
}

function floatSumOverload(t: DataType, ret: DataType): AggOverload {
  return {
    args: [t],
    ret,
    create: () => () => {
      const fs = new FloatSum();
      return accumulator(
        (a, s) => fs.apply(a[0] as number, s),
        () => {
          if (fs.n === 0) return null;
          const r = fs.total();
          if (ret.kind === 'float4' && Number.isFinite(r) && !Number.isFinite(Math.fround(r)))
            throw new SqlError(SqlState.numericValueOutOfRange, 'value out of range: overflow');
          return ret.kind === 'float4' ? Math.fround(r) : r;
        },
        fs,
      );
    },
  };
}

class IntervalSum implements Stateful {
  months = 0;
  days = 0;
  micros = 0n;
  n = 0;
  apply(iv: Interval, sign: 1 | -1): void {
    this.months += sign * iv.months;
    this.days += sign * iv.days;
    this.micros += sign === 1 ? iv.micros : -iv.micros;
    this.n += sign;
  }
  total(): Interval {
    if (Math.abs(this.months) > 2147483647 || Math.abs(this.days) > 2147483647)
      throw new SqlError(SqlState.datetimeFieldOverflow, 'interval out of range');
    return new Interval(this.months, this.days, this.micros);
  }
  /** `[n, months, days, micros]`. */
  save(): StateJson {
    return [this.n, saveFloat(this.months), saveFloat(this.days), saveBig(this.micros)];
  }
  load(state: StateJson): void {
    const [n, months, days, micros] = stateTuple(state, 4);
    this.n = stateCount(n);
    this.months = loadFloat(months);
    this.days = loadFloat(days);
    this.micros = loadBig(micros);
  }
}

const sum = aggregate('sum', [
  intSum('int2'),
  intSum('int4'),
  intSum('int8'),
  {
    args: [numeric],
    ret: numeric,
    create: () => () => {
      const ds = new DecimalSum();
      return accumulator(
        (a, s) => ds.apply(a[0] as Decimal, s),
        () => (ds.n === 0 ? null : ds.total()),
        ds,
        (rows, total, scale, scales) => ds.addBatch(rows, total, scale, scales),
      );
    },
  },
  floatSumOverload(float4, float4),
  floatSumOverload(float8, float8),
  {
    args: [interval],
    ret: interval,
    create: () => () => {
      const is = new IntervalSum();
      return accumulator(
        (a, s) => is.apply(a[0] as Interval, s),
        () => (is.n === 0 ? null : is.total()),
        is,
      );
    },
  },
]);

function avgExact(t: DataType): AggOverload {
  return {
    args: [t],
    ret: numeric,
    create: () => () => {
      const ds = new DecimalSum();
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
        () => (ds.n === 0 ? null : ds.total().div(Decimal.fromBigInt(ds.n))),
        ds,
        (rows, total, scale, scales) => ds.addBatch(rows, total, scale, scales),
      );
    },
  };
}

function avgFloat(t: DataType): AggOverload {
  return {
    args: [t],
    ret: float8,
    create: () => () => {
      const fs = new FloatSum();
      return accumulator(
        (a, s) => fs.apply(a[0] as number, s),
        () => {
          if (fs.n === 0) return null;
          const sp = fs.special();
          if (sp !== undefined) return sp;
          if (fs.sequential()) return fs.seqSx / fs.n;
          return scaledToFloat(fs.sum, 1074) / fs.n;
        },
        fs,
      );
    },
  };
}

const avg = aggregate('avg', [
  avgExact(int2),
  avgExact(int4),
  avgExact(int8),
  avgExact(numeric),
  avgFloat(float4),
  avgFloat(float8),
  {
    args: [interval],
    ret: interval,
    create: () => () => {
      const is = new IntervalSum();
      return accumulator(
        (a, s) => is.apply(a[0] as Interval, s),
        () => (is.n === 0 ? null : is.total().div(is.n)),
        is,
      );
    },
  },
]);

// ---- min / max ---------------------------------------------------------------------------------

function extremum(name: 'min' | 'max'): AggregateFunction {
  return {
    name,
    resolve(argTypes) {
      if (argTypes.length !== 1) return undefined;
      let t = argTypes[0]!;
      if (t.kind === 'unknown') t = text;
      if (t.kind === 'boolean' || t.kind === 'struct' || !orderable(t)) return undefined;
      if (t.kind === 'varchar') t = { kind: 'varchar' };
      const type = t;
      return {
        argTypes: [type],
        returnType: type,
        create: () => {
          if (INTEGRAL.has(type.kind)) {
            const ims = new IntMultiset(BIGINT_KINDS.has(type.kind));
            const acc = accumulator(
              (a, s) => ims.apply(a[0] as number | bigint, s),
              () => (name === 'min' ? ims.min() : ims.max()),
              ims,
            );
            acc.appendRun = (values, from, to) => ims.appendRun(values, from, to);
            return acc;
          }
          const ms = new SortedMultiset((a, b) => compareValues(a, b, type));
          return accumulator(
            (a, s) => ms.apply(a[0]!, s),
            () => (name === 'min' ? ms.min() : ms.max()),
            ms,
          );
        },
      };
    },
  };
}

// ---- boolean / bitwise ---------------------------------------------------------------------

function boolAgg(name: string, all: boolean): AggregateFunction {
  return aggregate(name, [
    {
      args: [bool],
      ret: bool,
      create: () => () => {
        let t = 0;
        let f = 0;
        return accumulator(
          (a, s) => {
            if (a[0]) t += s;
            else f += s;
          },
          () => (t + f === 0 ? null : all ? f === 0 : t > 0),
          // `[trues, falses]`.
          {
            save: () => [t, f],
            load: (j) => {
              const [jt, jf] = stateTuple(j, 2);
              t = stateCount(jt);
              f = stateCount(jf);
            },
          },
        );
      },
    },
  ]);
}

function bitAgg(name: 'bit_and' | 'bit_or' | 'bit_xor'): AggregateFunction {
  return aggregate(
    name,
    (['int2', 'int4', 'int8'] as const).map((kind): AggOverload => ({
      args: [T[kind]],
      ret: T[kind],
      create: () => () => {
        const bits = kind === 'int8' ? 64 : kind === 'int4' ? 32 : 16;
        const ones = new Array<number>(bits).fill(0);
        let n = 0;
        return accumulator(
          (a, s) => {
            const v = a[0]!;
            let b = BigInt.asUintN(bits, typeof v === 'bigint' ? v : BigInt(v as number));
            for (let i = 0; i < bits && b !== 0n; i++, b >>= 1n) if (b & 1n) ones[i]! += s;
            n += s;
          },
          () => {
            if (n === 0) return null;
            let r = 0n;
            for (let i = bits - 1; i >= 0; i--) {
              const c = ones[i]!;
              const set = name === 'bit_and' ? c === n : name === 'bit_or' ? c > 0 : c % 2 !== 0;
              r = (r << 1n) | (set ? 1n : 0n);
            }
            const signed = BigInt.asIntN(bits, r);
            return kind === 'int8' ? signed : Number(signed);
          },
          // `[n, [rows with bit i set, …]]`.
          {
            save: () => [n, ones.slice()],
            load: (j) => {
              const [jn, jo] = stateTuple(j, 2);
              const o = stateList(jo).map(stateCount);
              if (o.length !== bits) throw corruptState('wrong number of bits');
              n = stateCount(jn);
              ones.splice(0, bits, ...o);
            },
          },
        );
      },
    })),
  );
}

// ---- string_agg / array_agg / jsonb -------------------------------------------------------

const stringAgg: AggregateFunction = {
  name: 'string_agg',
  resolve(argTypes) {
    if (argTypes.length !== 2) return undefined;
    const [a, b] = argTypes as [DataType, DataType];
    const isBytes = a.kind === 'bytea' && (b.kind === 'bytea' || b.kind === 'unknown');
    const isText =
      (a.kind === 'text' || a.kind === 'varchar' || a.kind === 'unknown') &&
      (b.kind === 'text' || b.kind === 'varchar' || b.kind === 'unknown');
    if (!isBytes && !isText) return undefined;
    const t = isBytes ? T.bytea : text;
    return {
      argTypes: [t, t],
      returnType: t,
      ignoreNulls: false,
      create: () => {
        const list = new OrderedList(rowKey([t, t]));
        return accumulator(
          (args, s) => {
            if (args[0] === null) return;
            list.apply(args, s);
          },
          () => {
            if (list.rows.length === 0) return null;
            if (isBytes) {
              const parts: number[] = [];
              list.rows.forEach((r, i) => {
                if (i > 0 && r[1] !== null) parts.push(...(r[1] as Uint8Array));
                parts.push(...(r[0] as Uint8Array));
              });
              return Uint8Array.from(parts);
            }
            let out = '';
            list.rows.forEach((r, i) => {
              if (i > 0 && r[1] !== null) out += r[1] as string;
              out += r[0] as string;
            });
            return out;
          },
          list,
        );
      },
    };
  },
};

const arrayAgg = listAgg(
  'array_agg',
  (t) => (t.kind === 'array' ? t : arrayOf(t)),
  (rows, t) => {
    if (t.kind === 'array') {
      // array_agg over arrays would build a 2-D array; Sluice arrays are one-dimensional, so
      // the rows are concatenated only when they are all NULL-free and of equal length.
      throw new SqlError(SqlState.featureNotSupported, 'array_agg of arrays is not supported');
    }
    return rows.map((r) => r[0]!);
  },
);

const jsonbAgg = listAgg(
  'jsonb_agg',
  () => T.jsonb,
  (rows, t) => new Jsonb(rows.map((r) => toJsonValue(r[0]!, t))),
);

const jsonbObjectAgg: AggregateFunction = {
  name: 'jsonb_object_agg',
  resolve(argTypes) {
    if (argTypes.length !== 2) return undefined;
    const types = argTypes.map((t) => (t.kind === 'unknown' ? text : t));
    return {
      argTypes: types,
      returnType: T.jsonb,
      ignoreNulls: false,
      create: () => {
        const list = new OrderedList(rowKey(types));
        return accumulator(
          (a, s) => {
            if (a[0] === null)
              throw new SqlError(SqlState.invalidParameterValue, 'field name must not be null');
            list.apply(a, s);
          },
          () => {
            if (list.rows.length === 0) return null;
            const pairs: [string, JsonValue][] = list.rows.map((r) => {
              const k = toJsonValue(r[0]!, types[0]!);
              const key = typeof k === 'string' ? k : new Jsonb(k).toString();
              return [key, toJsonValue(r[1]!, types[1]!)];
            });
            return new Jsonb(new JsonObject(pairs));
          },
          list,
        );
      },
    };
  },
};

export const aggregateFunctions: AggregateFunction[] = [
  count,
  sum,
  avg,
  extremum('min'),
  extremum('max'),
  boolAgg('bool_and', true),
  boolAgg('every', true),
  boolAgg('bool_or', false),
  bitAgg('bit_and'),
  bitAgg('bit_or'),
  bitAgg('bit_xor'),
  stringAgg,
  arrayAgg,
  jsonbAgg,
  jsonbObjectAgg,
  statAgg('stddev', 'stddev_samp'),
  statAgg('stddev_samp', 'stddev_samp'),
  statAgg('stddev_pop', 'stddev_pop'),
  statAgg('variance', 'var_samp'),
  statAgg('var_samp', 'var_samp'),
  statAgg('var_pop', 'var_pop'),
  firstLast('first_value'),
  firstLast('last_value'),
  approxCountDistinct,
  argExtremum('arg_min'),
  argExtremum('arg_max'),
  percentile('percentile_cont'),
  percentile('percentile_disc'),
  mode,
];
