/**
 * Date/time functions: current time, date_trunc, extract/date_part, to_char/to_timestamp/to_date
 * templates, constructors (make_*), age, date_bin, justify_*, time zone conversion. Timestamptz
 * values are UTC instants; calendar work happens on the wall clock of the session (or given) zone.
 */
import { SqlError, SqlState } from '../errors.js';
import type { DataType } from '../types/datatype.js';
import { T } from '../types/datatype.js';
import { Decimal } from '../types/numeric.js';
import { Interval } from '../types/interval.js';
import {
  MICROS_PER_DAY,
  MICROS_PER_HOUR,
  MICROS_PER_MINUTE,
  MICROS_PER_SECOND,
  checkTimestamp,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  fieldsToTimestamp,
  isFiniteDate,
  isFiniteTimestamp,
  localToUtc,
  timestampToDate,
  timestampToFields,
  tzOffsetSeconds,
  utcToLocal,
  validateTimeZone,
  posixZone,
} from '../types/datetime.js';
import type { TimestampFields } from '../types/datetime.js';
import type { Value } from '../types/value.js';
import type { ScalarFunction } from '../expr/registry.js';
import { scalar } from './overload.js';
import type { Overload } from './overload.js';
import { rint } from './math.js';

const { text, date, time, timestamp, timestamptz, interval, float8, numeric, int4, boolean } = T;

const units: Record<string, string> = {};
for (const [canon, aliases] of Object.entries({
  microseconds: 'microsecond microseconds us usec usecs useconds',
  milliseconds: 'millisecond milliseconds ms msec msecs mseconds',
  second: 'second seconds s sec secs',
  minute: 'minute minutes m min mins',
  hour: 'hour hours h hr hrs',
  day: 'day days d',
  week: 'week weeks w',
  month: 'month months mon mons',
  quarter: 'quarter qtr',
  year: 'year years y yr yrs',
  decade: 'decade decades dec decs',
  century: 'century centuries c cent',
  millennium: 'millennium millennia mil mils',
  epoch: 'epoch',
  dow: 'dow',
  isodow: 'isodow',
  doy: 'doy',
  isoyear: 'isoyear',
  julian: 'julian j',
  timezone: 'timezone',
  timezone_hour: 'timezone_h timezone_hour',
  timezone_minute: 'timezone_m timezone_minute',
}))
  for (const a of aliases.split(' ')) units[a] = canon;

function unitOf(field: string, typeName: string): string {
  const u = units[field.trim().toLowerCase()];
  if (u === undefined)
    throw new SqlError(
      SqlState.invalidParameterValue,
      `unit "${field.trim().toLowerCase()}" not recognized for type ${typeName}`,
    );
  return u;
}

function unsupported(unit: string, typeName: string): SqlError {
  return new SqlError(
    SqlState.featureNotSupported,
    `unit "${unit}" not supported for type ${typeName}`,
  );
}

/** ISO 8601 week-numbering year and week of a date (days since epoch). */
function isoWeek(days: number): { isoYear: number; week: number } {
  const dow = isoDow(days); // 1..7
  const thursday = days - dow + 4;
  const { year } = civilFromDays(thursday);
  const jan1 = daysFromCivil(year, 1, 1);
  return { isoYear: year, week: Math.floor((thursday - jan1) / 7) + 1 };
}

/** 0 = Sunday .. 6 = Saturday. */
function dow(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

function isoDow(days: number): number {
  const d = dow(days);
  return d === 0 ? 7 : d;
}

/** Days since epoch of the Monday starting ISO week 1 of `isoYear`. */
function isoYearStart(isoYear: number): number {
  const jan4 = daysFromCivil(isoYear, 1, 4);
  return jan4 - isoDow(jan4) + 1;
}

// ---- date_trunc -----------------------------------------------------------------------------

function truncFields(f: TimestampFields, unit: string, typeName: string): bigint {
  const g: TimestampFields = { ...f };
  switch (unit) {
    case 'millennium':
      g.year =
        g.year > 0
          ? Math.floor((g.year + 999) / 1000) * 1000 - 999
          : -(Math.floor((999 - g.year) / 1000) * 1000) + 1;
      g.month = 1;
      g.day = 1;
      break;
    case 'century':
      g.year =
        g.year > 0
          ? Math.floor((g.year + 99) / 100) * 100 - 99
          : -(Math.floor((99 - g.year) / 100) * 100) + 1;
      g.month = 1;
      g.day = 1;
      break;
    case 'decade':
      g.year =
        g.year > 0 ? Math.floor(g.year / 10) * 10 : -Math.floor((8 - (g.year - 1)) / 10) * 10;
      g.month = 1;
      g.day = 1;
      break;
    case 'year':
      g.month = 1;
      g.day = 1;
      break;
    case 'quarter':
      g.month = 3 * Math.floor((g.month - 1) / 3) + 1;
      g.day = 1;
      break;
    case 'month':
      g.day = 1;
      break;
    case 'week': {
      const days = daysFromCivil(g.year, g.month, g.day);
      const monday = days - isoDow(days) + 1;
      const c = civilFromDays(monday);
      g.year = c.year;
      g.month = c.month;
      g.day = c.day;
      break;
    }
    case 'day':
      break;
    case 'hour':
    case 'minute':
    case 'second':
    case 'milliseconds':
    case 'microseconds':
      break;
    default:
      throw unsupported(unit, typeName);
  }
  const dayLevel = ['millennium', 'century', 'decade', 'year', 'quarter', 'month', 'week', 'day'];
  if (dayLevel.includes(unit)) {
    g.hour = 0;
    g.minute = 0;
    g.second = 0;
    g.micros = 0;
  } else if (unit === 'hour') {
    g.minute = 0;
    g.second = 0;
    g.micros = 0;
  } else if (unit === 'minute') {
    g.second = 0;
    g.micros = 0;
  } else if (unit === 'second') g.micros = 0;
  else if (unit === 'milliseconds') g.micros = Math.floor(g.micros / 1000) * 1000;
  return fieldsToTimestamp(g);
}

export function truncTimestamp(field: string, ts: bigint): bigint {
  const unit = unitOf(field, 'timestamp without time zone');
  if (!isFiniteTimestamp(ts)) return ts;
  return truncFields(timestampToFields(ts), unit, 'timestamp without time zone');
}

export function truncTimestamptz(field: string, ts: bigint, zone: string): bigint {
  const unit = unitOf(field, 'timestamp with time zone');
  if (!isFiniteTimestamp(ts)) return ts;
  const local = utcToLocal(ts, zone);
  const t = truncFields(timestampToFields(local), unit, 'timestamp with time zone');
  if (['hour', 'minute', 'second', 'milliseconds', 'microseconds'].includes(unit))
    return ts - (local - t);
  return localToUtc(t, zone);
}

function intervalFields(iv: Interval): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
} {
  const m = iv.micros;
  return {
    year: Math.trunc(iv.months / 12),
    month: iv.months % 12,
    day: iv.days,
    hour: Number(m / MICROS_PER_HOUR),
    minute: Number((m % MICROS_PER_HOUR) / MICROS_PER_MINUTE),
    second: Number((m % MICROS_PER_MINUTE) / MICROS_PER_SECOND),
    micros: Number(m % MICROS_PER_SECOND),
  };
}

function truncInterval(field: string, iv: Interval): Interval {
  const unit = unitOf(field, 'interval');
  const f = intervalFields(iv);
  let months = iv.months;
  let days = iv.days;
  let micros: bigint;
  const hm = BigInt(f.hour) * MICROS_PER_HOUR;
  switch (unit) {
    case 'millennium':
      months = Math.trunc(f.year / 1000) * 1000 * 12;
      days = 0;
      micros = 0n;
      break;
    case 'century':
      months = Math.trunc(f.year / 100) * 100 * 12;
      days = 0;
      micros = 0n;
      break;
    case 'decade':
      months = Math.trunc(f.year / 10) * 10 * 12;
      days = 0;
      micros = 0n;
      break;
    case 'year':
      months = f.year * 12;
      days = 0;
      micros = 0n;
      break;
    case 'quarter':
      months = f.year * 12 + 3 * Math.trunc(f.month / 3);
      days = 0;
      micros = 0n;
      break;
    case 'month':
      days = 0;
      micros = 0n;
      break;
    case 'day':
      micros = 0n;
      break;
    case 'hour':
      micros = hm;
      break;
    case 'minute':
      micros = hm + BigInt(f.minute) * MICROS_PER_MINUTE;
      break;
    case 'second':
      micros = hm + BigInt(f.minute) * MICROS_PER_MINUTE + BigInt(f.second) * MICROS_PER_SECOND;
      break;
    case 'milliseconds':
      micros = iv.micros - (iv.micros % 1000n);
      break;
    case 'microseconds':
      micros = iv.micros;
      break;
    case 'week':
      throw new SqlError(
        SqlState.featureNotSupported,
        'interval units "week" not supported because months usually have fractional weeks',
      );
    default:
      throw unsupported(unit, 'interval');
  }
  return new Interval(months, days, micros);
}

// ---- extract / date_part ----------------------------------------------------------------------

function dec(n: number | bigint, scale = 0): Decimal {
  return Decimal.of(BigInt(n), scale);
}

function infinityPart(unit: string, positive: boolean, typeName: string): Decimal | null {
  // Monotonic fields of ±infinity are ±Infinity; others are NULL.
  if (['epoch', 'julian', 'year', 'isoyear', 'decade', 'century', 'millennium'].includes(unit))
    return positive ? Decimal.Infinity : Decimal.NegativeInfinity;
  if (units[unit] === undefined) throw unsupported(unit, typeName);
  return null;
}

function fieldsPart(
  f: TimestampFields,
  unit: string,
  typeName: string,
  dateOnly: boolean,
): Decimal {
  const days = daysFromCivil(f.year, f.month, f.day);
  const secMicros = f.second * 1_000_000 + f.micros;
  switch (unit) {
    case 'microseconds':
      if (dateOnly) break;
      return dec(secMicros);
    case 'milliseconds':
      if (dateOnly) break;
      return dec(secMicros, 3);
    case 'second':
      if (dateOnly) break;
      return dec(secMicros, 6);
    case 'minute':
      if (dateOnly) break;
      return dec(f.minute);
    case 'hour':
      if (dateOnly) break;
      return dec(f.hour);
    case 'day':
      return dec(f.day);
    case 'month':
      return dec(f.month);
    case 'quarter':
      return dec(Math.floor((f.month - 1) / 3) + 1);
    case 'year':
      return dec(f.year > 0 ? f.year : f.year - 1);
    case 'decade':
      return dec(f.year >= 0 ? Math.floor(f.year / 10) : -Math.floor((8 - (f.year - 1)) / 10));
    case 'century':
      return dec(
        f.year > 0 ? Math.floor((f.year + 99) / 100) : -Math.floor((99 - (f.year - 1)) / 100),
      );
    case 'millennium':
      return dec(
        f.year > 0 ? Math.floor((f.year + 999) / 1000) : -Math.floor((999 - (f.year - 1)) / 1000),
      );
    case 'dow':
      return dec(dow(days));
    case 'isodow':
      return dec(isoDow(days));
    case 'doy':
      return dec(days - daysFromCivil(f.year, 1, 1) + 1);
    case 'week':
      return dec(isoWeek(days).week);
    case 'isoyear': {
      const y = isoWeek(days).isoYear;
      return dec(y > 0 ? y : y - 1);
    }
    case 'julian': {
      const jd = days + 2440588;
      if (dateOnly) return dec(jd);
      // Fractional day from the time of day.
      const tod = BigInt(((f.hour * 60 + f.minute) * 60 + f.second) * 1_000_000 + f.micros);
      return dec(jd).add(Decimal.of(tod, 0).div(dec(86_400_000_000)));
    }
  }
  throw unsupported(unit, typeName);
}

function extractTimestamp(field: string, ts: bigint, tz: string | null): Decimal | null {
  const typeName = tz === null ? 'timestamp without time zone' : 'timestamp with time zone';
  const unit = unitOf(field, typeName);
  if (!isFiniteTimestamp(ts)) return infinityPart(unit, ts > 0n, typeName);
  if (unit === 'epoch') return dec(ts, 6);
  if (unit.startsWith('timezone')) {
    if (tz === null) throw unsupported(unit, typeName);
    const off = tzOffsetSeconds(ts, tz);
    if (unit === 'timezone') return dec(off);
    if (unit === 'timezone_hour') return dec(Math.trunc(off / 3600));
    return dec(Math.trunc((off % 3600) / 60));
  }
  const local = tz === null ? ts : utcToLocal(ts, tz);
  return fieldsPart(timestampToFields(local), unit, typeName, false);
}

function extractDate(field: string, d: number): Decimal | null {
  const unit = unitOf(field, 'date');
  if (!isFiniteDate(d)) return infinityPart(unit, d > 0, 'date');
  if (unit === 'epoch') return dec(BigInt(d) * 86400n);
  const c = civilFromDays(d);
  return fieldsPart({ ...c, hour: 0, minute: 0, second: 0, micros: 0 }, unit, 'date', true);
}

function extractTime(field: string, t: bigint): Decimal {
  const unit = unitOf(field, 'time without time zone');
  const us = Number(t);
  const secMicros = us % 60_000_000;
  switch (unit) {
    case 'microseconds':
      return dec(secMicros);
    case 'milliseconds':
      return dec(secMicros, 3);
    case 'second':
      return dec(secMicros, 6);
    case 'minute':
      return dec(Math.floor(us / 60_000_000) % 60);
    case 'hour':
      return dec(Math.floor(us / 3_600_000_000));
    case 'epoch':
      return dec(t, 6);
  }
  throw unsupported(unit, 'time without time zone');
}

function extractInterval(field: string, iv: Interval): Decimal {
  const unit = unitOf(field, 'interval');
  const f = intervalFields(iv);
  const secMicros = f.second * 1_000_000 + f.micros;
  switch (unit) {
    case 'microseconds':
      return dec(secMicros);
    case 'milliseconds':
      return dec(secMicros, 3);
    case 'second':
      return dec(secMicros, 6);
    case 'minute':
      return dec(f.minute);
    case 'hour':
      return dec(f.hour);
    case 'day':
      return dec(f.day);
    case 'month':
      return dec(f.month);
    case 'quarter':
      return dec(Math.trunc(f.month / 3) + 1);
    case 'year':
      return dec(f.year);
    case 'decade':
      return dec(Math.trunc(f.year / 10));
    case 'century':
      return dec(Math.trunc(f.year / 100));
    case 'millennium':
      return dec(Math.trunc(f.year / 1000));
    case 'epoch': {
      // Whole arithmetic with 365.25-day years: everything times 4, seconds per quarter day.
      const dayMonthSecs =
        (1461n * BigInt(f.year) + 120n * BigInt(f.month) + 4n * BigInt(f.day)) * 21600n;
      return dec(iv.micros + dayMonthSecs * 1_000_000n, 6);
    }
  }
  throw unsupported(unit, 'interval');
}

function extractOverloads(ret: DataType, conv: (d: Decimal | null) => Value): Overload[] {
  return [
    {
      args: [text, timestamp],
      ret,
      eval: (a) => conv(extractTimestamp(a[0] as string, a[1] as bigint, null)),
    },
    {
      args: [text, timestamptz],
      ret,
      eval: (a, ctx) => conv(extractTimestamp(a[0] as string, a[1] as bigint, ctx.timeZone)),
    },
    { args: [text, date], ret, eval: (a) => conv(extractDate(a[0] as string, a[1] as number)) },
    { args: [text, time], ret, eval: (a) => conv(extractTime(a[0] as string, a[1] as bigint)) },
    {
      args: [text, interval],
      ret,
      eval: (a) => conv(extractInterval(a[0] as string, a[1] as Interval)),
    },
  ];
}

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

function formatChar(f: CharFields, fmt: string): string {
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    let fm = false;
    if (fmt.startsWith('FM', i) || fmt.startsWith('fm', i)) {
      fm = true;
      i += 2;
    }
    const c = fmt[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < fmt.length && fmt[j] !== '"') {
        if (fmt[j] === '\\' && j + 1 < fmt.length) j++;
        out += fmt[j];
        j++;
      }
      i = j + 1;
      continue;
    }
    if (c === '\\' && i + 1 < fmt.length) {
      out += fmt[i + 1];
      i += 2;
      continue;
    }
    const p = matchPattern(fmt, i);
    if (p === undefined) {
      out += c;
      i++;
      continue;
    }
    i += p.length;
    let suffix = '';
    if (fmt.startsWith('TH', i) || fmt.startsWith('th', i)) {
      suffix = fmt.substr(i, 2);
      i += 2;
    }
    const num = (n: number, width: number): string => {
      const s = String(Math.abs(n));
      const body = fm ? s : s.padStart(width, '0');
      let r = (n < 0 ? '-' : '') + body;
      if (suffix) r += suffix === 'TH' ? ordinal(n).toUpperCase() : ordinal(n);
      return r;
    };
    const word = (s: string, pad: number): string => (fm ? s : s.padEnd(pad, ' '));
    const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
    const pm = f.hour % 24 >= 12;
    const days = f.days;
    const dayName = days === undefined ? '' : dayNames[dow(days)]!;
    const year = f.year;
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

function tsCharFields(local: bigint): CharFields {
  const f = timestampToFields(local);
  return { ...f, days: timestampToDate(local) };
}

function zoneAbbrev(offset: number): string {
  if (offset === 0) return 'UTC';
  const a = Math.abs(offset);
  let s = `${offset < 0 ? '-' : '+'}${String(Math.floor(a / 3600)).padStart(2, '0')}`;
  if (a % 3600) s += `:${String(Math.floor((a % 3600) / 60)).padStart(2, '0')}`;
  return s;
}

function toCharTimestamptz(ts: bigint, fmt: string, zone: string): string | null {
  if (!isFiniteTimestamp(ts)) return null;
  const off = tzOffsetSeconds(ts, zone);
  const f = tsCharFields(ts + BigInt(off) * MICROS_PER_SECOND);
  f.tzOffset = off;
  f.tzAbbrev = zoneAbbrev(off);
  return formatChar(f, fmt);
}

function toCharInterval(iv: Interval, fmt: string): string {
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
function parseWithTemplate(s: string, fmt: string): Parsed {
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

function parsedToLocal(p: Parsed): bigint {
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

function toTimestampText(s: string, fmt: string, zone: string): bigint {
  const p = parseWithTemplate(s, fmt);
  const local = parsedToLocal(p);
  if (p.tzh !== undefined) {
    const sign = p.tzh < 0 || Object.is(p.tzm, -0) ? -1 : 1;
    const off = sign * (Math.abs(p.tzh) * 3600 + Math.abs(p.tzm ?? 0) * 60);
    return checkTimestamp(local - BigInt(off) * MICROS_PER_SECOND);
  }
  return checkTimestamp(localToUtc(local, zone));
}

function toTimestampFloat(x: number): bigint {
  if (Number.isNaN(x))
    throw new SqlError(SqlState.datetimeFieldOverflow, 'timestamp cannot be NaN');
  if (x === Infinity) return 9223372036854775807n;
  if (x === -Infinity) return -9223372036854775808n;
  const us = rint(x * 1e6);
  if (!Number.isFinite(us) || Math.abs(us) > 9.2e18)
    throw new SqlError(SqlState.datetimeFieldOverflow, `timestamp out of range: "${x}"`);
  return checkTimestamp(BigInt(us));
}

// ---- constructors, age, bins ---------------------------------------------------------------

function makeDate(y: number, m: number, d: number): number {
  const year = y < 0 ? y + 1 : y;
  if (y === 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(year, m))
    throw new SqlError(
      SqlState.datetimeFieldOverflow,
      `date field value out of range: ${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    );
  return daysFromCivil(year, m, d);
}

function makeTimestamp(a: Value[]): bigint {
  const [y, mo, d, h, mi] = a as number[];
  const sec = a[5] as number;
  const days = makeDate(y!, mo!, d!);
  if (
    h! < 0 ||
    h! > 24 ||
    mi! < 0 ||
    mi! > 59 ||
    !(sec >= 0 && sec <= 60) ||
    (h === 24 && (mi !== 0 || sec !== 0))
  )
    throw new SqlError(
      SqlState.datetimeFieldOverflow,
      `time field value out of range: ${h}:${String(mi).padStart(2, '0')}:${String(sec).padStart(2, '0')}`,
    );
  const micros = BigInt(rint(sec * 1e6));
  return checkTimestamp(
    BigInt(days) * MICROS_PER_DAY +
      BigInt(h!) * MICROS_PER_HOUR +
      BigInt(mi!) * MICROS_PER_MINUTE +
      micros,
  );
}

/** age(a, b): symbolic years/months/days difference of wall-clock times, as PostgreSQL. */
function age(a: bigint, b: bigint): Interval {
  if (!isFiniteTimestamp(a) || !isFiniteTimestamp(b))
    throw new SqlError(SqlState.datetimeFieldOverflow, 'interval out of range');
  const f1 = timestampToFields(a);
  const f2 = timestampToFields(b);
  let micros = f1.micros - f2.micros;
  let sec = f1.second - f2.second;
  let min = f1.minute - f2.minute;
  let hour = f1.hour - f2.hour;
  let day = f1.day - f2.day;
  let mon = f1.month - f2.month;
  let year = f1.year - f2.year;
  // Flip sign if necessary to borrow in the right direction.
  const neg = a < b;
  if (neg) {
    micros = -micros;
    sec = -sec;
    min = -min;
    hour = -hour;
    day = -day;
    mon = -mon;
    year = -year;
  }
  while (micros < 0) {
    micros += 1_000_000;
    sec--;
  }
  while (sec < 0) {
    sec += 60;
    min--;
  }
  while (min < 0) {
    min += 60;
    hour--;
  }
  while (hour < 0) {
    hour += 24;
    day--;
  }
  while (day < 0) {
    const ref = neg ? f1 : f2;
    day += daysInMonth(ref.year, ref.month);
    mon--;
  }
  while (mon < 0) {
    mon += 12;
    year--;
  }
  if (neg) {
    micros = -micros;
    sec = -sec;
    min = -min;
    hour = -hour;
    day = -day;
    mon = -mon;
    year = -year;
  }
  const t =
    BigInt(hour) * MICROS_PER_HOUR +
    BigInt(min) * MICROS_PER_MINUTE +
    BigInt(sec) * MICROS_PER_SECOND +
    BigInt(micros);
  return new Interval(year * 12 + mon, day, t);
}

function dateBin(stride: Interval, ts: bigint, origin: bigint): bigint {
  if (stride.months !== 0)
    throw new SqlError(
      SqlState.featureNotSupported,
      'timestamps cannot be binned into intervals containing months or years',
    );
  const s = BigInt(stride.days) * MICROS_PER_DAY + stride.micros;
  if (s <= 0n)
    throw new SqlError(SqlState.datetimeFieldOverflow, 'stride must be greater than zero');
  if (!isFiniteTimestamp(ts)) return ts;
  const diff = ts - origin;
  let bins = diff / s;
  if (diff % s !== 0n && diff < 0n) bins -= 1n;
  return checkTimestamp(origin + bins * s);
}

function localNow(ctxTime: bigint, zone: string): bigint {
  return utcToLocal(ctxTime, zone);
}

const zoneArg = (z: string): string => validateTimeZone(posixZone(z));

export const datetimeFunctions: ScalarFunction[] = [
  ...['now', 'current_timestamp', 'transaction_timestamp', 'statement_timestamp'].map((n) =>
    scalar(n, [
      { args: [], ret: timestamptz, volatile: true, eval: (_a, ctx) => ctx.statementTime },
    ]),
  ),
  scalar('clock_timestamp', [
    { args: [], ret: timestamptz, volatile: true, eval: () => BigInt(Date.now()) * 1000n },
  ]),
  scalar('current_date', [
    {
      args: [],
      ret: date,
      volatile: true,
      eval: (_a, ctx) => timestampToDate(localNow(ctx.statementTime, ctx.timeZone)),
    },
  ]),
  scalar('localtimestamp', [
    {
      args: [],
      ret: timestamp,
      volatile: true,
      eval: (_a, ctx) => localNow(ctx.statementTime, ctx.timeZone),
    },
  ]),
  scalar('localtime', [
    {
      args: [],
      ret: time,
      volatile: true,
      eval: (_a, ctx) => {
        const l = localNow(ctx.statementTime, ctx.timeZone);
        return l - BigInt(timestampToDate(l)) * MICROS_PER_DAY;
      },
    },
  ]),
  scalar('date_trunc', [
    {
      args: [text, timestamp],
      ret: timestamp,
      eval: (a) => truncTimestamp(a[0] as string, a[1] as bigint),
    },
    {
      args: [text, timestamptz],
      ret: timestamptz,
      eval: (a, ctx) => truncTimestamptz(a[0] as string, a[1] as bigint, ctx.timeZone),
    },
    {
      args: [text, timestamptz, text],
      ret: timestamptz,
      eval: (a) => truncTimestamptz(a[0] as string, a[1] as bigint, zoneArg(a[2] as string)),
    },
    {
      args: [text, interval],
      ret: interval,
      eval: (a) => truncInterval(a[0] as string, a[1] as Interval),
    },
  ]),
  scalar(
    'extract',
    extractOverloads(numeric, (d) => d),
  ),
  scalar(
    'date_part',
    extractOverloads(float8, (d) => (d === null ? null : d.toNumber())),
  ),
  scalar('to_char', [
    {
      args: [timestamp, text],
      ret: text,
      eval: (a) =>
        isFiniteTimestamp(a[0] as bigint)
          ? formatChar(
              { ...tsCharFields(a[0] as bigint), tzOffset: 0, tzAbbrev: '' },
              a[1] as string,
            )
          : null,
    },
    {
      args: [timestamptz, text],
      ret: text,
      eval: (a, ctx) => toCharTimestamptz(a[0] as bigint, a[1] as string, ctx.timeZone),
    },
    {
      args: [interval, text],
      ret: text,
      eval: (a) => toCharInterval(a[0] as Interval, a[1] as string),
    },
    {
      args: [numeric, text],
      ret: text,
      eval: (a) => toCharNumber(a[0] as Decimal, a[1] as string),
    },
    {
      args: [float8, text],
      ret: text,
      eval: (a) => toCharNumber(Decimal.fromNumber(a[0] as number), a[1] as string),
    },
  ]),
  scalar('to_timestamp', [
    { args: [float8], ret: timestamptz, eval: (a) => toTimestampFloat(a[0] as number) },
    {
      args: [text, text],
      ret: timestamptz,
      eval: (a, ctx) => toTimestampText(a[0] as string, a[1] as string, ctx.timeZone),
    },
  ]),
  scalar('to_date', [
    {
      args: [text, text],
      ret: date,
      eval: (a) =>
        timestampToDate(parsedToLocal(parseWithTemplate(a[0] as string, a[1] as string))),
    },
  ]),
  scalar('make_date', [
    {
      args: [int4, int4, int4],
      ret: date,
      eval: (a) => makeDate(a[0] as number, a[1] as number, a[2] as number),
    },
  ]),
  scalar('make_time', [
    {
      args: [int4, int4, float8],
      ret: time,
      eval: (a) => makeTimestamp([1970, 1, 1, ...a]),
    },
  ]),
  scalar('make_timestamp', [
    { args: [int4, int4, int4, int4, int4, float8], ret: timestamp, eval: makeTimestamp },
  ]),
  scalar('make_timestamptz', [
    {
      args: [int4, int4, int4, int4, int4, float8],
      ret: timestamptz,
      eval: (a, ctx) => checkTimestamp(localToUtc(makeTimestamp(a), ctx.timeZone)),
    },
    {
      args: [int4, int4, int4, int4, int4, float8, text],
      ret: timestamptz,
      eval: (a) => checkTimestamp(localToUtc(makeTimestamp(a), zoneArg(a[6] as string))),
    },
  ]),
  scalar('make_interval', [
    ...[0, 1, 2, 3, 4, 5, 6, 7].map((n): Overload => ({
      args: [int4, int4, int4, int4, int4, int4, float8].slice(0, n),
      ret: interval,
      eval: (a) => {
        const [y = 0, mo = 0, w = 0, d = 0, h = 0, mi = 0] = a as number[];
        const sec = (a[6] as number | undefined) ?? 0;
        return new Interval(
          y * 12 + mo,
          w * 7 + d,
          BigInt(h) * MICROS_PER_HOUR + BigInt(mi) * MICROS_PER_MINUTE + BigInt(rint(sec * 1e6)),
        );
      },
    })),
  ]),
  scalar('age', [
    {
      args: [timestamp, timestamp],
      ret: interval,
      eval: (a) => age(a[0] as bigint, a[1] as bigint),
    },
    {
      args: [timestamptz, timestamptz],
      ret: interval,
      eval: (a, ctx) =>
        age(utcToLocal(a[0] as bigint, ctx.timeZone), utcToLocal(a[1] as bigint, ctx.timeZone)),
    },
    {
      args: [timestamp],
      ret: interval,
      eval: (a, ctx) =>
        age(
          BigInt(timestampToDate(localNow(ctx.statementTime, ctx.timeZone))) * MICROS_PER_DAY,
          a[0] as bigint,
        ),
    },
    {
      args: [timestamptz],
      ret: interval,
      eval: (a, ctx) =>
        age(
          BigInt(timestampToDate(localNow(ctx.statementTime, ctx.timeZone))) * MICROS_PER_DAY,
          utcToLocal(a[0] as bigint, ctx.timeZone),
        ),
    },
  ]),
  scalar('date_bin', [
    {
      args: [interval, timestamp, timestamp],
      ret: timestamp,
      eval: (a) => dateBin(a[0] as Interval, a[1] as bigint, a[2] as bigint),
    },
    {
      args: [interval, timestamptz, timestamptz],
      ret: timestamptz,
      eval: (a) => dateBin(a[0] as Interval, a[1] as bigint, a[2] as bigint),
    },
  ]),
  scalar('justify_days', [
    { args: [interval], ret: interval, eval: (a) => (a[0] as Interval).justifyDays() },
  ]),
  scalar('justify_hours', [
    { args: [interval], ret: interval, eval: (a) => (a[0] as Interval).justifyHours() },
  ]),
  scalar('justify_interval', [
    { args: [interval], ret: interval, eval: (a) => (a[0] as Interval).justifyInterval() },
  ]),
  scalar('timezone', [
    {
      args: [text, timestamptz],
      ret: timestamp,
      eval: (a) => utcToLocal(a[1] as bigint, zoneArg(a[0] as string)),
    },
    {
      args: [text, timestamp],
      ret: timestamptz,
      eval: (a) => checkTimestamp(localToUtc(a[1] as bigint, zoneArg(a[0] as string))),
    },
  ]),
  scalar('isfinite', [
    { args: [date], ret: boolean, eval: (a) => isFiniteDate(a[0] as number) },
    { args: [timestamp], ret: boolean, eval: (a) => isFiniteTimestamp(a[0] as bigint) },
    { args: [timestamptz], ret: boolean, eval: (a) => isFiniteTimestamp(a[0] as bigint) },
    { args: [interval], ret: boolean, eval: () => true },
  ]),
];
