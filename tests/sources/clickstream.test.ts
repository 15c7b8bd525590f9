/**
 * The clickstream generator: determinism by seed, resumption at an offset, event times on the
 * gap, value domains, skew, and its event limit.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CLICKSTREAM_TABLES, ClickstreamGenerator } from '../../runtime/sources/clickstream.js';
import { DEFAULT_BASE_TIME_MS } from '../../runtime/sources/nexmark.js';
import { GeneratorOptionError } from '../../runtime/sources/generator.js';
import type { Row } from '../../runtime/types/value.js';

function rows(g: ClickstreamGenerator, n: number): Row[] {
  return g.next(n).flatMap((b) => {
    expect(b.table).toBe('clicks');
    return b.rows;
  });
}

describe('clickstream generator', () => {
  test('one table, clicks(user_id, page, referrer, event_time)', () => {
    expect(CLICKSTREAM_TABLES.map((t) => [t.name, t.columns])).toEqual([
      ['clicks', ['user_id', 'page', 'referrer', 'event_time']],
    ]);
  });

  test('same seed, same rows; offset k equals skipping k', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(500), fc.nat(50), (k, n, seed) => {
        const skipped = new ClickstreamGenerator({}, { seed });
        skipped.next(k);
        const resumed = new ClickstreamGenerator({}, { seed, offset: k });
        expect(rows(resumed, n)).toEqual(rows(skipped, n));
        expect(resumed.offset).toBe(k + n);
      }),
      { seed: 99, numRuns: 40 },
    );
    expect(rows(new ClickstreamGenerator({}, { seed: 1 }), 100)).not.toEqual(
      rows(new ClickstreamGenerator({}, { seed: 2 }), 100),
    );
  });

  test('event times advance by the gap; real time reads the clock', () => {
    const all = rows(
      new ClickstreamGenerator({ 'clickstream.min.event.gap.in.ns': 250_000 }),
      4000,
    );
    all.forEach((r, k) =>
      expect(r[3]).toBe(BigInt(DEFAULT_BASE_TIME_MS + Math.round((k * 250_000) / 1e6)) * 1000n),
    );
    const clock = 1_900_000_000_000;
    const real = rows(
      new ClickstreamGenerator({ 'clickstream.use.real.time': true }, { now: () => clock }),
      3,
    );
    expect(real.map((r) => r[3])).toEqual([1, 2, 3].map(() => BigInt(clock) * 1000n));
  });

  test('users and pages are skewed towards a few', () => {
    const all = rows(new ClickstreamGenerator({ 'clickstream.users': 200 }, { seed: 4 }), 20_000);
    const users = new Map<bigint, number>();
    const pages = new Map<string, number>();
    for (const [user, page, referrer] of all) {
      expect(typeof user).toBe('bigint');
      expect(user as bigint).toBeGreaterThanOrEqual(1n);
      expect(user as bigint).toBeLessThanOrEqual(200n);
      expect(page).toMatch(/^\/[a-z/-]*$/);
      expect(referrer === null || typeof referrer === 'string').toBe(true);
      users.set(user as bigint, (users.get(user as bigint) ?? 0) + 1);
      pages.set(page as string, (pages.get(page as string) ?? 0) + 1);
    }
    const sorted = [...users.values()].sort((a, b) => b - a);
    // The busiest tenth of the users make well over a tenth of the views.
    const top = sorted.slice(0, 20).reduce((s, x) => s + x, 0);
    expect(top / all.length).toBeGreaterThan(0.25);
    expect(pages.get('/')! / all.length).toBeGreaterThan(pages.get('/about')! / all.length);
  });

  test('clickstream.event.num stops the stream; unknown options are refused', () => {
    const g = new ClickstreamGenerator({ 'clickstream.event.num': '10' });
    expect(rows(g, 7).length).toBe(7);
    expect(rows(g, 7).length).toBe(3);
    expect(g.done).toBe(true);
    expect(g.next(5)).toEqual([]);
    expect(() => new ClickstreamGenerator({ 'clickstream.rate': '5' })).toThrow(
      GeneratorOptionError,
    );
  });
});
