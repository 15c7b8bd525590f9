import { describe, expect, it } from 'vitest';
import { tokenize } from '../../runtime/sql/tokenizer.js';
import { SqlError } from '../../runtime/errors.js';

const kinds = (sql: string): string[] => tokenize(sql).map((t) => `${t.kind}:${t.value}`);

describe('tokenizer', () => {
  it('folds unquoted identifiers, keeps quoted case and "" escapes', () => {
    expect(kinds('SELECT Foo, "Bar", "a""b"')).toEqual([
      'word:select',
      'word:foo',
      'op:,',
      'qident:Bar',
      'op:,',
      'qident:a"b',
      'eof:',
    ]);
  });

  it('reads numbers in all forms', () => {
    expect(kinds('42 1.5 .5 1e10 2.5E-3 1.')).toEqual([
      'number:42',
      'number:1.5',
      'number:.5',
      'number:1e10',
      'number:2.5E-3',
      'number:1.',
      'eof:',
    ]);
  });

  it('reads string literal forms', () => {
    const t = tokenize(`'it''s' E'a\\nb\\'c' $$x'y$$ $fn$ $$ $fn$ U&'\\0041b'`);
    expect(t.slice(0, 5).map((x) => x.value)).toEqual(["it's", "a\nb'c", "x'y", ' $$ ', 'Ab']);
  });

  it('concatenates adjacent literals separated by a newline only', () => {
    expect(tokenize("'a'\n  'b'").map((t) => t.value)).toEqual(['ab', '']);
    expect(tokenize("'a' 'b'").map((t) => t.value)).toEqual(['a', 'b', '']);
  });

  it('skips line and nested block comments', () => {
    expect(kinds('a -- c\n/* x /* y */ z */ b')).toEqual(['word:a', 'word:b', 'eof:']);
  });

  it('splits multi-character operators greedily', () => {
    const ops = '<> != <= >= || :: -> ->> #> #>> @> <@ => ~* !~ !~* << >> && ?| ?&';
    expect(
      tokenize(ops)
        .filter((t) => t.kind === 'op')
        .map((t) => t.value)
        .join(' '),
    ).toBe(ops);
    expect(kinds('a->>b')).toEqual(['word:a', 'op:->>', 'word:b', 'eof:']);
  });

  it('reads parameters and records 1-based positions', () => {
    const t = tokenize('SELECT $1 + $23');
    expect(t.map((x) => [x.kind, x.value, x.pos])).toEqual([
      ['word', 'select', 1],
      ['param', '1', 8],
      ['op', '+', 11],
      ['param', '23', 13],
      ['eof', '', 16],
    ]);
  });

  it('reports unterminated literals like PostgreSQL', () => {
    const cases: [string, string, number][] = [
      ["SELECT 'abc", `unterminated quoted string at or near "'abc"`, 8],
      ['SELECT "abc', `unterminated quoted identifier at or near ""abc"`, 8],
      ['SELECT $$abc', `unterminated dollar-quoted string at or near "$$abc"`, 8],
      ['SELECT /* x', `unterminated /* comment at or near "/* x"`, 8],
    ];
    for (const [sql, msg, pos] of cases) {
      let err: unknown;
      try {
        tokenize(sql);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SqlError);
      expect((err as SqlError).code).toBe('42601');
      expect((err as SqlError).message).toBe(msg);
      expect((err as SqlError).position).toBe(pos);
    }
  });
});
