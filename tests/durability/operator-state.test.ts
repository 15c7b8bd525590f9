/**
 * Checkpoints hold every view's operator state, and recovery restores it instead of
 * recomputing views from their inputs: after a restart no row flows through any dataflow, and
 * the restored operators then maintain their views exactly as the originals would — checked
 * against a database that never restarted and against batch recompute, over random statements.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Database } from '../../runtime/engine.js';
import { MemoryObjectStore } from '../../runtime/storage/object-store.js';
import { decodeFrame, encodeFrame } from '../../runtime/storage/frame.js';
import type { CheckpointHeader } from '../../runtime/durability/format.js';
import { open, state, text } from './harness.js';

/** Views covering every stateful operator and the state forms each keeps. */
const SCHEMA = [
  'CREATE TABLE t (k INT, v NUMERIC, s VARCHAR, f DOUBLE PRECISION, ts TIMESTAMP)',
  'CREATE TABLE p (id INT PRIMARY KEY, name VARCHAR, amount BIGINT)',
  // Hash aggregation: kernels' sums and counts, min/max multisets, exact float sums, DISTINCT,
  // ORDER BY entries, numeric key forms, grouping sets and a global group.
  `CREATE MATERIALIZED VIEW agg AS SELECT k, count(*) AS n, sum(v) AS sv, avg(v) AS av,
     min(s) AS mins, max(ts) AS maxts, sum(f) AS sf, count(DISTINCT s) AS ds,
     string_agg(s, ',' ORDER BY s, v) AS ss, array_agg(k ORDER BY v DESC, s) AS ak,
     stddev_samp(f) AS sd, bool_or(v > 0) AS anypos FROM t GROUP BY k`,
  'CREATE MATERIALIZED VIEW byv AS SELECT v, count(*) AS n, max(k) AS mk FROM t GROUP BY v',
  'CREATE MATERIALIZED VIEW sets AS SELECT k, s, count(*) AS n FROM t GROUP BY GROUPING SETS ((k), (s), ())',
  'CREATE MATERIALIZED VIEW total AS SELECT count(*) AS n, sum(v) AS sv, min(k) AS mk FROM t',
  'CREATE MATERIALIZED VIEW dist AS SELECT DISTINCT s, k FROM t',
  // Joins: integer, text and two-column keys; outer, semi and anti joins with NULL keys.
  'CREATE MATERIALIZED VIEW j_inner AS SELECT t.k, t.v, p.name FROM t JOIN p ON t.k = p.id',
  'CREATE MATERIALIZED VIEW j_full AS SELECT t.s, p.name, p.amount FROM t FULL JOIN p ON t.s = p.name',
  'CREATE MATERIALIZED VIEW j_left2 AS SELECT t.k, p.amount FROM t LEFT JOIN p ON t.k = p.id AND t.k + 1 = p.amount',
  'CREATE MATERIALIZED VIEW j_semi AS SELECT * FROM p WHERE EXISTS (SELECT 1 FROM t WHERE t.k = p.id)',
  'CREATE MATERIALIZED VIEW j_anti AS SELECT * FROM p WHERE NOT EXISTS (SELECT 1 FROM t WHERE t.k = p.id)',
  // Top-N, group top-N (row_number), over-window functions, DISTINCT ON, session windows, union.
  'CREATE MATERIALIZED VIEW top3 AS SELECT id, amount FROM p ORDER BY amount DESC, id LIMIT 3',
  `CREATE MATERIALIZED VIEW grp_top AS SELECT * FROM (SELECT k, v, s, row_number() OVER
     (PARTITION BY k ORDER BY v DESC, s) AS rn FROM t) x WHERE rn <= 2`,
  `CREATE MATERIALIZED VIEW win AS SELECT k, v, s, lag(v) OVER (PARTITION BY k ORDER BY v, s) AS prev,
     sum(v) OVER (PARTITION BY k ORDER BY v, s) AS running FROM t`,
  'CREATE MATERIALIZED VIEW first_per_k AS SELECT DISTINCT ON (k) k, v, s FROM t ORDER BY k, v, s',
  // Session windows, both forms.
  `CREATE MATERIALIZED VIEW sess AS SELECT k, v, ts, count(*) OVER w AS n, first_value(ts) OVER w AS fs
     FROM t WINDOW w AS (PARTITION BY k ORDER BY ts SESSION WITH GAP '36 hours')`,
  `CREATE MATERIALIZED VIEW sess_tf AS SELECT k, window_start, window_end, count(*) AS n
     FROM SESSION(t, ts, '36 hours', k) GROUP BY k, window_start, window_end`,
  'CREATE MATERIALIZED VIEW uni AS SELECT k FROM t UNION SELECT id FROM p',
  // A view on a view.
  'CREATE MATERIALIZED VIEW onview AS SELECT n, count(*) AS c FROM agg GROUP BY n',
];

const key = fc.option(fc.integer({ min: 0, max: 4 }), { nil: null, freq: 6 });
const sqlKey = (k: number | null): string => (k === null ? 'NULL' : String(k));
const stmt = fc.oneof(
  fc
    .tuple(
      key,
      fc.constantFrom('1', '1.0', '1.00', '-2.5', '0', '3.25', 'NULL'),
      fc.constantFrom("'a'", "'b'", "'x'", 'NULL'),
      fc.constantFrom('0.1', '1e300', '-1e300', '2.5', 'NULL'),
      fc.integer({ min: 0, max: 3 }),
    )
    .map(
      ([k, v, s, f, d]) =>
        `INSERT INTO t VALUES (${sqlKey(k)}, ${v}, ${s}, ${f}, TIMESTAMP '2026-01-0${d + 1} 10:00')`,
    ),
  fc
    .tuple(
      fc.integer({ min: 0, max: 4 }),
      fc.constantFrom("'a'", "'x'", "'y'", 'NULL'),
      fc.integer({ min: 0, max: 9 }),
    )
    .map(([id, n, a]) => `INSERT INTO p VALUES (${id}, ${n}, ${a})`),
  key.map((k) => `DELETE FROM t WHERE k ${k === null ? 'IS NULL' : `= ${k}`}`),
  fc.constantFrom("'a'", "'b'", "'x'").map((s) => `DELETE FROM t WHERE s = ${s}`),
  key.map((k) => `UPDATE t SET v = v + 1.5, s = 'b' WHERE k = ${sqlKey(k)}`),
  fc.integer({ min: 0, max: 4 }).map((k) => `DELETE FROM p WHERE id = ${k}`),
  fc.integer({ min: 0, max: 4 }).map((k) => `UPDATE p SET amount = amount + 1 WHERE id = ${k}`),
);

/** Every materialized view's rows, sorted, in a database without durability. */
function viewRows(db: Database): Record<string, string[]> {
  const session = db.connect();
  const out: Record<string, string[]> = {};
  for (const rel of db.catalog.relations.values())
    if (rel.kind === 'materializedView')
      out[rel.name] = text(session, `SELECT * FROM ${rel.name}`).sort();
  return out;
}

const mvCount = SCHEMA.filter((s) => s.includes('MATERIALIZED VIEW')).length;

describe('operator state in checkpoints', () => {
  it('recovery restores every view without pushing a row through its dataflow', async () => {
    const store = new MemoryObjectStore();
    const a = await open(store);
    for (const s of SCHEMA) await a.run(s);
    await a.run(
      "INSERT INTO t VALUES (1, 1.0, 'a', 0.1, TIMESTAMP '2026-01-01'), (1, 1.00, 'b', 1e300, NULL), (NULL, 2, 'x', -1e300, NULL), (2, NULL, NULL, 2.5, TIMESTAMP '2026-02-01')",
    );
    await a.run("INSERT INTO p VALUES (1, 'a', 2), (2, 'x', 5), (3, NULL, 1)");
    const before = state(a.db, a.session);
    await a.durability.close();
    const b = await open(store);
    expect(b.recovery.viewsRestored).toBe(mvCount);
    // Nothing was recomputed: no row entered any operator.
    expect(b.db.graph.stats.rowsIn).toBe(0);
    expect(state(b.db, b.session)).toEqual(before);
  });

  it('a view of random values keeps the values drawn at its creation', async () => {
    const store = new MemoryObjectStore();
    const a = await open(store);
    await a.run('CREATE MATERIALIZED VIEW r AS SELECT random() AS x');
    const before = text(a.session, 'SELECT x FROM r ORDER BY x');
    await a.durability.close();
    const b = await open(store);
    expect(text(b.session, 'SELECT x FROM r ORDER BY x')).toEqual(before);
  });

  it('a checkpoint without operator state (or planned differently) rebuilds views from their inputs', async () => {
    const store = new MemoryObjectStore();
    const a = await open(store);
    for (const s of SCHEMA) await a.run(s);
    await a.run("INSERT INTO t VALUES (1, 1, 'a', 1, NULL), (2, 2, 'b', 2, NULL)");
    await a.run("INSERT INTO p VALUES (1, 'a', 2)");
    const before = state(a.db, a.session);
    await a.durability.close();
    const [name] = (await store.list('checkpoint/')) as [string];
    const { header, parts } = decodeFrame<CheckpointHeader>(name, (await store.get(name))!);
    // One view's saved dataflow differs from what is planned now; the others have no state.
    const views = header.views!;
    const agg = views.find((v) => v.layout.includes('StreamHashAgg'))!;
    agg.layout = [...agg.layout, 'StreamSomethingElse'];
    await store.put(name, encodeFrame({ ...header, views: [agg] }, parts));
    const b = await open(store);
    expect(b.recovery.viewsRestored).toBe(0);
    expect(b.db.graph.stats.rowsIn).toBeGreaterThan(0);
    expect(state(b.db, b.session)).toEqual(before);
  });

  it('restored operators go on exactly as the originals (random statements, seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(stmt, { minLength: 1, maxLength: 15 }), { minLength: 1, maxLength: 4 }),
        async (rounds) => {
          const store = new MemoryObjectStore();
          // Every epoch is checkpointed, so each restart restores operator state.
          let cur = await open(store, { checkpointBytes: 1 });
          const reference = new Database();
          const ref = reference.connect();
          for (const s of SCHEMA) {
            await cur.run(s);
            ref.execute(s);
          }
          for (const round of rounds) {
            for (const s of round) {
              await cur.run(s);
              ref.execute(s);
            }
            await cur.durability.close();
            cur = await open(store, { checkpointBytes: 1 });
            expect(cur.recovery.viewsRestored).toBe(mvCount);
            expect(viewRows(cur.db)).toEqual(viewRows(reference));
            state(cur.db, cur.session);
          }
        },
      ),
      { seed: 20261207, numRuns: 30 },
    );
  });
});
