import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseExpr, parseStatements } from '../../runtime/sql/parser.js';
import { printExpr, printStatement } from '../../runtime/sql/print.js';
import type { BinaryOperator, Expr, UnaryOperator } from '../../runtime/sql/ast.js';
import type { DataType } from '../../runtime/types/datatype.js';
import { stripNested } from './util.js';

const SEED = 20260402;

const BINARY: BinaryOperator[] = [
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '||',
  '=',
  '<>',
  '<',
  '<=',
  '>',
  '>=',
  'AND',
  'OR',
  '->',
  '->>',
  '#>',
  '#>>',
  '@>',
  '<@',
  '?',
  '?|',
  '?&',
  '&',
  '|',
  '#',
  '<<',
  '>>',
  '~',
  '~*',
  '!~',
  '!~*',
  '&&',
];
const UNARY: UnaryOperator[] = ['-', '+', 'NOT', '~', '|/', '@'];
const COMPARE: BinaryOperator[] = ['=', '<>', '<', '<=', '>', '>='];
const TYPES: DataType[] = [
  { kind: 'int4' },
  { kind: 'int8' },
  { kind: 'text' },
  { kind: 'numeric', precision: 10, scale: 2 },
  { kind: 'timestamptz' },
  { kind: 'array', element: { kind: 'varchar' } },
  { kind: 'float8' },
];

const ident = fc.oneof(
  fc.constantFrom('a', 'b', 'col_1', 'x$y').map((value) => ({ value, quoted: false })),
  fc.constantFrom('Upper', 'with space', 'select', 'a"b').map((value) => ({ value, quoted: true })),
);

const leaf: fc.Arbitrary<Expr> = fc.oneof(
  fc
    .array(ident, { minLength: 1, maxLength: 2 })
    .map((parts): Expr => ({ kind: 'identifier', parts })),
  fc
    .oneof(fc.nat().map(String), fc.constantFrom('1.5', '.5', '1e10', '0'))
    .map((text): Expr => ({ kind: 'literal', value: { kind: 'number', text } })),
  fc
    .string({ maxLength: 6 })
    .map((value): Expr => ({ kind: 'literal', value: { kind: 'string', value } })),
  fc.constant<Expr>({ kind: 'literal', value: { kind: 'null' } }),
  fc.boolean().map((value): Expr => ({ kind: 'literal', value: { kind: 'boolean', value } })),
  fc.integer({ min: 1, max: 9 }).map((index): Expr => ({ kind: 'parameter', index })),
);

const fn = (name: string, args: Expr[]): Expr => ({
  kind: 'function',
  name: [{ value: name, quoted: false }],
  args: args.map((value) => ({ value })),
  distinct: false,
  star: false,
  orderBy: [],
});

const { expr } = fc.letrec<{ expr: Expr }>((tie) => {
  const e = tie('expr');
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc
        .record({ op: fc.constantFrom(...BINARY), left: e, right: e })
        .map((r): Expr => ({ kind: 'binary', ...r })),
      fc
        .record({ op: fc.constantFrom(...UNARY), operand: e })
        .map((r): Expr => ({ kind: 'unary', ...r })),
      fc.record({ expr: e, negated: fc.boolean() }).map((r): Expr => ({ kind: 'isNull', ...r })),
      fc
        .record({ expr: e, value: fc.constantFrom(true, false, null), negated: fc.boolean() })
        .map((r): Expr => ({ kind: 'isBool', ...r })),
      fc
        .record({ left: e, right: e, negated: fc.boolean() })
        .map((r): Expr => ({ kind: 'isDistinctFrom', ...r })),
      fc
        .record({ expr: e, low: e, high: e, negated: fc.boolean(), symmetric: fc.boolean() })
        .map((r): Expr => ({ kind: 'between', ...r })),
      fc
        .record({
          expr: e,
          pattern: e,
          negated: fc.boolean(),
          caseInsensitive: fc.boolean(),
          escape: fc.option(e, { nil: undefined }),
        })
        .map((r): Expr => ({
          kind: 'like',
          expr: r.expr,
          pattern: r.pattern,
          negated: r.negated,
          caseInsensitive: r.caseInsensitive,
          similar: false,
          ...(r.escape && { escape: r.escape }),
        })),
      fc
        .record({
          expr: e,
          list: fc.array(e, { minLength: 1, maxLength: 3 }),
          negated: fc.boolean(),
        })
        .map((r): Expr => ({ kind: 'inList', ...r })),
      fc
        .record({
          left: e,
          op: fc.constantFrom(...COMPARE),
          quantifier: fc.constantFrom<'any' | 'all'>('any', 'all'),
          right: e,
        })
        .map((r): Expr => ({ ...r, kind: 'quantified', right: { kind: 'expr', expr: r.right } })),
      fc
        .record({
          expr: e,
          dataType: fc.constantFrom(...TYPES),
          syntax: fc.constantFrom<'cast' | '::' | 'try_cast'>('cast', '::', 'try_cast'),
        })
        .map((r): Expr => ({ kind: 'cast', ...r })),
      fc
        .record({
          operand: fc.option(e, { nil: undefined }),
          whens: fc.array(fc.record({ condition: e, result: e }), { minLength: 1, maxLength: 2 }),
          else: fc.option(e, { nil: undefined }),
        })
        .map((r): Expr => ({
          kind: 'case',
          whens: r.whens,
          ...(r.operand && { operand: r.operand }),
          ...(r.else && { else: r.else }),
        })),
      fc.array(e, { maxLength: 3 }).map((args) => fn('f', args)),
      fc.record({ expr: e, zone: e }).map((r): Expr => ({ kind: 'atTimeZone', ...r })),
      fc.record({ expr: e, index: e }).map((r): Expr => ({ kind: 'subscript', ...r })),
      fc.array(e, { maxLength: 3 }).map((elements): Expr => ({ kind: 'array', elements })),
      fc
        .array(e, { minLength: 2, maxLength: 3 })
        .map((exprs): Expr => ({ kind: 'row', exprs, explicit: false })),
      fc.array(e, { maxLength: 2 }).map((exprs): Expr => ({ kind: 'row', exprs, explicit: true })),
      fc.record({ expr: e, field: ident }).map((r): Expr => ({ kind: 'fieldAccess', ...r })),
    ),
  };
});

describe('random expressions: print → parse → equal', () => {
  it('round-trips (up to parentheses) and printing is a fixed point', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const text = printExpr(e);
        const back = parseExpr(text);
        expect(stripNested(back)).toEqual(stripNested(e));
        expect(printExpr(back)).toBe(text);
        // The same expression inside a statement.
        const stmt = parseStatements(`SELECT ${text} AS v FROM t WHERE ${text}`)[0]!;
        expect(parseStatements(printStatement(stmt))[0]).toBeDefined();
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});
