import { describe, expect, it } from 'vitest';
import { parseExpr, parseStatements } from '../../runtime/sql/parser.js';
import { printExpr } from '../../runtime/sql/print.js';
import type { Expr, Statement } from '../../runtime/sql/ast.js';
import { CORPUS } from './corpus.js';
import { roundTrip, stripPos } from './util.js';

describe('parse → print → parse round trip', () => {
  it.each(CORPUS)('%s', (sql) => {
    const printed = roundTrip(sql);
    expect(printed.length).toBe(1);
  });

  it('handles scripts with several statements and empty ones', () => {
    expect(parseStatements(';;SELECT 1;; SELECT 2;')).toHaveLength(2);
    expect(parseStatements(' ; ; ')).toHaveLength(0);
    expect(parseStatements('-- nothing\n')).toHaveLength(0);
  });
});

/** Compact prefix notation of an expression, for precedence checks. */
function shape(e: Expr): string {
  switch (e.kind) {
    case 'identifier':
      return e.parts.map((p) => p.value).join('.');
    case 'literal':
      return e.value.kind === 'number' ? e.value.text : e.value.kind;
    case 'binary':
      return `(${e.op} ${shape(e.left)} ${shape(e.right)})`;
    case 'unary':
      return `(${e.op} ${shape(e.operand)})`;
    case 'isNull':
      return `(${e.negated ? 'notnull' : 'isnull'} ${shape(e.expr)})`;
    case 'between':
      return `(between ${shape(e.expr)} ${shape(e.low)} ${shape(e.high)})`;
    case 'cast':
      return `(cast ${shape(e.expr)})`;
    case 'subscript':
      return `(sub ${shape(e.expr)})`;
    case 'atTimeZone':
      return `(at ${shape(e.expr)} ${shape(e.zone)})`;
    case 'like':
      return `(like ${shape(e.expr)} ${shape(e.pattern)})`;
    case 'nested':
      return shape(e.expr);
    default:
      return e.kind;
  }
}

describe('operator precedence', () => {
  const cases: [string, string][] = [
    ['a OR b AND c', '(OR a (AND b c))'],
    ['NOT a AND b', '(AND (NOT a) b)'],
    ['NOT a = b', '(NOT (= a b))'],
    ['a = b IS NULL', '(isnull (= a b))'],
    ['a IS NULL = b', '(= (isnull a) b)'],
    ['a < b + c', '(< a (+ b c))'],
    ["a LIKE b || 'x'", '(like a (|| b string))'],
    ['a = b BETWEEN c AND d', '(= a (between b c d))'],
    ['a || b + c', '(|| a (+ b c))'],
    ['a + b * c', '(+ a (* b c))'],
    ['a - b - c', '(- (- a b) c)'],
    ['a * b ^ c', '(* a (^ b c))'],
    ['2 ^ 3 ^ 2', '(^ (^ 2 3) 2)'],
    ['-a ^ b', '(^ (- a) b)'],
    ['-a::int', '(- (cast a))'],
    ["a AT TIME ZONE 'x' + b", '(+ (at a string) b)'],
    ['-a[1]', '(- (sub a))'],
    ['a::int[]', '(cast a)'],
    ['a -> 1 = b', '(= (-> a 1) b)'],
    ['(a + b) * c', '(* (+ a b) c)'],
    ['a = NOT b', '(= a (NOT b))'],
  ];
  it.each(cases)('%s', (sql, expected) => {
    expect(shape(parseExpr(sql))).toBe(expected);
  });

  it('keeps explicit parentheses as nested nodes and prints them back', () => {
    const e = parseExpr('(a + b) * c');
    expect(e.kind === 'binary' && e.left.kind).toBe('nested');
    expect(printExpr(e)).toBe('(a + b) * c');
  });
});

describe('AST shapes', () => {
  const one = (sql: string): Statement => stripPos(parseStatements(sql)[0]!);
  const expr = (sql: string): Expr => stripPos(parseExpr(sql));

  it('folds identifiers and keeps quoted ones', () => {
    expect(expr('Foo."Bar"')).toEqual({
      kind: 'identifier',
      parts: [
        { value: 'foo', quoted: false },
        { value: 'Bar', quoted: true },
      ],
    });
  });

  it('desugars SQL-standard call syntax', () => {
    const call = (name: string, n: number) => ({ name: [{ value: name, quoted: false }], n });
    const summary = (e: Expr) =>
      e.kind === 'function' ? { name: e.name, n: e.args.length } : { name: [], n: -1 };
    expect(summary(expr('substring(s from 2 for 3)'))).toEqual(call('substring', 3));
    expect(summary(expr('substring(s for 3)'))).toEqual(call('substring', 3));
    expect(summary(expr("position('a' in s)"))).toEqual(call('position', 2));
    expect(summary(expr("trim(both 'x' from s)"))).toEqual(call('btrim', 2));
    expect(summary(expr('trim(leading from s)'))).toEqual(call('ltrim', 1));
    expect(summary(expr("trim(trailing 'x' from s)"))).toEqual(call('rtrim', 2));
    expect(summary(expr("overlay(s placing 'x' from 1 for 2)"))).toEqual(call('overlay', 4));
    const t = expr("trim(both 'x' from s)");
    expect(t.kind === 'function' && t.args.map((a) => a.value.kind)).toEqual([
      'identifier',
      'literal',
    ]);
    const p = expr("position('a' in s)");
    expect(p.kind === 'function' && p.args[0]!.value.kind).toBe('literal');
  });

  it('reads niladic functions as calls', () => {
    const e = expr('current_timestamp');
    expect(e.kind).toBe('function');
    expect(e.kind === 'function' && e.args).toEqual([]);
  });

  it('reads typed literals with interval units', () => {
    expect(expr("INTERVAL '1:30' MINUTE TO SECOND")).toEqual({
      kind: 'typedString',
      dataType: { kind: 'interval' },
      value: '1:30',
      intervalUnit: 'MINUTE TO SECOND',
    });
    expect(expr("TIMESTAMP WITH TIME ZONE '2020-01-01'")).toMatchObject({
      dataType: { kind: 'timestamptz' },
    });
  });

  it('reads data types', () => {
    const ty = (t: string) => {
      const e = expr(`x::${t}`);
      return e.kind === 'cast' ? e.dataType : undefined;
    };
    expect(ty('numeric(10,2)')).toEqual({ kind: 'numeric', precision: 10, scale: 2 });
    expect(ty('character varying(5)')).toEqual({ kind: 'varchar', length: 5 });
    expect(ty('char(3)')).toEqual({ kind: 'varchar', length: 3 });
    expect(ty('float(10)')).toEqual({ kind: 'float4' });
    expect(ty('int[][]')).toEqual({
      kind: 'array',
      element: { kind: 'array', element: { kind: 'int4' } },
    });
    expect(ty('struct<a int, b struct<c text>>')).toEqual({
      kind: 'struct',
      fields: [
        { name: 'a', type: { kind: 'int4' } },
        { name: 'b', type: { kind: 'struct', fields: [{ name: 'c', type: { kind: 'text' } }] } },
      ],
    });
  });

  it('reads RESET and SET TIME ZONE as set statements', () => {
    expect(one('RESET x')).toEqual({
      kind: 'set',
      scope: 'session',
      name: 'x',
      values: [],
      isDefault: true,
    });
    expect(one("SET TIME ZONE 'UTC'")).toMatchObject({ name: 'timezone', isDefault: false });
    expect(one('SET LOCAL a.b TO 1')).toMatchObject({ scope: 'local', name: 'a.b' });
  });

  it('reads set operations with INTERSECT binding tighter', () => {
    const s = one('SELECT 1 UNION SELECT 2 INTERSECT SELECT 3');
    expect(s.kind === 'query' && s.query.body.kind === 'setOp' && s.query.body.op).toBe('union');
    expect(
      s.kind === 'query' && s.query.body.kind === 'setOp' && s.query.body.right.kind === 'setOp'
        ? s.query.body.right.op
        : undefined,
    ).toBe('intersect');
  });

  it('reads CORRESPONDING [BY (...)] on set operations', () => {
    const s = one(
      'SELECT a FROM t UNION ALL CORRESPONDING BY (a, "B") SELECT a FROM u EXCEPT SELECT 1',
    );
    const body = s.kind === 'query' ? s.query.body : undefined;
    expect(body?.kind === 'setOp' && body.op).toBe('except');
    expect(body?.kind === 'setOp' && body.corresponding).toBeUndefined();
    const left = body?.kind === 'setOp' ? body.left : undefined;
    expect(left?.kind === 'setOp' && left.all).toBe(true);
    expect(
      left?.kind === 'setOp' && left.corresponding?.by?.map((i) => [i.value, i.quoted]),
    ).toEqual([
      ['a', false],
      ['B', true],
    ]);
    expect(() => one('SELECT 1 UNION CORRESPONDING BY SELECT 1')).toThrow();
    expect(() => one('SELECT 1 UNION CORRESPONDING BY () SELECT 1')).toThrow();
  });

  it('reads CREATE TABLE options', () => {
    const s = one(
      "CREATE TABLE t (ts TIMESTAMP, k INT, PRIMARY KEY (k), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) APPEND ONLY WITH (connector = 'datagen') FORMAT PLAIN ENCODE JSON",
    );
    expect(s).toMatchObject({
      kind: 'createTable',
      appendOnly: true,
      primaryKey: [{ value: 'k' }],
      watermark: { column: { value: 'ts' } },
      withOptions: [{ name: [{ value: 'connector' }] }],
      format: { format: 'PLAIN', encode: 'JSON', options: [] },
    });
  });

  it('records token positions on nodes', () => {
    const s = parseStatements('SELECT a,  bb FROM t')[0]!;
    const items =
      s.kind === 'query' && s.query.body.kind === 'select' ? s.query.body.select.projection : [];
    expect(items.map((i) => (i.kind === 'expr' ? i.expr.pos : 0))).toEqual([8, 12]);
  });
});
