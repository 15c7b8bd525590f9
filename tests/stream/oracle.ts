/**
 * The materialized-view oracle: random small tables, random DML and random view definitions;
 * after every statement each view must hold exactly what its defining query returns as a batch
 * query. Rows compare as sorted multisets of PostgreSQL text. Shared by the property test and
 * the regression cases it produced.
 */
import fc from 'fast-check';
import { Database, type Session } from '../../runtime/engine.js';
import { formatValue } from '../../runtime/types/format.js';
import { SqlError } from '../../runtime/errors.js';

export interface OracleCase {
  /** Table DDL. */
  setup: string[];
  /** DML before the views exist (their backfill). */
  before: string[];
  /** View definitions, in order; `{mvN}` is replaced by the name of view N (an earlier one). */
  views: string[];
  /** DML after the views exist (their maintenance). */
  after: string[];
}

/** Result rows as sorted PostgreSQL text lines (NULL as `∅`). */
export function textRows(session: Session, sql: string): string[] {
  const results = session.execute(sql);
  const last = results[results.length - 1]!;
  const cols = last.columns ?? [];
  return last
    .rows!.map((r) =>
      r
        .map((v, i) =>
          v === null ? '∅' : formatValue(v, cols[i]!.type, { timeZone: session.settings.timeZone }),
        )
        .join(' | '),
    )
    .sort();
}

export class OracleMismatch extends Error {}

/**
 * Runs a case; throws OracleMismatch naming the statement after which a view differed from its
 * query. DML that fails (a key violation, say) is allowed: the views must then still agree.
 */
export function runOracleCase(c: OracleCase): void {
  const session = new Database().connect();
  for (const s of c.setup) session.execute(s);
  for (const s of c.before) tryDml(session, s);
  const views: { name: string; query: string }[] = [];
  c.views.forEach((v, i) => {
    const query = v.replace(/\{mv(\d+)\}/g, (_, n: string) => `mv${n}`);
    const name = `mv${i}`;
    session.execute(`CREATE MATERIALIZED VIEW ${name} AS ${query}`);
    views.push({ name, query });
  });
  const check = (after: string): void => {
    for (const v of views) {
      const got = textRows(session, `SELECT * FROM ${v.name}`);
      const want = textRows(session, v.query);
      if (got.join('\n') !== want.join('\n'))
        throw new OracleMismatch(
          `view ${v.name} (${v.query}) differs from its query after: ${after}\n--- view\n${got.join('\n')}\n--- query\n${want.join('\n')}`,
        );
    }
  };
  check('CREATE MATERIALIZED VIEW (backfill)');
  for (const s of c.after) {
    const recreate = /^@recreate (\d+)$/.exec(s);
    if (recreate) {
      // Drop view N and every later one (they may depend on it), newest first; then rebuild
      // them from the current data by backfill.
      const from = Math.min(Number(recreate[1]), views.length - 1);
      for (let i = views.length - 1; i >= from; i--)
        session.execute(`DROP MATERIALIZED VIEW ${views[i]!.name}`);
      for (let i = from; i < views.length; i++)
        session.execute(`CREATE MATERIALIZED VIEW ${views[i]!.name} AS ${views[i]!.query}`);
    } else tryDml(session, s);
    check(s);
  }
}

function tryDml(session: Session, sql: string): void {
  if (sql.startsWith('@')) return;
  try {
    session.execute(sql);
  } catch (err) {
    if (!(err instanceof SqlError) || err.code === 'XX000') throw err;
  }
}

/** The whole case as one SQL script, for failure reports and regression files. */
export function caseScript(c: OracleCase): string {
  return [
    ...c.setup,
    ...c.before,
    ...c.views.map(
      (v, i) => `CREATE MATERIALIZED VIEW mv${i} AS ${v.replace(/\{mv(\d+)\}/g, 'mv$1')}`,
    ),
    ...c.after.map((s) => (s.startsWith('@') ? `-- ${s} (drop and recreate views from there)` : s)),
  ]
    .map((s) => `${s};`)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Generators. Small domains so keys collide, groups shrink to empty and joins find duplicates.

const int = (lo: number, hi: number): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: lo, max: hi }).map(String) },
    { weight: 1, arbitrary: fc.constant('NULL') },
  );
const key = int(0, 3);
const small = int(-3, 3);
const text = fc.constantFrom("'a'", "'b'", "'c'", "'a b'", 'NULL');
// 1.5 and 1.50 are one value written two ways; NaN is a numeric no Wasm sum represents.
const num = fc.constantFrom('1.50', '1.5', '-2.25', '0.00', '10.10', '3.333', "'NaN'", 'NULL');
const ts = fc.constantFrom(
  "'2024-01-01 00:10:00+00'",
  "'2024-01-01 00:50:00+00'",
  "'2024-01-01 01:20:00+00'",
  "'2024-01-01 02:00:00+00'",
  "'2023-12-31 23:59:59+00'",
  'NULL',
);

/** t1(id, k, v, s, n, ts) and t2(id, k, w, s); `id` is the primary key when `pk`. */
const t1Row = fc.tuple(fc.integer({ min: 0, max: 7 }).map(String), key, small, text, num, ts);
const t2Row = fc.tuple(fc.integer({ min: 0, max: 7 }).map(String), key, small, text);
const rowsOf = (rows: string[][]): string => rows.map((r) => `(${r.join(', ')})`).join(', ');

const t1Pred = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('id', 'k', 'v'),
      fc.constantFrom('=', '<', '>', '<>'),
      fc.integer({ min: -1, max: 4 }),
    )
    .map(([c, op, n]) => `${c} ${op} ${n}`),
  fc.constantFrom(
    'k IS NULL',
    'v IS NULL',
    's IS NULL',
    "s = 'a'",
    'n > 0',
    "ts < '2024-01-01 01:00:00+00'",
    'TRUE',
  ),
);
const t2Pred = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('id', 'k', 'w'),
      fc.constantFrom('=', '<', '>'),
      fc.integer({ min: -1, max: 4 }),
    )
    .map(([c, op, n]) => `${c} ${op} ${n}`),
  fc.constantFrom('k IS NULL', 'w IS NULL', "s = 'b'", 'TRUE'),
);

const t1Set = fc.oneof(
  fc.tuple(fc.constantFrom('id'), fc.integer({ min: 0, max: 7 }).map(String)),
  fc.tuple(fc.constantFrom('k'), key),
  fc.tuple(fc.constantFrom('v'), small),
  fc.tuple(fc.constantFrom('s'), text),
  fc.tuple(fc.constantFrom('n'), num),
  fc.tuple(fc.constantFrom('ts'), ts),
  fc.constant(['v', 'v + 1'] as [string, string]),
  fc.constant(['k', 'coalesce(k, 0) + 1'] as [string, string]),
);
const t2Set = fc.oneof(
  fc.tuple(fc.constantFrom('id'), fc.integer({ min: 0, max: 7 }).map(String)),
  fc.tuple(fc.constantFrom('k'), key),
  fc.tuple(fc.constantFrom('w'), small),
  fc.tuple(fc.constantFrom('s'), text),
);

export const dmlArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(t1Row, { minLength: 1, maxLength: 3 })
      .map((rs) => `INSERT INTO t1 VALUES ${rowsOf(rs)}`),
  },
  {
    weight: 3,
    arbitrary: fc
      .array(t2Row, { minLength: 1, maxLength: 3 })
      .map((rs) => `INSERT INTO t2 VALUES ${rowsOf(rs)}`),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(t1Set, t1Pred).map(([[c, v], p]) => `UPDATE t1 SET ${c} = ${v} WHERE ${p}`),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(t2Set, t2Pred).map(([[c, v], p]) => `UPDATE t2 SET ${c} = ${v} WHERE ${p}`),
  },
  { weight: 2, arbitrary: t1Pred.map((p) => `DELETE FROM t1 WHERE ${p}`) },
  { weight: 1, arbitrary: t2Pred.map((p) => `DELETE FROM t2 WHERE ${p}`) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(t1Set, t1Set, t1Pred)
      .map(([[a, x], [b, y], p]) =>
        a === b
          ? `UPDATE t1 SET ${a} = ${x} WHERE ${p}`
          : `UPDATE t1 SET ${a} = ${x}, ${b} = ${y} WHERE ${p}`,
      ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'DELETE FROM t1',
      'DELETE FROM t2',
      'INSERT INTO t2 SELECT id + 1, v, k, s FROM t1 WHERE id < 3',
      'INSERT INTO t1 SELECT id, w, k, s, NULL, NULL FROM t2',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 5 }).map((n) => `@recreate ${n}`) },
);

const cmp = fc.constantFrom('<', '<=', '>', '<>');

/** Set operations matching columns by name: `CORRESPONDING [BY (...)]` over differently ordered inputs. */
const correspondingViewArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('UNION', 'INTERSECT', 'EXCEPT'),
    fc.constantFrom('', ' ALL'),
    fc.constantFrom('', ' BY (k, s)', ' BY (s)'),
    fc.constantFrom(
      ['SELECT * FROM t1', 'SELECT * FROM t2'],
      ['SELECT s, k, v FROM t1 WHERE v > 0', 'SELECT k, w AS v, s FROM t2'],
      ['SELECT k, s FROM t1', 'SELECT s, id AS k, w FROM t2'],
    ),
  )
  .map(([op, all, by, [l, r]]) => `${l} ${op}${all} CORRESPONDING${by} ${r}`);

/** LATERAL subqueries correlated by an equality: global and grouped aggregates, filters. */
const lateralViewArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(
      '(SELECT count(*) AS c, max(w) AS m FROM t2 WHERE t2.k = t1.k) x',
      '(SELECT sum(w) + 1 AS sw FROM t2 WHERE t2.k = t1.k AND w > 0) x',
      '(SELECT w, s AS s2 FROM t2 WHERE t2.k = t1.k) x',
      '(SELECT s AS s2, count(*) AS c FROM t2 WHERE t1.k = t2.k GROUP BY s) x',
    ),
    fc.constantFrom(
      '{t1}, LATERAL {x}',
      '{t1} LEFT JOIN LATERAL {x} ON true',
      '{t1} JOIN LATERAL {x} ON true',
    ),
  )
  .map(
    ([x, from]) => `SELECT t1.id, t1.v, x.* FROM ${from.replace('{t1}', 't1').replace('{x}', x)}`,
  );

/**
 * View definitions over t1/t2, one family per operator. Queries whose batch answer could depend
 * on row order (LIMIT, row_number) order by every column they output, so ties are only between
 * equal output rows.
 */
export const baseViewArb: fc.Arbitrary<string> = fc.oneof(
  // projection / filter
  fc
    .tuple(t1Pred)
    .map(([p]) => `SELECT id, k, v + 1 AS v1, s || '!' AS s1, n * 2 AS n2 FROM t1 WHERE ${p}`),
  // group by with every aggregate family
  fc
    .constantFrom(
      'count(*) AS c, sum(v) AS sv, min(v) AS mi, max(v) AS ma',
      'avg(v) AS av, sum(n) AS sn, min(n) AS mn, max(ts) AS mt, min(s) AS ms',
      'count(DISTINCT v) AS cdv, sum(DISTINCT v) AS sdv, count(v) AS cv',
      "string_agg(s, ',' ORDER BY s) AS sa, array_agg(v ORDER BY v) AS av",
      "string_agg(DISTINCT s, '/' ORDER BY s) AS sa, array_agg(n ORDER BY n DESC) AS an",
      'bool_and(v > 0) AS ba, bool_or(v < 0) AS bo, count(*) FILTER (WHERE v > 0) AS cf, sum(v) FILTER (WHERE s IS NOT NULL) AS sf',
      'max(s) AS xs, min(ts) AS nt, count(n) AS cn',
      'avg(n) AS an, stddev_samp(n) AS sd, var_pop(v) AS vp, sum(n) FILTER (WHERE v > 0) AS sf',
      "avg(DISTINCT n) AS adn, string_agg(DISTINCT s, ',' ORDER BY s DESC) AS ss, array_agg(DISTINCT k ORDER BY k) AS ak, bool_or(s = 'a') AS bo",
    )
    .chain((aggs) =>
      fc.constantFrom(
        `SELECT k, ${aggs} FROM t1 GROUP BY k`,
        `SELECT k, s, ${aggs} FROM t1 GROUP BY k, s`,
      ),
    ),
  // global aggregation
  fc.constantFrom(
    'SELECT count(*) AS c, sum(v) AS sv, max(ts) AS mt, min(n) AS mn FROM t1',
    'SELECT count(*) AS c, count(DISTINCT k) AS dk, avg(w) AS aw FROM t2',
    "SELECT string_agg(s, ',' ORDER BY s) AS sa, bool_and(w > 0) AS ba FROM t2 WHERE k IS NOT NULL",
  ),
  // group by over an expression, HAVING
  fc.constantFrom(
    'SELECT v % 2 AS parity, count(*) AS c, max(k) AS mk FROM t1 GROUP BY v % 2',
    'SELECT k, count(*) AS c FROM t1 GROUP BY k HAVING count(*) > 1',
  ),
  // joins: equi + residual
  fc
    .tuple(
      fc.constantFrom('JOIN', 'LEFT JOIN', 'RIGHT JOIN', 'FULL JOIN'),
      fc.option(cmp, { nil: undefined }),
    )
    .map(
      ([j, c]) =>
        `SELECT t1.id AS id1, t1.k AS k1, t1.v, t2.id AS id2, t2.w, t2.s AS s2 FROM t1 ${j} t2 ON t1.k = t2.k${c ? ` AND t1.v ${c} t2.w` : ''}`,
    ),
  fc.constantFrom(
    'SELECT t1.id AS id1, t2.id AS id2 FROM t1 JOIN t2 ON t1.k = t2.k AND t1.s = t2.s',
    'SELECT t1.id AS id1, t2.id AS id2 FROM t1 LEFT JOIN t2 ON t1.v < t2.w',
    'SELECT t1.k, count(t2.id) AS c, sum(t2.w) AS sw FROM t1 LEFT JOIN t2 ON t1.k = t2.k GROUP BY t1.k',
    'SELECT t2.k, count(*) AS c FROM t1 FULL JOIN t2 ON t1.k = t2.k GROUP BY t2.k',
  ),
  // subqueries
  fc.constantFrom(
    'SELECT id, k, v FROM t1 WHERE k IN (SELECT k FROM t2)',
    'SELECT id, k, v FROM t1 WHERE k NOT IN (SELECT k FROM t2 WHERE k IS NOT NULL)',
    'SELECT id, k, v FROM t1 WHERE v NOT IN (SELECT w FROM t2)',
    'SELECT id, k, v FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.k = t1.k)',
    'SELECT id, k, v FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.k = t1.k AND t2.w > t1.v)',
    'SELECT id, k, v FROM t1 WHERE NOT EXISTS (SELECT 1 FROM t2 WHERE t2.k = t1.k)',
    'SELECT id, k, v FROM t1 WHERE NOT EXISTS (SELECT 1 FROM t2 WHERE t2.w = t1.v AND t2.s <> t1.s)',
    'SELECT id, v FROM t1 WHERE v > (SELECT min(w) FROM t2)',
    'SELECT id, v FROM t1 WHERE v > ALL (SELECT w FROM t2 WHERE k = 1)',
  ),
  // time windows
  fc.constantFrom(
    "SELECT window_start, k, count(*) AS c, sum(v) AS sv FROM TUMBLE(t1, ts, INTERVAL '1 hour') GROUP BY window_start, k",
    "SELECT window_start, window_end, count(*) AS c, max(v) AS mv FROM HOP(t1, ts, INTERVAL '30 minutes', INTERVAL '1 hour') GROUP BY window_start, window_end",
    "SELECT id, window_start, window_end FROM HOP(t1, ts, INTERVAL '20 minutes', INTERVAL '1 hour')",
  ),
  // set operations and DISTINCT
  fc.constantFrom(
    'SELECT k, s FROM t1 UNION ALL SELECT k, s FROM t2',
    'SELECT k, s FROM t1 UNION SELECT k, s FROM t2',
    'SELECT k FROM t1 WHERE v > 0 UNION ALL SELECT w FROM t2',
    'SELECT DISTINCT k, s FROM t1',
    'SELECT DISTINCT v % 2 AS p FROM t1',
    'SELECT count(DISTINCT s) AS c FROM (SELECT s FROM t1 UNION ALL SELECT s FROM t2) u',
  ),
  // top-N, DISTINCT ON, row_number
  fc
    .tuple(
      fc.integer({ min: 1, max: 3 }),
      fc.constantFrom('', ' DESC'),
      fc.constantFrom('', ' OFFSET 1'),
    )
    .map(([n, d, o]) => `SELECT k, v, s FROM t1 ORDER BY v${d}, k, s LIMIT ${n}${o}`),
  fc.constantFrom(
    'SELECT k, v FROM t1 ORDER BY v FETCH FIRST 2 ROWS WITH TIES',
    'SELECT k, count(*) AS c FROM t1 GROUP BY k ORDER BY count(*) DESC FETCH FIRST 1 ROWS WITH TIES',
    'SELECT DISTINCT ON (k) k, v, s FROM t1 ORDER BY k, v DESC NULLS LAST, s',
    'SELECT DISTINCT t1.k, t2.s FROM t1 JOIN t2 ON t1.v = t2.w',
    "SELECT CASE WHEN v > 0 THEN 'pos' WHEN v < 0 THEN 'neg' END AS sign, coalesce(k, -1) AS kk, count(*) AS c FROM t1 GROUP BY 1, 2",
    'SELECT count(*) AS c, sum(t2.w) AS sw FROM t1 LEFT JOIN t2 ON t1.k = t2.k AND t2.w > t1.v',
    'SELECT k, v, sum(v) OVER (PARTITION BY k ORDER BY v RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS sv, first_value(v) OVER (PARTITION BY k ORDER BY v) AS fv FROM t1',
    'SELECT k, v, ntile(2) OVER (PARTITION BY k ORDER BY v, s, id, n, ts) AS nt, percent_rank() OVER (PARTITION BY k ORDER BY v) AS pr FROM t1',
    'SELECT DISTINCT ON (k) k, v, s FROM t1 ORDER BY k, v, s',
    'SELECT DISTINCT ON (k) k, v FROM t1 ORDER BY k, v DESC',
  ),
  fc
    .tuple(fc.integer({ min: 1, max: 2 }), fc.constantFrom('<=', '<'))
    .map(
      ([n, op]) =>
        `SELECT k, v, s, rn FROM (SELECT k, v, s, row_number() OVER (PARTITION BY k ORDER BY v DESC, s) AS rn FROM t1) x WHERE rn ${op} ${n + (op === '<' ? 1 : 0)}`,
    ),
  // multi-way joins, self joins, nested aggregation, grouping sets, CTEs, scalar subqueries
  fc.constantFrom(
    'SELECT a.id AS ida, b.id AS idb, c.id AS idc FROM t1 a JOIN t2 b ON a.k = b.k LEFT JOIN t1 c ON b.w = c.v',
    'SELECT a.id AS ida, b.id AS idb FROM t1 a JOIN t1 b ON a.k = b.v AND a.id <> b.id',
    'SELECT a.id AS ida, b.id AS idb FROM t2 a FULL JOIN t2 b ON a.k = b.w',
    'SELECT k, max(c) AS m, sum(c) AS t FROM (SELECT k, s, count(*) AS c FROM t1 GROUP BY k, s) x GROUP BY k',
    'SELECT k, s, count(*) AS c, sum(v) AS sv FROM t1 GROUP BY ROLLUP (k, s)',
    'SELECT k, s, count(*) AS c FROM t1 GROUP BY GROUPING SETS ((k), (s), ())',
    'SELECT n, s, count(*) AS c, sum(v) AS sv, grouping(n, s) AS gr FROM t1 GROUP BY CUBE (n, s)',
    'SELECT n, count(*) AS c, sum(n) AS sn, min(s) AS ms, count(DISTINCT k) AS dk FROM t1 GROUP BY n',
    'SELECT v / 2.0 AS h, v > 0 AS pos, count(*) AS c, sum(n) AS sn FROM t1 GROUP BY 1, 2',
    'SELECT k, sum(n) AS sn, avg(n) AS an, max(n) AS xn FROM t1 GROUP BY k',
    'SELECT id, v, (SELECT max(w) FROM t2) AS mw FROM t1',
    'WITH c AS (SELECT k, count(*) AS n FROM t1 GROUP BY k) SELECT c.k, c.n, t2.w FROM c JOIN t2 ON c.k = t2.k',
    "SELECT id FROM t1 WHERE k IN (1, 2, NULL) AND s IS DISTINCT FROM 'b'",
    'SELECT k, array_agg(DISTINCT v ORDER BY v) AS a, max(DISTINCT v) AS m, count(DISTINCT v) FILTER (WHERE v > 0) AS c FROM t1 GROUP BY k',
    "SELECT window_start, count(*) AS c FROM TUMBLE(t1, ts, INTERVAL '1 hour', INTERVAL '10 minutes') GROUP BY window_start",
    'SELECT k, count(*) AS c FROM t1 GROUP BY k ORDER BY c DESC, k LIMIT 2',
    'SELECT k, stddev_samp(v) AS sd, var_pop(v) AS vp, jsonb_agg(v ORDER BY v) AS j FROM t1 GROUP BY k',
    "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) v(a, b) JOIN t1 ON t1.k = v.a",
    'SELECT t2.k, count(*) AS c FROM t2 WHERE EXISTS (SELECT 1 FROM t1 WHERE t1.k = t2.k) GROUP BY t2.k',
    'SELECT k, count(*) AS c FROM (SELECT k, s FROM t1 UNION ALL SELECT k, s FROM t2) u GROUP BY k',
    'SELECT id, generate_series(1, v) AS g FROM t1',
    'SELECT id, unnest(ARRAY[k, w]) AS u, s FROM t2',
    'WITH c AS (SELECT k, v FROM t1 WHERE v > 0) SELECT x.v, y.v AS v2 FROM c x JOIN c y ON x.k = y.k',
    'SELECT k FROM t1 UNION ALL SELECT k FROM t1 WHERE v > 0',
  ),
  // window functions over partitions
  fc.constantFrom(
    'SELECT k, v, lag(v) OVER (PARTITION BY k ORDER BY id, v, s, n, ts) AS lv FROM t1',
    'SELECT k, v, sum(v) OVER (PARTITION BY k ORDER BY id, v, s, n, ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS sv FROM t1',
    'SELECT * FROM (SELECT k, v, rank() OVER (PARTITION BY k ORDER BY v) AS r FROM t1) x WHERE r <= 2',
    'SELECT * FROM (SELECT k, v, s, row_number() OVER (PARTITION BY k ORDER BY v, s) AS rn FROM t1) x WHERE rn = 1',
    'SELECT * FROM (SELECT id, w, row_number() OVER (ORDER BY w DESC, id) AS rn FROM t2) x WHERE rn <= 2',
  ),
  fc.constantFrom(
    'SELECT k, v, rank() OVER (PARTITION BY k ORDER BY v) AS r, sum(v) OVER (PARTITION BY k) AS sm FROM t1',
    'SELECT k, v, s, dense_rank() OVER (PARTITION BY k ORDER BY v) AS r, count(*) OVER (PARTITION BY k ORDER BY v) AS c FROM t1',
    'SELECT k, v, s, row_number() OVER (PARTITION BY k ORDER BY v, s) AS rn FROM t1',
  ),
  correspondingViewArb,
  lateralViewArb,
);

/** A view over an earlier view, whose columns are read at creation (`{c0}` its first column). */
export const stackedViewArb: fc.Arbitrary<string> = fc.constantFrom(
  'SELECT {c0}, count(*) AS cnt FROM {src} GROUP BY {c0}',
  'SELECT x.{c0}, t2.id AS t2id FROM {src} x LEFT JOIN t2 ON x.{c0}::text = t2.k::text',
  'SELECT {c0} FROM {src} ORDER BY {c0} DESC LIMIT 2',
  'SELECT * FROM {src} WHERE {c0} IS NOT NULL',
  'SELECT DISTINCT {c0} FROM {src}',
  'SELECT count(*) AS cnt FROM {src}',
);

export interface GenCase {
  pk1: boolean;
  pk2: boolean;
  before: string[];
  views: { base: string; stacked: string | null }[];
  after: string[];
}

export const caseArb: fc.Arbitrary<GenCase> = fc.record({
  pk1: fc.boolean(),
  pk2: fc.boolean(),
  before: fc.array(dmlArb, { maxLength: 4 }),
  views: fc.array(
    fc.record({ base: baseViewArb, stacked: fc.option(stackedViewArb, { nil: null }) }),
    { minLength: 1, maxLength: 3 },
  ),
  after: fc.array(dmlArb, { minLength: 1, maxLength: 12 }),
});

/** Turns a generated case into an OracleCase; stacked views get their source's first column. */
export function toOracleCase(g: GenCase): OracleCase {
  const setup = [
    `CREATE TABLE t1 (id int${g.pk1 ? ' PRIMARY KEY' : ''}, k int, v int, s text, n numeric(10,2), ts timestamptz)`,
    `CREATE TABLE t2 (id int${g.pk2 ? ' PRIMARY KEY' : ''}, k int, w int, s text)`,
  ];
  const views: string[] = [];
  const probe = new Database().connect();
  for (const s of setup) probe.execute(s);
  for (const v of g.views) {
    const idx = views.length;
    views.push(v.base);
    if (v.stacked) {
      const cols = probe.execute(`SELECT * FROM (${v.base}) q LIMIT 0`)[0]!.columns!;
      const c0 = `"${cols[0]!.name}"`;
      views.push(v.stacked.replaceAll('{c0}', c0).replaceAll('{src}', `{mv${idx}}`));
    }
  }
  return { setup, before: g.before, views, after: g.after };
}
