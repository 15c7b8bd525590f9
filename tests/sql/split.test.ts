import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../runtime/sql/split.js';
import { parseStatements } from '../../runtime/sql/parser.js';

describe('splitStatements', () => {
  it('splits at top-level semicolons and drops empty statements', () => {
    const sql = 'SELECT 1;;  SELECT 2 ;\n-- only a comment\n;';
    expect(splitStatements(sql)).toEqual([
      { text: 'SELECT 1', offset: 0 },
      { text: 'SELECT 2', offset: 12 },
    ]);
  });

  it('respects quotes, dollar quotes, comments and E-strings', () => {
    const sql = [
      "SELECT 'a;b', \"c;d\", E'x\\';y'",
      'CREATE FUNCTION f() RETURNS INT LANGUAGE sql AS $$ SELECT 1; SELECT 2 $$',
      'SELECT $tag$ ; $$ ; $tag$ /* ; */ -- ;\n',
      'SELECT 3',
    ].join(';\n');
    const parts = splitStatements(sql);
    expect(parts).toHaveLength(4);
    for (const p of parts) {
      expect(sql.slice(p.offset, p.offset + p.text.length)).toBe(p.text);
      expect(parseStatements(p.text)).toHaveLength(1);
    }
    expect(parts[3]!.text).toBe('SELECT 3');
  });

  it('keeps a trailing statement without semicolon', () => {
    expect(splitStatements('  SELECT 1')).toEqual([{ text: 'SELECT 1', offset: 2 }]);
    expect(splitStatements('')).toEqual([]);
  });
});
