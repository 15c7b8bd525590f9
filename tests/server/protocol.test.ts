/**
 * Byte-level protocol behaviour of a real `sluice serve` process: startup, extended query
 * (named/unnamed statements and portals, row limits, binary formats), errors, cancel,
 * hardening against malformed input (with a fuzz run while a well-behaved client keeps
 * working), authentication and shutdown.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  RawClient,
  type RawMessage,
  type ServerProcess,
  dataRowValues,
  errorFields,
  int16,
  int32,
  msg,
  startServe,
  startupPacket,
} from './helpers.js';

let server: ServerProcess;

beforeAll(async () => {
  server = await startServe(['--max-message-bytes', '100000']);
});

afterAll(async () => {
  await server?.stop();
});

const types = (ms: RawMessage[]): string => ms.map((m) => m.type).join('');

async function ready(): Promise<RawClient> {
  const c = await RawClient.open(server.pgPort);
  await c.startup();
  return c;
}

async function simple(c: RawClient, sql: string): Promise<RawMessage[]> {
  c.write(msg('Q', sql));
  return c.readUntil('Z');
}

describe('startup', () => {
  test('SSLRequest and GSSENCRequest are answered N, then startup reports settings', async () => {
    const c = await RawClient.open(server.pgPort);
    c.write(Buffer.concat([int32(8), int32(80877103)]));
    expect(await c.readByte()).toBe('N');
    c.write(Buffer.concat([int32(8), int32(80877104)]));
    expect(await c.readByte()).toBe('N');
    const ms = await c.startup({ user: 'root', database: 'dev', TimeZone: 'Europe/Paris' });
    expect(ms[0]!.type).toBe('R');
    expect(ms[0]!.body.readInt32BE(0)).toBe(0);
    const status = Object.fromEntries(
      ms.filter((m) => m.type === 'S').map((m) => m.body.toString('utf8').split('\0').slice(0, 2)),
    );
    expect(status).toMatchObject({
      client_encoding: 'UTF8',
      DateStyle: 'ISO, MDY',
      integer_datetimes: 'on',
      standard_conforming_strings: 'on',
      TimeZone: 'Europe/Paris',
    });
    expect(status.server_version).toMatch(/^13\.\d+/);
    expect(types(ms).slice(-2)).toBe('KZ');
    expect(ms.at(-1)!.body.toString()).toBe('I');
    c.close();
  });

  test('a newer minor protocol version is negotiated down to 3.0', async () => {
    const c = await RawClient.open(server.pgPort);
    c.write(startupPacket({ user: 'root', '_pq_.x': '1' }, (3 << 16) | 2));
    const ms = await c.readUntil('Z');
    const v = ms.find((m) => m.type === 'v')!;
    expect(v.body.readInt32BE(0)).toBe(3 << 16);
    expect(v.body.readInt32BE(4)).toBe(1);
    c.close();
  });

  test('unknown database and protocol 2 are refused with FATAL', async () => {
    const c = await RawClient.open(server.pgPort);
    c.write(startupPacket({ user: 'root', database: 'nope' }));
    const [e] = await c.readUntil('Z');
    expect(errorFields(e!.body)).toMatchObject({ S: 'FATAL', C: '3D000' });
    const c2 = await RawClient.open(server.pgPort);
    c2.write(startupPacket({ user: 'root' }, 2 << 16));
    const [e2] = await c2.readUntil('Z');
    expect(errorFields(e2!.body)).toMatchObject({ S: 'FATAL', C: '0A000' });
  });
});

describe('extended query', () => {
  test('named statement, portals, Execute row limits and PortalSuspended', async () => {
    const c = await ready();
    await simple(
      c,
      'create table ext (k int, v text); insert into ext values (1,$$a$$),(2,$$b$$),(3,$$c$$),(4,$$d$$),(5,$$e$$)',
    );
    c.write(
      Buffer.concat([
        msg('P', 'sel', 'select k, v from ext where k >= $1 order by k', int16(1), int32(23)),
        msg('D', Buffer.from('S'), 'sel'),
        msg('B', 'cur', 'sel', int16(0), int16(1), int32(1), Buffer.from('2'), int16(0)),
        msg('E', 'cur', int32(2)),
        msg('E', 'cur', int32(2)),
        msg('E', 'cur', int32(2)),
        msg('S'),
      ]),
    );
    const ms = await c.readUntil('Z');
    expect(types(ms)).toBe('1tT2DDsDDsCZ');
    const t = ms[2]!.body;
    expect(t.readInt16BE(0)).toBe(2);
    expect(ms.filter((m) => m.type === 'D').map((m) => dataRowValues(m.body))).toEqual([
      ['2', 'b'],
      ['3', 'c'],
      ['4', 'd'],
      ['5', 'e'],
    ]);
    expect(ms.at(-2)!.body.toString()).toBe('SELECT 0\0');
    c.close();
  });

  test('binary parameters and binary results', async () => {
    const c = await ready();
    const f8 = Buffer.alloc(8);
    f8.writeDoubleBE(2.5);
    const i8 = Buffer.alloc(8);
    i8.writeBigInt64BE(9007199254740993n);
    // numeric 12.50 in base-10000 digits: [12, 5000], weight 0, dscale 2
    const num = Buffer.concat([int16(2), int16(0), int16(0), int16(2), int16(12), int16(5000)]);
    // date 2000-01-03 = day 2 after the PostgreSQL epoch
    const date = int32(2);
    const params = [int32(41), f8, i8, num, date, Buffer.from([1])];
    c.write(
      Buffer.concat([
        msg(
          'P',
          '',
          'select $1::int + 1 as a, $2::float8 * 2 as b, $3::bigint as c, $4::numeric as d, $5::date as e, $6::boolean as f',
          int16(6),
          int32(23),
          int32(701),
          int32(20),
          int32(1700),
          int32(1082),
          int32(16),
        ),
        msg(
          'B',
          '',
          '',
          int16(1),
          int16(1),
          int16(6),
          ...params.flatMap((p) => [int32(p.length), p]),
          int16(1),
          int16(1),
        ),
        msg('E', '', int32(0)),
        msg('S'),
      ]),
    );
    const ms = await c.readUntil('Z');
    expect(types(ms)).toBe('12DCZ');
    const row = ms[2]!.body;
    let off = 2;
    const col = (): Buffer => {
      const len = row.readInt32BE(off);
      const v = row.subarray(off + 4, off + 4 + len);
      off += 4 + len;
      return v;
    };
    expect(col().readInt32BE(0)).toBe(42);
    expect(col().readDoubleBE(0)).toBe(5);
    expect(col().readBigInt64BE(0)).toBe(9007199254740993n);
    expect(col()).toEqual(num);
    expect(col()).toEqual(date);
    expect(col()).toEqual(Buffer.from([1]));
    c.close();
  });

  test('an error skips to Sync; the session then works; Close and missing objects', async () => {
    const c = await ready();
    c.write(
      Buffer.concat([
        msg('P', 's1', 'select 1/0', int16(0)),
        msg('B', '', 's1', int16(0), int16(0), int16(0)),
        msg('E', '', int32(0)),
        msg('B', '', 's1', int16(0), int16(0), int16(0)),
        msg('S'),
      ]),
    );
    const ms = await c.readUntil('Z');
    expect(types(ms)).toBe('12EZ');
    expect(errorFields(ms[2]!.body)).toMatchObject({
      S: 'ERROR',
      C: '22012',
      M: 'division by zero',
    });
    c.write(
      Buffer.concat([
        msg('C', Buffer.from('S'), 's1'),
        msg('B', '', 's1', int16(0), int16(0), int16(0)),
        msg('S'),
      ]),
    );
    const ms2 = await c.readUntil('Z');
    expect(types(ms2)).toBe('3EZ');
    expect(errorFields(ms2[1]!.body)).toMatchObject({ C: '26000' });
    c.write(
      Buffer.concat([
        msg('P', '', 'select 1 + $1', int16(0)),
        msg('B', '', '', int16(0), int16(0), int16(0)),
        msg('S'),
      ]),
    );
    const ms3 = await c.readUntil('Z');
    expect(errorFields(ms3.find((m) => m.type === 'E')!.body)).toMatchObject({ C: '08P01' });
    expect(types(await simple(c, 'select 1'))).toBe('TDCZ');
    c.close();
  });

  test('syntax errors carry a position; empty queries answer EmptyQueryResponse', async () => {
    const c = await ready();
    // The whole string is parsed first, so nothing of it runs.
    const ms = await simple(c, 'select 1; selec 2');
    expect(types(ms)).toBe('EZ');
    expect(errorFields(ms[0]!.body)).toMatchObject({ C: '42601', P: '11' });
    expect(types(await simple(c, ''))).toBe('IZ');
    c.close();
  });
});

describe('transactions, cancel, terminate', () => {
  test('ReadyForQuery reports I, T and E', async () => {
    const c = await ready();
    expect((await simple(c, 'begin')).at(-1)!.body.toString()).toBe('T');
    expect((await simple(c, 'select 1/0')).at(-1)!.body.toString()).toBe('E');
    const aborted = await simple(c, 'select 1');
    expect(errorFields(aborted[0]!.body).C).toBe('25P02');
    const rb = await simple(c, 'rollback');
    expect(rb[0]!.body.toString()).toBe('ROLLBACK\0');
    expect(rb.at(-1)!.body.toString()).toBe('I');
    c.close();
  });

  test('CancelRequest stops a long multi-statement query with 57014', async () => {
    const c = await RawClient.open(server.pgPort);
    const start = await c.startup();
    const key = start.find((m) => m.type === 'K')!.body;
    await simple(c, 'create table slow (x int); insert into slow values (1)');
    c.write(msg('Q', 'select count(*) from slow;'.repeat(3000)));
    await new Promise((r) => setTimeout(r, 100));
    const cancel = await RawClient.open(server.pgPort);
    cancel.write(Buffer.concat([int32(16), int32(80877102), key]));
    const ms = await c.readUntil('Z', 60_000);
    const err = ms.find((m) => m.type === 'E');
    expect(err && errorFields(err.body).C).toBe('57014');
    expect(ms.filter((m) => m.type === 'C').length).toBeLessThan(3000);
    expect(types(await simple(c, 'select 1'))).toBe('TDCZ');
    c.close();
  });

  test('Terminate closes the connection', async () => {
    const c = await ready();
    c.write(msg('X'));
    expect(await c.read()).toBeNull();
  });
});

describe('hardening', () => {
  async function expectFatal(bytes: Buffer, code: string): Promise<void> {
    const c = await ready();
    c.write(bytes);
    const ms = await c.readUntil('Z');
    expect(ms.length).toBe(1);
    expect(errorFields(ms[0]!.body)).toMatchObject({ S: 'FATAL', C: code });
    expect(await c.read()).toBeNull();
  }

  test('an absurd length field ends only that session', async () => {
    await expectFatal(Buffer.concat([Buffer.from('Q'), int32(0x7ffffff0)]), '54000');
    await expectFatal(Buffer.concat([Buffer.from('Q'), int32(2)]), '08P01');
  });

  test('a message over the configured limit is refused before it is read', async () => {
    await expectFatal(msg('Q', 'select ' + 'x'.repeat(200_000)), '54000');
  });

  test('malformed bodies and unknown message types end the session', async () => {
    await expectFatal(msg('Q', Buffer.from('select 1')), '08P01'); // no terminator
    await expectFatal(msg('B', Buffer.from([0])), '08P01'); // truncated Bind
    await expectFatal(msg('!', 'x'), '08P01');
  });

  test('a client vanishing mid-message does not disturb others', async () => {
    const c = await ready();
    c.write(Buffer.concat([Buffer.from('Q'), int32(1000), Buffer.from('select')]));
    c.close();
    const d = await ready();
    expect(types(await simple(d, 'select 1'))).toBe('TDCZ');
    d.close();
  });

  test('fuzz: random and mutated message streams; a well-behaved client keeps working', async () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const good = new pg.Client({
      host: '127.0.0.1',
      port: server.pgPort,
      user: 'root',
      database: 'dev',
    });
    await good.connect();
    await good.query('create table fuzz_ok (n int)');
    const valid = [
      msg('Q', 'select 1'),
      msg('P', 'f', 'select $1::int', int16(1), int32(23)),
      msg('B', '', 'f', int16(0), int16(1), int32(1), Buffer.from('7'), int16(0)),
      msg('D', Buffer.from('P'), ''),
      msg('E', '', int32(1)),
      msg('C', Buffer.from('P'), ''),
      msg('S'),
      msg('H'),
    ];
    for (let round = 0; round < 60; round++) {
      const c = await ready();
      const parts: Buffer[] = [];
      for (let i = 0; i < 6; i++) {
        const base = Buffer.from(valid[rand(valid.length)]!);
        const mode = rand(4);
        if (mode === 0) for (let k = 0; k < 3; k++) base[rand(base.length)] = rand(256);
        else if (mode === 1)
          parts.push(Buffer.from(Array.from({ length: rand(40) }, () => rand(256))));
        else if (mode === 2) parts.push(base.subarray(0, rand(base.length)));
        parts.push(base);
      }
      c.write(Buffer.concat(parts));
      if (rand(2)) c.close();
      else {
        await new Promise((r) => setTimeout(r, 5));
        c.close();
      }
      await good.query('insert into fuzz_ok values ($1)', [round]);
    }
    const r = await good.query('select count(*)::int as n from fuzz_ok');
    expect(r.rows[0].n).toBe(60);
    await good.end();
  });
});

describe('authentication and configuration', () => {
  for (const method of ['scram-sha-256', 'md5', 'password'] as const) {
    test(`${method}: the right password connects, a wrong one is refused`, async () => {
      const s = await startServe([
        '--user',
        'alice',
        '--password',
        's3cret!',
        '--auth-method',
        method,
      ]);
      try {
        const ok = new pg.Client({
          host: '127.0.0.1',
          port: s.pgPort,
          user: 'alice',
          password: 's3cret!',
          database: 'dev',
        });
        await ok.connect();
        expect((await ok.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
        await ok.end();
        for (const [user, password] of [
          ['alice', 'wrong'],
          ['bob', 's3cret!'],
        ]) {
          const bad = new pg.Client({
            host: '127.0.0.1',
            port: s.pgPort,
            user,
            password,
            database: 'dev',
          });
          const e = (await bad.connect().catch((x: unknown) => x)) as { code?: string };
          expect(e.code).toBe('28P01');
        }
      } finally {
        await s.stop();
      }
    });
  }

  test('a non-loopback --host without a password refuses to start; bad flags exit 2', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'tests/server/entry.ts', 'serve', ...args], {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, SLUICE_PASSWORD: '' },
      });
    const r = run(['--host', '0.0.0.0', '--port', '0', '--http-port', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'refusing to listen on non-loopback host 0.0.0.0 without a password',
    );
    expect(run(['--port', '99999']).status).toBe(2);
    expect(run(['--data-dir', 'x', '--state', 's3://bucket/p']).status).toBe(2);
    expect(run(['--state', 'http://nope']).status).toBe(2);
  });

  test('SIGTERM finishes and exits 0 with state durable; the next start recovers it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-sigterm-'));
    try {
      const s = await startServe(['--data-dir', dir]);
      expect(s.output()).toContain(`state in folder ${dir} (new)`);
      const c = new pg.Client({ host: '127.0.0.1', port: s.pgPort, user: 'root', database: 'dev' });
      await c.connect();
      c.on('error', () => {});
      await c.query('CREATE TABLE t (k INT)');
      await c.query('CREATE MATERIALIZED VIEW m AS SELECT count(*) AS n FROM t');
      await c.query('INSERT INTO t VALUES (1), (2), (3)');
      expect(await s.stop('SIGTERM')).toBe(0);
      expect(s.output()).toContain('sluice: stopped');
      const s2 = await startServe(['--data-dir', dir]);
      // SIGTERM checkpointed: nothing is left to replay.
      expect(s2.output()).toMatch(
        /state recovered from folder .* \(checkpoint of epoch \d+: 1 tables, 3 rows, 1 views restored; 0 epochs replayed\)/,
      );
      const c2 = new pg.Client({
        host: '127.0.0.1',
        port: s2.pgPort,
        user: 'root',
        database: 'dev',
      });
      await c2.connect();
      expect((await c2.query('SELECT n FROM m')).rows).toEqual([{ n: '3' }]);
      await c2.end();
      expect(await s2.stop('SIGINT')).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
