/**
 * StreamTopN / StreamGroupTopN: ORDER BY ... LIMIT, refilling from state when a top row is
 * deleted; the per-partition form behind row_number() <= N (with its rank column) and DISTINCT ON.
 */
import { describe, expect, it } from 'vitest';
import { chunk, probe, probeExec, sorted } from '../harness.js';
import { TopNExecutor } from '../../../runtime/stream/executors/top-n.js';
import { T } from '../../../runtime/types/datatype.js';

const setup = 'CREATE TABLE t (g int, v int)';

describe('StreamTopN', () => {
  it('keeps the first N rows and refills from state when one is deleted', () => {
    const p = probe(
      setup,
      'CREATE MATERIALIZED VIEW mv AS SELECT * FROM t ORDER BY v LIMIT 2',
      'StreamTopN',
    );
    expect(p.push('+ 1 30\n+ 1 10\n+ 1 20')).toBe(chunk('+ 1 10\n+ 1 20'));
    expect(p.push('+ 1 40')).toBe('');
    // The deleted top row is replaced by the next one (emitted as one update pair).
    expect(p.push('- 1 10')).toBe(chunk('U- 1 10\nU+ 1 30'));
    expect(p.push('+ 1 5')).toBe(chunk('U- 1 30\nU+ 1 5'));
    expect(p.push('- 1 5\n- 1 20\n- 1 30')).toBe(chunk('- 1 5\n- 1 20\n+ 1 40'));
  });

  it('applies OFFSET', () => {
    const p = probe(
      setup,
      'CREATE MATERIALIZED VIEW mv AS SELECT * FROM t ORDER BY v DESC LIMIT 1 OFFSET 1',
      'StreamTopN',
    );
    expect(p.push('+ 1 1\n+ 1 2\n+ 1 3')).toBe(chunk('+ 1 2'));
    expect(p.push('- 1 3')).toBe(chunk('U- 1 2\nU+ 1 1'));
  });
});

describe('StreamGroupTopN', () => {
  // Views written `WHERE rn <= N` over a subquery currently plan as OverWindow + Filter (the
  // subquery's projection sits between them), so the rank-column form is built directly here.
  it('row_number() <= N per partition appends the rank; a delete shifts later ranks', () => {
    const col = (index: number) => ({ kind: 'column', index, type: T.int4 }) as const;
    const input = [
      { name: 'g', type: T.int4 },
      { name: 'v', type: T.int4 },
    ];
    const exec = new TopNExecutor(
      [col(0)],
      [{ expr: col(1), desc: false, nullsFirst: false }],
      2,
      0,
      false,
      true,
      input,
      [...input, { name: 'rn', type: T.int8 }],
    );
    const p = probeExec(exec, input);
    expect(p.pushSorted('+ 1 10\n+ 1 20\n+ 1 30\n+ 2 5')).toBe(
      sorted('+ 1 10 1\n+ 1 20 2\n+ 2 5 1'),
    );
    expect(p.pushSorted('- 1 10')).toBe(sorted('- 1 10 1\n- 1 20 2\n+ 1 20 1\n+ 1 30 2'));
    expect(p.pushSorted('+ 2 1')).toBe(sorted('- 2 5 1\n+ 2 1 1\n+ 2 5 2'));
    expect(p.pushSorted('+ 2 .')).toBe('');
  });

  it('DISTINCT ON keeps the first row per key', () => {
    const p = probe(
      setup,
      'CREATE MATERIALIZED VIEW mv AS SELECT DISTINCT ON (g) g, v FROM t ORDER BY g, v DESC',
      'StreamGroupTopN',
    );
    expect(p.push('+ 1 1\n+ 1 3\n+ . 2')).toBe(chunk('+ 1 3\n+ . 2'));
    expect(p.push('- 1 3')).toBe(chunk('U- 1 3\nU+ 1 1'));
  });
});
