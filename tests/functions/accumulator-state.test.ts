/**
 * Checkpointed accumulator state: for every aggregate over a range of argument types, an
 * accumulator loaded from another's saved state (through JSON text) behaves exactly like the
 * original for every later `apply` (both signs), `addBatch` and `appendRun`, and saves the same
 * state again.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { T, arrayOf, type DataType } from '../../runtime/types/datatype.js';
import type { Value } from '../../runtime/types/value.js';
import { Decimal, pow10 } from '../../runtime/types/numeric.js';
import { Interval } from '../../runtime/types/interval.js';
import { Jsonb } from '../../runtime/types/jsonb.js';
import { encodeValue } from '../../runtime/types/state-value.js';
import { aggregateFunctions } from '../../runtime/functions/aggregate.js';
import type { Accumulator, ResolvedAggregate } from '../../runtime/expr/registry.js';
import { agg } from './helpers.js';

// ---- values ---------------------------------------------------------------------------------

const decimal: fc.Arbitrary<Value> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .tuple(fc.bigInt({ min: -30n, max: 30n }), fc.integer({ min: 0, max: 4 }))
      .map(([c, s]) => Decimal.of(c, s)),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), fc.integer({ min: 0, max: 12 }))
      .map(([c, s]) => Decimal.of(c, s)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(Decimal.NaN, Decimal.Infinity, Decimal.NegativeInfinity),
  },
);

const specialFloats = [0, -0, 1, 0.1, 0.2, 0.5, NaN, Infinity, -Infinity];

/** Small ranges first, so that values repeat (duplicates, retraction of an extreme). */
function valueArb(t: DataType): fc.Arbitrary<Value> {
  switch (t.kind) {
    case 'boolean':
      return fc.boolean();
    case 'int2':
      return fc.oneof(fc.integer({ min: -4, max: 4 }), fc.integer({ min: -32768, max: 32767 }));
    case 'int4':
      return fc.oneof(
        fc.integer({ min: -4, max: 4 }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      );
    case 'int8':
      return fc.oneof(
        fc.bigInt({ min: -4n, max: 4n }),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        // Around the largest exact double (min/max switch to bigints beyond it).
        fc.bigInt({ min: 2n ** 53n - 3n, max: 2n ** 53n + 3n }),
      );
    case 'float4':
      return fc.oneof(fc.constantFrom(...specialFloats.map(Math.fround)), fc.float());
    case 'float8':
      return fc.oneof(
        fc.constantFrom(...specialFloats, 1e308, -1e308, 5e-324),
        fc.integer({ min: -4, max: 4 }),
        fc.double(),
      );
    case 'numeric':
      return decimal;
    case 'text':
    case 'varchar':
      return fc.oneof(fc.constantFrom('', 'a', 'b', 'A', 'ä', 'a b'), fc.string({ maxLength: 6 }));
    case 'date':
      return fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -2e6, max: 2e6 }));
    case 'time':
      return fc.oneof(
        fc.bigInt({ min: 0n, max: 5n }),
        fc.bigInt({ min: 0n, max: 86_400_000_000n }),
      );
    case 'timestamp':
    case 'timestamptz':
      return fc.oneof(
        fc.bigInt({ min: -3n, max: 3n }),
        fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
        fc.bigInt({ min: 2n ** 53n - 3n, max: 2n ** 53n + 3n }),
      );
    case 'interval':
      return fc.oneof(
        fc
          .tuple(fc.integer({ min: -2, max: 2 }), fc.integer({ min: -2, max: 2 }))
          .map(([m, d]) => new Interval(m, d, BigInt(m * d))),
        fc
          .tuple(
            fc.integer({ min: -50000, max: 50000 }),
            fc.integer({ min: -50000, max: 50000 }),
            fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }),
          )
          .map(([m, d, us]) => new Interval(m, d, us)),
      );
    case 'jsonb':
      return fc.oneof(
        fc
          .constantFrom(
            '1',
            '1.50',
            '1.5',
            '-0',
            '"a"',
            'null',
            'true',
            '[1, 2]',
            '{"b": [true, null], "a": 1.0}',
            '{}',
          )
          .map((s) => Jsonb.parse(s)),
        fc.integer().map((n) => Jsonb.parse(String(n))),
      );
    case 'bytea':
      return fc.uint8Array({ maxLength: 4 });
    case 'array':
      return fc.array(fc.option(valueArb(t.element), { nil: null, freq: 6 }), { maxLength: 3 });
    default:
      throw new Error(`no generator for ${t.kind}`);
  }
}

const maybeNull = (a: fc.Arbitrary<Value>): fc.Arbitrary<Value> =>
  fc.option(a, { nil: null, freq: 8 });

// ---- cases ----------------------------------------------------------------------------------

interface Case {
  name: string;
  types: DataType[];
  /** Generators by argument (default: by the resolved argument type, sometimes NULL). */
  args?: fc.Arbitrary<Value>[];
}

const { int2, int4, int8, float4, float8, numeric, text, varchar, date, time, timestamp } = T;
const { timestamptz, interval, jsonb, bytea, boolean: bool, unknown } = T;
const NUMERIC_TYPES = [int2, int4, int8, float4, float8, numeric];
const SCALARS: DataType[] = [
  ...NUMERIC_TYPES,
  text,
  varchar,
  date,
  time,
  timestamp,
  timestamptz,
  interval,
  jsonb,
  bytea,
  bool,
  arrayOf(int4),
  arrayOf(text),
];

const over = (name: string, typeLists: DataType[][]): Case[] =>
  typeLists.map((types) => ({ name, types }));
const unary = (name: string, types: DataType[]): Case[] =>
  over(
    name,
    types.map((t) => [t]),
  );

const fixed = (v: Value): fc.Arbitrary<Value> => fc.constant(v);

const cases: Case[] = [
  ...over('count', [[], ...SCALARS.map((t) => [t])]),
  ...unary('sum', [...NUMERIC_TYPES, interval]),
  ...unary('avg', [...NUMERIC_TYPES, interval]),
  ...unary(
    'min',
    SCALARS.filter((t) => t.kind !== 'boolean'),
  ),
  ...unary(
    'max',
    SCALARS.filter((t) => t.kind !== 'boolean'),
  ),
  ...unary('bool_and', [bool]),
  ...unary('every', [bool]),
  ...unary('bool_or', [bool]),
  ...unary('bit_and', [int2, int4, int8]),
  ...unary('bit_or', [int2, int4, int8]),
  ...unary('bit_xor', [int2, int4, int8]),
  ...over('string_agg', [
    [text, text],
    [varchar, unknown],
    [bytea, bytea],
  ]),
  ...unary('array_agg', SCALARS),
  ...unary('jsonb_agg', SCALARS),
  ...[
    [text, int4],
    [text, jsonb],
    [int4, numeric],
    [text, float8],
    [date, arrayOf(int4)],
  ].map((types): Case => ({
    name: 'jsonb_object_agg',
    types,
    // The key must not be NULL.
    args: [valueArb(types[0]!), maybeNull(valueArb(types[1]!))],
  })),
  ...['stddev', 'stddev_samp', 'stddev_pop', 'variance', 'var_samp', 'var_pop'].flatMap((n) =>
    unary(n, NUMERIC_TYPES),
  ),
  ...unary('first_value', SCALARS),
  ...unary('last_value', SCALARS),
  ...unary('approx_count_distinct', SCALARS),
  ...['arg_min', 'arg_max'].flatMap((n) =>
    over(n, [
      [text, int4],
      [int4, float8],
      [numeric, timestamp],
      [jsonb, text],
      [float8, numeric],
      [interval, date],
      [bytea, int8],
    ]),
  ),
  // The fraction is the same for every row of a group; 1.5 is out of range (an error).
  ...(
    [
      [float8, 0.3],
      [float8, 1],
      [interval, 0.5],
      [int4, 0],
      [numeric, 1.5],
    ] as const
  ).map(([t, f]): Case => ({
    name: 'percentile_cont',
    types: [float8, t],
    args: [fixed(f), maybeNull(valueArb(t.kind === 'interval' ? interval : float8))],
  })),
  ...(
    [
      [text, 0.5],
      [numeric, 0.3],
      [date, 1],
      [interval, 0],
      [timestamp, 0.75],
      [float8, 0.5],
      [jsonb, 0.5],
    ] as const
  ).map(([t, f]): Case => ({
    name: 'percentile_disc',
    types: [float8, t],
    args: [fixed(f), maybeNull(valueArb(t))],
  })),
  ...unary('mode', SCALARS),
];

// ---- signed application sequences -----------------------------------------------------------

type Pick = { row: Value[] } | { pick: number };

type Op =
  | { k: 'ins'; row: Value[] }
  | { k: 'del'; pick: number }
  | { k: 'batch'; items: Pick[]; extraScale: number }
  | { k: 'run'; above: boolean; start: number; steps: number[] };

type Action =
  | { k: 'apply'; args: Value[]; sign: 1 | -1 }
  | {
      k: 'batch';
      rows: number;
      sum: bigint;
      scale: number;
      scales: Map<number, number>;
    }
  | { k: 'run'; values: Float64Array; rows: Value[][] };

interface Setup {
  r: ResolvedAggregate;
  /** How addBatch sums are formed, when the accumulator has it. */
  batch: 'count' | 'int' | 'numeric' | null;
  run: boolean;
  opArb: fc.Arbitrary<Op[]>;
}

function setup(c: Case): Setup {
  const r = agg(c.name, c.types);
  const probe = r.create();
  const batch = !probe.addBatch
    ? null
    : c.name === 'count'
      ? 'count'
      : r.argTypes[0]!.kind === 'numeric'
        ? 'numeric'
        : 'int';
  const run = probe.appendRun !== undefined;
  const rowArb = fc.tuple(...(c.args ?? r.argTypes.map((t) => maybeNull(valueArb(t)))));
  const ops: { weight: number; arbitrary: fc.Arbitrary<Op> }[] = [
    { weight: 6, arbitrary: rowArb.map((row): Op => ({ k: 'ins', row })) },
    { weight: 3, arbitrary: fc.nat().map((pick): Op => ({ k: 'del', pick })) },
  ];
  if (batch)
    ops.push({
      weight: 2,
      arbitrary: fc
        .record({
          items: fc.array(
            fc.oneof(
              rowArb.map((row): Pick => ({ row })),
              fc.nat().map((pick): Pick => ({ pick })),
            ),
            { minLength: 1, maxLength: 6 },
          ),
          extraScale: fc.integer({ min: 0, max: 2 }),
        })
        .map((b): Op => ({ k: 'batch', ...b })),
    });
  if (run)
    ops.push({
      weight: 2,
      arbitrary: fc
        .record({
          above: fc.boolean(),
          start: fc.integer({ min: -6, max: 6 }),
          steps: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 5 }),
        })
        .map((x): Op => ({ k: 'run', ...x })),
    });
  return { r, batch, run, opArb: fc.array(fc.oneof(...ops), { maxLength: 30 }) };
}

/** Turns generated ops into signed applications that retract only rows still present. */
function materialize(s: Setup, ops: Op[]): Action[] {
  const skipsNulls = s.r.ignoreNulls !== false;
  const t0 = s.r.argTypes[0];
  const live: Value[][] = [];
  const out: Action[] = [];
  const takes = (row: Value[]): boolean => !skipsNulls || row.every((v) => v !== null);
  /** Rows the columnar kernels fold: non-NULL, and finite numerics. */
  const batchable = (row: Value[]): boolean =>
    row.every((v) => v !== null && !(v instanceof Decimal && !v.isFinite()));
  for (const op of ops) {
    if (op.k === 'ins') {
      if (!takes(op.row)) continue;
      live.push(op.row);
      out.push({ k: 'apply', args: op.row, sign: 1 });
    } else if (op.k === 'del') {
      if (live.length === 0) continue;
      const [row] = live.splice(op.pick % live.length, 1);
      out.push({ k: 'apply', args: row!, sign: -1 });
    } else if (op.k === 'batch') {
      const signed: [Value[], 1 | -1][] = [];
      for (const it of op.items) {
        if ('row' in it) {
          if (!batchable(it.row)) continue;
          live.push(it.row);
          signed.push([it.row, 1]);
        } else {
          const candidates = live.map((_, i) => i).filter((i) => batchable(live[i]!));
          if (candidates.length === 0) continue;
          const [row] = live.splice(candidates[it.pick % candidates.length]!, 1);
          signed.push([row!, -1]);
        }
      }
      if (signed.length === 0) continue;
      const rows = signed.reduce((n, [, sg]) => n + sg, 0);
      let sum = 0n;
      let scale = 0;
      const scales = new Map<number, number>();
      if (s.batch === 'int')
        for (const [row, sg] of signed) sum += BigInt(row[0] as number | bigint) * BigInt(sg);
      else if (s.batch === 'numeric') {
        for (const [row] of signed) scale = Math.max(scale, (row[0] as Decimal).scale);
        scale += op.extraScale;
        for (const [row, sg] of signed) {
          const d = row[0] as Decimal;
          sum += d.coef * pow10(scale - d.scale) * BigInt(sg);
          const k = (scales.get(d.scale) ?? 0) + sg;
          if (k === 0) scales.delete(d.scale);
          else scales.set(d.scale, k);
        }
      }
      out.push({ k: 'batch', rows, sum, scale, scales });
    } else {
      const wide = t0!.kind === 'int8' || t0!.kind.startsWith('time');
      let start = op.start;
      if (op.above) {
        let max = 0;
        for (const row of live) {
          const v = Number(row[0] as number | bigint);
          if (v > max) max = v;
        }
        if (max < 2 ** 52) start = max + 1;
      }
      const values = new Float64Array(op.steps.length);
      let v = start;
      op.steps.forEach((step, i) => {
        v += step;
        values[i] = v;
      });
      const rows = [...values].map((x) => [wide ? BigInt(x) : x]);
      live.push(...rows);
      out.push({ k: 'run', values, rows });
    }
  }
  return out;
}

/** Performs one action; the value appendRun returned, or the error thrown. */
function perform(acc: Accumulator, a: Action): string {
  try {
    if (a.k === 'apply') acc.apply(a.args, a.sign);
    else if (a.k === 'batch') acc.addBatch!(a.rows, a.sum, a.scale, a.scales);
    else {
      const whole = acc.appendRun!(a.values, 0, a.values.length);
      if (!whole) for (const row of a.rows) acc.apply(row, 1);
      return String(whole);
    }
    return 'done';
  } catch (e) {
    return `threw ${String(e)}`;
  }
}

/** The result in its exact written form (Decimal scale, -0, bigint vs number), or the error. */
function outcome(acc: Accumulator): string {
  try {
    const v = acc.result();
    return `${typeof v} ${JSON.stringify(encodeValue(v))}`;
  } catch (e) {
    return `threw ${(e as { code?: string }).code} ${String(e)}`;
  }
}

function check(s: Setup, actions: Action[], cut: number): void {
  const a = s.r.create();
  for (const x of actions.slice(0, cut)) perform(a, x);
  const saved = JSON.stringify(a.save());
  const b = s.r.create();
  b.load(JSON.parse(saved));
  expect(JSON.stringify(b.save())).toBe(saved);
  expect(outcome(b)).toBe(outcome(a));
  for (const x of actions.slice(cut)) {
    expect(perform(b, x)).toBe(perform(a, x));
    expect(outcome(b)).toBe(outcome(a));
  }
  expect(JSON.stringify(b.save())).toBe(JSON.stringify(a.save()));
}

const title = (c: Case): string => `${c.name}(${c.types.map((t) => t.kind).join(', ')})`;

describe('accumulator state survives save → JSON text → load', () => {
  it('covers every aggregate', () => {
    const covered = new Set(cases.map((c) => c.name));
    expect(aggregateFunctions.map((f) => f.name).filter((n) => !covered.has(n))).toEqual([]);
  });

  it.each(cases.map((c) => [title(c), c] as const))('%s', (_title, c) => {
    const s = setup(c);
    fc.assert(
      fc.property(s.opArb, fc.nat(), (ops, cut) => {
        const actions = materialize(s, ops);
        check(s, actions, cut % (actions.length + 1));
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('columnar paths are exercised', () => {
    // The batch and run generators above only matter if these accumulators have the methods.
    expect(agg('count', []).create().addBatch).toBeDefined();
    expect(agg('sum', [numeric]).create().addBatch).toBeDefined();
    expect(agg('avg', [int8]).create().addBatch).toBeDefined();
    expect(agg('min', [timestamp]).create().appendRun).toBeDefined();
    expect(agg('max', [int4]).create().appendRun).toBeDefined();
  });
});

describe('accumulator state: representation changes', () => {
  it('min(int8) keeps its bigint form once a value beyond 2^53 was seen', () => {
    const r = agg('min', [int8]);
    const a = r.create();
    a.apply([2n ** 60n], 1);
    a.apply([2n ** 60n], -1);
    const b = r.create();
    b.load(JSON.parse(JSON.stringify(a.save())));
    // A wide multiset takes no runs whole, a narrow one would.
    expect(b.appendRun!(Float64Array.of(1, 2), 0, 2)).toBe(false);
    expect(a.appendRun!(Float64Array.of(1, 2), 0, 2)).toBe(false);
  });

  it('sum(float8) stays sequential until a retraction, exact after', () => {
    const r = agg('sum', [float8]);
    const a = r.create();
    a.apply([0.1], 1);
    a.apply([0.2], 1);
    const b = r.create();
    b.load(JSON.parse(JSON.stringify(a.save())));
    b.apply([0.3], 1);
    expect(b.result()).toBe(0.1 + 0.2 + 0.3);
    b.apply([0.3], -1);
    b.apply([0.3], 1);
    expect(b.result()).toBe(0.6);
  });

  it('sum(numeric) keeps display scales after the widest input left', () => {
    const r = agg('sum', [numeric]);
    const a = r.create();
    a.apply([Decimal.parse('1.000')], 1);
    a.apply([Decimal.parse('2.5')], 1);
    const b = r.create();
    b.load(JSON.parse(JSON.stringify(a.save())));
    b.apply([Decimal.parse('1.000')], -1);
    expect(String(b.result())).toBe('2.5');
  });

  it('max(numeric) shows a written form still present', () => {
    const r = agg('max', [numeric]);
    const a = r.create();
    a.apply([Decimal.parse('1.0')], 1);
    a.apply([Decimal.parse('1.00')], 1);
    const b = r.create();
    b.load(JSON.parse(JSON.stringify(a.save())));
    b.apply([Decimal.parse('1.0')], -1);
    expect(String(b.result())).toBe('1.00');
  });
});
