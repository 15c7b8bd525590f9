/**
 * StreamMaterialize (the view's rows, forwarded to views on it), StreamTableScan (pass-through
 * of a table's changes) and StreamValues (constant rows emitted once, at creation).
 */
import { describe, expect, it } from 'vitest';
import { chunk, probe } from '../harness.js';
import type { MaterializeExecutor } from '../../../runtime/stream/executors/materialize.js';
import { prettyChunk } from '../../../runtime/stream/pretty.js';
import { StreamChunk } from '../../../runtime/stream/chunk.js';

const setup = 'CREATE TABLE t (a int, b text)';

describe('StreamMaterialize', () => {
  it('integrates changes into the view rows and forwards them unchanged', () => {
    const p = probe(
      setup,
      'CREATE MATERIALIZED VIEW mv AS SELECT a, b FROM t',
      'StreamMaterialize',
    );
    expect(p.push('+ 1 x\n+ 1 x\n+ 2 .')).toBe(chunk('+ 1 x\n+ 1 x\n+ 2 .'));
    expect(p.push('U- 1 x\nU+ 1 y')).toBe(chunk('U- 1 x\nU+ 1 y'));
    const rows = (p.exec as MaterializeExecutor).rows();
    expect(prettyChunk(StreamChunk.inserts(rows), p.outputTypes).split('\n').sort()).toEqual([
      '+  1 x',
      '+  1 y',
      '+  2 .',
    ]);
  });

  it('refuses to retract a row it does not hold (a dataflow bug, not a silent wrong answer)', () => {
    const p = probe(
      setup,
      'CREATE MATERIALIZED VIEW mv AS SELECT a, b FROM t',
      'StreamMaterialize',
    );
    expect(() => p.push('- 1 x')).toThrow(/inconsistency/);
  });
});

describe('StreamTableScan', () => {
  it('passes a table change through', () => {
    const p = probe(setup, 'CREATE MATERIALIZED VIEW mv AS SELECT * FROM t', 'StreamTableScan');
    expect(p.push('+ 1 x\n- 2 y')).toBe(chunk('+ 1 x\n- 2 y'));
  });
});

describe('StreamValues', () => {
  it('emits its rows once, at creation', () => {
    const p = probe(
      '',
      "CREATE MATERIALIZED VIEW mv AS SELECT * FROM (VALUES (1, 'a'), (2, NULL)) v(x, y)",
      'StreamValues',
    );
    expect(p.initial()).toBe(chunk('+ 1 a\n+ 2 .'));
  });
});
