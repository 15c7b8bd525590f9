/**
 * INTERVAL: months, days and microseconds kept apart, as PostgreSQL does, with its text input
 * (verbose, `HH:MM:SS`, ISO 8601 `P...`, `ago`), `postgres` output style, arithmetic, ordering
 * (30-day months, 24-hour days) and the date/timestamp arithmetic that involves intervals.
 */
import { SqlError, SqlState } from '../errors.js';
import {
  MICROS_PER_DAY,
  MICROS_PER_HOUR,
  MICROS_PER_MINUTE,
  MICROS_PER_SECOND,
  checkTimestamp,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  isFiniteTimestamp,
  localToUtc,
  utcToLocal,
} from './datetime.js';

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

function intervalOutOfRange(): SqlError {
  return new SqlError(SqlState.datetimeFieldOverflow, 'interval out of range');
}

function checkInt32(n: number): number {
  if (!Number.isFinite(n) || n > INT32_MAX || n < INT32_MIN) throw intervalOutOfRange();
  return n;
}

export class Interval {
  constructor(
    readonly months: number,
    readonly days: number,
    readonly micros: bigint,
  ) {}

  static readonly ZERO = new Interval(0, 0, 0n);

  static fromMicros(micros: bigint): Interval {
    return new Interval(0, 0, micros);
  }

  add(o: Interval): Interval {
    return new Interval(
      checkInt32(this.months + o.months),
      checkInt32(this.days + o.days),
      this.micros + o.micros,
    );
  }

  sub(o: Interval): Interval {
    return new Interval(
      checkInt32(this.months - o.months),
      checkInt32(this.days - o.days),
      this.micros - o.micros,
    );
  }

  neg(): Interval {
    return new Interval(checkInt32(-this.months || 0), checkInt32(-this.days || 0), -this.micros);
  }

  /** Multiply by a float, cascading fractional months into days and days into time, as PG. */
  mul(factor: number): Interval {
    if (Number.isNaN(factor)) throw intervalOutOfRange();
    const monthsD = this.months * factor;
    const daysD = this.days * factor;
    const months = Math.trunc(monthsD);
    let days = Math.trunc(daysD);
    checkInt32(months);
    checkInt32(days);
    const monthRemainderDays = tsRound((monthsD - months) * 30);
    let secRemainder = tsRound(
      (daysD - days + monthRemainderDays - Math.trunc(monthRemainderDays)) * 86400,
    );
    if (Math.abs(secRemainder) >= 86400) {
      const whole = Math.trunc(secRemainder / 86400);
      days += whole;
      secRemainder -= whole * 86400;
    }
    days += Math.trunc(monthRemainderDays);
    const time = Math.round(Number(this.micros) * factor + secRemainder * 1e6);
    if (!Number.isFinite(time)) throw intervalOutOfRange();
    return new Interval(months, checkInt32(days), BigInt(time));
  }

  /** Divide by a float (22012 on zero). */
  div(divisor: number): Interval {
    if (divisor === 0) throw new SqlError(SqlState.divisionByZero, 'division by zero');
    return this.mul(1 / divisor);
  }

  /** Comparable span in microseconds (30-day months, 24-hour days). */
  span(): bigint {
    return (
      BigInt(this.months) * 30n * MICROS_PER_DAY + BigInt(this.days) * MICROS_PER_DAY + this.micros
    );
  }

  cmp(o: Interval): number {
    const a = this.span();
    const b = o.span();
    return a < b ? -1 : a > b ? 1 : 0;
  }

  eq(o: Interval): boolean {
    return this.span() === o.span();
  }

  /** justify_hours: move whole 24-hour periods of the time into days. */
  justifyHours(): Interval {
    let days = this.days + Number(this.micros / MICROS_PER_DAY);
    let micros = this.micros % MICROS_PER_DAY;
    if (days > 0 && micros < 0n) {
      micros += MICROS_PER_DAY;
      days--;
    } else if (days < 0 && micros > 0n) {
      micros -= MICROS_PER_DAY;
      days++;
    }
    return new Interval(this.months, checkInt32(days), micros);
  }

  /** justify_days: move whole 30-day periods into months. */
  justifyDays(): Interval {
    let months = this.months + Math.trunc(this.days / 30);
    let days = this.days % 30;
    if (months > 0 && days < 0) {
      days += 30;
      months--;
    } else if (months < 0 && days > 0) {
      days -= 30;
      months++;
    }
    return new Interval(checkInt32(months), days || 0, this.micros);
  }

  justifyInterval(): Interval {
    let months = this.months;
    let days = this.days;
    let micros = this.micros;
    months += Math.trunc(days / 30);
    days = days % 30 || 0;
    days += Number(micros / MICROS_PER_DAY);
    micros %= MICROS_PER_DAY;
    if (months > 0 && (days < 0 || (days === 0 && micros < 0n))) {
      days += 30;
      months--;
    } else if (months < 0 && (days > 0 || (days === 0 && micros > 0n))) {
      days -= 30;
      months++;
    }
    if (days > 0 && micros < 0n) {
      micros += MICROS_PER_DAY;
      days--;
    } else if (days < 0 && micros > 0n) {
      micros -= MICROS_PER_DAY;
      days++;
    }
    return new Interval(checkInt32(months), checkInt32(days), micros);
  }

  /** PostgreSQL `IntervalStyle = postgres` text. */
  toString(): string {
    return formatInterval(this);
  }
}

function tsRound(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

// ---------------------------------------------------------------------------------------------
// Output

function pad2(n: bigint): string {
  return n.toString().padStart(2, '0');
}

export function formatInterval(iv: Interval): string {
  const parts: string[] = [];
  let isZero = true;
  let isBefore = false;
  const addPart = (value: number, unit: string): void => {
    if (value === 0) return;
    parts.push(`${isBefore && value > 0 ? '+' : ''}${value} ${unit}${value !== 1 ? 's' : ''}`);
    isBefore = value < 0;
    isZero = false;
  };
  const years = Math.trunc(iv.months / 12);
  addPart(years, 'year');
  addPart(iv.months - years * 12, 'mon');
  addPart(iv.days, 'day');
  if (isZero || iv.micros !== 0n) {
    const minus = iv.micros < 0n;
    const a = minus ? -iv.micros : iv.micros;
    const h = a / MICROS_PER_HOUR;
    const m = (a / MICROS_PER_MINUTE) % 60n;
    const s = (a / MICROS_PER_SECOND) % 60n;
    const f = a % MICROS_PER_SECOND;
    const frac = f === 0n ? '' : `.${f.toString().padStart(6, '0').replace(/0+$/, '')}`;
    parts.push(`${minus ? '-' : isBefore ? '+' : ''}${pad2(h)}:${pad2(m)}:${pad2(s)}${frac}`);
  }
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------------
// Input

function badInterval(text: string): SqlError {
  return new SqlError(
    SqlState.invalidDatetimeFormat,
    `invalid input syntax for type interval: "${text}"`,
  );
}

type Unit =
  | 'microsecond'
  | 'millisecond'
  | 'second'
  | 'minute'
  | 'hour'
  | 'day'
  | 'week'
  | 'month'
  | 'year'
  | 'decade'
  | 'century'
  | 'millennium';

const unitAliases: Record<string, Unit> = {};
for (const [unit, names] of Object.entries({
  microsecond: 'microsecond microseconds microsecon us usec usecs useconds',
  millisecond: 'millisecond milliseconds millisecon ms msec msecs mseconds',
  second: 'second seconds s sec secs',
  minute: 'minute minutes m min mins',
  hour: 'hour hours h hr hrs',
  day: 'day days d',
  week: 'week weeks w',
  month: 'month months mon mons',
  year: 'year years y yr yrs',
  decade: 'decade decades dec decs',
  century: 'century centuries c cent',
  millennium: 'millennium millennia millenniums mil mils',
}) as [Unit, string][]) {
  for (const n of names.split(' ')) unitAliases[n] = unit;
}

/** Accumulates fields in floating point with PostgreSQL's cascade of fractions. */
class Acc {
  months = 0;
  days = 0;
  micros = 0n;

  addMonths(v: number): void {
    const whole = Math.trunc(v);
    this.months += whole;
    this.addDays((v - whole) * 30);
  }

  addDays(v: number): void {
    const whole = Math.trunc(v);
    this.days += whole;
    this.addSeconds((v - whole) * 86400);
  }

  addSeconds(v: number): void {
    this.micros += BigInt(Math.round(v * 1e6));
  }

  add(value: number, unit: Unit, text: string): void {
    switch (unit) {
      case 'microsecond':
        this.micros += BigInt(Math.round(value));
        break;
      case 'millisecond':
        this.addSeconds(value / 1000);
        break;
      case 'second':
        this.addSeconds(value);
        break;
      case 'minute':
        this.addSeconds(value * 60);
        break;
      case 'hour':
        this.addSeconds(value * 3600);
        break;
      case 'day':
        this.addDays(value);
        break;
      case 'week':
        this.addDays(value * 7);
        break;
      case 'month':
        this.addMonths(value);
        break;
      case 'year':
        this.addMonths(value * 12);
        break;
      case 'decade':
        this.addMonths(value * 120);
        break;
      case 'century':
        this.addMonths(value * 1200);
        break;
      case 'millennium':
        this.addMonths(value * 12000);
        break;
    }
    if (!Number.isFinite(this.months) || Math.abs(this.months) > INT32_MAX) throw badRange(text);
  }
}

function badRange(text: string): SqlError {
  return new SqlError(
    SqlState.datetimeFieldOverflow,
    `interval field value out of range: "${text}"`,
  );
}

function parseIso(text: string, s: string): Interval | undefined {
  const m =
    /^P(?:([+-]?\d+(?:\.\d+)?)Y)?(?:([+-]?\d+(?:\.\d+)?)M)?(?:([+-]?\d+(?:\.\d+)?)W)?(?:([+-]?\d+(?:\.\d+)?)D)?(?:T(?:([+-]?\d+(?:\.\d+)?)H)?(?:([+-]?\d+(?:\.\d+)?)M)?(?:([+-]?\d+(?:\.\d+)?)S)?)?$/i.exec(
      s,
    );
  if (!m || s.length <= 1 || /T$/i.test(s)) return undefined;
  const acc = new Acc();
  const units: Unit[] = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'];
  units.forEach((u, i) => {
    const v = m[i + 1];
    if (v !== undefined) acc.add(Number(v), u, text);
  });
  return new Interval(acc.months, acc.days, acc.micros);
}

/** A time token `[-]H:MM[:SS[.f]]`, or `MM:SS.f` when the second field has a fraction. */
function timeTokenMicros(tok: string, minuteToSecond: boolean): bigint | undefined {
  const m = /^([+-]?)(\d+):(\d+)(?::(\d+))?(?:\.(\d*))?$/.exec(tok);
  if (!m) return undefined;
  const neg = m[1] === '-';
  const a = BigInt(m[2]!);
  const b = BigInt(m[3]!);
  const fracText = m[5] ?? '';
  const frac = fracText ? BigInt(Math.round(Number(`0.${fracText}`) * 1e6)) : 0n;
  let v: bigint;
  if (m[4] !== undefined) {
    v = a * MICROS_PER_HOUR + b * MICROS_PER_MINUTE + BigInt(m[4]) * MICROS_PER_SECOND + frac;
  } else if (fracText || minuteToSecond) {
    v = a * MICROS_PER_MINUTE + b * MICROS_PER_SECOND + frac;
  } else {
    v = a * MICROS_PER_HOUR + b * MICROS_PER_MINUTE;
  }
  return neg ? -v : v;
}

/**
 * PostgreSQL interval input. `unit` is the SQL qualifier of a typed literal (`INTERVAL '1'
 * MINUTE`, `INTERVAL '1:30' MINUTE TO SECOND`): it gives bare numbers their unit and drops
 * fields below its lowest field.
 */
export function parseInterval(text: string, unit?: string): Interval {
  const s = text.trim();
  if (s === '') throw badInterval(text);
  const qual = unit?.trim().toLowerCase().replace(/\s+/g, ' ');
  if (/^[Pp]/.test(s)) {
    const iso = parseIso(text, s);
    if (!iso) throw badInterval(text);
    return truncateToQualifier(iso, qual);
  }
  const qualParts = qual?.split(' to ');
  const highUnit = qualParts?.[0] ? unitAliases[qualParts[0]] : undefined;
  const lowUnit = qualParts ? unitAliases[qualParts[qualParts.length - 1]!] : undefined;
  if (qual !== undefined && (highUnit === undefined || lowUnit === undefined))
    throw new SqlError(SqlState.syntaxError, `invalid interval qualifier "${unit}"`);
  const acc = new Acc();
  const tokens = s
    .replace(/^@\s*/, '')
    .toLowerCase()
    .match(/[+-]?\d*\.?\d+(?:e[+-]?\d+)?(?::\d+(?::\d+)?(?:\.\d*)?)?(?:-\d+)?|[a-z]+|\S/g);
  if (!tokens) throw badInterval(text);
  let ago = false;
  let sawAny = false;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok === 'ago') {
      if (i !== tokens.length - 1) throw badInterval(text);
      ago = true;
      continue;
    }
    if (tok === ',') continue;
    if (tok.includes(':')) {
      const t = timeTokenMicros(tok, lowUnit === 'second' && highUnit === 'minute');
      if (t === undefined) throw badInterval(text);
      acc.micros += t;
      sawAny = true;
      continue;
    }
    const ym = /^([+-]?)(\d+)-(\d+)$/.exec(tok);
    if (ym) {
      const months = Number(ym[2]) * 12 + Number(ym[3]);
      acc.months += ym[1] === '-' ? -months : months;
      sawAny = true;
      continue;
    }
    if (/^[+-]?\d*\.?\d+(?:e[+-]?\d+)?$/.test(tok)) {
      const value = Number(tok);
      const next = tokens[i + 1];
      const u = next !== undefined ? unitAliases[next] : undefined;
      if (u !== undefined) {
        acc.add(value, u, text);
        i++;
      } else if (next === undefined || next === 'ago' || /^[+-]?\d/.test(next)) {
        // A bare number: the qualifier's low field, else seconds. With a day count and a time
        // (`1 02:00`), it is days.
        const bare: Unit = lowUnit ?? (next !== undefined && next.includes(':') ? 'day' : 'second');
        acc.add(value, bare, text);
      } else {
        throw badInterval(text);
      }
      sawAny = true;
      continue;
    }
    throw badInterval(text);
  }
  if (!sawAny) throw badInterval(text);
  let iv = new Interval(checkInt32(acc.months), checkInt32(acc.days), acc.micros);
  if (ago) iv = iv.neg();
  return truncateToQualifier(iv, qual);
}

function truncateToQualifier(iv: Interval, qual: string | undefined): Interval {
  if (!qual) return iv;
  const parts = qual.split(' to ');
  const low = unitAliases[parts[parts.length - 1]!];
  switch (low) {
    case 'year':
      return new Interval(Math.trunc(iv.months / 12) * 12, 0, 0n);
    case 'month':
      return new Interval(iv.months, 0, 0n);
    case 'day':
      return new Interval(iv.months, iv.days, 0n);
    case 'hour':
      return new Interval(iv.months, iv.days, (iv.micros / MICROS_PER_HOUR) * MICROS_PER_HOUR);
    case 'minute':
      return new Interval(iv.months, iv.days, (iv.micros / MICROS_PER_MINUTE) * MICROS_PER_MINUTE);
    default:
      return iv;
  }
}

// ---------------------------------------------------------------------------------------------
// Date/time arithmetic involving intervals

/** Add calendar months and days to a local (zone-less) timestamp. */
function addMonthsDays(local: bigint, months: number, days: number): bigint {
  let ts = local;
  if (months !== 0) {
    const dayNum = ts >= 0n ? ts / MICROS_PER_DAY : -((-ts + MICROS_PER_DAY - 1n) / MICROS_PER_DAY);
    const tod = ts - dayNum * MICROS_PER_DAY;
    const c = civilFromDays(Number(dayNum));
    const total = c.year * 12 + (c.month - 1) + months;
    const year = Math.floor(total / 12);
    const month = total - year * 12 + 1;
    const day = Math.min(c.day, daysInMonth(year, month));
    ts = BigInt(daysFromCivil(year, month, day)) * MICROS_PER_DAY + tod;
  }
  if (days !== 0) ts += BigInt(days) * MICROS_PER_DAY;
  return ts;
}

/** timestamp + interval (calendar months, then days, then time). */
export function timestampAddInterval(ts: bigint, iv: Interval): bigint {
  if (!isFiniteTimestamp(ts)) return ts;
  return checkTimestamp(addMonthsDays(ts, iv.months, iv.days) + iv.micros);
}

/** timestamptz + interval: months and days step the wall clock in `zone`, time is absolute. */
export function timestamptzAddInterval(ts: bigint, iv: Interval, zone: string): bigint {
  if (!isFiniteTimestamp(ts)) return ts;
  let utc = ts;
  if (iv.months !== 0 || iv.days !== 0) {
    const local = addMonthsDays(utcToLocal(ts, zone), iv.months, iv.days);
    utc = localToUtc(local, zone);
  }
  return checkTimestamp(utc + iv.micros);
}

/** timestamp − timestamp (either zone-less or both UTC): days and time, as PostgreSQL. */
export function timestampDiff(a: bigint, b: bigint): Interval {
  if (!isFiniteTimestamp(a) || !isFiniteTimestamp(b))
    throw new SqlError(SqlState.datetimeFieldOverflow, 'cannot subtract infinite timestamps');
  return new Interval(0, 0, a - b).justifyHours();
}

/** time + interval wraps around midnight; only the interval's time part counts. */
export function timeAddInterval(t: bigint, iv: Interval): bigint {
  let r = (t + iv.micros) % MICROS_PER_DAY;
  if (r < 0n) r += MICROS_PER_DAY;
  return r;
}
