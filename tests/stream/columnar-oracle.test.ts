/**
 * The oracle for the columnar path: rows inserted as Arrow batches (`Session.insertArrow`) flow
 * through the views as columnar chunks — Wasm filters, TUMBLE, and the vectorised hash
 * aggregation — while UPDATE and DELETE take the row path. After every statement each view must
 * equal its defining query run as a batch query. Values reach the edges the vectorised code
 * special-cases: NULLs everywhere, int64 values beyond 2^53, decimals of several scales and
 * beyond int64, timestamps before 1970, Arrow columns of other types than the table's.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Decimal as ArrowDecimal,
  Float64,
  Int32,
  Int64,
  Table,
  TimestampMicrosecond,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { Database, type Session } from '../../runtime/engine.js';
import { SqlError } from '../../runtime/errors.js';
import { textRows } from './oracle.js';

const SETUP =
  'CREATE TABLE e (id bigint, k int, g bigint, s varchar, n numeric, ts timestamptz, d date)';

const VIEWS = [
  'SELECT k, count(*) AS c, sum(n) AS sn, max(ts) AS mt, min(g) AS mg, sum(g) AS sg FROM e GROUP BY k',
  "SELECT g, count(*) FILTER (WHERE s = 'purchase') AS c, sum(n) FILTER (WHERE s = 'purchase') AS r, max(ts) AS mt FROM e GROUP BY g",
  "SELECT window_start, window_end, count(*) AS c, sum(n) AS r FROM TUMBLE(e, ts, INTERVAL '1 hour') WHERE s = 'purchase' GROUP BY window_start, window_end",
  'SELECT k, g, sum(k) AS sk, count(n) AS cn, min(k) AS mk, max(id) AS mi, min(d) AS md FROM e WHERE k > 0 GROUP BY k, g',
  "SELECT * FROM e WHERE s <> 'a'",
  "SELECT id, s, n FROM e WHERE ts < '2024-01-01 01:00:00+00' AND k >= 1",
  'SELECT k, count(DISTINCT s) AS ds FROM e GROUP BY k',
  'SELECT s, sum(n) AS sn FROM e GROUP BY s',
  'SELECT k, min(n) AS mn, max(n) AS xn, min(s) AS ms, max(s) AS xs FROM e GROUP BY k',
  "SELECT s, sum(g * 2) AS s2, count(*) FILTER (WHERE s LIKE 'p%') AS cp, max(k + 1) AS mk FROM e WHERE k <> 0 GROUP BY s",
  'SELECT s, min(n) AS mn, max(n) AS xn, stddev_samp(k) AS sk FROM e WHERE k > 0 GROUP BY s',
  'SELECT s, k, avg(n) AS an, avg(g) AS ag, count(*) AS c, max(ts) AS mt FROM e WHERE k > 0 GROUP BY s, k',
  'SELECT count(*) AS c, sum(n) AS sn, max(g) AS mg FROM e',
  'SELECT k, sum(g) AS sg FROM e GROUP BY k HAVING count(*) > 1',
  "SELECT d, count(*) AS c FROM e WHERE d = '2024-01-02' GROUP BY d",
  'SELECT n, count(*) AS c, sum(g) AS sg, count(DISTINCT k) AS dk FROM e WHERE k > 0 GROUP BY n',
  'SELECT k, s, count(*) AS c, sum(n) AS sn, grouping(k, s) AS gr FROM e WHERE g <> 0 GROUP BY ROLLUP (k, s)',
  "SELECT k % 2 AS p, string_agg(s, ',' ORDER BY s) AS ss, sum(DISTINCT g) AS dg FROM e WHERE k <> 1 GROUP BY k % 2",
];

interface Ev {
  id: bigint | null;
  k: number | null;
  g: bigint | null;
  s: string | null;
  /** Unscaled value and scale, or null. */
  n: [bigint, number] | null;
  /** Microseconds since 1970. */
  ts: bigint | null;
  d: number | null;
}

const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 5, arbitrary: a }, { weight: 1, arbitrary: fc.constant(null) });

const evArb: fc.Arbitrary<Ev> = fc.record({
  id: maybe(fc.bigInt({ min: 0n, max: 20n })),
  k: maybe(fc.integer({ min: 0, max: 3 })),
  g: maybe(fc.constantFrom(-(2n ** 40n), -1n, 0n, 5n, 2n ** 60n, -(2n ** 62n))),
  s: maybe(fc.constantFrom('a', 'b', 'purchase', '', 'é€')),
  n: maybe(
    fc.tuple(
      fc.constantFrom(
        0n,
        150n,
        -225n,
        1010n,
        3333n,
        12345678901234n,
        10n ** 22n + 7n,
        -(10n ** 20n),
      ),
      fc.integer({ min: 0, max: 3 }),
    ),
  ),
  ts: maybe(
    fc.constantFrom(
      1_704_067_800_000_000n, // 2024-01-01 00:10
      1_704_070_200_000_000n, // 00:50
      1_704_072_000_000_000n, // 01:20
      1_704_081_600_000_000n, // 04:00
      -86_400_000_001n, // 1969-12-30 23:59:59.999999
    ),
  ),
  d: maybe(fc.constantFrom(19723, 19724, -1)),
});

/** One batch: how each column is handed over (the table's own Arrow type, or another one). */
interface Batch {
  rows: Ev[];
  kAsInt64: boolean;
  nAs: 'decimal' | 'float' | 'text';
  tsAsText: boolean;
}

const batchArb: fc.Arbitrary<Batch> = fc.record({
  rows: fc.array(evArb, { minLength: 0, maxLength: 12 }),
  kAsInt64: fc.boolean(),
  nAs: fc.constantFrom('decimal', 'decimal', 'float', 'text'),
  tsAsText: fc.boolean(),
});

type Step = { arrow: Batch } | { sql: string };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: batchArb.map((arrow) => ({ arrow })) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        'DELETE FROM e WHERE k = 1',
        "DELETE FROM e WHERE s = 'purchase' AND id < 5",
        'UPDATE e SET n = n + 1 WHERE k = 2',
        "UPDATE e SET ts = ts + INTERVAL '1 hour' WHERE g = 5",
        'UPDATE e SET k = NULL WHERE id = 3',
        "INSERT INTO e VALUES (1, 1, 5, 'purchase', 2.5, '2024-01-01 00:20:00+00', '2024-01-02')",
        'DELETE FROM e WHERE id > 10',
      )
      .map((sql) => ({ sql })),
  },
);

function decimalText(v: bigint, scale: number): string {
  const neg = v < 0n;
  let digits = (neg ? -v : v).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  }
  return neg ? `-${digits}` : digits;
}

function decimalVector(rows: Ev[]): Vector {
  // Arrow decimals have one scale per column: the batch's largest.
  const scale = Math.max(0, ...rows.map((r) => r.n?.[1] ?? 0));
  const n = rows.length;
  const words = new Uint32Array(4 * n);
  const valid = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  rows.forEach((r, i) => {
    if (!r.n) {
      nulls++;
      return;
    }
    valid[i >> 3]! |= 1 << (i & 7);
    let v = BigInt.asUintN(128, r.n[0] * 10n ** BigInt(scale - r.n[1]));
    for (let w = 0; w < 4; w++) {
      words[4 * i + w] = Number(v & 0xffffffffn);
      v >>= 32n;
    }
  });
  return makeVector(
    makeData({
      type: new ArrowDecimal(scale, 38, 128),
      length: n,
      nullCount: nulls,
      nullBitmap: valid,
      data: words,
    }),
  );
}

function arrowOf(b: Batch): Table {
  const r = b.rows;
  const n = r.length;
  const tsValues = new BigInt64Array(n);
  const tsValid = new Uint8Array((n + 7) >> 3);
  let tsNulls = 0;
  r.forEach((e, i) => {
    if (e.ts === null) tsNulls++;
    else {
      tsValues[i] = e.ts;
      tsValid[i >> 3]! |= 1 << (i & 7);
    }
  });
  const iso = (us: bigint) => new Date(Number(us / 1000n)).toISOString().replace('Z', '') + '+00';
  return new Table({
    id: vectorFromArray(
      r.map((e) => e.id),
      new Int64(),
    ),
    k: b.kAsInt64
      ? vectorFromArray(
          r.map((e) => (e.k === null ? null : BigInt(e.k))),
          new Int64(),
        )
      : vectorFromArray(
          r.map((e) => e.k),
          new Int32(),
        ),
    g: vectorFromArray(
      r.map((e) => e.g),
      new Int64(),
    ),
    s: vectorFromArray(
      r.map((e) => e.s),
      new Utf8(),
    ),
    n:
      b.nAs === 'decimal'
        ? decimalVector(r)
        : b.nAs === 'float'
          ? vectorFromArray(
              r.map((e) => (e.n ? Number(e.n[0]) / 10 ** e.n[1] : null)),
              new Float64(),
            )
          : vectorFromArray(
              r.map((e) => (e.n ? decimalText(e.n[0], e.n[1]) : null)),
              new Utf8(),
            ),
    ts: b.tsAsText
      ? vectorFromArray(
          r.map((e) => (e.ts === null ? null : iso(e.ts))),
          new Utf8(),
        )
      : makeVector(
          makeData({
            type: new TimestampMicrosecond(),
            length: n,
            nullCount: tsNulls,
            nullBitmap: tsValid,
            data: tsValues,
          }),
        ),
    // Dates as day numbers in an int column of the table's own Arrow type.
    d: vectorFromArray(
      r.map((e) => e.d),
      new Int32(),
    ),
  });
}

function check(session: Session, after: string): void {
  VIEWS.forEach((q, i) => {
    const got = textRows(session, `SELECT * FROM v${i}`);
    const want = textRows(session, q);
    if (got.join('\n') !== want.join('\n'))
      throw new Error(
        `view v${i} (${q}) differs after ${after}\n--- view\n${got.join('\n')}\n--- query\n${want.join('\n')}`,
      );
  });
}

function describeStep(s: Step): string {
  return 'sql' in s
    ? s.sql
    : `Arrow batch (k ${s.arrow.kAsInt64 ? 'int64' : 'int32'}, n ${s.arrow.nAs}, ts ${s.arrow.tsAsText ? 'text' : 'timestamp'}): ${JSON.stringify(s.arrow.rows, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`;
}

function run(steps: Step[], viewsFirst: boolean): void {
  const session = new Database().connect();
  session.execute(SETUP);
  const createViews = () =>
    VIEWS.forEach((q, i) => session.execute(`CREATE MATERIALIZED VIEW v${i} AS ${q}`));
  if (viewsFirst) createViews();
  steps.forEach((s, i) => {
    if ('sql' in s) session.execute(s.sql);
    else session.insertArrow('e', arrowOf(s.arrow));
    if (!viewsFirst && i === 1) createViews();
    if (viewsFirst || i >= 1) check(session, describeStep(s));
  });
}

describe('columnar chunks keep views equal to their queries', () => {
  for (const seed of [20261128, 99]) {
    it(`seed ${seed}`, () => {
      fc.assert(
        fc.property(fc.array(stepArb, { minLength: 1, maxLength: 10 }), fc.boolean(), run),
        { seed, numRuns: 150 },
      );
    });
  }

  it('decimals from Arrow keep their scale and exact value, including beyond 2^53', () => {
    const session = new Database().connect();
    session.execute(SETUP);
    session.execute('CREATE MATERIALIZED VIEW t AS SELECT k, sum(n) AS sn FROM e GROUP BY k');
    const rows: Ev[] = [
      [2n ** 60n + 3n, 2],
      [-(2n ** 53n) - 1n, 2],
      [5n, 2],
      [10n ** 25n + 1n, 2],
    ].map(([v, sc]) => ({
      id: 1n,
      k: 1,
      g: null,
      s: null,
      n: [v as bigint, sc as number],
      ts: null,
      d: null,
    }));
    session.insertArrow('e', arrowOf({ rows, kAsInt64: false, nAs: 'decimal', tsAsText: false }));
    const stored = session.execute('SELECT n::text FROM e')[0]!.rows!.map((r) => r[0]);
    expect(stored).toEqual(rows.map((r) => decimalText(r.n![0], 2)));
    const total = rows.reduce((a, r) => a + r.n![0], 0n);
    expect(session.execute('SELECT sn::text FROM t')[0]!.rows).toEqual([[decimalText(total, 2)]]);
  });

  it('rejects bad Arrow input whole, with PostgreSQL errors, and keeps the data', () => {
    const session = new Database().connect();
    session.execute(
      'CREATE TABLE c (a int NOT NULL, b varchar(3)); CREATE MATERIALIZED VIEW cv AS SELECT count(*) AS n FROM c',
    );
    const attempt = (t: Table): string => {
      try {
        session.insertArrow('c', t);
        return 'ok';
      } catch (e) {
        return e instanceof SqlError ? `${e.code} ${e.message}` : String(e);
      }
    };
    expect(attempt(new Table({ a: vectorFromArray([1, 2], new Int32()) }))).toBe('ok');
    expect(attempt(new Table({ a: vectorFromArray([1, null], new Int32()) }))).toBe(
      '23502 null value in column "a" of relation "c" violates not-null constraint',
    );
    expect(
      attempt(
        new Table({
          a: vectorFromArray([1], new Int32()),
          b: vectorFromArray(['toolong'], new Utf8()),
        }),
      ),
    ).toBe('22001 value too long for type character varying(3)');
    expect(attempt(new Table({ a: vectorFromArray([2n ** 40n], new Int64()) }))).toBe(
      '22003 integer out of range',
    );
    expect(attempt(new Table({ x: vectorFromArray([1], new Int32()) }))).toBe(
      '42703 column "x" of relation "c" does not exist',
    );
    expect(session.execute('SELECT n FROM cv')[0]!.rows).toEqual([[2n]]);
  });
});
