/**
 * A clickstream generator: page views of a small web shop, one row per view in
 * `clicks(user_id, page, referrer, event_time)`. Users and pages are skewed (a few are much
 * busier than the rest), so grouped and windowed views over the stream have leaders to show.
 *
 * Options, named like the Nexmark ones: `clickstream.event.num` (events in all, -1 for no
 * limit), `clickstream.min.event.gap.in.ns` (event-time gap, default 1 ms),
 * `clickstream.base.time` (epoch ms of event 0), `clickstream.use.real.time` (event times
 * from the wall clock), `clickstream.users` (distinct users, default 1000). Each event draws
 * from a random generator keyed by the seed and its offset, so starting at offset `k` yields
 * exactly what skipping `k` events would.
 */
import type { Row } from '../types/value.js';
import {
  OptionReader,
  Rng,
  timestampFromMs,
  type EventGenerator,
  type GeneratedBatch,
  type GeneratedTable,
  type GeneratorOptions,
  type GeneratorStart,
  startOffset,
} from './generator.js';
import { DEFAULT_BASE_TIME_MS } from './nexmark.js';

export const CLICKSTREAM_TABLES: readonly GeneratedTable[] = [
  {
    name: 'clicks',
    columns: ['user_id', 'page', 'referrer', 'event_time'],
    ddl: `CREATE TABLE clicks (
    "user_id" BIGINT,
    "page" VARCHAR,
    "referrer" VARCHAR,
    "event_time" TIMESTAMP
)`,
  },
];

/** Pages, busiest first (the draw favours the front of the list). */
const PAGES = [
  '/',
  '/products',
  '/search',
  '/cart',
  '/products/espresso-machine',
  '/products/grinder',
  '/products/kettle',
  '/checkout',
  '/blog/brewing-guide',
  '/products/scale',
  '/account',
  '/blog/roast-levels',
  '/help',
  '/about',
];

/** External referrers, busiest first; `null` is a direct visit. */
const REFERRERS: readonly (string | null)[] = [
  null,
  'google.com',
  'instagram.com',
  'newsletter',
  'news.ycombinator.com',
  'bing.com',
  'reddit.com',
];

export interface ClickstreamConfig {
  eventNum: number;
  gapNs: number;
  baseTimeMs: number;
  useRealTime: boolean;
  users: number;
}

export function clickstreamConfig(options: GeneratorOptions = {}): ClickstreamConfig {
  const o = new OptionReader(options, 'clickstream');
  const config: ClickstreamConfig = {
    eventNum: o.int('clickstream.event.num', -1, -1),
    gapNs: o.int('clickstream.min.event.gap.in.ns', 1_000_000),
    baseTimeMs: o.int('clickstream.base.time', DEFAULT_BASE_TIME_MS),
    useRealTime: o.bool('clickstream.use.real.time', false),
    users: o.int('clickstream.users', 1000, 1),
  };
  o.finish();
  return config;
}

/** An index in [0, n) favouring small ones: the square of a uniform draw. */
function skewed(rng: Rng, n: number): number {
  const u = rng.double();
  return Math.floor(u * u * n);
}

export class ClickstreamGenerator implements EventGenerator {
  readonly tables = CLICKSTREAM_TABLES;
  readonly config: ClickstreamConfig;
  private readonly seed: number;
  private readonly now: () => number;
  private readonly rng = new Rng();
  private position: number;

  constructor(options: GeneratorOptions = {}, start: GeneratorStart = {}) {
    this.config = clickstreamConfig(options);
    this.seed = start.seed ?? 0;
    this.now = start.now ?? Date.now;
    this.position = startOffset(start);
  }

  get offset(): number {
    return this.position;
  }

  get done(): boolean {
    return this.config.eventNum >= 0 && this.position >= this.config.eventNum;
  }

  next(n: number): GeneratedBatch[] {
    const c = this.config;
    const end =
      c.eventNum >= 0
        ? Math.min(this.position + n, Math.max(c.eventNum, this.position))
        : this.position + n;
    const rows: Row[] = [];
    const r = this.rng;
    for (let k = this.position; k < end; k++) {
      r.reset(this.seed, k);
      const user = BigInt(1 + skewed(r, c.users));
      const page = PAGES[skewed(r, PAGES.length)]!;
      // One view in three follows a link from another page of the shop.
      const referrer =
        r.int(3) === 0
          ? `shop.example${PAGES[r.int(PAGES.length)]!}`
          : REFERRERS[skewed(r, REFERRERS.length)]!;
      const ms = c.useRealTime ? this.now() : c.baseTimeMs + Math.round((k * c.gapNs) / 1e6);
      rows.push([user, page, referrer, timestampFromMs(ms)]);
    }
    this.position = Math.max(this.position, end);
    return rows.length > 0 ? [{ table: 'clicks', rows }] : [];
  }
}
