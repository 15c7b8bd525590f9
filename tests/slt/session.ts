/**
 * SltConnection over the embedded engine: one `Session` of a `Database`, values rendered as
 * PostgreSQL text with `formatValue` in the session's time zone.
 */
import { Database, type Session, type StatementResult } from '../../runtime/engine.js';
import { formatValue } from '../../runtime/types/format.js';
import type { SltConnection, SltResult } from './runner.js';

export class SessionConnection implements SltConnection {
  /** Every statement is visible when it returns: a retry waits at most one backoff. */
  readonly maxRetryWaitMs = 1000;

  constructor(readonly session: Session) {}

  async run(sql: string): Promise<SltResult> {
    const results = this.session.execute(sql);
    return toSltResult(results[results.length - 1], this.session.settings.timeZone);
  }
}

/** Renders an engine result for the runner; a script of zero statements yields `EMPTY`. */
export function toSltResult(r: StatementResult | undefined, timeZone: string): SltResult {
  if (!r) return { tag: 'EMPTY' };
  const columns = r.columns;
  if (!columns || !r.rows) return { tag: r.tag };
  return {
    columns: columns.map((c) => ({ name: c.name, type: c.type })),
    rows: r.rows.map((row) =>
      row.map((v, j) => (v === null ? null : formatValue(v, columns[j]!.type, { timeZone }))),
    ),
  };
}

/** A connector for runSltFile: every named connection is a new session of one fresh database. */
export function embeddedConnector(db = new Database()): (name: string) => SltConnection {
  return () => new SessionConnection(db.connect());
}
