/**
 * Real clients against a real `sluice serve` process on a loopback port: psql, node-postgres
 * (`pg`, simple and prepared with parameters of every type) and `postgres` (porsager, extended
 * protocol), plus the HTTP API.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ServerProcess, startServe } from './helpers.js';

let server: ServerProcess;

beforeAll(async () => {
  server = await startServe();
});

afterAll(async () => {
  await server?.stop();
});

function psql(args: string[], input?: string) {
  const r = spawnSync(
    'psql',
    ['-h', '127.0.0.1', '-p', String(server.pgPort), '-U', 'root', '-d', 'dev', '-X', ...args],
    {
      encoding: 'utf8',
      input: input ?? '',
      timeout: 30_000,
      env: { ...process.env, PGCONNECT_TIMEOUT: '10' },
    },
  );
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

async function pgClient(): Promise<pg.Client> {
  const c = new pg.Client({
    host: '127.0.0.1',
    port: server.pgPort,
    user: 'root',
    database: 'dev',
  });
  await c.connect();
  return c;
}

describe('psql', () => {
  test('-c runs queries and prints aligned tables', () => {
    const r = psql([
      '-q',
      '-c',
      'create table pc (a int, b text)',
      '-c',
      "insert into pc values (1, 'x'), (2, null)",
      '-c',
      'select * from pc order by a',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(' a | b \n---+---\n 1 | x\n 2 | \n(2 rows)\n\n');
    expect(r.status).toBe(0);
  });

  test('errors carry SQLSTATE and position (psql draws the caret)', () => {
    const r = psql(['-q', '-v', 'VERBOSITY=verbose', '-c', 'select nosuchcol from pc']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ERROR:  42703: column "nosuchcol" does not exist');
    expect(r.stderr).toMatch(/LINE 1: select nosuchcol from pc\n {15}\^/);
  });

  test('-f with a failing statement stops with ON_ERROR_STOP and reports the error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-psql-'));
    const file = join(dir, 'script.sql');
    writeFileSync(
      file,
      'create table pf (a int);\ninsert into pf values (1);\nselect 1/0;\nselect 99;\n',
    );
    const r = psql(['-q', '-v', 'ON_ERROR_STOP=1', '-f', file]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('ERROR:  division by zero');
    expect(r.stdout).not.toContain('99');
  });

  test('transaction status: BEGIN shows in the prompt state, a failed transaction is aborted', () => {
    const r = psql(['-q'], 'begin;\nselect 1/0;\nselect 1;\nrollback;\nselect 2 as two;\n');
    expect(r.stderr).toContain('ERROR:  division by zero');
    expect(r.stderr).toContain(
      'current transaction is aborted, commands ignored until end of transaction block',
    );
    expect(r.stdout).toContain(' two \n-----\n   2\n(1 row)');
  });

  const shared = ['/work/shared', join(import.meta.dirname, '../../../shared')].find((d) =>
    existsSync(join(d, 'scenarios/seed_revenue.sql')),
  );
  test.skipIf(!shared)(
    'seed_revenue.sql through psql -X -q -f prints exactly its expected file',
    () => {
      const r = psql(['-q', '-f', join(shared!, 'scenarios/seed_revenue.sql')]);
      // The expected file is stored without the trailing blanks psql pads centred headers with.
      const strip = (s: string): string =>
        s
          .split('\n')
          .map((l) => l.trimEnd())
          .join('\n');
      expect(r.stderr).toBe('');
      expect(strip(r.stdout)).toBe(
        strip(readFileSync(join(shared!, 'scenarios/seed_revenue.expected'), 'utf8')),
      );
    },
  );
});

describe('node-postgres (pg)', () => {
  test('simple query: multi-statement string, command tags and types', async () => {
    const c = await pgClient();
    try {
      const res = (await c.query(
        "create table pg1 (k int, v text); insert into pg1 values (1, 'a'), (2, 'b'); select k, v from pg1 order by k",
      )) as unknown as pg.QueryResult[];
      expect(res.map((r) => r.command)).toEqual(['CREATE', 'INSERT', 'SELECT']);
      expect(res[1]!.rowCount).toBe(2);
      expect(res[2]!.rows).toEqual([
        { k: 1, v: 'a' },
        { k: 2, v: 'b' },
      ]);
      expect(res[2]!.fields.map((f) => f.dataTypeID)).toEqual([23, 25]);
    } finally {
      await c.end();
    }
  });

  test('prepared statements with parameters of every type round-trip', async () => {
    const c = await pgClient();
    try {
      await c.query(`create table every (
        b boolean, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision, n numeric,
        vc varchar, t text, d date, tm time, ts timestamp, tz timestamptz, iv interval, j jsonb,
        ai int[], at text[])`);
      const params = [
        true,
        7,
        -123456,
        '9007199254740993',
        1.5,
        2.25,
        '12345678901234567890.0123',
        'vär',
        'te"x\\t',
        '2024-02-29',
        '13:14:15.5',
        '2024-01-02 03:04:05.678',
        '2024-01-02 03:04:05+02',
        '1 year 2 mons 3 days 04:05:06',
        '{"a": [1, 2.50, null]}',
        [1, null, 3],
        ['a b', 'c,d', null],
      ];
      const ins = await c.query({
        name: 'ins_every',
        text: 'insert into every values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)',
        values: params,
      });
      expect(ins.rowCount).toBe(1);
      await c.query({
        name: 'ins_every',
        text: 'insert into every values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)',
        values: params.map(() => null),
      });
      const r = await c.query({
        text: 'select b, i2, i4, i8, f4, f8, n, vc, t, d::text as d, tm, ts::text as ts, tz::text as tz, iv::text as iv, j::text as j, ai, at from every where i4 = $1',
        values: [-123456],
      });
      expect(r.rows).toEqual([
        {
          b: true,
          i2: 7,
          i4: -123456,
          i8: '9007199254740993',
          f4: 1.5,
          f8: 2.25,
          n: '12345678901234567890.0123',
          vc: 'vär',
          t: 'te"x\\t',
          d: '2024-02-29',
          tm: '13:14:15.5',
          ts: '2024-01-02 03:04:05.678',
          tz: '2024-01-02 01:04:05+00',
          iv: '1 year 2 mons 3 days 04:05:06',
          j: '{"a": [1, 2.50, null]}',
          ai: [1, null, 3],
          at: ['a b', 'c,d', null],
        },
      ]);
      const nulls = await c.query(
        'select count(*) as n from every where b is null and j is null and ai is null',
      );
      expect(nulls.rows[0].n).toBe('1');
      expect(r.fields.map((f) => f.dataTypeID)).toEqual([
        16, 21, 23, 20, 700, 701, 1700, 1043, 25, 25, 1083, 25, 25, 25, 25, 1007, 1009,
      ]);
    } finally {
      await c.end();
    }
  });

  test('errors: SQLSTATE, position and the session survives', async () => {
    const c = await pgClient();
    try {
      const e = (await c
        .query('select * from no_such_table')
        .catch((x: unknown) => x)) as pg.DatabaseError;
      expect(e.code).toBe('42P01');
      expect(e.position).toBe('15');
      const p = (await c
        .query({ text: 'select $1::int + 1 as x', values: ['nope'] })
        .catch((x: unknown) => x)) as pg.DatabaseError;
      expect(p.code).toBe('22P02');
      expect((await c.query('select 41 + 1 as x')).rows).toEqual([{ x: 42 }]);
    } finally {
      await c.end();
    }
  });

  test('ParameterStatus values and SET TIME ZONE', async () => {
    const c = await pgClient();
    try {
      const status = (c as unknown as { processID: number }).processID;
      expect(typeof status).toBe('number');
      const params = c as unknown as { connection: { parameters?: Record<string, string> } };
      void params;
      const r = await c.query(
        "set time zone 'Asia/Tokyo'; select '2024-01-01 00:00:00+00'::timestamptz::text as t",
      );
      expect((r as unknown as pg.QueryResult[])[1]!.rows[0].t).toBe('2024-01-01 09:00:00+09');
    } finally {
      await c.end();
    }
  });
});

describe('postgres (porsager)', () => {
  test('extended protocol with typed parameters and results', async () => {
    // fetch_types off: its start-up query reads pg_type, which needs the binder's catalog hook.
    const sql = postgres({
      host: '127.0.0.1',
      port: server.pgPort,
      user: 'root',
      database: 'dev',
      max: 2,
      fetch_types: false,
      onnotice: () => {},
    });
    try {
      await sql`create table pj (id int, name text, amount numeric, at timestamptz, ok boolean, raw bytea)`;
      const at = new Date('2026-04-02T07:27:00Z');
      await sql`insert into pj values (${1}, ${'alpha'}, ${'39.50'}, ${at}, ${true}, ${Buffer.from([1, 2, 255])})`;
      await sql`insert into pj values (${2}, ${'beta'}, ${'49.99'}, ${at}, ${false}, ${null})`;
      const rows = await sql<{ id: number; name: string; total: string }[]>`
        select id, name, amount + 1 as total from pj where id = ${1}`;
      expect([...rows]).toEqual([{ id: 1, name: 'alpha', total: '40.50' }]);
      const sum = await sql`select sum(amount) as s, min(at) as at, bool_or(ok) as ok from pj`;
      expect(sum[0]).toEqual({ s: '89.49', at, ok: true });
      const raw = await sql`select raw from pj order by id`;
      expect(raw.map((r) => r.raw as unknown)).toEqual([Buffer.from([1, 2, 255]), null]);
      const err = await sql`select * from pj where nope = ${1}`.catch((e: { code: string }) => e);
      expect((err as { code: string }).code).toBe('42703');
    } finally {
      await sql.end();
    }
  });
});

describe('HTTP API', () => {
  const url = (p: string): string => `http://127.0.0.1:${server.httpPort}${p}`;

  test('POST /api/sql returns columns, rows and the command tag', async () => {
    const r = await fetch(url('/api/sql'), {
      method: 'POST',
      body: JSON.stringify({
        sql: "create table h (a int, b numeric); insert into h values (1, 2.50); select a, b, 'q' as c from h",
      }),
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({
      columns: [
        { name: 'a', type: 'integer' },
        { name: 'b', type: 'numeric' },
        { name: 'c', type: 'text' },
      ],
      rows: [[1, '2.50', 'q']],
      command: 'SELECT 1',
    });
  });

  test('POST /api/sql errors carry code and position', async () => {
    const r = await fetch(url('/api/sql'), {
      method: 'POST',
      body: JSON.stringify({ sql: 'select zz from h' }),
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({
      error: { code: '42703', message: 'column "zz" does not exist', position: 8 },
    });
    const bad = await fetch(url('/api/sql'), { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('22P02');
  });

  test('GET /health, /metrics and /api/subscribe', async () => {
    const h = await fetch(url('/health'));
    expect(h.status).toBe(200);
    expect(((await h.json()) as { status: string }).status).toBe('ok');
    const m = await (await fetch(url('/metrics'))).text();
    const value = (name: string): number =>
      Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(m)?.[1]);
    expect(value('sluice_statements_total')).toBeGreaterThan(0);
    expect(value('sluice_statement_errors_total')).toBeGreaterThan(0);
    expect(value('sluice_rows_ingested_total')).toBeGreaterThan(0);
    expect(m).toMatch(/^# TYPE sluice_sessions_active gauge$/m);
    // Subscriptions are covered by subscribe.test.ts; an unknown view is a 404.
    const s = await fetch(url('/api/subscribe?name=no_such_view'));
    expect(s.status).toBe(404);
  });
});
