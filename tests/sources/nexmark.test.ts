/**
 * The Nexmark generator against the standard's rules: kind proportions in every 50 events,
 * consecutive ids, references that stay within the recent window (or the permitted lead),
 * event times on the configured gap, value domains and average record sizes; determinism by
 * seed, and resumption at an offset.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  DEFAULT_BASE_TIME_MS,
  NEXMARK_TABLES,
  NexmarkGenerator,
} from '../../runtime/sources/nexmark.js';
import { GeneratorOptionError, type GeneratedBatch } from '../../runtime/sources/generator.js';
import type { Row } from '../../runtime/types/value.js';

/** The events one at a time, each as [table, row], in event order. */
function events(g: NexmarkGenerator, n: number): [string, Row][] {
  const out: [string, Row][] = [];
  for (let i = 0; i < n; i++) {
    const b = g.next(1);
    expect(b.length).toBe(1);
    expect(b[0]!.rows.length).toBe(1);
    out.push([b[0]!.table, b[0]!.rows[0]!]);
  }
  return out;
}

function counts(batches: GeneratedBatch[]): Record<string, number> {
  const c: Record<string, number> = { person: 0, auction: 0, bid: 0 };
  for (const b of batches) c[b.table] = (c[b.table] ?? 0) + b.rows.length;
  return c;
}

const col = (table: string, name: string): number =>
  NEXMARK_TABLES.find((t) => t.name === table)!.columns.indexOf(name);

const ms = (v: unknown): number => Number((v as bigint) / 1000n);

describe('nexmark generator', () => {
  test('tables and columns are those of the Nexmark DDL', () => {
    expect(NEXMARK_TABLES.map((t) => [t.name, t.columns])).toEqual([
      [
        'person',
        ['id', 'name', 'email_address', 'credit_card', 'city', 'state', 'date_time', 'extra'],
      ],
      [
        'auction',
        [
          'id',
          'item_name',
          'description',
          'initial_bid',
          'reserve',
          'date_time',
          'expires',
          'seller',
          'category',
          'extra',
        ],
      ],
      ['bid', ['auction', 'bidder', 'price', 'channel', 'url', 'date_time', 'extra']],
    ]);
  });

  test('every 50 consecutive events are 1 person, 3 auctions and 46 bids', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1000), (offset, seed) => {
        const c = counts(new NexmarkGenerator({}, { seed, offset }).next(50));
        expect(c).toEqual({ person: 1, auction: 3, bid: 46 });
      }),
      { seed: 20260402, numRuns: 60 },
    );
  });

  test('within each group of 50: the person, then the auctions, then the bids', () => {
    const kinds = events(new NexmarkGenerator(), 150).map(([t]) => t);
    const group = ['person', 'auction', 'auction', 'auction', ...Array(46).fill('bid')];
    expect(kinds).toEqual([...group, ...group, ...group]);
  });

  test('proportions follow the options', () => {
    const g = new NexmarkGenerator({
      'nexmark.person.proportion': '2',
      'nexmark.auction.proportion': '3',
      'nexmark.bid.proportion': '5',
    });
    expect(counts(g.next(1000))).toEqual({ person: 200, auction: 300, bid: 500 });
  });

  test('person and auction ids are consecutive from 1000', () => {
    const batches = new NexmarkGenerator().next(5000);
    const ids = (t: string): bigint[] =>
      batches.filter((b) => b.table === t).flatMap((b) => b.rows.map((r) => r[0] as bigint));
    expect(ids('person')).toEqual(Array.from({ length: 100 }, (_, i) => BigInt(1000 + i)));
    expect(ids('auction')).toEqual(Array.from({ length: 300 }, (_, i) => BigInt(1000 + i)));
  });

  test('same seed, same events; another seed, other values', () => {
    const a = new NexmarkGenerator({}, { seed: 7 }).next(2000);
    const b = new NexmarkGenerator({}, { seed: 7 }).next(2000);
    const c = new NexmarkGenerator({}, { seed: 8 }).next(2000);
    expect(b).toEqual(a);
    expect(c.map((x) => x.rows.length)).toEqual(a.map((x) => x.rows.length));
    expect(c).not.toEqual(a);
  });

  test('starting at offset k yields what follows k skipped events, however batched', () => {
    fc.assert(
      fc.property(
        fc.nat(3000),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 5 }),
        fc.nat(100),
        (k, sizes, seed) => {
          const total = sizes.reduce((s, x) => s + x, 0);
          const skipped = new NexmarkGenerator({}, { seed });
          skipped.next(k);
          expect(skipped.offset).toBe(k);
          const expected = events(skipped, total);
          const resumed = new NexmarkGenerator({}, { seed, offset: k });
          const got: [string, Row][] = [];
          for (const n of sizes) {
            // Within one call rows are grouped by table; each group keeps event order.
            const batches = resumed.next(n);
            const slice = expected.slice(got.length, got.length + n);
            for (const b of batches)
              expect(b.rows).toEqual(slice.filter(([t]) => t === b.table).map(([, r]) => r));
            got.push(...slice);
          }
          expect(resumed.offset).toBe(k + total);
        },
      ),
      { seed: 4242, numRuns: 30 },
    );
  });

  test('references stay within the recent window and the permitted lead', () => {
    const lead = 10;
    const g = new NexmarkGenerator({}, { seed: 3 });
    let maxPerson = -1;
    let maxAuction = -1;
    let bids = 0;
    let bidsOnExisting = 0;
    let biddersExisting = 0;
    let sellersExisting = 0;
    let auctions = 0;
    for (const [t, r] of events(g, 30_000)) {
      if (t === 'person') maxPerson = Number(r[0]);
      else if (t === 'auction') {
        maxAuction = Number(r[0]);
        const seller = Number(r[col('auction', 'seller')]);
        auctions++;
        expect(seller).toBeGreaterThanOrEqual(Math.max(1000, maxPerson + 1 - 1000));
        expect(seller).toBeLessThanOrEqual(maxPerson + lead);
        if (seller <= maxPerson) sellersExisting++;
      } else {
        const auction = Number(r[col('bid', 'auction')]);
        const bidder = Number(r[col('bid', 'bidder')]);
        bids++;
        // No bid comes before the first auction.
        expect(maxAuction).toBeGreaterThanOrEqual(1000);
        expect(auction).toBeGreaterThanOrEqual(Math.max(1000, maxAuction - 100));
        expect(auction).toBeLessThanOrEqual(maxAuction + lead);
        expect(bidder).toBeGreaterThanOrEqual(Math.max(1000, maxPerson + 1 - 1000));
        expect(bidder).toBeLessThanOrEqual(maxPerson + lead);
        if (auction <= maxAuction) bidsOnExisting++;
        if (bidder <= maxPerson) biddersExisting++;
      }
    }
    // Hot auctions, sellers and bidders (the larger share) always exist already.
    expect(bidsOnExisting / bids).toBeGreaterThan(0.9);
    expect(sellersExisting / auctions).toBeGreaterThan(0.9);
    expect(biddersExisting / bids).toBeGreaterThan(0.75);
  });

  test('without a lead, sellers and auctions bid on exist when referenced', () => {
    const g = new NexmarkGenerator({ 'nexmark.person.id.lead': 0, 'nexmark.auction.id.lead': 0 });
    const people = new Set<bigint>();
    const auctions = new Set<bigint>();
    for (const [t, r] of events(g, 20_000)) {
      if (t === 'person') people.add(r[0] as bigint);
      else if (t === 'auction') {
        auctions.add(r[0] as bigint);
        expect(people.has(r[col('auction', 'seller')] as bigint)).toBe(true);
      } else expect(auctions.has(r[col('bid', 'auction')] as bigint)).toBe(true);
    }
  });

  test('event times advance by the gap from the base time', () => {
    for (const [options, gapNs] of [
      [{}, 100_000],
      [{ 'nexmark.min.event.gap.in.ns': '2500000', 'nexmark.base.time': '1700000000000' }, 2.5e6],
      [{ 'nexmark.first.event.rate': '500' }, 2e6],
    ] as const) {
      const base = Number(
        (options as Record<string, string>)['nexmark.base.time'] ?? DEFAULT_BASE_TIME_MS,
      );
      const all = events(new NexmarkGenerator(options), 3000);
      let prev = -Infinity;
      all.forEach(([t, r], k) => {
        const at = ms(r[col(t, 'date_time')]);
        expect(at).toBe(base + Math.round((k * gapNs) / 1e6));
        expect(at).toBeGreaterThanOrEqual(prev);
        prev = at;
        if (t === 'auction') expect(ms(r[col('auction', 'expires')])).toBeGreaterThan(at);
      });
    }
  });

  test('real time reads the injected clock', () => {
    let clock = 1_800_000_000_000;
    const g = new NexmarkGenerator({ 'nexmark.use.real.time': 'true' }, { now: () => clock++ });
    const rows = events(g, 5).map(([t, r]) => ms(r[col(t, 'date_time')]));
    expect(rows).toEqual([0, 1, 2, 3, 4].map((i) => 1_800_000_000_000 + i));
  });

  test('values lie in their domains and records average their configured sizes', () => {
    const batches = new NexmarkGenerator({}, { seed: 11 }).next(50_000);
    const rows = (t: string): Row[] => batches.find((b) => b.table === t)!.rows;
    // The standard's idealised record sizes: 8 bytes per number it counts, strings by length.
    const len = (r: Row, t: string, ...names: string[]): number =>
      names.reduce((s, n) => s + (r[col(t, n)] as string).length, 0);
    const sizes: Record<string, (r: Row) => number> = {
      person: (r) =>
        8 + len(r, 'person', 'name', 'email_address', 'credit_card', 'city', 'state', 'extra'),
      auction: (r) => 48 + len(r, 'auction', 'item_name', 'description', 'extra'),
      bid: (r) => 32 + len(r, 'bid', 'extra'),
    };
    const avg = (t: string): number =>
      rows(t).reduce((s, r) => s + sizes[t]!(r), 0) / rows(t).length;
    for (const p of rows('person')) {
      expect(p[col('person', 'credit_card')]).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
      expect(p[col('person', 'email_address')]).toMatch(/^[a-z ]*@[a-z ]*\.com$/);
      expect(['az', 'ca', 'id', 'or', 'wa', 'wy']).toContain(p[col('person', 'state')]);
      expect(p[col('person', 'name')]).toMatch(/^[a-z]+ [a-z]+$/);
    }
    for (const a of rows('auction')) {
      const initial = a[col('auction', 'initial_bid')] as bigint;
      expect(initial).toBeGreaterThanOrEqual(100n);
      expect(initial).toBeLessThanOrEqual(100_000_000n);
      expect(a[col('auction', 'reserve')] as bigint).toBeGreaterThan(initial);
      const category = Number(a[col('auction', 'category')]);
      expect(category).toBeGreaterThanOrEqual(10);
      expect(category).toBeLessThan(15);
    }
    let hot = 0;
    const channels = new Map<string, string>();
    for (const b of rows('bid')) {
      const channel = b[col('bid', 'channel')] as string;
      const url = b[col('bid', 'url')] as string;
      expect(channel).toMatch(/^(Google|Facebook|Baidu|Apple|channel-\d{1,4})$/);
      expect(url).toMatch(/^https:\/\/www\.nexmark\.com\/\w+\/\w+\/\w+\/item\.htm\?query=1/);
      if (!channel.startsWith('channel-')) hot++;
      // A channel always has the same URL.
      expect(channels.get(channel) ?? url).toBe(url);
      channels.set(channel, url);
    }
    expect(hot / rows('bid').length).toBeGreaterThan(0.45);
    expect(hot / rows('bid').length).toBeLessThan(0.55);
    for (const [t, want] of [
      ['person', 200],
      ['auction', 500],
      ['bid', 100],
    ] as const) {
      expect(avg(t), t).toBeGreaterThan(want * 0.97);
      expect(avg(t), t).toBeLessThan(want * 1.03);
    }
  });

  test('nexmark.event.num stops the stream; nexmark.table.type keeps one table', () => {
    const g = new NexmarkGenerator({ 'nexmark.event.num': '120', 'nexmark.split.num': '4' });
    expect(counts(g.next(100))).toEqual({ person: 2, auction: 6, bid: 92 });
    expect(g.done).toBe(false);
    expect(counts(g.next(100))).toEqual({ person: 1, auction: 3, bid: 16 });
    expect(g.done).toBe(true);
    expect(g.next(100)).toEqual([]);
    expect(g.offset).toBe(120);
    const bids = new NexmarkGenerator({ 'nexmark.table.type': 'Bid' }, { seed: 5 }).next(500);
    const all = new NexmarkGenerator({}, { seed: 5 }).next(500);
    expect(bids).toEqual(all.filter((b) => b.table === 'bid'));
  });

  test('bad options are refused by name', () => {
    expect(() => new NexmarkGenerator({ 'nexmark.min.event.gap': '5' })).toThrow(
      /unknown nexmark option: nexmark\.min\.event\.gap/,
    );
    expect(() => new NexmarkGenerator({ 'nexmark.event.num': 'ten' })).toThrow(
      GeneratorOptionError,
    );
    expect(() => new NexmarkGenerator({ 'nexmark.table.type': 'Seller' })).toThrow(/table\.type/);
    expect(() => new NexmarkGenerator({}, { offset: -1 })).toThrow(GeneratorOptionError);
  });
});
