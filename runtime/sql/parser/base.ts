/**
 * The parser's base: the token cursor (peek, eat, expect, syntax errors worded as PostgreSQL's)
 * and identifiers. The grammar builds on it: expressions and data types, then queries, then
 * statements, each a subclass of the one before.
 */
import { SqlError, syntaxError } from '../../errors.js';
import type { Ident, ObjectName } from '../ast.js';
import { tokenize, type Token } from '../tokenizer.js';
import { RESERVED } from './grammar.js';

export abstract class ParserBase {
  protected readonly toks: Token[];
  protected i = 0;

  constructor(protected readonly sql: string) {
    this.toks = tokenize(sql);
  }

  // ---- token helpers ---------------------------------------------------------------------------

  peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  isWord(w: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'word' && t.value === w;
  }

  isOp(o: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.value === o;
  }

  eatWord(w: string): boolean {
    if (this.isWord(w)) {
      this.i++;
      return true;
    }
    return false;
  }

  /** Consume a sequence of words only if all are present. */
  eatWords(...ws: string[]): boolean {
    for (let k = 0; k < ws.length; k++) if (!this.isWord(ws[k]!, k)) return false;
    this.i += ws.length;
    return true;
  }

  eatOp(o: string): boolean {
    if (this.isOp(o)) {
      this.i++;
      return true;
    }
    return false;
  }

  expectWord(w: string): Token {
    if (!this.isWord(w)) this.fail();
    return this.next();
  }

  expectOp(o: string): Token {
    if (!this.isOp(o)) this.fail();
    return this.next();
  }

  /** `>` that may be the first half of a `>>` token (nested STRUCT<...>). */
  expectCloseAngle(): void {
    const t = this.peek();
    if (t.kind === 'op' && t.value === '>>') {
      this.toks[this.i] = { kind: 'op', value: '>', text: '>', pos: t.pos + 1 };
      return;
    }
    if (t.kind === 'op' && t.value === '>=') {
      this.toks[this.i] = { kind: 'op', value: '=', text: '=', pos: t.pos + 1 };
      return;
    }
    this.expectOp('>');
  }

  fail(t: Token = this.peek()): never {
    if (t.kind === 'eof') throw syntaxError('syntax error at end of input', t.pos);
    throw syntaxError(`syntax error at or near "${t.text}"`, t.pos);
  }

  /** Run `f`; on a syntax error rewind and return undefined. */
  attempt<T>(f: () => T, codes: readonly string[] = ['42601']): T | undefined {
    const save = this.i;
    try {
      return f();
    } catch (e) {
      if (e instanceof SqlError && codes.includes(e.code)) {
        this.i = save;
        return undefined;
      }
      throw e;
    }
  }

  // ---- identifiers -----------------------------------------------------------------------------

  isIdent(k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'qident' || (t.kind === 'word' && !RESERVED.has(t.value));
  }

  /** Any word or quoted identifier (for option names and similar non-reserved positions). */
  isAnyWord(k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'qident' || t.kind === 'word';
  }

  ident(): Ident {
    if (!this.isIdent()) this.fail();
    const t = this.next();
    return { value: t.value, quoted: t.kind === 'qident', pos: t.pos };
  }

  anyIdent(): Ident {
    if (!this.isAnyWord()) this.fail();
    const t = this.next();
    return { value: t.value, quoted: t.kind === 'qident', pos: t.pos };
  }

  objectName(): ObjectName {
    const parts = [this.ident()];
    while (this.isOp('.') && this.isAnyWord(1)) {
      this.i++;
      parts.push(this.anyIdent());
    }
    return parts;
  }

  identList(): Ident[] {
    const out = [this.ident()];
    while (this.eatOp(',')) out.push(this.ident());
    return out;
  }

  parenIdentList(): Ident[] {
    this.expectOp('(');
    const out = this.identList();
    this.expectOp(')');
    return out;
  }
}
