/**
 * The seed scenario's events for the end-to-end benchmarks: one generator, as SQL INSERT text
 * and as Arrow tables (amount as Decimal128(18, 2), ts as microsecond timestamps), so every
 * engine gets identical data.
 */
import { readFileSync } from 'node:fs';
import {
  Decimal as ArrowDecimal,
  Int64,
  Table,
  TimestampMicrosecond,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
} from 'apache-arrow';

export const seedSql = readFileSync(
  new URL('../../shared/scenarios/seed_revenue.sql', import.meta.url),
  'utf8',
);
/** The seed's SET, CREATE TABLE and both CREATE MATERIALIZED VIEWs. */
export const seedDdl = seedSql.slice(0, seedSql.indexOf('INSERT INTO'));

const TYPES = ['view', 'purchase', 'cart'];

export interface Ev {
  id: number;
  user: number;
  type: string;
  cents: number | null;
  /** Seconds since the epoch. */
  ts: number;
}

/** Events `from` .. `from + n - 1`: 1,000 users, 3 event types, 10% NULL amounts, 10 per second. */
export function events(n: number, from = 0): Ev[] {
  const out: Ev[] = [];
  for (let i = from; i < from + n; i++) {
    out.push({
      id: i + 1,
      user: 100 + ((i * 7919) % 1000),
      type: TYPES[i % 3]!,
      cents: i % 10 === 0 ? null : 100 + ((i * 37) % 10000),
      ts: 1_775_000_000 + Math.floor(i / 10),
    });
  }
  return out;
}

const money = (c: number | null) =>
  c === null ? 'NULL' : `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;

export function insertSql(evs: Ev[]): string {
  return `INSERT INTO fcluster_events VALUES ${evs
    .map((e) => `(${e.id},${e.user},'${e.type}',${money(e.cents)},to_timestamp(${e.ts}))`)
    .join(',')}`;
}

export function arrowTable(evs: Ev[]): Table {
  const n = evs.length;
  const words = new Uint32Array(4 * n);
  const valid = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  evs.forEach((e, i) => {
    if (e.cents === null) nulls++;
    else {
      words[4 * i] = e.cents;
      valid[i >> 3]! |= 1 << (i & 7);
    }
  });
  const amount = makeVector(
    makeData({
      type: new ArrowDecimal(2, 18, 128),
      length: n,
      nullCount: nulls,
      nullBitmap: valid,
      data: words,
    }),
  );
  const ts = new BigInt64Array(n);
  evs.forEach((e, i) => (ts[i] = BigInt(e.ts) * 1_000_000n));
  return new Table({
    event_id: vectorFromArray(
      BigInt64Array.from(evs, (e) => BigInt(e.id)),
      new Int64(),
    ),
    user_id: vectorFromArray(
      BigInt64Array.from(evs, (e) => BigInt(e.user)),
      new Int64(),
    ),
    event_type: vectorFromArray(
      evs.map((e) => e.type),
      new Utf8(),
    ),
    amount,
    ts: makeVector(makeData({ type: new TimestampMicrosecond(), length: n, data: ts })),
  });
}
