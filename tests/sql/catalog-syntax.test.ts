/**
 * Syntax that PostgreSQL clients use in their catalog queries: `OPERATOR(pg_catalog.op)`,
 * `COLLATE pg_catalog.default`, `pg_catalog.`-qualified type names and casts to `regclass` /
 * `regtype` (which become calls of `pg_catalog.regclass` and friends).
 */
import { describe, expect, it } from 'vitest';
import { parseExpr } from '../../runtime/sql/parser.js';
import { printExpr } from '../../runtime/sql/print.js';
import { roundTrip, stripNested } from './util.js';

const printed = (sql: string): string => printExpr(parseExpr(sql));

describe('catalog-query syntax', () => {
  it.each([
    "SELECT c.relname FROM pg_class c WHERE c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default",
    "SELECT 1 WHERE 'a' OPERATOR(pg_catalog.!~) 'b' AND x OPERATOR(=) y",
    "SELECT 't'::pg_catalog.regclass, c.oid::regclass::text, CAST(x AS regtype), 1::oid",
    "SELECT 'a'::pg_catalog.name, 'b'::pg_catalog.text, a.atttypid::pg_catalog.regtype::pg_catalog.text",
  ])('round-trips %s', (sql) => {
    expect(roundTrip(sql)).toHaveLength(1);
  });

  it('OPERATOR(schema.op) is the plain operator, at the precedence of other operators', () => {
    expect(printed("a OPERATOR(pg_catalog.~) 'x'")).toBe("a ~ 'x'");
    // `+` through OPERATOR() binds looser than `*`, as PostgreSQL parses it.
    expect(stripNested(parseExpr('a OPERATOR(pg_catalog.+) b * c'))).toEqual(
      stripNested(parseExpr('a + (b * c)')),
    );
    expect(stripNested(parseExpr('a * b OPERATOR(pg_catalog.+) c'))).toEqual(
      stripNested(parseExpr('(a * b) + c')),
    );
    expect(() => parseExpr('a OPERATOR(myschema.~) b')).toThrow('schema "myschema" does not exist');
  });

  it('COLLATE pg_catalog.x names collation x', () => {
    expect(printed("'a' COLLATE pg_catalog.default")).toBe(`'a' COLLATE "default"`);
    expect(printed('\'a\' COLLATE pg_catalog."C"')).toBe(`'a' COLLATE "C"`);
  });

  it('casts to regclass/regtype become catalog function calls', () => {
    expect(printed("'t'::regclass")).toBe("pg_catalog.regclass('t')");
    expect(printed('oid::pg_catalog.regclass::pg_catalog.text')).toBe(
      'pg_catalog.regclassout(oid)',
    );
    expect(printed('CAST(23 AS regtype)')).toBe('pg_catalog.regtype(23)');
    expect(printed('t::regtype::name')).toBe('pg_catalog.regtypeout(t)');
    // A cast to some other type after regclass is an ordinary cast of the oid.
    expect(printed("'t'::regclass::bigint")).toBe("pg_catalog.regclass('t')::BIGINT");
  });

  it('oid and name are bigint and text', () => {
    expect(printed('1::oid')).toBe('1::BIGINT');
    expect(printed("'x'::pg_catalog.name")).toBe("'x'::TEXT");
  });
});
