/**
 * Each Wasm kernel against its plain-TypeScript reference on random Arrow data (fast-check with
 * fixed seeds), with NULLs, empty batches, extreme values and exact sums near overflow.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { I64_MAX, i64Col, int64, nullable } from './arbitraries.js';
import { Float64, Int32, Utf8, vectorFromArray } from 'apache-arrow';
import {
  BytesGroupTable,
  Filter,
  HashAggregator,
  I64GroupTable,
  I64HashJoin,
  KeyHasher,
  Take,
  WindowAssigner,
  columnFromArrow,
  loadKernelsSync,
  type KColumn,
} from '../../runtime/kernels/index.js';
import { SqlError } from '../../runtime/errors.js';
import {
  RefGroups,
  cmpBytes,
  cmpFloat,
  hashRows,
  refAggregate,
  refCompare,
  refHop,
  refJoin,
  refTumble,
} from './reference.js';

const k = loadKernelsSync();
const params = (seed: number) => ({ seed, numRuns: 60 });

const i32Col = (v: (number | null)[]): KColumn =>
  columnFromArrow(vectorFromArray(v, new Int32()).data[0]!);
const f64Col = (v: (number | null)[]): KColumn =>
  columnFromArrow(vectorFromArray(v, new Float64()).data[0]!);
const utf8Col = (v: (string | null)[]): KColumn =>
  columnFromArrow(vectorFromArray(v, new Utf8()).data[0]!);

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', 'a', 'ab'),
);

describe('key hashing', () => {
  it('int64, float64, utf8 and multi-column keys hash as the reference', () => {
    const h = new KeyHasher(k);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(nullable(int64), nullable(fc.double()), nullable(text)), {
          maxLength: 60,
        }),
        (rows) => {
          const a = rows.map((r) => r[0]);
          const b = rows.map((r) => r[1]);
          const c = rows.map((r) => r[2]);
          expect([...h.hash([i64Col(a)])]).toEqual(hashRows([{ kind: 'i64', values: a }]));
          expect([...h.hash([f64Col(b)])]).toEqual(hashRows([{ kind: 'f64', values: b }]));
          expect([...h.hash([utf8Col(c)])]).toEqual(hashRows([{ kind: 'utf8', values: c }]));
          expect([...h.hash([i64Col(a), utf8Col(c), f64Col(b)])]).toEqual(
            hashRows([
              { kind: 'i64', values: a },
              { kind: 'utf8', values: c },
              { kind: 'f64', values: b },
            ]),
          );
        },
      ),
      params(41),
    );
  });

  it('treats -0 like 0 and every NaN alike', () => {
    const h = new KeyHasher(k);
    const out = h.hash([f64Col([0, -0, NaN, -NaN])]);
    expect(out[0]).toBe(out[1]);
    expect(out[2]).toBe(out[3]);
    expect(out[0]).not.toBe(out[2]);
  });
});

describe('group tables', () => {
  it('int64 keys get the reference dense first-seen ids across batches', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(nullable(fc.oneof(int64, fc.bigInt({ min: 0n, max: 50n }))), { maxLength: 80 }),
          {
            maxLength: 6,
          },
        ),
        (batches) => {
          const t = new I64GroupTable(k, 4);
          const r = new RefGroups<bigint>();
          for (const b of batches) {
            expect([...t.assign(i64Col(b))]).toEqual(r.assign(b));
            expect(t.size).toBe(r.ids.size);
          }
          const probe = batches.flat().concat([123456789n, null]);
          expect([...t.lookup(i64Col(probe))]).toEqual(r.lookup(probe));
          for (const [key, g] of r.ids) expect(t.key(g)).toBe(key);
          t.free();
        },
      ),
      params(42),
    );
  });

  it('text keys and multi-column keys get the reference ids', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            nullable(fc.constantFrom('x', 'y', 'é', '', 'long key '.repeat(5))),
            nullable(fc.bigInt({ min: 0n, max: 3n })),
          ),
          { maxLength: 80 },
        ),
        (rows) => {
          const s = rows.map((r) => r[0]);
          const n = rows.map((r) => r[1]);
          const t1 = new BytesGroupTable(k, 2);
          const r1 = new RefGroups<string>();
          expect([...t1.assign([utf8Col(s)])]).toEqual(r1.assign(s));
          for (const [key, g] of r1.ids) {
            if (key !== null) expect(new TextDecoder().decode(t1.keyBytes(g))).toBe(key);
          }
          const t2 = new BytesGroupTable(k, 2);
          const r2 = new RefGroups<string>();
          const composite = rows.map((r) => JSON.stringify([r[0], r[1]?.toString() ?? null]));
          expect([...t2.assign([utf8Col(s), i64Col(n)])]).toEqual(r2.assign(composite));
          expect([...t2.lookup([utf8Col(s), i64Col(n)])]).toEqual(r2.lookup(composite));
          t1.free();
          t2.free();
        },
      ),
      params(43),
    );
  });

  it('handles empty batches', () => {
    const t = new I64GroupTable(k);
    expect(t.assign(i64Col([])).length).toBe(0);
    expect(t.size).toBe(0);
    const b = new BytesGroupTable(k);
    expect(b.assign([utf8Col([])]).length).toBe(0);
  });
});

describe('hash aggregation', () => {
  it('count, count(col), exact int64 sum and float sum match the reference', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(
            fc.tuple(
              nullable(fc.bigInt({ min: 0n, max: 30n })),
              fc.constantFrom(1, -1),
              nullable(int64),
            ),
            { maxLength: 100 },
          ),
          { maxLength: 5 },
        ),
        (batches) => {
          const agg = new HashAggregator(k, true, [
            { fn: 'count_star' },
            { fn: 'count', column: 0 },
            { fn: 'sum_int', column: 0 },
            { fn: 'sum_float', column: 1 },
          ]);
          const all = batches.flat();
          for (const b of batches) {
            const vals = b.map((r) => r[2]);
            agg.apply({
              keys: [i64Col(b.map((r) => r[0]))],
              weights: Int8Array.from(b.map((r) => r[1])),
              args: [
                i64Col(vals),
                f64Col(vals.map((v) => (v === null ? null : Number(v % 1000n)))),
              ],
            });
          }
          const ref = refAggregate(
            all.map((r) => r[0]),
            all.map((r) => r[1]),
            all.map((r) => r[2]),
          );
          const groups = agg.groups as I64GroupTable;
          expect(agg.size).toBe(ref.size);
          for (let g = 0; g < agg.size; g++) {
            const s = ref.get(groups.key(g))!;
            expect(agg.count(0, g)).toBe(s.count);
            expect(agg.count(1, g)).toBe(s.countVal);
            expect(agg.sumInt(2, g)).toBe(s.sum);
          }
          // float sums of small integers are exact
          const fref = refAggregate(
            all.map((r) => r[0]),
            all.map((r) => r[1]),
            all.map((r) => (r[2] === null ? null : r[2] % 1000n)),
          );
          for (let g = 0; g < agg.size; g++) {
            expect(agg.sumFloat(3, g)).toBe(Number(fref.get(groups.key(g))!.sum));
          }
        },
      ),
      params(44),
    );
  });

  it('FILTER weights and MIN/MAX candidates follow the reference', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.bigInt({ min: 0n, max: 5n }),
            fc.constantFrom(1, -1),
            nullable(int64),
            fc.boolean(),
          ),
          { maxLength: 100 },
        ),
        (rows) => {
          const agg = new HashAggregator(k, true, [
            { fn: 'count_star' },
            { fn: 'minmax_int', column: 0 },
          ]);
          const weights = Int8Array.from(rows.map((r) => r[1]));
          const filtered = Int8Array.from(rows.map((r) => (r[3] ? r[1] : 0)));
          agg.apply({
            keys: [i64Col(rows.map((r) => r[0]))],
            weights,
            args: [i64Col(rows.map((r) => r[2]))],
            aggWeights: [filtered, null],
          });
          const groups = agg.groups as I64GroupTable;
          for (let g = 0; g < agg.size; g++) {
            const key = groups.key(g);
            const mine = rows.filter((r) => r[0] === key);
            expect(agg.count(0, g)).toBe(
              BigInt(mine.filter((r) => r[3]).reduce((a, r) => a + r[1], 0)),
            );
            const ins = mine.filter((r) => r[1] > 0 && r[2] !== null).map((r) => r[2]!);
            const mm = agg.minMax(1, g);
            if (!ins.length) expect(mm).toBeNull();
            else {
              expect(mm).toEqual([
                ins.reduce((a, b) => (b < a ? b : a)),
                ins.reduce((a, b) => (b > a ? b : a)),
              ]);
            }
          }
        },
      ),
      params(45),
    );
  });

  const decText = fc
    .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 6 }))
    .map(([c, s]) => {
      const neg = c < 0n;
      const digits = (neg ? -c : c).toString().padStart(s + 1, '0');
      const t = s ? `${digits.slice(0, -s)}.${digits.slice(-s)}` : digits;
      return (neg ? '-' : '') + t;
    });

  it('exact decimal sums match bigint arithmetic, across scale changes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(
            fc.tuple(fc.bigInt({ min: 0n, max: 4n }), fc.constantFrom(1, -1), nullable(decText)),
            {
              maxLength: 50,
            },
          ),
          { maxLength: 4 },
        ),
        fc.boolean(),
        (batches, wrapped) => {
          const agg = new HashAggregator(k, true, [{ fn: 'sum_decimal', column: 0 }]);
          const ref = new Map<bigint, bigint>(); // scaled by 10^6
          const scaled = (t: string) => {
            const [i, f = ''] = t.replace('-', '').split('.');
            const v = BigInt(i!) * 10n ** 6n + BigInt(f.padEnd(6, '0') || '0');
            return t.startsWith('-') ? -v : v;
          };
          for (const b of batches) {
            agg.apply({
              keys: [i64Col(b.map((r) => r[0]))],
              weights: Int8Array.from(b.map((r) => r[1])),
              args: [
                utf8Col(
                  b.map((r) =>
                    r[2] === null ? null : wrapped ? JSON.stringify({ n: r[2] }) : r[2],
                  ),
                ),
              ],
            });
            for (const [key, w, t] of b) {
              ref.set(key, (ref.get(key) ?? 0n) + (t === null ? 0n : BigInt(w) * scaled(t)));
            }
          }
          const groups = agg.groups as I64GroupTable;
          for (let g = 0; g < agg.size; g++) {
            const d = agg.sumDecimal(0, g);
            expect(d.coef * 10n ** BigInt(6 - d.scale)).toBe(ref.get(groups.key(g)!));
          }
        },
      ),
      params(46),
    );
  });

  it('raises 22003 near the 128-bit limit and leaves the state untouched', () => {
    const big = (10n ** 37n).toString(); // 38 digits with the scale below: well inside i128
    const agg = new HashAggregator(k, true, [
      { fn: 'count_star' },
      { fn: 'sum_decimal', column: 0 },
    ]);
    const batch = (vals: string[], w = 1) => ({
      keys: [i64Col(vals.map(() => 1n))],
      weights: new Int8Array(vals.length).fill(w),
      args: [utf8Col(vals)],
    });
    agg.apply(
      batch([big, big, big, big, big, big, big, big, big, big, big, big, big, big, big, big]),
    );
    const before = agg.sumDecimal(1, 0).toString();
    const beforeCount = agg.count(0, 0);
    // 17 × 10^37 fits (1.7e38 > i128 max ≈ 1.70141e38 is the edge): keep adding until it fails
    let err: unknown;
    try {
      agg.apply(batch(['1', big, big]));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SqlError);
    expect((err as SqlError).code).toBe('22003');
    expect(agg.sumDecimal(1, 0).toString()).toBe(before);
    expect(agg.count(0, 0)).toBe(beforeCount);
    // subtracting still works exactly after the failed batch
    agg.apply(batch([big], -1));
    expect(agg.sumDecimal(1, 0).toString()).toBe((15n * 10n ** 37n).toString());
    // a literal beyond 38 digits is out of range, too
    expect(() => agg.apply(batch(['9'.repeat(39)]))).toThrow(SqlError);
    // raising the scale of a near-limit state overflows: 22003, state kept
    expect(() => agg.apply(batch(['0.5']))).toThrow(SqlError);
    expect(agg.sumDecimal(1, 0).toString()).toBe((15n * 10n ** 37n).toString());
  });

  it('exact int64 sums never wrap: 128-bit state holds sums past the int64 range', () => {
    const agg = new HashAggregator(k, true, [{ fn: 'sum_int', column: 0 }]);
    const vals = new Array<bigint>(1000).fill(I64_MAX);
    agg.apply({
      keys: [i64Col(vals.map(() => 7n))],
      weights: new Int8Array(1000).fill(1),
      args: [i64Col(vals)],
    });
    expect(agg.sumInt(0, 0)).toBe(1000n * I64_MAX);
  });

  it('keeps Wasm memory flat while streaming 50M rows into 1,000 groups', () => {
    const n = 1 << 16;
    const keys = new BigInt64Array(n);
    const vals = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      keys[i] = BigInt((i * 7919) % 1000);
      vals[i] = BigInt(i);
    }
    const weights = new Int8Array(n).fill(1);
    const batch = {
      keys: [{ kind: 'fixed', values: keys } as KColumn],
      weights,
      args: [{ kind: 'fixed', values: vals } as KColumn],
    };
    const agg = new HashAggregator(k, true, [{ fn: 'count_star' }, { fn: 'sum_int', column: 0 }]);
    const total = 50_000_000;
    const batches = Math.ceil(total / n);
    let after = 0;
    for (let b = 0; b < batches; b++) {
      agg.apply(batch);
      if (b === 10) after = k.memoryBytes();
      if (b > 10) expect(k.memoryBytes()).toBe(after);
    }
    expect(agg.size).toBe(1000);
    let count = 0n;
    for (let g = 0; g < 1000; g++) count += agg.count(0, g);
    expect(count).toBe(BigInt(batches * n));
  });
});

describe('hash join', () => {
  it('probe emits the reference match pairs; deleted rows and NULL keys never match', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(nullable(fc.bigInt({ min: 0n, max: 10n })), { maxLength: 40 }), {
          maxLength: 4,
        }),
        fc.array(nullable(fc.oneof(fc.bigInt({ min: 0n, max: 12n }), int64)), { maxLength: 60 }),
        fc.array(fc.nat(200), { maxLength: 10 }),
        (builds, probe, deletes) => {
          const j = new I64HashJoin(k, 4);
          const all: (bigint | null)[] = [];
          for (const b of builds) {
            expect(j.insert(i64Col(b))).toBe(all.length);
            all.push(...b);
          }
          const dead = new Set(deletes.filter((d) => d < all.length));
          j.delete(Int32Array.from(deletes));
          const got = j.probe(i64Col(probe));
          const pairs = [...got.probe].map((p, i) => [p, got.build[i]!] as [number, number]);
          const sort = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];
          expect(pairs.sort(sort)).toEqual(refJoin(all, dead, probe).sort(sort));
          expect([...got.probe]).toEqual([...got.probe].sort((a, b) => a - b));
        },
      ),
      params(47),
    );
  });
});

describe('window assignment', () => {
  const ts = fc.oneof(
    fc.bigInt({ min: -(1n << 61n), max: 1n << 61n }),
    fc.bigInt({ min: -1000n, max: 1000n }),
  );
  it('TUMBLE matches floor arithmetic, before the epoch too', () => {
    const w = new WindowAssigner(k);
    fc.assert(
      fc.property(
        fc.array(nullable(ts), { maxLength: 60 }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 1000n }),
        (t, size, offset) => {
          const off = offset % size;
          const col = i64Col(t);
          const got = w.tumble(
            (col as { values: BigInt64Array }).values,
            col.validity ?? null,
            size,
            off,
          );
          t.forEach((v, i) => {
            if (v !== null) expect(got[i]).toBe(refTumble(v, size, off));
          });
        },
      ),
      params(48),
    );
  });
  it('HOP emits the reference (row, window start) pairs', () => {
    const w = new WindowAssigner(k);
    fc.assert(
      fc.property(
        fc.array(nullable(ts), { maxLength: 40 }),
        fc.bigInt({ min: 1n, max: 1000n }),
        fc.integer({ min: 1, max: 5 }),
        (t, slide, mult) => {
          const size = slide * BigInt(mult) + (mult > 3 ? 1n : 0n);
          const col = i64Col(t);
          const got = w.hop(
            (col as { values: BigInt64Array }).values,
            col.validity ?? null,
            slide,
            size,
            0n,
          );
          const pairs = [...got.rows].map((r, i) => [r, got.starts[i]!]);
          expect(pairs).toEqual(refHop(t, slide, size, 0n));
        },
      ),
      params(49),
    );
  });
});

describe('compare/filter', () => {
  const ops = fc.constantFrom('=', '<>', '<', '<=', '>', '>=' as const);
  it('int64, int32, float64 and text comparisons select the reference rows', () => {
    const f = new Filter(k);
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(nullable(int64), nullable(fc.integer()), nullable(fc.double()), nullable(text)),
          {
            maxLength: 60,
          },
        ),
        ops,
        int64,
        fc.double(),
        text,
        (rows, op, c64, cf, ct) => {
          const a = rows.map((r) => r[0]);
          const b = rows.map((r) => r[1]);
          const c = rows.map((r) => r[2]);
          const d = rows.map((r) => r[3]);
          const num = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);
          expect([...f.compare(i64Col(a), op, c64)]).toEqual(refCompare(a, op, c64, num));
          const c32 = Number(BigInt.asIntN(32, c64));
          expect([...f.compare(i32Col(b), op, c32)]).toEqual(
            refCompare(b, op, c32, (x, y) => x - y),
          );
          expect([...f.compare(f64Col(c), op, cf)]).toEqual(refCompare(c, op, cf, cmpFloat));
          expect([...f.compare(utf8Col(d), op, ct)]).toEqual(refCompare(d, op, ct, cmpBytes));
          // chained: a selection vector narrows the next comparison
          const first = f.compare(i64Col(a), op, c64);
          const both = f.compare(utf8Col(d), op, ct, first);
          const ref2 = refCompare(d, op, ct, cmpBytes).filter((i) => first.includes(i));
          expect([...both]).toEqual(ref2);
        },
      ),
      params(50),
    );
  });
});

describe('take', () => {
  it('gathers fixed and text columns, negative indices giving NULL', () => {
    const t = new Take(k);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(nullable(int64), nullable(text)), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: -1, max: 1000 }), { maxLength: 60 }),
        (rows, rawIdx) => {
          const idx = Int32Array.from(rawIdx.map((i) => (i < 0 ? -1 : i % rows.length)));
          const a = rows.map((r) => r[0]);
          const s = rows.map((r) => r[1]);
          const ta = t.take(i64Col(a), idx);
          const ts = t.take(utf8Col(s), idx);
          const valid = (c: KColumn, i: number) =>
            !c.validity || ((c.validity[i >> 3]! >> (i & 7)) & 1) === 1;
          [...idx].forEach((j, i) => {
            const ea = j < 0 ? null : a[j]!;
            const es = j < 0 ? null : s[j]!;
            expect(valid(ta, i) ? (ta as { values: BigInt64Array }).values[i] : null).toBe(ea);
            if (ts.kind !== 'utf8') throw new Error('kind');
            const got = valid(ts, i)
              ? new TextDecoder().decode(ts.data.subarray(ts.offsets[i], ts.offsets[i + 1]))
              : null;
            expect(got).toBe(es);
          });
        },
      ),
      params(51),
    );
  });
});
