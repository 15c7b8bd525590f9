/**
 * `npm run playground:measure`: what the built playground costs a visitor. Prints the bytes of
 * dist/playground (raw and gzip -9 per file, JS+Wasm totals) and the time from navigation to
 * the first result of `SELECT 1` with a cold cache (a fresh browser profile) and a warm one
 * (reloads in the same profile: HTTP cache, compiled code, existing IndexedDB database), served
 * by `sluice serve` from the build, then where the time went: the median of each start-up moment
 * the page and the worker record (playground/src/timings.ts; MEASURE_VERBOSE=1 prints every
 * run's, MEASURE_RUNS=n sets the runs of each kind). Needs `npm run build` and Chromium at
 * /usr/bin/chromium (or CHROMIUM=path).
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
let engineGzip = 0;
let pageGzip = 0;
console.log('dist/playground                     raw      gzip');
for (const f of files(site).sort()) {
  const bytes = readFileSync(f);
  const gz = gzipSync(bytes, { level: 9 }).length;
  pageGzip += gz;
  if (/\.(m?js|wasm)$/.test(f)) {
    jsRaw += bytes.length;
    jsGzip += gz;
  }
  // The engine: the worker's bundle (its Wasm kernels are embedded) and any .wasm file.
  if (/(^|\/)worker-[^/]*\.js$|\.wasm$/.test(f)) engineGzip += gz;
  console.log(
    `${relative(site, f).padEnd(32)} ${String(bytes.length).padStart(8)} ${String(gz).padStart(9)}`,
  );
}
console.log(
  `JS + Wasm total                  ${String(jsRaw).padStart(8)} ${String(jsGzip).padStart(9)}`,
);
console.log(`engine (worker + Wasm), gzip             ${String(engineGzip).padStart(9)}`);
console.log(`whole page (every file), gzip            ${String(pageGzip).padStart(9)}\n`);

const dataDir = mkdtempSync(join(tmpdir(), 'sluice-measure-'));
const server = spawn(
  process.execPath,
  [join(root, 'bin/sluice.js'), 'serve', '--port', '0', '--http-port', '0', '--data-dir', dataDir],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
/** Runs of each kind (MEASURE_RUNS=n for steadier medians on a busy machine). */
const RUNS = Number(process.env.MEASURE_RUNS ?? 5);
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
      const moments = window.__sluiceTimings?.() ?? {};
      const nav = performance.getEntriesByType('navigation')[0];
      if (nav) {
        moments['html:response'] = nav.responseEnd;
        moments['html:dom-content-loaded'] = nav.domContentLoadedEventEnd;
      }
      // Each file's fetch: when it began and when its last byte arrived (0 bytes: cached).
      // (The worker's own script is left out: Chromium reports it with times that do not add up.)
      for (const r of performance.getEntriesByType('resource')) {
        if (r.initiatorType === 'other' && /worker-/.test(r.name)) continue;
        const file = r.name.replace(/^.*\//, '').replace(/-[\w-]{8}\./, '.');
        moments[`fetch:${file}`] = r.fetchStart;
        moments[`fetched:${file}`] = r.responseEnd;
      }
      return { ready: at('sluice:ready'), result: at('sluice:first-result'), moments };
    });
  }

  cold = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    cold.push(await firstResult(await context.newPage()));
    await context.close();
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  await firstResult(page);
  warm = [];
  for (let i = 0; i < RUNS; i++) warm.push(await firstResult(page, true));
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
console.log(`navigation to SELECT 1, cold cache (median of ${RUNS}): ${fmt(cold)}`);
console.log(`navigation to SELECT 1, warm cache (median of ${RUNS}): ${fmt(warm)}`);

/** Each moment's median over the runs, in the order of the medians. */
function breakdown(runs) {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.moments)))];
  return names
    .map((n) => {
      const xs = runs.map((r) => r.moments[n]).filter((x) => x !== undefined);
      return [n, median(xs), xs.length];
    })
    .sort((a, b) => a[1] - b[1])
    .map(
      ([n, m, k]) =>
        `  ${n.padEnd(34)} ${m.toFixed(1).padStart(8)} ms${k < runs.length ? ` (in ${k} of ${runs.length})` : ''}`,
    )
    .join('\n');
}
if (process.env.MEASURE_VERBOSE)
  for (const r of [...cold, ...warm])
    console.log(
      Object.entries(r.moments)
        .sort((a, b) => a[1] - b[1])
        .map(([n, t]) => `${n}=${t.toFixed(0)}`)
        .join(' '),
    );
console.log(`\nmoments since navigation, cold (median of ${RUNS}):\n${breakdown(cold)}`);
console.log(`\nmoments since navigation, warm (median of ${RUNS}):\n${breakdown(warm)}`);
