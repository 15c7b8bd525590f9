/**
 * The Wasm key tables behind StreamHashAgg and StreamHashJoin under churn: keys that arrive and
 * leave again, chunk after chunk, must not grow the tables (or the Wasm memory) without bound,
 * and groups/rows that live through the compactions keep their state.
 */
import { describe, expect, it } from 'vitest';
import { chunk, probe } from './harness.js';
import type { HashAggExecutor } from '../../runtime/stream/executors/hash-agg.js';
import type { HashJoinExecutor } from '../../runtime/stream/executors/hash-join.js';
import { sharedKernels } from '../../runtime/kernels/key-index.js';

const setup = 'CREATE TABLE t (a int, b int, s text)';
const N = 400;

/** `+`/`-` rows of keys [from, from + N) (int key a, text key s = 'k<a>'). */
function rows(op: string, from: number): string {
  return Array.from({ length: N }, (_, i) => `${op} ${from + i} 1 k${from + i}`).join('\n');
}

describe('hash state under churn', () => {
  for (const [col, label] of [
    ['a', 'int64 key'],
    ['s', 'text key'],
  ] as const) {
    it(`StreamHashAgg (${label}) keeps its tables bounded and long-lived groups intact`, () => {
      const p = probe(
        setup,
        `CREATE MATERIALIZED VIEW mv AS SELECT ${col}, count(*) AS c FROM t GROUP BY ${col}`,
        'StreamHashAgg',
      );
      const exec = p.exec as HashAggExecutor;
      const keep = col === 'a' ? '-1' : 'k-1';
      p.push(`+ -1 0 k-1`);
      let mem = 0;
      for (let round = 0; round < 60; round++) {
        p.push(rows('+', round * N));
        p.push(rows('-', round * N));
        expect(exec.groupCount).toBe(1);
        expect(exec.keyTableSize).toBeLessThanOrEqual(2 * exec.groupCount + 256 + N);
        if (round === 20) mem = sharedKernels().memoryBytes();
      }
      expect(sharedKernels().memoryBytes()).toBe(mem);
      expect(p.push(`+ -1 0 k-1`)).toBe(chunk(`U- ${keep} 1\nU+ ${keep} 2`));
      // A key seen before the compactions comes back as a new group.
      expect(p.push(`+ 5 0 k5`)).toBe(chunk(`+ ${col === 'a' ? '5' : 'k5'} 1`));
    });
  }

  it('StreamHashAgg with two integer keys (packed in Wasm) groups NULLs and survives churn', () => {
    const p = probe(
      setup,
      'CREATE MATERIALIZED VIEW mv AS SELECT a, b, count(*) AS c FROM t GROUP BY a, b',
      'StreamHashAgg',
    );
    const exec = p.exec as HashAggExecutor;
    expect(p.push('+ 1 . x\n+ 1 . y\n+ . 1 z\n+ 1 1 w\n+ . . v')).toBe(
      chunk('+ 1 . 2\n+ . 1 1\n+ 1 1 1\n+ . . 1'),
    );
    for (let round = 0; round < 20; round++) {
      p.push(rows('+', round * N));
      p.push(rows('-', round * N));
    }
    expect(exec.groupCount).toBe(4);
    expect(exec.keyTableSize).toBeLessThanOrEqual(256 + N + 8);
    expect(p.push('- 1 . x\n+ . . u')).toBe(chunk('U- 1 . 2\nU+ 1 . 1\nU- . . 1\nU+ . . 2'));
  });

  it('StreamHashJoin on two integer keys never matches a NULL in either column', () => {
    const p = probe(
      'CREATE TABLE l (k int, j int, x int); CREATE TABLE r (k int, j int, y int)',
      'CREATE MATERIALIZED VIEW mv AS SELECT * FROM l FULL JOIN r ON l.k = r.k AND l.j = r.j',
      'StreamHashJoin',
    );
    expect(p.push('+ 1 . 1\n+ 1 2 2', 0)).toBe(chunk('+ 1 . 1 . . .\n+ 1 2 2 . . .'));
    expect(p.push('+ 1 . 9\n+ 1 2 8', 1)).toBe(
      chunk('+ . . . 1 . 9\n- 1 2 2 . . .\n+ 1 2 2 1 2 8'),
    );
  });

  it('StreamHashJoin keeps both sides bounded and long-lived rows matchable', () => {
    const p = probe(
      'CREATE TABLE l (k int, x int); CREATE TABLE r (k int, y int)',
      'CREATE MATERIALIZED VIEW mv AS SELECT * FROM l LEFT JOIN r ON l.k = r.k',
      'StreamHashJoin',
    );
    const exec = p.exec as HashJoinExecutor;
    const side = (from: number, op: string) =>
      Array.from({ length: N }, (_, i) => `${op} ${from + i} 1`).join('\n');
    p.push('+ -1 7', 0);
    for (let round = 0; round < 40; round++) {
      for (const port of [0, 1]) {
        p.push(side(round * N, '+'), port);
        p.push(side(round * N, '-'), port);
      }
      for (const [live, table] of exec.keyTableSizes) {
        expect(table).toBeLessThanOrEqual(2 * live + 256 + N);
      }
    }
    expect(exec.keyTableSizes.map(([live]) => live)).toEqual([1, 0]);
    expect(p.push('+ -1 8', 1)).toBe(chunk('- -1 7 . .\n+ -1 7 -1 8'));
    expect(p.push('- -1 8', 1)).toBe(chunk('- -1 7 -1 8\n+ -1 7 . .'));
  });

  it('StreamHashJoin with a text key finds rows inserted before many compactions', () => {
    const p = probe(
      'CREATE TABLE l (k text, x int); CREATE TABLE r (k text, y int)',
      'CREATE MATERIALIZED VIEW mv AS SELECT * FROM l JOIN r ON l.k = r.k',
      'StreamHashJoin',
    );
    const exec = p.exec as HashJoinExecutor;
    p.push('+ keep 1', 0);
    for (let round = 0; round < 20; round++) {
      const batch = (op: string) =>
        Array.from({ length: N }, (_, i) => `${op} k${round * N + i} 1`).join('\n');
      p.push(batch('+'), 0);
      p.push(batch('-'), 0);
    }
    const [[live, table]] = exec.keyTableSizes as [[number, number]];
    expect(live).toBe(1);
    expect(table).toBeLessThanOrEqual(256 + N + 2);
    expect(p.push('+ keep 2', 1)).toBe(chunk('+ keep 1 keep 2'));
  });
});
