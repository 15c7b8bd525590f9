/**
 * Checks of the oracle corpus itself, against PostgreSQL alone: it is large enough, every query
 * runs, and every answer is deterministic — the same after loading the rows in reverse order
 * with hash aggregation and hash joins disabled. A query whose ORDER BY leaves ties between
 * different rows (or whose LIMIT cuts through such ties) fails here, since the oracle compares
 * such results in order and would otherwise report a Sluice bug that is not one.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import {
  hasTopLevelOrderBy,
  loadCorpus,
  normalise,
  pgConnect,
  runPg,
  showOutcome,
  withDatabase,
} from './harness.js';

const corpus = loadCorpus();
let server: PostgresServer | undefined;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

/** The same INSERT ... VALUES with its rows in reverse order. */
export function reverseInsert(sql: string): string {
  const m = /\bVALUES\b/i.exec(sql);
  if (!/^INSERT\b/i.test(sql) || !m) return sql;
  const head = sql.slice(0, m.index + m[0].length);
  const body = sql.slice(m.index + m[0].length);
  const tuples: string[] = [];
  let depth = 0;
  let start = -1;
  let quote = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quote) {
      if (c === "'") quote = false;
      continue;
    }
    if (c === "'") quote = true;
    else if (c === '(') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth === 0) tuples.push(body.slice(start, i + 1));
    }
  }
  return `${head} ${tuples.reverse().join(', ')}`;
}

test('the corpus has at least 300 queries in several files', () => {
  expect(corpus.length).toBeGreaterThanOrEqual(5);
  const total = corpus.reduce((n, f) => n + f.queries.length, 0);
  expect(total).toBeGreaterThanOrEqual(300);
});

test('hasTopLevelOrderBy sees only the outermost ORDER BY', () => {
  expect(hasTopLevelOrderBy('SELECT a FROM t ORDER BY a')).toBe(true);
  expect(hasTopLevelOrderBy('SELECT 1 UNION SELECT 2 order\n  by 1')).toBe(true);
  expect(hasTopLevelOrderBy('SELECT * FROM (SELECT a FROM t ORDER BY a LIMIT 1) s')).toBe(false);
  expect(hasTopLevelOrderBy('SELECT row_number() OVER (ORDER BY a) FROM t')).toBe(false);
  expect(hasTopLevelOrderBy("SELECT string_agg(s, ',' ORDER BY s) FROM t")).toBe(false);
  expect(hasTopLevelOrderBy("SELECT 'ORDER BY' FROM t -- ORDER BY x")).toBe(false);
});

test('reverseInsert reverses the rows of a VALUES list', () => {
  expect(reverseInsert(`INSERT INTO t VALUES (1, 'a,(b'), (2, NULL),(3,'x''y')`)).toBe(
    `INSERT INTO t VALUES (3,'x''y'), (2, NULL), (1, 'a,(b')`,
  );
});

for (const cf of corpus) {
  describe(cf.file, () => {
    let fwd: pg.Client | undefined;
    let rev: pg.Client | undefined;

    beforeAll(async () => {
      if (!server) throw new Error('PostgreSQL did not start');
      const base = `corpus_${cf.file.replace(/\W/g, '_')}`;
      const admin = await pgConnect(server.url);
      for (const db of [`${base}_f`, `${base}_r`]) {
        await admin.query(`DROP DATABASE IF EXISTS ${db}`);
        await admin.query(`CREATE DATABASE ${db}`);
      }
      await admin.end();
      fwd = await pgConnect(withDatabase(server.url, `${base}_f`));
      rev = await pgConnect(withDatabase(server.url, `${base}_r`));
      await fwd.query(`SET TIME ZONE 'UTC'`);
      await rev.query(`SET TIME ZONE 'UTC'; SET enable_hashagg = off; SET enable_hashjoin = off`);
      for (const sql of cf.setup) {
        const a = await runPg(fwd, sql);
        if (!a.ok) throw new Error(`setup fails: ${sql}\n${showOutcome(a)}`);
      }
      for (const sql of [...cf.setup].map(reverseInsert)) {
        const b = await runPg(rev, sql);
        if (!b.ok) throw new Error(`reversed setup fails: ${sql}\n${showOutcome(b)}`);
      }
    });

    afterAll(async () => {
      await fwd?.end();
      await rev?.end();
    });

    test.each(cf.queries.map((q) => [q.name, q] as const))('%s', async (_name, q) => {
      const a = await runPg(fwd!, q.sql);
      expect(a.ok, `fails in PostgreSQL:\n${q.sql}\n${showOutcome(a)}`).toBe(true);
      const b = await runPg(rev!, q.sql);
      if (!a.ok || !b.ok) throw new Error(showOutcome(b));
      const ordered = hasTopLevelOrderBy(q.sql);
      expect(normalise(b.result, ordered), `result depends on row order:\n${q.sql}`).toEqual(
        normalise(a.result, ordered),
      );
    });
  });
}
