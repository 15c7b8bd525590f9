/**
 * The playground engine's data generator in Node: tables created, rows inserted as ordinary
 * writes (views and subscriptions follow), pause stopping inserts, resumption where an earlier
 * run left off, failures reported, and the loop's rate arithmetic under a hand-driven clock.
 * Nothing here asserts on real elapsed time.
 */
import { describe, expect, test } from 'vitest';
import { MemoryObjectStore, Sluice } from '../../runtime/index.js';
import { ClickstreamGenerator } from '../../runtime/sources/clickstream.js';
import { PlaygroundEngine } from '../../playground/src/engine.js';
import { EXAMPLES } from '../../playground/src/examples.js';
import { GeneratorLoop, type LoopClock } from '../../playground/src/generator-loop.js';
import type { GeneratorStatus, Reply, TextChange } from '../../playground/src/protocol.js';

function engineOn(store: MemoryObjectStore): PlaygroundEngine {
  return new PlaygroundEngine({
    open: async () => ({
      db: await Sluice.open({ storage: { store } }),
      info: { storage: 'memory', persistent: true },
    }),
    destroy: async () => undefined,
  });
}

function value<T>(r: Reply<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

async function until(
  what: string,
  cond: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function scalar(e: PlaygroundEngine, sql: string): Promise<string | null> {
  return value(await e.query(sql)).values[0]![0]!;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('playground generator', () => {
  test('clickstream: creates its table, inserts until paused, views follow', async () => {
    const e = engineOn(new MemoryObjectStore());
    value(await e.ready());
    const started = value(await e.startGenerator('clickstream', 20_000));
    expect(started).toMatchObject({ kind: 'clickstream', running: true, tables: ['clicks'] });
    const schema = value(await e.schema());
    expect(schema.relations.find((r) => r.name === 'clicks')?.columns.map((c) => c.name)).toEqual([
      'user_id',
      'page',
      'referrer',
      'event_time',
    ]);
    // A view created while the generator runs, and a subscription to it.
    const r = await e.run(`CREATE MATERIALIZED VIEW page_views AS
      SELECT page, count(*) AS views FROM clicks GROUP BY page`);
    expect(r.error).toBeUndefined();
    const changes: TextChange[] = [];
    value(await e.subscribe('page_views', (c) => changes.push(...c)));
    const before = Number(await scalar(e, 'SELECT count(*) FROM clicks'));
    await until(
      'rows after the view',
      async () => (await e.generatorStatus()).rowsInserted > before + 500,
    );
    const paused = value(await e.pauseGenerator());
    expect(paused.running).toBe(false);
    const n = paused.rowsInserted;
    expect(await scalar(e, 'SELECT count(*) FROM clicks')).toBe(String(n));
    expect(await scalar(e, 'SELECT sum(views) FROM page_views')).toBe(String(n));
    expect(changes.length).toBeGreaterThan(0);
    // Paused means paused: nothing more arrives.
    await sleep(400);
    expect((await e.generatorStatus()).rowsInserted).toBe(n);
    expect(await scalar(e, 'SELECT count(*) FROM clicks')).toBe(String(n));
    expect((await e.generatorStatus()).measuredRowsPerSecond).toBe(0);
    // Resumed, it goes on.
    value(await e.resumeGenerator());
    await until('rows after resuming', async () => (await e.generatorStatus()).rowsInserted > n);
    const last = value(await e.pauseGenerator());
    expect(await scalar(e, 'SELECT count(*) FROM clicks')).toBe(String(last.rowsInserted));
    await e.close();
  });

  test('nexmark: person, auction and bid fill in proportion; a window view follows', async () => {
    const e = engineOn(new MemoryObjectStore());
    value(await e.startGenerator('nexmark', 50_000));
    expect(
      value(await e.schema())
        .relations.map((r) => r.name)
        .sort(),
    ).toEqual(['auction', 'bid', 'person']);
    const r = await e.run(`CREATE MATERIALIZED VIEW bids_10s AS
      SELECT window_start, count(*) AS bids, max(price) AS top
      FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND) GROUP BY window_start`);
    expect(r.error).toBeUndefined();
    const before = (await e.generatorStatus()).rowsInserted;
    await until(
      'a few thousand events',
      async () => (await e.generatorStatus()).rowsInserted > before + 2000,
    );
    const s = value(await e.pauseGenerator());
    const count = async (t: string): Promise<number> =>
      Number(await scalar(e, `SELECT count(*) FROM ${t}`));
    const [people, auctions, bids] = [
      await count('person'),
      await count('auction'),
      await count('bid'),
    ];
    expect(people + auctions + bids).toBe(s.rowsInserted);
    expect(s.offset).toBe(s.rowsInserted);
    // Events come in groups of 50: 1 person, 3 auctions, 46 bids.
    expect(Math.abs(people * 50 - s.offset)).toBeLessThanOrEqual(50);
    expect(Math.abs(auctions * 50 - s.offset * 3)).toBeLessThanOrEqual(150);
    // The view holds every bid: those before it (backfilled) and those after.
    expect(await scalar(e, 'SELECT sum(bids) FROM bids_10s')).toBe(String(bids));
    await e.close();
  });

  test('user statements interleave with generated batches', async () => {
    const e = engineOn(new MemoryObjectStore());
    value(await e.startGenerator('clickstream', 20_000));
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await e.run('SELECT count(*) FROM clicks');
      expect(r.error).toBeUndefined();
      seen.push(Number(r.result!.values[0]![0]));
      await sleep(120);
    }
    value(await e.pauseGenerator());
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen[seen.length - 1]!).toBeGreaterThan(seen[0]!);
    await e.close();
  });

  test('a restart resumes at the rows already stored, with the events that follow', async () => {
    const store = new MemoryObjectStore();
    const first = engineOn(store);
    value(await first.startGenerator('clickstream', 20_000));
    await until('rows', async () => (await first.generatorStatus()).rowsInserted >= 300);
    const a = value(await first.pauseGenerator()).rowsInserted;
    await first.close();
    const second = engineOn(store);
    const resumed = value(await second.startGenerator('clickstream', 20_000));
    expect(resumed.offset).toBe(a);
    await until('more rows', async () => (await second.generatorStatus()).rowsInserted >= 300);
    const total = value(await second.pauseGenerator()).offset;
    // Apart from event times (the wall clock), the stored rows are the first `total` events.
    const expected = new ClickstreamGenerator({}, { seed: 0 })
      .next(total)
      .flatMap((b) => b.rows)
      .map(([u, p, r]) => `${u}|${p}|${r ?? ''}`)
      .sort();
    const stored = value(await second.query('SELECT user_id, page, referrer FROM clicks'));
    const got = stored.values[0]!.map(
      (u, i) => `${u}|${stored.values[1]![i]}|${stored.values[2]![i] ?? ''}`,
    ).sort();
    expect(got).toEqual(expected);
    await second.close();
  });

  test('the generator examples run before the generator and fill as it runs', async () => {
    const examples = [
      [
        'dashboard',
        'clickstream',
        ['dashboard_traffic_10s', 'dashboard_top_pages_1min', 'dashboard_referrers'],
      ],
      ['nexmark-q5', 'nexmark', ['nexmark_q5']],
      ['nexmark-q7', 'nexmark', ['nexmark_q7']],
    ] as const;
    for (const [id, kind, views] of examples) {
      const e = engineOn(new MemoryObjectStore());
      const sql = EXAMPLES.find((x) => x.id === id)!.sql;
      // On an empty database: the tables come from the example, the views are empty.
      const before = await e.run(sql);
      expect(before.error, id).toBeUndefined();
      for (const v of views) expect(await scalar(e, `SELECT count(*) FROM ${v}`), v).toBe('0');
      value(await e.startGenerator(kind, 50_000));
      await until(`rows for ${id}`, async () => (await e.generatorStatus()).rowsInserted > 3000);
      value(await e.pauseGenerator());
      for (const v of views)
        expect(Number(await scalar(e, `SELECT count(*) FROM ${v}`)), v).toBeGreaterThan(0);
      // Run again over the data: same views, rebuilt from it.
      const again = await e.run(sql);
      expect(again.error, id).toBeUndefined();
      expect(again.result?.rowCount, id).toBe(1);
      await e.close();
    }
  });

  test('a failing insert stops the generator and says why', async () => {
    const e = engineOn(new MemoryObjectStore());
    await e.run('CREATE TABLE clicks (user_id INT, note VARCHAR)');
    value(await e.startGenerator('clickstream', 1000));
    await until('the error', async () => (await e.generatorStatus()).error !== undefined);
    const s = await e.generatorStatus();
    expect(s.running).toBe(false);
    expect(s.error?.code).toBe('42703');
    expect(s.error?.message).toMatch(/column "page" of relation "clicks" does not exist/);
    expect(await scalar(e, 'SELECT count(*) FROM clicks')).toBe('0');
    await e.close();
  });

  test('bad rates and resuming nothing are refused', async () => {
    const e = engineOn(new MemoryObjectStore());
    for (const rate of [0, -5, Number.NaN, 1e9]) {
      const r = await e.startGenerator('nexmark', rate);
      expect(r.ok ? 'ok' : r.error.code, String(rate)).toBe('22023');
    }
    const odd = await e.startGenerator('tpch' as 'nexmark', 100);
    expect(odd.ok ? 'ok' : odd.error.message).toMatch(/unknown generator "tpch"/);
    const none = await e.resumeGenerator();
    expect(none.ok ? 'ok' : none.error.code).toBe('55000');
    // Nothing was created by the refused starts.
    expect(value(await e.schema()).relations).toEqual([]);
    await e.close();
  });

  test('reset forgets the generator', async () => {
    const e = engineOn(new MemoryObjectStore());
    value(await e.startGenerator('clickstream', 5000));
    value(await e.reset());
    const s = await e.generatorStatus();
    expect(s).toMatchObject({ kind: null, running: false, rowsInserted: 0 });
    await e.close();
  });
});

/** A clock the test moves by hand; timers fire only when it says so. */
class ManualClock implements LoopClock {
  t = 0;
  wall = 1_800_000_000_000;
  private timers: { at: number; fn: () => void }[] = [];
  now = (): number => this.t;
  wallClock = (): number => this.wall;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const timer = { at: this.t + ms, fn };
    this.timers.push(timer);
    return timer;
  };
  clearTimeout = (h: unknown): void => {
    this.timers = this.timers.filter((x) => x !== h);
  };
  /** Advances time by `ms`, firing due timers in order and letting their promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await new Promise((r) => setTimeout(r, 0));
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      this.wall += 1;
      due.fn();
      await new Promise((r) => setTimeout(r, 0));
    }
    this.t = end;
  }
}

describe('generator loop under a hand-driven clock', () => {
  async function loopOn(): Promise<{ loop: GeneratorLoop; clock: ManualClock; db: Sluice }> {
    const db = await Sluice.open({ storage: 'memory' });
    let tail: Promise<unknown> = Promise.resolve();
    const clock = new ManualClock();
    const loop = new GeneratorLoop(
      {
        serial: <T>(fn: (d: Sluice) => Promise<T>): Promise<T> => {
          const run = tail.then(() => fn(db));
          tail = run.catch(() => undefined);
          return run;
        },
        error: (e) => ({ code: 'XX000', message: String(e) }),
      },
      clock,
    );
    return { loop, clock, db };
  }

  test('inserts rate × elapsed rows, follows rate changes, stops when paused', async () => {
    const { loop, clock, db } = await loopOn();
    await loop.start('clickstream', 1000);
    await clock.advance(2000);
    const rows = async (): Promise<number> =>
      Number((await db.query('SELECT count(*) FROM clicks')).rows[0]![0]);
    expect(loop.status().rowsInserted).toBe(2000);
    expect(await rows()).toBe(2000);
    expect(loop.status().measuredRowsPerSecond).toBe(1000);
    loop.setRate(250);
    await clock.advance(4000);
    expect(loop.status().rowsInserted).toBe(3000);
    const s: GeneratorStatus = await loop.pause();
    expect(s.rowsInserted).toBe(3000);
    await clock.advance(5000);
    expect(await rows()).toBe(3000);
    loop.resume();
    await clock.advance(1000);
    expect(await rows()).toBe(3250);
    // Event times are spread over each tick and never go back.
    const times = (await db.query('SELECT event_time FROM clicks')).rows.map((r) => r[0] as bigint);
    for (let i = 1; i < times.length; i++) expect(times[i]! >= times[i - 1]!).toBe(true);
  });
});
