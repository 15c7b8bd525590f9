/**
 * The peer collection of Nexmark queries (shared/peer/risingwave/nexmark-queries) as the tests
 * and the Nexmark benchmark run them: file names, query text, and what three queries need
 * beyond the Nexmark tables (see tests/sources/nexmark-queries.test.ts for why).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the query files are: `../shared` beside the repository, else /work/shared. */
export const NEXMARK_QUERIES =
  [resolve(repo, '../shared'), '/work/shared']
    .map((d) => join(d, 'peer/risingwave/nexmark-queries'))
    .find((d) => existsSync(join(d, 'q0.sql'))) ?? null;

/** The query files: q0 ... q106 and the variants, by name without `.sql`, in number order. */
export function nexmarkQueryNames(): string[] {
  if (!NEXMARK_QUERIES) return [];
  return readdirSync(NEXMARK_QUERIES)
    .filter((f) => /^q\d+.*\.sql$/.test(f))
    .map((f) => f.slice(0, -'.sql'.length))
    .sort((a, b) => parseInt(a.slice(1)) - parseInt(b.slice(1)) || a.localeCompare(b));
}

/** q11 in standard SQL: the sessions of `GROUP BY SESSION(date_time, INTERVAL '10' SECOND)`. */
export const Q11 = `SELECT bidder, count(*) AS bid_count,
    min(date_time) AS starttime, max(date_time) + INTERVAL '10' SECOND AS endtime
  FROM (
    SELECT bidder, date_time,
      sum(opens) OVER (PARTITION BY bidder ORDER BY date_time ROWS UNBOUNDED PRECEDING) AS session
    FROM (
      SELECT bidder, date_time,
        CASE WHEN date_time - lag(date_time) OVER (PARTITION BY bidder ORDER BY date_time)
          < INTERVAL '10' SECOND THEN 0 ELSE 1 END AS opens
      FROM bid
    ) marked
  ) numbered
  GROUP BY bidder, session`;

const SUBSTITUTES: Record<string, string> = { q11: Q11 };

/** A query's text as a view runs it (q11 in standard SQL). */
export function nexmarkQuery(name: string): string {
  if (SUBSTITUTES[name]) return SUBSTITUTES[name];
  return readFileSync(join(NEXMARK_QUERIES!, `${name}.sql`), 'utf8')
    .replace(/^\s*--.*$/gm, '')
    .trim()
    .replace(/;$/, '');
}

/** q12's processing-time column on `bid`, as RisingWave's planner tables declare it. */
export function withProcTime(bidDdl: string): string {
  return bidDdl.replace(/\n\)$/, ',\n    p_time TIMESTAMPTZ AS proctime()\n)');
}

/** q13's side table, filled before any bid and left unchanged. */
export const SIDE_INPUT = [
  'CREATE TABLE side_input (key BIGINT PRIMARY KEY, value VARCHAR)',
  `INSERT INTO side_input SELECT k, 'side-' || k FROM generate_series(1000, 1300, 3) k`,
];

/**
 * Top-N by row_number (q6, q9, q18, q19 and their variants) or by LIMIT (q105) keeps any one
 * of the rows tied at its cut, so a view and a batch run may keep different ones. Each query counts such ties in
 * the data; where it is 0 the rows kept are determined.
 */
export const TIES_AT_CUT: Record<string, string> = {
  q6: `SELECT count(*) FROM (SELECT rank() OVER (PARTITION BY A.id ORDER BY B.price) AS r,
      count(*) OVER (PARTITION BY A.id, B.price) AS n FROM auction A, bid B
      WHERE A.id = B.auction AND B.date_time BETWEEN A.date_time AND A.expires) t
    WHERE r = 1 AND n > 1`,
  q9: `SELECT count(*) FROM (SELECT count(*) AS n FROM bid
    GROUP BY auction, price, date_time) t WHERE n > 1`,
  q18: `SELECT count(*) FROM (SELECT count(*) AS n FROM bid
    GROUP BY bidder, auction, date_time) t WHERE n > 1`,
  q19: `SELECT count(*) FROM (SELECT rank() OVER (PARTITION BY auction ORDER BY price DESC) AS r,
      count(*) OVER (PARTITION BY auction, price) AS n FROM bid) t
    WHERE r <= 10 AND r + n > 11`,
  q105: `SELECT count(*) FROM (SELECT rank() OVER (ORDER BY c DESC) AS r,
      count(*) OVER (PARTITION BY c) AS n FROM (SELECT a.id, count(b.auction) AS c
      FROM auction a JOIN bid b ON a.id = b.auction GROUP BY a.id, a.item_name) t) u
    WHERE r <= 1000 AND r + n > 1001`,
};

/** The tie count query for a query name (variants share their base query's). */
export function tiesAtCut(name: string): string | undefined {
  return TIES_AT_CUT[/^q\d+/.exec(name)?.[0] ?? ''];
}
