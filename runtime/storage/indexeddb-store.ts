/**
 * The IndexedDB backend of the storage interface (the browser playground). One database per
 * Sluice instance, named by the user (e.g. `sluice-playground`), holding one object store
 * `objects` whose keys are object names and whose values are ArrayBuffer copies of the bytes.
 *
 * How it keeps the contract: every put is its own readwrite transaction, and an IndexedDB
 * transaction commits whole or not at all, so a reader sees the old object or the new one, never
 * part of one. A put resolves only on the transaction's `complete` event (`tx.done`), asked for
 * with durability 'strict' (the data is flushed to disk before `complete`; browsers that do not
 * know the option ignore it and use their own default). Keys are compared by UTF-16 code unit,
 * the order `compareNames` uses, and `list` asks for the exact key range of a prefix.
 *
 * Platform-neutral: standard web APIs and `idb` only. `idb` recognises IndexedDB objects by
 * `instanceof` against the global classes (`IDBRequest`, `IDBTransaction`, ...), so a factory
 * passed to `open` must come from the implementation those globals belong to (under Node, install
 * fake-indexeddb's classes as globals); `open` refuses one that does not, rather than let puts
 * resolve before their transaction has committed.
 */
import { wrap, type DBSchema, type IDBPDatabase } from 'idb';
import { SqlError, SqlState } from '../errors.js';
import { compareNames, type ObjectStore } from './object-store.js';

const STORE = 'objects';

interface SluiceDb extends DBSchema {
  objects: { key: string; value: ArrayBuffer };
}

export class IndexedDbObjectStore implements ObjectStore {
  readonly description: string;

  private constructor(
    readonly dbName: string,
    private readonly db: IDBPDatabase<SluiceDb>,
    private readonly keyRange: typeof IDBKeyRange,
  ) {
    this.description = `indexeddb:${dbName}`;
  }

  /**
   * Opens (creating it if missing) the database `dbName` from `factory`, by default the
   * environment's `indexedDB`.
   */
  static async open(dbName: string, factory?: IDBFactory): Promise<IndexedDbObjectStore> {
    const g = globalThis as {
      indexedDB?: IDBFactory;
      IDBRequest?: typeof IDBRequest;
      IDBKeyRange?: typeof IDBKeyRange;
    };
    const idb = factory ?? g.indexedDB;
    if (!idb)
      throw new Error(
        `cannot open IndexedDB database "${dbName}": this environment has no indexedDB (pass an IDBFactory)`,
      );
    if (!g.IDBRequest || !g.IDBKeyRange)
      throw new Error(
        `cannot open IndexedDB database "${dbName}": the global IndexedDB classes (IDBRequest, IDBKeyRange, ...) are missing`,
      );
    // What idb's `openDB` does, which can only open from the global `indexedDB`: the factory's
    // `open`, the schema made on `upgradeneeded`, and idb's `wrap` for the promise.
    const request = idb.open(dbName, 1);
    // (`as object`: the DOM types already say it is an IDBRequest; the check is for the runtime.)
    if (!((request as object) instanceof g.IDBRequest)) {
      request.onsuccess = () => request.result.close();
      throw new Error(
        `cannot open IndexedDB database "${dbName}": the factory does not belong to the global IndexedDB classes`,
      );
    }
    request.addEventListener('upgradeneeded', () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
    });
    const db = (await wrap(request)) as unknown as IDBPDatabase<SluiceDb>;
    if (!db.objectStoreNames.contains(STORE)) {
      db.close();
      throw new Error(`IndexedDB database "${dbName}" exists but has no "${STORE}" object store`);
    }
    return new IndexedDbObjectStore(dbName, db, g.IDBKeyRange);
  }

  async put(name: string, data: Uint8Array): Promise<void> {
    // `slice` copies into a buffer of exactly the object's length, which the caller cannot reach.
    const value = data.slice().buffer;
    const tx = this.db.transaction(STORE, 'readwrite', { durability: 'strict' });
    // tx.done settles on `complete` (committed) or on `abort`/`error`; the put request's own
    // failure also aborts the transaction.
    await Promise.all([tx.store.put(value, name), tx.done]);
  }

  async get(name: string): Promise<Uint8Array | null> {
    const v: unknown = await this.db.get(STORE, name);
    if (v === undefined) return null;
    // Each read is a fresh structured clone, so the view below is the caller's alone.
    if (Object.prototype.toString.call(v) === '[object ArrayBuffer]')
      return new Uint8Array(v as ArrayBuffer);
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
    throw new SqlError(
      SqlState.dataCorrupted,
      `object "${name}" in ${this.description} is not binary data`,
    );
  }

  async list(prefix: string): Promise<string[]> {
    const keys = await this.db.getAllKeys(STORE, prefixRange(this.keyRange, prefix));
    return keys.filter((k): k is string => typeof k === 'string').sort(compareNames);
  }

  async delete(name: string): Promise<void> {
    // Deleting a missing key succeeds in IndexedDB.
    const tx = this.db.transaction(STORE, 'readwrite', { durability: 'strict' });
    await Promise.all([tx.store.delete(name), tx.done]);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/**
 * The key range holding exactly the strings that start with `prefix` (undefined: all keys).
 * IndexedDB orders strings by UTF-16 code unit, so they are the strings from `prefix` up to, not
 * including, `prefix` with its last code unit below 0xFFFF raised by one and what follows it
 * dropped. (`prefix + '\uffff'` as an upper bound would miss names with U+FFFF after the prefix.)
 */
function prefixRange(keyRange: typeof IDBKeyRange, prefix: string): IDBKeyRange | undefined {
  if (prefix === '') return undefined;
  let end = prefix.length;
  while (end > 0 && prefix.charCodeAt(end - 1) === 0xffff) end--;
  if (end === 0) return keyRange.lowerBound(prefix);
  const upper = prefix.slice(0, end - 1) + String.fromCharCode(prefix.charCodeAt(end - 1) + 1);
  return keyRange.bound(prefix, upper, false, true);
}
