/**
 * The SQL parser: hand-written recursive descent over the token stream, with a Pratt loop for
 * expressions that follows PostgreSQL's operator precedence. Produces the AST of `ast.ts`; syntax
 * errors are `SqlError('42601', ...)` worded and positioned as PostgreSQL reports them.
 *
 * The grammar is in `parser/`: the token cursor (`base.ts`), expressions and data types
 * (`expressions.ts`), queries (`queries.ts`) and statements (`statements.ts`), each class
 * extending the one before; `grammar.ts` holds precedence and keyword tables.
 */
import { syntaxError } from '../errors.js';
import type { DataType } from '../types/datatype.js';
import type { Expr, Statement } from './ast.js';
import { Parser } from './parser/statements.js';

/** Parse a script of `;`-separated statements. Empty statements yield nothing. */
export function parseStatements(sql: string): Statement[] {
  return new Parser(sql).statements();
}

/** Parse exactly one statement (a trailing `;` is allowed). */
export function parseStatement(sql: string): Statement {
  const stmts = parseStatements(sql);
  if (stmts.length !== 1) {
    if (stmts.length === 0) throw syntaxError('syntax error at end of input', sql.length + 1);
    throw syntaxError('cannot insert multiple commands into a prepared statement');
  }
  return stmts[0]!;
}

/** Parse a single expression (used by tests and by callers that evaluate expression text). */
export function parseExpr(sql: string): Expr {
  const p = new Parser(sql);
  const e = p.expr();
  if (p.peek().kind !== 'eof') p.fail();
  return e;
}

/** Parse a data type name such as `NUMERIC(10, 2)` or `INT[]`. */
export function parseDataType(sql: string): DataType {
  const p = new Parser(sql);
  const t = p.dataType();
  if (p.peek().kind !== 'eof') p.fail();
  return t;
}
