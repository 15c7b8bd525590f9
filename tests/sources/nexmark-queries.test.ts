/**
 * Generated Nexmark data in a real database: the rows insert into RisingWave's Nexmark tables
 * and read back unchanged, and Nexmark queries q0..q8, created as materialized views before
 * the data arrives, equal the same queries run as batch SELECTs after every batch (MV = query).
 * The clickstream rows go through a windowed view the same way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Sluice, type QueryResult } from '../../runtime/index.js';
import { NexmarkGenerator } from '../../runtime/sources/nexmark.js';
import { ClickstreamGenerator } from '../../runtime/sources/clickstream.js';
import type { EventGenerator, GeneratedBatch } from '../../runtime/sources/generator.js';
import { formatValue } from '../../runtime/types/format.js';
import type { Row } from '../../runtime/types/value.js';

const QUERIES = '/work/shared/peer/risingwave/nexmark-queries';

function nexmarkQuery(q: number): string {
  return readFileSync(join(QUERIES, `q${q}.sql`), 'utf8')
    .replace(/^--.*$/gm, '')
    .trim()
    .replace(/;$/, '');
}

/** Rows as sorted text lines, for comparing multisets. */
function lines(r: QueryResult, rows: Row[] = r.rows): string[] {
  return rows
    .map((row) =>
      row
        .map((v, j) =>
          v === null ? 'NULL' : formatValue(v, r.columns[j]!.type, { timeZone: 'UTC' }),
        )
        .join('|'),
    )
    .sort();
}

async function insertBatches(
  db: Sluice,
  g: EventGenerator,
  batches: GeneratedBatch[],
): Promise<void> {
  for (const b of batches) {
    const columns = g.tables.find((t) => t.name === b.table)!.columns;
    const objects = b.rows.map((r) => Object.fromEntries(columns.map((c, j) => [c, r[j]])));
    expect(await db.insert(b.table, objects)).toBe(b.rows.length);
  }
}

describe.skipIf(
  !(() => {
    try {
      readFileSync(join(QUERIES, 'q0.sql'));
      return true;
    } catch {
      return false;
    }
  })(),
)('nexmark queries over generated data', () => {
  test('rows insert into the Nexmark tables and read back as generated', async () => {
    const db = await Sluice.open({ storage: 'memory' });
    const g = new NexmarkGenerator({}, { seed: 21 });
    for (const t of g.tables) await db.execute(t.ddl);
    const generated = g.next(3000);
    await insertBatches(db, g, generated);
    for (const b of generated) {
      const back = await db.query(`SELECT * FROM ${b.table}`);
      expect(back.columns.map((c) => c.name)).toEqual(
        g.tables.find((t) => t.name === b.table)!.columns,
      );
      expect(lines(back)).toEqual(lines(back, b.rows));
    }
    await db.close();
  });

  test('q0..q8 as materialized views equal their batch queries after every batch', async () => {
    const db = await Sluice.open({ storage: 'memory' });
    // A 5 ms gap spreads 6,000 events over 30 s of event time: several 10 s windows.
    const g = new NexmarkGenerator({ 'nexmark.min.event.gap.in.ns': '5000000' }, { seed: 8 });
    for (const t of g.tables) await db.execute(t.ddl);
    const queries = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    for (const q of queries)
      await db.execute(`CREATE MATERIALIZED VIEW nexmark_q${q} AS ${nexmarkQuery(q)}`);
    const sizes: Record<number, number> = {};
    for (let batch = 0; batch < 4; batch++) {
      await insertBatches(db, g, g.next(1500));
      for (const q of queries) {
        const view = await db.query(`SELECT * FROM nexmark_q${q}`);
        const batchQuery = await db.query(nexmarkQuery(q));
        expect(lines(view), `q${q} after batch ${batch}`).toEqual(lines(batchQuery));
        sizes[q] = view.rows.length;
      }
    }
    // The data exercises every query: each view ends non-empty.
    for (const q of queries) expect(sizes[q], `q${q}`).toBeGreaterThan(0);
    await db.close();
  });

  test('a tumbling-window view over clicks equals its query', async () => {
    const db = await Sluice.open({ storage: 'memory' });
    const g = new ClickstreamGenerator(
      { 'clickstream.min.event.gap.in.ns': '20000000' },
      { seed: 3 },
    );
    await db.execute(g.tables[0]!.ddl);
    const sql = `SELECT page, window_start, count(*) AS views, count(DISTINCT user_id) AS users
      FROM TUMBLE(clicks, event_time, INTERVAL '10' SECOND) GROUP BY page, window_start`;
    await db.execute(`CREATE MATERIALIZED VIEW clicks_10s AS ${sql}`);
    for (let batch = 0; batch < 3; batch++) {
      await insertBatches(db, g, g.next(1000));
      expect(lines(await db.query('SELECT * FROM clicks_10s'))).toEqual(lines(await db.query(sql)));
    }
    const total = await db.query('SELECT sum(views)::bigint FROM clicks_10s');
    expect(total.rows[0]![0]).toBe(3000n);
    await db.close();
  });
});
