/** Dates, times, timestamps and time zones against PostgreSQL 15's documented input and output. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as dt from '../../runtime/types/datetime.js';

const ny = { timeZone: 'America/New_York' };
const tz = (s: string, zone = 'America/New_York'): string =>
  dt.formatTimestamptz(dt.parseTimestamptz(s, { timeZone: zone }), zone);

function err(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return `${(e as { code: string }).code} ${(e as Error).message}`;
  }
  return 'no error';
}

describe('datetime', () => {
  it('converts civil dates', () => {
    expect(dt.daysFromCivil(1970, 1, 1)).toBe(0);
    expect(dt.daysFromCivil(2000, 3, 1)).toBe(11017);
    expect(dt.civilFromDays(-1)).toEqual({ year: 1969, month: 12, day: 31 });
    fc.assert(
      fc.property(fc.integer({ min: -2_000_000, max: 2_000_000 }), (n) => {
        const c = dt.civilFromDays(n);
        return dt.daysFromCivil(c.year, c.month, c.day) === n;
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it('parses and prints dates', () => {
    expect(dt.formatDate(dt.parseDate('2026-04-02'))).toBe('2026-04-02');
    expect(dt.formatDate(dt.parseDate('0044-03-15 BC'))).toBe('0044-03-15 BC');
    expect(dt.formatDate(dt.parseDate('Jan 2, 2020'))).toBe('2020-01-02');
    expect(dt.formatDate(dt.parseDate('1/2/2020'))).toBe('2020-01-02');
    expect(dt.formatDate(dt.parseDate('20200102'))).toBe('2020-01-02');
    expect(dt.formatDate(dt.parseDate('2026-04-02 10:00'))).toBe('2026-04-02');
    expect(dt.formatDate(dt.parseDate('infinity'))).toBe('infinity');
    expect(err(() => dt.parseDate('2026-02-30'))).toBe(
      '22008 date/time field value out of range: "2026-02-30"',
    );
    expect(err(() => dt.parseDate('nope'))).toBe(
      '22007 invalid input syntax for type date: "nope"',
    );
  });

  it('parses and prints times and timestamps', () => {
    expect(dt.formatTime(dt.parseTime('12:30'))).toBe('12:30:00');
    expect(dt.formatTime(dt.parseTime('23:59:60'))).toBe('24:00:00');
    expect(dt.formatTime(dt.parseTime('01:02:03.5'))).toBe('01:02:03.5');
    expect(dt.formatTime(dt.parseTime('1:02 pm'))).toBe('13:02:00');
    expect(dt.formatTimestamp(dt.parseTimestamp('epoch'))).toBe('1970-01-01 00:00:00');
    expect(dt.formatTimestamp(dt.parseTimestamp('2026-04-02 07:27:05 UTC'))).toBe(
      '2026-04-02 07:27:05',
    );
    expect(dt.formatTimestamp(dt.parseTimestamp('2020-01-01 24:00:00'))).toBe(
      '2020-01-02 00:00:00',
    );
    expect(dt.formatTimestamp(dt.parseTimestamp('2026-04-02T07:27:05.000001'))).toBe(
      '2026-04-02 07:27:05.000001',
    );
    expect(err(() => dt.parseTimestamp('abc'))).toBe(
      '22007 invalid input syntax for type timestamp: "abc"',
    );
    expect(err(() => dt.parseTimestamp('2026-04-02 25:00'))).toBe(
      '22008 date/time field value out of range: "2026-04-02 25:00"',
    );
  });

  it('handles time zones', () => {
    expect(tz('2026-04-02 07:27:05+00', 'UTC')).toBe('2026-04-02 07:27:05+00');
    expect(tz('2026-04-02T07:27:05Z', 'UTC')).toBe('2026-04-02 07:27:05+00');
    expect(tz('2026-04-02 07:27:00.5+00', '+05:30')).toBe('2026-04-02 12:57:00.5+05:30');
    expect(tz('2026-03-08 02:30:00')).toBe('2026-03-08 03:30:00-04');
    expect(tz('2026-11-01 01:30:00')).toBe('2026-11-01 01:30:00-05');
    expect(tz('1800-01-01')).toBe('1800-01-01 00:00:00-04:56:02');
    expect(tz('2026-04-02 07:27:05.5+05:30')).toBe('2026-04-01 21:57:05.5-04');
    expect(tz('2026-04-02 07:27:05', '-8')).toBe('2026-04-02 07:27:05-08');
    expect(tz('2026-04-02 07:27:05', 'UTC+8')).toBe('2026-04-02 07:27:05-08');
    expect(tz('2026-04-02 07:27:05 EST', 'UTC')).toBe('2026-04-02 12:27:05+00');
    expect(tz('2026-04-02 07:27:05-0830', 'UTC')).toBe('2026-04-02 15:57:05+00');
    expect(tz('2026-04-02 07:27:05 Asia/Kolkata', 'UTC')).toBe('2026-04-02 01:57:05+00');
    expect(tz('2026-04-02T07:27:05.1234567Z', 'UTC')).toBe('2026-04-02 07:27:05.123457+00');
    expect(dt.tzOffsetSeconds(0n, 'Asia/Tokyo')).toBe(9 * 3600);
    expect(err(() => dt.validateTimeZone('Mars/Base'))).toBe(
      '22023 time zone "Mars/Base" not recognized',
    );
  });

  it('localToUtc inverts utcToLocal away from transitions (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 4_000_000_000_000_000n }), (utc) => {
        const local = dt.utcToLocal(utc, ny.timeZone);
        const back = dt.localToUtc(local, ny.timeZone);
        // In the repeated fall-back hour, both instants print the same wall clock.
        return back === utc || dt.utcToLocal(back, ny.timeZone) === local;
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});
