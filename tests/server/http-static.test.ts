/**
 * The playground's static files at `/` of the HTTP port: content types (Wasm included),
 * compression (each file's gzip body made once), caching and revalidation, paths that try to leave the folder, the page shown before a build, and the API
 * routes beside them.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StatementQueue } from '../../server/backend.js';
import { EngineBackend } from '../../server/engine-backend.js';
import { HttpServer } from '../../server/http.js';
import { Metrics } from '../../server/metrics.js';

async function start(staticDir: string): Promise<{ server: HttpServer; url: string }> {
  const server = new HttpServer({
    host: '127.0.0.1',
    port: 0,
    backend: new EngineBackend(),
    queue: new StatementQueue(),
    metrics: new Metrics(),
    maxBodyBytes: 1 << 20,
    status: () => ({ sessions: 0 }),
    staticDir,
  });
  const port = await server.listen();
  return { server, url: `http://127.0.0.1:${port}` };
}

const dir = mkdtempSync(join(tmpdir(), 'sluice-static-'));
const site = join(dir, 'playground');
let built: { server: HttpServer; url: string };
let missing: { server: HttpServer; url: string };

beforeAll(async () => {
  mkdirSync(join(site, 'assets'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>built page</title>');
  writeFileSync(join(site, 'assets', 'main-abc123.js'), 'console.log(1);');
  writeFileSync(join(site, 'assets', 'kernels-abc123.wasm'), Buffer.from([0, 97, 115, 109]));
  writeFileSync(join(dir, 'secret.txt'), 'outside the folder');
  built = await start(site);
  missing = await start(join(dir, 'not-built'));
});

afterAll(async () => {
  await built.server.close();
  await missing.server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('static playground files', () => {
  test('GET / serves the built index.html, revalidated on each load', async () => {
    const r = await fetch(`${built.url}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('no-cache');
    expect(await r.text()).toContain('built page');
  });

  test('assets carry their content type and may be cached for good', async () => {
    const js = await fetch(`${built.url}/assets/main-abc123.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(await js.text()).toBe('console.log(1);');
    const wasm = await fetch(`${built.url}/assets/kernels-abc123.wasm`);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
    const head = await fetch(`${built.url}/assets/main-abc123.js`, {
      method: 'HEAD',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('15');
    expect(head.headers.get('content-encoding')).toBeNull();
  });

  test('text and Wasm are gzipped for clients that accept it', async () => {
    const js = await fetch(`${built.url}/assets/main-abc123.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(js.headers.get('content-encoding')).toBe('gzip');
    expect(js.headers.get('vary')).toBe('accept-encoding');
    // fetch() decompresses.
    expect(await js.text()).toBe('console.log(1);');
    const wasm = await fetch(`${built.url}/assets/kernels-abc123.wasm`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(wasm.headers.get('content-encoding')).toBe('gzip');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
  });

  test('a revalidated file that has not changed is a 304 without a body', async () => {
    const first = await fetch(`${built.url}/`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await fetch(`${built.url}/`, { headers: { 'if-none-match': etag ?? '' } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('cache-control')).toBe('no-cache');
    const other = await fetch(`${built.url}/`, { headers: { 'if-none-match': 'W/"other"' } });
    expect(other.status).toBe(200);
    expect(await other.text()).toContain('built page');
  });

  test('gzip bodies are made once per version of a file, with their length', async () => {
    const get = () =>
      fetch(`${built.url}/assets/changing-abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
    const file = join(site, 'assets', 'changing-abc123.js');
    writeFileSync(file, 'export const version = 1;');
    const a = await get();
    expect(a.headers.get('content-encoding')).toBe('gzip');
    expect(Number(a.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await a.text()).toBe('export const version = 1;');
    expect(await (await get()).text()).toBe('export const version = 1;');
    // A rebuild writes the file again: its new content is served, under a new validator.
    writeFileSync(file, 'export const version = 22;');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const b = await get();
    expect(await b.text()).toBe('export const version = 22;');
    expect(b.headers.get('etag')).not.toBe(a.headers.get('etag'));
  });

  test('missing files and paths out of the folder are 404', async () => {
    expect((await fetch(`${built.url}/nope.js`)).status).toBe(404);
    // fetch() normalises `..`; encoded dots and separators reach the server as they are.
    expect((await fetch(`${built.url}/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await fetch(`${built.url}/assets/%2e%2e%2f%2e%2e%2fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${built.url}/%ff`)).status).toBe(404);
  });

  test('before a build, / says how to build and the API still answers', async () => {
    const r = await fetch(`${missing.url}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await r.text()).toContain('npm run build');
    expect((await fetch(`${missing.url}/assets/main-abc123.js`)).status).toBe(404);
  });

  test('API routes are untouched by static serving', async () => {
    const r = await fetch(`${built.url}/api/sql`, {
      method: 'POST',
      body: JSON.stringify({ sql: 'select 1 as one' }),
    });
    expect(await r.json()).toEqual({
      columns: [{ name: 'one', type: 'integer' }],
      rows: [[1]],
      command: 'SELECT 1',
    });
    expect((await fetch(`${built.url}/health`)).status).toBe(200);
    expect((await fetch(`${built.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${built.url}/api/nothing`)).status).toBe(404);
    expect((await fetch(`${built.url}/`, { method: 'POST' })).status).toBe(405);
  });
});
