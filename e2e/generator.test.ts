/**
 * The generator panel in a real browser: the built playground served by `sluice serve`, the
 * generator running in the engine worker. Starting it fills its table, the row counter and a
 * view over the table move without a reload, and pausing stops them. The rows per second the
 * generator reaches with a tumbling-window view live are printed, not asserted.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  missingPrerequisite,
  openPage,
  readChart,
  readGrid,
  readLive,
  runAndWait,
  runScript,
  screenshot,
  usePlayground,
} from './support.js';

const skip = missingPrerequisite();
if (skip && process.env.CI) throw new Error(`generator e2e tests cannot run: ${skip}`);
if (skip) console.warn(`generator e2e tests skipped: ${skip}`);

interface Status {
  kind: string | null;
  running: boolean;
  rowsInserted: number;
  measuredRowsPerSecond: number;
}
type TestWindow = Window & { sluice: { generatorStatus(): Promise<Status> } };

function status(p: Page): Promise<Status> {
  return p.evaluate(() => (window as unknown as TestWindow).sluice.generatorStatus());
}

/** The rows the counter shows. */
async function counted(p: Page): Promise<number> {
  return Number(await p.locator('[data-testid="generator-count"]').getAttribute('data-rows'));
}

async function firstCell(p: Page, sql: string): Promise<number> {
  await runScript(p, sql);
  return Number((await readGrid(p)).rows[0]?.[0] ?? NaN);
}

describe.skipIf(skip !== undefined)('generator panel', () => {
  const playground = usePlayground({ width: 1440, height: 860 });
  const freshPage = (): Promise<Page> => playground.freshPage();

  test('start fills the table; the counter and a view change without a reload', async () => {
    const p = await freshPage();
    await openPage(p, playground.url);
    await p.selectOption('[data-testid="examples"]', 'dashboard');
    await runAndWait(p, () => p.click('[data-testid="run"]'));
    expect(await p.locator('[data-testid="error"]').isHidden()).toBe(true);
    expect(await counted(p)).toBe(0);

    await p.selectOption('[data-testid="generator-kind"]', 'clickstream');
    await p.locator('[data-testid="generator-rate"]').fill('40');
    expect(await p.locator('[data-testid="generator"] .rate').innerText()).toBe('400 rows/s');
    await p.click('[data-testid="generator-toggle"]');
    await expect
      .poll(() => p.locator('[data-testid="generator-toggle"]').innerText())
      .toBe('Pause');
    await expect.poll(() => counted(p), { timeout: 30_000 }).toBeGreaterThan(0);
    const seen = await counted(p);
    await expect.poll(() => counted(p), { timeout: 30_000 }).toBeGreaterThan(seen);
    expect(await p.locator('[data-testid="generator-count"]').innerText()).toMatch(
      /^[\d,]+ rows · [\d,]+ rows\/s$/,
    );

    // The windowed view follows the generated rows.
    const views = 'SELECT sum(views) AS views FROM dashboard_traffic_10s';
    const first = await firstCell(p, views);
    expect(first).toBeGreaterThan(0);
    await expect.poll(() => firstCell(p, views), { timeout: 30_000 }).toBeGreaterThan(first);
    // The schema lists the generated table.
    await expect.poll(() => p.locator('[data-relation="clicks"]').count()).toBe(1);
    await screenshot(p, 'generator');

    await p.click('[data-testid="generator-toggle"]');
    await expect
      .poll(() => p.locator('[data-testid="generator-toggle"]').innerText())
      .toBe('Resume');
    const paused = await status(p);
    expect(paused.running).toBe(false);
    // Paused: table, view and counter agree, and stay.
    const total = await firstCell(p, 'SELECT count(*) FROM clicks');
    expect(total).toBe(paused.rowsInserted);
    expect(await firstCell(p, views)).toBe(total);
    await p.waitForTimeout(1000);
    expect(await firstCell(p, 'SELECT count(*) FROM clicks')).toBe(total);
    expect(await counted(p)).toBe(total);
  });

  test('the generator feeds a pinned window view: its rows and chart move, no reload', async () => {
    const p = await freshPage();
    await openPage(p, playground.url);
    await p.selectOption('[data-testid="examples"]', 'dashboard');
    await runAndWait(p, () => p.click('[data-testid="run"]'));
    expect(await p.locator('[data-testid="error"]').isHidden()).toBe(true);
    // A reload would lose this mark.
    await p.evaluate(() => ((window as unknown as { loadMark: number }).loadMark = 1));
    const pin = p.locator('[data-relation="dashboard_traffic_10s"] [data-testid="pin"]');
    await pin.waitFor();
    await pin.click();
    await expect.poll(async () => (await readLive(p)).visible).toBe(true);

    await p.selectOption('[data-testid="generator-kind"]', 'clickstream');
    await p.locator('[data-testid="generator-rate"]').fill('40');
    await p.click('[data-testid="generator-toggle"]');
    // The chart's total of the `views` series: what the windows have counted so far.
    const chartViews = async (): Promise<number> => {
      const chart = await readChart(p);
      return chart.series.find((x) => x.label === 'views')?.length ? chart.points : 0;
    };
    await expect.poll(chartViews, { timeout: 30_000 }).toBeGreaterThan(0);
    const before = await readLive(p);
    const chartBefore = await readChart(p);
    // Rows change (counts grow, new windows open) and the chart with them.
    await expect
      .poll(async () => JSON.stringify((await readLive(p)).rows), { timeout: 30_000 })
      .not.toBe(JSON.stringify(before.rows));
    await expect
      .poll(async () => JSON.stringify(await readChart(p)), { timeout: 30_000 })
      .not.toBe(JSON.stringify(chartBefore));
    await screenshot(p, 'generator-live-view');

    await p.click('[data-testid="generator-toggle"]');
    await expect
      .poll(() => p.locator('[data-testid="generator-toggle"]').innerText())
      .toBe('Resume');
    // Paused: the panel and the chart hold the view's rows, as a query gives them.
    await runScript(
      p,
      'SELECT window_start, window_end, views, visitors FROM dashboard_traffic_10s ORDER BY window_start',
    );
    const queried = (await readGrid(p)).rows;
    await expect
      .poll(async () => (await readLive(p)).rows.map((r) => r.join('|')).sort())
      .toEqual(queried.map((r) => r.join('|')).sort());
    const chart = await readChart(p);
    expect(chart.points).toBe(queried.length);
    expect(chart.series.find((x) => x.label === 'views')?.last).toBe(
      Number(queried[queried.length - 1]![2]),
    );
    expect(await p.evaluate(() => (window as unknown as { loadMark?: number }).loadMark)).toBe(1);
  });

  test('rows per second with a tumbling-window view live (printed)', async () => {
    const p = await freshPage();
    await openPage(p, playground.url);
    for (const [kind, view] of [
      [
        'clickstream',
        `CREATE TABLE clicks (user_id BIGINT, page VARCHAR, referrer VARCHAR, event_time TIMESTAMP);
CREATE MATERIALIZED VIEW clicks_10s AS
SELECT window_start, page, count(*) AS views
FROM TUMBLE(clicks, event_time, INTERVAL '10' SECOND) GROUP BY window_start, page`,
      ],
      [
        'nexmark',
        `CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
  date_time TIMESTAMP, extra VARCHAR);
CREATE MATERIALIZED VIEW bids_10s AS
SELECT window_start, count(*) AS bids, max(price) AS top
FROM TUMBLE(bid, date_time, INTERVAL '10' SECOND) GROUP BY window_start`,
      ],
    ] as const) {
      await runScript(p, view);
      expect(await p.locator('[data-testid="error"]').isHidden()).toBe(true);
      await p.selectOption('[data-testid="generator-kind"]', kind);
      // The slider's top: 100,000 rows/s asked for, so the figure is what the worker manages.
      await p.locator('[data-testid="generator-rate"]').fill('100');
      await p.click('[data-testid="generator-toggle"]');
      // This kind's run, under way (the counter may still show the previous one's rows).
      await expect
        .poll(
          async () => {
            const s = await status(p);
            return s.kind === kind && s.running && s.rowsInserted > 0;
          },
          { timeout: 30_000 },
        )
        .toBe(true);
      const a = await status(p);
      const t0 = Date.now();
      await p.waitForTimeout(6000);
      const b = await status(p);
      const seconds = (Date.now() - t0) / 1000;
      await p.click('[data-testid="generator-toggle"]');
      await expect
        .poll(() => p.locator('[data-testid="generator-toggle"]').innerText())
        .toBe('Resume');
      const rate = Math.round((b.rowsInserted - a.rowsInserted) / seconds);
      console.log(
        `${kind} generator in the browser with a TUMBLE view live: ${rate} rows/s ` +
          `(panel: ${b.measuredRowsPerSecond} rows/s; ${b.rowsInserted} rows in all)`,
      );
      expect(b.rowsInserted).toBeGreaterThan(a.rowsInserted);
    }
    await screenshot(p, 'generator-rate');
  }, 180_000);
});
