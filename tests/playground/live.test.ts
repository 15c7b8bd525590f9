/**
 * The playground engine's live views and file import, in Node. `pin` gives a view's rows and
 * then every later change once, in commit order, even with writes queued before and after it;
 * applying the changes to the snapshot gives the view's rows at the end. Import reads CSV and
 * JSON into new tables (types inferred) and existing ones (values cast to their types, a bad
 * value named by column and line, nothing written then).
 */
import { describe, expect, test } from 'vitest';
import { Sluice } from '../../runtime/index.js';
import { chartData, chartSpec, MAX_GROUPS, parseTime } from '../../playground/src/chart-data.js';
import { PlaygroundEngine } from '../../playground/src/engine.js';
import { LiveRows } from '../../playground/src/live-rows.js';
import type { Reply, ResultSet, TextChange } from '../../playground/src/protocol.js';

function memoryEngine(): PlaygroundEngine {
  return new PlaygroundEngine({
    open: async () => ({
      db: await Sluice.open({ storage: 'memory' }),
      info: { storage: 'memory', persistent: false },
    }),
    destroy: async () => undefined,
  });
}

function value<T>(r: Reply<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Rows of a column-major result set. */
function rowsOf(r: ResultSet): (string | null)[][] {
  return Array.from({ length: r.rowCount }, (_, i) => r.values.map((c) => c[i] ?? null));
}

/** A multiset of rows, keyed by their text. */
class Bag {
  readonly counts = new Map<string, number>();
  add(row: (string | null)[], k = 1): void {
    const key = JSON.stringify(row);
    const n = (this.counts.get(key) ?? 0) + k;
    if (n < 0) throw new Error(`deleted a row that is not there: ${key}`);
    if (n === 0) this.counts.delete(key);
    else this.counts.set(key, n);
  }
  apply(changes: TextChange[]): void {
    for (const c of changes) this.add(c.row, c.op === '+' || c.op === 'U+' ? 1 : -1);
  }
  sorted(): string[] {
    return [...this.counts.entries()].flatMap(([k, n]) => Array<string>(n).fill(k)).sort();
  }
}

async function sortedRows(e: PlaygroundEngine, sql: string): Promise<string[]> {
  return rowsOf(value(await e.query(sql)))
    .map((r) => JSON.stringify(r))
    .sort();
}

describe('pin', () => {
  test('the snapshot, then every later change once, in commit order', async () => {
    const e = memoryEngine();
    value(await e.ready());
    value(
      await e.execute(`CREATE TABLE ev (id BIGINT, grp VARCHAR, x INT);
        CREATE MATERIALIZED VIEW all_ev AS SELECT id, grp FROM ev;
        CREATE MATERIALIZED VIEW per_grp AS SELECT grp, count(*) AS n, sum(x) AS s FROM ev GROUP BY grp`),
    );
    const insert = (id: number): Promise<Reply<unknown>> =>
      e.execute(`INSERT INTO ev VALUES (${id}, 'g${id % 3}', ${id})`);
    // Writes queued before the pins, between them, and after, none awaited until the end.
    const writes: Promise<Reply<unknown>>[] = [];
    for (let id = 1; id <= 20; id++) writes.push(insert(id));
    const allBatches: TextChange[][] = [];
    const pinAll = e.pin('all_ev', (changes) => allBatches.push(changes));
    const groupBatches: TextChange[][] = [];
    for (let id = 21; id <= 30; id++) writes.push(insert(id));
    const pinGroups = e.pin('per_grp', (changes) => groupBatches.push(changes));
    for (let id = 31; id <= 60; id++) writes.push(insert(id));
    // A delete too: the pinned views lose rows, once.
    writes.push(e.execute('DELETE FROM ev WHERE id IN (5, 45)'));
    const [all, groups] = [value(await pinAll), value(await pinGroups)];
    for (const w of writes) value(await w);

    // The snapshot holds exactly the writes queued before the pin.
    const snapIds = rowsOf(all.snapshot).map((r) => Number(r[0]));
    expect(snapIds.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Each later insert arrives once, as its own batch, in the order the inserts committed,
    // then the delete.
    const described = allBatches.map((b) => b.map((c) => `${c.op}${c.row[0]}`).sort());
    expect(described).toEqual([
      ...Array.from({ length: 40 }, (_, i) => [`+${i + 21}`]),
      ['-45', '-5'],
    ]);
    // The aggregate view's snapshot counts inserts 1..30; each later write is one batch, and
    // applying them gives the view's final rows (the Bag throws if an old row was not there).
    const snapTotal = rowsOf(groups.snapshot).reduce((a, r) => a + Number(r[1]), 0);
    expect(snapTotal).toBe(30);
    expect(groupBatches).toHaveLength(31);
    for (const [pinned, batches, view] of [
      [all, allBatches, 'all_ev'],
      [groups, groupBatches, 'per_grp'],
    ] as const) {
      const bag = new Bag();
      for (const r of rowsOf(pinned.snapshot)) bag.add(r);
      for (const b of batches) bag.apply(b);
      expect(bag.sorted()).toEqual(await sortedRows(e, `SELECT * FROM ${view}`));
    }
    // Unpinned, nothing more arrives.
    await e.unsubscribe(all.id);
    await e.unsubscribe(groups.id);
    value(await insert(99));
    expect(allBatches).toHaveLength(41);
    expect(groupBatches).toHaveLength(31);
    await e.close();
  });

  test('a pinned view’s changes applied to its snapshot give its rows', async () => {
    const e = memoryEngine();
    value(
      await e.execute(`CREATE TABLE t (ts TIMESTAMP, x INT);
        CREATE MATERIALIZED VIEW w AS SELECT window_start, count(*) AS n, sum(x) AS total
        FROM TUMBLE(t, ts, INTERVAL '1 minute') GROUP BY window_start;
        INSERT INTO t VALUES ('2026-01-01 10:00:05', 1), ('2026-01-01 10:01:05', 2)`),
    );
    const bag = new Bag();
    const pinned = value(await e.pin('w', (changes) => bag.apply(changes)));
    expect(pinned.snapshot.columns.map((c) => c.name)).toEqual(['window_start', 'n', 'total']);
    for (const r of rowsOf(pinned.snapshot)) bag.add(r);
    const writes = [
      "INSERT INTO t VALUES ('2026-01-01 10:00:30', 10)",
      "INSERT INTO t VALUES ('2026-01-01 10:02:00', 5), ('2026-01-01 10:02:59', 6)",
      'DELETE FROM t WHERE x = 2',
      'UPDATE t SET x = x + 100 WHERE x = 1',
    ];
    for (const sql of writes) {
      value(await e.execute(sql));
      expect(bag.sorted()).toEqual(await sortedRows(e, 'SELECT * FROM w'));
    }
    expect(bag.sorted()).toEqual(
      [
        ['2026-01-01 10:00:00', '2', '111'],
        ['2026-01-01 10:02:00', '2', '11'],
      ]
        .map((r) => JSON.stringify(r))
        .sort(),
    );
    await e.unsubscribe(pinned.id);
    await e.close();
  });

  test('pinning what is not a materialized view fails and subscribes nothing', async () => {
    const e = memoryEngine();
    value(await e.execute('CREATE TABLE plain (x INT)'));
    const r = await e.pin('plain', () => undefined);
    expect(r.ok).toBe(false);
    const missing = await e.pin('nope', () => undefined);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.message).toContain('nope');
    await e.close();
  });
});

describe('the live panel’s model', () => {
  test('LiveRows kept by a pin’s batches matches the view, sorted, with changes marked', async () => {
    const e = memoryEngine();
    value(
      await e.execute(`CREATE TABLE t (ts TIMESTAMP, x INT);
        CREATE MATERIALIZED VIEW w AS SELECT window_start, count(*) AS n, sum(x) AS total
        FROM TUMBLE(t, ts, INTERVAL '1 minute') GROUP BY window_start;
        INSERT INTO t VALUES ('2026-01-01 10:03:00', 1), ('2026-01-01 10:01:00', 2)`),
    );
    // As the panel does: batches that come before the pin's reply wait for its rows.
    const box: { live?: LiveRows } = {};
    const pending: TextChange[][] = [];
    const pinned = value(await e.pin('w', (c) => (box.live ? box.live.apply(c) : pending.push(c))));
    const live = new LiveRows(pinned.snapshot.columns, pinned.snapshot);
    box.live = live;
    for (const c of pending) live.apply(c);
    const check = async (): Promise<void> => {
      const q = rowsOf(value(await e.query('SELECT * FROM w ORDER BY window_start')));
      // The panel's timestamps are UTC, as is this session's zone.
      expect(live.rows.map((r) => r.cells)).toEqual(q);
    };
    await check();
    expect(live.rows.map((r) => r.change)).toEqual(['snapshot', 'snapshot']);
    value(
      await e.execute(
        "INSERT INTO t VALUES ('2026-01-01 10:02:00', 3), ('2026-01-01 10:03:10', 4)",
      ),
    );
    await check();
    expect(live.rows.map((r) => r.change)).toEqual(['snapshot', 'inserted', 'updated']);
    expect(live.rows.map((r) => r.batch)).toEqual([0, 1, 1]);
    value(await e.execute('DELETE FROM t WHERE x IN (1, 2)'));
    await check();
    expect(live.rows).toHaveLength(2);
    await e.close();
  });

  test('a grouped window view charts one series per group, summed per window', async () => {
    const e = memoryEngine();
    const groups = Array.from({ length: MAX_GROUPS + 2 }, (_, i) => `g${i}`);
    const values = groups.flatMap((g, i) => [
      `('2026-01-01 10:00:${10 + i}', '${g}', ${i + 1})`,
      `('2026-01-01 10:01:${10 + i}', '${g}', ${10 * (i + 1)})`,
      `('2026-01-01 10:01:${30 + i}', '${g}', 1)`,
    ]);
    value(
      await e.execute(`CREATE TABLE s (ts TIMESTAMP, grp VARCHAR, v INT);
        CREATE MATERIALIZED VIEW per AS SELECT window_start, grp, sum(v) AS total
        FROM TUMBLE(s, ts, INTERVAL '1 minute') GROUP BY window_start, grp;
        INSERT INTO s VALUES ${values.join(', ')}`),
    );
    const pinned = value(await e.pin('per', () => undefined));
    const columns = pinned.snapshot.columns;
    const spec = chartSpec(columns);
    expect(spec).toEqual({ x: 0, values: [2], group: 1 });
    const data = chartData(spec!, columns, rowsOf(pinned.snapshot));
    // The expected sums come from SQL: per window, the first groups by name, the rest summed.
    const shown = groups.slice().sort().slice(0, MAX_GROUPS);
    const q = rowsOf(
      value(
        await e.query(
          `SELECT window_start, CASE WHEN grp IN (${shown.map((g) => `'${g}'`).join(', ')}) THEN grp ELSE 'other' END AS label, sum(total)
           FROM per GROUP BY 1, 2`,
        ),
      ),
    );
    const windows = [...new Set(q.map((r) => parseTime(r[0]!)!))].sort((a, b) => a - b);
    expect(data.x).toEqual(windows);
    expect(data.series.map((s) => s.label)).toEqual([...shown, 'other']);
    for (const s of data.series)
      expect(s.values).toEqual(
        windows.map((t) => {
          const r = q.find((row) => parseTime(row[0]!) === t && row[1] === s.label);
          return r ? Number(r[2]) : null;
        }),
      );
    // Without a text column, each numeric column is a series; without a time, no chart.
    expect(
      chartSpec([
        { name: 'window_end', type: 'timestamp with time zone', numeric: false },
        { name: 'n', type: 'bigint', numeric: true },
        { name: 'avg', type: 'double precision', numeric: true },
      ]),
    ).toEqual({ x: 0, values: [1, 2] });
    expect(chartSpec([{ name: 'n', type: 'bigint', numeric: true }])).toBeUndefined();
    expect(parseTime('2026-01-01 10:00:00+02')).toBe(Date.UTC(2026, 0, 1, 8) / 1000);
    expect(parseTime('2026-01-01')).toBe(Date.UTC(2026, 0, 1) / 1000);
    await e.close();
  });
});

describe('importFile', () => {
  const bytes = (s: string): ArrayBuffer => new TextEncoder().encode(s).buffer as ArrayBuffer;

  test('a CSV file makes a table with inferred types', async () => {
    const e = memoryEngine();
    const csv = [
      'Id,Score,Active,Seen At,Name,note',
      '1,2.5,true,2026-03-01 10:00:00,"Smith, J",',
      '2,3,FALSE,2026-03-01T11:30:00,"say ""hi""",""',
      '3,-1e3,false,2026-03-02,"two',
      'lines",x',
    ].join('\r\n');
    const r = value(await e.importFile('My Data (2).csv', bytes(csv)));
    expect(r).toEqual({
      table: 'my_data_2',
      created: true,
      rowCount: 3,
      columns: [
        { name: 'id', type: 'bigint' },
        { name: 'score', type: 'double precision' },
        { name: 'active', type: 'boolean' },
        { name: 'seen_at', type: 'timestamp without time zone' },
        { name: 'name', type: 'character varying' },
        { name: 'note', type: 'character varying' },
      ],
    });
    const q = value(
      await e.query(
        'SELECT id, score, active, seen_at, name, note, note IS NULL AS null_note FROM my_data_2 ORDER BY id',
      ),
    );
    expect(rowsOf(q)).toEqual([
      ['1', '2.5', 't', '2026-03-01 10:00:00', 'Smith, J', null, 't'],
      ['2', '3', 'f', '2026-03-01 11:30:00', 'say "hi"', '', 'f'],
      ['3', '-1000', 'f', '2026-03-02 00:00:00', 'two\r\nlines', 'x', 'f'],
    ]);
    await e.close();
  });

  test('JSON arrays and newline-delimited JSON, into new and existing tables', async () => {
    const e = memoryEngine();
    const json = JSON.stringify(
      [
        { sensor: 's1', reading: 21, ok: true, at: '2026-01-01T00:00:00Z', tags: ['a'] },
        { sensor: 's2', reading: 21.5, at: '2026-01-01T00:01:00Z', code: '007' },
      ],
      null,
      2,
    );
    const r = value(await e.importFile('readings.json', json));
    expect(r.columns).toEqual([
      { name: 'sensor', type: 'character varying' },
      { name: 'reading', type: 'double precision' },
      { name: 'ok', type: 'boolean' },
      { name: 'at', type: 'timestamp with time zone' },
      { name: 'tags', type: 'character varying' },
      // A JSON string stays text even when it looks like a number.
      { name: 'code', type: 'character varying' },
    ]);
    const ndjson = '{"sensor":"s3","reading":7,"code":"008"}\n\n{"reading":8,"ok":false}\n';
    const again = value(await e.importFile('readings.ndjson', ndjson));
    expect(again).toMatchObject({ table: 'readings', created: false, rowCount: 2 });
    const q = value(
      await e.query('SELECT sensor, reading, ok, at, tags, code FROM readings ORDER BY reading'),
    );
    expect(rowsOf(q)).toEqual([
      ['s3', '7', null, null, null, '008'],
      [null, '8', 'f', null, null, null],
      ['s1', '21', 't', '2026-01-01 00:00:00+00', '["a"]', null],
      ['s2', '21.5', null, '2026-01-01 00:01:00+00', null, '007'],
    ]);
    await e.close();
  });

  test('into an existing table, values take its types; a bad value names column and line', async () => {
    const e = memoryEngine();
    value(
      await e.execute('CREATE TABLE orders (id INT, amount NUMERIC(10,2), at DATE, note TEXT)'),
    );
    const ok = value(
      await e.importFile('orders.csv', 'id,amount,at\n1,9.999,2026-02-03\n2,10,2026-02-04\n'),
    );
    expect(ok).toMatchObject({ table: 'orders', created: false, rowCount: 2 });
    expect(rowsOf(value(await e.query('SELECT * FROM orders ORDER BY id')))).toEqual([
      ['1', '10.00', '2026-02-03', null],
      ['2', '10.00', '2026-02-04', null],
    ]);
    const bad = await e.importFile('orders.csv', 'id,amount\n3,1\n4,"1,5"\n5,2\n');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('22P02');
      expect(bad.error.message).toContain('column "amount"');
      expect(bad.error.message).toContain('line 3');
      expect(bad.error.message).toContain('"1,5"');
    }
    const badJson = await e.importFile('orders.json', '[{"id": 6},\n {"id": "six"}]');
    expect(badJson.ok).toBe(false);
    if (!badJson.ok) expect(badJson.error.message).toMatch(/column "id", line 2: .*"six"/);
    const unknown = await e.importFile('orders.csv', 'id,colour\n7,red\n');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.message).toContain('column "colour"');
    // None of the failed files wrote a row.
    expect(rowsOf(value(await e.query('SELECT count(*) FROM orders')))).toEqual([['2']]);
    await e.close();
  });

  test('malformed files fail with where the problem is', async () => {
    const e = memoryEngine();
    const ragged = await e.importFile('r.csv', 'a,b\n1,2\n3\n');
    expect(ragged.ok).toBe(false);
    if (!ragged.ok) expect(ragged.error.message).toContain('line 3 has 1 field, the header has 2');
    const quote = await e.importFile('q.csv', 'a\n"open\n');
    expect(quote.ok).toBe(false);
    if (!quote.ok) expect(quote.error.message).toContain('unterminated quoted field (line 2)');
    const nd = await e.importFile('n.jsonl', '{"a":1}\n{"a":\n');
    expect(nd.ok).toBe(false);
    if (!nd.ok) expect(nd.error.message).toContain('line 2');
    const other = await e.importFile('x.parquet', 'PAR1');
    expect(other.ok).toBe(false);
    // Nothing was created by any of them.
    const tables = value(await e.schema()).relations.map((r) => r.name);
    expect(tables.filter((n) => ['r', 'q', 'n', 'x'].includes(n))).toEqual([]);
    await e.close();
  });
});
