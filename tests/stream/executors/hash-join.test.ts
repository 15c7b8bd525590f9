/**
 * StreamHashJoin and the semi/anti joins: the delta rule on each side, NULL keys that never
 * match, residual conditions, outer-join padding as a row's degree moves 0 ↔ 1, and semi/anti
 * membership as the right side changes.
 */
import { describe, expect, it } from 'vitest';
import { chunk, probe } from '../harness.js';

const setup = 'CREATE TABLE l (k int, x int); CREATE TABLE r (k int, y int)';
const join = (sql: string, name = 'StreamHashJoin') =>
  probe(setup, `CREATE MATERIALIZED VIEW mv AS ${sql}`, name);
const L = 0;
const R = 1;

describe('inner join', () => {
  it('joins a change with the other side, counting duplicates', () => {
    const p = join('SELECT * FROM l JOIN r ON l.k = r.k');
    expect(p.push('+ 1 10\n+ 1 10', R)).toBe('');
    expect(p.push('+ 1 1', L)).toBe(chunk('+ 1 1 1 10\n+ 1 1 1 10'));
    expect(p.push('- 1 10', R)).toBe(chunk('- 1 1 1 10'));
    expect(p.push('U- 1 1\nU+ 1 2', L)).toBe(chunk('- 1 1 1 10\n+ 1 2 1 10'));
  });

  it('never matches NULL keys', () => {
    const p = join('SELECT * FROM l JOIN r ON l.k = r.k');
    expect(p.push('+ . 1', L)).toBe('');
    expect(p.push('+ . 2', R)).toBe('');
    expect(p.push('- . 1', L)).toBe('');
  });

  it('checks the residual condition per matching pair', () => {
    const p = join('SELECT * FROM l JOIN r ON l.k = r.k AND l.x < r.y');
    p.push('+ 1 5\n+ 1 20', R);
    expect(p.push('+ 1 10', L)).toBe(chunk('+ 1 10 1 20'));
    expect(p.push('+ 1 7', R)).toBe('');
    expect(p.push('+ 1 11', R)).toBe(chunk('+ 1 10 1 11'));
  });
});

describe('outer joins', () => {
  it('left join: pads an unmatched row, swaps the padding out on the first match and back on the last', () => {
    const p = join('SELECT * FROM l LEFT JOIN r ON l.k = r.k');
    expect(p.push('+ 1 1', L)).toBe(chunk('+ 1 1 . .'));
    expect(p.push('+ 1 10', R)).toBe(chunk('- 1 1 . .\n+ 1 1 1 10'));
    expect(p.push('+ 1 11', R)).toBe(chunk('+ 1 1 1 11'));
    expect(p.push('- 1 10', R)).toBe(chunk('- 1 1 1 10'));
    expect(p.push('- 1 11', R)).toBe(chunk('- 1 1 1 11\n+ 1 1 . .'));
    expect(p.push('- 1 1', L)).toBe(chunk('- 1 1 . .'));
  });

  it('left join: a NULL-keyed left row stays padded whatever the right side holds', () => {
    const p = join('SELECT * FROM l LEFT JOIN r ON l.k = r.k');
    expect(p.push('+ . 5', L)).toBe(chunk('+ . 5 . .'));
    expect(p.push('+ . 7', R)).toBe('');
    expect(p.push('- . 5', L)).toBe(chunk('- . 5 . .'));
  });

  it('left join: a residual condition failing keeps the row padded', () => {
    const p = join('SELECT * FROM l LEFT JOIN r ON l.k = r.k AND r.y > 0');
    p.push('+ 1 1', L);
    expect(p.push('+ 1 -1', R)).toBe('');
    expect(p.push('U- 1 -1\nU+ 1 3', R)).toBe(chunk('- 1 1 . .\n+ 1 1 1 3'));
  });

  it('right join pads right rows', () => {
    const p = join('SELECT * FROM l RIGHT JOIN r ON l.k = r.k');
    expect(p.push('+ 2 20', R)).toBe(chunk('+ . . 2 20'));
    expect(p.push('+ 2 2\n+ 2 3', L)).toBe(chunk('- . . 2 20\n+ 2 2 2 20\n+ 2 3 2 20'));
    expect(p.push('- 2 2\n- 2 3', L)).toBe(chunk('- 2 2 2 20\n- 2 3 2 20\n+ . . 2 20'));
  });

  it('full join pads both sides, duplicates each padded as often as they occur', () => {
    const p = join('SELECT * FROM l FULL JOIN r ON l.k = r.k');
    expect(p.push('+ 1 1\n+ 1 1', L)).toBe(chunk('+ 1 1 . .\n+ 1 1 . .'));
    expect(p.push('+ 1 10\n+ 3 30', R)).toBe(
      chunk('- 1 1 . .\n- 1 1 . .\n+ 1 1 1 10\n+ 1 1 1 10\n+ . . 3 30'),
    );
    expect(p.push('- 1 1', L)).toBe(chunk('- 1 1 1 10'));
    expect(p.push('- 1 1', L)).toBe(chunk('- 1 1 1 10\n+ . . 1 10'));
  });
});

describe('semi and anti joins', () => {
  it('semi join (IN): a left row is present while it has a match', () => {
    const p = join('SELECT * FROM l WHERE k IN (SELECT k FROM r)', 'StreamHashSemiJoin');
    expect(p.push('+ 1 1\n+ . 2', L)).toBe('');
    expect(p.push('+ 1 10', R)).toBe(chunk('+ 1 1'));
    expect(p.push('+ 1 11', R)).toBe('');
    expect(p.push('- 1 10', R)).toBe('');
    expect(p.push('+ 1 9', L)).toBe(chunk('+ 1 9'));
    expect(p.push('- 1 11', R)).toBe(chunk('- 1 1\n- 1 9'));
    expect(p.push('+ . 0', R)).toBe('');
  });

  it('anti join (NOT EXISTS): a left row is present while it has no match', () => {
    const p = join(
      'SELECT * FROM l WHERE NOT EXISTS (SELECT 1 FROM r WHERE r.k = l.k)',
      'StreamHashAntiJoin',
    );
    expect(p.push('+ 1 1\n+ . 2', L)).toBe(chunk('+ 1 1\n+ . 2'));
    expect(p.push('+ 1 10', R)).toBe(chunk('- 1 1'));
    expect(p.push('U- 1 10\nU+ 2 10', R)).toBe(chunk('+ 1 1'));
  });

  it('NOT IN: a NULL on the right removes every left row', () => {
    const p = join('SELECT * FROM l WHERE x NOT IN (SELECT y FROM r)', 'StreamHashAntiJoin');
    expect(p.push('+ 1 1\n+ 2 2', L)).toBe(chunk('+ 1 1\n+ 2 2'));
    expect(p.push('+ 9 2', R)).toBe(chunk('- 2 2'));
    expect(p.push('+ 9 .', R)).toBe(chunk('- 1 1'));
    expect(p.push('- 9 .', R)).toBe(chunk('+ 1 1'));
  });
});
