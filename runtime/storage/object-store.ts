/**
 * The one storage interface all persistence goes through: a flat namespace of immutable objects
 * (Arrow IPC data, epoch logs, checkpoints, manifests). Backends: memory (here), local folder and
 * S3 (`server/storage/`), IndexedDB (`runtime/storage/indexeddb-store.ts`).
 *
 * Contract every backend keeps (checked by `tests/storage/object-store-contract.ts`):
 * - `put` resolves only once the object is durable, and an object is seen whole or not at all
 *   (never a torn write); putting a name again replaces it whole.
 * - `get` of a missing name resolves to `null`.
 * - `list(prefix)` returns every name starting with `prefix`, sorted ascending (byte order).
 * - `delete` of a missing name is not an error.
 * - Transient failures throw; retrying is the caller's business (see `retrying`).
 */
import { SqlError, SqlState } from '../errors.js';

export interface ObjectStore {
  /** Short description for logs: `folder ./sluice-data`, `s3://bucket/prefix`, `memory`. */
  readonly description: string;
  put(name: string, data: Uint8Array): Promise<void>;
  get(name: string): Promise<Uint8Array | null>;
  list(prefix: string): Promise<string[]>;
  delete(name: string): Promise<void>;
  /** Releases connections or handles; the store is not used afterwards. */
  close?(): Promise<void>;
}

/** An object store in process memory (tests, `storage: 'memory'`). */
export class MemoryObjectStore implements ObjectStore {
  readonly description = 'memory';
  readonly objects = new Map<string, Uint8Array>();

  async put(name: string, data: Uint8Array): Promise<void> {
    // A copy, so a caller reusing its buffer cannot change a stored object.
    this.objects.set(name, data.slice());
  }

  async get(name: string): Promise<Uint8Array | null> {
    const o = this.objects.get(name);
    return o ? o.slice() : null;
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort(compareNames);
  }

  async delete(name: string): Promise<void> {
    this.objects.delete(name);
  }
}

/** Byte-order comparison of object names (what S3 listings use), for every backend to sort by. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A storage failure that outlasted its retries (SQLSTATE 58030, as PostgreSQL's I/O errors). */
export function storageError(what: string, cause: unknown): SqlError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new SqlError(SqlState.ioError, `could not ${what}: ${reason}`);
}

export interface RetryOptions {
  /** First delay in milliseconds; doubled after each failure up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Give up (rethrow) once this many milliseconds have passed; `Infinity` retries forever. */
  deadlineMs?: number;
  /** Told of each failure before the retry (logging). */
  onRetry?: (error: unknown, attempt: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` until it succeeds, with exponential backoff between failures. Corrupt data
 * (`XX001`) is never retried: reading it again gives the same bytes.
 */
export async function retrying<T>(fn: () => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const start = Date.now();
  const sleep = o.sleep ?? defaultSleep;
  let delay = o.initialDelayMs ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof SqlError && e.code === SqlState.dataCorrupted) throw e;
      if (Date.now() - start + delay > (o.deadlineMs ?? Infinity)) throw e;
      o.onRetry?.(e, attempt);
      await sleep(delay);
      delay = Math.min(delay * 2, o.maxDelayMs ?? 2000);
    }
  }
}
