/** StreamProject and StreamFilter: stateless row maps; how each op and update pair comes out. */
import { describe, expect, it } from 'vitest';
import { chunk, probe } from '../harness.js';

const setup = 'CREATE TABLE t (a int, b int)';

describe('StreamProject', () => {
  it('maps every op, keeping it (NULLs propagate)', () => {
    const p = probe(
      setup,
      'CREATE MATERIALIZED VIEW mv AS SELECT a + b AS s, b FROM t',
      'StreamProject',
    );
    expect(p.push('+ 1 2\n- 3 .\nU- 1 2\nU+ 1 5')).toBe(chunk('+ 3 2\n- . .\nU- 3 2\nU+ 6 5'));
  });
});

describe('StreamFilter', () => {
  const mk = () =>
    probe(setup, 'CREATE MATERIALIZED VIEW mv AS SELECT * FROM t WHERE b > 1', 'StreamFilter');

  it('passes inserts and deletes whose row satisfies the predicate; NULL is not true', () => {
    expect(mk().push('+ 1 2\n+ 1 1\n- 2 5\n- 2 0\n+ 3 .')).toBe(chunk('+ 1 2\n- 2 5'));
  });

  it('keeps an update pair when both halves pass', () => {
    expect(mk().push('U- 1 2\nU+ 1 3')).toBe(chunk('U- 1 2\nU+ 1 3'));
  });

  it('turns an update into a delete when only the old row passes, an insert when only the new one does', () => {
    const p = mk();
    expect(p.push('U- 1 2\nU+ 1 0')).toBe(chunk('- 1 2'));
    expect(p.push('U- 1 .\nU+ 1 9')).toBe(chunk('+ 1 9'));
    expect(p.push('U- 1 0\nU+ 1 1')).toBe('');
  });
});
