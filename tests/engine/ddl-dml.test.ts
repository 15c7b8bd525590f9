import { beforeEach, describe, expect, test } from 'vitest';
import type { Session } from '../../runtime/engine.js';
import { columns, newSession, query, sqlError } from './helpers.js';

let s: Session;
beforeEach(() => {
  s = newSession();
});

describe('tables and DML', () => {
  test('a second insert of a primary key overwrites the row', () => {
    s.execute('CREATE TABLE kv (k INT PRIMARY KEY, v TEXT)');
    s.execute("INSERT INTO kv VALUES (1, 'a'), (2, 'b')");
    s.execute("INSERT INTO kv VALUES (1, 'c')");
    expect(query(s, 'SELECT k, v FROM kv ORDER BY k')).toEqual([
      ['1', 'c'],
      ['2', 'b'],
    ]);
  });

  test('within one statement the last row of a key wins', () => {
    s.execute('CREATE TABLE kv (k INT, v TEXT, PRIMARY KEY (k))');
    s.execute("INSERT INTO kv VALUES (1, 'a'), (1, 'b')");
    expect(query(s, 'SELECT * FROM kv')).toEqual([['1', 'b']]);
  });

  test('ON CONFLICT IGNORE keeps the first row', () => {
    s.execute('CREATE TABLE kv (k INT PRIMARY KEY, v TEXT) ON CONFLICT IGNORE');
    s.execute("INSERT INTO kv VALUES (1, 'a')");
    s.execute("INSERT INTO kv VALUES (1, 'b')");
    expect(query(s, 'SELECT * FROM kv')).toEqual([['1', 'a']]);
  });

  test('UPDATE and DELETE report counts and change rows', () => {
    s.execute('CREATE TABLE t (a INT, b INT)');
    s.execute('INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)');
    const u = s.execute('UPDATE t SET b = b + 1 WHERE a >= 2');
    expect(u[0]!.tag).toBe('UPDATE 2');
    const d = s.execute('DELETE FROM t WHERE a = 1');
    expect(d[0]!.tag).toBe('DELETE 1');
    expect(query(s, 'SELECT a, b FROM t ORDER BY a')).toEqual([
      ['2', '21'],
      ['3', '31'],
    ]);
  });

  test('UPDATE of a primary key moves the row', () => {
    s.execute('CREATE TABLE kv (k INT PRIMARY KEY, v INT)');
    s.execute('INSERT INTO kv VALUES (1, 1), (2, 2)');
    s.execute('UPDATE kv SET k = k + 10');
    expect(query(s, 'SELECT k, v FROM kv ORDER BY k')).toEqual([
      ['11', '1'],
      ['12', '2'],
    ]);
  });

  test('RETURNING returns the written rows', () => {
    s.execute('CREATE TABLE t (a INT, b TEXT)');
    expect(query(s, "INSERT INTO t VALUES (1, 'x'), (2, 'y') RETURNING a * 10, b")).toEqual([
      ['10', 'x'],
      ['20', 'y'],
    ]);
    expect(query(s, 'DELETE FROM t WHERE a = 2 RETURNING *')).toEqual([['2', 'y']]);
  });

  test('INSERT ... SELECT with column list and defaults', () => {
    s.execute("CREATE TABLE t (a INT, b TEXT DEFAULT 'dflt', c INT)");
    s.execute('INSERT INTO t (c, a) SELECT g, g * 2 FROM generate_series(1, 2) g');
    expect(query(s, 'SELECT a, b, c FROM t ORDER BY a')).toEqual([
      ['2', 'dflt', '1'],
      ['4', 'dflt', '2'],
    ]);
  });

  test('NOT NULL and varchar length are enforced, atomically', () => {
    s.execute('CREATE TABLE t (a INT NOT NULL, b VARCHAR(3))');
    expect(sqlError(s, 'INSERT INTO t VALUES (1, $$ok$$), (NULL, $$x$$)').code).toBe('23502');
    expect(sqlError(s, "INSERT INTO t VALUES (1, 'toolong')").code).toBe('22001');
    expect(query(s, 'SELECT count(*) FROM t')).toEqual([['0']]);
  });

  test('a ROW value is assigned to a struct column field by field', () => {
    s.execute('CREATE TABLE t (a STRUCT<v1 INT, v2 INT>, b STRUCT<x INT, y VARCHAR>[])');
    s.execute("INSERT INTO t VALUES (ROW(1, 2), ARRAY[ROW(3, 'c')])");
    expect(query(s, 'SELECT (a).v2, b FROM t')).toEqual([['2', '{"(3,c)"}']]);
    expect(sqlError(s, 'INSERT INTO t VALUES (ROW(1, 2, 3), NULL)').code).toBe('42804');
  });

  test('assignment casts: numeric into int rounds, text into int is refused', () => {
    s.execute('CREATE TABLE t (a INT)');
    s.execute('INSERT INTO t VALUES (2.5)');
    expect(query(s, 'SELECT a FROM t')).toEqual([['3']]);
    expect(sqlError(s, "INSERT INTO t SELECT 'x'::text").code).toBe('42804');
  });
});

describe('catalog statements', () => {
  test('SHOW TABLES and DESCRIBE', () => {
    s.execute('CREATE TABLE b (x INT PRIMARY KEY, y VARCHAR); CREATE TABLE a (z TIMESTAMPTZ)');
    expect(query(s, 'SHOW TABLES')).toEqual([['a'], ['b']]);
    expect(query(s, 'DESCRIBE b')).toEqual([
      ['x', 'integer', 'false', null],
      ['y', 'character varying', 'false', null],
      ['primary key', 'x', null, null],
    ]);
  });

  test('views expand at query time and block DROP TABLE without CASCADE', () => {
    s.execute('CREATE TABLE t (a INT); CREATE VIEW v AS SELECT a * 2 AS d FROM t');
    s.execute('INSERT INTO t VALUES (1), (2)');
    expect(query(s, 'SELECT d FROM v ORDER BY d')).toEqual([['2'], ['4']]);
    const err = sqlError(s, 'DROP TABLE t');
    expect(err.code).toBe('2BP01');
    expect(err.message).toBe('cannot drop table t because other objects depend on it');
    s.execute('DROP TABLE t CASCADE');
    expect(sqlError(s, 'SELECT * FROM v').code).toBe('42P01');
  });

  test('DROP ... IF EXISTS of a missing object is a notice', () => {
    const r = s.execute('DROP TABLE IF EXISTS nope');
    expect(r[0]!.notices).toEqual(['table "nope" does not exist, skipping']);
  });

  test('SQL functions are inlined', () => {
    s.execute('CREATE FUNCTION add_one(x INT) RETURNS INT LANGUAGE sql AS $$SELECT x + 1$$');
    s.execute('CREATE FUNCTION twice(INT) RETURNS INT LANGUAGE sql RETURN $1 * 2');
    expect(query(s, 'SELECT add_one(1), twice(add_one(2))')).toEqual([['2', '6']]);
  });

  test('SET TIME ZONE changes timestamptz output; SHOW reads it back', () => {
    s.execute("SET TIME ZONE 'America/New_York'");
    expect(query(s, "SELECT '2026-04-02 07:27:00+00'::timestamptz")).toEqual([
      ['2026-04-02 03:27:00-04'],
    ]);
    expect(query(s, 'SHOW TIME ZONE')).toEqual([['America/New_York']]);
    expect(columns(s, 'SHOW TIME ZONE')).toEqual(['TimeZone']);
  });

  test('EXPLAIN prints the plan tree', () => {
    s.execute('CREATE TABLE t (a INT, b INT)');
    expect(
      query(s, 'EXPLAIN SELECT a, sum(b) FROM t WHERE a > 1 GROUP BY a').map((r) => r[0]),
    ).toEqual([
      'Project { exprs: [a, sum] }',
      '└─HashAgg { group_key: [a], aggs: [sum(b)] }',
      '  └─Filter { predicate: (a > 1:integer) }',
      '    └─TableScan { table: t, columns: [a, b] }',
    ]);
  });

  test('ROLLBACK after a write is refused rather than silently ignored', () => {
    s.execute('CREATE TABLE t (a INT)');
    s.execute('BEGIN');
    s.execute('INSERT INTO t VALUES (1)');
    expect(sqlError(s, 'ROLLBACK').code).toBe('0A000');
    s.execute('BEGIN');
    expect(s.execute('ROLLBACK')[0]!.tag).toBe('ROLLBACK');
  });
});
