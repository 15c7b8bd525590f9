/**
 * `npm run bench`: each Wasm kernel against its plain-TypeScript counterpart, then end-to-end
 * inserts into the seed scenario's fcluster_events with both views live, next to DuckDB
 * (recomputing the views after each batch) and the d2ts incremental peer, on identical data.
 * Rows/s are the median of RUNS runs after a warm-up. Writes bench/results/<name>.json and the
 * table in bench/README.md.
 */
import { cpus, platform, arch } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { D2, MultiSet, map, filter, reduce, output } from '@electric-sql/d2ts';
import { DuckDBInstance } from '@duckdb/node-api';
import { Database } from '../runtime/engine.js';
import {
  Filter,
  HashAggregator,
  I64HashJoin,
  KeyHasher,
  Take,
  WindowAssigner,
  loadKernelsSync,
  type KColumn,
} from '../runtime/kernels/index.js';
import { arrowTable, events, insertSql, seedDdl, seedSql, type Ev } from './seed-data.js';
import type { Table } from 'apache-arrow';
import { TsAgg, TsJoin, tsFilterGt, tsHashUtf8, tsTake, tsTumble } from './ts-kernels.js';

const RUNS = 5;
const k = loadKernelsSync();
const results: Record<string, unknown>[] = [];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** rows/s of `fn` (which processes `rows` rows): one warm-up, then the median of RUNS runs. */
function rate(rows: number, fn: () => unknown): number {
  return timedRate(rows, () => {
    const t = performance.now();
    fn();
    return performance.now() - t;
  });
}

/** `rate` for a `fn` that returns the milliseconds of its own timed part. */
function timedRate(rows: number, fn: () => number): number {
  fn();
  const r: number[] = [];
  for (let i = 0; i < RUNS; i++) r.push(rows / (fn() / 1000));
  return median(r);
}

function kernel(name: string, rows: number, wasm: () => void, ts: () => void) {
  const w = rate(rows, wasm);
  const t = rate(rows, ts);
  results.push({ group: 'kernel', name, rows, wasmRowsPerSec: w, tsRowsPerSec: t, ratio: w / t });
  console.log(`${name}: wasm ${fmt(w)} rows/s, ts ${fmt(t)} rows/s, ×${(w / t).toFixed(2)}`);
}

const fmt = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(1)}M` : `${(x / 1e3).toFixed(1)}k`);

// ------------------------------------------------------------------ kernels
const N = 1 << 20;
const keys = new BigInt64Array(N);
const vals = new BigInt64Array(N);
const ts = new BigInt64Array(N);
for (let i = 0; i < N; i++) {
  keys[i] = BigInt((i * 7919) % 1000);
  vals[i] = BigInt(i % 100000);
  ts[i] = 1_775_000_000_000_000n + BigInt(i) * 1000n;
}
const weights = new Int8Array(N).fill(1);
const keyCol: KColumn = { kind: 'fixed', values: keys };
const valCol: KColumn = { kind: 'fixed', values: vals };

// BENCH_ONLY=e2e skips the kernels.
if (process.env.BENCH_ONLY !== 'e2e') {
  {
    const agg = new HashAggregator(k, true, [{ fn: 'count_star' }, { fn: 'sum_int', column: 0 }]);
    const ref = new TsAgg();
    // fold: group ids stay in Wasm memory (the TS reference returns none either)
    kernel(
      'hash aggregation, int64 key, 1,000 groups, count + sum',
      N,
      () => agg.fold({ keys: [keyCol], weights, args: [valCol] }),
      () => ref.apply(keys, weights, vals),
    );
    const agg2 = new HashAggregator(k, true, [{ fn: 'count_star' }, { fn: 'sum_int', column: 0 }]);
    kernel(
      'hash aggregation, as above, group ids copied out (apply)',
      N,
      () => agg2.apply({ keys: [keyCol], weights, args: [valCol] }),
      () => ref.apply(keys, weights, vals),
    );
    // the kernel alone, with inputs already in Wasm memory (no copy-in, no group-id copy-out)
    const x = k.x;
    const kp = k.put(k.region(), keys);
    const vp = k.put(k.region(), vals);
    const wp = k.put(k.region(), weights);
    const gp = k.region().ensure(N * 4);
    const t = x.i64TableNew(1024);
    const cnt = x.alloc(8 * 1024);
    const lo = x.alloc(8 * 1024);
    const hi = x.alloc(8 * 1024);
    const w = rate(N, () => {
      x.i64TableAssign(t, kp, 0, N, gp);
      x.aggCount(gp, wp, 0, N, cnt);
      x.aggSumI64Wide(gp, wp, vp, 0, N, lo, hi);
    });
    results.push({
      group: 'kernel',
      name: 'hash aggregation, Wasm only (inputs resident)',
      rows: N,
      wasmRowsPerSec: w,
    });
    console.log(`hash aggregation, resident: ${fmt(w)} rows/s`);
    const tf = x.i64TableNew(1024);
    const wf = rate(N, () => {
      x.aggFusedI64(tf, kp, 0, N, 0, wp, cnt, vp, 0, lo, hi, 0, 1024);
    });
    results.push({
      group: 'kernel',
      name: 'hash aggregation, fused kernel only (inputs resident)',
      rows: N,
      wasmRowsPerSec: wf,
    });
    console.log(`hash aggregation, fused, resident: ${fmt(wf)} rows/s`);
    const copyRegion = k.region();
    const copy = rate(N, () => k.put(copyRegion, keys));
    results.push({
      group: 'kernel',
      name: 'copy-in of one int64 column',
      rows: N,
      wasmRowsPerSec: copy,
    });
    console.log(`copy-in: ${fmt(copy)} rows/s`);
  }

  {
    const B = 1_000_000;
    const bk = new BigInt64Array(B);
    for (let i = 0; i < B; i++) bk[i] = BigInt(i * 3);
    const pk = new BigInt64Array(N);
    for (let i = 0; i < N; i++) pk[i] = BigInt((i * 7) % (3 * B));
    const tj = new TsJoin();
    tj.build(bk);
    // I64HashJoin: key and row inline in one slot; pairs copied out as Int32Arrays
    const hj = new I64HashJoin(k, B);
    hj.insert({ kind: 'fixed', values: bk });
    kernel(
      'hash-join probe, int64 key, 1M-row build side',
      N,
      () => hj.probe({ kind: 'fixed', values: pk }),
      () => tj.probe(pk),
    );
    kernel(
      'hash-join probe, as above, pairs as Wasm-memory views (probeEach, no copy-out)',
      N,
      () => hj.probeEach({ kind: 'fixed', values: pk }, () => {}),
      () => tj.probe(pk),
    );
  }

  {
    const f = new Filter(k);
    const out = new Int32Array(N);
    kernel(
      'compare int64 > constant → selection vector',
      N,
      () => f.compare(valCol, '>', 50000n),
      () => tsFilterGt(vals, 50000n, out),
    );
    const w = new WindowAssigner(k);
    const o64 = new BigInt64Array(N);
    kernel(
      'TUMBLE window start, 1 minute',
      N,
      () => w.tumble(ts, null, 60_000_000n),
      () => tsTumble(ts, 60_000_000n, o64),
    );
    const t = new Take(k);
    const idx = new Int32Array(N);
    for (let i = 0; i < N; i++) idx[i] = (i * 31) % N;
    kernel(
      'take int64 by index',
      N,
      () => t.take(valCol, idx),
      () => tsTake(vals, idx, o64),
    );
    const strs = Array.from({ length: N }, (_, i) => `user-${i % 5000}`);
    const enc = new TextEncoder();
    const offsets = new Int32Array(N + 1);
    const chunks: Uint8Array[] = [];
    let total = 0;
    strs.forEach((s, i) => {
      const b = enc.encode(s);
      chunks.push(b);
      total += b.length;
      offsets[i + 1] = total;
    });
    const data = new Uint8Array(total);
    chunks.forEach((c, i) => data.set(c, offsets[i]!));
    const h = new KeyHasher(k);
    const hout = new Uint32Array(N);
    kernel(
      'hash UTF-8 key column',
      N,
      () => h.hash([{ kind: 'utf8', offsets, data }]),
      () => tsHashUtf8(strs, hout),
    );
  }
}

// ------------------------------------------------------------------ end to end
// BENCH_ONLY=kernels stops here: no end-to-end runs; the kernel rows go to results/kernels.json
// and latest.json / README.md are left as they are.
if (process.env.BENCH_ONLY === 'kernels') {
  const m = `${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), ${platform()} ${arch()}`;
  writeFileSync(
    new URL('./results/kernels.json', import.meta.url),
    JSON.stringify(
      { machine: m, node: process.version, runs: RUNS, date: new Date().toISOString(), results },
      null,
      2,
    ) + '\n',
  );
  process.exit(0);
}
/** The run's events cut into batches, each converted by `as` (inputs are built per engine). */
function batches<T>(batch: number, total: number, as: (evs: Ev[]) => T): T[] {
  const evs = events(total);
  const out: T[] = [];
  for (let i = 0; i < total; i += batch) out.push(as(evs.slice(i, i + batch)));
  return out;
}

async function endToEnd(batch: number, total: number, withSql: boolean) {
  // Each engine's input is built just before its runs and dropped after them, so no engine's
  // heap carries (and garbage-collects around) the others' inputs.
  let arrow: Table[] | null = batches(batch, total, arrowTable);
  // Creating the database and its views is setup, outside the timed part (as for every peer).
  const sluiceArrow = timedRate(total, () => {
    const s = new Database().connect();
    s.execute(seedDdl);
    const t = performance.now();
    for (const b of arrow!) s.insertArrow('fcluster_events', b);
    return performance.now() - t;
  });
  arrow = null;
  let sql: string[] | null = batches(batch, total, insertSql);
  const sluiceSql = withSql
    ? timedRate(total, () => {
        const s = new Database().connect();
        s.execute(seedDdl);
        const t = performance.now();
        for (const b of sql!) s.execute(b);
        return performance.now() - t;
      })
    : null;

  const inst = await DuckDBInstance.create(':memory:');
  const views = [...seedSql.matchAll(/CREATE MATERIALIZED VIEW \w+ AS([\s\S]*?);/g)].map((m) =>
    m[1]!.replace(
      /FROM TUMBLE\(fcluster_events, ts, INTERVAL '1 minute'\)/,
      "FROM (SELECT *, time_bucket(INTERVAL '1 minute', ts) AS window_start, time_bucket(INTERVAL '1 minute', ts) + INTERVAL '1 minute' AS window_end FROM fcluster_events)",
    ),
  );
  const duckRuns: number[] = [];
  for (let r = 0; r <= RUNS; r++) {
    const c = await inst.connect();
    await c.run('DROP TABLE IF EXISTS fcluster_events');
    await c.run("SET TimeZone = 'UTC'");
    await c.run(
      'CREATE TABLE fcluster_events (event_id BIGINT, user_id BIGINT, event_type VARCHAR, amount DECIMAL(18,2), ts TIMESTAMPTZ)',
    );
    const t = performance.now();
    for (const b of sql) {
      await c.run(b);
      for (const v of views) await c.runAndReadAll(v);
    }
    if (r > 0) duckRuns.push(total / ((performance.now() - t) / 1000));
    c.closeSync();
  }
  const duck = median(duckRuns);
  sql = null;
  // d2ts gets its input as ready-made multisets, as Sluice gets ready-made Arrow tables.
  let d2Batches: MultiSet<Ev>[] | null = batches(
    batch,
    total,
    (evs) => new MultiSet(evs.map((e) => [e, 1] as [Ev, number])),
  );

  const d2 = timedRate(total, () => {
    const graph = new D2({ initialFrontier: 0 });
    const input = graph.newInput<Ev>();
    let outputs = 0;
    input.pipe(
      map((e: Ev) => [e.user, e] as [number, Ev]),
      reduce((values: [Ev, number][]) => {
        let count = 0;
        let sum = 0;
        let maxTs = -Infinity;
        for (const [e, m] of values) {
          if (e.type === 'purchase') {
            count += m;
            if (e.cents !== null) sum += m * e.cents;
          }
          if (m > 0 && e.ts > maxTs) maxTs = e.ts;
        }
        return [[{ count, sum, maxTs }, 1]];
      }),
      output(() => outputs++),
    );
    input.pipe(
      filter((e: Ev) => e.type === 'purchase'),
      map((e: Ev) => [Math.floor(e.ts / 60) * 60, e] as [number, Ev]),
      reduce((values: [Ev, number][]) => {
        let count = 0;
        let sum = 0;
        for (const [e, m] of values) {
          count += m;
          if (e.cents !== null) sum += m * e.cents;
        }
        return [[{ count, sum }, 1]];
      }),
      output(() => outputs++),
    );
    graph.finalize();
    let v = 0;
    const t = performance.now();
    for (const b of d2Batches!) {
      input.sendData(v, b);
      input.sendFrontier(++v);
      graph.run();
    }
    return performance.now() - t;
  });
  d2Batches = null;
  const row = {
    group: 'end-to-end',
    name: `insert, batches of ${batch}`,
    rows: total,
    sluiceRowsPerSec: sluiceArrow,
    sluiceSqlRowsPerSec: sluiceSql,
    duckdbRowsPerSec: duck,
    d2tsRowsPerSec: d2,
    vsDuckdb: sluiceArrow / duck,
    vsD2ts: sluiceArrow / d2,
  };
  results.push(row);
  console.log(
    `e2e batch ${batch} × ${total}: sluice Arrow ${fmt(sluiceArrow)}, SQL ${sluiceSql ? fmt(sluiceSql) : '—'}, duckdb ${fmt(duck)}, d2ts ${fmt(d2)} rows/s`,
  );
}

// batch:rows[:nosql] — `nosql` skips Sluice's SQL-text column (too slow for a 1M-row run).
const E2E = (process.env.BENCH_E2E ?? '1:2000,100:20000,10000:100000,10000:1000000:nosql')
  .split(',')
  .map((s) => s.split(':'));
for (const [b, t, flag] of E2E) await endToEnd(Number(b), Number(t), flag !== 'nosql');

// ------------------------------------------------------------------ report
const machine = `${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), ${platform()} ${arch()}`;
const meta = { machine, node: process.version, runs: RUNS, date: new Date().toISOString() };
writeFileSync(
  new URL('./results/latest.json', import.meta.url),
  JSON.stringify({ ...meta, results }, null, 2) + '\n',
);
const lines = [
  `Machine: ${machine}; Node ${process.version}; median of ${RUNS} runs after one warm-up.`,
  '',
  '| kernel | rows | Wasm rows/s | plain TS rows/s | ratio |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...results
    .filter((r) => r.group === 'kernel')
    .map((r) => {
      const ts = r.tsRowsPerSec as number | undefined;
      return `| ${String(r.name)} | ${String(r.rows)} | ${fmt(r.wasmRowsPerSec as number)} | ${ts ? fmt(ts) : '—'} | ${ts ? `×${(r.ratio as number).toFixed(2)}` : '—'} |`;
    }),
  '',
  '| end to end (seed views live) | rows | Sluice, Arrow insert rows/s | Sluice, SQL INSERT text rows/s | DuckDB recompute rows/s | d2ts rows/s | Arrow vs DuckDB | Arrow vs d2ts |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results
    .filter((r) => r.group === 'end-to-end')
    .map(
      (r) =>
        `| ${String(r.name)} | ${String(r.rows)} | ${fmt(r.sluiceRowsPerSec as number)} | ${r.sluiceSqlRowsPerSec ? fmt(r.sluiceSqlRowsPerSec as number) : '—'} | ${fmt(r.duckdbRowsPerSec as number)} | ${fmt(r.d2tsRowsPerSec as number)} | ×${(r.vsDuckdb as number).toFixed(2)} | ×${(r.vsD2ts as number).toFixed(2)} |`,
    ),
];
const readme = new URL('./README.md', import.meta.url);
let text = '';
try {
  text = readFileSync(readme, 'utf8');
} catch {
  text = '';
}
const START = '<!-- results -->';
const END = '<!-- /results -->';
const block = `${START}\n${lines.join('\n')}\n${END}`;
text = text.includes(START)
  ? text.slice(0, text.indexOf(START)) + block + text.slice(text.indexOf(END) + END.length)
  : `${text}\n${block}\n`;
// Written as Prettier formats it, so the repository's format check holds after a run.
const prettier = await import('prettier');
const options = (await prettier.resolveConfig(readme.pathname)) ?? {};
writeFileSync(readme, await prettier.format(text, { ...options, filepath: readme.pathname }));
