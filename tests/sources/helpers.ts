/**
 * Shared by the source tests: the Nexmark DDL and queries, databases whose tables hold a range
 * of generated events (the oracle a source-fed view is compared with), and a source loop on an
 * injected clock, driven by hand.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database, type Session } from '../../runtime/engine.js';
import { SourceLoop, type SourceLoopOptions } from '../../runtime/source-loop.js';
import { NexmarkGenerator } from '../../runtime/sources/nexmark.js';
import type { GeneratorOptions } from '../../runtime/sources/generator.js';
import { formatValue } from '../../runtime/types/format.js';
import { NEXMARK_QUERIES, nexmarkQuery } from '../support/nexmark.js';

export const QUERIES = NEXMARK_QUERIES ?? '/work/shared/peer/risingwave/nexmark-queries';
export const HAVE_QUERIES = existsSync(join(QUERIES, 'ddl_source_nexmark_connector.sql'));

/** A file of the Nexmark query folder without its comments. */
export function nexmarkFile(name: string): string {
  return readFileSync(join(QUERIES, name), 'utf8')
    .replace(/^--.*$/gm, '')
    .trim();
}

export { nexmarkQuery };

/** The options of the source DDL's WITH clause (what the oracle's generator is given). */
export const SOURCE_OPTIONS: GeneratorOptions = {
  'nexmark.split.num': '2',
  'nexmark.min.event.gap.in.ns': '100',
};

/** Result rows as text lines, sorted: a multiset to compare. */
export function lines(session: Session, sql: string): string[] {
  const r = session.execute(sql).pop()!;
  return (r.rows ?? [])
    .map((row) =>
      row
        .map((v, j) =>
          v === null ? 'NULL' : formatValue(v, r.columns![j]!.type, { timeZone: 'UTC' }),
        )
        .join('|'),
    )
    .sort();
}

/**
 * A database with RisingWave's Nexmark tables holding events `from` to `to` of the generator
 * with `options` (seed 0, as sources use): what a view over a source that read those events
 * must equal, run as a batch query.
 */
export function nexmarkTables(options: GeneratorOptions, from: number, to: number): Session {
  const db = new Database();
  const session = db.connect();
  session.execute(nexmarkFile('ddl_tables.sql'));
  const g = new NexmarkGenerator(options, { seed: 0, offset: from });
  session.applyChanges(() => {
    for (const b of g.next(to - from)) {
      const id = db.catalog.get(b.table)!.id;
      for (const row of b.rows) db.insertRow(id, row);
    }
  });
  return session;
}

/** A source loop on a clock the test moves. */
export function manualLoop(
  db: Database,
  o: SourceLoopOptions = {},
): { loop: SourceLoop; advance(ms: number): Promise<number>; now(): number } {
  let t = 0;
  const loop = new SourceLoop(db, { clock: () => t, setTimer: (fn) => fn(), ...o });
  return {
    loop,
    now: () => t,
    /** Moves the clock on by `ms` and runs one turn; resolves with the rows ingested. */
    advance: async (ms: number) => {
      t += ms;
      return (await loop.step()).rows;
    },
  };
}

/** The offset of relation `name`'s connector. */
export function offsetOf(loop: SourceLoop, name: string): number {
  const s = loop.status().find((x) => x.relation === name);
  if (!s) throw new Error(`no connector for ${name}`);
  return s.offset;
}
