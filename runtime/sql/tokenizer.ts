/**
 * The SQL tokenizer: PostgreSQL's lexical rules (identifiers, keywords, numbers, the string literal
 * forms, dollar quoting, comments, operators, `$n` parameters). Every token records its 1-based
 * character offset so errors can point at it.
 */
import { syntaxError } from '../errors.js';

export type TokenKind =
  /** Unquoted identifier or keyword; `value` is lower-cased. */
  | 'word'
  /** `"Quoted"` identifier; `value` keeps case with `""` resolved. */
  | 'qident'
  /** String literal with escapes resolved. */
  | 'string'
  | 'number'
  /** `$1`; `value` is the digits. */
  | 'param'
  /** Operators and punctuation: `(`, `,`, `::`, `->>`, ... */
  | 'op'
  | 'eof';

export interface Token {
  kind: TokenKind;
  value: string;
  /** The source text of the token (for error messages). */
  text: string;
  /** 1-based character offset of the first character. */
  pos: number;
}

/** Multi-character operators, longest first so the scan is greedy. */
const MULTI_OPS = [
  '->>',
  '#>>',
  '!~*',
  '||/',
  '<>',
  '!=',
  '<=',
  '>=',
  '||',
  '::',
  '->',
  '#>',
  '@>',
  '<@',
  '=>',
  '~*',
  '!~',
  '<<',
  '>>',
  '&&',
  '?|',
  '?&',
  '|/',
  ':=',
];

/** Characters PostgreSQL allows in operator names. */
const OP_CHARS = new Set('+-*/<>=~!@#%^&|`?'.split(''));

const SINGLE_OPS = new Set('+-*/%^<>=~!@#&|?(),;[].:{}`'.split(''));

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c.charCodeAt(0) >= 0x80;
}

function isIdentChar(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9') || c === '$';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

/** Split `sql` into tokens, ending with one `eof` token at position length + 1. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const n = sql.length;
  let i = 0;

  const unterminated = (what: string, start: number): never => {
    throw syntaxError(`unterminated ${what} at or near "${sql.slice(start)}"`, start + 1);
  };

  /** Skip whitespace and comments; returns whether a newline was crossed. */
  const skipSpace = (): boolean => {
    let newline = false;
    while (i < n) {
      const c = sql[i]!;
      if (isSpace(c)) {
        if (c === '\n' || c === '\r') newline = true;
        i++;
      } else if (c === '-' && sql[i + 1] === '-') {
        while (i < n && sql[i] !== '\n' && sql[i] !== '\r') i++;
      } else if (c === '/' && sql[i + 1] === '*') {
        const start = i;
        let depth = 1;
        i += 2;
        while (depth > 0) {
          if (i >= n) unterminated('/* comment', start);
          if (sql[i] === '/' && sql[i + 1] === '*') {
            depth++;
            i += 2;
          } else if (sql[i] === '*' && sql[i + 1] === '/') {
            depth--;
            i += 2;
          } else i++;
        }
      } else break;
    }
    return newline;
  };

  /** Body of a '...' literal starting at the quote; `escapes` for E'' strings. */
  const readQuoted = (start: number, quoteAt: number, escapes: boolean): string => {
    let out = '';
    let j = quoteAt + 1;
    for (;;) {
      if (j >= n) unterminated('quoted string', start);
      const c = sql[j]!;
      if (c === "'") {
        if (sql[j + 1] === "'") {
          out += "'";
          j += 2;
          continue;
        }
        j++;
        break;
      }
      if (escapes && c === '\\') {
        const d = sql[j + 1];
        if (d === undefined) return unterminated('quoted string', start);
        j += 2;
        switch (d) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'x': {
            const m = /^[0-9a-fA-F]{1,2}/.exec(sql.slice(j, j + 2));
            if (m) {
              out += String.fromCharCode(parseInt(m[0], 16));
              j += m[0].length;
            } else out += 'x';
            break;
          }
          case 'u':
          case 'U': {
            const len = d === 'u' ? 4 : 8;
            const hex = sql.slice(j, j + len);
            if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex))
              throw syntaxError('invalid Unicode escape', j - 1);
            out += String.fromCodePoint(parseInt(hex, 16));
            j += len;
            break;
          }
          default:
            if (d >= '0' && d <= '7') {
              const m = /^[0-7]{1,3}/.exec(sql.slice(j - 1, j + 2))!;
              out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
              j += m[0].length - 1;
            } else out += d;
        }
        continue;
      }
      out += c;
      j++;
    }
    i = j;
    return out;
  };

  /** PostgreSQL U&'...' strings: `\XXXX` and `\+XXXXXX` escapes. */
  const unicodeUnescape = (s: string, pos: number): string =>
    s.replace(/\\(\\|[0-9a-fA-F]{4}|\+[0-9a-fA-F]{6})/g, (_m, g: string) => {
      if (g === '\\') return '\\';
      const cp = parseInt(g.startsWith('+') ? g.slice(1) : g, 16);
      if (cp > 0x10ffff) throw syntaxError('invalid Unicode escape value', pos);
      return String.fromCodePoint(cp);
    });

  for (;;) {
    const newline = skipSpace();
    if (i >= n) break;
    const start = i;
    const c = sql[i]!;
    const c1 = sql[i + 1];

    // String literal forms: 'x', E'x', U&'x', N'x', X'..' / B'..' (kept as text).
    let strKind: 'plain' | 'escape' | 'unicode' | null = null;
    let quoteAt = i;
    if (c === "'") strKind = 'plain';
    else if ((c === 'e' || c === 'E') && c1 === "'") {
      strKind = 'escape';
      quoteAt = i + 1;
    } else if ((c === 'n' || c === 'N') && c1 === "'") {
      strKind = 'plain';
      quoteAt = i + 1;
    } else if ((c === 'u' || c === 'U') && c1 === '&' && sql[i + 2] === "'") {
      strKind = 'unicode';
      quoteAt = i + 2;
    }
    if (strKind !== null) {
      let value = readQuoted(start, quoteAt, strKind === 'escape');
      if (strKind === 'unicode') value = unicodeUnescape(value, start + 1);
      const prev = tokens[tokens.length - 1];
      // Literals separated only by whitespace containing a newline are one literal (SQL standard).
      if (
        newline &&
        prev !== undefined &&
        prev.kind === 'string' &&
        strKind !== 'unicode' &&
        !prev.text.startsWith('$')
      ) {
        prev.value += value;
        prev.text = sql.slice(prev.pos - 1, i);
      } else tokens.push({ kind: 'string', value, text: sql.slice(start, i), pos: start + 1 });
      continue;
    }

    if (c === '"' || ((c === 'u' || c === 'U') && c1 === '&' && sql[i + 2] === '"')) {
      const q = c === '"' ? i : i + 2;
      let j = q + 1;
      let out = '';
      for (;;) {
        if (j >= n) unterminated('quoted identifier', start);
        if (sql[j] === '"') {
          if (sql[j + 1] === '"') {
            out += '"';
            j += 2;
            continue;
          }
          j++;
          break;
        }
        out += sql[j];
        j++;
      }
      i = j;
      if (out === '')
        throw syntaxError(`zero-length delimited identifier at or near """"`, start + 1);
      if (c !== '"') out = unicodeUnescape(out, start + 1);
      tokens.push({ kind: 'qident', value: out, text: sql.slice(start, i), pos: start + 1 });
      continue;
    }

    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(sql[j]!)) j++;
      const text = sql.slice(i, j);
      i = j;
      tokens.push({ kind: 'word', value: text.toLowerCase(), text, pos: start + 1 });
      continue;
    }

    if (isDigit(c) || (c === '.' && isDigit(c1))) {
      let j = i;
      if (c === '0' && (c1 === 'x' || c1 === 'X') && /[0-9a-fA-F]/.test(sql[i + 2] ?? '')) {
        j = i + 2;
        while (j < n && /[0-9a-fA-F_]/.test(sql[j]!)) j++;
      } else {
        while (isDigit(sql[j])) j++;
        // `1..2` is not a decimal point; `a[1:2]` needs no special care.
        if (sql[j] === '.' && sql[j + 1] !== '.') {
          j++;
          while (isDigit(sql[j])) j++;
        }
        if (
          (sql[j] === 'e' || sql[j] === 'E') &&
          (isDigit(sql[j + 1]) ||
            ((sql[j + 1] === '+' || sql[j + 1] === '-') && isDigit(sql[j + 2])))
        ) {
          j += 2;
          while (isDigit(sql[j])) j++;
        }
      }
      const text = sql.slice(i, j);
      i = j;
      tokens.push({ kind: 'number', value: text, text, pos: start + 1 });
      continue;
    }

    if (c === '$') {
      if (isDigit(c1)) {
        let j = i + 1;
        while (isDigit(sql[j])) j++;
        tokens.push({
          kind: 'param',
          value: sql.slice(i + 1, j),
          text: sql.slice(i, j),
          pos: start + 1,
        });
        i = j;
        continue;
      }
      // Dollar quote: $$ or $tag$
      let j = i + 1;
      if (c1 !== undefined && c1 !== '$' && isIdentStart(c1)) {
        while (j < n && isIdentChar(sql[j]!) && sql[j] !== '$') j++;
      }
      if (sql[j] === '$') {
        const tag = sql.slice(i, j + 1);
        const bodyStart = j + 1;
        const end = sql.indexOf(tag, bodyStart);
        if (end < 0) unterminated('dollar-quoted string', start);
        i = end + tag.length;
        tokens.push({
          kind: 'string',
          value: sql.slice(bodyStart, end),
          text: sql.slice(start, i),
          pos: start + 1,
        });
        continue;
      }
      throw syntaxError(`syntax error at or near "$"`, start + 1);
    }

    let op: string | undefined;
    if (OP_CHARS.has(c)) {
      // PostgreSQL reads the longest run of operator characters as one operator, stopping
      // before a comment start; a run ending in + or - drops them unless it contains one of
      // ~ ! @ # % ^ & | ` ? (so `2*-1` is `*` then `-1`).
      let j = i;
      while (j < n && OP_CHARS.has(sql[j]!) && !sql.startsWith('--', j) && !sql.startsWith('/*', j))
        j++;
      let run = sql.slice(i, j);
      if (run.length > 1 && !/[~!@#%^&|`?]/.test(run)) run = run.replace(/[+-]+$/, '') || run[0]!;
      if (run.length > 0) op = run;
    }
    if (op === undefined)
      for (const m of MULTI_OPS) {
        if (sql.startsWith(m, i)) {
          op = m;
          break;
        }
      }
    if (op === undefined && SINGLE_OPS.has(c)) op = c;
    if (op === undefined) throw syntaxError(`syntax error at or near "${c}"`, start + 1);
    i += op.length;
    tokens.push({ kind: 'op', value: op, text: op, pos: start + 1 });
  }
  tokens.push({ kind: 'eof', value: '', text: '', pos: n + 1 });
  return tokens;
}
