/**
 * The Sluice half of the end-to-end benchmark alone (no DuckDB, no d2ts, no README rewrite):
 * rows/s inserted into the seed scenario's fcluster_events with both views live, for quick
 * before/after comparisons of executor changes. `BENCH_E2E=batch:rows,...` picks the sizes.
 */
import { readFileSync } from 'node:fs';
import { Database } from '../runtime/engine.js';

const RUNS = 5;
const seed = readFileSync(
  new URL('../../shared/scenarios/seed_revenue.sql', import.meta.url),
  'utf8',
);
const ddl = seed.slice(0, seed.indexOf('INSERT INTO'));
const TYPES = ['view', 'purchase', 'cart'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function batches(batch: number, total: number): string[] {
  const money = (c: number | null) =>
    c === null ? 'NULL' : `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
  const rows: string[] = [];
  for (let i = 0; i < total; i++) {
    const cents = i % 10 === 0 ? null : 100 + ((i * 37) % 10000);
    const user = 100 + ((i * 7919) % 1000);
    const ts = 1_775_000_000 + Math.floor(i / 10);
    rows.push(`(${i + 1},${user},'${TYPES[i % 3]!}',${money(cents)},to_timestamp(${ts}))`);
  }
  const out: string[] = [];
  for (let i = 0; i < total; i += batch)
    out.push(`INSERT INTO fcluster_events VALUES ${rows.slice(i, i + batch).join(',')}`);
  return out;
}

const sizes = (process.env.BENCH_E2E ?? '1:300,100:20000,10000:100000')
  .split(',')
  .map((s) => s.split(':').map(Number) as [number, number]);
for (const [batch, total] of sizes) {
  const sql = batches(batch, total);
  const run = () => {
    const s = new Database().connect();
    s.execute(ddl);
    for (const b of sql) s.execute(b);
  };
  run();
  const r: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    run();
    r.push(total / ((performance.now() - t) / 1000));
  }
  console.log(`e2e batch ${batch}: sluice ${Math.round(median(r))} rows/s (median of ${RUNS})`);
}
