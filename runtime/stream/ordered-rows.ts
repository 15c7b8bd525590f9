/**
 * Rows ordered by a key value, with counts: the state of the filters whose bound moves (the
 * temporal filter as time passes, the dynamic filter as its subquery's value changes), which
 * must find the rows whose key lies between the old and the new bound. Keys are kept in
 * sorted blocks of at most `2 * BLOCK` distinct keys, so an insert or a delete moves at most a
 * block's entries and a range is read in key order. Rows of one key are told apart by their
 * exact form (see multiset.ts), so equal-but-differently-written rows stay apart; most keys
 * hold one row, which is then kept without a map or an exact key.
 */
import type { DataType } from '../types/datatype.js';
import type { Row, Value } from '../types/value.js';
import { compareValues } from '../types/compare.js';
import { SqlError, SqlState } from '../errors.js';
import { exactRowKey, sameExactRow } from './multiset.js';

const BLOCK = 128;

export interface OrderedEntry {
  key: Value;
  row: Row;
  count: number;
}

/** A held entry: its exact key is computed only once a second row shares its key. */
interface HeldEntry extends OrderedEntry {
  exact?: string;
}

/** The rows of one key: most keys hold one row, so a map is made only for a second. */
interface Bucket {
  key: Value;
  rows: HeldEntry | Map<string, HeldEntry>;
}

function bucketEntries(b: Bucket): Iterable<HeldEntry> {
  return b.rows instanceof Map ? b.rows.values() : [b.rows];
}

/** One end of a key range: null is unbounded. */
export interface RangeEnd {
  value: Value;
  inclusive: boolean;
}

export class OrderedRows {
  private blocks: Bucket[][] = [];
  /** Distinct rows held. */
  size = 0;

  constructor(
    readonly keyType: DataType,
    /** The rows' column types (rows are told apart by their exact form). */
    private readonly rowTypes: DataType[],
  ) {}

  private exactOf(e: HeldEntry): string {
    return (e.exact ??= exactRowKey(e.row, this.rowTypes));
  }

  private cmp(a: Value, b: Value): number {
    return compareValues(a, b, this.keyType);
  }

  /** The first block whose last key is >= `key` (the last block when there is none). */
  private blockFor(key: Value): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const b = this.blocks[mid]!;
      if (this.cmp(b[b.length - 1]!.key, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first position in `block` whose key is >= `key` (or > with `after`). */
  private position(block: Bucket[], key: Value, after: boolean): number {
    let lo = 0;
    let hi = block.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = this.cmp(block[mid]!.key, key);
      if (c < 0 || (after && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds `delta` (may be negative) copies of `row`, whose key is `key` (not NULL). */
  add(key: Value, row: Row, delta: number): void {
    if (delta === 0) return;
    if (this.blocks.length === 0) this.blocks.push([]);
    const bi = this.blockFor(key);
    const block = this.blocks[bi]!;
    const pos = this.position(block, key, false);
    const bucket = block[pos];
    if (!bucket || this.cmp(bucket.key, key) !== 0) {
      if (delta < 0) throw lost();
      block.splice(pos, 0, { key, rows: { key, row, count: delta } });
      this.size++;
      if (block.length > 2 * BLOCK) this.blocks.splice(bi + 1, 0, block.splice(BLOCK));
      return;
    }
    const rows = bucket.rows;
    let entry: HeldEntry | undefined;
    let exact: string | undefined;
    if (rows instanceof Map) entry = rows.get((exact = exactRowKey(row, this.rowTypes)));
    else if (sameExactRow(rows.row, row, this.rowTypes)) entry = rows;
    if (!entry) {
      if (delta < 0) throw lost();
      exact ??= exactRowKey(row, this.rowTypes);
      const added: HeldEntry = { key: bucket.key, row, count: delta, exact };
      if (rows instanceof Map) rows.set(exact, added);
      else
        bucket.rows = new Map([
          [this.exactOf(rows), rows],
          [exact, added],
        ]);
      this.size++;
      return;
    }
    entry.count += delta;
    if (entry.count > 0) return;
    if (entry.count < 0) throw lost();
    this.size--;
    if (rows instanceof Map) {
      rows.delete(this.exactOf(entry));
      if (rows.size === 1) bucket.rows = rows.values().next().value!;
      return;
    }
    block.splice(pos, 1);
    if (block.length === 0) this.blocks.splice(bi, 1);
  }

  /** The entries with keys in the range, in key order (a copy: the caller may change the rows). */
  range(lo: RangeEnd | null, hi: RangeEnd | null): OrderedEntry[] {
    const out: OrderedEntry[] = [];
    if (this.blocks.length === 0) return out;
    let bi = 0;
    let pos = 0;
    if (lo) {
      bi = this.blockFor(lo.value);
      pos = this.position(this.blocks[bi]!, lo.value, !lo.inclusive);
    }
    for (; bi < this.blocks.length; bi++, pos = 0) {
      const block = this.blocks[bi]!;
      for (; pos < block.length; pos++) {
        const b = block[pos]!;
        if (hi) {
          const c = this.cmp(b.key, hi.value);
          if (c > 0 || (c === 0 && !hi.inclusive)) return out;
        }
        for (const e of bucketEntries(b)) out.push({ key: e.key, row: e.row, count: e.count });
      }
    }
    return out;
  }

  /** Every entry, in key order. */
  *entries(): IterableIterator<OrderedEntry> {
    for (const block of this.blocks) for (const b of block) yield* bucketEntries(b);
  }
}

function lost(): SqlError {
  return new SqlError(SqlState.internalError, 'ordered filter state is missing a deleted row');
}
