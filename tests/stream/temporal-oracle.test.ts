/**
 * Views that read the clock, property-tested against recompute: temporal filters (every
 * accepted form, in WHERE, HAVING and ON, under other operators and views) and series growing
 * to `now()`, with random inserts, deletes and updates and random clock advances; and dynamic
 * filters (`x > (SELECT max(y) ...)`) with random changes on both sides. The clock is injected:
 * after every step each view equals its query run as a batch query with `now()` at the
 * injected time. Seeds are fixed.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Database } from '../../runtime/engine.js';
import { textRows } from './oracle.js';

const BASE = Date.UTC(2024, 0, 1) * 1000; // microseconds
const MINUTE = 60_000_000;

const TEMPORAL_VIEWS = [
  "SELECT k, ts FROM t WHERE ts > now() - interval '1 hour'",
  "SELECT k, v FROM t WHERE ts <= now() - interval '30 minutes'",
  "SELECT k FROM t WHERE ts BETWEEN now() AND now() + interval '1 hour'",
  "SELECT k, ts, v FROM t WHERE ts + interval '1 day' >= now() + interval '23 hours' AND v > 0",
  "SELECT * FROM t WHERE ts > now() - interval '1 hour' OR ts IS NULL OR v < 0",
  "SELECT k, count(*) AS n, sum(v) AS sv FROM t WHERE ts > now() - interval '2 hours' GROUP BY k",
  "SELECT k FROM t WHERE date_trunc('hour', ts) = date_trunc('hour', now())",
  "SELECT k, v FROM t WHERE ts <> date_trunc('hour', now()) AND NOT (ts < now() - interval '3 hours')",
  'SELECT k FROM t WHERE extract(epoch FROM ts) < extract(epoch FROM now()) - 600',
  // A bound that moves back as time passes: rows are kept, never dropped.
  "SELECT k, ts FROM t WHERE ts > TIMESTAMPTZ '2024-01-01 06:00:00+00' - (now() - TIMESTAMPTZ '2024-01-01 00:00:00+00')",
  "SELECT k, max(ts) AS m FROM t GROUP BY k HAVING max(ts) > now() - interval '1 hour'",
  "SELECT t.k, t.v, u.w FROM t JOIN u ON t.k = u.k AND u.ts > now() - interval '1 hour'",
  "SELECT t.k, u.w FROM t LEFT JOIN u ON t.k = u.k AND u.ts >= now() - interval '90 minutes'",
  "SELECT t.k, u.w FROM t JOIN u ON t.k = u.k AND t.ts > u.ts AND t.ts < now() - interval '10 minutes' AND u.ts > now() - interval '2 hours'",
  "SELECT k FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.k = t.k AND u.ts > now() - interval '1 hour')",
  "SELECT count(*) AS n FROM generate_series(TIMESTAMPTZ '2024-01-01 00:00:00+00', now(), interval '10 minutes')",
  "SELECT g FROM generate_series(1, (extract(epoch FROM now() - TIMESTAMPTZ '2024-01-01 00:00:00+00') / 600)::int) g WHERE g % 3 = 0",
  "SELECT k, v FROM t WHERE ts > now() - interval '1 hour' AND v > (SELECT min(w) FROM u)",
];

const DYNAMIC_VIEWS = [
  'SELECT k, v FROM t WHERE v > (SELECT max(w) FROM u)',
  'SELECT k, v FROM t WHERE (SELECT min(w) FROM u) >= v AND k IS NOT NULL',
  'SELECT k FROM t WHERE v = (SELECT count(*) FROM u)',
  'SELECT k, v FROM t WHERE v + 1 < (SELECT avg(w) FROM u WHERE k > 0)',
  'SELECT k, v FROM t WHERE v > (SELECT min(w) FROM u) AND v <= (SELECT max(w) FROM u)',
  'SELECT k, count(*) AS n FROM t WHERE v >= (SELECT max(w) FROM u) GROUP BY k',
  'SELECT k FROM t WHERE v < (SELECT w FROM u ORDER BY w DESC LIMIT 1)',
];

const SETUP = [
  'CREATE TABLE t (k INT, ts TIMESTAMPTZ, v INT)',
  'CREATE TABLE u (k INT, ts TIMESTAMPTZ, w INT)',
];

/** A timestamp literal within a few hours of the clock's start. */
const tsArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -180, max: 480 }) },
  { weight: 1, arbitrary: fc.constant(null) },
);
const tsText = (m: number | null): string =>
  m === null ? 'NULL' : `TIMESTAMPTZ '2024-01-01 00:00:00+00' + interval '${m} minutes'`;
const small = fc.option(fc.integer({ min: -3, max: 4 }), { nil: null, freq: 8 });
const num = (n: number | null): string => (n === null ? 'NULL' : String(n));

type Step = { kind: 'sql'; sql: string } | { kind: 'clock'; minutes: number; tick: boolean };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(small, tsArb, small), { minLength: 1, maxLength: 3 })
      .map((rs) => ({
        kind: 'sql' as const,
        sql: `INSERT INTO t VALUES ${rs.map(([k, ts, v]) => `(${num(k)}, ${tsText(ts)}, ${num(v)})`).join(', ')}`,
      })),
  },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.tuple(small, tsArb, small), { minLength: 1, maxLength: 2 })
      .map((rs) => ({
        kind: 'sql' as const,
        sql: `INSERT INTO u VALUES ${rs.map(([k, ts, w]) => `(${num(k)}, ${tsText(ts)}, ${num(w)})`).join(', ')}`,
      })),
  },
  {
    weight: 2,
    arbitrary: small.map((k) => ({
      kind: 'sql' as const,
      sql: `DELETE FROM t WHERE k ${k === null ? 'IS NULL' : `= ${k}`}`,
    })),
  },
  {
    weight: 1,
    arbitrary: small.map((k) => ({
      kind: 'sql' as const,
      sql: `DELETE FROM u WHERE k = ${num(k)}`,
    })),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(small, fc.integer({ min: -90, max: 90 })).map(([k, m]) => ({
      kind: 'sql' as const,
      sql: `UPDATE t SET ts = ts + interval '${m} minutes', v = v + 1 WHERE k = ${num(k)}`,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(small, small).map(([k, w]) => ({
      kind: 'sql' as const,
      sql: `UPDATE u SET w = ${num(w)} WHERE k = ${num(k)}`,
    })),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 20, max: 120 })),
        fc.boolean(),
      )
      .map(([minutes, tick]) => ({ kind: 'clock' as const, minutes, tick })),
  },
);

function runCase(views: string[], steps: Step[], zone: string): void {
  let now = BigInt(BASE);
  const db = new Database({ clock: () => now });
  const session = db.connect();
  session.execute(`SET TIME ZONE '${zone}'`);
  for (const s of SETUP) session.execute(s);
  views.forEach((v, i) => session.execute(`CREATE MATERIALIZED VIEW mv${i} AS ${v}`));
  // The views are at the clock's time only once an epoch has passed since it moved.
  let current = true;
  const check = (after: string): void => {
    if (!current) return;
    // (Without a view reading the clock, a tick has nothing to do and time stays put.)
    if (db.usesTime) expect(db.viewTime, 'views are at the clock').toBe(now);
    views.forEach((v, i) => {
      const got = textRows(session, `SELECT * FROM mv${i}`);
      const want = textRows(session, v);
      expect(
        got,
        `view ${v} after ${after} at +${(now - BigInt(BASE)) / BigInt(MINUTE)} min`,
      ).toEqual(want);
    });
  };
  check('CREATE MATERIALIZED VIEW');
  for (const s of steps) {
    if (s.kind === 'clock') {
      now += BigInt(s.minutes * MINUTE);
      if (s.tick) {
        db.advanceTime();
        current = true;
      } else current = s.minutes === 0 && current;
      check(`${s.minutes} minutes${s.tick ? ' and a tick' : ''}`);
    } else {
      session.execute(s.sql);
      current = true;
      check(s.sql);
    }
  }
}

describe('views reading the clock equal their queries at the injected time (oracle)', () => {
  for (const zone of ['UTC', 'America/New_York']) {
    it(`temporal filters and series, time zone ${zone}`, () => {
      fc.assert(
        fc.property(fc.array(stepArb, { minLength: 1, maxLength: 25 }), (steps) =>
          runCase(TEMPORAL_VIEWS, steps, zone),
        ),
        { seed: zone === 'UTC' ? 20260411 : 1104, numRuns: 60 },
      );
    });
  }

  it('dynamic filters', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 30 }), (steps) =>
        runCase(DYNAMIC_VIEWS, steps, 'UTC'),
      ),
      { seed: 77031, numRuns: 120 },
    );
  });

  it('views created over existing rows and late in time (backfill)', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { minLength: 1, maxLength: 12 }),
        fc.array(stepArb, { minLength: 1, maxLength: 12 }),
        (before, after) => {
          let now = BigInt(BASE);
          const db = new Database({ clock: () => now });
          const session = db.connect();
          for (const s of SETUP) session.execute(s);
          for (const s of before)
            if (s.kind === 'sql') session.execute(s.sql);
            else now += BigInt(s.minutes * MINUTE);
          const views = [...TEMPORAL_VIEWS, ...DYNAMIC_VIEWS];
          views.forEach((v, i) => session.execute(`CREATE MATERIALIZED VIEW mv${i} AS ${v}`));
          for (const s of after) {
            if (s.kind === 'sql') session.execute(s.sql);
            else {
              now += BigInt(s.minutes * MINUTE);
              db.advanceTime();
            }
            views.forEach((v, i) =>
              expect(textRows(session, `SELECT * FROM mv${i}`), v).toEqual(textRows(session, v)),
            );
          }
        },
      ),
      { seed: 5150, numRuns: 25 },
    );
  });
});
