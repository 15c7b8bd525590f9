/**
 * StreamOverWindow (window functions per partition: a change re-ranks the other rows of its
 * partition), StreamSessionWindow (SESSION frames: a change re-evaluates the sessions around it)
 * and StreamTumble/StreamHop (window assignment; HOP puts a row in several windows).
 */
import { describe, expect, it } from 'vitest';
import { chunk, probe, sorted } from '../harness.js';

describe('StreamOverWindow', () => {
  const setup = 'CREATE TABLE t (g int, v int)';

  it('an insert ahead of other rows shifts their rank; a delete shifts them back', () => {
    const p = probe(
      setup,
      'CREATE MATERIALIZED VIEW mv AS SELECT g, v, rank() OVER (PARTITION BY g ORDER BY v) AS r FROM t',
      'StreamOverWindow',
    );
    expect(p.pushSorted('+ 1 5\n+ 1 7\n+ 2 1')).toBe(sorted('+ 1 5 1\n+ 1 7 2\n+ 2 1 1'));
    expect(p.pushSorted('+ 1 3')).toBe(sorted('- 1 5 1\n- 1 7 2\n+ 1 3 1\n+ 1 5 2\n+ 1 7 3'));
    // A tie: both 5s rank 2, the 7 moves to 4; rows whose rank is unchanged are not touched.
    expect(p.pushSorted('+ 1 5')).toBe(sorted('- 1 7 3\n+ 1 5 2\n+ 1 7 4'));
    expect(p.pushSorted('- 1 3')).toBe(
      sorted('- 1 3 1\n- 1 5 2\n- 1 5 2\n- 1 7 4\n+ 1 5 1\n+ 1 5 1\n+ 1 7 3'),
    );
    // Other partitions are untouched.
    expect(p.pushSorted('- 2 1')).toBe(sorted('- 2 1 1'));
  });

  it('an aggregate over the whole partition updates every row of it', () => {
    const p = probe(
      setup,
      'CREATE MATERIALIZED VIEW mv AS SELECT g, v, sum(v) OVER (PARTITION BY g) AS s FROM t',
      'StreamOverWindow',
    );
    expect(p.push('+ 1 1')).toBe(chunk('+ 1 1 1'));
    expect(p.pushSorted('+ 1 2')).toBe(sorted('- 1 1 1\n+ 1 1 3\n+ 1 2 3'));
  });
});

describe('StreamSessionWindow', () => {
  // The operator's rows are the input row (k, t, v) and then the window results.
  const setup = 'CREATE TABLE s (k int, t int, v int)';
  const view = (calls: string): string =>
    `CREATE MATERIALIZED VIEW mv AS SELECT k, t, ${calls} FROM s WINDOW w AS (PARTITION BY k ORDER BY t SESSION WITH GAP 5)`;

  it('an insert between two sessions merges them; its delete splits them; others are untouched', () => {
    const p = probe(setup, view('count(*) OVER w AS n'), 'StreamSessionWindow');
    expect(p.pushSorted('+ 1 0 .\n+ 1 8 .\n+ 1 20 .\n+ 2 4 .')).toBe(
      sorted('+ 1 0 . 1\n+ 1 8 . 1\n+ 1 20 . 1\n+ 2 4 . 1'),
    );
    expect(p.pushSorted('+ 1 4 .')).toBe(
      sorted('- 1 0 . 1\n- 1 8 . 1\n+ 1 0 . 3\n+ 1 4 . 3\n+ 1 8 . 3'),
    );
    expect(p.pushSorted('- 1 4 .')).toBe(
      sorted('- 1 0 . 3\n- 1 4 . 3\n- 1 8 . 3\n+ 1 0 . 1\n+ 1 8 . 1'),
    );
    // Exactly the gap apart is a new session.
    expect(p.pushSorted('+ 1 13 .')).toBe(sorted('+ 1 13 . 1'));
    // An update moving a row in time leaves one session and joins another.
    expect(p.pushSorted('U- 1 13 .\nU+ 1 17 .')).toBe(
      sorted('- 1 13 . 1\n- 1 20 . 1\n+ 1 17 . 2\n+ 1 20 . 2'),
    );
  });

  it('NULL times form a session of their own; rows of one time stay together', () => {
    const p = probe(
      setup,
      view('sum(v) OVER w AS sv, first_value(v) OVER w AS f'),
      'StreamSessionWindow',
    );
    expect(p.pushSorted('+ 1 . 1\n+ 1 . 2\n+ 1 3 10')).toBe(
      sorted('+ 1 . 1 3 1\n+ 1 . 2 3 1\n+ 1 3 10 10 10'),
    );
    expect(p.pushSorted('+ 1 3 5')).toBe(sorted('- 1 3 10 10 10\n+ 1 3 10 15 10\n+ 1 3 5 15 10'));
  });

  it('ranking functions beside session calls keep the whole-partition operator', () => {
    expect(() =>
      probe(
        setup,
        view('count(*) OVER w AS n, rank() OVER (PARTITION BY k ORDER BY t) AS r'),
        'StreamOverWindow',
      ),
    ).not.toThrow();
  });
});

describe('StreamTumble / StreamHop', () => {
  const setup = 'CREATE TABLE e (id int, ts timestamptz)';

  it('TUMBLE assigns one window; an update pair becomes delete + insert', () => {
    const p = probe(
      setup,
      "CREATE MATERIALIZED VIEW mv AS SELECT * FROM TUMBLE(e, ts, INTERVAL '1 hour')",
      'StreamTumble',
    );
    expect(p.push('+ 1 "2024-01-01 00:10:00+00"')).toBe(
      chunk('+ 1 "2024-01-01 00:10:00+00" "2024-01-01 00:00:00+00" "2024-01-01 01:00:00+00"'),
    );
    expect(p.push('U- 1 "2024-01-01 00:10:00+00"\nU+ 1 "2024-01-01 01:10:00+00"')).toBe(
      chunk(
        '- 1 "2024-01-01 00:10:00+00" "2024-01-01 00:00:00+00" "2024-01-01 01:00:00+00"\n+ 1 "2024-01-01 01:10:00+00" "2024-01-01 01:00:00+00" "2024-01-01 02:00:00+00"',
      ),
    );
  });

  it('HOP puts a row into size/slide windows, and retracts all of them', () => {
    const p = probe(
      setup,
      "CREATE MATERIALIZED VIEW mv AS SELECT id, window_start FROM HOP(e, ts, INTERVAL '20 minutes', INTERVAL '1 hour')",
      'StreamHop',
    );
    const at = '"2024-01-01 00:10:00+00"';
    const windows = [
      '"2023-12-31 23:20:00+00" "2024-01-01 00:20:00+00"',
      '"2023-12-31 23:40:00+00" "2024-01-01 00:40:00+00"',
      '"2024-01-01 00:00:00+00" "2024-01-01 01:00:00+00"',
    ];
    const rows = (op: string): string =>
      sorted(windows.map((w) => `${op} 1 ${at} ${w}`).join('\n'));
    expect(p.pushSorted(`+ 1 ${at}`)).toBe(rows('+'));
    expect(p.pushSorted(`- 1 ${at}`)).toBe(rows('-'));
    // An update whose halves land in different windows is a delete of all old ones plus inserts.
    expect(p.pushSorted(`U- 1 ${at}\nU+ 1 "2024-01-01 00:30:00+00"`).split('\n')).toHaveLength(6);
  });

  it('a NULL time gets no window in HOP', () => {
    const p = probe(
      setup,
      "CREATE MATERIALIZED VIEW mv AS SELECT id, window_start FROM HOP(e, ts, INTERVAL '20 minutes', INTERVAL '1 hour')",
      'StreamHop',
    );
    expect(p.push('+ 1 .')).toBe('');
  });
});
