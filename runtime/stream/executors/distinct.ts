/**
 * DistinctExecutor — Δ(distinct): keeps, per distinct row (by SQL equality), the count of every
 * exact form it arrived in (1.0 and 1.00 are one distinct numeric, written two ways). A row is
 * emitted as an insert when its value first appears and as a delete when its last copy goes;
 * when the copies of the form it was emitted in are all deleted while an equal row written
 * differently remains, the emitted row is replaced by that one (U-/U+). Other changes produce
 * nothing. U-/U+ are treated as delete/insert.
 * State: per distinct row, a multiset of its exact forms and the form emitted.
 */
import type { ColumnSchema } from '../../plan/logical.js';
import type { Row } from '../../types/value.js';
import { rowKey } from '../../exec/executor.js';
import { ChunkBuilder, opSign, type StreamChunk } from '../chunk.js';
import type { StreamEnv, StreamExecutor } from '../executor.js';
import { RowMultiset } from '../multiset.js';

interface Distinct {
  forms: RowMultiset;
  emitted: Row;
}

export class DistinctExecutor implements StreamExecutor {
  readonly name = 'StreamDistinct';
  private readonly state = new Map<string, Distinct>();
  private readonly types;
  constructor(readonly schema: ColumnSchema[]) {
    this.types = schema.map((c) => c.type);
  }

  process(chunk: StreamChunk, _port: number, env: StreamEnv): StreamChunk | null {
    env.stats.rowsIn += chunk.size;
    const out = new ChunkBuilder();
    chunk.rows.forEach((row, i) => {
      const sign = opSign(chunk.ops[i]!);
      env.stats.stateTouches++;
      const key = rowKey(row, this.types);
      let d = this.state.get(key);
      if (!d) {
        d = { forms: new RowMultiset(this.types), emitted: row };
        this.state.set(key, d);
      }
      d.forms.add(row, sign);
      if (d.forms.size === 0) {
        this.state.delete(key);
        out.push('-', d.emitted);
      } else if (sign > 0 && d.forms.size === 1) {
        d.emitted = row;
        out.push('+', row);
      } else if (!d.forms.entries.has(d.forms.keyOf(d.emitted))) {
        const next = d.forms.entries.values().next().value!.row;
        out.update(d.emitted, next);
        d.emitted = next;
      }
    });
    return out.build();
  }

  describe(): string {
    return `columns: [${this.schema.map((c) => c.name).join(', ')}]`;
  }
}
