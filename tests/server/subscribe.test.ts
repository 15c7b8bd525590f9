/**
 * `GET /api/subscribe` (Server-Sent Events of a materialized view's committed changes) and the
 * per-view metrics of `GET /metrics`, with real HTTP and pg clients against `sluice serve`.
 */
import { request } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ServerProcess, startServe } from './helpers.js';

let server: ServerProcess;
let client: pg.Client;

beforeAll(async () => {
  server = await startServe();
  client = new pg.Client({ host: '127.0.0.1', port: server.pgPort, user: 'root', database: 'dev' });
  await client.connect();
  await client.query('create table sales (region text, amount int, at timestamptz)');
  await client.query('create table other (x int)');
  await client.query(
    'create materialized view by_region as select region, sum(amount) as total, count(*) as n from sales group by region',
  );
}, 60_000);

afterAll(async () => {
  await client?.end();
  // An event stream still open does not keep the server from stopping.
  const open = await openStream('/api/subscribe?name=by_region');
  expect(await server?.stop()).toBe(0);
  expect(await open.next(1000)).toMatchObject({ event: 'columns' });
  expect(await open.next(1000)).toBeUndefined();
});

interface SseEvent {
  event: string;
  data: string;
}

/** An open event stream: parsed events as they arrive, and a way to hang up. */
function openStream(path: string): Promise<{
  status: number;
  body: string;
  next(timeoutMs?: number): Promise<SseEvent | undefined>;
  close(): void;
}> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.httpPort, path }, (res) => {
      let buf = '';
      const events: SseEvent[] = [];
      const waiters: (() => void)[] = [];
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev: SseEvent = { event: 'message', data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) ev.event = line.slice(7);
            else if (line.startsWith('data: ')) ev.data += line.slice(6);
          }
          events.push(ev);
        }
        for (const w of waiters.splice(0)) w();
      });
      const done = new Promise<void>((r) => res.on('end', r));
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        void done.then(() =>
          resolve({ status, body: buf, next: async () => undefined, close() {} }),
        );
        return;
      }
      resolve({
        status,
        body: '',
        async next(timeoutMs = 5000) {
          if (events.length === 0)
            await new Promise<void>((r) => {
              const t = setTimeout(r, timeoutMs);
              waiters.push(() => {
                clearTimeout(t);
                r();
              });
            });
          return events.shift();
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function metrics(): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${server.httpPort}/metrics`);
  return r.text();
}

const changes = (e: SseEvent | undefined): unknown => (e ? JSON.parse(e.data) : undefined);

describe('GET /api/subscribe', () => {
  test('streams one event per committed change batch, values as PostgreSQL text', async () => {
    const s = await openStream('/api/subscribe?name=by_region');
    expect(s.status).toBe(200);
    const cols = await s.next();
    expect(cols?.event).toBe('columns');
    expect(JSON.parse(cols!.data)).toEqual([
      { name: 'region', type: 'text' },
      { name: 'total', type: 'bigint' },
      { name: 'n', type: 'bigint' },
    ]);

    await client.query("insert into sales values ('eu', 10, now()), ('us', 5, now())");
    const first = changes(await s.next()) as { op: string; row: unknown[] }[];
    expect(first.sort((a, b) => String(a.row[0]).localeCompare(String(b.row[0])))).toEqual([
      { op: '+', row: ['eu', '10', '1'] },
      { op: '+', row: ['us', '5', '1'] },
    ]);

    // A statement that does not touch the view sends nothing.
    await client.query('insert into other values (1)');
    await client.query("insert into sales values ('eu', 7, now())");
    expect(changes(await s.next())).toEqual([
      { op: 'U-', row: ['eu', '10', '1'] },
      { op: 'U+', row: ['eu', '17', '2'] },
    ]);

    await client.query("delete from sales where region = 'us'");
    expect(changes(await s.next())).toEqual([{ op: '-', row: ['us', '5', '1'] }]);

    await client.query('insert into sales values (null, null, null)');
    expect(changes(await s.next())).toEqual([{ op: '+', row: [null, null, '1'] }]);
    s.close();
  });

  test('an unknown view is a 404 with a JSON error; a missing name a 400', async () => {
    const r = await openStream('/api/subscribe?name=nosuch');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toEqual({
      error: { code: '42P01', message: 'materialized view "nosuch" does not exist' },
    });
    const t = await openStream('/api/subscribe?name=sales');
    expect(t.status).toBe(404);
    const u = await openStream('/api/subscribe');
    expect(u.status).toBe(400);
  });

  test('a client that disconnects is unsubscribed', async () => {
    const active = async (): Promise<number> =>
      Number(/^sluice_subscriptions_active (\d+)$/m.exec(await metrics())![1]);
    const before = await active();
    const s = await openStream('/api/subscribe?name=by_region');
    await s.next();
    expect(await active()).toBe(before + 1);
    s.close();
    for (let i = 0; i < 50 && (await active()) !== before; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await active()).toBe(before);
    // Writes after the hang-up still succeed.
    await client.query("insert into sales values ('apac', 1, now())");
  });
});

describe('GET /metrics', () => {
  test('reports rows per materialized view and view-maintenance time', async () => {
    await client.query('create materialized view all_sales as select * from sales');
    const rows = (await client.query('select count(*)::int as c from sales')).rows[0] as {
      c: number;
    };
    const m = await metrics();
    expect(m).toContain(`sluice_view_rows{view="all_sales"} ${rows.c}`);
    const regions = (await client.query('select count(*)::int as c from by_region')).rows[0] as {
      c: number;
    };
    expect(m).toContain(`sluice_view_rows{view="by_region"} ${regions.c}`);
    expect(m).toContain('# TYPE sluice_view_maintenance_seconds histogram');
    const count = Number(/^sluice_view_maintenance_seconds_count (\d+)$/m.exec(m)![1]);
    expect(count).toBeGreaterThan(5);
    const inf = Number(/^sluice_view_maintenance_seconds_bucket\{le="\+Inf"\} (\d+)$/m.exec(m)![1]);
    expect(inf).toBe(count);
    await client.query("insert into sales values ('x', 1, now())");
    expect(await metrics()).toContain(`sluice_view_rows{view="all_sales"} ${rows.c + 1}`);
  });
});

describe('views reading the clock', () => {
  test('move on their own: a row leaving a temporal filter is streamed with no statement', async () => {
    await client.query('create table pings (name text, at timestamptz)');
    await client.query(
      "create materialized view just_now as select name from pings where at > now() - interval '1 second'",
    );
    const s = await openStream('/api/subscribe?name=just_now');
    expect((await s.next())?.event).toBe('columns');
    await client.query("insert into pings values ('tick', now())");
    expect(changes(await s.next())).toEqual([{ op: '+', row: ['tick'] }]);
    // The server ticks once a second: within a few the row is out of the last second.
    expect(changes(await s.next(5000))).toEqual([{ op: '-', row: ['tick'] }]);
    expect((await client.query('select count(*)::int as c from just_now')).rows).toEqual([
      { c: 0 },
    ]);
    s.close();
  });
});
