/**
 * StreamHashJoin on the Wasm join kernel, property-tested against recomputation: random chunks
 * of inserts, deletes and updates (duplicate rows, NULL keys, rows inserted and deleted again
 * within one chunk, row and columnar chunks) go to either side of inner, outer, semi and anti
 * joins on an integer key, a text key and two-column keys; after every chunk the changes the
 * join emitted, summed up, must equal the join recomputed from both sides' current rows.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { probe, type OperatorProbe } from '../harness.js';
import { StreamChunk, type Op } from '../../../runtime/stream/chunk.js';
import { rowsToBatch, schemaOf } from '../../../runtime/storage/arrow-codec.js';
import type { HashJoinExecutor } from '../../../runtime/stream/executors/hash-join.js';
import type { Row } from '../../../runtime/types/value.js';

const SETUP =
  'CREATE TABLE l (k int, s text, j int, x int); CREATE TABLE r (k int, s text, j int, y int)';

/** A row of either table: k, s, j and x (left) or y (right). */
type R = [number | null, string | null, number | null, number | null];

interface Shape {
  label: string;
  /** The ON condition (l, r) and its recomputation. */
  on: string;
  match: (a: R, b: R) => boolean;
}

const eq = (a: unknown, b: unknown): boolean => a !== null && b !== null && a === b;
const lt = (a: number | null, b: number | null): boolean => a !== null && b !== null && a < b;

const SHAPES: Shape[] = [
  { label: 'int key', on: 'l.k = r.k', match: (a, b) => eq(a[0], b[0]) },
  { label: 'text key', on: 'l.s = r.s', match: (a, b) => eq(a[1], b[1]) },
  {
    label: 'two int keys (packed)',
    on: 'l.k = r.k AND l.j = r.j',
    match: (a, b) => eq(a[0], b[0]) && eq(a[2], b[2]),
  },
  {
    label: 'int and text keys',
    on: 'l.k = r.k AND l.s = r.s',
    match: (a, b) => eq(a[0], b[0]) && eq(a[1], b[1]),
  },
  {
    label: 'int key with a residual condition',
    on: 'l.k = r.k AND l.x < r.y',
    match: (a, b) => eq(a[0], b[0]) && lt(a[3], b[3]),
  },
];

type Kind = 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti';
const KINDS: Kind[] = ['inner', 'left', 'right', 'full', 'semi', 'anti'];

function viewSql(kind: Kind, on: string): string {
  if (kind === 'semi') return `SELECT * FROM l WHERE EXISTS (SELECT 1 FROM r WHERE ${on})`;
  if (kind === 'anti') return `SELECT * FROM l WHERE NOT EXISTS (SELECT 1 FROM r WHERE ${on})`;
  const join = { inner: 'JOIN', left: 'LEFT JOIN', right: 'RIGHT JOIN', full: 'FULL JOIN' }[kind];
  return `SELECT * FROM l ${join} r ON ${on}`;
}

const NULLS: R = [null, null, null, null];

/** The join recomputed from both sides' rows, as sorted row texts. */
function recompute(kind: Kind, match: Shape['match'], left: R[], right: R[]): string[] {
  const out: Row[] = [];
  const rightMatched = new Array<boolean>(right.length).fill(false);
  for (const a of left) {
    let n = 0;
    right.forEach((b, j) => {
      if (!match(a, b)) return;
      n++;
      rightMatched[j] = true;
      if (kind !== 'semi' && kind !== 'anti') out.push([...a, ...b]);
    });
    if (kind === 'semi' && n > 0) out.push(a);
    if (kind === 'anti' && n === 0) out.push(a);
    if ((kind === 'left' || kind === 'full') && n === 0) out.push([...a, ...NULLS]);
  }
  if (kind === 'right' || kind === 'full')
    right.forEach((b, j) => {
      if (!rightMatched[j]) out.push([...NULLS, ...b]);
    });
  return out.map((r) => JSON.stringify(r)).sort();
}

/** The emitted changes summed up; a retraction of a row never emitted fails. */
class Sum {
  private readonly counts = new Map<string, number>();
  apply(chunk: StreamChunk | null): void {
    if (!chunk) return;
    chunk.rows.forEach((row, i) => {
      const k = JSON.stringify(row);
      const sign = chunk.ops[i] === '+' || chunk.ops[i] === 'U+' ? 1 : -1;
      const c = (this.counts.get(k) ?? 0) + sign;
      if (c < 0) throw new Error(`join retracted a row it never emitted: ${k}`);
      if (c === 0) this.counts.delete(k);
      else this.counts.set(k, c);
    });
  }
  rows(): string[] {
    const out: string[] = [];
    for (const [k, c] of this.counts) for (let i = 0; i < c; i++) out.push(k);
    return out.sort();
  }
}

// Small domains so keys collide, duplicates occur and NULL keys are common.
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 4, arbitrary: a }, { weight: 1, arbitrary: fc.constant(null) });
const rowArb: fc.Arbitrary<R> = fc.tuple(
  maybe(fc.integer({ min: 0, max: 3 })),
  maybe(fc.constantFrom('a', 'b', 'ä', '😀')),
  maybe(fc.integer({ min: 0, max: 1 })),
  maybe(fc.integer({ min: 0, max: 3 })),
);

/** One change of a chunk; `pick` chooses among the side's current rows. */
type Change =
  | { t: 'ins'; row: R }
  | { t: 'dup'; row: R }
  | { t: 'del'; pick: number }
  | { t: 'insdel'; row: R }
  | { t: 'delins'; pick: number }
  | { t: 'upd'; pick: number; row: R };

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  { weight: 4, arbitrary: rowArb.map((row) => ({ t: 'ins' as const, row })) },
  { weight: 1, arbitrary: rowArb.map((row) => ({ t: 'dup' as const, row })) },
  { weight: 3, arbitrary: fc.nat().map((pick) => ({ t: 'del' as const, pick })) },
  { weight: 1, arbitrary: rowArb.map((row) => ({ t: 'insdel' as const, row })) },
  { weight: 1, arbitrary: fc.nat().map((pick) => ({ t: 'delins' as const, pick })) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.nat(), rowArb).map(([pick, row]) => ({ t: 'upd' as const, pick, row })),
  },
);

interface ChunkSpec {
  side: 0 | 1;
  changes: Change[];
  /** Sent as a columnar chunk (Arrow columns, signs, a selection skipping junk rows). */
  columnar: boolean;
}

const chunkArb: fc.Arbitrary<ChunkSpec> = fc.record({
  side: fc.constantFrom(0 as const, 1 as const),
  changes: fc.array(changeArb, { minLength: 1, maxLength: 8 }),
  columnar: fc.boolean(),
});

const caseArb = fc.record({
  shape: fc.constantFrom(...SHAPES),
  kind: fc.constantFrom(...KINDS),
  chunks: fc.array(chunkArb, { minLength: 1, maxLength: 14 }),
});

function indexOfRow(rows: R[], row: R): number {
  const k = JSON.stringify(row);
  return rows.findIndex((r) => JSON.stringify(r) === k);
}

/** Turns a chunk's changes into ops on `state` (the side's rows, updated as they apply). */
function toOps(changes: Change[], state: R[]): { ops: Op[]; rows: R[] } {
  const ops: Op[] = [];
  const rows: R[] = [];
  const later: R[] = [];
  const take = (pick: number): R | null => {
    if (state.length === 0) return null;
    return state.splice(pick % state.length, 1)[0]!;
  };
  const push = (op: Op, row: R): void => {
    ops.push(op);
    rows.push(row);
    if (op === '+' || op === 'U+') state.push(row);
  };
  for (const c of changes) {
    if (c.t === 'ins') push('+', c.row);
    else if (c.t === 'dup') {
      push('+', c.row);
      push('+', [...c.row]);
    } else if (c.t === 'insdel') {
      push('+', c.row);
      later.push(c.row);
    } else {
      const old = take(c.pick);
      if (!old) continue;
      if (c.t === 'del') push('-', old);
      else if (c.t === 'delins') {
        push('-', old);
        push('+', [...old]);
      } else {
        push('U-', old);
        push('U+', c.row);
      }
    }
  }
  // Rows inserted above and deleted again at the end of the same chunk.
  for (const row of later) {
    // (Unless a delete above took it out already.)
    const i = indexOfRow(state, row);
    if (i < 0) continue;
    state.splice(i, 1);
    ops.push('-');
    rows.push([...row]);
  }
  return { ops, rows };
}

function makeChunk(p: OperatorProbe, side: 0 | 1, ops: Op[], rows: R[], columnar: boolean) {
  if (!columnar) return new StreamChunk(ops, rows);
  // Junk rows between the real ones, left out by the selection.
  const all: R[] = [];
  const signs: number[] = [];
  const sel: number[] = [];
  rows.forEach((row, i) => {
    if (i % 2 === 1) {
      all.push([7, 'junk', 7, 7]);
      signs.push(1);
    }
    sel.push(all.length);
    all.push(row);
    signs.push(ops[i] === '+' || ops[i] === 'U+' ? 1 : -1);
  });
  const schema = p.node.inputs[side]!.exec.schema;
  const types = schema.map((c) => c.type);
  const batch = rowsToBatch(schemaOf(schema), types, all);
  return StreamChunk.fromColumns({
    columns: batch.data.children,
    length: all.length,
    types,
    sel: Int32Array.from(sel),
    signs: Int8Array.from(signs),
  });
}

function joinProbe(kind: Kind, on: string): OperatorProbe {
  const name =
    kind === 'semi'
      ? 'StreamHashSemiJoin'
      : kind === 'anti'
        ? 'StreamHashAntiJoin'
        : 'StreamHashJoin';
  return probe(SETUP, `CREATE MATERIALIZED VIEW mv AS ${viewSql(kind, on)}`, name);
}

describe('StreamHashJoin on the join kernel equals recomputation', () => {
  for (const seed of [20260301, 11, 9001]) {
    it(`seed ${seed}`, () => {
      fc.assert(
        fc.property(caseArb, ({ shape, kind, chunks }) => {
          const p = joinProbe(kind, shape.on);
          const state: [R[], R[]] = [[], []];
          const sum = new Sum();
          chunks.forEach((c, n) => {
            const { ops, rows } = toOps(c.changes, state[c.side]);
            if (rows.length === 0) return;
            sum.apply(p.exec.process(makeChunk(p, c.side, ops, rows, c.columnar), c.side, p.env));
            const want = recompute(kind, shape.match, state[0], state[1]);
            const got = sum.rows();
            if (got.join('\n') !== want.join('\n'))
              throw new Error(
                `${kind} join on ${shape.label} differs after chunk ${n}\n--- got\n${got.join('\n')}\n--- want\n${want.join('\n')}`,
              );
          });
        }),
        { seed, numRuns: 120 },
      );
      expect(true).toBe(true);
    });
  }

  it('retracting a row that is not stored is an internal error', () => {
    const p = joinProbe('left', 'l.k = r.k');
    p.push('+ 1 a 0 1', 0);
    expect(() => p.push('- 1 a 0 2', 0)).toThrow(/retracting a missing row/);
  });

  it('many distinct text keys coming and going keep both tables and the key ids bounded', () => {
    const kind: Kind = 'full';
    const shape = SHAPES[3]!;
    const p = joinProbe(kind, shape.on);
    const exec = p.exec as HashJoinExecutor;
    const state: [R[], R[]] = [[], []];
    const sum = new Sum();
    const send = (side: 0 | 1, ops: Op[], rows: R[]): void => {
      for (let i = 0; i < rows.length; i++) {
        if (ops[i] === '+') state[side].push(rows[i]!);
        else state[side].splice(indexOfRow(state[side], rows[i]!), 1);
      }
      sum.apply(exec.process(new StreamChunk(ops, rows), side, p.env));
    };
    const inserts = (rows: R[]): Op[] => rows.map(() => '+');
    const deletes = (rows: R[]): Op[] => rows.map(() => '-');
    const N = 300;
    for (let round = 0; round < 12; round++) {
      for (const side of [0, 1] as const) {
        const rows: R[] = Array.from({ length: N }, (_, i) => [round % 3, `k${round}-${i}`, 0, i]);
        send(side, inserts(rows), rows);
        if (round === 0 && side === 0) {
          // Long-lived rows on both sides, matching across all the churn; their key ids come
          // after the first churn keys', so the compactions of the key ids renumber them.
          const kept: R[] = [
            [1, 'keep', 0, 1],
            [2, 'keep', 0, 1],
          ];
          send(0, inserts(kept), kept);
          send(1, ['+'], [[1, 'keep', 0, 2]]);
        }
        send(side, deletes(rows), rows);
      }
      expect(exec.sharedKeyTableSize).toBeLessThanOrEqual(2 * 3 + 256 + 2 * N);
      for (const [live, table] of exec.keyTableSizes)
        expect(table).toBeLessThanOrEqual(2 * live + 256 + N);
    }
    expect(exec.keyTableSizes.map(([live]) => live)).toEqual([2, 1]);
    send(
      1,
      ['+', '-'],
      [
        [2, 'keep', 0, 3],
        [1, 'keep', 0, 2],
      ],
    );
    expect(sum.rows()).toEqual(recompute(kind, shape.match, state[0], state[1]));
    expect(sum.rows()).toEqual(
      [
        [1, 'keep', 0, 1, ...NULLS],
        [2, 'keep', 0, 1, 2, 'keep', 0, 3],
      ]
        .map((r) => JSON.stringify(r))
        .sort(),
    );
  });
});
