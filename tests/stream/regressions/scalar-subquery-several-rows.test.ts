/**
 * Regression: `CREATE MATERIALIZED VIEW v AS SELECT k, (SELECT y FROM r) AS y FROM l` was
 * planned as a left join, so once r held two rows the view silently held each l row twice,
 * while the query itself fails with 21000 (more than one row returned by a subquery). Such a
 * view is now refused at CREATE with 0A000; aggregate and LIMIT 1 subqueries still work.
 */
import { expect, it } from 'vitest';
import { Database } from '../../../runtime/engine.js';
import { SqlError } from '../../../runtime/errors.js';
import { runOracleCase } from '../oracle.js';

it('a scalar subquery that may return several rows is refused, not duplicated', () => {
  const s = new Database().connect();
  s.execute('CREATE TABLE l (k int, x int); CREATE TABLE r (k int, y int)');
  let err: unknown;
  try {
    s.execute('CREATE MATERIALIZED VIEW v AS SELECT k, (SELECT y FROM r) AS y FROM l');
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(SqlError);
  expect((err as SqlError).code).toBe('0A000');
});

it('single-row scalar subqueries are still maintained', () => {
  expect(() =>
    runOracleCase({
      setup: ['CREATE TABLE l (k int, x int)', 'CREATE TABLE r (k int, y int)'],
      before: ['INSERT INTO l VALUES (1, 1), (2, 5)'],
      views: [
        'SELECT k, (SELECT max(y) FROM r) AS m FROM l',
        'SELECT k, (SELECT y FROM r ORDER BY y DESC, k LIMIT 1) AS y FROM l WHERE x > (SELECT min(y) FROM r)',
      ],
      after: [
        'INSERT INTO r VALUES (1, 0), (2, 3)',
        'DELETE FROM r WHERE y = 3',
        'UPDATE r SET y = 9',
        'DELETE FROM r',
      ],
    }),
  ).not.toThrow();
});
