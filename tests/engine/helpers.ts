/** Test helpers: run SQL on a fresh embedded session and read results as PostgreSQL text. */
import { Database, type Session } from '../../runtime/engine.js';
import { formatValue } from '../../runtime/types/format.js';
import { SqlError } from '../../runtime/errors.js';

export function newSession(): Session {
  return new Database().connect();
}

/** Runs statements; returns the last result's rows as text (NULL as null). */
export function query(session: Session, sql: string): (string | null)[][] {
  const results = session.execute(sql);
  const last = results[results.length - 1];
  if (!last?.rows || !last.columns) return [];
  const cols = last.columns;
  return last.rows.map((r) =>
    r.map((v, i) =>
      v === null ? null : formatValue(v, cols[i]!.type, { timeZone: session.settings.timeZone }),
    ),
  );
}

export function columns(session: Session, sql: string): string[] {
  const results = session.execute(sql);
  return results[results.length - 1]?.columns?.map((c) => c.name) ?? [];
}

/** The SqlError a statement raises (fails the test if it succeeds or throws something else). */
export function sqlError(session: Session, sql: string): SqlError {
  try {
    session.execute(sql);
  } catch (err) {
    if (err instanceof SqlError) return err;
    throw err;
  }
  throw new Error(`expected an error from: ${sql}`);
}
