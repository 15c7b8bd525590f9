/**
 * StreamUnion (UNION ALL) and DISTINCT / UNION, which are a StreamHashAgg keyed by every column
 * with no aggregates: pass-through and 0 ↔ 1 counts.
 */
import { describe, expect, it } from 'vitest';
import { chunk, probe } from '../harness.js';

const setup = 'CREATE TABLE t (a int, b text); CREATE TABLE u (a int, b text)';

describe('StreamUnion', () => {
  it('forwards changes from both inputs unchanged', () => {
    const p = probe(
      setup,
      'CREATE MATERIALIZED VIEW mv AS SELECT a, b FROM t UNION ALL SELECT a, b FROM u',
      'StreamUnion',
    );
    expect(p.push('+ 1 x\nU- 2 y\nU+ 2 z', 0)).toBe(chunk('+ 1 x\nU- 2 y\nU+ 2 z'));
    expect(p.push('- 1 x', 1)).toBe(chunk('- 1 x'));
  });
});

describe('DISTINCT as StreamHashAgg', () => {
  it('emits a row when its count goes 0 → 1 and retracts it at 1 → 0', () => {
    const p = probe(
      setup,
      'CREATE MATERIALIZED VIEW mv AS SELECT DISTINCT a, b FROM t',
      'StreamHashAgg',
    );
    expect(p.push('+ 1 x\n+ 1 x\n+ . .')).toBe(chunk('+ 1 x\n+ . .'));
    expect(p.push('- 1 x')).toBe('');
    expect(p.push('U- 1 x\nU+ 1 y')).toBe(chunk('- 1 x\n+ 1 y'));
    expect(p.push('+ . .\n- . .\n- . .')).toBe(chunk('- . .'));
  });

  it('UNION is a union followed by a distinct', () => {
    const p = probe(
      setup,
      'CREATE MATERIALIZED VIEW mv AS SELECT a, b FROM t UNION SELECT a, b FROM u',
      'StreamHashAgg',
    );
    expect(p.push('+ 1 x')).toBe(chunk('+ 1 x'));
    expect(p.push('+ 1 x')).toBe('');
  });

  it('over no columns, has its one row only while the input has rows', () => {
    const p = probe(
      setup,
      'CREATE MATERIALIZED VIEW mv AS SELECT DISTINCT FROM t',
      'StreamHashAgg',
    );
    expect(p.push('+\n+')).toBe(chunk('+'));
    expect(p.push('-')).toBe('');
    expect(p.push('-')).toBe(chunk('-'));
  });
});
