/**
 * Connector offsets are durable: after a crash (or a clean close) a database on folder storage
 * resumes each source and connector table at exactly the offset of its last durable epoch, so
 * its views hold every event once — compared with a run that never restarted, fed the same
 * events. Batches not yet durable at the crash are read again; nothing is read twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { Database, type Session } from '../../runtime/engine.js';
import { Sluice } from '../../runtime/index.js';
import type { ObjectStore } from '../../runtime/storage/object-store.js';
import { FolderObjectStore } from '../../server/storage/folder-store.js';
import { open } from '../durability/harness.js';
import { lines, manualLoop, offsetOf } from './helpers.js';

const SCHEMA = [
  `CREATE SOURCE nx (
     event_type BIGINT,
     person STRUCT<id BIGINT, name VARCHAR, date_time TIMESTAMP>,
     bid STRUCT<auction BIGINT, bidder BIGINT, price BIGINT, date_time TIMESTAMP>,
     date_time TIMESTAMP AS CASE WHEN event_type = 0 THEN (person).date_time ELSE (bid).date_time END,
     WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND
   ) WITH (connector = 'nexmark', nexmark.min.event.gap.in.ns = '1000000', nexmark.max.chunk.size = '300')`,
  `CREATE VIEW bid AS SELECT (bid).auction, (bid).bidder, (bid).price, date_time FROM nx WHERE event_type = 2`,
  `CREATE MATERIALIZED VIEW q1 AS SELECT auction, bidder, 0.908 * price AS price, date_time FROM bid`,
  `CREATE MATERIALIZED VIEW per_auction AS SELECT auction, count(*) AS n, max(price) AS top FROM bid GROUP BY auction`,
  `CREATE MATERIALIZED VIEW names AS SELECT (person).id, (person).name FROM nx WHERE event_type = 0`,
  `CREATE TABLE seq (a BIGINT PRIMARY KEY, r INT) WITH (connector = 'datagen',
     fields.a.kind = 'sequence', fields.a.start = '1', fields.a.end = '2500',
     fields.r.min = '0', fields.r.max = '9', datagen.rows.per.second = '250')`,
  `CREATE MATERIALIZED VIEW seq_stats AS SELECT r, count(*) AS n, sum(a) AS s FROM seq GROUP BY r`,
];

/** What the views and the connector table hold, as text. */
function snapshot(session: Session): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of ['q1', 'per_auction', 'names', 'seq', 'seq_stats'])
    out[name] = lines(session, `SELECT * FROM ${name}`);
  return out;
}

/** The same schema fed `nx` events and `seq` rows without a restart: the expected state. */
function reference(nx: number, seq: number): Record<string, string[]> {
  const db = new Database();
  const s = db.connect();
  for (const sql of SCHEMA) s.execute(sql);
  for (const [name, n] of [
    ['nx', nx],
    ['seq', seq],
  ] as const) {
    const id = db.catalog.get(name)!.id;
    const c = db.connectors.get(id)!;
    while (c.offset < n) s.ingestConnector(id, Math.min(333, n - c.offset));
  }
  return snapshot(s);
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function folder(): Promise<FolderObjectStore> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-sources-'));
  dirs.push(dir);
  return FolderObjectStore.open(dir);
}

/** A store whose writes can be made to hang (a process about to crash mid-write). */
function stallable(inner: ObjectStore): ObjectStore & { stall(): void } {
  let stalled = false;
  return {
    description: inner.description,
    put: (n, d) => (stalled ? new Promise<void>(() => {}) : inner.put(n, d)),
    get: (n) => inner.get(n),
    list: (p) => inner.list(p),
    delete: (n) => inner.delete(n),
    stall: () => (stalled = true),
  };
}

describe('connector offsets across restarts', () => {
  for (const checkpointBytes of [1 << 30, 20_000])
    test(`a crash resumes every connector at its durable offset (${checkpointBytes > 1e6 ? 'log only' : 'with checkpoints'})`, async () => {
      const shared = await folder();
      const a = await open(shared, { checkpointBytes });
      for (const sql of SCHEMA) await a.run(sql);
      const first = manualLoop(a.db, { written: () => a.durability.waitDurable() });
      await first.advance(0);
      for (let i = 0; i < 7; i++) await first.advance(500);
      const nx = offsetOf(first.loop, 'nx');
      const seq = offsetOf(first.loop, 'seq');
      expect(nx).toBe(2100);
      expect(seq).toBe(875);
      const before = snapshot(a.session);
      if (checkpointBytes < 1e6) expect(a.durability.stats.checkpoints).toBeGreaterThan(0);

      const b = await open(shared, { checkpointBytes });
      if (checkpointBytes < 1e6) expect(b.recovery.checkpointEpoch).toBeGreaterThan(0);
      else expect(b.recovery.checkpointEpoch).toBe(0);
      const second = manualLoop(b.db, { written: () => b.durability.waitDurable() });
      expect(second.loop.status().map((x) => [x.relation, x.offset])).toEqual([
        ['nx', nx],
        ['seq', seq],
      ]);
      expect(snapshot(b.session)).toEqual(before);
      await second.advance(0);
      for (let i = 0; i < 14; i++) await second.advance(500);
      const end = [offsetOf(second.loop, 'nx'), offsetOf(second.loop, 'seq')];
      expect(end).toEqual([nx + 4200, 2500]);
      expect(snapshot(b.session)).toEqual(reference(end[0]!, end[1]!));
      expect(
        lines(b.session, 'SELECT count(*), count(DISTINCT a), min(a), max(a) FROM seq'),
      ).toEqual(['2500|2500|1|2500']);
      await b.durability.close();
    });

  test('batches not yet durable at a crash are read again, once', async () => {
    const shared = await folder();
    const front = stallable(shared);
    const a = await open(front);
    for (const sql of SCHEMA) await a.run(sql);
    const first = manualLoop(a.db, { written: () => a.durability.waitDurable() });
    await first.advance(0);
    for (let i = 0; i < 4; i++) await first.advance(500);
    const durable = [offsetOf(first.loop, 'nx'), offsetOf(first.loop, 'seq')];
    const before = snapshot(a.session);
    // Storage stops answering: more batches are read and applied, but never become durable.
    front.stall();
    const lost = manualLoop(a.db);
    await lost.advance(0);
    for (let i = 0; i < 3; i++) await lost.advance(500);
    expect(offsetOf(lost.loop, 'nx')).toBeGreaterThan(durable[0]!);
    expect(offsetOf(lost.loop, 'seq')).toBeGreaterThan(durable[1]!);

    const b = await open(shared);
    const second = manualLoop(b.db, { written: () => b.durability.waitDurable() });
    expect([offsetOf(second.loop, 'nx'), offsetOf(second.loop, 'seq')]).toEqual(durable);
    expect(snapshot(b.session)).toEqual(before);
    await second.advance(0);
    for (let i = 0; i < 12; i++) await second.advance(500);
    const end = [offsetOf(second.loop, 'nx'), offsetOf(second.loop, 'seq')];
    expect(snapshot(b.session)).toEqual(reference(end[0]!, end[1]!));
    await b.durability.close();
  });

  test('the library on a folder: a clean close and reopen continues the streams', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-sources-lib-'));
    dirs.push(dir);
    const a = await Sluice.open({ storage: { dir } });
    await a.execute(`CREATE TABLE seq (a BIGINT) WITH (connector = 'datagen',
      fields.a.kind = 'sequence', fields.a.start = '1', datagen.rows.per.second = '400')`);
    await a.execute(`CREATE SOURCE nx (event_type BIGINT) WITH (connector = 'nexmark',
      nexmark.min.event.gap.in.ns = '2500000')`);
    await a.execute(
      'CREATE MATERIALIZED VIEW kinds AS SELECT event_type, count(*) AS n FROM nx GROUP BY event_type',
    );
    const count = async (db: Sluice, sql: string): Promise<number> =>
      Number((await db.query(sql)).rows[0]![0]);
    const until = async (db: Sluice, sql: string, n: number): Promise<void> => {
      for (let i = 0; i < 400 && (await count(db, sql)) < n; i++)
        await new Promise((r) => setTimeout(r, 10));
    };
    await until(a, 'SELECT count(*) FROM seq', 100);
    await until(a, 'SELECT coalesce(sum(n), 0) FROM kinds', 100);
    await a.close();
    const offsets = a.sources().map((x) => [x.relation, x.offset]);
    const b = await Sluice.open({ storage: { dir } });
    expect(b.sources().map((x) => [x.relation, x.offset])).toEqual(offsets);
    const had = await count(b, 'SELECT count(*) FROM seq');
    expect(had).toBe(offsets[0]![1]);
    await until(b, 'SELECT count(*) FROM seq', had + 100);
    await until(b, 'SELECT coalesce(sum(n), 0) FROM kinds', Number(offsets[1]![1]) + 100);
    await b.close();
    const seq = (await b.query('SELECT count(*), count(DISTINCT a), min(a), max(a) FROM seq'))
      .rows[0]!;
    expect(seq[0]).toBe(seq[1]);
    expect(seq[2]).toBe(1n);
    expect(seq[3]).toBe(seq[0]);
    expect(Number(seq[0])).toBeGreaterThanOrEqual(had + 100);
    const events = Number((await b.query('SELECT sum(n) FROM kinds')).rows[0]![0]);
    expect(events).toBe(b.sources()[1]!.offset);
  });
});
