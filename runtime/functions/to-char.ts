/**
 * Template formatting and parsing: `to_char` for timestamps, intervals and numbers, and the
 * `to_timestamp`/`to_date` template parser, after PostgreSQL's formatting.c.
 */
import { SqlError, SqlState } from '../errors.js';
import { Decimal } from '../types/numeric.js';
import { Interval } from '../types/interval.js';
import {
  MICROS_PER_SECOND,
  checkTimestamp,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  fieldsToTimestamp,
  isFiniteTimestamp,
  localToUtc,
  timestampToDate,
  timestampToFields,
  tzOffsetSeconds,
} from '../types/datetime.js';
import { rint } from './math.js';
import { dow, intervalFields, isoDow, isoWeek, isoYearStart } from './datetime-fields.js';

// ---- to_char / to_timestamp ------------------------------------------------------------------

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const romanMonths = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

/** Template patterns, longest first so that e.g. `HH24` wins over `HH`. */
const patterns = [
  'a.d.',
  'A.D.',
  'a.m.',
  'A.M.',
  'b.c.',
  'B.C.',
  'p.m.',
  'P.M.',
  'HH24',
  'HH12',
  'IYYY',
  'YYYY',
  'Y,YYY',
  'SSSSS',
  'SSSS',
  'MONTH',
  'Month',
  'month',
  'IDDD',
  'FF1',
  'FF2',
  'FF3',
  'FF4',
  'FF5',
  'FF6',
  'DAY',
  'Day',
  'day',
  'MON',
  'Mon',
  'mon',
  'DDD',
  'IYY',
  'YYY',
  'TZH',
  'TZM',
  'AD',
  'ad',
  'AM',
  'am',
  'BC',
  'bc',
  'PM',
  'pm',
  'CC',
  'DD',
  'DY',
  'Dy',
  'dy',
  'HH',
  'ID',
  'IW',
  'IY',
  'MI',
  'MM',
  'MS',
  'OF',
  'RM',
  'rm',
  'SS',
  'TZ',
  'tz',
  'US',
  'WW',
  'YY',
  'D',
  'I',
  'J',
  'Q',
  'W',
  'Y',
];

function matchPattern(fmt: string, i: number): string | undefined {
  for (const p of patterns) {
    const cand = fmt.substr(i, p.length);
    if (cand === p) return p;
  }
  // Most patterns are accepted in any case; output case follows the canonical spelling.
  const upper = fmt.substr(i, 6).toUpperCase();
  for (const p of patterns) {
    if (p !== p.toUpperCase()) continue;
    if (/^(MONTH|DAY|MON|DY|AM|PM|AD|BC|A\.M\.|P\.M\.|A\.D\.|B\.C\.|RM|TZ)$/.test(p)) continue;
    if (upper.startsWith(p)) return p;
  }
  return undefined;
}

interface CharFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
  /** Days since epoch, for day-of-week and week patterns (undefined for intervals). */
  days?: number;
  tzOffset?: number;
  tzAbbrev?: string;
  interval?: boolean;
}

function ordinal(n: number): string {
  const a = Math.abs(n);
  if (a % 100 >= 11 && a % 100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][a % 10] ?? 'th';
}

/** One piece of a to_char template: literal text, or a pattern with its FM prefix and TH suffix. */
type TemplateItem = string | { p: string; fm: boolean; suffix: string };

/** Parsed templates by text: a view applies the same few templates to every row. */
const templateCache = new Map<string, TemplateItem[]>();

function templateItems(fmt: string): TemplateItem[] {
  const cached = templateCache.get(fmt);
  if (cached) return cached;
  const items: TemplateItem[] = [];
  let i = 0;
  while (i < fmt.length) {
    let fm = false;
    if (fmt.startsWith('FM', i) || fmt.startsWith('fm', i)) {
      fm = true;
      i += 2;
      if (i >= fmt.length) break;
    }
    const c = fmt[i]!;
    if (c === '"') {
      let lit = '';
      let j = i + 1;
      while (j < fmt.length && fmt[j] !== '"') {
        if (fmt[j] === '\\' && j + 1 < fmt.length) j++;
        lit += fmt[j];
        j++;
      }
      items.push(lit);
      i = j + 1;
      continue;
    }
    if (c === '\\' && i + 1 < fmt.length) {
      items.push(fmt[i + 1]!);
      i += 2;
      continue;
    }
    const p = matchPattern(fmt, i);
    if (p === undefined) {
      items.push(c);
      i++;
      continue;
    }
    i += p.length;
    let suffix = '';
    if (fmt.startsWith('TH', i) || fmt.startsWith('th', i)) {
      suffix = fmt.substr(i, 2);
      i += 2;
    }
    items.push({ p, fm, suffix });
  }
  if (templateCache.size >= 256) templateCache.clear();
  templateCache.set(fmt, items);
  return items;
}

export function formatChar(f: CharFields, fmt: string): string {
  let out = '';
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  const pm = f.hour % 24 >= 12;
  const days = f.days;
  const dayName = days === undefined ? '' : dayNames[dow(days)]!;
  const year = f.year;
  for (const item of templateItems(fmt)) {
    if (typeof item === 'string') {
      out += item;
      continue;
    }
    const { p, fm, suffix } = item;
    const num = (n: number, width: number): string => {
      const s = String(Math.abs(n));
      const body = fm ? s : s.padStart(width, '0');
      let r = (n < 0 ? '-' : '') + body;
      if (suffix) r += suffix === 'TH' ? ordinal(n).toUpperCase() : ordinal(n);
      return r;
    };
    const word = (s: string, pad: number): string => (fm ? s : s.padEnd(pad, ' '));
    switch (p) {
      case 'HH':
      case 'HH12':
        out += num(f.interval ? f.hour % 12 : h12, 2);
        break;
      case 'HH24':
        out += num(f.hour, 2);
        break;
      case 'MI':
        out += num(f.minute, 2);
        break;
      case 'SS':
        out += num(f.second, 2);
        break;
      case 'MS':
        out += num(Math.floor(f.micros / 1000), 3);
        break;
      case 'US':
        out += num(f.micros, 6);
        break;
      case 'FF1':
      case 'FF2':
      case 'FF3':
      case 'FF4':
      case 'FF5':
      case 'FF6': {
        const n = Number(p[2]);
        out += String(f.micros).padStart(6, '0').slice(0, n);
        break;
      }
      case 'SSSS':
      case 'SSSSS':
        out += num(f.hour * 3600 + f.minute * 60 + f.second, 0);
        break;
      case 'AM':
      case 'PM':
        out += pm ? 'PM' : 'AM';
        break;
      case 'am':
      case 'pm':
        out += pm ? 'pm' : 'am';
        break;
      case 'A.M.':
      case 'P.M.':
        out += pm ? 'P.M.' : 'A.M.';
        break;
      case 'a.m.':
      case 'p.m.':
        out += pm ? 'p.m.' : 'a.m.';
        break;
      case 'Y,YYY': {
        const y = String(Math.abs(year).toString().padStart(4, '0'));
        out += `${y.slice(0, -3)},${y.slice(-3)}`;
        break;
      }
      case 'YYYY':
        out += num(year, 4);
        break;
      case 'YYY':
        out += num(Math.abs(year) % 1000, 3);
        break;
      case 'YY':
        out += num(Math.abs(year) % 100, 2);
        break;
      case 'Y':
        out += num(Math.abs(year) % 10, 1);
        break;
      case 'IYYY':
      case 'IYY':
      case 'IY':
      case 'I': {
        const iy = days === undefined ? year : isoWeek(days).isoYear;
        const w = p.length;
        out += w === 4 ? num(iy, 4) : num(Math.abs(iy) % 10 ** w, w);
        break;
      }
      case 'BC':
      case 'AD':
        out += year <= 0 ? 'BC' : 'AD';
        break;
      case 'bc':
      case 'ad':
        out += year <= 0 ? 'bc' : 'ad';
        break;
      case 'B.C.':
      case 'A.D.':
        out += year <= 0 ? 'B.C.' : 'A.D.';
        break;
      case 'b.c.':
      case 'a.d.':
        out += year <= 0 ? 'b.c.' : 'a.d.';
        break;
      case 'MONTH':
      case 'Month':
      case 'month':
      case 'MON':
      case 'Mon':
      case 'mon': {
        if (f.interval && f.month === 0) break;
        let name = monthNames[(((f.month - 1) % 12) + 12) % 12]!;
        if (p.length === 3) name = name.slice(0, 3);
        if (p === 'MONTH' || p === 'MON') name = name.toUpperCase();
        if (p === 'month' || p === 'mon') name = name.toLowerCase();
        out += p.length === 3 ? name : word(name, 9);
        break;
      }
      case 'MM':
        out += num(f.month, 2);
        break;
      case 'DAY':
      case 'Day':
      case 'day':
      case 'DY':
      case 'Dy':
      case 'dy': {
        if (days === undefined) break;
        let name = p.length === 2 ? dayName.slice(0, 3) : dayName;
        if (p === p.toUpperCase()) name = name.toUpperCase();
        else if (p === p.toLowerCase()) name = name.toLowerCase();
        out += p.length === 2 ? name : word(name, 9);
        break;
      }
      case 'DDD':
        out += num(days === undefined ? f.day : days - daysFromCivil(year, 1, 1) + 1, 3);
        break;
      case 'IDDD':
        out += num(days === undefined ? f.day : days - isoYearStart(isoWeek(days).isoYear) + 1, 3);
        break;
      case 'DD':
        out += num(f.day, 2);
        break;
      case 'D':
        out += num(days === undefined ? 0 : dow(days) + 1, 1);
        break;
      case 'ID':
        out += num(days === undefined ? 0 : isoDow(days), 1);
        break;
      case 'W':
        out += num(Math.floor((f.day - 1) / 7) + 1, 1);
        break;
      case 'WW':
        out += num(
          days === undefined ? 0 : Math.floor((days - daysFromCivil(year, 1, 1)) / 7) + 1,
          2,
        );
        break;
      case 'IW':
        out += num(days === undefined ? 0 : isoWeek(days).week, 2);
        break;
      case 'CC': {
        const cc = year > 0 ? Math.floor((year + 99) / 100) : -Math.floor((99 - (year - 1)) / 100);
        out += num(f.interval ? Math.trunc(year / 100) : cc, 2);
        break;
      }
      case 'J':
        out += num(days === undefined ? 0 : days + 2440588, 0);
        break;
      case 'Q':
        if (f.interval && f.month === 0) break;
        out += num(Math.floor((f.month - 1) / 3) + 1, 1);
        break;
      case 'RM':
      case 'rm': {
        if (f.interval && f.month === 0) break;
        const r = romanMonths[(((f.month - 1) % 12) + 12) % 12]!;
        const s = p === 'rm' ? r.toLowerCase() : r;
        out += fm ? s : s.padEnd(4, ' ');
        break;
      }
      case 'TZ':
      case 'tz': {
        const z = f.tzAbbrev ?? '';
        out += p === 'tz' ? z.toLowerCase() : z;
        break;
      }
      case 'TZH': {
        const off = f.tzOffset ?? 0;
        out += `${off < 0 ? '-' : '+'}${String(Math.floor(Math.abs(off) / 3600)).padStart(2, '0')}`;
        break;
      }
      case 'TZM': {
        const off = Math.abs(f.tzOffset ?? 0);
        out += String(Math.floor((off % 3600) / 60)).padStart(2, '0');
        break;
      }
      case 'OF': {
        const off = f.tzOffset ?? 0;
        const a = Math.abs(off);
        let s = `${off < 0 ? '-' : '+'}${String(Math.floor(a / 3600)).padStart(2, '0')}`;
        if (a % 3600) s += `:${String(Math.floor((a % 3600) / 60)).padStart(2, '0')}`;
        out += s;
        break;
      }
    }
  }
  return out;
}

export function tsCharFields(local: bigint): CharFields {
  const f: CharFields = timestampToFields(local);
  f.days = timestampToDate(local);
  return f;
}

function zoneAbbrev(offset: number): string {
  if (offset === 0) return 'UTC';
  const a = Math.abs(offset);
  let s = `${offset < 0 ? '-' : '+'}${String(Math.floor(a / 3600)).padStart(2, '0')}`;
  if (a % 3600) s += `:${String(Math.floor((a % 3600) / 60)).padStart(2, '0')}`;
  return s;
}

export function toCharTimestamptz(ts: bigint, fmt: string, zone: string): string | null {
  if (!isFiniteTimestamp(ts)) return null;
  const off = tzOffsetSeconds(ts, zone);
  const f = tsCharFields(ts + BigInt(off) * MICROS_PER_SECOND);
  f.tzOffset = off;
  f.tzAbbrev = zoneAbbrev(off);
  return formatChar(f, fmt);
}

export function toCharInterval(iv: Interval, fmt: string): string {
  const f = intervalFields(iv);
  return formatChar({ ...f, interval: true }, fmt);
}

/** Numeric to_char with `9 0 . D , G S MI PR FM` patterns. */
export function toCharNumber(x: Decimal, fmt: string): string {
  let fm = false;
  let body = fmt;
  if (/^FM/i.test(body)) {
    fm = true;
    body = body.slice(2);
  }
  let intDigits = 0;
  let fracDigits = 0;
  let seenPoint = false;
  let zeroPad = false;
  for (const ch of body) {
    if (ch === '9' || ch === '0') {
      if (seenPoint) fracDigits++;
      else {
        intDigits++;
        if (ch === '0') zeroPad = true;
      }
    } else if (ch === '.' || ch === 'D' || ch === 'd') seenPoint = true;
  }
  const neg = x.sign() < 0;
  const r = x.abs().round(fracDigits);
  const s = r.toString();
  const [ip, fp = ''] = s.split('.');
  let intPart = ip === '0' && intDigits > 0 && !zeroPad ? '' : (ip ?? '');
  if (intPart.length > intDigits) {
    // Overflow: every digit position shows '#'.
    return body.replace(/[90]/g, '#').replace(/[Dd]/g, '.').replace(/^/, ' ');
  }
  const signMode = /MI|PR|S/i.test(body) ? 'explicit' : 'lead';
  let out = '';
  let ii = 0;
  let fi = 0;
  seenPoint = false;
  const padded = intPart.padStart(intDigits, zeroPad ? '0' : ' ');
  intPart = padded;
  let leadingBlank = true;
  for (let k = 0; k < body.length; k++) {
    const ch = body[k]!;
    if ((ch === '9' || ch === '0') && !seenPoint) {
      const d = intPart[ii++]!;
      if (d !== ' ') leadingBlank = false;
      out += d;
    } else if ((ch === '9' || ch === '0') && seenPoint) {
      out += fp[fi++] ?? '0';
    } else if (ch === '.' || ch === 'D' || ch === 'd') {
      seenPoint = true;
      out += '.';
    } else if (ch === ',' || ch === 'G' || ch === 'g') {
      out += leadingBlank ? ' ' : ',';
    } else if (body.startsWith('MI', k) || body.startsWith('mi', k)) {
      out += neg ? '-' : ' ';
      k++;
    } else if (body.startsWith('PR', k) || body.startsWith('pr', k)) {
      k++;
    } else if (ch === 'S' || ch === 's') {
      out += neg ? '-' : '+';
    } else out += ch;
  }
  if (/PR/i.test(body)) out = neg ? `<${out.trim()}>` : ` ${out} `;
  if (signMode === 'lead') {
    // The sign takes the position just before the first digit.
    const m = /^( *)(.*)$/.exec(out)!;
    out = `${m[1]}${neg ? '-' : ' '}${m[2]}`;
    if (out.startsWith(' ') && out.length > 1 && m[1]!.length > 0) out = out.slice(1);
  }
  if (fm) out = out.trim().replace(/\.?0+$/, (z) => (z.startsWith('.') ? '' : z)) || '0';
  return out;
}

interface Parsed {
  year?: number;
  month?: number;
  day?: number;
  doy?: number;
  hour?: number;
  minute?: number;
  second?: number;
  micros?: number;
  pm?: boolean;
  h12?: boolean;
  tzh?: number;
  tzm?: number;
  bc?: boolean;
}

function badToTs(msg: string): SqlError {
  return new SqlError(SqlState.invalidDatetimeFormat, msg);
}

/** Parses `s` with a to_timestamp/to_date template. */
export function parseWithTemplate(s: string, fmt: string): Parsed {
  const r: Parsed = {};
  let si = 0;
  let fi = 0;
  const skipSpaces = (): void => {
    while (si < s.length && s[si] === ' ') si++;
  };
  const readInt = (maxLen: number, name: string, signed = false): number => {
    skipSpaces();
    let j = si;
    if (signed && (s[j] === '+' || s[j] === '-')) j++;
    while (j < s.length && j - si < maxLen + (signed ? 1 : 0) && /\d/.test(s[j]!)) j++;
    const txt = s.slice(si, j);
    if (!/\d/.test(txt)) throw badToTs(`invalid value "${s.slice(si, si + maxLen)}" for "${name}"`);
    si = j;
    return Number(txt);
  };
  while (fi < fmt.length) {
    if (fmt.startsWith('FM', fi) || fmt.startsWith('fm', fi)) {
      fi += 2;
      continue;
    }
    const p = matchPattern(fmt, fi);
    if (p === undefined) {
      const c = fmt[fi]!;
      fi++;
      if (c === ' ') {
        skipSpaces();
        continue;
      }
      if (si < s.length && !/[\dA-Za-z]/.test(s[si]!)) si++;
      continue;
    }
    fi += p.length;
    switch (p) {
      case 'YYYY':
      case 'IYYY':
        r.year = readInt(p === 'YYYY' ? 9 : 4, p);
        break;
      case 'Y,YYY': {
        const a = readInt(3, p);
        if (s[si] === ',') si++;
        r.year = a * 1000 + readInt(3, p);
        break;
      }
      case 'YYY':
      case 'YY':
      case 'Y': {
        const y = readInt(p.length, p);
        r.year =
          p === 'YY'
            ? y < 70
              ? 2000 + y
              : 1900 + y
            : p === 'YYY'
              ? y < 100
                ? 2000 + y
                : 1000 + y
              : 2000 + y;
        break;
      }
      case 'MM':
        r.month = readInt(2, p);
        break;
      case 'DD':
        r.day = readInt(2, p);
        break;
      case 'DDD':
        r.doy = readInt(3, p);
        break;
      case 'HH':
      case 'HH12':
        r.hour = readInt(2, p);
        r.h12 = true;
        break;
      case 'HH24':
        r.hour = readInt(2, p);
        break;
      case 'MI':
        r.minute = readInt(2, p);
        break;
      case 'SS':
        r.second = readInt(2, p);
        break;
      case 'MS': {
        skipSpaces();
        const m = /^\d{1,3}/.exec(s.slice(si));
        if (!m) throw badToTs(`invalid value "${s.slice(si, si + 3)}" for "MS"`);
        si += m[0].length;
        r.micros = Number(m[0].padEnd(3, '0')) * 1000;
        break;
      }
      case 'US':
      case 'FF1':
      case 'FF2':
      case 'FF3':
      case 'FF4':
      case 'FF5':
      case 'FF6': {
        skipSpaces();
        const m = /^\d{1,6}/.exec(s.slice(si));
        if (!m) throw badToTs(`invalid value "${s.slice(si, si + 6)}" for "${p}"`);
        si += m[0].length;
        r.micros = Number(m[0].padEnd(6, '0'));
        break;
      }
      case 'AM':
      case 'PM':
      case 'am':
      case 'pm':
      case 'A.M.':
      case 'P.M.':
      case 'a.m.':
      case 'p.m.': {
        skipSpaces();
        const t = s.slice(si, si + p.length).toUpperCase();
        if (t.replace(/\./g, '') === 'PM') r.pm = true;
        else if (t.replace(/\./g, '') === 'AM') r.pm = false;
        else throw badToTs(`invalid value "${t}" for "${p}"`);
        si += p.length;
        break;
      }
      case 'BC':
      case 'AD':
      case 'bc':
      case 'ad':
        skipSpaces();
        r.bc = s.slice(si, si + 2).toUpperCase() === 'BC';
        si += 2;
        break;
      case 'MONTH':
      case 'Month':
      case 'month':
      case 'MON':
      case 'Mon':
      case 'mon': {
        skipSpaces();
        const rest = s.slice(si).toLowerCase();
        const idx = monthNames.findIndex((m) =>
          rest.startsWith(p.length === 3 ? m.slice(0, 3).toLowerCase() : m.toLowerCase()),
        );
        if (idx < 0) throw badToTs(`invalid value "${s.slice(si, si + 3)}" for "${p}"`);
        r.month = idx + 1;
        si += p.length === 3 ? 3 : monthNames[idx]!.length;
        break;
      }
      case 'DAY':
      case 'Day':
      case 'day':
      case 'DY':
      case 'Dy':
      case 'dy': {
        skipSpaces();
        const rest = s.slice(si).toLowerCase();
        const name = dayNames.find((d) => rest.startsWith(d.toLowerCase()));
        si += p.length === 2 || !name ? 3 : name.length;
        break;
      }
      case 'TZH': {
        skipSpaces();
        const m = /^([+-]?)(\d{1,2})/.exec(s.slice(si));
        if (!m) throw badToTs(`invalid value "${s.slice(si, si + 3)}" for "TZH"`);
        // `+330` with TZHTZM: the hour takes at most two digits only when followed by minutes.
        let digits = m[2]!;
        const after = s.slice(si + m[0].length);
        if (
          fmt.startsWith('TZM', fi) &&
          /^\d$/.test(after.slice(0, 1)) &&
          after.length < 2 &&
          digits.length === 2
        ) {
          digits = digits.slice(0, 1);
        }
        si += m[1]!.length + digits.length;
        r.tzh = (m[1] === '-' ? -1 : 1) * Number(digits);
        if (m[1] === '-') r.tzm = -0;
        break;
      }
      case 'TZM': {
        const m = /^\d{1,2}/.exec(s.slice(si));
        if (!m) throw badToTs(`invalid value "${s.slice(si, si + 2)}" for "TZM"`);
        si += m[0].length;
        r.tzm = Number(m[0]);
        break;
      }
      case 'Q':
      case 'W':
      case 'WW':
      case 'IW':
      case 'D':
      case 'ID':
      case 'CC':
        readInt(2, p);
        break;
      case 'J': {
        const j = readInt(9, p);
        const c = civilFromDays(j - 2440588);
        r.year = c.year;
        r.month = c.month;
        r.day = c.day;
        break;
      }
      case 'SSSS':
      case 'SSSSS': {
        const t = readInt(5, p);
        r.hour = Math.floor(t / 3600);
        r.minute = Math.floor(t / 60) % 60;
        r.second = t % 60;
        break;
      }
      default:
        throw new SqlError(
          SqlState.featureNotSupported,
          `formatting field "${p}" is only supported in to_char`,
        );
    }
  }
  return r;
}

export function parsedToLocal(p: Parsed): bigint {
  let year = p.year ?? 1;
  if (p.bc) year = 1 - year;
  let month = p.month ?? 1;
  let day = p.day ?? 1;
  if (p.doy !== undefined && p.month === undefined) {
    const c = civilFromDays(daysFromCivil(year, 1, 1) + p.doy - 1);
    month = c.month;
    day = c.day;
  }
  if (month < 1 || month > 12)
    throw new SqlError(SqlState.datetimeFieldOverflow, `date/time field value out of range`);
  if (day < 1 || day > daysInMonth(year, month))
    throw new SqlError(SqlState.datetimeFieldOverflow, `date/time field value out of range`);
  let hour = p.hour ?? 0;
  if (p.h12 || p.pm !== undefined) {
    if (hour < 1 || hour > 12)
      throw new SqlError(
        SqlState.invalidDatetimeFormat,
        `hour "${hour}" is invalid for the 12-hour clock`,
        undefined,
        undefined,
        'Use the 24-hour clock, or give an hour between 1 and 12.',
      );
    if (p.pm && hour < 12) hour += 12;
    else if (p.pm === false && hour === 12) hour = 0;
  }
  if (hour > 24 || (p.minute ?? 0) > 59 || (p.second ?? 0) > 60)
    throw new SqlError(SqlState.datetimeFieldOverflow, 'date/time field value out of range');
  return fieldsToTimestamp({
    year,
    month,
    day,
    hour,
    minute: p.minute ?? 0,
    second: p.second ?? 0,
    micros: p.micros ?? 0,
  });
}

export function toTimestampText(s: string, fmt: string, zone: string): bigint {
  const p = parseWithTemplate(s, fmt);
  const local = parsedToLocal(p);
  if (p.tzh !== undefined) {
    const sign = p.tzh < 0 || Object.is(p.tzm, -0) ? -1 : 1;
    const off = sign * (Math.abs(p.tzh) * 3600 + Math.abs(p.tzm ?? 0) * 60);
    return checkTimestamp(local - BigInt(off) * MICROS_PER_SECOND);
  }
  return checkTimestamp(localToUtc(local, zone));
}

export function toTimestampFloat(x: number): bigint {
  if (Number.isNaN(x))
    throw new SqlError(SqlState.datetimeFieldOverflow, 'timestamp cannot be NaN');
  if (x === Infinity) return 9223372036854775807n;
  if (x === -Infinity) return -9223372036854775808n;
  const us = rint(x * 1e6);
  if (!Number.isFinite(us) || Math.abs(us) > 9.2e18)
    throw new SqlError(SqlState.datetimeFieldOverflow, `timestamp out of range: "${x}"`);
  return checkTimestamp(BigInt(us));
}
