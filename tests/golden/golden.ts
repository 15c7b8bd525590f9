/**
 * Golden plan files: each `tests/golden/<suite>/<name>.sql` holds statements (setup DDL and
 * `EXPLAIN ...`), one per `;`-terminated line group; its `.out` holds every EXPLAIN statement
 * followed by the plan it prints (or the error it raises). `npm run golden:update` rewrites the
 * `.out` files; the golden test compares them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Database } from '../../runtime/engine.js';
import { SqlError } from '../../runtime/errors.js';

export const goldenRoot = dirname(fileURLToPath(import.meta.url));

/** The statements of a golden input: split at `;` ending a line, `--` comment lines dropped. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((s) =>
      s
        .split('\n')
        .filter((l) => !l.trim().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((s) => s !== '');
}

/** Runs a golden input on a fresh database and renders the expected-output text. */
export function renderGolden(sql: string): string {
  const session = new Database().connect();
  const out: string[] = [];
  for (const stmt of splitStatements(sql)) {
    const explain = /^explain\b/i.test(stmt);
    let lines: string[];
    try {
      const results = session.execute(stmt);
      lines = (results[results.length - 1]?.rows ?? []).map((r) => String(r[0]));
    } catch (err) {
      if (!(err instanceof SqlError)) throw err;
      lines = [`ERROR ${err.code}: ${err.message}`];
      if (!explain) throw new Error(`golden setup statement failed: ${stmt}\n${lines[0]}`);
    }
    if (!explain) continue;
    out.push(`${stmt};`, ...lines, '');
  }
  return out.join('\n');
}

/** Every golden input under `suite`, as [sql path, out path]. */
export function goldenFiles(suite: string): { name: string; sql: string; out: string }[] {
  const dir = join(goldenRoot, suite);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ name: f.slice(0, -4), sql: join(dir, f), out: join(dir, `${f.slice(0, -4)}.out`) }));
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

export const goldenSuites = ['stream'];
