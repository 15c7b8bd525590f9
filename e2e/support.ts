/**
 * Helpers for the playground's browser tests: the built playground served by a real
 * `sluice serve` (so the static serving is under test too), Debian's Chromium driven by
 * playwright-core, and readers for what the page shows.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startBuiltServer } from '../tests/support/built-server.js';

const repoRoot = resolve(import.meta.dirname, '..');
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(repoRoot, 'e2e', 'screenshots');

/** Whether the tests can run here: Debian's Chromium and a built playground. */
export function missingPrerequisite(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}`;
  if (!existsSync(join(repoRoot, 'dist', 'playground', 'index.html')))
    return 'the playground is not built (npm run build)';
  return undefined;
}

export interface Playground {
  url: string;
  stop(): Promise<void>;
}

/** `sluice serve` from the build, with its state in a fresh folder, on loopback ports. */
export async function startPlayground(): Promise<Playground> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-e2e-'));
  const server = await startBuiltServer(['--data-dir', dir]);
  const m = /HTTP on (http:\/\/[^ ,]+)/.exec(server.output());
  if (!m) throw new Error(`no HTTP address in the start-up line:\n${server.output()}`);
  return {
    url: `${m[1]}/`,
    stop: async () => {
      const exited = new Promise((r) => server.proc.once('exit', r));
      if (server.proc.exitCode === null) server.proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Loads the page and waits until the engine has opened its database. */
export async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
}

export async function completedRuns(page: Page): Promise<number> {
  return page.evaluate(() => Number(document.body.dataset.runs ?? 0));
}

/** Does `start` (a click or a key press that runs SQL) and waits until that run has shown. */
export async function runAndWait(
  page: Page,
  start: () => Promise<void>,
  timeout = 60_000,
): Promise<void> {
  const before = await completedRuns(page);
  await start();
  await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) > n, before, {
    timeout,
    polling: 50,
  });
}

/** Replaces the editor's text, as typing would. */
export async function setScript(page: Page, sql: string): Promise<void> {
  await page.click('[data-testid="editor"] .cm-content');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(sql);
}

/** Sets the script and runs all of it with the Run button. */
export async function runScript(page: Page, sql: string, timeout?: number): Promise<void> {
  await setScript(page, sql);
  await runAndWait(page, () => page.click('[data-testid="run"]'), timeout);
}

export interface Table {
  header: string[];
  rows: string[][];
}

/** The grid's column names and the cells of the rows it has rendered, as shown. */
export function readGrid(page: Page): Promise<Table> {
  return page.evaluate(() => {
    const root = document.querySelector('[data-testid="results"]');
    if (!root || (root as HTMLElement).hidden) return { header: [], rows: [] };
    const text = (e: Element): string => (e as HTMLElement).innerText;
    return {
      header: Array.from(root.querySelectorAll('[role="columnheader"]'), text),
      rows: Array.from(root.querySelectorAll('.grid-body [role="row"]'), (r) =>
        Array.from(r.querySelectorAll('[role="cell"]'), text),
      ),
    };
  });
}

/** The folder of shared scenarios, beside the checkout or at /work/shared. */
export function sharedDir(): string | undefined {
  return [join(repoRoot, '..', 'shared'), '/work/shared'].find((d) =>
    existsSync(join(d, 'scenarios', 'seed_revenue.expected')),
  );
}

/**
 * The result tables of a psql aligned-format transcript: header, separator, rows, `(N rows)`,
 * separated by blank lines. Cells are trimmed (psql pads them; NULL is empty).
 */
export function parsePsqlTables(text: string): Table[] {
  const cells = (line: string): string[] => line.split('|').map((c) => c.trim());
  return text
    .split(/\n\s*\n/)
    .map((block) => block.split('\n').filter((l) => l.trim() !== ''))
    .filter((lines) => lines.length >= 2 && /^-+(\+-+)*$/.test(lines[1]!))
    .map((lines) => ({
      header: cells(lines[0]!),
      rows: lines
        .slice(2)
        .filter((l) => !/^\(\d+ rows?\)$/.test(l))
        .map(cells),
    }));
}

export function readSeedExpected(): Table[] {
  const dir = sharedDir();
  if (!dir) throw new Error('scenarios/seed_revenue.expected not found');
  return parsePsqlTables(readFileSync(join(dir, 'scenarios', 'seed_revenue.expected'), 'utf8'));
}

/** What the live-view panel shows. */
export interface LivePanel {
  visible: boolean;
  header: string[];
  rows: string[][];
  changes: (string | null)[];
  count: string;
  updated: string;
}

export function readLive(page: Page): Promise<LivePanel> {
  return page.evaluate(() => {
    const root = document.querySelector<HTMLElement>('[data-testid="live-view"]')!;
    const text = (e: Element): string => (e as HTMLElement).innerText;
    const trs = Array.from(root.querySelectorAll('.live-table tbody tr'));
    return {
      visible: !root.hidden,
      header: Array.from(root.querySelectorAll('.live-table thead th'), text),
      rows: trs.map((r) => Array.from(r.querySelectorAll('td'), text)),
      changes: trs.map((r) => (r as HTMLElement).dataset.change ?? null),
      count: root.querySelector('[data-testid="live-count"]')?.textContent ?? '',
      updated: root.querySelector('[data-testid="live-updated"]')?.textContent ?? '',
    };
  });
}

/** What the live chart drew (its data attributes). */
export interface ChartState {
  points: number;
  series: { label: string; length: number; last: number | null }[];
}

export async function readChart(page: Page): Promise<ChartState> {
  const chart = page.locator('[data-testid="live-chart"]');
  const [points, series] = await Promise.all([
    chart.getAttribute('data-points'),
    chart.getAttribute('data-series'),
  ]);
  return { points: Number(points), series: JSON.parse(series ?? '[]') as ChartState['series'] };
}

/**
 * For one `describe` block: `sluice serve` and Chromium started before its tests and stopped
 * after them, and a fresh browser context (so an empty IndexedDB) for each page asked for,
 * closed after each test.
 */
export function usePlayground(viewport = { width: 1280, height: 800 }): {
  readonly url: string;
  freshPage(): Promise<Page>;
} {
  let server: Playground | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startPlayground(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  return {
    get url(): string {
      if (!server) throw new Error('the playground server is not running');
      return server.url;
    },
    async freshPage(): Promise<Page> {
      if (!browser) throw new Error('Chromium is not running');
      context = await browser.newContext({ viewport });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error('page error:', e));
      return page;
    },
  };
}
