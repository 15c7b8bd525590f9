/**
 * The fused int64-key aggregation kernel (assign + COUNT(*) + exact 128-bit SUM in one pass)
 * and the inline-slot int64 hash join, each against plain-TypeScript references on random
 * data (fast-check, fixed seeds): NULL keys and values, empty batches, extreme int64 values,
 * insert-only and mixed weights, state growth, sums at the 128-bit edge (22003, state kept),
 * deletes, and probes resumed through tiny output buffers.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { i64Col, int64, nullable } from './arbitraries.js';
import {
  HashAggregator,
  I64GroupTable,
  I64HashJoin,
  loadKernelsSync,
  type KColumn,
} from '../../runtime/kernels/index.js';
import { SqlError } from '../../runtime/errors.js';
import { refAggregate, refJoin } from './reference.js';

const k = loadKernelsSync();
const x = k.x;
const params = (seed: number) => ({ seed, numRuns: 80 });

const I128_MIN = -(1n << 127n);
const I128_MAX = (1n << 127n) - 1n;

const key = fc.oneof(fc.bigInt({ min: 0n, max: 40n }), int64);

/** A batch: rows of (key, weight, value); `insertOnly` batches have every weight +1. */
const batchArb = fc.oneof(
  fc.array(fc.tuple(nullable(key), fc.constant(1), nullable(int64)), { maxLength: 120 }),
  fc.array(fc.tuple(nullable(key), fc.constantFrom(1, -1), nullable(int64)), { maxLength: 120 }),
  fc.array(fc.tuple(key, fc.constant(1), int64), { maxLength: 120 }), // NULL-free fast loop
);

type Row = [bigint | null, number, bigint | null];

describe('fused int64-key aggregation', () => {
  it('fold and apply match the reference for every aggregate mix', () => {
    fc.assert(
      fc.property(
        fc.array(batchArb, { maxLength: 6 }),
        fc.constantFrom(0, 1, 2, 3),
        fc.boolean(),
        (batches, mix, useApply) => {
          const kinds = [
            [{ fn: 'count_star' }, { fn: 'sum_int', column: 0 }],
            [{ fn: 'sum_int', column: 0 }],
            [{ fn: 'count_star' }],
            [{ fn: 'count', column: 0 }, { fn: 'sum_int', column: 0 }, { fn: 'count_star' }],
          ][mix]! as ConstructorParameters<typeof HashAggregator>[2];
          const agg = new HashAggregator(k, true, kinds, 2);
          const all: Row[] = [];
          for (const b of batches as Row[][]) {
            const batch = {
              keys: [i64Col(b.map((r) => r[0]))],
              weights: Int8Array.from(b.map((r) => r[1])),
              args: [i64Col(b.map((r) => r[2]))],
              insertOnly: b.every((r) => r[1] === 1) && b.length % 2 === 0,
            };
            if (useApply) {
              const ids = agg.apply(batch);
              expect(ids.length).toBe(b.length);
              // ids are the group table's: the key of each row's group is the row's key
              const groups = agg.groups as I64GroupTable;
              b.forEach((r, i) => expect(groups.key(ids[i]!)).toBe(r[0]));
            } else agg.fold(batch);
            all.push(...b);
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
            kinds.forEach((kind, a) => {
              if (kind.fn === 'count_star') expect(agg.count(a, g)).toBe(s.count);
              if (kind.fn === 'count') expect(agg.count(a, g)).toBe(s.countVal);
              if (kind.fn === 'sum_int') expect(agg.sumInt(a, g)).toBe(s.sum);
            });
          }
        },
      ),
      params(61),
    );
  });

  it('raw kernel: stops at the first row leaving the 128-bit range with the state as before', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            nullable(fc.bigInt({ min: 0n, max: 3n })),
            fc.constantFrom(1, -1),
            nullable(int64),
          ),
          {
            maxLength: 60,
          },
        ),
        fc.array(
          fc.oneof(
            fc.bigInt({ min: I128_MAX - (1n << 66n), max: I128_MAX }),
            fc.bigInt({ min: I128_MIN, max: I128_MIN + (1n << 66n) }),
            fc.bigInt({ min: -(1n << 65n), max: 1n << 65n }),
          ),
          { minLength: 5, maxLength: 5 },
        ),
        fc.boolean(),
        fc.boolean(),
        (rows, start, withWeights, withIds) => {
          const n = rows.length;
          const t = x.i64TableNew(4);
          // groups 0..3 are the keys 0..3, then NULL: pre-assign them so the state is preset
          x.i64TableAssign(
            t,
            k.put(k.region(), BigInt64Array.from([0n, 1n, 2n, 3n])),
            0,
            4,
            x.alloc(16),
          );
          const G = 8;
          const cnt = x.alloc(8 * G);
          const lo = x.alloc(8 * G);
          const hi = x.alloc(8 * G);
          const counts = k.i64(cnt, G);
          const los = k.u64(lo, G);
          const his = k.i64(hi, G);
          for (let g = 0; g < G; g++) {
            const v = start[g % 5]!;
            counts[g] = BigInt(g);
            los[g] = BigInt.asUintN(64, v);
            his[g] = v >> 64n;
          }
          const snapshot = () => [[...counts], [...los], [...his]];
          const before = snapshot();
          const col = i64Col(rows.map((r) => r[0]));
          const vcol = i64Col(rows.map((r) => r[2]));
          const stage = (c: KColumn) =>
            c.kind === 'fixed'
              ? {
                  v: k.put(k.region(), c.values.length ? c.values : new BigInt64Array(1)),
                  m: c.validity ? k.put(k.region(), c.validity) : 0,
                }
              : { v: 0, m: 0 };
          const kc = stage(col);
          const vc = stage(vcol);
          const w = Int8Array.from(rows.map((r) => (withWeights ? r[1] : 1)));
          const wp = withWeights ? k.put(k.region(), w.length ? w : new Int8Array(1)) : 0;
          const out = x.alloc(4 * n + 4);
          // reference: row by row in bigint; the first sum outside [-2^127, 2^127) stops it
          const sums = start.map((s) => s);
          const nullG = 4;
          let bad = -1;
          for (let i = 0; i < n && bad < 0; i++) {
            const [kk, , v] = rows[i]!;
            const g = kk === null ? nullG : Number(kk);
            if (v === null) continue;
            const r = sums[g % 5]! + BigInt(w[i]!) * v;
            if (r > I128_MAX || r < I128_MIN) bad = i;
            else if (g < 4 || g === nullG) sums[g % 5] = r;
          }
          let from = 0;
          for (;;) {
            from = x.aggFusedI64(
              t,
              kc.v,
              kc.m,
              n,
              from,
              wp,
              cnt,
              vc.v,
              vc.m,
              lo,
              hi,
              withIds ? out : 0,
              G,
            );
            if (x.aggFusedStatus() !== 2) break;
          }
          if (bad >= 0) {
            expect(x.aggFusedStatus()).toBe(1);
            expect(from).toBe(bad);
            expect(snapshot()).toEqual(before);
          } else {
            expect(x.aggFusedStatus()).toBe(0);
            expect(from).toBe(n);
            // then undoing the whole batch restores the state exactly
            x.aggFusedUndoI64(t, kc.v, kc.m, n, wp, cnt, vc.v, vc.m, lo, hi);
            expect(snapshot()).toEqual(before);
          }
          x.i64TableFree(t);
          for (const p of [cnt, lo, hi, out]) x.release(p);
        },
      ),
      params(62),
    );
  });

  it('fold raises 22003 at the 128-bit edge and leaves every aggregate unchanged', () => {
    const agg = new HashAggregator(k, true, [
      { fn: 'count_star' },
      { fn: 'sum_int', column: 0 },
      { fn: 'sum_int', column: 1 },
    ]);
    const batch = (a: bigint[], b: bigint[], w = 1) => ({
      keys: [i64Col(a.map(() => 9n))],
      weights: new Int8Array(a.length).fill(w),
      args: [i64Col(a), i64Col(b)],
    });
    agg.fold(batch([1n], [1n]));
    // push the second sum next to the 128-bit maximum through its state
    const slots = (agg as unknown as { slots: { a: { ptr: number }; b: { ptr: number } }[] }).slots;
    k.u64(slots[2]!.a.ptr, 1)[0] = (1n << 64n) - 1n;
    k.i64(slots[2]!.b.ptr, 1)[0] = (1n << 63n) - 1n; // = 2^127 - 1
    const state = () => [agg.count(0, 0), agg.sumInt(1, 0), agg.sumInt(2, 0)];
    const before = state();
    expect(before[2]).toBe(I128_MAX);
    // the fused sum (column 0) succeeds first; column 1 overflows: both are taken back
    for (const f of [
      () => agg.fold(batch([5n, 6n], [-1n, 2n])),
      () => agg.apply(batch([5n, 6n], [-1n, 2n])),
    ]) {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SqlError);
      expect((err as SqlError).code).toBe('22003');
      expect(state()).toEqual(before);
    }
    // the fused sum itself overflowing
    k.u64(slots[1]!.a.ptr, 1)[0] = 0n;
    k.i64(slots[1]!.b.ptr, 1)[0] = -(1n << 63n); // = -2^127
    const b2 = state();
    expect(() => agg.fold(batch([-1n, 3n], [0n, 0n]))).toThrow(SqlError);
    expect(state()).toEqual(b2);
    agg.fold(batch([1n], [-5n]));
    expect(state()).toEqual([b2[0]! + 1n, I128_MIN + 1n, I128_MAX - 5n]);
  });

  it('folds batches larger than a staging chunk, and undoes every chunk on overflow', () => {
    fc.assert(
      fc.property(fc.integer({ min: 70_000, max: 140_000 }), fc.integer(), (n, seed) => {
        let r = seed >>> 0 || 1;
        const rnd = () => ((r = (Math.imul(r, 1103515245) + 12345) >>> 0), r);
        const keys: (bigint | null)[] = [];
        const vals: (bigint | null)[] = [];
        const w = new Int8Array(n);
        for (let i = 0; i < n; i++) {
          keys.push(rnd() % 50 === 0 ? null : BigInt(rnd() % 300));
          vals.push(rnd() % 40 === 0 ? null : (BigInt(rnd()) << 30n) - (1n << 61n));
          w[i] = rnd() % 3 === 0 ? -1 : 1;
        }
        const agg = new HashAggregator(k, true, [
          { fn: 'count_star' },
          { fn: 'sum_int', column: 0 },
        ]);
        const batch = { keys: [i64Col(keys)], weights: w, args: [i64Col(vals)] };
        agg.fold(batch);
        const ref = refAggregate(keys, [...w], vals);
        const groups = agg.groups as I64GroupTable;
        expect(agg.size).toBe(ref.size);
        const state = () => {
          const out: bigint[] = [];
          for (let g = 0; g < agg.size; g++) out.push(agg.count(0, g), agg.sumInt(1, g));
          return out;
        };
        for (let g = 0; g < agg.size; g++) {
          expect(agg.count(0, g)).toBe(ref.get(groups.key(g))!.count);
          expect(agg.sumInt(1, g)).toBe(ref.get(groups.key(g))!.sum);
        }
        // the last row's group sits at the 128-bit edge: the whole batch must be taken back
        const before = state();
        const slots = (agg as unknown as { slots: { a: { ptr: number }; b: { ptr: number } }[] })
          .slots;
        const last = n - 1;
        const lk = keys[last] ?? 0n;
        vals[last] = 5n;
        keys[last] = lk;
        w[last] = 1;
        const g = groups.lookup(i64Col([lk]))[0]!;
        const lo0 = k.u64(slots[1]!.a.ptr, agg.size)[g]!;
        const hi0 = k.i64(slots[1]!.b.ptr, agg.size)[g]!;
        // everything before the last row nets out to d for group g: start it at MAX - d - 2
        let d = 0n;
        for (let i = 0; i < last; i++)
          if (keys[i] === lk && vals[i] !== null) d += BigInt(w[i]!) * vals[i]!;
        const startAt = I128_MAX - d - 2n;
        k.u64(slots[1]!.a.ptr, agg.size)[g] = BigInt.asUintN(64, startAt);
        k.i64(slots[1]!.b.ptr, agg.size)[g] = startAt >> 64n;
        const edge = state();
        expect(() => agg.fold({ keys: [i64Col(keys)], weights: w, args: [i64Col(vals)] })).toThrow(
          SqlError,
        );
        expect(state()).toEqual(edge);
        k.u64(slots[1]!.a.ptr, agg.size)[g] = lo0;
        k.i64(slots[1]!.b.ptr, agg.size)[g] = hi0;
        expect(state()).toEqual(before);
      }),
      { seed: 65, numRuns: 4 },
    );
  });

  it('handles empty batches and all-NULL batches', () => {
    const agg = new HashAggregator(k, true, [{ fn: 'count_star' }, { fn: 'sum_int', column: 0 }]);
    agg.fold({ keys: [i64Col([])], weights: new Int8Array(0), args: [i64Col([])] });
    expect(agg.size).toBe(0);
    agg.fold({
      keys: [i64Col([null, null])],
      weights: Int8Array.from([1, 1]),
      args: [i64Col([null, 4n])],
    });
    expect(agg.size).toBe(1);
    expect(agg.count(0, 0)).toBe(2n);
    expect(agg.sumInt(1, 0)).toBe(4n);
  });
});

describe('inline-slot int64 hash join', () => {
  it('probe emits the reference pairs across inserts, deletes and re-inserts', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.array(nullable(fc.oneof(fc.bigInt({ min: 0n, max: 10n }), int64)), {
              maxLength: 50,
            }),
            fc.array(fc.integer({ min: -2, max: 300 }), { maxLength: 30 }),
          ),
          { maxLength: 5 },
        ),
        fc.array(nullable(fc.oneof(fc.bigInt({ min: 0n, max: 12n }), int64)), { maxLength: 60 }),
        (steps, probe) => {
          const j = new I64HashJoin(k, 2);
          const all: (bigint | null)[] = [];
          const dead = new Set<number>();
          for (const [b, dels] of steps) {
            expect(j.insert(i64Col(b))).toBe(all.length);
            all.push(...b);
            const fresh = new Set(
              dels.filter((d) => d >= 0 && d < all.length && all[d] !== null && !dead.has(d)),
            );
            expect(j.delete(Int32Array.from(dels))).toBe(fresh.size);
            for (const d of fresh) dead.add(d);
          }
          expect(j.rows).toBe(all.length);
          expect(j.liveRows).toBe(all.filter((v, i) => v !== null && !dead.has(i)).length);
          const got = j.probe(i64Col(probe));
          const pairs = [...got.probe].map((p, i) => [p, got.build[i]!] as [number, number]);
          const sort = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];
          expect(pairs.sort(sort)).toEqual(refJoin(all, dead, probe).sort(sort));
          expect([...got.probe]).toEqual([...got.probe].sort((a, b) => a - b));
          j.free();
        },
      ),
      params(63),
    );
  });

  it('raw probe resumes through tiny output buffers with the same pairs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 6n }), { maxLength: 80 }),
        fc.array(nullable(fc.bigInt({ min: 0n, max: 8n })), { maxLength: 70 }),
        fc.integer({ min: 1, max: 7 }),
        (build, probe, cap) => {
          const j = new I64HashJoin(k, 4);
          j.insert(i64Col(build));
          const whole = j.probe(i64Col(probe));
          const col = i64Col(probe);
          const kp = k.put(
            k.region(),
            col.kind === 'fixed' && col.values.length ? col.values : new BigInt64Array(1),
          );
          const vp = col.validity ? k.put(k.region(), col.validity) : 0;
          const op = x.alloc(4 * cap);
          const ob = x.alloc(4 * cap);
          const p: number[] = [];
          const b: number[] = [];
          x.hjProbeReset(j.handle);
          while (!x.hjProbeDone(j.handle)) {
            const m = x.hjProbe(j.handle, kp, vp, probe.length, op, ob, cap);
            expect(m).toBeLessThanOrEqual(cap);
            p.push(...k.i32(op, m));
            b.push(...k.i32(ob, m));
          }
          expect(p).toEqual([...whole.probe]);
          expect(b).toEqual([...whole.build]);
          x.release(op);
          x.release(ob);
          j.free();
        },
      ),
      params(64),
    );
  });

  it('many rows per key, deleting them all, and table growth past dead keys', () => {
    const j = new I64HashJoin(k);
    j.insert(i64Col(new Array<bigint>(3000).fill(5n)));
    const got = j.probe(i64Col([5n, 6n, 5n]));
    expect(got.probe.length).toBe(6000);
    expect(new Set(got.build).size).toBe(3000);
    expect(j.delete(Int32Array.from({ length: 3000 }, (_, i) => i))).toBe(3000);
    expect(j.probe(i64Col([5n])).probe.length).toBe(0);
    // distinct keys, deleted, then more: rehashing drops keys with no live rows
    for (let r = 0; r < 5; r++) {
      const base = j.rows;
      const keys = Array.from({ length: 2000 }, (_, i) => BigInt(r * 10000 + i));
      j.insert(i64Col(keys));
      const got2 = j.probe(i64Col(keys));
      expect([...got2.build]).toEqual(keys.map((_, i) => base + i));
      j.delete(Int32Array.from({ length: 2000 }, (_, i) => base + i));
    }
    expect(j.liveRows).toBe(0);
    j.insert(i64Col([5n]));
    expect([...j.probe(i64Col([5n])).build]).toEqual([j.rows - 1]);
  });
});
