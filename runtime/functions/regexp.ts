/**
 * The regular-expression string functions: regexp_replace (with `\\1` group references),
 * regexp_match(es), regexp_split_to_*, regexp_count/instr/substr, and SUBSTRING ... FROM
 * pattern / SIMILAR.
 */
import type { Value } from '../types/value.js';
import { posixRegex, posixRegexGlobal, similarToRegex } from './pattern.js';
import { charLength, invalidParam, isBmp } from './util.js';

/** Replacement text for regexp_replace: `\1`..`\9` groups, `\&` whole match, `\\` backslash. */
function expandReplacement(rep: string, m: RegExpExecArray): string {
  if (!rep.includes('\\')) return rep;
  let out = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i]!;
    if (c === '\\' && i + 1 < rep.length) {
      const n = rep[i + 1]!;
      if (n >= '1' && n <= '9') {
        out += m[Number(n)] ?? '';
        i++;
        continue;
      }
      if (n === '&') {
        out += m[0];
        i++;
        continue;
      }
      if (n === '\\') {
        out += '\\';
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}

function splitFlags(flags: string): { global: boolean; rest: string } {
  return { global: flags.includes('g'), rest: flags.replace(/g/g, '') };
}

/** Converts a 1-based character position to a UTF-16 index into `s`. */
function charIndex(s: string, pos: number): number {
  if (isBmp(s)) return Math.min(pos - 1, s.length);
  let idx = 0;
  for (let n = 1; n < pos && idx < s.length; n++) idx += s.codePointAt(idx)! > 0xffff ? 2 : 1;
  return idx;
}

export function regexpReplace(
  s: string,
  pattern: string,
  rep: string,
  start: number,
  n: number | undefined,
  flags: string,
): string {
  const fl = splitFlags(flags);
  if (start < 1) throw invalidParam(`invalid value for parameter "start": ${start}`);
  if (n !== undefined && n < 0) throw invalidParam(`invalid value for parameter "n": ${n}`);
  const re = posixRegexGlobal(pattern, fl.rest);
  const all = n === undefined ? fl.global : n === 0;
  const only = n === undefined ? (fl.global ? 0 : 1) : n;
  re.lastIndex = charIndex(s, start);
  let out = s.slice(0, re.lastIndex);
  let last = re.lastIndex;
  let count = 0;
  for (;;) {
    const m = re.exec(s);
    if (!m) break;
    count++;
    if (all || count === only) {
      out += s.slice(last, m.index) + expandReplacement(rep, m);
      last = m.index + m[0].length;
      if (!all) break;
    }
    if (m[0].length === 0) re.lastIndex = m.index + (s.codePointAt(m.index)! > 0xffff ? 2 : 1);
  }
  return out + s.slice(last);
}

function matchArray(m: RegExpExecArray): Value[] {
  if (m.length === 1) return [m[0]];
  return m.slice(1).map((g) => (g === undefined ? null : g));
}

export function regexpMatch(s: string, pattern: string, flags: string): Value {
  if (flags.includes('g'))
    throw invalidParam('regexp_match() does not support the "global" option');
  const m = posixRegex(pattern, flags).exec(s);
  return m ? matchArray(m) : null;
}

function allMatches(s: string, re: RegExp, startIdx = 0): RegExpExecArray[] {
  re.lastIndex = startIdx;
  const out: RegExpExecArray[] = [];
  for (;;) {
    const m = re.exec(s);
    if (!m) break;
    out.push(m);
    if (m[0].length === 0) re.lastIndex = m.index + (s.codePointAt(m.index)! > 0xffff ? 2 : 1);
    if (re.lastIndex > s.length) break;
  }
  return out;
}

/** All matches of regexp_matches as text[] rows; a scalar use takes the first row. */
export function regexpMatchesRows(s: string, pattern: string, flags: string): Value[][] {
  const fl = splitFlags(flags);
  const re = posixRegexGlobal(pattern, fl.rest);
  const ms = allMatches(s, re);
  return (fl.global ? ms : ms.slice(0, 1)).map(matchArray);
}

export function regexpSplit(s: string, pattern: string, flags: string): string[] {
  if (flags.includes('g'))
    throw invalidParam('regexp_split_to_array() does not support the "global" option');
  const re = posixRegexGlobal(pattern, flags);
  const out: string[] = [];
  let last = 0;
  let prevEnd = -1;
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(s);
    if (!m) break;
    const len = m[0].length;
    // Empty matches at either end or right after the previous match do not split.
    if (len === 0 && (m.index === 0 || m.index >= s.length || m.index === prevEnd)) {
      if (m.index >= s.length) break;
      re.lastIndex = m.index + (s.codePointAt(m.index)! > 0xffff ? 2 : 1);
      continue;
    }
    out.push(s.slice(last, m.index));
    last = m.index + len;
    prevEnd = last;
    if (len === 0) re.lastIndex = m.index + (s.codePointAt(m.index)! > 0xffff ? 2 : 1);
  }
  out.push(s.slice(last));
  return out;
}

export function regexpCount(s: string, pattern: string, start: number, flags: string): number {
  if (start < 1) throw invalidParam(`invalid value for parameter "start": ${start}`);
  const fl = splitFlags(flags);
  return allMatches(s, posixRegexGlobal(pattern, fl.rest), charIndex(s, start)).length;
}

export function regexpInstr(
  s: string,
  pattern: string,
  start: number,
  n: number,
  endopt: number,
  flags: string,
  sub: number,
): number {
  if (start < 1) throw invalidParam(`invalid value for parameter "start": ${start}`);
  if (n < 1) throw invalidParam(`invalid value for parameter "n": ${n}`);
  if (endopt !== 0 && endopt !== 1)
    throw invalidParam(`invalid value for parameter "endoption": ${endopt}`);
  if (sub < 0) throw invalidParam(`invalid value for parameter "subexpr": ${sub}`);
  const fl = splitFlags(flags);
  const ms = allMatches(s, posixRegexGlobal(pattern, fl.rest), charIndex(s, start));
  const m = ms[n - 1];
  if (!m) return 0;
  let begin = m.index;
  let text0 = m[0];
  if (sub > 0) {
    const g = m[sub];
    if (g === undefined || m.indices === undefined) {
      if (g === undefined) return 0;
      begin = s.indexOf(g, m.index);
    } else begin = m.indices[sub]![0];
    text0 = g;
  }
  const end = endopt === 1 ? begin + text0.length : begin;
  return charLength(s.slice(0, end)) + 1;
}

export function regexpSubstr(
  s: string,
  pattern: string,
  start: number,
  n: number,
  flags: string,
  sub: number,
): Value {
  if (start < 1) throw invalidParam(`invalid value for parameter "start": ${start}`);
  if (n < 1) throw invalidParam(`invalid value for parameter "n": ${n}`);
  if (sub < 0) throw invalidParam(`invalid value for parameter "subexpr": ${sub}`);
  const fl = splitFlags(flags);
  const ms = allMatches(s, posixRegexGlobal(pattern, fl.rest), charIndex(s, start));
  const m = ms[n - 1];
  if (!m) return null;
  if (sub === 0) return m[0];
  return m[sub] ?? null;
}

/** substring(s from pattern): the first parenthesized group's match, else the whole match. */
export function substringRegex(s: string, pattern: string): Value {
  const m = posixRegex(pattern, '').exec(s);
  if (!m) return null;
  if (m.length > 1) return m[1] ?? null;
  return m[0];
}

export function substringSimilar(s: string, pattern: string, escape: string): Value {
  const src = similarToRegex(pattern, escape, pattern.includes(`${escape}"`));
  const m = posixRegex(src, '').exec(s);
  if (!m) return null;
  if (m.length > 1) return m[1] ?? null;
  return m[0];
}
