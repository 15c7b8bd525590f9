/** Interval input, output, arithmetic and timestamp arithmetic, checked against PostgreSQL 15. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Interval,
  parseInterval,
  timestampAddInterval,
  timestampDiff,
  timestamptzAddInterval,
} from '../../runtime/types/interval.js';
import {
  formatTimestamp,
  formatTimestamptz,
  parseTimestamp,
  parseTimestamptz,
} from '../../runtime/types/datetime.js';

const p = (s: string, unit?: string): string => parseInterval(s, unit).toString();

describe('interval', () => {
  it('reads and prints PostgreSQL intervals', () => {
    const cases: [string, string][] = [
      ['1 hour', '01:00:00'],
      ['2 days 03:00:00', '2 days 03:00:00'],
      ['1 year 2 mons', '1 year 2 mons'],
      ['P1DT2H', '1 day 02:00:00'],
      ['-1 day', '-1 days'],
      ['1:30', '01:30:00'],
      ['1.5 years', '1 year 6 mons'],
      ['1.5 months', '1 mon 15 days'],
      ['-1 day 02:00', '-1 days +02:00:00'],
      ['-00:00:01', '-00:00:01'],
      ['0.5 seconds', '00:00:00.5'],
      ['1 day ago', '-1 days'],
      ['@ 1 minute', '00:01:00'],
      ['10', '00:00:10'],
      ['1:30.5', '00:01:30.5'],
      ['1-2', '1 year 2 mons'],
      ['P1Y2M3W', '1 year 2 mons 21 days'],
      ['100 hours', '100:00:00'],
      ['-1 year 2 mons', '-10 mons'],
      ['0', '00:00:00'],
      ['1 day -1 second', '1 day -00:00:01'],
      ['1 02:00:00', '1 day 02:00:00'],
    ];
    for (const [input, out] of cases) expect(p(input), input).toBe(out);
    expect(new Interval(-13, 2, 5n).toString()).toBe('-1 years -1 mons +2 days 00:00:00.000005');
  });

  it('applies SQL interval qualifiers', () => {
    expect(p('1', 'minute')).toBe('00:01:00');
    expect(p('1:30', 'minute to second')).toBe('00:01:30');
    expect(p('1 day 2 hours', 'day')).toBe('1 day');
    expect(p('3', 'day')).toBe('3 days');
  });

  it('rejects bad input', () => {
    expect(() => parseInterval('soon')).toThrow('invalid input syntax for type interval: "soon"');
  });

  it('multiplies and divides with the fractional cascade', () => {
    expect(parseInterval('1.5 month').mul(3).toString()).toBe('3 mons 45 days');
    expect(parseInterval('1 day').div(3).toString()).toBe('08:00:00');
    expect(parseInterval('1 mon').mul(0.3).toString()).toBe('9 days');
    expect(parseInterval('1 hour').mul(2.5).toString()).toBe('02:30:00');
    expect(() => parseInterval('1 hour').div(0)).toThrow('division by zero');
  });

  it('orders by 30-day months and 24-hour days', () => {
    expect(parseInterval('1 mon').eq(parseInterval('30 days'))).toBe(true);
    expect(parseInterval('1 day').cmp(parseInterval('23:59:59'))).toBe(1);
    expect(parseInterval('1 day').justifyHours().toString()).toBe('1 day');
    expect(parseInterval('27 hours').justifyHours().toString()).toBe('1 day 03:00:00');
    expect(parseInterval('35 days').justifyDays().toString()).toBe('1 mon 5 days');
  });

  it('does timestamp arithmetic by the calendar', () => {
    const ts = (s: string): bigint => parseTimestamp(s);
    expect(formatTimestamp(timestampAddInterval(ts('2026-01-31'), parseInterval('1 mon')))).toBe(
      '2026-02-28 00:00:00',
    );
    expect(formatTimestamp(timestampAddInterval(ts('2024-02-29'), parseInterval('1 year')))).toBe(
      '2025-02-28 00:00:00',
    );
    expect(timestampDiff(ts('1970-01-04 00:00:00.000005'), ts('1970-01-01')).toString()).toBe(
      '3 days 00:00:00.000005',
    );
    expect(timestampDiff(ts('1970-01-01'), ts('1970-01-04 00:00:00.000005')).toString()).toBe(
      '-3 days -00:00:00.000005',
    );
    const zone = 'America/New_York';
    const t = parseTimestamptz('2026-03-07 12:00:00', { timeZone: zone });
    expect(formatTimestamptz(timestamptzAddInterval(t, parseInterval('1 day'), zone), zone)).toBe(
      '2026-03-08 12:00:00-04',
    );
    expect(
      formatTimestamptz(timestamptzAddInterval(t, parseInterval('24 hours'), zone), zone),
    ).toBe('2026-03-08 13:00:00-04');
  });

  it('output reads back to the same interval (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100000, max: 100000 }),
        fc.integer({ min: -100000, max: 100000 }),
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        (m, d, us) => {
          const iv = new Interval(m, d, us);
          const back = parseInterval(iv.toString());
          return back.months === m && back.days === d && back.micros === us;
        },
      ),
      { seed: 99, numRuns: 400 },
    );
  });
});
