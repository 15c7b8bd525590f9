/**
 * The `Backend` the network surfaces use, over Sluice's embedded engine (`runtime/engine.ts`).
 */
import { Database, type Session } from '../runtime/engine.js';
import { parseStatements } from '../runtime/sql/parser.js';
import { tokenize } from '../runtime/sql/tokenizer.js';
import { posixZone, validateTimeZone } from '../runtime/types/datetime.js';
import { formatValue } from '../runtime/types/format.js';
import { SqlError, SqlState } from '../runtime/errors.js';
import type {
  Backend,
  BackendSession,
  QueryUnit,
  TextChange,
  ViewSubscription,
} from './backend.js';

class EngineSession implements BackendSession {
  constructor(private readonly session: Session) {}

  get settings(): Session['settings'] {
    return this.session.settings;
  }

  get inTransaction(): boolean {
    return this.session.inTransaction;
  }

  parse(sql: string): QueryUnit[] {
    return parseStatements(sql).map((stmt) => ({
      kind: stmt.kind,
      run: () => this.session.executeStatement(stmt, sql),
    }));
  }

  prepare(...args: Parameters<Session['prepare']>): ReturnType<Session['prepare']> {
    const p = this.session.prepare(...args);
    // Every $n in the text is a parameter, even where the engine inferred no type for it (it
    // does not yet for INSERT/UPDATE/DELETE): those are read as text, as PostgreSQL reads
    // parameters of unknown type.
    let max = 0;
    for (const t of tokenize(p.sql)) if (t.kind === 'param') max = Math.max(max, Number(t.value));
    if (p.paramTypes.length >= max) return p;
    const paramTypes = p.paramTypes.slice();
    while (paramTypes.length < max)
      paramTypes.push(args[1]?.[paramTypes.length] ?? { kind: 'unknown' });
    return { ...p, paramTypes };
  }

  executePrepared(
    ...args: Parameters<Session['executePrepared']>
  ): ReturnType<Session['executePrepared']> {
    return this.session.executePrepared(...args);
  }

  formatValue(...[v, type]: Parameters<BackendSession['formatValue']>): string {
    return formatValue(v, type, { timeZone: this.session.settings.timeZone });
  }

  applyStartupParameter(name: string, value: string): void {
    const key = name.toLowerCase();
    if (key === 'timezone')
      // A startup value is a string, so a bare number is a POSIX offset, as PostgreSQL reads it.
      this.session.settings.timeZone = validateTimeZone(posixZone(value));
    // The encoding is always UTF8; whatever a client asks for is read as UTF8.
    else if (key === 'client_encoding') return;
    else this.session.settings.vars.set(key, value);
  }

  close(): void {
    // Sessions hold no resources beyond their settings.
  }
}

/** A backend serving one in-memory `Database`. */
export class EngineBackend implements Backend {
  constructor(readonly db: Database = new Database()) {}

  connect(): BackendSession {
    return new EngineSession(this.db.connect());
  }

  subscribe(name: string, listener: (changes: TextChange[]) => void): ViewSubscription {
    const rel = this.db.catalog.get(name);
    if (!rel || rel.kind !== 'materializedView')
      throw new SqlError(SqlState.undefinedTable, `materialized view "${name}" does not exist`);
    // Hidden columns (row ids) are not part of the view's rows as clients see them.
    const visible = rel.columns.flatMap((c, i) => (c.hidden ? [] : [i]));
    const columns = visible.map((i) => ({
      name: rel.columns[i]!.name,
      type: rel.columns[i]!.type,
    }));
    // Rows are rendered as UTC text: a subscription belongs to no session with a time zone.
    const unsubscribe = this.db.subscribe(name, (changes) =>
      listener(
        changes.map((c) => ({
          op: c.op,
          row: visible.map((i, k) => {
            const v = c.row[i] ?? null;
            return v === null ? null : formatValue(v, columns[k]!.type, { timeZone: 'UTC' });
          }),
        })),
      ),
    );
    return { columns, unsubscribe };
  }

  viewRowCounts(): { name: string; rows: number }[] {
    return [...this.db.catalog.relations.values()]
      .filter((r) => r.kind === 'materializedView')
      .map((r) => ({ name: r.name, rows: this.db.scanRelation(r.id).length }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
