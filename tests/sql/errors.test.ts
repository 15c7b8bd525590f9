import { describe, expect, it } from 'vitest';
import { parseStatements } from '../../runtime/sql/parser.js';
import { SqlError } from '../../runtime/errors.js';

function errorOf(sql: string): SqlError {
  try {
    parseStatements(sql);
  } catch (e) {
    if (e instanceof SqlError) return e;
    throw e;
  }
  throw new Error(`expected an error for: ${sql}`);
}

describe('syntax errors', () => {
  const cases: [string, string, string, number][] = [
    ['SELECT * FORM t', '42601', 'syntax error at or near "FORM"', 10],
    ["SELECT 'abc", '42601', `unterminated quoted string at or near "'abc"`, 8],
    ['SELECT (1', '42601', 'syntax error at end of input', 10],
    ['SELECT 1 +', '42601', 'syntax error at end of input', 11],
    ['SELEC 1', '42601', 'syntax error at or near "SELEC"', 1],
    ['SELECT a FROM t WHERE', '42601', 'syntax error at end of input', 22],
    ['SELECT a FORM t', '42601', 'syntax error at or near "t"', 15],
    ['SELECT 1; SELECT )', '42601', 'syntax error at or near ")"', 18],
    ["SELECT 1 'x' 2", '42601', `syntax error at or near "'x'"`, 10],
    ['CREATE TABLE t (a INT,,)', '42601', 'syntax error at or near ","', 23],
    ['INSERT INTO t VALUES (1', '42601', 'syntax error at end of input', 24],
    ['SELECT CASE END', '42601', 'syntax error at or near "END"', 13],
    ['SELECT a::nosuchtype', '42704', 'type "nosuchtype" does not exist', 11],
    ['SELECT ""', '42601', 'zero-length delimited identifier at or near """"', 8],
  ];
  it.each(cases)('%s', (sql, code, message, position) => {
    const e = errorOf(sql);
    expect(e.code).toBe(code);
    expect(e.message).toBe(message);
    expect(e.position).toBe(position);
  });
});
