/**
 * Shared by the durability tests: a database opened on a shared object store as a restarted
 * process would open it, and the state of every relation checked against batch recompute.
 */
import { expect } from 'vitest';
import { Database, type Session } from '../../runtime/engine.js';
import { Durability, type DurabilityOptions } from '../../runtime/durability/durability.js';
import type { ObjectStore } from '../../runtime/storage/object-store.js';
import { formatValue } from '../../runtime/types/format.js';
import type { Row } from '../../runtime/types/value.js';

/** The instance currently writing each shared store, and how to stop it as a crash would. */
const writers = new WeakMap<ObjectStore, () => void>();

/**
 * Opens a database on `shared` as a restarted process would: the instance that was writing to
 * it stops at once (a crash), so its background work (a checkpoint in flight) touches nothing.
 */
export async function open(
  shared: ObjectStore,
  o: DurabilityOptions = {},
  db: Database = new Database(),
) {
  writers.get(shared)?.();
  let dead = false;
  const hang = new Promise<never>(() => {});
  const guard = <T>(f: () => Promise<T>): Promise<T> => (dead ? hang : f());
  const store: ObjectStore = {
    description: shared.description,
    put: (n, d) => guard(() => shared.put(n, d)),
    get: (n) => guard(() => shared.get(n)),
    list: (p) => guard(() => shared.list(p)),
    delete: (n) => guard(() => shared.delete(n)),
  };
  writers.set(shared, () => (dead = true));
  const { durability, recovery } = await Durability.open(db, store, o);
  const session = db.connect();
  const run = async (sql: string) => {
    const r = session.execute(sql);
    await durability.waitDurable();
    return r;
  };
  return { db, session, durability, recovery, run };
}

export function text(session: Session, sql: string): string[] {
  const r = session.execute(sql).pop()!;
  return (r.rows ?? []).map((row: Row) =>
    row
      .map((v, i) =>
        v === null ? 'NULL' : formatValue(v, r.columns![i]!.type, { timeZone: 'UTC' }),
      )
      .join('|'),
  );
}

/** Rows of every table and view, and each view against its query run as a batch query. */
export function state(db: Database, session: Session): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const rel of [...db.catalog.relations.values()].sort((a, b) => a.id - b.id)) {
    if (rel.kind === 'view') continue;
    const rows = text(session, `SELECT * FROM ${rel.name}`).sort();
    out[`${rel.kind} ${rel.name}`] = rows;
    if (rel.kind === 'materializedView') {
      const recompute = text(session, rel.definition.replace(/^[\s\S]*?\bAS\b\s*/i, '')).sort();
      expect(rows, `view ${rel.name} equals its query`).toEqual(recompute);
    }
  }
  return out;
}
