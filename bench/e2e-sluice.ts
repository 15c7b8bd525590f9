/**
 * The Sluice half of the end-to-end benchmark alone (no DuckDB, no d2ts, no README rewrite):
 * rows/s inserted into the seed scenario's fcluster_events with both views live, through SQL
 * INSERT text and through `Session.insertArrow`, for quick before/after comparisons of executor
 * changes. `BENCH_E2E=batch:rows,...` picks the sizes.
 */
import { Database } from '../runtime/engine.js';
import { arrowTable, events, insertSql, seedDdl } from './seed-data.js';

const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** rows/s of `fn`, which returns the milliseconds of its timed part: warm-up, then the median. */
function rate(total: number, run: () => number): number {
  run();
  const r: number[] = [];
  for (let i = 0; i < RUNS; i++) r.push(total / (run() / 1000));
  return median(r);
}

/** Times `insert` into a fresh database with the seed's views (setup is not timed). */
function timedInsert(insert: (s: ReturnType<Database['connect']>) => void): number {
  const s = new Database().connect();
  s.execute(seedDdl);
  const t = performance.now();
  insert(s);
  return performance.now() - t;
}

const sizes = (process.env.BENCH_E2E ?? '1:300,100:20000,10000:100000')
  .split(',')
  .map((s) => s.split(':').map(Number) as [number, number]);
for (const [batch, total] of sizes) {
  const evs = events(total);
  const sql: string[] = [];
  const arrow = [];
  for (let i = 0; i < total; i += batch) {
    sql.push(insertSql(evs.slice(i, i + batch)));
    arrow.push(arrowTable(evs.slice(i, i + batch)));
  }
  const viaSql = process.env.BENCH_NO_SQL
    ? 0
    : rate(total, () =>
        timedInsert((s) => {
          for (const b of sql) s.execute(b);
        }),
      );
  const viaArrow = rate(total, () =>
    timedInsert((s) => {
      for (const t of arrow) s.insertArrow('fcluster_events', t);
    }),
  );
  console.log(
    `e2e batch ${batch}: SQL text ${Math.round(viaSql)} rows/s, Arrow ${Math.round(viaArrow)} rows/s (median of ${RUNS})`,
  );
}
