/**
 * KeyIndex (the Wasm-backed key → state table of the stream executors) against a JavaScript Map
 * on random batches of inserts and deletes: int64 and string keys, NULL keys, strings with lone
 * surrogates and non-ASCII text, and compaction keeping every live key's state while bounding
 * the table.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  int64Keys,
  KeyIndex,
  preloadKernels,
  sharedKernels,
  useKernels,
  type KeyBatch,
} from '../../runtime/kernels/key-index.js';
import { loadKernelsSync } from '../../runtime/kernels/loader.js';

type Key = bigint | string | null;

function batchOf(mode: 'i64' | 'bytes', keys: Key[]): KeyBatch {
  return mode === 'i64'
    ? int64Keys(keys as (bigint | null)[])
    : { kind: 'bytes', keys: keys as (string | null)[] };
}

/** Applies batches of (key, +1 | -1) like an executor: counts per key, deleted at zero. */
function run(mode: 'i64' | 'bytes', batches: [Key, number][][]): void {
  const ix = new KeyIndex<{ key: Key; n: number }>(mode);
  const ref = new Map<Key, number>();
  for (const b of batches) {
    const keys = b.map(([k]) => k);
    const looked = ix.lookup(batchOf(mode, keys));
    const before = new Set(ref.keys());
    const seen = new Set<Key>();
    const ids = ix.assign(batchOf(mode, keys));
    b.forEach(([k, d], i) => {
      // lookup never creates and never finds NULL; it finds the state of every key holding
      // some (a key whose state was deleted may still have an id, with no state).
      if (k === null) expect(looked[i]).toBe(-1);
      else if (!seen.has(k)) {
        if (before.has(k)) expect(ix.get(looked[i]!)?.key).toBe(k);
        else expect(ix.get(looked[i]!)).toBeUndefined();
      }
      seen.add(k);
      const id = ids[i]!;
      const st = ix.get(id) ?? { key: k, n: 0 };
      expect(st.key).toBe(k);
      st.n += d;
      if (st.n === 0) ix.delete(id);
      else ix.set(id, st);
      const r = (ref.get(k) ?? 0) + d;
      if (r === 0) ref.delete(k);
      else ref.set(k, r);
    });
    ix.compact();
    expect(ix.size).toBe(ref.size);
    expect(ix.tableSize).toBeLessThanOrEqual(2 * ix.size + 256);
    const got = new Map([...ix.entries()].map((e) => [e.key, e.n]));
    expect(got).toEqual(ref);
  }
}

const strKey = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.constantFrom('', '\uD800', '\uDC00x', 'é', '\u00ff', 'a\u0000b'),
);

describe('KeyIndex', () => {
  it('int64 keys match a Map, NULLs included', () => {
    const key = fc.oneof(
      fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
      fc.bigInt({ min: -5n, max: 5n }),
      fc.constant(null),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(key, fc.constantFrom(1, 1, -1)), { maxLength: 40 }), {
          maxLength: 8,
        }),
        (bs) => run('i64', bs),
      ),
    );
  });

  it('string keys match a Map, lone surrogates and NULLs included', () => {
    const key = fc.oneof(strKey, fc.constant(null));
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(key, fc.constantFrom(1, 1, -1)), { maxLength: 40 }), {
          maxLength: 8,
        }),
        (bs) => run('bytes', bs),
      ),
    );
  });

  it('distinguishes strings whose UTF-8 and UTF-16 byte forms could meet', () => {
    const ix = new KeyIndex<number>('bytes');
    const keys = ['\uD800', '\uFFFD', '\u00ff\u00d8', 'ÿØ', '\uDBFF\uDFFF', '\u{10FFFF}'];
    const ids = ix.assign({ kind: 'bytes', keys });
    // '\uDBFF\uDFFF' and '\u{10FFFF}' are the same string; every other pair differs.
    expect(new Set(ids).size).toBe(4);
    expect(ids[4]).toBe(ids[5]);
  });

  it('compacts under churn: the table stays bounded and long-lived keys keep their state', () => {
    for (const mode of ['i64', 'bytes'] as const) {
      const ix = new KeyIndex<number>(mode);
      const key = (n: number): Key => (mode === 'i64' ? BigInt(n) : `k${n}`);
      const keep = [key(-1), key(-2)];
      ix.assign(batchOf(mode, keep)).forEach((id, i) => ix.set(id, i));
      let compactions = 0;
      for (let round = 0; round < 40; round++) {
        const fresh = Array.from({ length: 300 }, (_, i) => key(round * 300 + i));
        const ids = ix.assign(batchOf(mode, fresh));
        ids.forEach((id) => ix.set(id, round));
        if (ix.compact()) compactions++;
        const again = ix.assign(batchOf(mode, fresh));
        again.forEach((id) => ix.delete(id));
        if (ix.compact()) compactions++;
        expect(ix.tableSize).toBeLessThanOrEqual(2 * ix.size + 256 + 300);
      }
      expect(compactions).toBeGreaterThan(10);
      expect(ix.size).toBe(2);
      const ids = ix.lookup(batchOf(mode, keep));
      expect([ix.get(ids[0]!), ix.get(ids[1]!)]).toEqual([0, 1]);
    }
  });
});

describe('useKernels', () => {
  it('makes new indexes keep their tables in the installed kernel instance', () => {
    const own = loadKernelsSync();
    const before = sharedKernels();
    useKernels(own);
    try {
      expect(sharedKernels()).toBe(own);
      const start = own.memoryBytes();
      const ix = new KeyIndex<number>('i64');
      ix.assign(int64Keys(Array.from({ length: 200_000 }, (_, i) => BigInt(i))));
      expect(ix.tableSize).toBe(200_000);
      expect(own.memoryBytes()).toBeGreaterThan(start + 4_000_000);
    } finally {
      useKernels(before);
    }
  });
});

describe('preloadKernels', () => {
  it('compiles an instance that works, and keeps the one already in use', async () => {
    const before = sharedKernels();
    await preloadKernels();
    expect(sharedKernels()).toBe(before);
    const ix = new KeyIndex<number>('i64');
    ix.assign(int64Keys([1n, 2n, 2n]));
    expect(ix.tableSize).toBe(2);
  });
});
