/**
 * The oracle extended to event time: random out-of-order event streams into a table with a
 * watermark. After every statement:
 * - the table holds exactly the rows that were not late (below the watermark when inserted);
 * - each EMIT ON WINDOW CLOSE view holds exactly its query, run as a batch query, over the
 *   windows the watermark closed, and its subscribers saw each of those rows once, as an
 *   insert, and nothing else;
 * - each view without EOWC equals its query over the whole table, while its aggregation keeps
 *   state only for the windows still open (state stays bounded on an unbounded stream).
 * Seeds are fixed so CI runs are reproducible.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Database, type Session } from '../../runtime/engine.js';
import { MemoryObjectStore } from '../../runtime/storage/object-store.js';
import { HashAggExecutor } from '../../runtime/stream/executors/hash-agg.js';
import { HashJoinExecutor } from '../../runtime/stream/executors/hash-join.js';
import { OverWindowExecutor } from '../../runtime/stream/executors/over-window.js';
import type { Change } from '../../runtime/stream/subscription.js';
import { formatValue } from '../../runtime/types/format.js';
import type { Row } from '../../runtime/types/value.js';
import { textRows } from './oracle.js';
import { open } from '../durability/harness.js';

const BASE = Date.UTC(2024, 0, 1) / 1000;
const TUMBLE = 20;
const HOP_SLIDE = 10;
const HOP_SIZE = 30;

interface Event {
  t: number;
  k: number;
  v: number;
}

/** Seconds since BASE as a SQL timestamp literal. */
function ts(t: number): string {
  return `TIMESTAMP '${new Date((BASE + t) * 1000).toISOString().replace('T', ' ').replace('Z', '')}'`;
}

const floorTo = (x: number, step: number): number => Math.floor(x / step) * step;

/** Each view's query, and how far the watermark W (seconds) has closed its window column. */
const INTERVAL_JOIN =
  "SELECT a.ts AS ats, a.k, b.ts AS bts, b.v FROM ev a JOIN ev b ON a.k = b.k AND a.ts BETWEEN b.ts - INTERVAL '10 seconds' AND b.ts";
const WINDOW_JOIN = `SELECT a.window_start, a.k, a.n, m.mx FROM (SELECT window_start, k, count(*) AS n FROM TUMBLE(ev, ts, INTERVAL '${TUMBLE} seconds') GROUP BY window_start, k) a JOIN (SELECT window_start, max(v) AS mx FROM TUMBLE(ev, ts, INTERVAL '${TUMBLE} seconds') GROUP BY window_start) m ON a.window_start = m.window_start`;

const VIEWS: {
  name: string;
  query: string;
  eowc: boolean;
  /** The column whose watermark closes rows (EOWC), and how far W (seconds) closed it. */
  column?: string;
  closedBelow: (w: number) => number;
}[] = [
  {
    name: 'tumble_agg',
    query: `SELECT window_start, k, count(*) AS n, sum(v) AS s, max(v) AS m FROM TUMBLE(ev, ts, INTERVAL '${TUMBLE} seconds') GROUP BY window_start, k`,
    eowc: true,
    closedBelow: (w) => floorTo(w, TUMBLE),
  },
  {
    name: 'hop_agg',
    query: `SELECT window_start, window_end, sum(v) AS s FROM HOP(ev, ts, INTERVAL '${HOP_SLIDE} seconds', INTERVAL '${HOP_SIZE} seconds') GROUP BY window_start, window_end`,
    eowc: true,
    closedBelow: (w) => floorTo(w - HOP_SIZE, HOP_SLIDE) + HOP_SLIDE,
  },
  {
    name: 'late_select',
    query: 'SELECT ts, k, v FROM ev WHERE v > 0',
    eowc: true,
    closedBelow: (w) => w,
  },
  {
    name: 'window_top1',
    query: `SELECT window_start, k, v FROM (SELECT *, row_number() OVER (PARTITION BY window_start ORDER BY v DESC, k, ts) AS rn FROM TUMBLE(ev, ts, INTERVAL '${TUMBLE} seconds')) t WHERE rn <= 1`,
    eowc: true,
    closedBelow: (w) => floorTo(w, TUMBLE),
  },
  {
    name: 'window_rank',
    query: `SELECT window_start, k, v, ts, rank() OVER (PARTITION BY window_start ORDER BY v) AS r, sum(v) OVER (PARTITION BY window_start ORDER BY ts, k, v ROWS UNBOUNDED PRECEDING) AS running FROM TUMBLE(ev, ts, INTERVAL '${TUMBLE} seconds')`,
    eowc: true,
    closedBelow: (w) => floorTo(w, TUMBLE),
  },
  {
    name: 'window_rank_open',
    query: `SELECT window_start, k, v, ts, rank() OVER (PARTITION BY window_start ORDER BY v) AS r FROM TUMBLE(ev, ts, INTERVAL '${TUMBLE} seconds')`,
    eowc: false,
    closedBelow: (w) => floorTo(w, TUMBLE),
  },
  {
    name: 'interval_join_eowc',
    query: INTERVAL_JOIN,
    eowc: true,
    column: 'ats',
    // Later output has ats >= min(W, W - 10): a later right row matches left rows 10 s back.
    closedBelow: (w) => w - 10,
  },
  {
    name: 'interval_join',
    query: INTERVAL_JOIN,
    eowc: false,
    closedBelow: (w) => w,
  },
  {
    name: 'window_join_eowc',
    query: WINDOW_JOIN,
    eowc: true,
    closedBelow: (w) => floorTo(w, TUMBLE),
  },
  {
    name: 'window_join',
    query: WINDOW_JOIN,
    eowc: false,
    closedBelow: (w) => floorTo(w, TUMBLE),
  },
  {
    name: 'open_agg',
    query: `SELECT window_start, k, count(*) AS n, sum(v) AS s FROM TUMBLE(ev, ts, INTERVAL '${TUMBLE} seconds') GROUP BY window_start, k`,
    eowc: false,
    closedBelow: (w) => floorTo(w, TUMBLE),
  },
];

/** The window column each EOWC view closes on (its first output column). */
const windowColumn = (v: (typeof VIEWS)[number]): string =>
  v.column ?? (v.name === 'late_select' ? 'ts' : 'window_start');

function rowText(session: Session, name: string, rows: Row[]): string[] {
  const cols = session.execute(`SELECT * FROM ${name} LIMIT 0`)[0]!.columns!;
  return rows
    .map((r) =>
      r
        .map((v, i) => (v === null ? '∅' : formatValue(v, cols[i]!.type, { timeZone: 'UTC' })))
        .join(' | '),
    )
    .sort();
}

const eventArb = fc.record({
  // How far event time moves on before this event, and how late the event is behind it.
  step: fc.integer({ min: 0, max: 6 }),
  lag: fc.integer({ min: 0, max: 45 }),
  k: fc.integer({ min: 0, max: 2 }),
  v: fc.integer({ min: -3, max: 9 }),
});

const caseArb = fc.record({
  delay: fc.constantFrom(0, 5, 15),
  batches: fc.array(fc.array(eventArb, { minLength: 1, maxLength: 6 }), {
    minLength: 1,
    maxLength: 14,
  }),
  /** Batches inserted before the views exist (their backfill then closes windows). */
  before: fc.integer({ min: 0, max: 3 }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function toEvents(c: Case): Event[][] {
  let now = 0;
  return c.batches.map((b) =>
    b.map((e) => {
      now += e.step;
      return { t: now - e.lag, k: e.k, v: e.v };
    }),
  );
}

function runCase(c: Case): void {
  const db = new Database();
  const session = db.connect();
  session.execute(
    `CREATE TABLE ev (ts TIMESTAMP, k INT, v INT, WATERMARK FOR ts AS ts - INTERVAL '${c.delay} seconds') APPEND ONLY`,
  );
  const emitted = new Map<string, Change[]>();
  let stored = 0;
  let w: number | null = null;
  const check = (after: string): void => {
    const where = `after ${after} (watermark ${w === null ? 'none' : ts(w)})`;
    expect(textRows(session, 'SELECT count(*) FROM ev'), `stored rows ${where}`).toEqual([
      String(stored),
    ]);
    for (const v of VIEWS) {
      if (!emitted.has(v.name)) continue;
      const got = textRows(session, `SELECT * FROM ${v.name}`);
      const want = !v.eowc
        ? textRows(session, v.query)
        : w === null
          ? []
          : textRows(
              session,
              `SELECT * FROM (${v.query}) q WHERE ${windowColumn(v)} < ${ts(v.closedBelow(w))}`,
            );
      expect(got, `${v.name} ${where}`).toEqual(want);
      if (v.eowc) {
        const changes = emitted.get(v.name)!;
        expect(
          changes.filter((x) => x.op !== '+'),
          `${v.name} emits inserts only`,
        ).toEqual([]);
        expect(
          rowText(
            session,
            v.name,
            changes.map((x) => x.row),
          ),
          `${v.name}: each closed row emitted once ${where}`,
        ).toEqual(got);
      } else if (w !== null && v.name === 'interval_join') {
        // Left rows live while a later right row (ts >= W) can match: a.ts >= W - 10; right
        // rows while a later left row can: b.ts >= W.
        const flow = db.graph.views.get(db.catalog.get(v.name)!.id)!;
        const join = flow.nodes.find((n) => n.exec instanceof HashJoinExecutor)!
          .exec as HashJoinExecutor;
        const count = (bound: number): number =>
          Number(textRows(session, `SELECT count(*) FROM ev WHERE ts >= ${ts(bound)}`)[0]);
        expect(
          join.keyTableSizes.map(([live]) => live),
          `${v.name} rows held ${where}`,
        ).toEqual([count(w - 10), count(w)]);
      } else if (w !== null && v.name === 'window_rank_open') {
        const flow = db.graph.views.get(db.catalog.get(v.name)!.id)!;
        const over = flow.nodes.find((n) => n.exec instanceof OverWindowExecutor)!
          .exec as OverWindowExecutor;
        const open = textRows(
          session,
          `SELECT count(DISTINCT window_start) FROM TUMBLE(ev, ts, INTERVAL '${TUMBLE} seconds') WHERE window_start >= ${ts(v.closedBelow(w))}`,
        );
        expect(String(over.partitionCount), `${v.name} partitions held ${where}`).toBe(open[0]);
      } else if (w !== null && v.name === 'open_agg') {
        // State only for open windows: the groups at or after the first open window start.
        const flow = db.graph.views.get(db.catalog.get(v.name)!.id)!;
        const agg = flow.nodes.find((n) => n.exec instanceof HashAggExecutor)!
          .exec as HashAggExecutor;
        const open = textRows(
          session,
          `SELECT count(*) FROM (SELECT DISTINCT window_start, k FROM TUMBLE(ev, ts, INTERVAL '${TUMBLE} seconds') WHERE window_start >= ${ts(v.closedBelow(w))}) q`,
        );
        expect(String(agg.groupCount), `${v.name} groups held ${where}`).toBe(open[0]);
      }
    }
  };
  const createViews = (): void => {
    for (const v of VIEWS) {
      session.execute(
        `CREATE MATERIALIZED VIEW ${v.name} AS ${v.query}${v.eowc ? ' EMIT ON WINDOW CLOSE' : ''}`,
      );
      const log: Change[] = [];
      // The backfill's output is in the view before a subscription can start.
      const r = session.execute(`SELECT * FROM ${v.name}`)[0]!;
      for (const row of r.rows!) log.push({ op: '+', row });
      db.subscribe(v.name, (changes) => log.push(...changes));
      emitted.set(v.name, log);
    }
  };
  const events = toEvents(c);
  events.forEach((batch, i) => {
    if (i === c.before) createViews();
    const kept = batch.filter((e) => w === null || e.t >= w);
    stored += kept.length;
    for (const e of kept) if (w === null || e.t - c.delay > w) w = e.t - c.delay;
    session.execute(
      `INSERT INTO ev VALUES ${batch.map((e) => `(${ts(e.t)}, ${e.k}, ${e.v})`).join(', ')}`,
    );
    check(`batch ${i}`);
  });
  if (c.before >= events.length) {
    createViews();
    check('creating the views');
  }
}

describe('event time: watermarks and emit on window close (oracle)', () => {
  for (const seed of [20261207, 11, 5150]) {
    it(`seed ${seed}`, () => {
      fc.assert(
        fc.property(caseArb, (c) => runCase(c)),
        { seed, numRuns: 60 },
      );
    });
  }

  it('a watermark expression of another type than its column is refused', () => {
    const s = new Database().connect();
    expect(() =>
      s.execute(
        "CREATE TABLE t (v INT, WATERMARK FOR v AS to_timestamp(v) - INTERVAL '5' SECOND) APPEND ONLY",
      ),
    ).toThrow(/watermark expression of column "v" returns timestamp with time zone/);
    expect(() =>
      s.execute("CREATE TABLE t (ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)"),
    ).toThrow(/APPEND ONLY/);
  });

  it('EOWC needs a watermark on an output column', () => {
    const s = new Database().connect();
    s.execute(
      "CREATE TABLE t (ts TIMESTAMP, v INT, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) APPEND ONLY",
    );
    expect(() =>
      s.execute(
        'CREATE MATERIALIZED VIEW m AS SELECT v, count(*) FROM t GROUP BY v EMIT ON WINDOW CLOSE',
      ),
    ).toThrow(/EMIT ON WINDOW CLOSE needs an output column with a watermark/);
  });

  it('recovery keeps the watermark, the pending windows and the dropped late rows', async () => {
    const store = new MemoryObjectStore();
    const schema = [
      "CREATE TABLE ev (ts TIMESTAMP, k INT, v INT, WATERMARK FOR ts AS ts - INTERVAL '5 seconds') APPEND ONLY",
      `CREATE MATERIALIZED VIEW w AS ${VIEWS[0]!.query} EMIT ON WINDOW CLOSE`,
    ];
    const a = await open(store);
    for (const s of schema) await a.run(s);
    await a.run(`INSERT INTO ev VALUES (${ts(1)}, 1, 1), (${ts(15)}, 1, 2), (${ts(30)}, 2, 3)`);
    // Watermark 25 s: the first window [0, 20) closed, [20, 40) pending.
    expect(textRows(a.session, 'SELECT n, s FROM w')).toEqual(['2 | 3']);
    await a.durability.checkpoint();
    await a.run(`INSERT INTO ev VALUES (${ts(33)}, 2, 4)`);
    const b = await open(store);
    // A row below the recovered watermark (28 s) is late; one above it is kept.
    await b.run(`INSERT INTO ev VALUES (${ts(10)}, 1, 100), (${ts(29)}, 2, 5)`);
    expect(textRows(b.session, 'SELECT count(*) FROM ev')).toEqual(['5']);
    await b.run(`INSERT INTO ev VALUES (${ts(70)}, 0, 0)`);
    expect(textRows(b.session, 'SELECT k, n, s FROM w')).toEqual(['1 | 2 | 3', '2 | 3 | 12']);
  });
});
