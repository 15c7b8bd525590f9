/**
 * The datagen generator and connector: sequences that end the stream, random values within
 * their bounds, seeded and resumable (row k depends only on the options and k), struct and
 * array columns, option errors; and `CREATE TABLE ... WITH (connector = 'datagen')` read at
 * `datagen.rows.per.second` on an injected clock, its rows queryable and feeding views.
 */
import { describe, expect, test } from 'vitest';
import { Database } from '../../runtime/engine.js';
import { DatagenGenerator, type DatagenColumn } from '../../runtime/sources/datagen.js';
import { GeneratorOptionError } from '../../runtime/sources/generator.js';
import { T, arrayOf, type DataType } from '../../runtime/types/datatype.js';
import { Decimal } from '../../runtime/types/numeric.js';
import { StructValue, type Row } from '../../runtime/types/value.js';
import { parseTimestamp } from '../../runtime/types/datetime.js';
import { lines, manualLoop, offsetOf } from './helpers.js';

const cols = (...c: [string, DataType][]): DatagenColumn[] =>
  c.map(([name, type]) => ({ name, type }));

function all(g: DatagenGenerator, n: number): Row[] {
  return g.next(n).flatMap((b) => b.rows);
}

describe('datagen generator', () => {
  test('a sequence counts from start to end, then the stream is done', () => {
    const g = new DatagenGenerator('t', cols(['a', T.int4], ['b', T.int8], ['c', T.float8]), {
      'fields.a.kind': 'sequence',
      'fields.a.start': '5',
      'fields.a.end': '14',
      'fields.b.kind': 'sequence',
      'fields.b.start': '-3',
      'fields.c.kind': 'sequence',
      'fields.c.start': '1.5',
    });
    expect(g.limit).toBe(10);
    const rows = [...all(g, 4), ...all(g, 100)];
    expect(g.done).toBe(true);
    expect(g.offset).toBe(10);
    expect(all(g, 5)).toEqual([]);
    expect(rows.map((r) => r[0])).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(rows.map((r) => r[1])).toEqual([-3n, -2n, -1n, 0n, 1n, 2n, 3n, 4n, 5n, 6n]);
    expect(rows.map((r) => r[2])).toEqual([1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5]);
    // The default end is 32767.
    expect(
      new DatagenGenerator('t', cols(['a', T.int2]), { 'fields.a.kind': 'sequence' }).limit,
    ).toBe(32768);
  });

  test('random numbers stay within min and max and cover them', () => {
    const g = new DatagenGenerator(
      't',
      cols(
        ['i', T.int4],
        ['l', T.int8],
        ['f', T.float8],
        ['n', { kind: 'numeric', scale: 2, precision: 8 }],
        ['d', T.int2],
      ),
      {
        'fields.i.min': '-3',
        'fields.i.max': '3',
        'fields.l.min': '1000000000000',
        'fields.l.max': '1000000000009',
        'fields.f.min': '0.5',
        'fields.f.max': '0.75',
        'fields.n.min': '10',
        'fields.n.max': '20',
      },
    );
    expect(g.limit).toBe(Infinity);
    const rows = all(g, 2000);
    const ints = new Set(rows.map((r) => r[0]));
    expect([...ints].sort()).toEqual([-1, -2, -3, 0, 1, 2, 3].sort());
    const longs = new Set(rows.map((r) => r[1] as bigint));
    expect(longs.size).toBe(10);
    for (const v of longs) expect(v >= 1000000000000n && v <= 1000000000009n).toBe(true);
    for (const r of rows) {
      expect(r[2]).toBeGreaterThanOrEqual(0.5);
      expect(r[2]).toBeLessThan(0.75);
      const n = r[3] as Decimal;
      expect(n.cmp(Decimal.parse('10')) >= 0 && n.cmp(Decimal.parse('20')) <= 0).toBe(true);
      expect(n.scale).toBe(2);
      // Defaults: 0 to 32767.
      expect(r[4]).toBeGreaterThanOrEqual(0);
      expect(r[4]).toBeLessThanOrEqual(32767);
    }
  });

  test('row k depends only on the options and k; seeds and columns change the values', () => {
    const columns = cols(['a', T.int8], ['b', T.int8], ['s', T.varchar]);
    const options = { 'fields.a.max': '1000000', 'fields.b.max': '1000000' };
    const whole = all(new DatagenGenerator('t', columns, options), 300);
    const resumed = new DatagenGenerator('t', columns, options, { offset: 120 });
    expect([...all(resumed, 7), ...all(resumed, 173)]).toEqual(whole.slice(120));
    // Two columns with the same settings still differ.
    expect(whole.filter((r) => r[0] === r[1]).length).toBeLessThan(3);
    const reseeded = all(
      new DatagenGenerator('t', columns, { ...options, 'fields.a.seed': '7' }),
      300,
    );
    expect(reseeded.map((r) => r[1])).toEqual(whole.map((r) => r[1]));
    expect(reseeded.filter((r, i) => r[0] === whole[i]![0]).length).toBeLessThan(3);
    for (const r of whole) expect(r[2]).toMatch(/^[a-zA-Z0-9]{10}$/);
  });

  test('strings, booleans, timestamps, structs and arrays', () => {
    const base = parseTimestamp('2024-03-01 12:00:00');
    const g = new DatagenGenerator(
      't',
      cols(
        ['s', { kind: 'varchar', length: 4 }],
        ['b', T.boolean],
        ['ts', T.timestamp],
        [
          'st',
          {
            kind: 'struct',
            fields: [
              { name: 'x', type: T.int4 },
              { name: 'y', type: T.text },
            ],
          },
        ],
        ['arr', arrayOf(T.int4)],
      ),
      {
        'fields.s.length': '4',
        'fields.ts.max_past': '2 hours',
        'fields.ts.basetime': '2024-03-01 12:00:00',
        'fields.st.x.kind': 'sequence',
        'fields.st.x.start': '100',
        'fields.st.y.length': '2',
        'fields.arr.length': '3',
        'fields.arr._.kind': 'sequence',
        'fields.arr._.start': '1',
        'fields.arr._.end': '30',
      },
    );
    // The array's sequence of 30 elements fills 10 rows of 3.
    expect(g.limit).toBe(10);
    const rows = all(g, 50);
    expect(rows.length).toBe(10);
    expect(rows.map((r) => r[4])).toEqual(
      Array.from({ length: 10 }, (_, k) => [3 * k + 1, 3 * k + 2, 3 * k + 3]),
    );
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set([true, false]));
    rows.forEach((r, k) => {
      expect(r[0]).toMatch(/^[a-zA-Z0-9]{4}$/);
      const ts = r[2] as bigint;
      expect(ts <= base && ts >= base - 7_200_000_000n).toBe(true);
      const st = r[3] as StructValue;
      expect(st.fields[0]).toBe(100 + k);
      expect(st.fields[1]).toMatch(/^[a-zA-Z0-9]{2}$/);
    });
  });

  test('bad options are errors naming them', () => {
    const make =
      (options: Record<string, string>, type: DataType = T.int4) =>
      () =>
        new DatagenGenerator('t', cols(['a', type]), options);
    const fails = (f: () => unknown, code: string, message: RegExp) => {
      expect(f).toThrow(GeneratorOptionError);
      expect(f).toThrow(message);
      try {
        f();
      } catch (e) {
        expect((e as GeneratorOptionError).code).toBe(code);
      }
    };
    fails(
      make({ 'fields.a.kind': 'zigzag' }),
      '22023',
      /fields\.a\.kind must be 'random' or 'sequence'/,
    );
    fails(make({ 'fields.b.kind': 'random' }), '22023', /unknown datagen option: fields\.b\.kind/);
    fails(make({ 'fields.a.colour': 'red' }), '22023', /unknown datagen option: fields\.a\.colour/);
    fails(
      make({ 'fields.a.min': 'ten' }),
      '22023',
      /fields\.a\.min: invalid input syntax for type integer/,
    );
    fails(
      make({ 'fields.a.kind': 'sequence', 'fields.a.start': '9', 'fields.a.end': '1' }),
      '22023',
      /start must not be greater than fields\.a\.end/,
    );
    fails(
      make({ 'fields.a.max': '99999999999' }),
      '22023',
      /fields\.a\.max: .*out of range for type integer/,
    );
    fails(
      make({ 'datagen.rows.per.second': '0' }),
      '22023',
      /datagen\.rows\.per\.second must be an integer between 1/,
    );
    fails(
      make({ 'fields.a.kind': 'sequence' }, T.varchar),
      '0A000',
      /cannot generate sequence values of type character varying/,
    );
    fails(make({}, T.interval), '0A000', /cannot generate values of type interval/);
    // Parameters of another kind are accepted and ignored, as RisingWave does.
    expect(make({ 'fields.a.start': '1', 'fields.a.end': '5' })).not.toThrow();
  });
});

describe('datagen connector', () => {
  test('a datagen table is read at rows per second, stores its rows and feeds its views', async () => {
    const db = new Database();
    const s = db.connect();
    s.execute(`CREATE TABLE orders (
        id BIGINT PRIMARY KEY, qty INT, price NUMERIC, note VARCHAR, total NUMERIC AS qty * price
      ) WITH (
        connector = 'datagen',
        fields.id.kind = 'sequence', fields.id.start = '1', fields.id.end = '1000',
        fields.qty.min = '1', fields.qty.max = '5',
        fields.price.min = '10', fields.price.max = '20',
        fields.note.length = '3',
        datagen.rows.per.second = '20', datagen.split.num = '2'
      ) FORMAT PLAIN ENCODE JSON`);
    s.execute(
      'CREATE MATERIALIZED VIEW by_qty AS SELECT qty, count(*) AS n, sum(total) AS t FROM orders GROUP BY qty',
    );
    const { loop, advance } = manualLoop(db);
    expect(await advance(0)).toBe(0);
    expect(await advance(1000)).toBe(20);
    expect(await advance(250)).toBe(5);
    expect(await advance(10)).toBe(0);
    expect(await advance(40)).toBe(1);
    for (let i = 0; i < 3; i++) expect(await advance(1000)).toBe(20);
    expect(await advance(700)).toBe(14);
    expect(offsetOf(loop, 'orders')).toBe(100);
    expect(lines(s, 'SELECT count(*), min(id), max(id), count(DISTINCT id) FROM orders')).toEqual([
      '100|1|100|100',
    ]);
    expect(
      lines(
        s,
        'SELECT count(*) FROM orders WHERE qty BETWEEN 1 AND 5 AND price >= 10 AND price <= 20 AND length(note) = 3 AND total = qty * price',
      ),
    ).toEqual(['100']);
    expect(lines(s, 'SELECT * FROM by_qty')).toEqual(
      lines(s, 'SELECT qty, count(*) AS n, sum(total) AS t FROM orders GROUP BY qty'),
    );
    // A long stall owes at most a second's rows (no burst), and the sequence ends the stream.
    expect(await advance(3_600_000)).toBe(20);
    for (let i = 0; i < 60; i++) await advance(1000);
    expect(lines(s, 'SELECT count(*), max(id) FROM orders')).toEqual(['1000|1000']);
    expect(loop.status()[0]).toMatchObject({ offset: 1000, done: true, active: true });
    expect(await advance(1000)).toBe(0);
  });

  test('a datagen source feeds a view and is not stored', async () => {
    const db = new Database();
    const s = db.connect();
    s.execute(`CREATE SOURCE clicks (user_id INT, at TIMESTAMP)
      WITH (connector = 'datagen', fields.user_id.min = '1', fields.user_id.max = '3',
        fields.at.basetime = '2024-01-01 00:00:00', fields.at.max_past = '10 minutes',
        datagen.rows.per.second = '100')`);
    s.execute(
      'CREATE MATERIALIZED VIEW per_user AS SELECT user_id, count(*) AS n, min(at) AS first FROM clicks GROUP BY user_id',
    );
    const { advance } = manualLoop(db);
    await advance(0);
    expect(await advance(1000)).toBe(100);
    expect(await advance(1000)).toBe(100);
    const rows = lines(s, 'SELECT * FROM per_user');
    expect(rows.map((r) => r.split('|')[0])).toEqual(['1', '2', '3']);
    expect(rows.reduce((n, r) => n + Number(r.split('|')[1]), 0)).toBe(200);
    for (const r of rows) expect(r.split('|')[2]! >= '2023-12-31 23:50:00').toBe(true);
    expect(() => s.execute('SELECT * FROM clicks')).toThrow(
      expect.objectContaining({ code: '0A000' }),
    );
  });

  test('the datagen DDL of RisingWave suites is accepted', () => {
    const s = new Database().connect();
    s.execute("create source s1 (a int) with (connector='datagen')");
    s.execute(`CREATE TABLE t1 (v1 int, v2 int) with (connector='datagen', datagen.rows.per.second='1',
      fields.v1.kind = 'sequence', fields.v1.start = '1', fields.v2.end = '1000000')`);
    expect(lines(s, 'SHOW SOURCES')).toEqual(['s1']);
    expect(() =>
      s.execute("CREATE TABLE t2 (a INT) WITH (connector = 'datagen', fields.b.kind = 'random')"),
    ).toThrow(
      expect.objectContaining({ code: '22023', message: 'unknown datagen option: fields.b.kind' }),
    );
    expect(() => s.execute("CREATE SOURCE s2 WITH (connector = 'datagen')")).toThrow(
      expect.objectContaining({ code: '42P16' }),
    );
    expect(lines(s, 'SHOW TABLES')).toEqual(['t1']);
  });
});
