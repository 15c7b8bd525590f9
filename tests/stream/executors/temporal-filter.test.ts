/**
 * Temporal filters, dynamic filters and series to now(): what they keep (rows a bound that
 * only grows has settled are dropped), how much a move of the bound costs (the rows crossing
 * it, not all rows), which uses of now() are refused, and how time advances on its own (the
 * engine's ticks).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Database } from '../../../runtime/engine.js';
import type { StreamExecutor } from '../../../runtime/stream/executor.js';
import { SqlError } from '../../../runtime/errors.js';
import { Sluice } from '../../../runtime/index.js';
import type { Change } from '../../../runtime/stream/subscription.js';
import { textRows } from '../oracle.js';

const BASE = BigInt(Date.UTC(2024, 0, 1)) * 1000n;
const MINUTE = 60_000_000n;

function clocked(): { db: Database; set: (minutes: number) => void } {
  let now = BASE;
  const db = new Database({ clock: () => now });
  return { db, set: (m) => (now = BASE + BigInt(m) * MINUTE) };
}

function operator(db: Database, view: string, name: string): StreamExecutor {
  const rel = db.catalog.get(view)!;
  const node = db.graph.views.get(rel.id)!.nodes.find((n) => n.exec.name === name);
  if (!node) throw new Error(`no ${name} in ${view}`);
  return node.exec;
}

/** Rows an operator's checkpoint would hold. */
function keptRows(exec: StreamExecutor): number {
  return exec.saveState!().tables[0]!.rows.length;
}

const at = (m: number): string => `TIMESTAMPTZ '2024-01-01 00:00:00+00' + interval '${m} minutes'`;

describe('temporal filter state', () => {
  it('drops rows a growing bound has settled, keeps the ones still waiting', () => {
    const { db, set } = clocked();
    const s = db.connect();
    s.execute('CREATE TABLE t (k INT, ts TIMESTAMPTZ)');
    s.execute(
      "CREATE MATERIALIZED VIEW recent AS SELECT k FROM t WHERE ts > now() - interval '1 hour'",
    );
    s.execute(
      "CREATE MATERIALIZED VIEW late AS SELECT k FROM t WHERE ts <= now() - interval '30 minutes'",
    );
    s.execute(
      "CREATE MATERIALIZED VIEW back AS SELECT k FROM t WHERE ts > TIMESTAMPTZ '2024-01-03 00:00:00+00' - (now() - TIMESTAMPTZ '2024-01-01 00:00:00+00')",
    );
    for (let m = 0; m < 300; m++) {
      set(m);
      s.execute(`INSERT INTO t VALUES (${m}, ${at(m)})`);
    }
    expect(textRows(s, 'SELECT count(*) FROM recent')).toEqual(['60']);
    expect(textRows(s, 'SELECT count(*) FROM late')).toEqual(['270']);
    // The last hour waits to leave; older rows are gone for good.
    expect(keptRows(operator(db, 'recent', 'StreamTemporalFilter'))).toBe(60);
    // Rows past the delay stay in the view for good: only the last 30 minutes wait to enter.
    expect(keptRows(operator(db, 'late', 'StreamTemporalFilter'))).toBe(30);
    // A bound moving back can bring any row back: every row is kept.
    expect(keptRows(operator(db, 'back', 'StreamTemporalFilter'))).toBe(300);
    // A delete of a forgotten row changes nothing; of a waiting one, leaves the view.
    s.execute('DELETE FROM t WHERE k IN (10, 295)');
    expect(textRows(s, 'SELECT count(*) FROM recent')).toEqual(['59']);
    expect(keptRows(operator(db, 'recent', 'StreamTemporalFilter'))).toBe(59);
  });

  it('in a time zone with daylight saving time, local-time bounds keep every row', () => {
    const { db, set } = clocked();
    const s = db.connect();
    s.execute("SET TIME ZONE 'America/New_York'");
    s.execute('CREATE TABLE t (k INT, ts TIMESTAMPTZ)');
    s.execute("CREATE MATERIALIZED VIEW d AS SELECT k FROM t WHERE ts > date_trunc('day', now())");
    s.execute("CREATE MATERIALIZED VIEW u AS SELECT k FROM t WHERE ts > now() - interval '1 hour'");
    for (let m = 0; m < 100; m += 10) s.execute(`INSERT INTO t VALUES (${m}, ${at(m)})`);
    set(200);
    db.advanceTime();
    expect(keptRows(operator(db, 'd', 'StreamTemporalFilter'))).toBe(10);
    // A plain duration is the same in every zone.
    expect(keptRows(operator(db, 'u', 'StreamTemporalFilter'))).toBe(0);
  });

  it('a move of the time touches only the rows crossing the bound', () => {
    const { db, set } = clocked();
    const s = db.connect();
    s.execute('CREATE TABLE t (k INT, ts TIMESTAMPTZ)');
    s.execute(
      `INSERT INTO t SELECT g, ${at(0)} + g * interval '1 second' FROM generate_series(1, 20000) g`,
    );
    s.execute("CREATE MATERIALIZED VIEW w AS SELECT k FROM t WHERE ts < now() + interval '1 hour'");
    expect(textRows(s, 'SELECT count(*) FROM w')).toEqual(['3599']);
    const before = db.graph.stats.stateTouches;
    set(1);
    db.advanceTime();
    expect(textRows(s, 'SELECT count(*) FROM w')).toEqual(['3659']);
    const touched = db.graph.stats.stateTouches - before;
    expect(touched).toBeGreaterThanOrEqual(60);
    expect(touched).toBeLessThan(400);
  });
});

describe('dynamic filter', () => {
  it('a move of the subquery value touches only the rows crossing it', () => {
    const db = new Database();
    const s = db.connect();
    s.execute('CREATE TABLE t (k INT, v INT)');
    s.execute('CREATE TABLE u (w INT)');
    s.execute('INSERT INTO t SELECT g, g FROM generate_series(1, 20000) g');
    s.execute('INSERT INTO u VALUES (10000)');
    s.execute('CREATE MATERIALIZED VIEW above AS SELECT k FROM t WHERE v > (SELECT max(w) FROM u)');
    expect(textRows(s, 'SELECT count(*) FROM above')).toEqual(['10000']);
    const before = db.graph.stats.stateTouches;
    s.execute('INSERT INTO u VALUES (10050)');
    expect(textRows(s, 'SELECT count(*) FROM above')).toEqual(['9950']);
    const touched = db.graph.stats.stateTouches - before;
    expect(touched).toBeGreaterThanOrEqual(50);
    expect(touched).toBeLessThan(500);
    s.execute('DELETE FROM u');
    expect(textRows(s, 'SELECT count(*) FROM above')).toEqual(['0']);
    s.execute('INSERT INTO u VALUES (19990)');
    expect(textRows(s, 'SELECT k FROM above')).toEqual(
      Array.from({ length: 10 }, (_, i) => String(19991 + i)).sort(),
    );
  });
});

describe('now() where a view cannot follow it', () => {
  const refused = [
    'SELECT now() FROM t',
    "SELECT k FROM t WHERE ts > now() OR ts < now() - interval '1 hour'",
    "SELECT k FROM t WHERE now() - ts < interval '1 hour'",
    'SELECT t.k FROM t LEFT JOIN t AS t2 ON t.k = t2.k AND t.ts > now()',
    "SELECT * FROM generate_series(now(), now() + interval '1 hour', interval '1 minute')",
    "SELECT * FROM generate_series(TIMESTAMPTZ '2024-01-01 00:00:00+00', now(), interval '-1 minute')",
    'SELECT count(*) FILTER (WHERE ts > now()) FROM t',
    "SELECT k FROM t WHERE age(ts) > interval '1 day'",
  ];
  for (const q of refused)
    it(q, () => {
      const s = new Database().connect();
      s.execute('CREATE TABLE t (k INT, ts TIMESTAMPTZ)');
      let err: unknown;
      try {
        s.execute(`CREATE MATERIALIZED VIEW v AS ${q}`);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SqlError);
      expect((err as SqlError).code).toBe('0A000');
    });
});

describe('ticks', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('move views reading the clock as an epoch subscribers see, and only when some view does', () => {
    vi.useFakeTimers();
    const { db, set } = clocked();
    const s = db.connect();
    s.execute('CREATE TABLE t (k INT, ts TIMESTAMPTZ)');
    s.execute('CREATE MATERIALIZED VIEW plain AS SELECT k FROM t');
    let runs = 0;
    const stop = db.tickEvery(1000, {
      run: (tick) => {
        runs++;
        tick();
      },
    });
    vi.advanceTimersByTime(3000);
    expect(runs).toBe(0);
    s.execute(
      "CREATE MATERIALIZED VIEW w AS SELECT k FROM t WHERE ts > now() - interval '90 seconds'",
    );
    s.execute(`INSERT INTO t VALUES (1, ${at(0)}), (2, ${at(1)})`);
    const seen: Change[][] = [];
    db.subscribe('w', (c) => seen.push(c));
    set(2);
    vi.advanceTimersByTime(1000);
    expect(runs).toBe(1);
    expect(seen).toEqual([[{ op: '-', row: [1] }]]);
    expect(db.viewTime).toBe(BASE + 2n * MINUTE);
    // A tick with the clock where it was changes nothing.
    vi.advanceTimersByTime(1000);
    expect(seen.length).toBe(1);
    stop();
    set(5);
    vi.advanceTimersByTime(5000);
    expect(runs).toBe(2);
    expect(textRows(s, 'SELECT k FROM w')).toEqual(['2']);
  });

  it('the library takes a clock and ticks on request', async () => {
    let now = BASE;
    const db = await Sluice.open({ clock: () => now, tickMs: 0 });
    await db.execute('CREATE TABLE t (k INT, ts TIMESTAMPTZ)');
    await db.execute(
      "CREATE MATERIALIZED VIEW w AS SELECT k FROM t WHERE ts BETWEEN now() AND now() + interval '10 minutes'",
    );
    await db.execute(`INSERT INTO t VALUES (1, ${at(5)}), (2, ${at(15)})`);
    expect((await db.query('SELECT k FROM w')).rows).toEqual([[1]]);
    expect(
      (await db.query('SELECT now() = $1::timestamptz AS same', [`2024-01-01 00:00:00+00`])).rows,
    ).toEqual([[true]]);
    now = BASE + 12n * MINUTE;
    await db.advanceTime();
    expect((await db.query('SELECT k FROM w')).rows).toEqual([[2]]);
    await db.close();
  });
});
