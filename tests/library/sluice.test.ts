import { describe, expect, test } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import { Sluice } from '../../runtime/index.js';
import { Decimal } from '../../runtime/types/numeric.js';

describe('the embedding API', () => {
  test('execute, insert objects, query with parameters, subscribe to a view', async () => {
    const db = await Sluice.open({ storage: 'memory' });
    expect(await db.execute('CREATE TABLE t (k INT, v NUMERIC, at TIMESTAMPTZ)')).toEqual({
      command: 'CREATE TABLE',
      rowCount: 0,
    });
    await db.execute('CREATE MATERIALIZED VIEW m AS SELECT k, sum(v) AS total FROM t GROUP BY k');
    const seen: string[] = [];
    const stop = db.subscribe('m', (changes) =>
      seen.push(changes.map((c) => `${c.op} ${String(c.row[0])} ${String(c.row[1])}`).join('; ')),
    );
    expect(
      await db.insert('t', [
        { k: 1, v: 1.5, at: new Date('2026-04-02T07:27:00Z') },
        { k: 1, v: 2 },
      ]),
    ).toBe(2);
    await db.execute('INSERT INTO t VALUES ($1, $2, NULL)', [2, '0.25']);
    stop();
    await db.execute('INSERT INTO t VALUES (2, 1, NULL)');
    expect(seen).toEqual(['+ 1 3.5', '+ 2 0.25']);
    const r = await db.query('SELECT k, total FROM m WHERE k = $1', [2]);
    expect(r.columns.map((c) => c.name)).toEqual(['k', 'total']);
    expect(r.rows).toEqual([[2, Decimal.parse('1.25')]]);
    expect(r.table.numRows).toBe(1);
    expect(r.table.getChild('k')?.get(0)).toBe(2);
    await db.close();
  });

  test('insert an Arrow table: columns by name, views and subscribers see it', async () => {
    const db = await Sluice.open();
    await db.execute('CREATE TABLE ev (user_id BIGINT, kind VARCHAR, amount NUMERIC, note TEXT)');
    await db.execute(
      "CREATE MATERIALIZED VIEW spend AS SELECT user_id, count(*) FILTER (WHERE kind = 'buy') AS buys, sum(amount) AS total FROM ev GROUP BY user_id",
    );
    const seen: string[] = [];
    db.subscribe('spend', (cs) =>
      seen.push(cs.map((c) => `${c.op} ${c.row.join(',')}`).join('; ')),
    );
    const t = tableFromArrays({
      user_id: BigInt64Array.from([1n, 2n, 1n]),
      kind: ['buy', 'view', 'buy'],
      amount: Float64Array.from([1.5, 2, 0.25]),
    });
    expect(await db.insert('ev', t)).toBe(3);
    expect(seen).toEqual(['+ 1,2,1.75; + 2,0,2']);
    const r = await db.query('SELECT user_id, note FROM ev ORDER BY amount');
    expect(r.rows).toEqual([
      [1n, null],
      [1n, null],
      [2n, null],
    ]);
    await expect(
      db.insert('ev', tableFromArrays({ nope: Int32Array.from([1]) })),
    ).rejects.toMatchObject({ code: '42703' });
  });

  test('bad input is a PostgreSQL-style error and leaves the handle usable', async () => {
    const db = await Sluice.open();
    await expect(db.query('SELECT * FROM nope')).rejects.toMatchObject({ code: '42P01' });
    await expect(db.insert('nope', [])).rejects.toMatchObject({ code: '42P01' });
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([[1]]);
    // An option of no known form is refused by name (a JS caller is not type-checked).
    const bad = { disk: '/tmp/x' } as unknown as { dir: string };
    await expect(Sluice.open({ storage: bad })).rejects.toMatchObject({ code: '22023' });
  });
});
