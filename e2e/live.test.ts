/**
 * Live views, charts, file import and plan graphs in a real browser (the built playground
 * served by `sluice serve`, Debian's Chromium): a pinned window view follows inserts and
 * deletes made from the editor without a reload, rows flashing and the chart's data moving; a
 * CSV file dropped on the page becomes a table its rows can be queried from; an EXPLAIN shows
 * its operators as a graph with a way back to the text.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  missingPrerequisite,
  openPage,
  readChart,
  readGrid,
  readLive,
  runScript,
  screenshot,
  usePlayground,
} from './support.js';

const skip = missingPrerequisite();
if (skip && process.env.CI) throw new Error(`playground e2e tests cannot run: ${skip}`);
if (skip) console.warn(`live view e2e tests skipped: ${skip}`);

/** Drags `files` over the page (the overlay should show), then drops them unless told not to. */
async function dragFiles(
  page: Page,
  files: { name: string; text: string }[],
  drop = true,
): Promise<void> {
  await page.evaluate(
    ({ files, drop }) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([f.text], f.name, { type: 'text/plain' }));
      const target = document.querySelector('[data-testid="results"]') ?? document.body;
      const fire = (type: string): void => {
        target.dispatchEvent(
          new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }),
        );
      };
      fire('dragenter');
      fire('dragover');
      if (drop) fire('drop');
    },
    { files, drop },
  );
}

describe.skipIf(skip !== undefined)('live views, import and plans', () => {
  const playground = usePlayground({ width: 1280, height: 900 });
  async function freshPage(): Promise<Page> {
    const page = await playground.freshPage();
    await openPage(page, playground.url);
    return page;
  }

  test('a pinned window view follows the writes, in its rows and its chart', async () => {
    const p = await freshPage();
    await runScript(
      p,
      `CREATE TABLE t (ts TIMESTAMP, x INT);
CREATE MATERIALIZED VIEW w AS SELECT window_start, count(*) AS n, sum(x) AS total
  FROM TUMBLE(t, ts, INTERVAL '1 minute') GROUP BY window_start;
INSERT INTO t VALUES ('2026-01-01 10:00:10', 1);`,
    );
    // Marks this document: a reload would lose it.
    await p.evaluate(() => ((window as Window & { sameDocument?: boolean }).sameDocument = true));
    const pin = p.locator('[data-relation="w"] [data-testid="pin"]');
    await pin.waitFor();
    await pin.click();
    const panel = p.locator('[data-testid="live-view"]');
    await panel.waitFor({ state: 'visible' });
    await expect
      .poll(async () => (await readLive(p)).rows)
      .toEqual([['2026-01-01 10:00:00', '1', '1']]);
    const first = await readLive(p);
    expect(first.header).toEqual(['window_start', 'n', 'total']);
    expect(first.count).toBe('1 row');
    expect(first.updated).toBe('no change since pinned');
    expect(first.changes).toEqual([null]);
    await expect
      .poll(() => readChart(p))
      .toEqual({
        points: 1,
        series: [
          { label: 'n', length: 1, last: 1 },
          { label: 'total', length: 1, last: 1 },
        ],
      });

    // The same window again: its row is updated in place.
    await runScript(p, "INSERT INTO t VALUES ('2026-01-01 10:00:40', 5)");
    await expect
      .poll(async () => (await readLive(p)).rows)
      .toEqual([['2026-01-01 10:00:00', '2', '6']]);
    const updated = await readLive(p);
    expect(updated.changes).toEqual(['updated']);
    expect(updated.updated).toMatch(/^last change /);
    await expect.poll(async () => (await readChart(p)).series.map((s) => s.last)).toEqual([2, 6]);

    // Two new windows: new rows, and the chart gets their points.
    await runScript(
      p,
      "INSERT INTO t VALUES ('2026-01-01 10:01:05', 3), ('2026-01-01 10:02:30', 4), ('2026-01-01 10:02:31', 10)",
    );
    await expect
      .poll(async () => (await readLive(p)).rows)
      .toEqual([
        ['2026-01-01 10:00:00', '2', '6'],
        ['2026-01-01 10:01:00', '1', '3'],
        ['2026-01-01 10:02:00', '2', '14'],
      ]);
    const grown = await readLive(p);
    expect(grown.changes).toEqual(['updated', 'inserted', 'inserted']);
    expect(grown.count).toBe('3 rows');
    await expect
      .poll(() => readChart(p))
      .toEqual({
        points: 3,
        series: [
          { label: 'n', length: 3, last: 2 },
          { label: 'total', length: 3, last: 14 },
        ],
      });
    // The flash is caught while it plays.
    await screenshot(p, 'live-view');

    // A delete empties a window: its row goes, and its point.
    await runScript(p, 'DELETE FROM t WHERE x = 3');
    await expect
      .poll(async () => (await readLive(p)).rows)
      .toEqual([
        ['2026-01-01 10:00:00', '2', '6'],
        ['2026-01-01 10:02:00', '2', '14'],
      ]);
    await expect.poll(async () => (await readChart(p)).points).toBe(2);
    // The panel agrees with a query of the view, and nothing was reloaded.
    await runScript(p, 'SELECT * FROM w ORDER BY window_start');
    expect((await readGrid(p)).rows).toEqual((await readLive(p)).rows);
    expect(
      await p.evaluate(() => (window as Window & { sameDocument?: boolean }).sameDocument),
    ).toBe(true);
    // Unpinned, the panel goes and later writes do not bring it back.
    await p.click('[data-testid="unpin"]');
    await panel.waitFor({ state: 'hidden' });
    await runScript(p, "INSERT INTO t VALUES ('2026-01-01 10:05:00', 1)");
    expect(await panel.isHidden()).toBe(true);
    // Pinned again, it starts from the rows as they are now; dropped, the panel goes with it.
    await pin.click();
    await expect
      .poll(async () => (await readLive(p)).rows.map((r) => r[0]))
      .toEqual(['2026-01-01 10:00:00', '2026-01-01 10:02:00', '2026-01-01 10:05:00']);
    await runScript(p, 'DROP MATERIALIZED VIEW w');
    await panel.waitFor({ state: 'hidden' });
  });

  test('a dropped CSV file becomes a table; a bad value is reported by column and line', async () => {
    const p = await freshPage();
    const csv =
      'Id,City,Amount,At\r\n1,"Paris, FR",12.5,2026-05-01 09:00:00\r\n2,Lyon,7,2026-05-01 09:30:00\r\n3,"Quote ""Q""",,2026-05-02 00:00:00\r\n';
    await dragFiles(p, [{ name: 'Sales Data.csv', text: csv }], false);
    const zone = p.locator('[data-testid="drop-zone"]');
    expect(await zone.isVisible()).toBe(true);
    await screenshot(p, 'drop-zone');
    await dragFiles(p, [{ name: 'Sales Data.csv', text: csv }]);
    const summary = p.locator('[data-testid="import-summary"]');
    await summary.waitFor();
    expect(await summary.innerText()).toContain('imported 3 rows into sales_data');
    expect(await zone.isHidden()).toBe(true);
    await p.locator('[data-relation="sales_data"]').waitFor();
    await screenshot(p, 'csv-import');
    await runScript(
      p,
      'SELECT id, city, amount, at, amount IS NULL AS no_amount FROM sales_data ORDER BY id',
    );
    expect(await readGrid(p)).toEqual({
      header: ['id', 'city', 'amount', 'at', 'no_amount'],
      rows: [
        ['1', 'Paris, FR', '12.5', '2026-05-01 09:00:00', 'f'],
        ['2', 'Lyon', '7', '2026-05-01 09:30:00', 'f'],
        ['3', 'Quote "Q"', '', '2026-05-02 00:00:00', 't'],
      ],
    });
    // Into the table that now exists: rows are added, a bad value stops the whole file.
    await dragFiles(p, [{ name: 'sales_data.csv', text: 'id,amount\n4,1\n5,lots\n' }]);
    const error = p.locator('[data-testid="error"]');
    await error.waitFor({ state: 'visible' });
    const message = await error.innerText();
    expect(message).toContain('column "amount", line 3');
    expect(message).toContain('"lots"');
    await runScript(p, 'SELECT count(*) AS n FROM sales_data');
    expect((await readGrid(p)).rows).toEqual([['3']]);
  });

  test('EXPLAIN draws its plan as a graph, with the text a click away', async () => {
    const p = await freshPage();
    await runScript(
      p,
      `CREATE TABLE t (ts TIMESTAMP, x INT, g VARCHAR);
EXPLAIN CREATE MATERIALIZED VIEW w AS SELECT window_start, count(*) AS n, sum(x) AS total
  FROM TUMBLE(t, ts, INTERVAL '1 minute') GROUP BY window_start;`,
    );
    const graph = p.locator('[data-testid="plan-graph"]');
    await graph.waitFor({ state: 'visible' });
    const operators = await graph
      .locator('.plan-node')
      .evaluateAll((ns) => ns.map((n) => (n as SVGGElement).dataset.operator));
    expect(operators).toContain('StreamHashAgg');
    expect(operators).toContain('StreamTumble');
    expect(operators[0]).toBe('StreamMaterialize');
    expect(await graph.locator('.plan-edge').count()).toBe(operators.length - 1);
    // Details sit under the operator's bold name.
    const agg = graph.locator('.plan-node[data-operator="StreamHashAgg"]');
    expect(await agg.locator('.plan-detail').allTextContents()).toEqual([
      'group_key: [window_start]',
      'aggs: [count(*), sum(x)]',
    ]);
    expect(await p.locator('[data-testid="results"]').isHidden()).toBe(true);
    await screenshot(p, 'plan-graph');
    // Back to the text: the grid's lines name the same operators, in the same order.
    await p.click('[data-testid="plan-toggle"]');
    expect(await graph.isHidden()).toBe(true);
    const lines = (await readGrid(p)).rows.map((r) => r[0]!);
    expect(lines.map((l) => /[A-Za-z]+/.exec(l)![0])).toEqual(operators);
    // A query after it shows rows, and no plan.
    await runScript(p, 'SELECT 1 AS one');
    expect(await graph.isHidden()).toBe(true);
    expect(await p.locator('[data-testid="plan-toggle"]').isHidden()).toBe(true);
    expect((await readGrid(p)).rows).toEqual([['1']]);
    // A join's plan: shown as text, the choice made before; as a graph, its two inputs side by
    // side under the join.
    await runScript(p, 'EXPLAIN SELECT a.g FROM t a JOIN t b ON a.x = b.x');
    expect(await graph.isHidden()).toBe(true);
    expect((await readGrid(p)).rows.length).toBeGreaterThan(3);
    await p.click('[data-testid="plan-toggle"]');
    await graph.waitFor({ state: 'visible' });
    const boxes = await graph.locator('.plan-node rect').evaluateAll((rs) =>
      rs.map((r) => ({
        op: (r.parentElement as unknown as SVGGElement).dataset.operator,
        x: Number(r.getAttribute('x')),
        y: Number(r.getAttribute('y')),
      })),
    );
    const scans = boxes.filter((b) => b.op === 'TableScan');
    expect(scans).toHaveLength(2);
    expect(scans[0]!.y).toBe(scans[1]!.y);
    expect(scans[0]!.x).not.toBe(scans[1]!.x);
  });
});
