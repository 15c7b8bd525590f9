import { beforeEach, describe, expect, test } from 'vitest';
import type { Session } from '../../runtime/engine.js';
import { newSession, query, sqlError } from './helpers.js';

let s: Session;
beforeEach(() => {
  s = newSession();
  s.execute('CREATE TABLE t (k INT, v INT)');
});

describe('materialized view DDL and maintenance', () => {
  test('rows inserted after creation are reflected when the write returns', () => {
    s.execute(
      'CREATE MATERIALIZED VIEW m AS SELECT k, count(*) AS n, sum(v) AS s FROM t GROUP BY k',
    );
    s.execute('INSERT INTO t VALUES (1, 10), (1, 5), (2, 7)');
    expect(query(s, 'SELECT * FROM m ORDER BY k')).toEqual([
      ['1', '2', '15'],
      ['2', '1', '7'],
    ]);
    s.execute('DELETE FROM t WHERE v = 10');
    s.execute('UPDATE t SET k = 2 WHERE v = 5');
    expect(query(s, 'SELECT * FROM m ORDER BY k')).toEqual([['2', '2', '12']]);
  });

  test('existing rows are backfilled, and views stack', () => {
    s.execute('INSERT INTO t VALUES (1, 1), (2, 2), (3, 3)');
    s.execute('CREATE MATERIALIZED VIEW big AS SELECT k, v FROM t WHERE v >= 2');
    s.execute('CREATE MATERIALIZED VIEW total AS SELECT sum(v) AS s, count(*) AS n FROM big');
    expect(query(s, 'SELECT * FROM total')).toEqual([['5', '2']]);
    s.execute('INSERT INTO t VALUES (4, 4), (0, 0)');
    expect(query(s, 'SELECT * FROM total')).toEqual([['9', '3']]);
    expect(query(s, 'SHOW MATERIALIZED VIEWS')).toEqual([['big'], ['total']]);
  });

  test('DROP refuses while a view depends on it; CASCADE drops both; re-creation backfills', () => {
    s.execute('CREATE MATERIALIZED VIEW a AS SELECT k FROM t');
    s.execute('CREATE MATERIALIZED VIEW b AS SELECT count(*) AS n FROM a');
    const err = sqlError(s, 'DROP MATERIALIZED VIEW a');
    expect(err.code).toBe('2BP01');
    expect(err.detail).toBe('materialized view b depends on materialized view a');
    s.execute('DROP MATERIALIZED VIEW a CASCADE');
    expect(query(s, 'SHOW MATERIALIZED VIEWS')).toEqual([]);
    s.execute('INSERT INTO t VALUES (1, 1)');
    s.execute('CREATE MATERIALIZED VIEW IF NOT EXISTS a AS SELECT k FROM t');
    s.execute('CREATE MATERIALIZED VIEW IF NOT EXISTS a AS SELECT v FROM t');
    expect(query(s, 'SELECT * FROM a')).toEqual([['1']]);
    s.execute('DROP MATERIALIZED VIEW IF EXISTS nope');
  });

  test('what a view cannot maintain is refused at CREATE with 0A000', () => {
    const err = sqlError(s, 'CREATE MATERIALIZED VIEW m AS SELECT k FROM t WHERE v > random()');
    expect(err.code).toBe('0A000');
    expect(err.message).toBe('random() is not supported in materialized views yet');
    expect(query(s, 'SHOW MATERIALIZED VIEWS')).toEqual([]);
  });

  test('a data error while maintaining a view yields NULL and a notice, not a failed write', () => {
    s.execute('CREATE MATERIALIZED VIEW q AS SELECT k, 100 / v AS r FROM t');
    const r = s.execute('INSERT INTO t VALUES (1, 0), (2, 50)');
    expect(r[0]!.tag).toBe('INSERT 0 2');
    expect(r[0]!.notices).toEqual(['1 value in materialized views set to NULL: division by zero']);
    expect(query(s, 'SELECT * FROM q ORDER BY k')).toEqual([
      ['1', null],
      ['2', '2'],
    ]);
    expect(query(s, 'SELECT count(*) FROM t')).toEqual([['2']]);
  });

  test('EXPLAIN CREATE MATERIALIZED VIEW prints the dataflow', () => {
    const lines = query(
      s,
      'EXPLAIN CREATE MATERIALIZED VIEW m AS SELECT k, count(*) FROM t WHERE v > 0 GROUP BY k',
    ).map((r) => r[0]);
    expect(lines[0]).toMatch(/^StreamMaterialize \{ view: m/);
    expect(
      lines.some((l) => l?.includes('StreamHashAgg { group_key: [k], aggs: [count(*)] }')),
    ).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/StreamTableScan \{ table: t/);
    // EXPLAIN creates nothing.
    expect(query(s, 'SHOW MATERIALIZED VIEWS')).toEqual([]);
  });
});

describe('time zones', () => {
  test('a view evaluates in the time zone it was created in, whoever writes', () => {
    const db = s.db;
    s.execute('CREATE TABLE ev (ts TIMESTAMPTZ)');
    s.execute(
      'CREATE MATERIALIZED VIEW h AS SELECT extract(hour FROM ts) AS hr, ts::date AS d FROM ev',
    );
    const tokyo = db.connect();
    tokyo.execute("SET TIME ZONE 'Asia/Tokyo'");
    tokyo.execute("INSERT INTO ev VALUES ('2024-01-01 20:00:00+00')");
    expect(query(s, 'SELECT * FROM h')).toEqual([['20', '2024-01-01']]);
    expect(query(s, 'SELECT extract(hour FROM ts), ts::date FROM ev')).toEqual([
      ['20', '2024-01-01'],
    ]);
  });
});

describe('grouping()', () => {
  test('a view with grouping sets keeps grouping() right as rows arrive', () => {
    s.execute(
      'CREATE MATERIALIZED VIEW gs AS SELECT k, v, count(*) AS n, grouping(k, v) AS g FROM t GROUP BY GROUPING SETS ((k), (v), ())',
    );
    s.execute('INSERT INTO t VALUES (1, 10), (1, 20), (2, 10)');
    const batch = query(
      s,
      'SELECT k, v, count(*), grouping(k, v) FROM t GROUP BY GROUPING SETS ((k), (v), ()) ORDER BY 4, 1, 2',
    );
    expect(query(s, 'SELECT * FROM gs ORDER BY 4, 1, 2')).toEqual(batch);
    expect(batch.map((r) => r[3])).toEqual(['1', '1', '2', '2', '3']);
  });
});
