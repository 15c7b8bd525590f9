import { beforeEach, describe, expect, test } from 'vitest';
import type { Session } from '../../runtime/engine.js';
import { newSession, sqlError } from './helpers.js';

let s: Session;
beforeEach(() => {
  s = newSession();
  s.execute(`CREATE TABLE t (a INT, b TEXT, c NUMERIC);
             CREATE TABLE u (a INT, d BOOLEAN);`);
});

describe('binder errors carry PostgreSQL SQLSTATEs and positions', () => {
  const cases: [string, string, string, number | undefined][] = [
    ['SELECT * FROM nope', '42P01', 'relation "nope" does not exist', 15],
    ['SELECT zz FROM t', '42703', 'column "zz" does not exist', 8],
    ['SELECT t.zz FROM t', '42703', 'column t.zz does not exist', 8],
    ['SELECT x.a FROM t', '42P01', 'missing FROM-clause entry for table "x"', 8],
    ['SELECT a FROM t, u', '42702', 'column reference "a" is ambiguous', 8],
    ['SELECT nofn(a) FROM t', '42883', 'function nofn(integer) does not exist', 8],
    [
      'SELECT a + d FROM t JOIN u USING (a)',
      '42883',
      'operator does not exist: integer + boolean',
      10,
    ],
    [
      'SELECT b FROM t WHERE a',
      '42804',
      'argument of WHERE must be type boolean, not type integer',
      23,
    ],
    [
      'SELECT a, count(*) FROM t',
      '42803',
      'column "t.a" must appear in the GROUP BY clause or be used in an aggregate function',
      8,
    ],
    [
      'SELECT a FROM t WHERE count(*) > 1',
      '42803',
      'aggregate functions are not allowed in WHERE',
      23,
    ],
    ['SELECT sum(count(*)) FROM t', '42803', 'aggregate function calls cannot be nested', 12],
    [
      'SELECT a FROM t WHERE row_number() OVER () > 1',
      '42P20',
      'window functions are not allowed in WHERE',
      23,
    ],
    [
      'SELECT row_number() FROM t',
      '42809',
      'window function row_number requires an OVER clause',
      8,
    ],
    [
      "INSERT INTO t VALUES ('x', 'y', 1)",
      '22P02',
      'invalid input syntax for type integer: "x"',
      23,
    ],
    [
      'INSERT INTO t (a, zz) VALUES (1, 2)',
      '42703',
      'column "zz" of relation "t" does not exist',
      19,
    ],
    [
      'INSERT INTO t VALUES (1, 2, 3, 4)',
      '42601',
      'INSERT has more expressions than target columns',
      32,
    ],
    [
      'SELECT 1 UNION SELECT 1, 2',
      '42601',
      'each UNION query must have the same number of columns',
      undefined,
    ],
    [
      'SELECT CASE WHEN true THEN 1 ELSE false END',
      '42804',
      'CASE types integer and boolean cannot be matched',
      undefined,
    ],
    ['CREATE TABLE t (x INT)', '42P07', 'relation "t" already exists', 14],
    ['DROP TABLE nope', '42P01', 'table "nope" does not exist', 12],
    ['SELECT 1/0', '22012', 'division by zero', undefined],
    ['SELECT 2147483647 + 1', '22003', 'integer out of range', undefined],
  ];
  test.each(cases)('%s', (sql, code, message, position) => {
    const err = sqlError(s, sql);
    expect(err.code).toBe(code);
    expect(err.message).toBe(message);
    if (position !== undefined) expect(err.position).toBe(position);
  });

  test('a failed statement leaves data and session intact', () => {
    s.execute('INSERT INTO t VALUES (1, $$a$$, 1.5)');
    sqlError(s, "INSERT INTO t VALUES (2, 'b', 1), ('bad', 'c', 2)");
    const r = s.execute('SELECT count(*) FROM t');
    expect(r[0]!.rows).toEqual([[1n]]);
  });
});
