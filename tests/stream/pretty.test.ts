/** The chunk text format: parsing with column types, printing back, NULLs and quoting. */
import { describe, expect, it } from 'vitest';
import { T, typeName } from '../../runtime/types/datatype.js';
import { normalizeChunk, parseChunk, prettyChunk } from '../../runtime/stream/pretty.js';
import { StreamChunk, type Op } from '../../runtime/stream/chunk.js';
import type { Value } from '../../runtime/types/value.js';
import fc from 'fast-check';
import { Decimal } from '../../runtime/types/numeric.js';

describe('pretty chunks', () => {
  it('parses ops and typed values, `.` as NULL', () => {
    const c = parseChunk('+ 1 4\n- 2 .\nU- 5 3\nU+ 5 4', [T.int4, T.int8]);
    expect(c.ops).toEqual(['+', '-', 'U-', 'U+']);
    expect(c.rows).toEqual([
      [1, 4n],
      [2, null],
      [5, 3n],
      [5, 4n],
    ]);
  });

  it('prints back what it parses', () => {
    const types = [
      T.int4,
      { kind: 'numeric', precision: 10, scale: 2 } as const,
      T.text,
      T.timestamptz,
      T.boolean,
    ];
    const text = [
      '+  1 2.50 abc "2024-01-01 10:00:00+00" t',
      '-  . . . . .',
      'U- 3 -1.00 "a b" "2024-02-29 00:00:00+00" f',
      'U+ 3 -1.00 "" "2024-02-29 00:00:00+00" f',
      'U+ 4 0.00 "." . t',
      '+  5 0.00 "say ""hi""" . t',
    ].join('\n');
    expect(prettyChunk(parseChunk(text, types), types)).toBe(text);
    expect(types.map(typeName)).toContain('numeric(10,2)');
  });

  it('reads values through the column type (numeric typmod, quoted NULL-looking text)', () => {
    const c = parseChunk('+ 1.005 "."', [{ kind: 'numeric', precision: 10, scale: 2 }, T.text]);
    expect((c.rows[0]![0] as Decimal).toString()).toBe('1.01');
    expect(c.rows[0]![1]).toBe('.');
  });

  it('ignores blank and comment lines, normalizes spacing', () => {
    expect(normalizeChunk('\n  # inserts\n+   1    2\n\n', [T.int4, T.int4])).toBe('+  1 2');
  });

  it('rejects malformed lines', () => {
    expect(() => parseChunk('* 1', [T.int4])).toThrow(/must start with/);
    expect(() => parseChunk('+ 1 2', [T.int4])).toThrow(/expected 1/);
    expect(() => parseChunk('+ "1', [T.text])).toThrow(/unterminated/);
    expect(() => parseChunk('+ x', [T.int4])).toThrow();
  });

  it('prints null chunks as empty text', () => {
    expect(prettyChunk(null, [T.int4])).toBe('');
    expect(prettyChunk(StreamChunk.inserts([[1]]), [T.int4])).toBe('+  1');
  });
});

describe('pretty chunks (property)', () => {
  it('print then parse gives back the chunk, for any text without line breaks', () => {
    const types = [T.int4, T.int8, T.text, T.boolean];
    const value = (i: number): fc.Arbitrary<Value> =>
      fc.oneof(
        fc.constant(null),
        [
          fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
          fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
          fc.string({ unit: fc.constantFrom('a', ' ', '"', '.', '\t', 'é', '#', '+', '-') }),
          fc.boolean(),
        ][i]! as fc.Arbitrary<Value>,
      );
    const op = fc.constantFrom<Op>('+', '-', 'U-', 'U+');
    const row = fc.tuple(value(0), value(1), value(2), value(3));
    fc.assert(
      fc.property(fc.array(fc.tuple(op, row), { maxLength: 8 }), (lines) => {
        const c = new StreamChunk(
          lines.map((l) => l[0]),
          lines.map((l) => l[1]),
        );
        const back = parseChunk(prettyChunk(c, types), types);
        expect(back.ops).toEqual(c.ops);
        expect(back.rows).toEqual(c.rows);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
