/**
 * Pattern matching: LIKE/ILIKE, SIMILAR TO, and PostgreSQL advanced regular expressions (ARE)
 * translated to JavaScript `RegExp`s. Compiled patterns are cached, since the same constant
 * pattern is applied to every row.
 */
import { SqlError, SqlState } from '../errors.js';

function regexError(what: string): SqlError {
  return new SqlError(SqlState.invalidRegularExpression, `invalid regular expression: ${what}`);
}

const likeCache = new Map<string, (s: string) => boolean>();
const CACHE_LIMIT = 256;

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) {
    const first = cache.keys().next();
    if (!first.done) cache.delete(first.value);
  }
  cache.set(key, value);
  return value;
}

/** Escapes a literal character for use outside (or, with `inClass`, inside) a JS character class. */
function escapeJs(ch: string, inClass = false): string {
  if (/[\\^$.*+?()[\]{}|/]/.test(ch)) return `\\${ch}`;
  return inClass && ch === '-' ? '\\-' : ch;
}

/** Checks an ESCAPE clause: empty (no escape) or one character. */
function checkEscape(escape: string | null, defaultEscape: string): string {
  if (escape === null) return defaultEscape;
  if ([...escape].length > 1)
    throw new SqlError(
      '22025',
      'invalid escape string',
      undefined,
      undefined,
      'Escape string must be empty or one character.',
    );
  return escape;
}

/** PostgreSQL LIKE (`%`, `_`, default escape `\`); ILIKE when `caseInsensitive`. */
export function likeMatcher(
  pattern: string,
  escape: string | null,
  caseInsensitive: boolean,
): (s: string) => boolean {
  const key = `${caseInsensitive ? 'i' : 'c'}${escape === null ? '\u0000' : `${escape}\u0001`}${pattern}`;
  const hit = likeCache.get(key);
  if (hit) return hit;
  const esc = checkEscape(escape, '\\');
  let src = '';
  let target = '';
  let literal = true;
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (esc !== '' && c === esc) {
      const next = chars[i + 1];
      if (next === undefined)
        throw new SqlError('22025', 'LIKE pattern must not end with escape character');
      src += escapeJs(next);
      target += next;
      i++;
    } else if (c === '%') {
      src += '.*';
      literal = false;
    } else if (c === '_') {
      src += '.';
      literal = false;
    } else {
      src += escapeJs(c);
      target += c;
    }
  }
  let fn: (s: string) => boolean;
  if (literal && !caseInsensitive) {
    // No wildcards: plain equality with the unescaped pattern.
    fn = (s) => s === target;
  } else {
    const re = new RegExp(`^${src}$`, caseInsensitive ? 'isu' : 'su');
    fn = (s) => re.test(s);
  }
  return remember(likeCache, key, fn);
}

/**
 * Translates a SIMILAR TO pattern to an ARE source anchored at both ends (PostgreSQL's
 * `similar_to_escape`). With `capture`, the part between the two `<escape>"` separators becomes
 * capture group 1 (for `substring(... SIMILAR ...)`).
 */
export function similarToRegex(pattern: string, escape: string | null, capture = false): string {
  const esc = checkEscape(escape, '\\');
  let out = '';
  let inBracket = false;
  let separators = 0;
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (esc !== '' && c === esc) {
      const next = chars[i + 1];
      if (next === undefined)
        throw new SqlError('2201B', 'invalid regular expression: invalid escape \\ sequence');
      i++;
      if (next === '"') {
        separators++;
        if (separators > 2)
          throw new SqlError(
            '2201B',
            'SQL regular expression may not contain more than two escape-double-quote separators',
          );
        out += separators === 1 ? (capture ? '){1,1}?(' : ')(?:') : capture ? '){1,1}(?:' : ')(?:';
        continue;
      }
      out += /[A-Za-z0-9]/.test(next) ? next : `\\${next}`;
      continue;
    }
    if (inBracket) {
      if (c === ']') inBracket = false;
      out += c === '\\' ? '\\\\' : c;
      continue;
    }
    switch (c) {
      case '%':
        out += '.*';
        break;
      case '_':
        out += '.';
        break;
      case '[':
        inBracket = true;
        out += c;
        if (chars[i + 1] === '^') {
          out += '^';
          i++;
        }
        if (chars[i + 1] === ']') {
          out += '\\]';
          i++;
        }
        break;
      case '.':
      case '^':
      case '$':
      case '\\':
        out += `\\${c}`;
        break;
      default:
        out += c;
    }
  }
  if (capture && separators === 1)
    throw new SqlError(
      '2201B',
      'SQL regular expression may not contain more than two escape-double-quote separators',
    );
  return `^(?:${out})$`;
}

/** SIMILAR TO as a predicate. */
export function similarToMatcher(pattern: string, escape: string | null): (s: string) => boolean {
  const re = posixRegex(similarToRegex(pattern, escape), '');
  return (s) => re.test(s);
}

const classes: Record<string, string> = {
  alpha: 'a-zA-Z\\p{L}',
  digit: '0-9',
  alnum: 'a-zA-Z0-9\\p{L}\\p{Nd}',
  upper: 'A-Z\\p{Lu}',
  lower: 'a-z\\p{Ll}',
  space: '\\s',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~\\p{P}',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e\\P{C}',
  graph: '\\x21-\\x7e',
  ascii: '\\x00-\\x7f',
};

interface Translation {
  source: string;
  flags: string;
  groups: number;
}

function parseFlags(flags: string): {
  ci: boolean;
  sNl: boolean;
  mNl: boolean;
  x: boolean;
  q: boolean;
} {
  let ci = false;
  let sNl = false; // `.` and [^...] stop at newlines
  let mNl = false; // ^ and $ match at newlines
  let x = false;
  let q = false;
  for (const f of flags) {
    switch (f) {
      case 'i':
        ci = true;
        break;
      case 'c':
        ci = false;
        break;
      case 'n':
      case 'm':
        sNl = true;
        mNl = true;
        break;
      case 's':
        sNl = false;
        mNl = false;
        break;
      case 'p':
        sNl = true;
        mNl = false;
        break;
      case 'w':
        sNl = false;
        mNl = true;
        break;
      case 'x':
        x = true;
        break;
      case 't':
        x = false;
        break;
      case 'q':
        q = true;
        break;
      case 'b':
      case 'e':
      case 'g':
        break;
      default:
        throw new SqlError(
          SqlState.invalidParameterValue,
          `invalid regular expression option: "${f}"`,
        );
    }
  }
  return { ci, sNl, mNl, x, q };
}

function hexEscape(chars: string[], i: number, max: number): [string, number] {
  let j = i;
  let hex = '';
  while (j < chars.length && hex.length < max && /[0-9a-fA-F]/.test(chars[j]!)) hex += chars[j++];
  if (hex === '') throw regexError('invalid escape \\ sequence');
  const cp = parseInt(hex, 16);
  if (cp > 0x10ffff) throw regexError('invalid escape \\ sequence');
  return [`\\u{${cp.toString(16)}}`, j];
}

/** Translates one escape (the character after `\` at `chars[i]`); returns [js, next index]. */
function translateEscape(chars: string[], i: number, inBracket: boolean): [string, number] {
  const c = chars[i];
  if (c === undefined) throw regexError('invalid escape \\ sequence');
  switch (c) {
    case 'd':
    case 'D':
    case 's':
    case 'S':
    case 'w':
    case 'W':
    case 'n':
    case 't':
    case 'r':
    case 'f':
    case 'v':
      return [`\\${c}`, i + 1];
    case 'a':
      return ['\\x07', i + 1];
    case 'e':
      return ['\\x1b', i + 1];
    case 'b':
      return ['\\x08', i + 1];
    case 'x':
      return hexEscape(chars, i + 1, 8);
    case 'u':
      return hexEscape(chars, i + 1, 4);
    case 'U':
      return hexEscape(chars, i + 1, 8);
    case 'c': {
      const n = chars[i + 1];
      if (n === undefined) throw regexError('invalid escape \\ sequence');
      return [`\\x${((n.codePointAt(0)! & 0x1f) | 0x100).toString(16).slice(1)}`, i + 2];
    }
  }
  if (!inBracket) {
    switch (c) {
      case 'm':
        return ['\\b(?=\\w)', i + 1];
      case 'M':
        return ['\\b(?<=\\w)', i + 1];
      case 'y':
        return ['\\b', i + 1];
      case 'Y':
        return ['\\B', i + 1];
      case 'A':
        return ['(?<![\\s\\S])', i + 1];
      case 'Z':
        return ['(?![\\s\\S])', i + 1];
    }
    if (/[1-9]/.test(c)) {
      let j = i;
      let num = '';
      while (j < chars.length && /[0-9]/.test(chars[j]!) && num.length < 2) num += chars[j++];
      return [`\\${num}`, j];
    }
    if (c === '0') return ['\\x00', i + 1];
  }
  if (/[A-Za-z0-9]/.test(c)) throw regexError('invalid escape \\ sequence');
  return [escapeJs(c, inBracket), i + 1];
}

function translateBracket(chars: string[], start: number, sNl: boolean): [string, number] {
  // chars[start] is just after '['.
  let i = start;
  let out = '[';
  if (chars[i] === '^') {
    out += '^';
    if (sNl) out += '\\n';
    i++;
  }
  let first = true;
  for (;;) {
    const c = chars[i];
    if (c === undefined) throw regexError('brackets [] not balanced');
    if (c === ']' && !first) return [out + ']', i + 1];
    first = false;
    if (c === '[' && (chars[i + 1] === ':' || chars[i + 1] === '.' || chars[i + 1] === '=')) {
      const kind = chars[i + 1]!;
      let j = i + 2;
      let name = '';
      while (j < chars.length && !(chars[j] === kind && chars[j + 1] === ']')) name += chars[j++];
      if (j >= chars.length) throw regexError('brackets [] not balanced');
      if (kind === ':') {
        const cls = classes[name];
        if (cls === undefined) throw regexError('invalid character class');
        out += cls;
      } else {
        if ([...name].length !== 1) throw regexError('invalid collating element');
        out += escapeJs(name, true);
      }
      i = j + 2;
      continue;
    }
    if (c === '\\') {
      const [js, next] = translateEscape(chars, i + 1, true);
      out += js;
      i = next;
      continue;
    }
    if (c === '-') {
      // A range operator between two members; literal at the edges.
      const atEdge = out.endsWith('[') || out.endsWith('[^') || chars[i + 1] === ']';
      out += atEdge ? '\\-' : '-';
      i++;
      continue;
    }
    out += c === '[' || c === ']' || c === '^' || c === '/' ? `\\${c}` : c;
    i++;
  }
}

function translate(pattern: string, flagStr: string): Translation {
  let body = pattern;
  let extra = '';
  if (body.startsWith('***=')) {
    body = body.slice(4);
    extra = 'q';
  } else if (body.startsWith('***:')) body = body.slice(4);
  if (extra === '' && body.startsWith('(?')) {
    const m = /^\(\?([a-z]*)\)/.exec(body);
    if (m) {
      extra = m[1]!;
      body = body.slice(m[0].length);
    }
  }
  const f = parseFlags(flagStr + extra);
  const chars = [...body];
  if (f.q) {
    return {
      source: chars.map((c) => escapeJs(c)).join(''),
      flags: `u${f.ci ? 'i' : ''}${f.sNl ? '' : 's'}${f.mNl ? 'm' : ''}`,
      groups: 0,
    };
  }
  let out = '';
  let depth = 0;
  let groups = 0;
  let i = 0;
  // Whether a quantifier may follow (there is an atom before it).
  let canQuantify = false;
  while (i < chars.length) {
    const c = chars[i]!;
    if (f.x && /\s/.test(c)) {
      i++;
      continue;
    }
    if (f.x && c === '#') {
      while (i < chars.length && chars[i] !== '\n') i++;
      continue;
    }
    switch (c) {
      case '\\': {
        const [js, next] = translateEscape(chars, i + 1, false);
        out += js;
        i = next;
        canQuantify = !/^\\[bB]$|^\(\?/.test(js);
        continue;
      }
      case '[': {
        const [js, next] = translateBracket(chars, i + 1, f.sNl);
        out += js;
        i = next;
        canQuantify = true;
        continue;
      }
      case '(': {
        if (chars[i + 1] === '?') {
          const rest = chars.slice(i + 2, i + 4).join('');
          if (rest.startsWith(':') || rest.startsWith('=') || rest.startsWith('!')) {
            out += `(?${rest[0]}`;
            i += 3;
          } else if (rest === '<=' || rest === '<!') {
            out += `(?${rest}`;
            i += 4;
          } else throw regexError('quantifier operand invalid');
        } else {
          out += '(';
          groups++;
          i++;
        }
        depth++;
        canQuantify = false;
        continue;
      }
      case ')':
        if (depth === 0) throw regexError('parentheses () not balanced');
        depth--;
        out += ')';
        i++;
        canQuantify = true;
        continue;
      case '*':
      case '+':
      case '?':
        if (!canQuantify) throw regexError('quantifier operand invalid');
        out += c;
        i++;
        if (chars[i] === '?') {
          out += '?';
          i++;
        }
        canQuantify = false;
        continue;
      case '{': {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(chars.slice(i, i + 24).join(''));
        if (!m) throw regexError('braces {} not balanced');
        if (!canQuantify) throw regexError('quantifier operand invalid');
        const lo = Number(m[1]);
        const hi = m[3] === undefined || m[3] === '' ? undefined : Number(m[3]);
        if (lo > 255 || (hi !== undefined && (hi > 255 || hi < lo)))
          throw regexError('invalid repetition count(s)');
        out += m[0];
        i += m[0].length;
        if (chars[i] === '?') {
          out += '?';
          i++;
        }
        canQuantify = false;
        continue;
      }
      case '|':
        out += '|';
        i++;
        canQuantify = false;
        continue;
      case '^':
      case '$':
        out += c;
        i++;
        canQuantify = false;
        continue;
      case '.':
        out += f.sNl ? '[^\\n]' : '.';
        i++;
        canQuantify = true;
        continue;
      case ']':
      case '}':
      case '/':
        out += `\\${c}`;
        i++;
        canQuantify = true;
        continue;
      default:
        out += c;
        i++;
        canQuantify = true;
    }
  }
  if (depth !== 0) throw regexError('parentheses () not balanced');
  return { source: out, flags: `u${f.ci ? 'i' : ''}s${f.mNl ? 'm' : ''}`, groups };
}

const regexCache = new Map<string, RegExp>();

/**
 * Compiles a PostgreSQL ARE with PostgreSQL flag letters (`i`, `c`, `n`, `s`, `x`, `q`, ...;
 * `g` is accepted and left to the caller) to a JavaScript RegExp (without the global flag).
 * Raises 2201B on a malformed pattern and 22023 on an unknown flag.
 */
export function posixRegex(pattern: string, flags: string): RegExp {
  const key = `${flags}\u0000${pattern}`;
  const hit = regexCache.get(key);
  if (hit) return hit;
  const t = translate(pattern, flags);
  let re: RegExp;
  try {
    re = new RegExp(t.source, t.flags);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/nothing to repeat/i.test(msg)) throw regexError('quantifier operand invalid');
    if (/unterminated group|unmatched/i.test(msg)) throw regexError('parentheses () not balanced');
    if (/range out of order/i.test(msg)) throw regexError('invalid character range');
    throw regexError(msg.replace(/^Invalid regular expression: /, ''));
  }
  return remember(regexCache, key, re);
}

/** Same as `posixRegex` but with the global flag set, for iterating all matches. */
export function posixRegexGlobal(pattern: string, flags: string): RegExp {
  const re = posixRegex(pattern, flags);
  return new RegExp(re.source, `${re.flags}g`);
}
