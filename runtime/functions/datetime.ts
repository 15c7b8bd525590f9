/**
 * Date/time functions: current time, date_trunc, extract/date_part, to_char/to_timestamp/to_date
 * templates, constructors (make_*), age, date_bin, justify_*, time zone conversion. Timestamptz
 * values are UTC instants; calendar work happens on the wall clock of the session (or given) zone.
 * This module registers them all; date_trunc and extract are in `datetime-fields.ts`, the
 * to_char/to_timestamp templates in `to-char.ts`.
 */
import { SqlError, SqlState } from '../errors.js';
import { T } from '../types/datatype.js';
import { Decimal } from '../types/numeric.js';
import { Interval } from '../types/interval.js';
import {
  MICROS_PER_DAY,
  MICROS_PER_HOUR,
  MICROS_PER_MINUTE,
  MICROS_PER_SECOND,
  checkTimestamp,
  daysFromCivil,
  daysInMonth,
  isFiniteDate,
  isFiniteTimestamp,
  localToUtc,
  timestampToDate,
  timestampToFields,
  utcToLocal,
  validateTimeZone,
  posixZone,
} from '../types/datetime.js';
import type { Value } from '../types/value.js';
import type { ScalarFunction } from '../expr/registry.js';
import { scalar } from './overload.js';
import type { Overload } from './overload.js';
import { rint } from './math.js';
import {
  extractOverloads,
  truncInterval,
  truncTimestamp,
  truncTimestamptz,
} from './datetime-fields.js';
import {
  formatChar,
  parseWithTemplate,
  parsedToLocal,
  toCharInterval,
  toCharNumber,
  toCharTimestamptz,
  toTimestampFloat,
  toTimestampText,
  tsCharFields,
} from './to-char.js';

const { text, date, time, timestamp, timestamptz, interval, float8, numeric, int4, boolean } = T;

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
  // Processing time, as RisingWave's `proctime()`: in a generated column (`p_time TIMESTAMPTZ
  // AS proctime()`) it stamps each row with the time of the statement that writes it.
  scalar('proctime', [
    { args: [], ret: timestamptz, volatile: true, eval: (_a, ctx) => ctx.statementTime },
  ]),
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
      // Reads the clock (age from today's midnight): never frozen into a view.
      args: [timestamp],
      ret: interval,
      volatile: true,
      eval: (a, ctx) =>
        age(
          BigInt(timestampToDate(localNow(ctx.statementTime, ctx.timeZone))) * MICROS_PER_DAY,
          a[0] as bigint,
        ),
    },
    {
      args: [timestamptz],
      ret: interval,
      volatile: true,
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
