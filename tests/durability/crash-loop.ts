/**
 * The crash loop, for any storage: a real `sluice serve` process (the built bin/sluice.js)
 * under a concurrent insert/update/delete load through pgwire is killed with SIGKILL at random
 * moments. After each restart every acknowledged change is present, an unacknowledged one is
 * present at most once (whole or not at all), and every view equals its query run as a batch
 * query.
 */
import { startBuiltServer, type BuiltServer } from '../support/built-server.js';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');
const CLIENTS = 4;

const VIEWS: Record<string, string> = {
  per_client: 'SELECT c, count(*) AS n, sum(v) AS s FROM t GROUP BY c',
  big: 'SELECT id, v FROM t WHERE v > 3',
  named:
    'SELECT name, count(*) AS n, max(v) AS mv FROM t JOIN clients ON t.c = clients.c GROUP BY name',
};

/** A small seeded generator (mulberry32), so every run makes the same choices. */
function seeded(seed: number): { nextInt(lo: number, hi: number): number } {
  let a = seed >>> 0;
  return {
    nextInt(lo, hi) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const x = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      return lo + Math.floor(x * (hi - lo + 1));
    },
  };
}

export type Server = BuiltServer;

/** Starts the server the crash loop kills: checkpoints every 20 kB, so recoveries use them. */
export function startServer(storage: string[], env: NodeJS.ProcessEnv = {}): Promise<Server> {
  return startBuiltServer(storage, { SLUICE_CHECKPOINT_BYTES: '20000', ...env });
}

export async function client(port: number): Promise<pg.Client> {
  const c = new pg.Client({ host: '127.0.0.1', port, user: 'root', database: 'dev' });
  c.on('error', () => {}); // the server is killed under it
  await c.connect();
  return c;
}

/** What one client knows: its acknowledged rows (id → v) and the change it has in flight. */
interface ClientModel {
  rows: Map<number, number>;
  nextId: number;
  inFlight: { kind: 'insert' | 'update' | 'delete'; id: number; v: number } | null;
}

export interface CrashLoopOptions {
  kills: number;
  start: () => Promise<Server>;
  /** Longest run of load before a kill, in ms. */
  maxRunMs?: number;
}

/** Runs the loop; returns what it counted. */
export async function crashLoop(
  o: CrashLoopOptions,
): Promise<{ acked: number; fromCheckpoint: number }> {
  {
    if (!existsSync(join(repoRoot, 'dist/server/cli.js')))
      throw new Error('dist/server/cli.js is missing: run `npm run build` first');
    const rand = seeded(20261207);
    const models: ClientModel[] = Array.from({ length: CLIENTS }, (_, c) => ({
      rows: new Map(),
      nextId: c,
      inFlight: null,
    }));
    let acked = 0;
    let recoveredFromCheckpoint = 0;
    let server = await o.start();
    try {
      {
        const c = await client(server.port);
        await c.query('CREATE TABLE t (id BIGINT, c INT, v INT)');
        await c.query('CREATE TABLE clients (c INT PRIMARY KEY, name VARCHAR)');
        for (let i = 0; i < CLIENTS; i++)
          await c.query(`INSERT INTO clients VALUES (${i}, 'client ${i % 2}')`);
        for (const [name, q] of Object.entries(VIEWS))
          await c.query(`CREATE MATERIALIZED VIEW ${name} AS ${q}`);
        await c.end();
      }
      for (let round = 0; round < o.kills; round++) {
        const conns = await Promise.all(models.map(() => client(server.port)));
        let killed = false;
        const work = models.map(async (m, ci) => {
          const conn = conns[ci]!;
          while (!killed) {
            const ids = [...m.rows.keys()];
            const r = rand.nextInt(0, 99);
            let op: NonNullable<ClientModel['inFlight']>;
            let sql: string;
            if (ids.length === 0 || r < 55) {
              op = { kind: 'insert', id: m.nextId, v: rand.nextInt(0, 5) };
              m.nextId += CLIENTS;
              sql = `INSERT INTO t VALUES (${op.id}, ${ci}, ${op.v})`;
            } else {
              const id = ids[rand.nextInt(0, ids.length - 1)]!;
              if (r < 85) {
                op = { kind: 'update', id, v: m.rows.get(id)! + 1 };
                sql = `UPDATE t SET v = v + 1 WHERE id = ${id}`;
              } else {
                op = { kind: 'delete', id, v: m.rows.get(id)! };
                sql = `DELETE FROM t WHERE id = ${id}`;
              }
            }
            m.inFlight = op;
            try {
              await conn.query(sql);
            } catch {
              return; // killed: the change stays in flight
            }
            if (op.kind === 'delete') m.rows.delete(op.id);
            else m.rows.set(op.id, op.v);
            m.inFlight = null;
            acked++;
          }
        });
        await new Promise((r) => setTimeout(r, 30 + rand.nextInt(0, o.maxRunMs ?? 400)));
        server.proc.kill('SIGKILL');
        killed = true;
        await new Promise((r) => server.proc.once('exit', r));
        await Promise.all(work);
        for (const c of conns) void c.end().catch(() => {});

        server = await o.start();
        if (/checkpoint of epoch [1-9]/.test(server.output())) recoveredFromCheckpoint++;
        const c = await client(server.port);
        const { rows } = await c.query<{ id: string; c: number; v: number }>(
          'SELECT id, c, v FROM t',
        );
        const seen = new Map<number, number>();
        for (const row of rows) {
          const id = Number(row.id);
          expect(seen.has(id), `row ${id} appears once`).toBe(false);
          seen.set(id, row.v);
        }
        for (const m of models) {
          const f = m.inFlight;
          if (f) {
            // An unacknowledged change is there whole or not at all; adopt what was kept.
            const now = seen.get(f.id);
            if (f.kind === 'insert') expect([undefined, f.v]).toContain(now);
            if (f.kind === 'update') expect([f.v - 1, f.v]).toContain(now);
            if (f.kind === 'delete') expect([undefined, f.v]).toContain(now);
            if (now === undefined) m.rows.delete(f.id);
            else m.rows.set(f.id, now);
            m.inFlight = null;
          }
          for (const [id, v] of m.rows) expect(seen.get(id), `acknowledged row ${id}`).toBe(v);
        }
        expect(seen.size).toBe(models.reduce((n, m) => n + m.rows.size, 0));
        for (const [name, q] of Object.entries(VIEWS)) {
          const view = (await c.query(`SELECT * FROM ${name}`)).rows
            .map((r) => JSON.stringify(r))
            .sort();
          const batch = (await c.query(q)).rows.map((r) => JSON.stringify(r)).sort();
          expect(view, `view ${name} after restart ${round + 1}`).toEqual(batch);
        }
        await c.end();
      }
      server.proc.kill('SIGTERM');
      expect(await new Promise((r) => server.proc.once('exit', r))).toBe(0);
      return { acked, fromCheckpoint: recoveredFromCheckpoint };
    } catch (e) {
      server.proc.kill('SIGKILL');
      throw e;
    }
  }
}
