/**
 * Splits a SQL script into statements at top-level semicolons, respecting string literals,
 * quoted identifiers, dollar quotes, comments and parentheses. Empty statements are dropped.
 */

export interface StatementText {
  /** The statement text, trimmed, without its terminating `;`. */
  text: string;
  /** 0-based offset of `text` within the script. */
  offset: number;
}

export function splitStatements(sql: string): StatementText[] {
  const out: StatementText[] = [];
  const n = sql.length;
  let depth = 0;
  let i = 0;
  /** Whether the current statement has anything besides whitespace and comments. */
  let hasContent = false;
  let contentStart = -1;

  const push = (end: number): void => {
    if (hasContent) {
      const raw = sql.slice(contentStart, end);
      const text = raw.replace(/\s+$/, '');
      out.push({ text, offset: contentStart });
    }
    hasContent = false;
    contentStart = -1;
  };
  const mark = (at: number): void => {
    if (!hasContent) {
      hasContent = true;
      contentStart = at;
    }
  };

  while (i < n) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      let d = 1;
      i += 2;
      while (i < n && d > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          d++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          d--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === ';' && depth === 0) {
      push(i);
      i++;
      continue;
    }
    mark(i);
    if (c === "'" || c === '"') {
      // E'...' strings may escape the quote with a backslash.
      const escapes =
        c === "'" && i > 0 && /[eE]/.test(sql[i - 1]!) && !/[\w$]/.test(sql[i - 2] ?? ' ');
      i++;
      while (i < n) {
        if (escapes && sql[i] === '\\') {
          i += 2;
          continue;
        }
        if (sql[i] === c) {
          if (sql[i + 1] === c) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      i++;
      continue;
    }
    if (c === '$' && !/[\w$]/.test(sql[i - 1] ?? ' ')) {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 66));
      if (m) {
        const end = sql.indexOf(m[0], i + m[0].length);
        i = end < 0 ? n : end + m[0].length;
        continue;
      }
    }
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    i++;
  }
  push(n);
  return out;
}
