/**
 * Fields of dates, times, timestamps and intervals: `date_trunc` and `extract`/`date_part`, with
 * PostgreSQL's unit names, ISO weeks and infinity handling.
 */
import { SqlError, SqlState } from '../errors.js';
import type { DataType } from '../types/datatype.js';
import { T } from '../types/datatype.js';
import { Decimal } from '../types/numeric.js';
import { Interval } from '../types/interval.js';
import {
  MICROS_PER_HOUR,
  MICROS_PER_MINUTE,
  MICROS_PER_SECOND,
  civilFromDays,
  daysFromCivil,
  fieldsToTimestamp,
  isFiniteDate,
  isFiniteTimestamp,
  localToUtc,
  timestampToFields,
  tzOffsetSeconds,
  utcToLocal,
} from '../types/datetime.js';
import type { TimestampFields } from '../types/datetime.js';
import type { Value } from '../types/value.js';
import type { Overload } from './overload.js';

const { text, date, time, timestamp, timestamptz, interval } = T;
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
export function isoWeek(days: number): { isoYear: number; week: number } {
  const dow = isoDow(days); // 1..7
  const thursday = days - dow + 4;
  const { year } = civilFromDays(thursday);
  const jan1 = daysFromCivil(year, 1, 1);
  return { isoYear: year, week: Math.floor((thursday - jan1) / 7) + 1 };
}

/** 0 = Sunday .. 6 = Saturday. */
export function dow(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

export function isoDow(days: number): number {
  const d = dow(days);
  return d === 0 ? 7 : d;
}

/** Days since epoch of the Monday starting ISO week 1 of `isoYear`. */
export function isoYearStart(isoYear: number): number {
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

export function intervalFields(iv: Interval): {
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

export function truncInterval(field: string, iv: Interval): Interval {
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

export function extractOverloads(ret: DataType, conv: (d: Decimal | null) => Value): Overload[] {
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
