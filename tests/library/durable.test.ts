/**
 * The library's durable storage options: a local folder, IndexedDB (fake-indexeddb's classes
 * installed as the globals a browser has) and any ObjectStore. Writes resolve once durable, and a
 * database opened again on the same storage has the tables and views.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { MemoryObjectStore, Sluice, type OpenOptions } from '../../runtime/index.js';

async function roundTrip(storage: OpenOptions['storage'], reopen = storage): Promise<void> {
  const a = await Sluice.open({ storage });
  await a.execute('CREATE TABLE t (k INT, v INT)');
  await a.execute('CREATE MATERIALIZED VIEW m AS SELECT k, sum(v) AS s FROM t GROUP BY k');
  await a.insert('t', [
    { k: 1, v: 2 },
    { k: 1, v: 3 },
    { k: 2, v: 4 },
  ]);
  await a.execute('DELETE FROM t WHERE v = 4');
  // Not closed: a crash. What the write methods resolved for is there.
  const b = await Sluice.open({ storage: reopen });
  expect((await b.query('SELECT k, s FROM m ORDER BY k')).rows).toEqual([[1, 5n]]);
  await b.insert('t', [{ k: 3, v: 1 }]);
  await b.close();
  const c = await Sluice.open({ storage: reopen });
  expect((await c.query('SELECT count(*) FROM m')).rows).toEqual([[2n]]);
  await c.close();
}

describe('library durable storage', () => {
  it('{ dir }: a local folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-lib-'));
    try {
      await roundTrip({ dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('{ indexedDb }: an IndexedDB database', async () => {
    await roundTrip({ indexedDb: 'sluice-library-test' });
  });

  it('{ store }: any object store', async () => {
    const store = new MemoryObjectStore();
    await roundTrip({ store });
    expect((await store.list('manifest/')).length).toBe(1);
  });

  it("'memory' keeps nothing", async () => {
    const a = await Sluice.open({ storage: 'memory' });
    await a.execute('CREATE TABLE t (k INT)');
    const b = await Sluice.open({ storage: 'memory' });
    await expect(b.query('SELECT * FROM t')).rejects.toThrow(/does not exist/);
  });
});
