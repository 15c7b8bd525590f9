/**
 * The IndexedDB backend against fake-indexeddb. Each store gets its own IDBFactory (its own set of
 * databases), passed explicitly. `idb` checks objects with `instanceof` against the global
 * IndexedDB classes, so fake-indexeddb's classes are installed as globals for this file (but not
 * `indexedDB` itself: the stores are always given their factory).
 */
import {
  IDBCursor,
  IDBCursorWithValue,
  IDBDatabase,
  IDBFactory,
  IDBIndex,
  IDBKeyRange,
  IDBObjectStore,
  IDBOpenDBRequest,
  IDBRequest,
  IDBTransaction,
  IDBVersionChangeEvent,
} from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexedDbObjectStore } from '../../runtime/storage/indexeddb-store.js';
import { compareNames } from '../../runtime/storage/object-store.js';
import { objectStoreContract } from './object-store-contract.js';

const fakeClasses: Record<string, unknown> = {
  IDBCursor,
  IDBCursorWithValue,
  IDBDatabase,
  IDBFactory,
  IDBIndex,
  IDBKeyRange,
  IDBObjectStore,
  IDBOpenDBRequest,
  IDBRequest,
  IDBTransaction,
  IDBVersionChangeEvent,
};
const saved = new Map<string, PropertyDescriptor | undefined>();

beforeAll(() => {
  for (const [name, value] of Object.entries(fakeClasses)) {
    saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
});

afterAll(() => {
  for (const [name, d] of saved) {
    if (d) Object.defineProperty(globalThis, name, d);
    else Reflect.deleteProperty(globalThis, name);
  }
});

const bytes = (...v: number[]): Uint8Array => Uint8Array.from(v);

/** Deletes a database; fails (rather than hangs) if a connection to it is still open. */
function deleteDatabase(factory: IDBFactory, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const r = factory.deleteDatabase(name);
    r.onsuccess = () => resolve();
    r.onerror = () => reject(r.error);
    r.onblocked = () => reject(new Error(`deleting ${name} is blocked by an open connection`));
  });
}

let dbCounter = 0;

objectStoreContract('indexeddb (fake-indexeddb)', async () => {
  const factory = new IDBFactory();
  const name = `sluice-test-${++dbCounter}`;
  const store = await IndexedDbObjectStore.open(name, factory);
  return { store, cleanup: () => deleteDatabase(factory, name) };
});

describe('indexeddb store', () => {
  it('describes itself by database name', async () => {
    const s = await IndexedDbObjectStore.open('sluice-playground', new IDBFactory());
    expect(s.description).toBe('indexeddb:sluice-playground');
    await s.close();
  });

  it('keeps data across closing and reopening the same database', async () => {
    const factory = new IDBFactory();
    const a = await IndexedDbObjectStore.open('sluice-reopen', factory);
    await a.put('manifest/1', bytes(1, 2, 3));
    await a.put('log/0000000001', bytes(4));
    await a.put('gone', bytes(5));
    await a.delete('gone');
    await a.close();

    const b = await IndexedDbObjectStore.open('sluice-reopen', factory);
    expect(await b.get('manifest/1')).toEqual(bytes(1, 2, 3));
    expect(await b.get('log/0000000001')).toEqual(bytes(4));
    expect(await b.get('gone')).toBeNull();
    expect(await b.list('')).toEqual(['log/0000000001', 'manifest/1']);
    await b.close();
    // close() really closed both connections, or this would be blocked.
    await deleteDatabase(factory, 'sluice-reopen');
  });

  it('keeps databases with different names apart', async () => {
    const factory = new IDBFactory();
    const one = await IndexedDbObjectStore.open('sluice-one', factory);
    const two = await IndexedDbObjectStore.open('sluice-two', factory);
    await one.put('shared/name', bytes(1));
    await one.put('only/one', bytes(1));
    await two.put('shared/name', bytes(2));
    expect(await one.get('shared/name')).toEqual(bytes(1));
    expect(await two.get('shared/name')).toEqual(bytes(2));
    expect(await two.get('only/one')).toBeNull();
    expect(await one.list('')).toEqual(['only/one', 'shared/name']);
    expect(await two.list('')).toEqual(['shared/name']);
    await one.delete('shared/name');
    expect(await two.get('shared/name')).toEqual(bytes(2));
    await one.close();
    await two.close();
  });

  it('round-trips and lists names with unusual characters', async () => {
    const s = await IndexedDbObjectStore.open('sluice-chars', new IDBFactory());
    const under = [
      'log/ä€/\u0000x',
      'log/ä€/\u0000',
      'log/ä€/',
      'log/ä€/\uffff',
      'log/ä€/\uffffz',
      'log/ä€/😀', // a surrogate pair
      'log/ä€/\ud800', // a lone surrogate
      'log/ä€/a b\n"\'\\%*?',
    ];
    const outside = ['log/ä€', 'log/ä€0', 'log/ä€.', 'log/ä\u20ad', 'log/ä€\uffff', 'loh'];
    const all = [...under, ...outside];
    for (const [i, n] of all.entries()) await s.put(n, bytes(i, 0xff, i));
    for (const [i, n] of all.entries()) expect(await s.get(n)).toEqual(bytes(i, 0xff, i));

    expect(await s.list('log/ä€/')).toEqual([...under].sort(compareNames));
    expect(await s.list('log/ä€/\u0000')).toEqual(['log/ä€/\u0000', 'log/ä€/\u0000x']);
    // A prefix ending in U+FFFF has no upper bound short of the end of the key space.
    expect(await s.list('log/ä€/\uffff')).toEqual(['log/ä€/\uffff', 'log/ä€/\uffffz']);
    expect(await s.list('log/ä€\uffff')).toEqual(['log/ä€\uffff']);
    expect(await s.list('\uffff')).toEqual([]);
    expect(await s.list('')).toEqual([...all].sort(compareNames));
    await s.close();
  });

  it('stores only the bytes of a view into a larger buffer', async () => {
    const s = await IndexedDbObjectStore.open('sluice-view', new IDBFactory());
    const backing = bytes(0, 1, 2, 3, 4, 5, 6, 7);
    await s.put('v', backing.subarray(2, 5));
    const back = await s.get('v');
    expect(back).toEqual(bytes(2, 3, 4));
    expect(back!.byteOffset).toBe(0);
    expect(back!.buffer.byteLength).toBe(3);
    // Every get is a fresh copy.
    back![0] = 99;
    expect(await s.get('v')).toEqual(bytes(2, 3, 4));
    await s.close();
  });

  it.skipIf('indexedDB' in globalThis)(
    'says clearly when the environment has no indexedDB',
    async () => {
      await expect(IndexedDbObjectStore.open('sluice-none')).rejects.toThrow(/no indexedDB/);
    },
  );

  it('refuses a factory when the global IndexedDB classes are missing', async () => {
    const d = Object.getOwnPropertyDescriptor(globalThis, 'IDBRequest')!;
    Reflect.deleteProperty(globalThis, 'IDBRequest');
    try {
      await expect(IndexedDbObjectStore.open('sluice-x', new IDBFactory())).rejects.toThrow(
        /global IndexedDB classes/,
      );
    } finally {
      Object.defineProperty(globalThis, 'IDBRequest', d);
    }
  });
});
