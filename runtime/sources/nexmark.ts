/**
 * The Nexmark event generator: the online-auction stream of the Nexmark benchmark (people,
 * auctions and bids), following the standard generator's rules so that the Nexmark queries see
 * the data they were written for.
 *
 * - Kinds: of every 50 event ids, 1 is a person, 3 are auctions and 46 are bids (the
 *   `nexmark.*.proportion` options), in that order within the group.
 * - Ids: the k-th person has id `first.person.id + k`, the k-th auction `first.auction.id + k`.
 * - References: an auction's seller is, 3 times in 4, the "hot" person that opened the current
 *   block of 100 people, else one of the last `active.people` people or up to `person.id.lead`
 *   ids past the newest. A bid's auction is, 1 time in 2, the hot auction opening the current
 *   block of 100 auctions, else one of the last `in.flight.auctions` auctions or up to
 *   `auction.id.lead` ids past the newest; its bidder is, 3 times in 4, the hot bidder (the
 *   second person of the block of 100), else a recent person as for sellers. References may so
 *   point slightly ahead, to ids the stream is about to create, as the standard allows.
 * - Values: prices `round(10^(6u) * 100)` cents; reserve = initial bid + a price; categories
 *   `first.category.id + [0, num.categories)`; channels are one of four hot ones with their
 *   URLs 1 time in 2, else `channel-N` of 10,000; names, emails, card numbers, cities and
 *   states drawn from the configured lists; `extra` pads each record to its average byte size.
 * - Time: event `k` happens at `base.time + round(k * gap / 1e6)` ms, the gap being
 *   `nexmark.min.event.gap.in.ns` (or 1e9 / `nexmark.first.event.rate`); an auction expires
 *   1 ms to twice the time 100 auctions take after it opens. With `nexmark.use.real.time`
 *   event times are the wall clock instead. `out.of.order.group.size` > 1 shuffles ids and
 *   times within groups of that many events, as the standard does.
 *
 * Each event draws from a random generator keyed by the seed and its event id, so event `k`
 * depends on nothing before it: starting at offset `k` yields exactly what skipping `k` would.
 * Options carry RisingWave's connector names; the ones that only shape how RisingWave runs the
 * generator (`nexmark.split.num`, `nexmark.max.chunk.size`, `nexmark.threads`) are accepted
 * and have no effect. Rows match RisingWave's Nexmark tables (`person`, `auction`, `bid`).
 */
import type { Row } from '../types/value.js';
import {
  GeneratorOptionError,
  OptionReader,
  Rng,
  extraPadding,
  randomString,
  timestampFromMs,
  type EventGenerator,
  type GeneratedBatch,
  type GeneratedTable,
  type GeneratorOptions,
  type GeneratorStart,
  startOffset,
} from './generator.js';

export const NEXMARK_TABLES: readonly GeneratedTable[] = [
  {
    name: 'person',
    columns: ['id', 'name', 'email_address', 'credit_card', 'city', 'state', 'date_time', 'extra'],
    ddl: `CREATE TABLE person (
    "id" BIGINT,
    "name" VARCHAR,
    "email_address" VARCHAR,
    "credit_card" VARCHAR,
    "city" VARCHAR,
    "state" VARCHAR,
    "date_time" TIMESTAMP,
    "extra" VARCHAR,
    PRIMARY KEY (id)
)`,
  },
  {
    name: 'auction',
    columns: [
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
    ddl: `CREATE TABLE auction (
    "id" BIGINT,
    "item_name" VARCHAR,
    "description" VARCHAR,
    "initial_bid" BIGINT,
    "reserve" BIGINT,
    "date_time" TIMESTAMP,
    "expires" TIMESTAMP,
    "seller" BIGINT,
    "category" BIGINT,
    "extra" VARCHAR,
    PRIMARY KEY (id)
)`,
  },
  {
    name: 'bid',
    columns: ['auction', 'bidder', 'price', 'channel', 'url', 'date_time', 'extra'],
    ddl: `CREATE TABLE bid (
    "auction" BIGINT,
    "bidder" BIGINT,
    "price" BIGINT,
    "channel" VARCHAR,
    "url" VARCHAR,
    "date_time" TIMESTAMP,
    "extra" VARCHAR
)`,
  },
];

/** 2015-07-15 00:00:00 UTC, a fixed default so that a seed alone fixes every value. */
export const DEFAULT_BASE_TIME_MS = 1_436_918_400_000;

/** The generator's settings after defaults (RisingWave's option names in the comments). */
export interface NexmarkConfig {
  /** `nexmark.event.num`: events in all, or -1 for no limit. */
  eventNum: number;
  /** `nexmark.min.event.gap.in.ns`: event-time gap between consecutive events. */
  gapNs: number;
  /** `nexmark.use.real.time`: event times from the wall clock. */
  useRealTime: boolean;
  /** `nexmark.table.type`: only this table's rows (events of other kinds still count). */
  tableType: 'person' | 'auction' | 'bid' | null;
  baseTimeMs: number;
  activePeople: number;
  inFlightAuctions: number;
  outOfOrderGroupSize: number;
  avgPersonByteSize: number;
  avgAuctionByteSize: number;
  avgBidByteSize: number;
  hotSellerRatio: number;
  hotAuctionRatio: number;
  hotBidderRatio: number;
  hotChannelRatio: number;
  hotSellerRatio2: number;
  hotAuctionRatio2: number;
  hotBidderRatio2: number;
  firstEventId: number;
  firstEventNumber: number;
  numCategories: number;
  auctionIdLead: number;
  personIdLead: number;
  personProportion: number;
  auctionProportion: number;
  bidProportion: number;
  firstAuctionId: number;
  firstPersonId: number;
  firstCategoryId: number;
  usStates: readonly string[];
  usCities: readonly string[];
  firstNames: readonly string[];
  lastNames: readonly string[];
}

const HOT_CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'];
const CHANNELS = 10_000;

/** The generator's settings from `nexmark.*` options (RisingWave's names and defaults). */
export function nexmarkConfig(options: GeneratorOptions = {}): NexmarkConfig {
  const o = new OptionReader(options, 'nexmark');
  const pos = (key: string, fallback: number): number => o.int(key, fallback, 1);
  const eventNum = o.int('nexmark.event.num', -1, -1);
  const rate = o.int('nexmark.first.event.rate', o.int('nexmark.events.per.sec', 0, 1), 1);
  const nextRate = o.int('nexmark.next.event.rate', rate, 1);
  if (options['nexmark.next.event.rate'] !== undefined && nextRate !== rate)
    throw new GeneratorOptionError(
      'nexmark option nexmark.next.event.rate: only a constant event rate is supported',
    );
  const gapNs = o.int(
    'nexmark.min.event.gap.in.ns',
    rate > 0 ? Math.round(1e9 / rate) : 100_000,
    0,
  );
  const tableName = o.string('nexmark.table.type', '').trim().toLowerCase();
  if (tableName !== '' && !['person', 'auction', 'bid'].includes(tableName))
    throw new GeneratorOptionError(
      `nexmark option nexmark.table.type must be Person, Auction or Bid, got ${JSON.stringify(tableName)}`,
    );
  const config: NexmarkConfig = {
    eventNum,
    gapNs,
    useRealTime: o.bool('nexmark.use.real.time', false),
    tableType: tableName === '' ? null : (tableName as 'person' | 'auction' | 'bid'),
    baseTimeMs: o.int('nexmark.base.time', DEFAULT_BASE_TIME_MS),
    activePeople: pos('nexmark.active.people', 1000),
    inFlightAuctions: pos('nexmark.in.flight.auctions', 100),
    outOfOrderGroupSize: pos('nexmark.out.of.order.group.size', 1),
    avgPersonByteSize: o.int('nexmark.avg.person.byte.size', 200),
    avgAuctionByteSize: o.int('nexmark.avg.auction.byte.size', 500),
    avgBidByteSize: o.int('nexmark.avg.bid.byte.size', 100),
    hotSellerRatio: pos('nexmark.hot.seller.ratio', 4),
    hotAuctionRatio: pos('nexmark.hot.auction.ratio', 2),
    hotBidderRatio: pos('nexmark.hot.bidder.ratio', 4),
    hotChannelRatio: pos('nexmark.hot.channel.ratio', 2),
    hotSellerRatio2: pos('nexmark.hot.seller.ratio.2', 100),
    hotAuctionRatio2: pos('nexmark.hot.auction.ratio.2', 100),
    hotBidderRatio2: pos('nexmark.hot.bidder.ratio.2', 100),
    firstEventId: o.int('nexmark.first.event.id', 0),
    firstEventNumber: o.int('nexmark.first.event.number', 0),
    numCategories: pos('nexmark.num.categories', 5),
    auctionIdLead: o.int('nexmark.auction.id.lead', 10),
    personIdLead: o.int('nexmark.person.id.lead', 10),
    personProportion: pos('nexmark.person.proportion', 1),
    auctionProportion: pos('nexmark.auction.proportion', 3),
    bidProportion: pos('nexmark.bid.proportion', 46),
    firstAuctionId: o.int('nexmark.first.auction.id', 1000),
    firstPersonId: o.int('nexmark.first.person.id', 1000),
    firstCategoryId: o.int('nexmark.first.category.id', 10),
    usStates: o.list('nexmark.us.states', ['az', 'ca', 'id', 'or', 'wa', 'wy']),
    usCities: o.list('nexmark.us.cities', [
      'phoenix',
      'los angeles',
      'san francisco',
      'boise',
      'portland',
      'bend',
      'redmond',
      'seattle',
      'kent',
      'cheyenne',
    ]),
    firstNames: o.list('nexmark.first.names', [
      'peter',
      'paul',
      'luke',
      'john',
      'saul',
      'vicky',
      'kate',
      'julie',
      'sarah',
      'deiter',
      'walter',
    ]),
    lastNames: o.list('nexmark.last.names', [
      'shultz',
      'abrams',
      'spencer',
      'white',
      'bartels',
      'walton',
      'smith',
      'jones',
      'noris',
    ]),
  };
  // How RisingWave parallelises and batches the generator, and rate shapes (only a constant
  // rate is generated, so a shape has nothing to act on).
  o.ignore(
    'nexmark.split.num',
    'nexmark.max.chunk.size',
    'nexmark.threads',
    'nexmark.rate.shape',
    'nexmark.rate.period',
    'nexmark.sine.approx.steps',
    'nexmark.us.per.unit',
  );
  o.finish();
  return config;
}

export type NexmarkKind = 'person' | 'auction' | 'bid';

/** The Nexmark id arithmetic, shared by the generator and anyone checking its output. */
export class NexmarkIds {
  private readonly total: number;

  constructor(private readonly c: NexmarkConfig) {
    this.total = c.personProportion + c.auctionProportion + c.bidProportion;
  }

  kind(eventId: number): NexmarkKind {
    const rem = eventId % this.total;
    if (rem < this.c.personProportion) return 'person';
    if (rem < this.c.personProportion + this.c.auctionProportion) return 'auction';
    return 'bid';
  }

  /** The 0-based index of the newest person at or before event `eventId`. */
  lastPerson(eventId: number): number {
    const epoch = Math.floor(eventId / this.total);
    const offset = Math.min(eventId % this.total, this.c.personProportion - 1);
    return epoch * this.c.personProportion + offset;
  }

  /** The 0-based index of the newest auction at or before event `eventId` (-1: none yet). */
  lastAuction(eventId: number): number {
    let epoch = Math.floor(eventId / this.total);
    let offset = eventId % this.total;
    const p = this.c.personProportion;
    if (offset < p) {
      epoch--;
      offset = this.c.auctionProportion - 1;
    } else if (offset >= p + this.c.auctionProportion) offset = this.c.auctionProportion - 1;
    else offset -= p;
    return epoch * this.c.auctionProportion + offset;
  }

  /** The event id of the `offset`-th event (out-of-order groups permute ids). */
  eventId(offset: number): number {
    const n = this.c.outOfOrderGroupSize;
    const number = this.c.firstEventNumber + offset;
    const adjusted = n === 1 ? number : Math.floor(number / n) * n + ((number * 953) % n);
    return this.c.firstEventId + adjusted;
  }

  /** Event time (epoch ms) of event number `number`. */
  timestampMs(number: number): number {
    return this.c.baseTimeMs + Math.round((number * this.c.gapNs) / 1e6);
  }
}

export class NexmarkGenerator implements EventGenerator {
  readonly tables = NEXMARK_TABLES;
  readonly config: NexmarkConfig;
  private readonly ids: NexmarkIds;
  private readonly seed: number;
  private readonly now: () => number;
  private readonly rng = new Rng();
  private readonly hotUrls: string[];
  private readonly channelUrls = new Map<number, string>();
  private position: number;

  constructor(options: GeneratorOptions = {}, start: GeneratorStart = {}) {
    this.config = nexmarkConfig(options);
    this.ids = new NexmarkIds(this.config);
    this.seed = start.seed ?? 0;
    this.now = start.now ?? Date.now;
    this.position = startOffset(start);
    const urlRng = new Rng(this.seed, -1 >>> 0);
    this.hotUrls = HOT_CHANNELS.map(() => baseUrl(urlRng));
  }

  get offset(): number {
    return this.position;
  }

  get done(): boolean {
    return this.config.eventNum >= 0 && this.position >= this.config.eventNum;
  }

  next(n: number): GeneratedBatch[] {
    const limit = this.config.eventNum;
    const end =
      limit >= 0 ? Math.min(this.position + n, Math.max(limit, this.position)) : this.position + n;
    const people: Row[] = [];
    const auctions: Row[] = [];
    const bids: Row[] = [];
    const only = this.config.tableType;
    for (let k = this.position; k < end; k++) {
      const id = this.ids.eventId(k);
      const kind = this.ids.kind(id);
      if (only !== null && kind !== only) continue;
      const ms = this.config.useRealTime
        ? this.now()
        : this.ids.timestampMs(id - this.config.firstEventId);
      this.rng.reset(this.seed, id);
      if (kind === 'person') people.push(this.person(id, ms));
      else if (kind === 'auction') auctions.push(this.auction(id, ms));
      else bids.push(this.bid(id, ms));
    }
    this.position = Math.max(this.position, end);
    const out: GeneratedBatch[] = [];
    if (people.length > 0) out.push({ table: 'person', rows: people });
    if (auctions.length > 0) out.push({ table: 'auction', rows: auctions });
    if (bids.length > 0) out.push({ table: 'bid', rows: bids });
    return out;
  }

  /** A person index among the recent ones (or a few about to be created). */
  private recentPerson(eventId: number): number {
    const people = this.ids.lastPerson(eventId) + 1;
    const active = Math.min(people, this.config.activePeople);
    return people - active + this.rng.long(active + this.config.personIdLead);
  }

  private recentAuction(eventId: number): number {
    const last = this.ids.lastAuction(eventId);
    const min = Math.max(last - this.config.inFlightAuctions, 0);
    return min + this.rng.long(last - min + 1 + this.config.auctionIdLead);
  }

  private price(): bigint {
    return BigInt(Math.round(Math.pow(10, this.rng.double() * 6) * 100));
  }

  private person(eventId: number, ms: number): Row {
    const c = this.config;
    const r = this.rng;
    const name = `${r.pick(c.firstNames)} ${r.pick(c.lastNames)}`;
    const email = `${randomString(r, 7)}@${randomString(r, 5)}.com`;
    const card = [0, 1, 2, 3].map(() => String(r.int(10_000)).padStart(4, '0')).join(' ');
    const city = r.pick(c.usCities);
    const state = r.pick(c.usStates);
    const size = 8 + name.length + email.length + card.length + city.length + state.length;
    const extra = extraPadding(r, size, c.avgPersonByteSize);
    const id = BigInt(this.ids.lastPerson(eventId) + c.firstPersonId);
    return [id, name, email, card, city, state, timestampFromMs(ms), extra];
  }

  private auction(eventId: number, ms: number): Row {
    const c = this.config;
    const r = this.rng;
    const id = this.ids.lastAuction(eventId) + c.firstAuctionId;
    const itemName = randomString(r, 20);
    const description = randomString(r, 100);
    const initialBid = this.price();
    const reserve = initialBid + this.price();
    // Open for up to twice the time the next `in.flight.auctions` auctions take to appear.
    const number = eventId - c.firstEventId;
    const eventsForAuctions = Math.floor(
      (c.inFlightAuctions * (c.personProportion + c.auctionProportion + c.bidProportion)) /
        c.auctionProportion,
    );
    const horizon = this.ids.timestampMs(number + eventsForAuctions) - this.ids.timestampMs(number);
    const expires = ms + 1 + r.long(Math.max(horizon * 2, 1));
    const hotSeller = r.int(c.hotSellerRatio) > 0;
    const seller = hotSeller
      ? Math.floor(this.ids.lastPerson(eventId) / c.hotSellerRatio2) * c.hotSellerRatio2
      : this.recentPerson(eventId);
    const category = c.firstCategoryId + r.int(c.numCategories);
    const size = 8 + itemName.length + description.length + 8 + 8 + 8 + 8 + 8;
    const extra = extraPadding(r, size, c.avgAuctionByteSize);
    return [
      BigInt(id),
      itemName,
      description,
      initialBid,
      reserve,
      timestampFromMs(ms),
      timestampFromMs(expires),
      BigInt(seller + c.firstPersonId),
      BigInt(category),
      extra,
    ];
  }

  private bid(eventId: number, ms: number): Row {
    const c = this.config;
    const r = this.rng;
    const auction =
      r.int(c.hotAuctionRatio) > 0
        ? Math.floor(this.ids.lastAuction(eventId) / c.hotAuctionRatio2) * c.hotAuctionRatio2
        : this.recentAuction(eventId);
    const bidder =
      r.int(c.hotBidderRatio) > 0
        ? Math.floor(this.ids.lastPerson(eventId) / c.hotBidderRatio2) * c.hotBidderRatio2 + 1
        : this.recentPerson(eventId);
    const price = this.price();
    let channel: string;
    let url: string;
    if (r.int(c.hotChannelRatio) > 0) {
      const i = r.int(HOT_CHANNELS.length);
      channel = HOT_CHANNELS[i]!;
      url = this.hotUrls[i]!;
    } else {
      const k = r.int(CHANNELS);
      channel = `channel-${k}`;
      url = this.channelUrl(k);
    }
    const extra = extraPadding(r, 8 + 8 + 8 + 8, c.avgBidByteSize);
    return [
      BigInt(auction + c.firstAuctionId),
      BigInt(bidder + c.firstPersonId),
      price,
      channel,
      url,
      timestampFromMs(ms),
      extra,
    ];
  }

  /** The URL of a non-hot channel: fixed per channel (and seed). */
  private channelUrl(k: number): string {
    let url = this.channelUrls.get(k);
    if (url === undefined) {
      const rng = new Rng(this.seed ^ 0x5bd1e995, k);
      url = `${baseUrl(rng)}&channel_id=${reverseBits(k)}`;
      this.channelUrls.set(k, url);
    }
    return url;
  }
}

function baseUrl(rng: Rng): string {
  const part = (): string => randomString(rng, 5, '_');
  return `https://www.nexmark.com/${part()}/${part()}/${part()}/item.htm?query=1`;
}

/** The 31-bit reversal of a channel number: a channel id that looks unrelated to it. */
function reverseBits(k: number): number {
  let out = 0;
  for (let i = 0; i < 31; i++) out = out * 2 + ((k >>> i) & 1);
  return out;
}
