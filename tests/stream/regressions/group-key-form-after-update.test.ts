/**
 * Regression: a group whose numeric key arrived as 10.100 and then as 10.10 kept showing
 * 10.100 after the row holding that form was updated, while a scan of the table (where the
 * updated row now comes last) meets 10.10 first, and the view's query showed that. The group
 * now shows the form present longest; a form all of whose rows left counts as new when it
 * comes back, even within one update. Failing SQL (the view showed 10.100):
 *
 *   CREATE TABLE t (id int, n numeric);
 *   INSERT INTO t VALUES (1, 10.100), (2, 10.10);
 *   CREATE MATERIALIZED VIEW v AS SELECT n, count(*) AS c FROM t GROUP BY n;
 *   UPDATE t SET id = 3 WHERE id = 1;
 */
import { expect, it } from 'vitest';
import { runOracleCase } from '../oracle.js';

it('a group shows the key form a scan of its rows meets first, after updates too', () => {
  expect(() =>
    runOracleCase({
      setup: ['CREATE TABLE t (id int, n numeric)'],
      before: ['INSERT INTO t VALUES (1, 10.100), (2, 10.10)'],
      views: [
        'SELECT n, count(*) AS c FROM t GROUP BY n',
        'SELECT n, sum(id) AS s FROM t GROUP BY ROLLUP (n)',
        'SELECT DISTINCT n FROM t',
      ],
      after: [
        'UPDATE t SET id = 3 WHERE id = 1',
        'INSERT INTO t VALUES (4, 10.1000)',
        'UPDATE t SET id = 5 WHERE id = 2',
        'DELETE FROM t WHERE id = 3',
        'UPDATE t SET id = 6 WHERE id = 4',
      ],
    }),
  ).not.toThrow();
});
