/**
 * StreamHashAgg / StreamSimpleAgg: per-group retractable aggregation — group creation, change
 * and removal; MIN/MAX when the current extreme leaves; DISTINCT aggregates; FILTER; ordered
 * string_agg/array_agg; the global aggregate's initial row.
 */
import { describe, expect, it } from 'vitest';
import { chunk, probe } from '../harness.js';

const setup = 'CREATE TABLE t (a int, b int, s text)';
const view = (sql: string, name = 'StreamHashAgg') =>
  probe(setup, `CREATE MATERIALIZED VIEW mv AS ${sql}`, name);

describe('StreamHashAgg', () => {
  it('emits a new group as +, a changed one as U-/U+, an emptied one as -', () => {
    const p = view('SELECT a, count(*) AS c, sum(b) AS s FROM t GROUP BY a');
    expect(p.push('+ 1 2 x\n+ 1 3 y\n+ 2 . z')).toBe(chunk('+ 1 2 5\n+ 2 1 .'));
    expect(p.push('- 1 2 x')).toBe(chunk('U- 1 2 5\nU+ 1 1 3'));
    expect(p.push('- 1 3 y')).toBe(chunk('- 1 1 3'));
    expect(p.push('+ 1 7 x')).toBe(chunk('+ 1 1 7'));
  });

  it('moves a row between groups on an update whose key changes', () => {
    const p = view('SELECT a, count(*) AS c FROM t GROUP BY a');
    p.push('+ 1 0 x\n+ 1 0 y');
    expect(p.push('U- 1 0 x\nU+ 2 0 x')).toBe(chunk('U- 1 2\nU+ 1 1\n+ 2 1'));
  });

  it('groups NULL keys together', () => {
    const p = view('SELECT a, count(*) AS c FROM t GROUP BY a');
    expect(p.push('+ . 1 x\n+ . 2 y')).toBe(chunk('+ . 2'));
  });

  it('MIN/MAX fall back to the next value when the current extreme is deleted', () => {
    const p = view('SELECT a, min(b) AS lo, max(b) AS hi FROM t GROUP BY a');
    expect(p.push('+ 1 5 x\n+ 1 3 x\n+ 1 9 x\n+ 1 3 y')).toBe(chunk('+ 1 3 9'));
    // One of two 3s leaves: the minimum stays.
    expect(p.push('- 1 3 x')).toBe('');
    expect(p.push('- 1 3 y')).toBe(chunk('U- 1 3 9\nU+ 1 5 9'));
    expect(p.push('- 1 9 x')).toBe(chunk('U- 1 5 9\nU+ 1 5 5'));
    expect(p.push('+ 1 . x')).toBe('');
    expect(p.push('- 1 5 x')).toBe(chunk('U- 1 5 5\nU+ 1 . .'));
  });

  it('DISTINCT aggregates change only when a value first appears or last disappears', () => {
    const p = view(
      'SELECT a, count(DISTINCT b) AS c, sum(DISTINCT b) AS s, count(b) AS n FROM t GROUP BY a',
    );
    expect(p.push('+ 1 2 x\n+ 1 2 y\n+ 1 3 z')).toBe(chunk('+ 1 2 5 3'));
    expect(p.push('- 1 2 x')).toBe(chunk('U- 1 2 5 3\nU+ 1 2 5 2'));
    expect(p.push('- 1 2 y')).toBe(chunk('U- 1 2 5 2\nU+ 1 1 3 1'));
  });

  it('FILTER applies only rows passing the filter, both ways', () => {
    const p = view(
      'SELECT a, count(*) FILTER (WHERE b > 0) AS pos, count(*) AS c FROM t GROUP BY a',
    );
    expect(p.push('+ 1 1 x\n+ 1 -1 x\n+ 1 . x')).toBe(chunk('+ 1 1 3'));
    expect(p.push('U- 1 -1 x\nU+ 1 4 x')).toBe(chunk('U- 1 1 3\nU+ 1 2 3'));
    expect(p.push('- 1 1 x')).toBe(chunk('U- 1 2 3\nU+ 1 1 2'));
  });

  it('string_agg and array_agg with ORDER BY stay ordered as rows come and go', () => {
    const p = view(
      "SELECT a, string_agg(s, ',' ORDER BY s) AS sa, array_agg(b ORDER BY b DESC) AS ab FROM t GROUP BY a",
    );
    expect(p.push('+ 1 1 c\n+ 1 3 a')).toBe(chunk('+ 1 a,c {3,1}'));
    expect(p.push('+ 1 2 b')).toBe(chunk('U- 1 a,c {3,1}\nU+ 1 a,b,c {3,2,1}'));
    expect(p.push('- 1 3 a')).toBe(chunk('U- 1 a,b,c {3,2,1}\nU+ 1 b,c {2,1}'));
  });

  it('bool_and and avg retract', () => {
    const p = view('SELECT a, bool_and(b > 0) AS ba, avg(b) AS av FROM t GROUP BY a');
    expect(p.push('+ 1 1 x\n+ 1 -1 x')).toBe(chunk('+ 1 f 0.00000000000000000000'));
    expect(p.push('- 1 -1 x')).toBe(
      chunk('U- 1 f 0.00000000000000000000\nU+ 1 t 1.00000000000000000000'),
    );
  });
});

describe('StreamSimpleAgg (no GROUP BY)', () => {
  it('has its row before any input: count(*) is 0, sum NULL', () => {
    const p = view('SELECT count(*) AS c, sum(b) AS s FROM t', 'StreamSimpleAgg');
    expect(p.initial()).toBe(chunk('+ 0 .'));
    expect(p.push('+ 1 2 x\n+ 1 3 x')).toBe(chunk('U- 0 .\nU+ 2 5'));
  });

  it('never deletes its row: emptying the input returns it to the initial values', () => {
    const p = view('SELECT count(*) AS c, max(b) AS m FROM t', 'StreamSimpleAgg');
    p.initial();
    p.push('+ 1 2 x');
    expect(p.push('- 1 2 x')).toBe(chunk('U- 1 2\nU+ 0 .'));
  });
});
