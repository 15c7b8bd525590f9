/**
 * What the `sluice` command line and its interactive shell share: the console they write to,
 * the version they report, and psql-style rendering of results and errors.
 */
import { readFileSync } from 'node:fs';
import type { Session, StatementResult } from '../runtime/engine.js';
import { SqlError } from '../runtime/errors.js';
import { formatPsqlError, formatPsqlTable } from '../runtime/format/psql.js';
import { formatValue } from '../runtime/types/format.js';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdin: NodeJS.ReadableStream;
  isTTY: boolean;
}

export function version(): string {
  for (const rel of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'sluice' && pkg.version) return pkg.version;
    } catch {
      // try the next layout (dist/server or server)
    }
  }
  return 'unknown';
}

/** Renders one statement result as psql would print it (nothing for commands). */
export function renderResult(r: StatementResult, session: Session): string {
  const columns = r.columns;
  if (!columns || !r.rows) return '';
  const timeZone = session.settings.timeZone;
  const rows = r.rows.map((row) =>
    row.map((v, j) => (v === null ? null : formatValue(v, columns[j]!.type, { timeZone }))),
  );
  return formatPsqlTable(columns, rows);
}

/** An error as psql prints it; non-SQL errors are reported as internal errors. */
export function renderError(e: unknown, sql: string, positionOffset = 0): string {
  if (e instanceof SqlError) {
    const pos = e.position !== undefined ? e.position + positionOffset : undefined;
    return formatPsqlError(e.message, sql, pos, e.detail, e.hint);
  }
  const message = e instanceof Error ? e.message : String(e);
  return formatPsqlError(`internal error: ${message}`);
}
