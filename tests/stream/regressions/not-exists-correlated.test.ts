/**
 * Regression: a correlated `NOT EXISTS` in a view's WHERE was refused with 0A000 ("this
 * subquery is not supported") because the binder wraps EXISTS in a NOT, which the
 * subquery_to_semi_join rule did not recognise; it is now an anti join.
 */
import { expect, it } from 'vitest';
import { runOracleCase } from '../oracle.js';

const setup = [
  'CREATE TABLE t1 (id int, k int, v int, s text, n numeric(10,2), ts timestamptz)',
  'CREATE TABLE t2 (id int, k int, w int, s text)',
];

it('NOT EXISTS (correlated) is maintained as an anti join', () => {
  expect(() =>
    runOracleCase({
      setup,
      before: ["INSERT INTO t1 VALUES (1, 0, 1, 'a', 1.50, NULL), (2, NULL, 2, 'b', NULL, NULL)"],
      views: [
        'SELECT id, k, v FROM t1 WHERE NOT EXISTS (SELECT 1 FROM t2 WHERE t2.k = t1.k)',
        'SELECT id, k, v FROM t1 WHERE NOT EXISTS (SELECT 1 FROM t2 WHERE t2.w = t1.v AND t2.s <> t1.s)',
      ],
      after: [
        "INSERT INTO t2 VALUES (0, 0, 0, 'a')",
        "INSERT INTO t2 VALUES (1, 0, 1, 'b'), (2, 0, 1, 'c')",
        'DELETE FROM t2 WHERE id = 0',
        'UPDATE t2 SET k = NULL',
        "UPDATE t2 SET s = 'a' WHERE id = 1",
        'DELETE FROM t2 WHERE TRUE',
      ],
    }),
  ).not.toThrow();
});
