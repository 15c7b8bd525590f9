/**
 * The playground's engine (what the worker exposes), in Node over a durable in-memory store:
 * scripts and their summaries, psql-formatted results, errors placed in the editor, the schema,
 * reopening, reset, subscriptions, and every example of the examples menu.
 */
import { describe, expect, test } from 'vitest';
import { MemoryObjectStore, Sluice } from '../../runtime/index.js';
import { PlaygroundEngine } from '../../playground/src/engine.js';
import { EXAMPLES } from '../../playground/src/examples.js';
import { errorRange, statementAt } from '../../playground/src/ranges.js';
import type { Reply, TextChange } from '../../playground/src/protocol.js';

function engineOn(box: { store: MemoryObjectStore }): PlaygroundEngine {
  return new PlaygroundEngine({
    open: async () => ({
      db: await Sluice.open({ storage: { store: box.store } }),
      info: { storage: 'memory', persistent: true },
    }),
    destroy: async () => {
      box.store = new MemoryObjectStore();
    },
  });
}

function value<T>(r: Reply<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('run', () => {
  test('summarises each statement and returns the last one’s rows as psql text', async () => {
    const e = engineOn({ store: new MemoryObjectStore() });
    value(await e.ready());
    const r = await e.run(
      `CREATE TABLE t (id BIGINT, amount NUMERIC, at TIMESTAMPTZ, note TEXT);
INSERT INTO t VALUES (1, 39.50, '2026-04-02 07:27:05+00', NULL), (2, 49.99, NULL, 'x');
SET TIME ZONE 'Europe/Paris';
SELECT id, amount + 0.01 AS amount, at, note FROM t ORDER BY id;`,
    );
    expect(r.error).toBeUndefined();
    expect(r.statements.map((s) => s.command)).toEqual([
      'CREATE TABLE',
      'INSERT 0 2',
      'SET',
      'SELECT 2',
    ]);
    expect(r.schemaChanged).toBe(true);
    expect(r.result?.columns).toEqual([
      { name: 'id', type: 'bigint', numeric: true },
      { name: 'amount', type: 'numeric', numeric: true },
      { name: 'at', type: 'timestamp with time zone', numeric: false },
      { name: 'note', type: 'text', numeric: false },
    ]);
    expect(r.result?.values).toEqual([
      ['1', '2'],
      ['39.51', '50.00'],
      ['2026-04-02 09:27:05+02', null],
      [null, 'x'],
    ]);
    // The script's offsets: the fourth statement starts after the third line.
    const script = 'SELECT 1;\n  SELECT 2';
    const two = await e.run(script, 100);
    expect(two.statements.map((s) => [s.from, s.to])).toEqual([
      [100, 108],
      [112, 120],
    ]);
  });

  test('a command last shows no rows; a RETURNING statement shows its rows', async () => {
    const e = engineOn({ store: new MemoryObjectStore() });
    const r = await e.run(
      'CREATE TABLE r (k INT); INSERT INTO r VALUES (1), (2) RETURNING k * 10 AS k10',
    );
    expect(r.statements.map((s) => s.command)).toEqual(['CREATE TABLE', 'INSERT 0 2']);
    expect(r.result?.values).toEqual([['10', '20']]);
    const c = await e.run('DELETE FROM r WHERE k = 1');
    expect(c.statements.map((s) => s.command)).toEqual(['DELETE 1']);
    expect(c.result).toBeUndefined();
  });

  test('errors carry SQLSTATE and an editor offset; earlier statements keep their effect', async () => {
    const e = engineOn({ store: new MemoryObjectStore() });
    const script = 'CREATE TABLE a (x INT);\nSELECT * FORM a;\nSELECT 1';
    const r = await e.run(script, 5);
    expect(r.statements.map((s) => s.command)).toEqual(['CREATE TABLE']);
    expect(r.result).toBeUndefined();
    expect(r.error).toMatchObject({ code: '42601', message: 'syntax error at or near "FORM"' });
    const doc = `${' '.repeat(5)}${script}`;
    expect(doc.slice(r.error!.position!, r.error!.position! + 4)).toBe('FORM');
    expect(doc.slice(r.error!.from, r.error!.to)).toBe('SELECT * FORM a');
    expect(r.schemaChanged).toBe(true);
    // A run-time error without a position marks its statement.
    const z = await e.run('SELECT 1/0');
    expect(z.error).toMatchObject({ code: '22012', position: undefined, from: 0, to: 10 });
    expect(errorRange('SELECT 1/0', z.error!)).toEqual({ from: 0, to: 10 });
    expect((await e.run('SELECT 2 AS two')).result?.values).toEqual([['2']]);
  });
});

describe('schema, reopen and reset', () => {
  test('lists relations with kinds and columns, keeps them across a reopen, and reset empties', async () => {
    const box = { store: new MemoryObjectStore() };
    const e = engineOn(box);
    const setup = await e.run(
      `CREATE TABLE t (k INT, v TEXT);
CREATE MATERIALIZED VIEW m AS SELECT k, count(*) AS n FROM t GROUP BY k;
CREATE VIEW w AS SELECT v FROM t;
INSERT INTO t VALUES (1, 'a'), (1, 'b');`,
    );
    expect(setup.error).toBeUndefined();
    const schema = value(await e.schema());
    expect(schema.relations).toEqual([
      {
        name: 'm',
        kind: 'materialized view',
        columns: [
          { name: 'k', type: 'integer' },
          { name: 'n', type: 'bigint' },
        ],
      },
      {
        name: 't',
        kind: 'table',
        columns: [
          { name: 'k', type: 'integer' },
          { name: 'v', type: 'text' },
        ],
      },
      { name: 'w', kind: 'view', columns: [{ name: 'v', type: 'text' }] },
    ]);
    await e.close();

    const again = engineOn(box);
    expect(value(await again.query('SELECT k, n FROM m')).values).toEqual([['1'], ['2']]);
    value(await again.reset());
    expect(value(await again.schema()).relations).toEqual([]);
    expect((await again.run('SELECT * FROM t')).error?.code).toBe('42P01');
    await again.close();
  });
});

describe('library calls', () => {
  test('execute, query with parameters, insert and subscribe', async () => {
    const e = engineOn({ store: new MemoryObjectStore() });
    expect(value(await e.execute('CREATE TABLE s (k INT, v NUMERIC)'))).toEqual({
      command: 'CREATE TABLE',
      rowCount: 0,
    });
    value(await e.execute('CREATE MATERIALIZED VIEW sm AS SELECT sum(v) AS total FROM s'));
    const seen: TextChange[][] = [];
    const id = value(await e.subscribe('sm', (c) => seen.push(c)));
    expect(
      value(
        await e.insert('s', [
          { k: 1, v: '2.50' },
          { k: 2, v: '1.25' },
        ]),
      ),
    ).toBe(2);
    expect(value(await e.query('SELECT k FROM s WHERE k = $1', [2])).values).toEqual([['2']]);
    // A global aggregate always has its one row: the insert updates it from NULL.
    expect(seen.flat()).toEqual([
      { op: 'U-', row: [null] },
      { op: 'U+', row: ['3.75'] },
    ]);
    await e.unsubscribe(id);
    const bad = await e.query('SELECT nope FROM s');
    expect(bad).toEqual({
      ok: false,
      error: { code: '42703', message: 'column "nope" does not exist', position: undefined },
    });
  });
});

describe('examples', () => {
  test.each(EXAMPLES.map((x) => [x.id, x] as const))(
    '%s runs on an empty database and ends with rows',
    async (_id, ex) => {
      const e = engineOn({ store: new MemoryObjectStore() });
      const r = await e.run(ex.sql);
      expect(r.error).toBeUndefined();
      expect(r.result?.rowCount).toBeGreaterThan(0);
    },
  );

  test('a source in the engine is read by the database itself', async () => {
    const e = engineOn({ store: new MemoryObjectStore() });
    const r = await e.run(EXAMPLES.find((x) => x.id === 'nexmark-source')!.sql);
    expect(r.error).toBeUndefined();
    const bids = async (): Promise<number> =>
      Number(
        value(await e.query('SELECT coalesce(sum(bids), 0) FROM nexmark_bids_10s')).values[0]![0],
      );
    for (let i = 0; i < 200 && (await bids()) === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await bids()).toBeGreaterThan(0);
    const schema = value(await e.schema());
    expect(schema.relations.find((x) => x.name === 'nexmark_events')?.kind).toBe('source');
    await e.close();
  });

  test('the statement at the cursor', () => {
    const script = 'SELECT 1;\n\nSELECT 2;  -- two\nSELECT 3';
    expect(statementAt(script, 0)?.text).toBe('SELECT 1');
    expect(statementAt(script, 9)?.text).toBe('SELECT 1');
    expect(statementAt(script, script.indexOf('2'))?.text).toBe('SELECT 2');
    expect(statementAt(script, script.indexOf('--'))?.text).toBe('SELECT 2');
    expect(statementAt(script, script.length)?.text).toBe('SELECT 3');
    expect(statementAt('  ', 1)).toBeUndefined();
  });
});
