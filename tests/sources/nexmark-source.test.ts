/**
 * The Nexmark source connector: RisingWave's own source DDL (struct columns, a generated
 * `date_time`, a watermark) with its PERSON/AUCTION/BID views and Nexmark queries as
 * materialized views over them. The generator is deterministic, so after the source has read
 * N events each view must equal the same query run as a batch over tables filled with events
 * 0..N in another database — q0, q1, q5 along the way, and every query of the collection (but
 * q12, which needs a processing-time column) at the end. Also: a view created later starts at the source's current offset,
 * a source reads nothing without a consumer, and a Nexmark connector on a table.
 */
import { describe, expect, test } from 'vitest';
import { Database } from '../../runtime/engine.js';
import { NexmarkGenerator } from '../../runtime/sources/nexmark.js';
import {
  HAVE_QUERIES,
  SOURCE_OPTIONS,
  lines,
  manualLoop,
  nexmarkFile,
  nexmarkQuery,
  nexmarkTables,
  offsetOf,
} from './helpers.js';
import { nexmarkQueryNames, SIDE_INPUT, tiesAtCut } from '../support/nexmark.js';

const QUERY_NAMES = ['q0', 'q1', 'q5'];

describe.skipIf(!HAVE_QUERIES)('nexmark source', () => {
  test('the source DDL, its views and q0, q1, q5 equal the queries over the same events in tables', async () => {
    const db = new Database();
    const s = db.connect();
    s.execute(nexmarkFile('ddl_source_nexmark_connector.sql'));
    for (const q of QUERY_NAMES)
      s.execute(`CREATE MATERIALIZED VIEW nexmark_${q} AS ${nexmarkQuery(q)}`);
    // Every column of each view, through views that read the source's structs.
    s.execute('CREATE MATERIALIZED VIEW people AS SELECT * FROM person');
    s.execute('CREATE MATERIALIZED VIEW auctions AS SELECT * FROM auction');
    const { loop, advance } = manualLoop(db, { maxBatchRows: 700 });
    await advance(1);
    expect(offsetOf(loop, 'nexmark')).toBe(0);
    let checked = 0;
    for (let step = 1; step <= 6; step++) {
      expect(await advance(1)).toBeGreaterThan(0);
      const n = offsetOf(loop, 'nexmark');
      expect(n).toBe(700 * step);
      if (step % 3 !== 0) continue;
      const oracle = nexmarkTables(SOURCE_OPTIONS, 0, n);
      for (const q of QUERY_NAMES) {
        const view = lines(s, `SELECT * FROM nexmark_${q}`);
        expect(view, `${q} after ${n} events`).toEqual(lines(oracle, nexmarkQuery(q)));
        expect(view.length).toBeGreaterThan(0);
      }
      expect(lines(s, 'SELECT * FROM people')).toEqual(
        lines(
          oracle,
          'SELECT id, name, email_address, credit_card, city, state, extra, date_time FROM person',
        ),
      );
      expect(lines(s, 'SELECT * FROM auctions')).toEqual(
        lines(
          oracle,
          'SELECT id, item_name, description, initial_bid, reserve, expires, seller, category, extra, date_time FROM auction',
        ),
      );
      checked++;
    }
    expect(checked).toBe(2);
  });

  test('every Nexmark query over the source equals it over tables with the same events', async () => {
    // 7.5 ms between events: 3,000 events span 22 s of event time, so windows close. q12
    // needs a processing-time column on bid, which the source's BID view does not have.
    const gap = '7500000';
    const names = nexmarkQueryNames().filter((q) => q !== 'q12');
    expect(names.length).toBeGreaterThan(25);
    const db = new Database();
    const s = db.connect();
    s.execute(
      nexmarkFile('ddl_source_nexmark_connector.sql').replace(
        "nexmark.min.event.gap.in.ns = '100'",
        `nexmark.min.event.gap.in.ns = '${gap}'`,
      ),
    );
    for (const x of SIDE_INPUT) s.execute(x);
    for (const q of names) s.execute(`CREATE MATERIALIZED VIEW nexmark_${q} AS ${nexmarkQuery(q)}`);
    const { loop, advance } = manualLoop(db, { maxBatchRows: 500 });
    while (offsetOf(loop, 'nexmark') < 3000) await advance(5_000);
    const n = offsetOf(loop, 'nexmark');
    const oracle = nexmarkTables({ ...SOURCE_OPTIONS, 'nexmark.min.event.gap.in.ns': gap }, 0, n);
    for (const x of SIDE_INPUT) oracle.execute(x);
    let compared = 0;
    // The source's views list date_time last, the tables before extra: `SELECT *` queries
    // (q19...) put the same columns in another order, so the oracle's are taken by name.
    const names0 = (x: typeof s, sql: string): string[] =>
      x
        .execute(`SELECT * FROM (${sql}) q LIMIT 0`)
        .pop()!
        .columns!.map((c) => c.name);
    for (const q of names) {
      const view = lines(s, `SELECT * FROM nexmark_${q}`);
      const cols = names0(s, `SELECT * FROM nexmark_${q}`);
      const same = cols.join() === names0(oracle, nexmarkQuery(q)).join();
      const want = lines(
        oracle,
        same
          ? nexmarkQuery(q)
          : `SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM (${nexmarkQuery(q)}) q`,
      );
      const ties = tiesAtCut(q);
      // Where rows tie at a top-N cut any of them may be kept: then only the count must agree.
      if (ties && Number(lines(oracle, ties)[0]) > 0) expect(view.length, q).toBe(want.length);
      else {
        expect(view, `${q} after ${n} events`).toEqual(want);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  test('with event times 5 ms apart, q5 spans many windows and still equals its query', async () => {
    const db = new Database();
    const s = db.connect();
    const options = { 'nexmark.split.num': '2', 'nexmark.min.event.gap.in.ns': '5000000' };
    s.execute(
      nexmarkFile('ddl_source_nexmark_connector.sql').replace(
        "nexmark.min.event.gap.in.ns = '100'",
        "nexmark.min.event.gap.in.ns = '5000000'",
      ),
    );
    s.execute(`CREATE MATERIALIZED VIEW nexmark_q5 AS ${nexmarkQuery('q5')}`);
    const { loop, advance } = manualLoop(db);
    await advance(0);
    // One event per 5 ms of wall time: 200 a second.
    for (let i = 0; i < 20; i++) expect(await advance(1000)).toBe(200);
    expect(offsetOf(loop, 'nexmark')).toBe(4000);
    const oracle = nexmarkTables(options, 0, 4000);
    const windows = lines(
      oracle,
      "SELECT count(DISTINCT window_start) FROM HOP(bid, date_time, INTERVAL '2' SECOND, INTERVAL '10' SECOND)",
    );
    expect(Number(windows[0])).toBeGreaterThan(8);
    const want = lines(oracle, nexmarkQuery('q5'));
    expect(want.length).toBeGreaterThan(8);
    expect(lines(s, 'SELECT * FROM nexmark_q5')).toEqual(want);
  });

  test('a materialized view created later starts at the source offset', async () => {
    const db = new Database();
    const s = db.connect();
    s.execute(nexmarkFile('ddl_source_nexmark_connector.sql'));
    s.execute(`CREATE MATERIALIZED VIEW early AS ${nexmarkQuery('q1')}`);
    const { loop, advance } = manualLoop(db, { maxBatchRows: 500 });
    await advance(1);
    await advance(1);
    await advance(1);
    const k = offsetOf(loop, 'nexmark');
    expect(k).toBe(1000);
    s.execute(`CREATE MATERIALIZED VIEW late AS ${nexmarkQuery('q1')}`);
    expect(lines(s, 'SELECT * FROM late')).toEqual([]);
    await advance(1);
    await advance(1);
    const n = offsetOf(loop, 'nexmark');
    expect(n).toBe(2000);
    expect(lines(s, 'SELECT * FROM late')).toEqual(
      lines(nexmarkTables(SOURCE_OPTIONS, k, n), nexmarkQuery('q1')),
    );
    expect(lines(s, 'SELECT * FROM early')).toEqual(
      lines(nexmarkTables(SOURCE_OPTIONS, 0, n), nexmarkQuery('q1')),
    );
  });

  test('a source reads nothing while no materialized view consumes it', async () => {
    const db = new Database();
    const s = db.connect();
    s.execute(nexmarkFile('ddl_source_nexmark_connector.sql'));
    const { loop, advance } = manualLoop(db);
    for (let i = 0; i < 3; i++) expect(await advance(1000)).toBe(0);
    // A plain view is no consumer, nor is a materialized view over a table.
    s.execute('CREATE TABLE t (x INT)');
    s.execute('CREATE MATERIALIZED VIEW over_t AS SELECT count(*) AS n FROM t');
    expect(await advance(1000)).toBe(0);
    expect(loop.status()).toEqual([
      { relation: 'nexmark', connector: 'nexmark', offset: 0, active: false, done: false },
    ]);
    s.execute('CREATE MATERIALIZED VIEW bids AS SELECT count(*) AS n FROM bid');
    await advance(1);
    expect(await advance(1)).toBe(1024);
    expect(loop.status()[0]).toMatchObject({ active: true, offset: 1024 });
    s.execute('DROP MATERIALIZED VIEW bids');
    expect(await advance(1000)).toBe(0);
    expect(loop.status()[0]).toMatchObject({ active: false, offset: 1024 });
    // Consumed again: it resumes where it stopped.
    s.execute(
      'CREATE MATERIALIZED VIEW ids AS SELECT (person).id FROM nexmark WHERE event_type = 0',
    );
    await advance(1);
    await advance(1);
    expect(offsetOf(loop, 'nexmark')).toBe(2048);
    const people = new NexmarkGenerator(SOURCE_OPTIONS, { offset: 1024 })
      .next(1024)
      .find((b) => b.table === 'person')!.rows;
    expect(lines(s, 'SELECT * FROM ids')).toEqual(people.map((r) => String(r[0])).sort());
  });

  test('subscriptions get one batch per ingested statement', async () => {
    const db = new Database();
    const s = db.connect();
    s.execute(nexmarkFile('ddl_source_nexmark_connector.sql'));
    s.execute(`CREATE MATERIALIZED VIEW nexmark_q0 AS ${nexmarkQuery('q0')}`);
    const batches: number[] = [];
    db.subscribe('nexmark_q0', (changes) => {
      expect(changes.every((c) => c.op === '+')).toBe(true);
      batches.push(changes.length);
    });
    const { advance } = manualLoop(db, { maxBatchRows: 100 });
    await advance(1);
    await advance(1);
    await advance(1);
    expect(batches).toEqual([92, 92]);
  });

  test('a table with the nexmark connector stores one table type', async () => {
    const db = new Database();
    const s = db.connect();
    s.execute(`CREATE TABLE bid (
        auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
        date_time TIMESTAMP, extra VARCHAR
      ) WITH (connector = 'nexmark', nexmark.table.type = 'Bid', nexmark.event.num = '3000',
        nexmark.min.event.gap.in.ns = '0')`);
    // Without a column list, the table type's columns.
    s.execute(`CREATE TABLE person WITH (connector = 'nexmark', nexmark.table.type = 'Person',
        nexmark.event.num = '3000', nexmark.min.event.gap.in.ns = '0')`);
    expect(lines(s, 'SHOW TABLES')).toEqual(['bid', 'person']);
    expect(lines(s, 'DESCRIBE person').map((l) => l.split('|').slice(0, 2).join(' '))).toEqual([
      'city character varying',
      'credit_card character varying',
      'date_time timestamp without time zone',
      'email_address character varying',
      'extra character varying',
      'id bigint',
      'name character varying',
      'state character varying',
    ]);
    s.execute(
      'CREATE MATERIALIZED VIEW spend AS SELECT bidder, sum(price) AS total FROM bid GROUP BY bidder',
    );
    // A connector table reads with no consumer too.
    const { loop, advance } = manualLoop(db);
    for (let i = 0; i < 5; i++) await advance(1);
    expect(loop.status().map((x) => [x.relation, x.offset, x.done])).toEqual([
      ['bid', 3000, true],
      ['person', 3000, true],
    ]);
    const oracle = nexmarkTables({ 'nexmark.min.event.gap.in.ns': '0' }, 0, 3000);
    expect(lines(s, 'SELECT * FROM bid')).toEqual(lines(oracle, 'SELECT * FROM bid'));
    expect(lines(s, 'SELECT * FROM person')).toEqual(lines(oracle, 'SELECT * FROM person'));
    expect(lines(s, 'SELECT count(*) FROM bid')).toEqual(['2760']);
    expect(lines(s, 'SELECT * FROM spend')).toEqual(
      lines(s, 'SELECT bidder, sum(price) AS total FROM bid GROUP BY bidder'),
    );
    // DML goes into a connector table as into any table.
    s.execute("INSERT INTO bid VALUES (1, 2, 3, 'c', 'u', '2020-01-01', '')");
    expect(lines(s, 'SELECT count(*) FROM bid')).toEqual(['2761']);
  });

  test('declared columns are matched by name and converted; others are refused', async () => {
    const db = new Database();
    const s = db.connect();
    s.execute(`CREATE SOURCE n (bid STRUCT<price NUMERIC, auction BIGINT>, event_type INT)
      WITH (connector = 'nexmark', nexmark.event.num = '100')`);
    expect(lines(s, 'DESCRIBE n')).toEqual([
      'bid|struct<price numeric, auction bigint>|false|NULL',
      'event_type|integer|false|NULL',
    ]);
    s.execute(
      'CREATE MATERIALIZED VIEW m AS SELECT (bid).price AS p, event_type FROM n WHERE bid IS NOT NULL',
    );
    const db2 = new Database();
    const s2 = db2.connect();
    expect(() => s2.execute("CREATE SOURCE n (bids BIGINT) WITH (connector = 'nexmark')")).toThrow(
      expect.objectContaining({
        code: '42703',
        message: expect.stringMatching(/column "bids" is not produced by the nexmark connector/),
      }),
    );
    expect(() =>
      s2.execute("CREATE SOURCE n (bid STRUCT<cost BIGINT>) WITH (connector = 'nexmark')"),
    ).toThrow(
      expect.objectContaining({ code: '42703', message: expect.stringMatching(/field "cost"/) }),
    );
    expect(() =>
      s2.execute("CREATE SOURCE n (event_type INTERVAL) WITH (connector = 'nexmark')"),
    ).toThrow(expect.objectContaining({ code: '42804' }));
    expect(db2.catalog.relations.size).toBe(0);
    const { advance } = manualLoop(db);
    await advance(1);
    // 10,000 events a second (the default gap, 100 µs): all 100 in 10 ms.
    expect(await advance(5)).toBe(50);
    await advance(1000);
    const bids = new NexmarkGenerator({}).next(100).find((b) => b.table === 'bid')!.rows;
    expect(lines(s, 'SELECT * FROM m')).toEqual(bids.map((r) => `${String(r[2])}|2`).sort());
  });
});
