/**
 * `npm run playground:measure`: what the built playground costs a visitor. Prints the bytes of
 * dist/playground (raw and gzip -9 per file, JS+Wasm totals) and the time from navigation to
 * the first result of `SELECT 1` with a cold cache (a fresh browser profile) and a warm one
 * (reloads in the same profile: HTTP cache, compiled code, existing IndexedDB database), served
 * by `sluice serve` from the build. Needs `npm run build` and Chromium at /usr/bin/chromium
 * (or CHROMIUM=path).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { root } from './deps.mjs';

const site = join(root, 'dist', 'playground');
const files = (dir) =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });

let jsRaw = 0;
let jsGzip = 0;
console.log('dist/playground                     raw      gzip');
for (const f of files(site).sort()) {
  const bytes = readFileSync(f);
  const gz = gzipSync(bytes, { level: 9 }).length;
  if (/\.(m?js|wasm)$/.test(f)) {
    jsRaw += bytes.length;
    jsGzip += gz;
  }
  console.log(
    `${relative(site, f).padEnd(32)} ${String(bytes.length).padStart(8)} ${String(gz).padStart(9)}`,
  );
}
console.log(
  `JS + Wasm total                  ${String(jsRaw).padStart(8)} ${String(jsGzip).padStart(9)}\n`,
);

const dataDir = mkdtempSync(join(tmpdir(), 'sluice-measure-'));
const server = spawn(
  process.execPath,
  [join(root, 'bin/sluice.js'), 'serve', '--port', '0', '--http-port', '0', '--data-dir', dataDir],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stopped = new Promise((r) => server.once('exit', r));
let browser;
let cold;
let warm;
try {
  let out = '';
  server.stdout.on('data', (d) => (out += d));
  const deadline = Date.now() + 30_000;
  while (!/HTTP on (http:\/\/[^ ,]+)/.test(out)) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`no server:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const url = `${/HTTP on (http:\/\/[^ ,]+)/.exec(out)[1]}/#sql=${Buffer.from('SELECT 1').toString('base64url')}`;

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
    headless: true,
  });

  /** Navigates, clicks Run as soon as the page script is live, and reads the marks. */
  async function firstResult(page, reload = false) {
    // (A second goto to the same URL with a fragment would not load the page again.)
    if (reload) await page.reload({ waitUntil: 'domcontentloaded' });
    else await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.click('[data-testid="run"]');
    await page.waitForSelector('body[data-runs="1"]');
    return page.evaluate(() => {
      const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
      return { ready: at('sluice:ready'), result: at('sluice:first-result') };
    });
  }

  cold = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext();
    cold.push(await firstResult(await context.newPage()));
    await context.close();
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  await firstResult(page);
  warm = [];
  for (let i = 0; i < 5; i++) warm.push(await firstResult(page, true));
} finally {
  await browser?.close();
  if (server.exitCode === null) server.kill('SIGTERM');
  await stopped;
  rmSync(dataDir, { recursive: true, force: true });
}

const fmt = (runs) =>
  `first result ${median(runs.map((r) => r.result)).toFixed(0)} ms ` +
  `(database open at ${median(runs.map((r) => r.ready)).toFixed(0)} ms), ` +
  `all: ${runs.map((r) => r.result.toFixed(0)).join(', ')}`;
console.log(`navigation to SELECT 1, cold cache (median of 5): ${fmt(cold)}`);
console.log(`navigation to SELECT 1, warm cache (median of 5): ${fmt(warm)}`);
