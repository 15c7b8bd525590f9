/**
 * What every built-in data generator shares: the `EventGenerator` interface (tables with their
 * DDL, rows produced in order from a resumable offset), a small seeded random number generator
 * that is re-keyed per event (so event `k` is a pure function of the seed and `k`, and starting
 * at an offset needs no replay), and parsing of `WITH (...)`-style string options.
 *
 * Generators depend on nothing above `runtime/types/`, so the playground, the source connectors
 * (`CREATE SOURCE ... WITH (connector = ...)`, runtime/exec/connector.ts) and benchmarks can
 * all drive them.
 */
import type { Row } from '../types/value.js';

/** A table a generator fills: its name, its `CREATE TABLE` statement and its column names. */
export interface GeneratedTable {
  readonly name: string;
  readonly ddl: string;
  readonly columns: readonly string[];
}

/** Rows for one table, in event order. */
export interface GeneratedBatch {
  table: string;
  rows: Row[];
}

export interface EventGenerator {
  /** The tables events go to, in a fixed order. */
  readonly tables: readonly GeneratedTable[];
  /** Events produced so far, counting from 0 (a generator started at offset `k` begins at `k`). */
  readonly offset: number;
  /** Whether the configured number of events has been produced (never, without a limit). */
  readonly done: boolean;
  /**
   * Produces the next `n` events (fewer once the limit is reached) as rows, grouped by table in
   * the order of `tables`; tables that got no rows are left out. Each event is one row.
   */
  next(n: number): GeneratedBatch[];
}

/** Options as a `WITH (...)` clause gives them: strings, or JS numbers/booleans from code. */
export type GeneratorOptions = Readonly<Record<string, string | number | boolean | undefined>>;

/** Where a generator starts: its seed and the number of events already produced. */
export interface GeneratorStart {
  seed?: number;
  offset?: number;
  /**
   * Wall clock in epoch milliseconds, read for event times when the options ask for real time
   * (clocks are injected: the runtime reads none of its own). Defaults to `Date.now`.
   */
  now?: () => number;
}

/**
 * A bad generator option. `code` is PostgreSQL's invalid_parameter_value, or
 * feature_not_supported for a valid request the generator cannot serve (a column type it
 * cannot generate).
 */
export class GeneratorOptionError extends Error {
  constructor(
    message: string,
    readonly code: '22023' | '0A000' = '22023',
  ) {
    super(message);
    this.name = 'GeneratorOptionError';
  }
}

/** Reads typed options and rejects keys nobody asked for (typos must not pass silently). */
export class OptionReader {
  private readonly used = new Set<string>();

  constructor(
    private readonly options: GeneratorOptions,
    private readonly what: string,
  ) {}

  private raw(key: string): string | number | boolean | undefined {
    this.used.add(key);
    return this.options[key];
  }

  /** An integer option in `[min, max]`. */
  int(key: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max)
      throw new GeneratorOptionError(
        `${this.what} option ${key} must be an integer between ${min} and ${max}, got ${JSON.stringify(v)}`,
      );
    return n;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (typeof v === 'boolean') return v;
    const s = String(v).trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
    throw new GeneratorOptionError(
      `${this.what} option ${key} must be true or false, got ${JSON.stringify(v)}`,
    );
  }

  string(key: string, fallback: string): string {
    const v = this.raw(key);
    return v === undefined ? fallback : String(v);
  }

  /** A comma-separated, non-empty list. */
  list(key: string, fallback: readonly string[]): readonly string[] {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    const items = String(v)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (items.length === 0)
      throw new GeneratorOptionError(`${this.what} option ${key} must list at least one value`);
    return items;
  }

  /** Marks options that are accepted and have no effect here. */
  ignore(...keys: string[]): void {
    for (const k of keys) this.used.add(k);
  }

  /** Throws on any option not read, `connector` aside. */
  finish(): void {
    const unknown = Object.keys(this.options).filter(
      (k) => k !== 'connector' && this.options[k] !== undefined && !this.used.has(k),
    );
    if (unknown.length > 0)
      throw new GeneratorOptionError(
        `unknown ${this.what} option${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`,
      );
  }
}

/** The murmur3 32-bit finaliser: a cheap bijective mix of one word. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

const TWO_32 = 4294967296;

/**
 * xoshiro128** over four 32-bit words. `reset(seed, key)` re-keys it in place (no allocation per
 * event); the same (seed, key) always gives the same sequence.
 */
export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed = 0, key = 0) {
    this.reset(seed, key);
  }

  /** Re-keys the generator from a seed and a non-negative integer key (an event number). */
  reset(seed: number, key: number): void {
    const lo = (key % TWO_32) >>> 0;
    const hi = Math.floor(key / TWO_32) >>> 0;
    const s = mix32((seed >>> 0) ^ 0x9e3779b9);
    this.a = mix32(lo ^ s) | 1;
    this.b = mix32(hi ^ mix32(s + 0x6a09e667));
    this.c = mix32(lo + 0xbb67ae85) ^ s;
    this.d = mix32(hi + 0x3c6ef372) ^ mix32(lo);
    // A few rounds spread the key over the whole state.
    for (let i = 0; i < 4; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r >>> 0;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  double(): number {
    const hi = this.u32() >>> 5; // 27 bits
    const lo = this.u32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [0, n) for 1 <= n <= 2^32. */
  int(n: number): number {
    return Math.floor((this.u32() / TWO_32) * n);
  }

  /** A uniform integer in [0, n) for 1 <= n <= 2^53. */
  long(n: number): number {
    return n <= TWO_32 ? this.int(n) : Math.floor(this.double() * n);
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const LETTER_A = 97;

/**
 * A string of 3 to `maxLength - 1` characters: lower-case letters with, about one time in 13,
 * `special` instead, trimmed (Nexmark's random names and descriptions).
 */
export function randomString(rng: Rng, maxLength: number, special = ' '): string {
  let len = 3 + rng.int(Math.max(1, maxLength - 3));
  const codes: number[] = [];
  const sp = special.charCodeAt(0);
  while (len-- > 0) codes.push(rng.int(13) === 0 ? sp : LETTER_A + rng.int(26));
  const s = String.fromCharCode(...codes);
  return special === ' ' ? s.trim() : s;
}

/** Exactly `length` lower-case letters (padding), six letters per random word. */
export function exactString(rng: Rng, length: number): string {
  const codes = new Array<number>(length);
  let word = 0;
  let left = 0;
  for (let i = 0; i < length; i++) {
    if (left === 0) {
      word = rng.u32() >>> 1;
      left = 6;
    }
    codes[i] = LETTER_A + (word % 26);
    word = Math.floor(word / 26);
    left--;
  }
  // Chunks keep the argument count of fromCharCode small.
  let out = '';
  for (let i = 0; i < length; i += 4096) out += String.fromCharCode(...codes.slice(i, i + 4096));
  return out;
}

/**
 * Padding that brings a record of `currentSize` bytes to `averageSize` on average: nothing when
 * the record is already that large, else a string within ±20% of the shortfall.
 */
export function extraPadding(rng: Rng, currentSize: number, averageSize: number): string {
  if (currentSize > averageSize) return '';
  const want = averageSize - currentSize;
  const delta = Math.round(want * 0.2);
  const min = want - delta;
  const size = min + (delta === 0 ? 0 : rng.int(2 * delta));
  return exactString(rng, size);
}

/** Epoch milliseconds as a Sluice TIMESTAMP value (microseconds). */
export function timestampFromMs(ms: number): bigint {
  return BigInt(ms) * 1000n;
}

/** Quotes an identifier for DDL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The event a generator starts at: `start.offset`, checked (0 when absent). */
export function startOffset(start: GeneratorStart): number {
  const offset = start.offset ?? 0;
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new GeneratorOptionError(`offset must be a non-negative integer, got ${offset}`);
  return offset;
}
