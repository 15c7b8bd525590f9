/**
 * DATE, TIME, TIMESTAMP and TIMESTAMPTZ: calendar arithmetic, PostgreSQL text input and ISO
 * output, and time zones (IANA names through `Intl.DateTimeFormat`, or fixed offsets).
 *
 * Representations (see value.ts): date = days since 1970-01-01 (number), time = µs since
 * midnight (bigint), timestamp = µs since 1970-01-01 00:00 (bigint), timestamptz = µs since the
 * epoch in UTC (bigint). `±infinity` use the extreme values of the representation.
 */
import { SqlError, SqlState } from '../errors.js';

export const MICROS_PER_SECOND = 1_000_000n;
export const MICROS_PER_MINUTE = 60_000_000n;
export const MICROS_PER_HOUR = 3_600_000_000n;
export const MICROS_PER_DAY = 86_400_000_000n;

export const TIMESTAMP_INFINITY = 9223372036854775807n;
export const TIMESTAMP_NEG_INFINITY = -9223372036854775808n;
export const DATE_INFINITY = 2147483647;
export const DATE_NEG_INFINITY = -2147483648;

/** Earliest/latest finite timestamps PostgreSQL accepts (4714-11-24 BC .. 294276-12-31). */
const MIN_TIMESTAMP = -211813488000000000n;
const MAX_TIMESTAMP = 9224318016000000000n - 1n;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (year 0 = 1 BC). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of daysFromCivil. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export interface TimestampFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Microseconds within the second. */
  micros: number;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Split a timestamp (µs since epoch, no zone) into calendar fields. */
export function timestampToFields(ts: bigint): TimestampFields {
  const days = floorDiv(ts, MICROS_PER_DAY);
  const tod = ts - days * MICROS_PER_DAY;
  const { year, month, day } = civilFromDays(Number(days));
  const t = Number(tod);
  return {
    year,
    month,
    day,
    hour: Math.floor(t / 3_600_000_000),
    minute: Math.floor(t / 60_000_000) % 60,
    second: Math.floor(t / 1_000_000) % 60,
    micros: t % 1_000_000,
  };
}

/** Build a timestamp from fields (fields may overflow; they are added arithmetically). */
export function fieldsToTimestamp(f: TimestampFields): bigint {
  return (
    BigInt(daysFromCivil(f.year, f.month, f.day)) * MICROS_PER_DAY +
    BigInt(f.hour) * MICROS_PER_HOUR +
    BigInt(f.minute) * MICROS_PER_MINUTE +
    BigInt(f.second) * MICROS_PER_SECOND +
    BigInt(f.micros)
  );
}

export function dateToTimestamp(days: number): bigint {
  if (days === DATE_INFINITY) return TIMESTAMP_INFINITY;
  if (days === DATE_NEG_INFINITY) return TIMESTAMP_NEG_INFINITY;
  return BigInt(days) * MICROS_PER_DAY;
}

/** The date of a timestamp (floor to the day). */
export function timestampToDate(ts: bigint): number {
  if (ts === TIMESTAMP_INFINITY) return DATE_INFINITY;
  if (ts === TIMESTAMP_NEG_INFINITY) return DATE_NEG_INFINITY;
  return Number(floorDiv(ts, MICROS_PER_DAY));
}

/** Time of day of a timestamp. */
export function timestampToTime(ts: bigint): bigint {
  return ts - floorDiv(ts, MICROS_PER_DAY) * MICROS_PER_DAY;
}

export function isFiniteTimestamp(ts: bigint): boolean {
  return ts !== TIMESTAMP_INFINITY && ts !== TIMESTAMP_NEG_INFINITY;
}

export function isFiniteDate(d: number): boolean {
  return d !== DATE_INFINITY && d !== DATE_NEG_INFINITY;
}

/** Range check used after arithmetic: 22008 `timestamp out of range`. */
export function checkTimestamp(ts: bigint): bigint {
  if (!isFiniteTimestamp(ts)) return ts;
  if (ts < MIN_TIMESTAMP || ts > MAX_TIMESTAMP)
    throw new SqlError(SqlState.datetimeFieldOverflow, 'timestamp out of range');
  return ts;
}

// ---------------------------------------------------------------------------------------------
// Time zones

/** Seconds east of UTC for a fixed-offset zone spelling, or undefined for a named zone. */
function fixedOffset(zone: string): number | undefined {
  const z = zone.trim();
  const u = z.toUpperCase();
  if (u === 'UTC' || u === 'GMT' || u === 'Z' || u === 'ZULU' || u === 'UCT' || u === 'ETC/UTC')
    return 0;
  // ISO-style numeric offset: `+08:00`, `-8`, `+0530`, `5.5` (hours). Sign east-positive, as
  // `SET TIME ZONE -8` means UTC-8.
  let m = /^([+-]?)(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(z);
  if (m) {
    const secs = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    return m[1] === '-' ? -secs : secs;
  }
  m = /^([+-]?)(\d+(?:\.\d+)?)$/.exec(z);
  if (m) {
    const secs = Math.round(Number(m[2]) * 3600);
    return m[1] === '-' ? -secs : secs;
  }
  // POSIX-style `UTC+8`, `<-08>+08`, `GMT-3`: the sign is west-positive.
  m = /^(?:[A-Za-z]{3,}|<[^>]+>)([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?$/.exec(z);
  if (m) {
    const secs = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    return m[1] === '-' ? secs : -secs;
  }
  return undefined;
}

/** Common abbreviations PostgreSQL knows in input (offsets in seconds east of UTC). */
const zoneAbbrevs: Record<string, number> = {
  est: -5 * 3600,
  edt: -4 * 3600,
  cst: -6 * 3600,
  cdt: -5 * 3600,
  mst: -7 * 3600,
  mdt: -6 * 3600,
  pst: -8 * 3600,
  pdt: -7 * 3600,
  akst: -9 * 3600,
  akdt: -8 * 3600,
  hst: -10 * 3600,
  cet: 3600,
  cest: 7200,
  eet: 7200,
  eest: 3 * 3600,
  wet: 0,
  west: 3600,
  bst: 3600,
  msk: 3 * 3600,
  ist: 7200,
  jst: 9 * 3600,
  kst: 9 * 3600,
  awst: 8 * 3600,
  aest: 10 * 3600,
  aedt: 11 * 3600,
  nzst: 12 * 3600,
  nzdt: 13 * 3600,
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new SqlError(SqlState.invalidParameterValue, `time zone "${zone}" not recognized`);
    }
    formatters.set(zone, f);
  }
  return f;
}

/**
 * A zone written as a string (`SET TIME ZONE '+05:00'`, `AT TIME ZONE '-3'`) is a POSIX zone
 * spec in PostgreSQL, whose numeric offset counts hours west of UTC; Sluice's zone strings count
 * east (as `SET TIME ZONE -8`, a number, does). This flips a bare signed offset accordingly.
 */
export function posixZone(zone: string): string {
  const m = /^([+-]?)(\d{1,2}(?::?\d{2}(?::?\d{2})?)?|\d+(?:\.\d+)?)$/.exec(zone.trim());
  if (!m) return zone.trim();
  return `${m[1] === '-' ? '+' : '-'}${m[2]}`;
}

/** Throws 22023 unless `zone` names a zone Sluice can use; returns it unchanged. */
export function validateTimeZone(zone: string): string {
  if (fixedOffset(zone) === undefined) formatterFor(zone);
  return zone;
}

const offsetCache = new Map<string, number>();
const MAX_JS_MS = 8.64e15;

function intlOffsetSeconds(utcMs: number, zone: string): number {
  const ms = Math.min(Math.max(utcMs, -MAX_JS_MS + 86400000 * 2), MAX_JS_MS - 86400000 * 2);
  // Offsets change at most on quarter hours in practice; cache per 15 minutes.
  const bucket = Math.floor(ms / 900000);
  const key = `${zone}|${bucket}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const parts = formatterFor(zone).formatToParts(new Date(bucket * 900000));
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        year = Number(p.value);
        break;
      case 'month':
        month = Number(p.value);
        break;
      case 'day':
        day = Number(p.value);
        break;
      case 'hour':
        hour = Number(p.value);
        break;
      case 'minute':
        minute = Number(p.value);
        break;
      case 'second':
        second = Number(p.value);
        break;
      case 'era':
        bc = p.value.startsWith('B');
        break;
    }
  }
  if (bc) year = 1 - year;
  const localSecs = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  const off = localSecs - bucket * 900;
  if (offsetCache.size > 50000) offsetCache.clear();
  offsetCache.set(key, off);
  return off;
}

/** Seconds east of UTC in `zone` at the instant `utcMicros`. */
export function tzOffsetSeconds(utcMicros: bigint, zone: string): number {
  const fixed = fixedOffset(zone);
  if (fixed !== undefined) return fixed;
  return intlOffsetSeconds(Number(floorDiv(utcMicros, 1000n)), zone);
}

/**
 * The UTC instant of a local wall-clock time in `zone`. In a spring-forward gap the offset before
 * the transition applies; an ambiguous fall-back time takes the later offset, as PostgreSQL.
 */
export function localToUtc(localMicros: bigint, zone: string): bigint {
  if (!isFiniteTimestamp(localMicros)) return localMicros;
  const fixed = fixedOffset(zone);
  if (fixed !== undefined) return localMicros - BigInt(fixed) * MICROS_PER_SECOND;
  const before = tzOffsetSeconds(localMicros - MICROS_PER_DAY, zone);
  const after = tzOffsetSeconds(localMicros + MICROS_PER_DAY, zone);
  const at = (o: number): bigint => localMicros - BigInt(o) * MICROS_PER_SECOND;
  if (before === after) {
    const o = tzOffsetSeconds(at(before), zone);
    return at(o === before ? before : o);
  }
  const afterOk = tzOffsetSeconds(at(after), zone) === after;
  const beforeOk = tzOffsetSeconds(at(before), zone) === before;
  if (afterOk) return at(after);
  if (beforeOk) return at(before);
  return at(before);
}

/** Local wall-clock timestamp of a UTC instant in `zone`. */
export function utcToLocal(utcMicros: bigint, zone: string): bigint {
  if (!isFiniteTimestamp(utcMicros)) return utcMicros;
  return utcMicros + BigInt(tzOffsetSeconds(utcMicros, zone)) * MICROS_PER_SECOND;
}

// ---------------------------------------------------------------------------------------------
// Output

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function formatYmd(year: number, month: number, day: number): string {
  const bc = year <= 0;
  const y = bc ? 1 - year : year;
  return `${pad(y, 4)}-${pad(month)}-${pad(day)}${bc ? ' BC' : ''}`;
}

/** Fractional seconds as `.5`, `.000001`, or empty. */
function fraction(micros: number): string {
  if (micros === 0) return '';
  return `.${String(micros).padStart(6, '0').replace(/0+$/, '')}`;
}

export function formatDate(days: number): string {
  if (days === DATE_INFINITY) return 'infinity';
  if (days === DATE_NEG_INFINITY) return '-infinity';
  const { year, month, day } = civilFromDays(days);
  return formatYmd(year, month, day);
}

export function formatTime(micros: bigint): string {
  const t = Number(micros);
  const h = Math.floor(t / 3_600_000_000);
  const m = Math.floor(t / 60_000_000) % 60;
  const s = Math.floor(t / 1_000_000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}${fraction(t % 1_000_000)}`;
}

function formatLocal(ts: bigint): { date: string; time: string; bc: boolean } {
  const f = timestampToFields(ts);
  const bc = f.year <= 0;
  const y = bc ? 1 - f.year : f.year;
  return {
    date: `${pad(y, 4)}-${pad(f.month)}-${pad(f.day)}`,
    time: `${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}${fraction(f.micros)}`,
    bc,
  };
}

export function formatTimestamp(ts: bigint): string {
  if (ts === TIMESTAMP_INFINITY) return 'infinity';
  if (ts === TIMESTAMP_NEG_INFINITY) return '-infinity';
  const l = formatLocal(ts);
  return `${l.date} ${l.time}${l.bc ? ' BC' : ''}`;
}

/** `+00`, `+05:30`, `-04:56:02`. */
export function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const a = Math.abs(seconds);
  const h = Math.floor(a / 3600);
  const m = Math.floor(a / 60) % 60;
  const s = a % 60;
  return `${sign}${pad(h)}${m || s ? `:${pad(m)}` : ''}${s ? `:${pad(s)}` : ''}`;
}

export function formatTimestamptz(utc: bigint, zone: string): string {
  if (utc === TIMESTAMP_INFINITY) return 'infinity';
  if (utc === TIMESTAMP_NEG_INFINITY) return '-infinity';
  const off = tzOffsetSeconds(utc, zone);
  const l = formatLocal(utc + BigInt(off) * MICROS_PER_SECOND);
  return `${l.date} ${l.time}${formatOffset(off)}${l.bc ? ' BC' : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Input

type DateTimeKind = 'date' | 'time' | 'timestamp' | 'timestamptz';

const kindNames: Record<DateTimeKind, string> = {
  date: 'date',
  time: 'time',
  timestamp: 'timestamp',
  timestamptz: 'timestamp with time zone',
};

const monthNames =
  'january february march april may june july august september october november december'.split(
    ' ',
  );

function monthFromName(name: string): number | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (n.length < 3) return undefined;
  const i = monthNames.findIndex(
    (full) => full.startsWith(n) || (n === 'sept' && full === 'september'),
  );
  return i < 0 ? undefined : i + 1;
}

interface Parsed {
  date?: { year: number; month: number; day: number };
  /** µs since midnight (may be exactly 24:00:00). */
  time?: bigint;
  /** Seconds east of UTC given in the text. */
  offset?: number;
  /** Zone name given in the text. */
  zone?: string;
}

function badSyntax(kind: DateTimeKind, text: string): SqlError {
  return new SqlError(
    SqlState.invalidDatetimeFormat,
    `invalid input syntax for type ${kindNames[kind]}: "${text}"`,
  );
}

function outOfRange(text: string): SqlError {
  return new SqlError(
    SqlState.datetimeFieldOverflow,
    `date/time field value out of range: "${text}"`,
  );
}

function parseParts(text: string, kind: DateTimeKind): Parsed {
  let s = text.trim();
  const out: Parsed = {};
  let bc = false;
  const era = /\s+(BC|AD)$/i.exec(s);
  if (era) {
    bc = era[1]!.toUpperCase() === 'BC';
    s = s.slice(0, era.index);
  }
  // Date part.
  let m: RegExpExecArray | null;
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  if (
    (m = /^(\d{4,})-(\d{1,2})-(\d{1,2})/.exec(s)) ||
    (m = /^(\d{4,})\/(\d{1,2})\/(\d{1,2})/.exec(s))
  ) {
    year = Number(m[1]);
    month = Number(m[2]);
    day = Number(m[3]);
  } else if ((m = /^(\d{1,2})[/-](\d{1,2})[/-](\d{1,4})(?!\d)/.exec(s))) {
    // DateStyle MDY, PostgreSQL's default.
    month = Number(m[1]);
    day = Number(m[2]);
    year = Number(m[3]);
    if (m[3]!.length <= 2) year += year < 70 ? 2000 : 1900;
  } else if ((m = /^(\d{8})(?=$|[T\s])/.exec(s))) {
    year = Number(m[1]!.slice(0, 4));
    month = Number(m[1]!.slice(4, 6));
    day = Number(m[1]!.slice(6, 8));
  } else if ((m = /^([A-Za-z]{3,9}\.?)\s+(\d{1,2}),?\s+(\d{1,6})(?!\d|:)/.exec(s))) {
    month = monthFromName(m[1]!);
    if (month === undefined) throw badSyntax(kind, text);
    day = Number(m[2]);
    year = Number(m[3]);
  } else if ((m = /^(\d{1,2})[-\s]([A-Za-z]{3,9})[-\s](\d{1,6})(?!\d|:)/.exec(s))) {
    month = monthFromName(m[2]!);
    if (month === undefined) throw badSyntax(kind, text);
    day = Number(m[1]);
    year = Number(m[3]);
  }
  if (m && year !== undefined && month !== undefined && day !== undefined) {
    s = s.slice(m[0].length);
    if (bc) year = 1 - year;
    if (year === 0 && !bc) throw outOfRange(text);
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
      throw outOfRange(text);
    out.date = { year, month, day };
    if (s.startsWith('T') || s.startsWith('t')) s = s.slice(1);
    else s = s.trimStart();
  } else if (kind === 'date') {
    throw badSyntax(kind, text);
  }
  // Time part.
  m = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?(?:\s*([AaPp][Mm])(?![A-Za-z]))?/.exec(s);
  if (m) {
    let h = Number(m[1]);
    const mi = Number(m[2]);
    const sec = m[3] !== undefined ? Number(m[3]) : 0;
    const ampm = m[5]?.toLowerCase();
    if (ampm) {
      if (h < 1 || h > 12) throw outOfRange(text);
      if (ampm === 'am' && h === 12) h = 0;
      if (ampm === 'pm' && h !== 12) h += 12;
    }
    let frac = 0n;
    if (m[4]) {
      // Round to microseconds.
      const digits = m[4];
      const scaled = Number(`0.${digits}`) * 1e6;
      frac = BigInt(Math.round(scaled));
    }
    if (h > 24 || mi > 59 || sec > 60) throw outOfRange(text);
    const t =
      BigInt(h) * MICROS_PER_HOUR +
      BigInt(mi) * MICROS_PER_MINUTE +
      BigInt(sec) * MICROS_PER_SECOND +
      frac;
    if (t > MICROS_PER_DAY) throw outOfRange(text);
    out.time = t;
    s = s.slice(m[0].length).trimStart();
  } else if (!out.date) {
    throw badSyntax(kind, text);
  }
  // Zone part.
  if (s.length > 0) {
    if (out.time === undefined && kind !== 'date') {
      // A zone needs a time before it (`2020-01-01 UTC` is still accepted by PostgreSQL).
    }
    if ((m = /^([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(s))) {
      const secs = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
      if (Number(m[2]) > 15 || Number(m[3] ?? 0) > 59)
        throw new SqlError(
          SqlState.invalidDatetimeFormat,
          `time zone displacement out of range: "${text}"`,
        );
      out.offset = m[1] === '-' ? -secs : secs;
    } else if (/^[Zz]$/.test(s)) {
      out.offset = 0;
    } else if (/^[A-Za-z][A-Za-z0-9_/+-]*$/.test(s)) {
      const abbrev = zoneAbbrevs[s.toLowerCase()];
      if (abbrev !== undefined) out.offset = abbrev;
      else {
        const fixed = fixedOffset(s);
        if (fixed !== undefined && /^[A-Za-z]+$/.test(s)) out.offset = fixed;
        else {
          try {
            validateTimeZone(s);
          } catch {
            throw new SqlError(SqlState.invalidParameterValue, `time zone "${s}" not recognized`);
          }
          out.zone = s;
        }
      }
    } else {
      throw badSyntax(kind, text);
    }
  }
  return out;
}

function special(text: string): string | undefined {
  const s = text.trim().toLowerCase();
  if (s === 'infinity' || s === '+infinity' || s === '-infinity' || s === 'epoch') return s;
  if (s === 'now' || s === 'today' || s === 'tomorrow' || s === 'yesterday') return s;
  return undefined;
}

/**
 * Options for input: the session zone (timestamptz, and the meaning of `now`/`today`) and the
 * statement time for `now`, `today`, `tomorrow`, `yesterday`.
 */
export interface DateTimeInputContext {
  timeZone?: string;
  now?: bigint;
}

function relativeDay(sp: string, ctx: DateTimeInputContext | undefined): bigint | undefined {
  if (sp !== 'today' && sp !== 'tomorrow' && sp !== 'yesterday' && sp !== 'now') return undefined;
  const now = ctx?.now ?? BigInt(Date.now()) * 1000n;
  const zone = ctx?.timeZone ?? 'UTC';
  const local = utcToLocal(now, zone);
  if (sp === 'now') return local;
  const d = floorDiv(local, MICROS_PER_DAY) * MICROS_PER_DAY;
  return sp === 'today' ? d : sp === 'tomorrow' ? d + MICROS_PER_DAY : d - MICROS_PER_DAY;
}

export function parseDate(text: string, ctx?: DateTimeInputContext): number {
  const sp = special(text);
  if (sp === 'infinity' || sp === '+infinity') return DATE_INFINITY;
  if (sp === '-infinity') return DATE_NEG_INFINITY;
  if (sp === 'epoch') return 0;
  if (sp) return timestampToDate(relativeDay(sp, ctx)!);
  const p = parseParts(text, 'date');
  const d = p.date!;
  return daysFromCivil(d.year, d.month, d.day);
}

export function parseTime(text: string, ctx?: DateTimeInputContext): bigint {
  const sp = special(text);
  if (sp === 'now') return timestampToTime(relativeDay(sp, ctx)!);
  if (sp) throw badSyntax('time', text);
  const p = parseParts(text, 'time');
  if (p.time === undefined) throw badSyntax('time', text);
  return p.time;
}

export function parseTimestamp(text: string, ctx?: DateTimeInputContext): bigint {
  const sp = special(text);
  if (sp === 'infinity' || sp === '+infinity') return TIMESTAMP_INFINITY;
  if (sp === '-infinity') return TIMESTAMP_NEG_INFINITY;
  if (sp === 'epoch') return 0n;
  if (sp) return relativeDay(sp, ctx)!;
  const p = parseParts(text, 'timestamp');
  if (!p.date) throw badSyntax('timestamp', text);
  const ts =
    BigInt(daysFromCivil(p.date.year, p.date.month, p.date.day)) * MICROS_PER_DAY + (p.time ?? 0n);
  if (ts < MIN_TIMESTAMP || ts > MAX_TIMESTAMP)
    throw new SqlError(SqlState.datetimeFieldOverflow, `timestamp out of range: "${text}"`);
  return ts;
}

export function parseTimestamptz(text: string, ctx?: DateTimeInputContext): bigint {
  const zone = ctx?.timeZone ?? 'UTC';
  const sp = special(text);
  if (sp === 'infinity' || sp === '+infinity') return TIMESTAMP_INFINITY;
  if (sp === '-infinity') return TIMESTAMP_NEG_INFINITY;
  if (sp === 'epoch') return 0n;
  if (sp === 'now') return ctx?.now ?? BigInt(Date.now()) * 1000n;
  if (sp) return localToUtc(relativeDay(sp, ctx)!, zone);
  const p = parseParts(text, 'timestamptz');
  if (!p.date) throw badSyntax('timestamptz', text);
  const local =
    BigInt(daysFromCivil(p.date.year, p.date.month, p.date.day)) * MICROS_PER_DAY + (p.time ?? 0n);
  let utc: bigint;
  if (p.offset !== undefined) utc = local - BigInt(p.offset) * MICROS_PER_SECOND;
  else utc = localToUtc(local, p.zone ?? zone);
  if (utc < MIN_TIMESTAMP || utc > MAX_TIMESTAMP)
    throw new SqlError(SqlState.datetimeFieldOverflow, `timestamp out of range: "${text}"`);
  return utc;
}
