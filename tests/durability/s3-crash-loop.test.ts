/**
 * Durability on S3: a real S3-compatible server (s3rver, a child process on loopback) behind a
 * proxy that drops, delays and 500s requests. The crash loop runs through the faults; an outage
 * makes writes fail with 58030 while reads keep working, and writes resume when it ends,
 * without a restart.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3rver, S3RVER_CREDENTIALS, type S3rverProcess } from '../support/s3rver-process.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { client, crashLoop, startServer } from './crash-loop.js';

let s3: S3rverProcess;
let proxy: FaultProxy;
const env = (): NodeJS.ProcessEnv => ({
  AWS_ENDPOINT_URL: proxy.endpoint,
  AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  AWS_REGION: 'us-east-1',
});

beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'sluice' });
  proxy = await startFaultProxy(s3.endpoint, { seed: 7 });
});

afterAll(async () => {
  await proxy?.close();
  await s3?.stop();
});

describe('durability on S3 (s3rver behind a fault proxy)', () => {
  it('crash loop with dropped, delayed and failed requests', async () => {
    proxy.set({ errorRate: 0.1, dropRate: 0.05, delayMs: 3 });
    const r = await crashLoop({
      kills: 50,
      start: () => startServer(['--state', 's3://sluice/crash-loop'], env()),
      maxRunMs: 600,
    });
    expect(r.acked).toBeGreaterThan(50);
    expect(r.fromCheckpoint).toBeGreaterThan(0);
    // The faults really happened.
    expect(proxy.stats.errors + proxy.stats.drops).toBeGreaterThan(10);
  }, 600_000);

  it('an outage fails writes with 58030, reads keep working, writes resume after it', async () => {
    proxy.set({ errorRate: 0, dropRate: 0, delayMs: 0, down: false });
    const server = await startServer(['--state', 's3://sluice/outage'], {
      ...env(),
      SLUICE_COMMIT_TIMEOUT_MS: '1500',
    });
    try {
      const c = await client(server.port);
      await c.query('CREATE TABLE t (k INT)');
      await c.query('CREATE MATERIALIZED VIEW m AS SELECT count(*) AS n FROM t');
      await c.query('INSERT INTO t VALUES (1)');
      proxy.set({ down: true });
      const err = (await c
        .query('INSERT INTO t VALUES (2)')
        .catch((e: unknown) => e)) as pg.DatabaseError;
      expect(err.code).toBe('58030');
      expect(err.message).toMatch(/durable/);
      // Reads do not wait for storage.
      expect((await c.query('SELECT n FROM m')).rows).toEqual([{ n: '2' }]);
      proxy.set({ down: false });
      await c.query('INSERT INTO t VALUES (3)');
      expect(server.output()).toMatch(/writes succeed again/);
      await c.end();
      server.proc.kill('SIGKILL');
      await new Promise((r) => server.proc.once('exit', r));
      // Everything, the write that timed out included, was written once storage returned.
      const again = await startServer(['--state', 's3://sluice/outage'], env());
      const c2 = await client(again.port);
      expect((await c2.query('SELECT n FROM m')).rows).toEqual([{ n: '3' }]);
      await c2.end();
      again.proc.kill('SIGTERM');
      expect(await new Promise((r) => again.proc.once('exit', r))).toBe(0);
    } finally {
      server.proc.kill('SIGKILL');
    }
  }, 120_000);
});
