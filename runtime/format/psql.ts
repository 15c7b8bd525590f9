/**
 * psql's default "aligned" table output (border 1, no pager, no wrapping), byte for byte:
 * centred headers, `-+-` separator, numeric columns right-aligned, NULL as empty text,
 * `+` continuation markers for multi-line values, control characters escaped as psql escapes
 * them, East Asian wide characters counted as two columns, footer `(N rows)` and a blank line.
 */
import { isNumeric, type DataType } from '../types/datatype.js';

export interface PsqlColumn {
  name: string;
  type: DataType;
}

/** One cell split into display lines, each with its width in terminal columns. */
interface Cell {
  lines: string[];
  widths: number[];
}

/**
 * Formats a result set as psql prints it. `rows` holds each value already rendered as
 * PostgreSQL text (NULL as `null`).
 */
export function formatPsqlTable(
  columns: readonly PsqlColumn[],
  rows: readonly (readonly (string | null)[])[],
): string {
  const footer = `(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})\n\n`;
  if (columns.length === 0) return `--\n${footer}`;

  const right = columns.map((c) => isNumeric(c.type));
  const headers = columns.map((c) => toCell(c.name));
  const body = rows.map((r) => columns.map((_, j) => toCell(r[j] ?? '')));
  const widths = headers.map((h) => Math.max(0, ...h.widths));
  for (const r of body) {
    r.forEach((cell, j) => {
      widths[j] = Math.max(widths[j]!, ...cell.widths);
    });
  }

  const last = columns.length - 1;
  const out: string[] = [];

  // Header: every line of every name centred; the last column is padded too.
  const headerHeight = Math.max(...headers.map((h) => h.lines.length));
  for (let l = 0; l < headerHeight; l++) {
    let line = '';
    headers.forEach((h, j) => {
      line += j === 0 ? ' ' : '| ';
      const text = h.lines[l];
      const w = widths[j]!;
      if (text === undefined) {
        line += ' '.repeat(w) + ' ';
        return;
      }
      const gap = w - h.widths[l]!;
      const lead = Math.floor(gap / 2);
      line += ' '.repeat(lead) + text + ' '.repeat(gap - lead);
      line += l < h.lines.length - 1 ? '+' : ' ';
    });
    out.push(line);
  }
  out.push(widths.map((w) => '-'.repeat(w + 2)).join('+'));

  for (const r of body) {
    const height = Math.max(...r.map((c) => c.lines.length));
    for (let l = 0; l < height; l++) {
      let line = '';
      r.forEach((cell, j) => {
        line += j === 0 ? ' ' : '| ';
        const text = cell.lines[l];
        const w = widths[j]!;
        const isLast = j === last;
        if (text === undefined) {
          // Past this value's last line: blank, except nothing at all at the end of the line.
          if (!isLast) line += ' '.repeat(w) + ' ';
          return;
        }
        const pad = ' '.repeat(w - cell.widths[l]!);
        const more = l < cell.lines.length - 1;
        if (right[j]) line += pad + text;
        else line += text + (isLast && !more ? '' : pad);
        if (more) line += '+';
        else if (!isLast) line += ' ';
      });
      out.push(line);
    }
  }
  return out.join('\n') + '\n' + footer;
}

/** Splits a value at newlines and renders each line as psql displays it. */
function toCell(value: string): Cell {
  const lines: string[] = [];
  const widths: number[] = [];
  for (const raw of value.split('\n')) {
    let text = '';
    let width = 0;
    for (const ch of raw) {
      const cp = ch.codePointAt(0)!;
      if (cp === 0x09) {
        // Tabs expand to the next multiple of 8 within the line.
        const n = 8 - (width % 8);
        text += ' '.repeat(n);
        width += n;
      } else if (cp === 0x0d) {
        text += '\\r';
        width += 2;
      } else if (cp < 0x20 || cp === 0x7f) {
        text += '\\x' + hex(cp, 2);
        width += 4;
      } else if (cp >= 0x80 && cp < 0xa0) {
        text += '\\u' + hex(cp, 4);
        width += 6;
      } else {
        text += ch;
        width += charWidth(cp);
      }
    }
    lines.push(text);
    widths.push(width);
  }
  return { lines, widths };
}

function hex(n: number, digits: number): string {
  return n.toString(16).toUpperCase().padStart(digits, '0');
}

/** Zero-width code points: combining marks, zero-width spaces/joiners, variation selectors. */
const ZERO_WIDTH: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f],
  [0x0483, 0x0489],
  [0x0591, 0x05bd],
  [0x05bf, 0x05bf],
  [0x05c1, 0x05c2],
  [0x05c4, 0x05c5],
  [0x05c7, 0x05c7],
  [0x0610, 0x061a],
  [0x064b, 0x065f],
  [0x0670, 0x0670],
  [0x06d6, 0x06dc],
  [0x06df, 0x06e4],
  [0x0900, 0x0902],
  [0x093c, 0x093c],
  [0x0941, 0x0948],
  [0x094d, 0x094d],
  [0x0e31, 0x0e31],
  [0x0e34, 0x0e3a],
  [0x0e47, 0x0e4e],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x2064],
  [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f],
  [0xfe20, 0xfe2f],
  [0xfeff, 0xfeff],
  [0xe0100, 0xe01ef],
];

/** Double-width code points (East Asian Wide/Fullwidth and emoji blocks). */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

function inRanges(cp: number, ranges: readonly (readonly [number, number])[]): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Terminal columns taken by a printable code point. */
export function charWidth(cp: number): number {
  if (inRanges(cp, ZERO_WIDTH)) return 0;
  if (inRanges(cp, WIDE)) return 2;
  return 1;
}

const DISPLAY_SIZE = 60;
const MIN_RIGHT_CUT = 10;

/**
 * An error as psql prints it on stderr: `ERROR:  message`, then (when the error has a 1-based
 * character `position` into `sql`) the `LINE n: ` excerpt with a caret under the position —
 * the excerpt cut with `...` to about 60 columns around the position as libpq does — then
 * `DETAIL:` and `HINT:` lines.
 */
export function formatPsqlError(
  message: string,
  sql?: string,
  position?: number,
  detail?: string,
  hint?: string,
): string {
  let out = `ERROR:  ${message}\n`;
  if (sql !== undefined && position !== undefined && position >= 1)
    out += errorPositionLines(sql, position - 1);
  if (detail) out += `DETAIL:  ${detail}\n`;
  if (hint) out += `HINT:  ${hint}\n`;
  return out;
}

function errorPositionLines(sql: string, loc: number): string {
  const chars = Array.from(sql);
  // Screen offset of each character (tabs shown as one space, controls as width 1).
  const scr: number[] = [];
  let screen = 0;
  let line = 1;
  let ibeg = 0;
  let iend = -1;
  let cno = 0;
  for (; cno < chars.length; cno++) {
    const ch = chars[cno]!;
    scr[cno] = screen;
    if (ch === '\t') chars[cno] = ' ';
    else if (ch === '\r' || ch === '\n') {
      if (cno < loc) {
        if (ch === '\r' || cno === 0 || chars[cno - 1] !== '\r') line++;
        ibeg = cno + 1;
      } else {
        iend = cno;
        break;
      }
    }
    screen += Math.max(1, charWidth(chars[cno]!.codePointAt(0)!));
  }
  if (iend < 0) {
    iend = cno;
    scr[iend] = screen;
  }
  if (loc > cno) return '';
  let begTrunc = false;
  let endTrunc = false;
  const at = (i: number): number => scr[i]!;
  if (at(iend) - at(ibeg) > DISPLAY_SIZE) {
    if (at(ibeg) + DISPLAY_SIZE >= at(loc) + MIN_RIGHT_CUT) {
      while (at(iend) - at(ibeg) > DISPLAY_SIZE) iend--;
      endTrunc = true;
    } else {
      while (at(loc) + MIN_RIGHT_CUT < at(iend)) {
        iend--;
        endTrunc = true;
      }
      while (at(iend) - at(ibeg) > DISPLAY_SIZE) {
        ibeg++;
        begTrunc = true;
      }
    }
  }
  const prefix = `LINE ${line}: ` + (begTrunc ? '...' : '');
  const text = chars.slice(ibeg, iend).join('') + (endTrunc ? '...' : '');
  const caret = ' '.repeat(prefix.length + at(loc) - at(ibeg)) + '^';
  return `${prefix}${text}\n${caret}\n`;
}
