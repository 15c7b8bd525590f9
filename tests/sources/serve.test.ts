/**
 * Sources in `sluice serve`: the server's own loop feeds them while clients' statements go on
 * (a query waits for one batch at most), and after `kill -9` and a restart on the same data
 * folder every stream continues with no event missing or repeated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { startServe, type ServerProcess } from '../server/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-serve-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function client(server: ServerProcess): Promise<pg.Client> {
  const c = new pg.Client({
    host: '127.0.0.1',
    port: server.pgPort,
    user: 'root',
    database: 'dev',
  });
  await c.connect();
  return c;
}

async function value(c: pg.Client, sql: string): Promise<number> {
  return Number((await c.query(sql)).rows[0]!.v);
}

async function until(c: pg.Client, sql: string, n: number): Promise<number> {
  let v = 0;
  for (let i = 0; i < 600 && (v = await value(c, sql)) < n; i++)
    await new Promise((r) => setTimeout(r, 20));
  return v;
}

/** Person ids count up by one per person event: a gap or a repeat shows in these. */
const IDS = 'SELECT count(*) AS n, count(DISTINCT id) AS d, min(id) AS lo, max(id) AS hi FROM ids';
const SEQ = 'SELECT count(*) AS n, count(DISTINCT a) AS d, min(a) AS lo, max(a) AS hi FROM seq';

function contiguous(r: { n: string; d: string; lo: string; hi: string }, first: number): number {
  const n = Number(r.n);
  expect(Number(r.d)).toBe(n);
  expect(Number(r.lo)).toBe(first);
  expect(Number(r.hi)).toBe(first + n - 1);
  return n;
}

describe('sources in sluice serve', () => {
  test(
    'ingestion leaves clients responsive, and survives kill -9',
    { timeout: 120_000 },
    async () => {
      let server = await startServe(['--data-dir', dir]);
      let c = await client(server);
      // As fast as batches go, into two views: the loop is busy all the time.
      await c.query(`CREATE SOURCE nx (event_type BIGINT, person STRUCT<id BIGINT>, bid STRUCT<price BIGINT>)
      WITH (connector = 'nexmark', nexmark.min.event.gap.in.ns = '0')`);
      await c.query(
        'CREATE MATERIALIZED VIEW ids AS SELECT (person).id FROM nx WHERE event_type = 0',
      );
      await c.query(
        'CREATE MATERIALIZED VIEW prices AS SELECT count(*) AS n, sum((bid).price) AS s FROM nx WHERE event_type = 2',
      );
      await c.query(`CREATE TABLE seq (a BIGINT) WITH (connector = 'datagen',
      fields.a.kind = 'sequence', fields.a.start = '1', datagen.rows.per.second = '500')`);
      await until(c, 'SELECT count(*) AS v FROM ids', 50);
      let slowest = 0;
      const before = await value(c, 'SELECT count(*) AS v FROM ids');
      for (let i = 0; i < 40; i++) {
        const t = performance.now();
        expect((await c.query('SELECT 1 AS v')).rows).toEqual([{ v: 1 }]);
        slowest = Math.max(slowest, performance.now() - t);
      }
      expect(await value(c, 'SELECT count(*) AS v FROM ids')).toBeGreaterThan(before);
      // One batch (1,024 events through two views) at most, with room for a busy machine.
      expect(slowest).toBeLessThan(1500);
      await until(c, 'SELECT count(*) AS v FROM seq', 100);
      const people = contiguous((await c.query(IDS)).rows[0], 1000);
      const rows = contiguous((await c.query(SEQ)).rows[0], 1);
      await c.end().catch(() => undefined);
      await server.stop('SIGKILL');

      server = await startServe(['--data-dir', dir]);
      c = await client(server);
      // Whatever was durable is there, and the streams go on from it.
      const after = contiguous((await c.query(IDS)).rows[0], 1000);
      expect(after).toBeGreaterThan(0);
      expect(people).toBeGreaterThan(0);
      await until(c, 'SELECT count(*) AS v FROM ids', after + 100);
      await until(c, 'SELECT count(*) AS v FROM seq', rows + 100);
      contiguous((await c.query(IDS)).rows[0], 1000);
      contiguous((await c.query(SEQ)).rows[0], 1);
      await c.end();
      expect(await server.stop('SIGTERM')).toBe(0);
    },
  );
});
