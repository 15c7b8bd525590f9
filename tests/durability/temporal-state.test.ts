/**
 * Views that read the clock (temporal filters, series to now()) and dynamic filters across
 * restarts: checkpoints hold their operator state (the rows still waiting on the clock or on
 * the subquery's value, the time and bounds last applied), recovery restores it without
 * recomputing the views, and the restored operators then go on as the originals — moving to
 * the time of the restart at once, and with time and data changing after it — checked against
 * a database that never restarted and against batch recompute at the injected time.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Database } from '../../runtime/engine.js';
import type { DurabilityOptions } from '../../runtime/durability/durability.js';
import { MemoryObjectStore, type ObjectStore } from '../../runtime/storage/object-store.js';
import { open as openStore, state, text } from './harness.js';

const BASE = BigInt(Date.UTC(2024, 0, 1)) * 1000n;
const MINUTE = 60_000_000n;

const SCHEMA = [
  'CREATE TABLE t (k INT, ts TIMESTAMPTZ, v INT)',
  'CREATE TABLE u (w INT)',
  "CREATE MATERIALIZED VIEW recent AS SELECT k, ts FROM t WHERE ts > now() - interval '1 hour'",
  "CREATE MATERIALIZED VIEW late AS SELECT k, v FROM t WHERE ts <= now() - interval '30 minutes' OR v < 0",
  "CREATE MATERIALIZED VIEW span AS SELECT k FROM t WHERE ts BETWEEN now() AND now() + interval '2 hours'",
  "CREATE MATERIALIZED VIEW per_k AS SELECT k, count(*) AS n FROM t WHERE ts > now() - interval '90 minutes' GROUP BY k",
  "CREATE MATERIALIZED VIEW fresh_k AS SELECT k, max(ts) AS m FROM t GROUP BY k HAVING max(ts) > now() - interval '45 minutes'",
  "CREATE MATERIALIZED VIEW ticks AS SELECT * FROM generate_series(TIMESTAMPTZ '2024-01-01 00:00:00+00', now(), interval '15 minutes')",
  'CREATE MATERIALIZED VIEW above AS SELECT k, v FROM t WHERE v > (SELECT max(w) FROM u)',
  'CREATE MATERIALIZED VIEW onview AS SELECT count(*) AS n FROM recent',
];
const mvCount = SCHEMA.filter((s) => s.includes('MATERIALIZED VIEW')).length;

class Clock {
  now = BASE;
  set(minutes: number): void {
    this.now = BASE + BigInt(minutes) * MINUTE;
  }
  read = (): bigint => this.now;
}

/** A database on `store` as a restarted process opens it, reading `clock`. */
function open(store: ObjectStore, clock: Clock, o: DurabilityOptions = {}) {
  return openStore(store, o, new Database({ clock: clock.read }));
}

const at = (m: number): string => `TIMESTAMPTZ '2024-01-01 00:00:00+00' + interval '${m} minutes'`;

/** Every materialized view's rows, sorted. */
function viewRows(db: Database): Record<string, string[]> {
  const session = db.connect();
  const out: Record<string, string[]> = {};
  for (const rel of db.catalog.relations.values())
    if (rel.kind === 'materializedView')
      out[rel.name] = text(session, `SELECT * FROM ${rel.name}`).sort();
  return out;
}

describe('operator state of views reading the clock', () => {
  it('recovery restores them without recompute, and they go on with time', async () => {
    const store = new MemoryObjectStore();
    const clock = new Clock();
    const a = await open(store, clock);
    for (const s of SCHEMA) await a.run(s);
    await a.run('INSERT INTO u VALUES (2)');
    for (let m = 0; m < 120; m += 7) {
      clock.set(m);
      await a.run(
        `INSERT INTO t VALUES (${m % 5}, ${at(m)}, ${(m % 9) - 2}), (${m % 3}, ${at(m + 60)}, ${m % 4})`,
      );
    }
    const before = state(a.db, a.session);
    expect(before['materializedView recent']!.length).toBeGreaterThan(0);
    expect(before['materializedView span']!.length).toBeGreaterThan(0);
    await a.durability.close();

    // Same time: nothing flows through any dataflow.
    const b = await open(store, clock);
    expect(b.recovery.viewsRestored).toBe(mvCount);
    expect(b.db.graph.stats.rowsIn).toBe(0);
    expect(state(b.db, b.session)).toEqual(before);

    // Later: the restored operators move rows in and out as the originals would.
    clock.set(150);
    b.db.advanceTime();
    const after = state(b.db, b.session);
    expect(after).not.toEqual(before);
    await b.run(`INSERT INTO t VALUES (9, ${at(149)}, 7)`);
    await b.run('DELETE FROM t WHERE k = 1');
    await b.run('INSERT INTO u VALUES (5)');
    state(b.db, b.session);
    await b.durability.close();

    // Restarting long after: the views are at the clock as soon as the database is open.
    clock.set(400);
    const c = await open(store, clock);
    expect(c.recovery.viewsRestored).toBe(mvCount);
    expect(c.db.viewTime).toBe(clock.now);
    state(c.db, c.session);
    await c.durability.close();
  });

  it('restored operators go on exactly as the originals (random statements and clock moves, seeded)', async () => {
    const step = fc.oneof(
      fc
        .tuple(
          fc.integer({ min: 0, max: 4 }),
          fc.integer({ min: -60, max: 240 }),
          fc.integer({ min: -3, max: 6 }),
        )
        .map(([k, m, v]) => ({ sql: `INSERT INTO t VALUES (${k}, ${at(m)}, ${v})` })),
      fc.integer({ min: 0, max: 4 }).map((k) => ({ sql: `DELETE FROM t WHERE k = ${k}` })),
      fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: -30, max: 30 })).map(([k, m]) => ({
        sql: `UPDATE t SET ts = ts + interval '${m} minutes' WHERE k = ${k}`,
      })),
      fc.integer({ min: -2, max: 6 }).map((w) => ({ sql: `INSERT INTO u VALUES (${w})` })),
      fc.integer({ min: -2, max: 6 }).map((w) => ({ sql: `DELETE FROM u WHERE w >= ${w}` })),
      fc.integer({ min: 1, max: 50 }).map((minutes) => ({ minutes })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.array(step, { minLength: 1, maxLength: 12 }),
            fc.integer({ min: 0, max: 90 }),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        async (rounds) => {
          const store = new MemoryObjectStore();
          const clock = new Clock();
          // Every epoch is checkpointed, so each restart restores operator state.
          let cur = await open(store, clock, { checkpointBytes: 1 });
          const reference = new Database({ clock: clock.read });
          const ref = reference.connect();
          for (const s of SCHEMA) {
            await cur.run(s);
            ref.execute(s);
          }
          let minutes = 0;
          for (const [round, gap] of rounds) {
            for (const s of round) {
              if ('sql' in s) {
                await cur.run(s.sql);
                ref.execute(s.sql);
              } else {
                minutes += s.minutes;
                clock.set(minutes);
                cur.db.advanceTime();
                reference.advanceTime();
              }
            }
            await cur.durability.close();
            // Time passes while the database is down.
            minutes += gap;
            clock.set(minutes);
            reference.advanceTime();
            cur = await open(store, clock, { checkpointBytes: 1 });
            expect(cur.recovery.viewsRestored).toBe(mvCount);
            expect(viewRows(cur.db)).toEqual(viewRows(reference));
            state(cur.db, cur.session);
          }
          await cur.durability.close();
        },
      ),
      { seed: 20260412, numRuns: 25 },
    );
  });
});
