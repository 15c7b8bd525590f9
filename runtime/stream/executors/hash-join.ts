/**
 * HashJoinExecutor — incremental join by the delta rule Δ(a ⋈ b) = Δa ⋈ b + a' ⋈ Δb: a change
 * on one side is joined with the current state of the other side, then applied to its own
 * side's state (so a change arriving on both sides in one step is joined exactly once).
 *
 * Each side's state maps the equi-join key to the multiset of rows with that key; rows whose
 * key has a NULL never match (they are kept only where an outer join must emit them padded).
 * The key → bucket index is a Wasm hash table per side (KeyIndex): a chunk's keys (int64 values
 * for a lone integer/date/timestamp key, canonical key strings otherwise) are looked up in the
 * other side and assigned in this side in one call each; the ids index the buckets.
 * Residual (non-equi) conditions are checked per matching pair.
 *
 * Outer joins keep, per stored row, its degree: the number of matching rows on the other side.
 * A preserved-side row with degree 0 is emitted padded with NULLs; when its degree moves
 * 0 → 1 the padded row is retracted and the match inserted, and 1 → 0 the reverse.
 * Semi joins emit a left row while its degree > 0, anti joins while it is 0.
 * Insert and U+ add to state; delete and U- remove; updates are emitted as delete/insert.
 */
import type { BoundExpr, ColumnSchema, JoinKind } from '../../plan/logical.js';
import type { DataType } from '../../types/datatype.js';
import type { Row, Value } from '../../types/value.js';
import { compiled, rowKey } from '../../exec/executor.js';
import { exprText } from '../../plan/explain.js';
import { ChunkBuilder, opSign, type StreamChunk } from '../chunk.js';
import type { StreamEnv, StreamExecutor } from '../executor.js';
import { SqlError, SqlState } from '../../errors.js';
import { exactRowKey } from '../multiset.js';
import {
  int64Keys,
  isInt64Key,
  KeyIndex,
  packedInt64Keys,
  type KeyBatch,
} from '../../kernels/key-index.js';

interface Stored {
  row: Row;
  count: number;
  /** Matching rows on the other side, counted with multiplicity (outer/semi/anti only). */
  degree: number;
}

/** key → exact row key → stored row; NULL keys share one bucket, which is never probed. */
type SideState = KeyIndex<Map<string, Stored>>;

export class HashJoinExecutor implements StreamExecutor {
  readonly name: string;
  private readonly state: [SideState, SideState];
  /** Several integer key columns: packed by the Wasm key encoder instead of key strings. */
  private readonly packed: boolean;
  private readonly keyFns: [
    ((r: Row, e: StreamEnv) => Value)[],
    ((r: Row, e: StreamEnv) => Value)[],
  ];
  private readonly keyTypes: DataType[];
  private readonly rowTypes: [DataType[], DataType[]];
  private readonly cond;
  private readonly nl: number;
  private readonly nr: number;

  constructor(
    readonly joinKind: JoinKind,
    readonly leftKeys: BoundExpr[],
    readonly rightKeys: BoundExpr[],
    readonly condition: BoundExpr | null,
    leftSchema: ColumnSchema[],
    rightSchema: ColumnSchema[],
    readonly schema: ColumnSchema[],
  ) {
    this.name =
      joinKind === 'semi' || joinKind === 'anti'
        ? `StreamHash${joinKind === 'semi' ? 'Semi' : 'Anti'}Join`
        : 'StreamHashJoin';
    this.keyFns = [leftKeys.map(compiled), rightKeys.map(compiled)];
    this.keyTypes = leftKeys.map((k) => k.type);
    const allInt =
      leftKeys.length > 0 && [...leftKeys, ...rightKeys].every((k) => isInt64Key(k.type));
    const mode = allInt && leftKeys.length === 1 ? 'i64' : 'bytes';
    this.packed = allInt && leftKeys.length > 1;
    this.state = [new KeyIndex(mode), new KeyIndex(mode)];
    this.rowTypes = [leftSchema.map((c) => c.type), rightSchema.map((c) => c.type)];
    this.cond = condition ? compiled(condition) : null;
    this.nl = leftSchema.length;
    this.nr = rightSchema.length;
    this.names = [...leftSchema, ...rightSchema].map((c) => c.name);
    this.leftNames = leftSchema.map((c) => c.name);
    this.rightNames = rightSchema.map((c) => c.name);
  }
  private readonly names: string[];
  private readonly leftNames: string[];
  private readonly rightNames: string[];

  /** Whether side `s` (0 left, 1 right) is preserved: its unmatched rows are emitted padded. */
  private preserves(s: number): boolean {
    const k = this.joinKind;
    return k === 'full' || (s === 0 && k === 'left') || (s === 1 && k === 'right');
  }

  private tracksDegree(s: number): boolean {
    return this.preserves(s) || (s === 0 && (this.joinKind === 'semi' || this.joinKind === 'anti'));
  }

  private combine(s: number, mine: Row, other: Row): Row {
    return s === 0 ? [...mine, ...other] : [...other, ...mine];
  }

  private padded(s: number, row: Row): Row {
    return s === 0
      ? [...row, ...new Array<Value>(this.nr).fill(null)]
      : [...new Array<Value>(this.nl).fill(null), ...row];
  }

  private matches(s: number, mine: Row, other: Row, env: StreamEnv): boolean {
    return !this.cond || this.cond(this.combine(s, mine, other), env) === true;
  }

  process(chunk: StreamChunk, port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    const s: 0 | 1 = port === 0 ? 0 : 1;
    const o: 0 | 1 = s === 0 ? 1 : 0;
    const out = new ChunkBuilder();
    const semiAnti = this.joinKind === 'semi' || this.joinKind === 'anti';
    const emitLeft = (op: '+' | '-', row: Row, n: number): void => {
      for (let i = 0; i < n; i++) out.push(op, row);
    };
    // The chunk's keys: probed in the other side's index, assigned in this side's.
    const keyFns = this.keyFns[s];
    const keyVals = chunk.rows.map((row) => keyFns.map((f) => f(row, env)));
    let batch: KeyBatch;
    if (this.state[s].mode === 'i64') batch = int64Keys(keyVals.map((k) => k[0]!));
    else if (this.packed) batch = packedInt64Keys(keyFns.map((_, c) => keyVals.map((k) => k[c]!)));
    else
      batch = {
        kind: 'bytes',
        keys: keyVals.map((k) => (k.some((v) => v === null) ? null : rowKey(k, this.keyTypes))),
      };
    const probeIds = this.state[o].lookup(batch);
    const ownIds = this.state[s].assign(batch);
    const own = this.state[s];
    chunk.rows.forEach((row, i) => {
      const sign = opSign(chunk.ops[i]!);
      const nullKey = keyVals[i]!.some((v) => v === null);
      env.stats.stateTouches++;
      const bucket = nullKey ? undefined : this.state[o].get(probeIds[i]!);
      // Join the change against the other side's current state.
      let degree = 0;
      if (bucket) {
        for (const other of bucket.values()) {
          if (!this.matches(s, row, other.row, env)) continue;
          env.stats.stateTouches++;
          degree += other.count;
          if (semiAnti) {
            if (s === 1) {
              // A right row change moves left rows' degrees.
              const before = other.degree;
              other.degree += sign;
              if (this.joinKind === 'semi') {
                if (before === 0 && other.degree > 0) emitLeft('+', other.row, other.count);
                if (before > 0 && other.degree === 0) emitLeft('-', other.row, other.count);
              } else {
                if (before === 0 && other.degree > 0) emitLeft('-', other.row, other.count);
                if (before > 0 && other.degree === 0) emitLeft('+', other.row, other.count);
              }
            }
            continue;
          }
          const op = sign > 0 ? '+' : '-';
          if (this.tracksDegree(o)) {
            const before = other.degree;
            other.degree += sign;
            // The other row's padded version appears/disappears as its first match comes/goes.
            if (before === 0 && other.degree > 0)
              for (let n = 0; n < other.count; n++) out.push('-', this.padded(o, other.row));
            for (let n = 0; n < other.count; n++) out.push(op, this.combine(s, row, other.row));
            if (before > 0 && other.degree === 0)
              for (let n = 0; n < other.count; n++) out.push('+', this.padded(o, other.row));
          } else
            for (let n = 0; n < other.count; n++) out.push(op, this.combine(s, row, other.row));
        }
      }
      // Apply the change to this side's state.
      if (semiAnti && s === 0) {
        if ((this.joinKind === 'semi') === degree > 0) out.push(sign > 0 ? '+' : '-', row);
      } else if (this.preserves(s) && degree === 0)
        out.push(sign > 0 ? '+' : '-', this.padded(s, row));
      const needStore = !nullKey || this.preserves(s) || (semiAnti && s === 0);
      if (!needStore) return;
      const id = ownIds[i]!;
      let mine = own.get(id);
      if (!mine) {
        mine = new Map();
        own.set(id, mine);
      }
      // Rows are told apart by their exact form, so a retraction finds the very row it retracts.
      const rk = exactRowKey(row, this.rowTypes[s]);
      const e = mine.get(rk);
      const count = (e?.count ?? 0) + sign;
      if (count < 0)
        throw new SqlError(
          SqlState.internalError,
          'stream state inconsistency in join: retracting a missing row',
        );
      if (count === 0) {
        mine.delete(rk);
        if (mine.size === 0) own.delete(id);
      } else if (e) e.count = count;
      else mine.set(rk, { row, count, degree });
    });
    own.compact();
    return out.build();
  }

  /** Per side: [keys with rows, keys the Wasm table holds] (for memory-bound tests). */
  get keyTableSizes(): [number, number][] {
    return this.state.map((ix) => [ix.size, ix.tableSize]);
  }

  describe(): string {
    const eq = this.leftKeys.map(
      (l, i) => `${exprText(l, this.leftNames)} = ${exprText(this.rightKeys[i]!, this.rightNames)}`,
    );
    return `type: ${this.joinKind}${eq.length ? `, predicate: ${eq.join(' AND ')}` : ''}${this.condition ? `, condition: ${exprText(this.condition, this.names)}` : ''}`;
  }
}
