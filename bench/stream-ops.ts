/**
 * The stream hash aggregation and hash join executors alone, driven with pre-built chunks (no
 * SQL parsing, no storage): rows/s through StreamHashAgg (int key, text key, two integer keys;
 * 1,000 groups, count + sum) and StreamHashJoin (int key, both sides), 10,000-row chunks, median
 * of 5 runs after a warm-up.
 */
import { Database } from '../runtime/engine.js';
import { parseStatements } from '../runtime/sql/parser.js';
import { Binder } from '../runtime/binder/binder.js';
import { planMaterializedView } from '../runtime/exec/ddl.js';
import { runPlan } from '../runtime/exec/executor.js';
import { StreamGraph } from '../runtime/stream/graph.js';
import { WorkStats, type StreamEnv, type StreamExecutor } from '../runtime/stream/executor.js';
import { StreamChunk } from '../runtime/stream/chunk.js';
import type { Row } from '../runtime/types/value.js';

const RUNS = 5;
const CHUNK = Number(process.env.BENCH_CHUNK ?? 10_000);
const TOTAL = 200_000;

function env(): StreamEnv {
  return {
    ctx: { timeZone: 'UTC', statementTime: 0n },
    params: [],
    outer: [],
    ctes: new Map(),
    scan: () => [],
    subqueryCache: new Map(),
    runPlan,
    stats: new WorkStats(),
  };
}

function operator(setup: string, view: string, name: string): StreamExecutor {
  const session = new Database().connect();
  session.execute(setup);
  const stmt = parseStatements(view)[0];
  if (!stmt || stmt.kind !== 'createView') throw new Error('expected CREATE MATERIALIZED VIEW');
  const binder = new Binder(session.db.catalog, { timeZone: 'UTC', statementTime: 0n });
  const planned = planMaterializedView(
    session,
    new StreamGraph(),
    'mv',
    binder.bindQuery(stmt.query, null).plan,
  );
  const node = planned.nodes.find((n) => n.exec.name === name);
  if (!node) throw new Error(`no ${name}`);
  return node.exec;
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
}

/** Inserts then deletes every chunk (state stays bounded), on the given ports. */
function measure(label: string, make: () => StreamExecutor, rows: Row[], ports: number[]) {
  const chunks: Row[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) chunks.push(rows.slice(i, i + CHUNK));
  const run = () => {
    const exec = make();
    const e = env();
    for (const port of ports) for (const c of chunks) exec.process(StreamChunk.inserts(c), port, e);
    for (const port of ports)
      for (const c of chunks)
        exec.process(
          new StreamChunk(
            c.map(() => '-'),
            c,
          ),
          port,
          e,
        );
  };
  run();
  const r: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    run();
    r.push((2 * ports.length * rows.length) / ((performance.now() - t) / 1000));
  }
  console.log(`${label}: ${Math.round(median(r) / 1000)}k rows/s`);
}

const setup = 'CREATE TABLE t (a bigint, b bigint, s text, x bigint)';
const rows: Row[] = Array.from({ length: TOTAL }, (_, i) => {
  const g = (i * 7919) % 1000;
  return [BigInt(g), BigInt(g % 7), `user-${g}`, BigInt(i % 100)];
});
for (const [label, key] of [
  ['hash agg, int8 key', 'a'],
  ['hash agg, text key', 's'],
  ['hash agg, two int8 keys', 'a, b'],
] as const) {
  measure(
    label,
    () =>
      operator(
        setup,
        `CREATE MATERIALIZED VIEW mv AS SELECT ${key}, count(*) AS c, sum(x) AS s FROM t GROUP BY ${key}`,
        'StreamHashAgg',
      ),
    rows,
    [0],
  );
}
const jrows: Row[] = Array.from({ length: TOTAL / 4 }, (_, i) => [BigInt(i), BigInt(i % 100)]);
measure(
  'hash join, int8 key, 1:1',
  () =>
    operator(
      'CREATE TABLE l (k bigint, x bigint); CREATE TABLE r (k bigint, y bigint)',
      'CREATE MATERIALIZED VIEW mv AS SELECT * FROM l JOIN r ON l.k = r.k',
      'StreamHashJoin',
    ),
  jrows,
  [0, 1],
);
