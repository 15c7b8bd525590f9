/**
 * The rows of a pinned view, kept current from its change batches: a sorted multiset of rows
 * (a view may hold equal rows), each remembering the batch that last wrote it, so the panel can
 * flash what changed. Sorted by the columns left to right (numbers as numbers, NULLs last), so
 * a view keyed by time reads in time order and an updated row stays where it was.
 */
import type { Column, ResultSet, TextChange } from './protocol.js';

export type Cells = (string | null)[];

export interface LiveRow {
  cells: Cells;
  /** Identity of the row's value, for deletes. */
  key: string;
  /** The batch that inserted this row (0: it was in the snapshot). */
  batch: number;
  /** How that batch changed it: a new row, or a new version of an updated one. */
  change: 'snapshot' | 'inserted' | 'updated';
}

export class LiveRows {
  readonly rows: LiveRow[] = [];
  /** Batches applied so far. */
  batch = 0;
  private readonly compare: (a: Cells, b: Cells) => number;

  constructor(
    readonly columns: readonly Column[],
    snapshot: ResultSet,
  ) {
    this.compare = comparator(columns);
    const rows = Array.from({ length: snapshot.rowCount }, (_, i) =>
      snapshot.values.map((c) => c[i] ?? null),
    );
    rows.sort(this.compare);
    for (const cells of rows)
      this.rows.push({ cells, key: JSON.stringify(cells), batch: 0, change: 'snapshot' });
  }

  /** Applies one committed batch; returns how many rows it touched. */
  apply(changes: readonly TextChange[]): number {
    this.batch++;
    let updating = false;
    for (const c of changes) {
      if (c.op === '-' || c.op === 'U-') {
        this.remove(c.row);
        updating = c.op === 'U-';
      } else {
        this.insert(c.row, c.op === 'U+' && updating ? 'updated' : 'inserted');
        updating = false;
      }
    }
    return changes.length;
  }

  /** The first position whose row is not before `cells`. */
  private lowerBound(cells: Cells): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(this.rows[mid]!.cells, cells) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insert(cells: Cells, change: 'inserted' | 'updated'): void {
    const key = JSON.stringify(cells);
    this.rows.splice(this.lowerBound(cells), 0, { cells, key, batch: this.batch, change });
  }

  private remove(cells: Cells): void {
    const key = JSON.stringify(cells);
    for (let i = this.lowerBound(cells); i < this.rows.length; i++) {
      const r = this.rows[i]!;
      if (r.key === key) {
        this.rows.splice(i, 1);
        return;
      }
      if (this.compare(r.cells, cells) !== 0) break;
    }
    // The engine deletes only rows it holds; a miss means the panel's copy is wrong.
    throw new Error(`a change deleted a row the live view does not hold: ${key}`);
  }
}

function comparator(columns: readonly Column[]): (a: Cells, b: Cells) => number {
  return (a, b) => {
    for (let j = 0; j < columns.length; j++) {
      const x = a[j] ?? null;
      const y = b[j] ?? null;
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      if (columns[j]!.numeric) {
        const d = Number(x) - Number(y);
        if (d !== 0 && !Number.isNaN(d)) return d;
      }
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}
