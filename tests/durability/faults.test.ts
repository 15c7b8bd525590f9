/**
 * Storage faults: failing writes are retried until they succeed; while storage is down a
 * statement fails with 58030 after the commit timeout and reads keep working; when storage
 * returns, work resumes without a restart. Corrupt or missing objects are reported by name.
 */
import { describe, expect, it } from 'vitest';
import { Database } from '../../runtime/engine.js';
import { Durability } from '../../runtime/durability/durability.js';
import { MemoryObjectStore } from '../../runtime/storage/object-store.js';
import { SqlError } from '../../runtime/errors.js';

/** A memory store whose puts fail while `down` is set, or for the next `failPuts` calls. */
class FlakyStore extends MemoryObjectStore {
  down = false;
  failPuts = 0;
  putCalls = 0;
  override async put(name: string, data: Uint8Array): Promise<void> {
    this.putCalls++;
    if (this.down || this.failPuts-- > 0) throw new Error('injected: connection reset');
    return super.put(name, data);
  }
}

const fast = { retry: { initialDelayMs: 1, maxDelayMs: 5 } };

async function open(store: MemoryObjectStore, commitTimeoutMs = 30_000) {
  const db = new Database();
  const lines: string[] = [];
  const { durability } = await Durability.open(db, store, {
    ...fast,
    commitTimeoutMs,
    log: (l) => lines.push(l),
  });
  return { db, session: db.connect(), durability, lines };
}

const count = (db: Database): unknown =>
  db.connect().execute('SELECT count(*) FROM t').pop()!.rows![0]![0];

describe('storage faults', () => {
  it('retries failed writes until they succeed', async () => {
    const store = new FlakyStore();
    const a = await open(store);
    a.session.execute('CREATE TABLE t (k INT)');
    store.failPuts = 5;
    a.session.execute('INSERT INTO t VALUES (1)');
    await a.durability.waitDurable();
    expect(store.putCalls).toBeGreaterThanOrEqual(6);
    expect(a.lines.some((l) => l.includes('retrying'))).toBe(true);
    expect(count((await open(store)).db)).toBe(1n);
  });

  it('fails writes with 58030 while storage is down, keeps reads, resumes when it returns', async () => {
    const store = new FlakyStore();
    const a = await open(store, 50);
    a.session.execute('CREATE TABLE t (k INT)');
    await a.durability.waitDurable();
    store.down = true;
    a.session.execute('INSERT INTO t VALUES (1)');
    const err = await a.durability.waitDurable().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SqlError);
    expect((err as SqlError).code).toBe('58030');
    expect((err as SqlError).message).toMatch(/connection reset/);
    // Reads do not wait for storage.
    expect(count(a.db)).toBe(1n);
    store.down = false;
    a.session.execute('INSERT INTO t VALUES (2)');
    await a.durability.waitDurable();
    expect(a.lines.some((l) => l.includes('succeed again'))).toBe(true);
    // The write that timed out was still made durable once storage returned.
    expect(count((await open(store)).db)).toBe(2n);
  });

  it('a statement held behind a slow checkpoint on healthy storage waits, not fails', async () => {
    // Checkpoints take 200 ms to write, four times the commit timeout; storage never errs.
    class SlowCheckpoints extends MemoryObjectStore {
      override async put(name: string, data: Uint8Array): Promise<void> {
        if (name.startsWith('checkpoint/')) await new Promise((r) => setTimeout(r, 200));
        return super.put(name, data);
      }
    }
    const store = new SlowCheckpoints();
    const db = new Database();
    const { durability } = await Durability.open(db, store, {
      ...fast,
      commitTimeoutMs: 50,
      checkpointBytes: 1024,
    });
    const session = db.connect();
    session.execute('CREATE TABLE t (k INT, s VARCHAR)');
    for (let i = 0; i < 40; i++) {
      session.execute(`INSERT INTO t SELECT g, repeat('x', 20) FROM generate_series(1, 50) g`);
      // Every statement is acknowledged, however long it waited for the checkpoint ahead.
      await durability.waitDurable();
    }
    expect(durability.stats.checkpoints).toBeGreaterThan(1);
    expect(count((await open(store)).db)).toBe(2000n);
  });

  it('reports a corrupt log file by name and never reads it', async () => {
    const store = new MemoryObjectStore();
    const a = await open(store);
    a.session.execute('CREATE TABLE t (k INT)');
    a.session.execute('INSERT INTO t VALUES (1)');
    await a.durability.waitDurable();
    const [name] = await store.list('log/');
    const bytes = store.objects.get(name!)!;
    bytes[20] = bytes[20]! ^ 0xff;
    await expect(open(store)).rejects.toThrow(
      `stored object "${name}" is corrupt: checksum mismatch`,
    );
  });

  it('discards a torn last epoch (never acknowledged), refuses a torn one before others', async () => {
    const store = new MemoryObjectStore();
    const a = await open(store);
    a.session.execute('CREATE TABLE t (k INT)');
    await a.durability.waitDurable();
    a.session.execute('INSERT INTO t VALUES (1)');
    await a.durability.waitDurable();
    a.session.execute('INSERT INTO t VALUES (2)');
    await a.durability.waitDurable();
    const logs = await store.list('log/');
    const last = store.objects.get(logs[2]!)!;
    store.objects.set(logs[2]!, last.subarray(0, last.length - 5));
    const b = await open(store);
    expect(count(b.db)).toBe(1n);
    expect(b.lines.some((l) => l.includes(`discarding ${logs[2]}`))).toBe(true);
    expect(await store.list('log/')).toEqual(logs.slice(0, 2));
    // Recorded again from there, the log goes on without a gap.
    b.session.execute('INSERT INTO t VALUES (3)');
    await b.durability.waitDurable();
    expect(count((await open(store)).db)).toBe(2n);
    const mid = store.objects.get(logs[1]!)!;
    store.objects.set(logs[1]!, mid.subarray(0, 10));
    await expect(open(store)).rejects.toThrow(`stored object "${logs[1]}" is corrupt: truncated`);
  });

  it('falls back to the newest whole manifest when the newest is torn', async () => {
    const store = new MemoryObjectStore();
    const a = await open(store);
    a.session.execute('CREATE TABLE t (k INT)');
    a.session.execute('INSERT INTO t VALUES (1)');
    await a.durability.close();
    const [manifest] = await store.list('manifest/');
    // An interrupted write of the next manifest, as a store without atomic puts leaves it.
    await store.put('manifest/999999999999', new Uint8Array(0));
    const b = await open(store);
    expect(count(b.db)).toBe(1n);
    expect(b.lines.some((l) => l.includes('ignoring manifest/999999999999'))).toBe(true);
    expect(await store.list('manifest/')).toEqual([manifest]);
  });

  it('reports a gap in the log', async () => {
    const store = new MemoryObjectStore();
    const a = await open(store);
    a.session.execute('CREATE TABLE t (k INT)');
    await a.durability.waitDurable();
    a.session.execute('INSERT INTO t VALUES (1)');
    await a.durability.waitDurable();
    a.session.execute('INSERT INTO t VALUES (2)');
    await a.durability.waitDurable();
    const logs = await store.list('log/');
    expect(logs.length).toBe(3);
    await store.delete(logs[1]!);
    await expect(open(store)).rejects.toThrow(`stored object "${logs[1]}" is missing`);
  });

  it('groups statements recorded while a write is in flight into one epoch', async () => {
    const store = new MemoryObjectStore();
    const a = await open(store);
    a.session.execute('CREATE TABLE t (k INT)');
    await a.durability.waitDurable();
    const before = a.durability.stats.epochsWritten;
    const waits: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      a.session.execute(`INSERT INTO t VALUES (${i})`);
      waits.push(a.durability.waitDurable());
    }
    await Promise.all(waits);
    expect(a.durability.stats.epochsWritten - before).toBeLessThanOrEqual(2);
    expect(count((await open(store)).db)).toBe(50n);
  });
});
