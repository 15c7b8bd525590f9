/**
 * Recovery from the object store equals the state at the last acknowledged statement: tables,
 * views (checked against their queries run as batch queries), the catalog — whether the state
 * comes from the log alone, a checkpoint alone, or a checkpoint plus a log tail.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tableFromArrays } from 'apache-arrow';
import { MemoryObjectStore, type ObjectStore } from '../../runtime/storage/object-store.js';
import { open, state, text } from './harness.js';

const SCHEMA = [
  'CREATE TABLE t (k INT, v NUMERIC, s VARCHAR)',
  'CREATE TABLE p (id INT PRIMARY KEY, name VARCHAR, amount BIGINT)',
  'CREATE MATERIALIZED VIEW tsum AS SELECT k, count(*) AS n, sum(v) AS sv, min(s) AS ms FROM t GROUP BY k',
  'CREATE MATERIALIZED VIEW joined AS SELECT t.k, p.name, t.v FROM t JOIN p ON t.k = p.id',
  'CREATE MATERIALIZED VIEW top2 AS SELECT id, amount FROM p ORDER BY amount DESC LIMIT 2',
  'CREATE MATERIALIZED VIEW onview AS SELECT n, count(*) AS c FROM tsum GROUP BY n',
];

const stmt = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 0, max: 5 }),
      fc.integer({ min: -50, max: 50 }),
      fc.constantFrom('a', 'b', 'c'),
    )
    .map(([k, v, s]) => `INSERT INTO t VALUES (${k}, ${v / 10}, '${s}')`),
  fc
    .tuple(
      fc.integer({ min: 0, max: 5 }),
      fc.constantFrom('x', 'y'),
      fc.integer({ min: 0, max: 99 }),
    )
    .map(([id, n, a]) => `INSERT INTO p VALUES (${id}, '${n}', ${a})`),
  fc.integer({ min: 0, max: 5 }).map((k) => `DELETE FROM t WHERE k = ${k}`),
  fc.integer({ min: 0, max: 5 }).map((k) => `UPDATE t SET v = v + 1.5 WHERE k = ${k}`),
  fc.integer({ min: 0, max: 5 }).map((k) => `DELETE FROM p WHERE id = ${k}`),
  fc.integer({ min: 0, max: 5 }).map((k) => `UPDATE p SET amount = amount * 2 WHERE id = ${k}`),
);

describe('recovery', () => {
  it('restores tables, views and the catalog from the log alone', async () => {
    const store = new MemoryObjectStore();
    const a = await open(store);
    for (const s of SCHEMA) await a.run(s);
    await a.run("INSERT INTO t VALUES (1, 1.50, 'a'), (1, 2.5, 'b'), (2, 10, 'c')");
    await a.run("INSERT INTO p VALUES (1, 'one', 10), (2, 'two', 20), (3, 'three', 30)");
    await a.run("INSERT INTO p VALUES (2, 'deux', 25)");
    await a.run("DELETE FROM t WHERE s = 'b'");
    const before = state(a.db, a.session);
    const b = await open(store);
    expect(b.recovery.checkpointEpoch).toBe(0);
    expect(b.recovery.epochsReplayed).toBeGreaterThan(0);
    expect(state(b.db, b.session)).toEqual(before);
    // The recovered database goes on: new writes, new ids, views still maintained.
    await b.run("INSERT INTO t VALUES (7, 7, 'z')");
    await b.run('CREATE TABLE later (x INT)');
    expect(b.db.catalog.get('later')!.id).toBeGreaterThan(
      Math.max(...[...a.db.catalog.relations.values()].map((r) => r.id)),
    );
    const c = await open(store);
    expect(state(c.db, c.session)).toEqual(state(b.db, b.session));
  });

  it('restores from a checkpoint plus a log tail, and deletes what the checkpoint covers', async () => {
    const store = new MemoryObjectStore();
    const a = await open(store, { checkpointBytes: 4096, garbageGraceMs: 0 });
    for (const s of SCHEMA) await a.run(s);
    for (let i = 0; i < 200; i++)
      await a.run(`INSERT INTO t VALUES (${i % 7}, ${i}.25, 's${i % 3}')`);
    await a.run('DELETE FROM t WHERE k = 3');
    await a.run("INSERT INTO p VALUES (1, 'one', 10), (2, 'two', 20)");
    // Wait for a background checkpoint to land.
    for (let i = 0; i < 50 && a.durability.stats.checkpoints === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(a.durability.stats.checkpoints).toBeGreaterThan(0);
    await a.run("INSERT INTO t VALUES (3, 3.3, 'tail')");
    const before = state(a.db, a.session);
    const b = await open(store, { garbageGraceMs: 0 });
    expect(b.recovery.checkpointEpoch).toBeGreaterThan(0);
    expect(b.recovery.rows).toBeGreaterThan(0);
    expect(state(b.db, b.session)).toEqual(before);
    // Only the live checkpoint, one manifest and the log after the checkpoint remain.
    const names = await store.list('');
    expect(names.filter((n) => n.startsWith('manifest/'))).toHaveLength(1);
    expect(names.filter((n) => n.startsWith('checkpoint/'))).toHaveLength(1);
    const covered = b.recovery.checkpointEpoch;
    for (const n of names.filter((x) => x.startsWith('log/')))
      expect(Number(n.slice(4))).toBeGreaterThan(covered);
  });

  it('keeps what a checkpoint retires for the grace period, across a restart', async () => {
    const store = new MemoryObjectStore();
    let now = 1_000_000;
    const o = { checkpointBytes: 2048, garbageGraceMs: 60_000, clock: () => now };
    const a = await open(store, o);
    for (const s of SCHEMA) await a.run(s);
    for (let i = 0; a.durability.stats.checkpoints < 3 && i < 2000; i++) {
      await a.run(`INSERT INTO t VALUES (${i % 7}, ${i}.5, 's${i % 3}')`);
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5));
    }
    await a.run("INSERT INTO p VALUES (1, 'one', 10)");
    const before = state(a.db, a.session);
    const names = async () => (await store.list('')).sort();
    const manifests = (await names()).filter((n) => n.startsWith('manifest/'));
    expect(manifests.length).toBeGreaterThanOrEqual(3);
    // A reader that resolved the oldest manifest still finds everything it names and the log
    // after it, so it recovers the same state.
    const reader = new MemoryObjectStore();
    for (const [n, bytes] of store.objects)
      if (!n.startsWith('manifest/') || n === manifests[0]) reader.objects.set(n, bytes);
    const old = await open(reader);
    expect(old.recovery.checkpointEpoch).toBeLessThan(a.durability.stats.epochsWritten);
    expect(state(old.db, old.session)).toEqual(before);
    // A restart within the grace period deletes none of it: the manifest lists when each was
    // retired, so its clock does not start again.
    const kept = await names();
    now += 40_000;
    const b = await open(store, o);
    expect(state(b.db, b.session)).toEqual(before);
    expect(await names()).toEqual(expect.arrayContaining(kept));
    now += 19_000;
    await b.durability.collectGarbage();
    expect(await names()).toEqual(expect.arrayContaining(kept));
    // Once the grace period has passed, only the live manifest, its checkpoint and the log
    // after it remain.
    now += 1_001;
    await b.durability.collectGarbage();
    const left = await names();
    expect(left.filter((n) => n.startsWith('manifest/'))).toHaveLength(1);
    expect(left.filter((n) => n.startsWith('checkpoint/'))).toHaveLength(1);
    const c = await open(store, o);
    expect(state(c.db, c.session)).toEqual(before);
    for (const n of left.filter((x) => x.startsWith('log/')))
      expect(Number(n.slice(4))).toBeGreaterThan(c.recovery.checkpointEpoch);
  });

  it('under steady updates, storage stays within about twice the live state', async () => {
    const store = new MemoryObjectStore();
    const a = await open(store, { checkpointBytes: 2048, garbageGraceMs: 0 });
    await a.run('CREATE TABLE k (id INT PRIMARY KEY, v BIGINT)');
    await a.run(
      'CREATE MATERIALIZED VIEW mv AS SELECT v % 3 AS b, count(*) AS n FROM k GROUP BY v % 3',
    );
    await a.run(
      `INSERT INTO k VALUES ${Array.from({ length: 500 }, (_, i) => `(${i}, ${i})`).join(', ')}`,
    );
    const stored = (s: MemoryObjectStore): number =>
      [...s.objects.values()].reduce((n, o) => n + o.length, 0);
    let worst = 0;
    for (let e = 1; e <= 400; e++) {
      await a.run(`UPDATE k SET v = v + 1 WHERE id IN (${(e * 7) % 500}, ${(e * 13) % 500})`);
      if (e % 40 !== 0) continue;
      // The live state's size: a fresh checkpoint of the same state, made on a copy.
      const copy = new MemoryObjectStore();
      for (const [n, o] of store.objects) copy.objects.set(n, o);
      const b = await open(copy);
      expect(state(b.db, b.session)).toEqual(state(a.db, a.session));
      await b.durability.close();
      const live = [...copy.objects].filter(([n]) => n.startsWith('checkpoint/'))[0]![1].length;
      worst = Math.max(worst, stored(store) / live);
    }
    expect(a.durability.stats.checkpoints).toBeGreaterThan(5);
    // The checkpoint plus at most half a checkpoint of log (and the manifest).
    expect(worst).toBeLessThan(2.1);
  });

  it('checkpoint() while statements go on: none lost, none applied twice', async () => {
    const store = new MemoryObjectStore();
    // Writes take a while (checkpoints longer), so statements land while one is in flight.
    const slow: ObjectStore = {
      description: 'slow writes',
      put: async (n, d) => {
        await new Promise((r) => setTimeout(r, n.startsWith('checkpoint/') ? 30 : 3));
        await store.put(n, d);
      },
      get: (n) => store.get(n),
      list: (p) => store.list(p),
      delete: (n) => store.delete(n),
    };
    const a = await open(slow, { garbageGraceMs: 0 });
    for (const s of SCHEMA) await a.run(s);
    for (let i = 0; i < 300; i++) a.session.execute(`INSERT INTO t VALUES (${i % 5}, ${i}, 'a')`);
    await Promise.resolve();
    // These wait for the epoch being written: the checkpoint must follow them, not hold them
    // and have them replayed too.
    for (let i = 0; i < 30; i++) a.session.execute(`INSERT INTO t VALUES (9, ${i}, 'late')`);
    const checkpoint = a.durability.checkpoint();
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      writes.push(a.run(`INSERT INTO p VALUES (${i}, 'n${i}', ${i})`));
      await new Promise((r) => setTimeout(r, 1));
    }
    await checkpoint;
    await Promise.all(writes);
    expect(a.durability.stats.checkpoints).toBe(1);
    const before = state(a.db, a.session);
    const b = await open(store);
    // The checkpoint holds some of the inserts into p, the log the rest.
    expect(b.recovery.checkpointEpoch).toBeGreaterThan(0);
    expect(b.recovery.epochsReplayed).toBeGreaterThan(0);
    expect(state(b.db, b.session)).toEqual(before);
  });

  it('close() checkpoints, so the next start replays no log', async () => {
    const store = new MemoryObjectStore();
    const a = await open(store);
    for (const s of SCHEMA) await a.run(s);
    await a.run("INSERT INTO t VALUES (1, 1, 'a'), (2, 2, 'b')");
    const before = state(a.db, a.session);
    await a.durability.close();
    const b = await open(store);
    expect(b.recovery.epochsReplayed).toBe(0);
    expect(state(b.db, b.session)).toEqual(before);
  });

  it('keeps dropped and re-created relations apart', async () => {
    const store = new MemoryObjectStore();
    const a = await open(store, { checkpointBytes: 1 });
    await a.run('CREATE TABLE t (k INT)');
    await a.run('INSERT INTO t VALUES (1), (2)');
    await a.run('CREATE MATERIALIZED VIEW m AS SELECT count(*) AS n FROM t');
    await a.run('DROP MATERIALIZED VIEW m');
    await a.run('DROP TABLE t');
    await a.run('CREATE TABLE t (k INT, j VARCHAR)');
    await a.run("INSERT INTO t VALUES (5, 'five')");
    await a.run('CREATE MATERIALIZED VIEW m AS SELECT k, j FROM t');
    await a.run('CREATE TABLE c AS SELECT k * 10 AS k10 FROM t');
    await a.run("CREATE FUNCTION twice(x INT) RETURNS INT LANGUAGE sql AS 'SELECT x * 2'");
    await a.run('CREATE MATERIALIZED VIEW m2 AS SELECT twice(k10) AS y FROM c');
    await a.run('INSERT INTO c VALUES (1)');
    const before = state(a.db, a.session);
    await a.durability.close();
    const b = await open(store);
    expect(state(b.db, b.session)).toEqual(before);
    expect(text(b.session, 'SELECT * FROM m2 ORDER BY y')).toEqual(['2', '100']);
  });

  it('replays Arrow inserts and keeps exact numeric forms and time zones', async () => {
    const store = new MemoryObjectStore();
    const a = await open(store);
    await a.run('CREATE TABLE e (id BIGINT, amount NUMERIC, ts TIMESTAMPTZ)');
    await a.run("SET TIME ZONE 'Asia/Tokyo'");
    await a.run(
      'CREATE MATERIALIZED VIEW d AS SELECT id, ts::date AS day, sum(amount) AS s FROM e GROUP BY id, ts::date',
    );
    a.session.insertArrow('e', tableFromArrays({ id: BigInt64Array.from([1n, 2n, 1n]) }));
    await a.durability.waitDurable();
    await a.run(
      "INSERT INTO e VALUES (1, 10.100, '2026-01-01 20:00:00+00'), (2, 1.0, '2026-01-01 10:00:00+00')",
    );
    const before = state(a.db, a.session);
    const b = await open(store);
    b.session.execute("SET TIME ZONE 'Asia/Tokyo'");
    expect(state(b.db, b.session)).toEqual(before);
    expect(text(b.session, 'SELECT amount FROM e WHERE amount IS NOT NULL ORDER BY id')).toEqual([
      '10.100',
      '1.0',
    ]);
  });

  it('random statements: after each simulated crash the state is as acknowledged (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(stmt, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 3000 }),
        async (rounds, checkpointBytes) => {
          const store = new MemoryObjectStore();
          let cur = await open(store, { checkpointBytes });
          for (const s of SCHEMA) await cur.run(s);
          for (const round of rounds) {
            for (const s of round) await cur.run(s);
            await new Promise((r) => setTimeout(r, 0));
            const before = state(cur.db, cur.session);
            // Crash: the old database is abandoned without close().
            cur = await open(store, { checkpointBytes });
            expect(state(cur.db, cur.session)).toEqual(before);
          }
        },
      ),
      { seed: 20261207, numRuns: 25 },
    );
  });
});
