/**
 * Extracts the SQL records of sqllogictest files (for the peer-suite round-trip test).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface PeerRecord {
  file: string;
  line: number;
  sql: string;
  /** `statement error` / `query error`, or a file named for errors: may be invalid on purpose. */
  expectError: boolean;
  /** Uses the runner's `$VAR` / `${var}` substitution, so it is not SQL as written. */
  templated: boolean;
}

const SKIP = /^(include|control|system|sleep|onlyif|skipif|halt|hash-threshold|connection)\b/;

export function extractRecords(file: string, text: string): PeerRecord[] {
  const lines = text.split('\n');
  const out: PeerRecord[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!.trim();
    const m = /^(statement|query)\b\s*(\S*)/.exec(line);
    if (!m) {
      i++;
      continue;
    }
    const start = i + 1;
    const expectError = m[2] === 'error' || /error/i.test(file);
    const body: string[] = [];
    i++;
    while (i < lines.length) {
      const l = lines[i]!;
      if (l.trim() === '' || l.trim() === '----') break;
      if (!l.trimStart().startsWith('#')) body.push(l);
      i++;
    }
    // skip result block
    if (i < lines.length && lines[i]!.trim() === '----') {
      i++;
      while (i < lines.length && lines[i]!.trim() !== '') i++;
    }
    const sql = body.join('\n').trim();
    if (sql && !SKIP.test(sql))
      out.push({
        file,
        line: start + 1,
        sql,
        expectError,
        templated: /\$\{|\$[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_$])/.test(sql),
      });
  }
  return out;
}

export function sltFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries.sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...sltFiles(p));
    else if (e.endsWith('.slt') || e.endsWith('.slt.part')) out.push(p);
  }
  return out;
}

export function peerRecords(dirs: string[]): PeerRecord[] {
  return dirs.flatMap((d) =>
    sltFiles(d).flatMap((f) => extractRecords(f, readFileSync(f, 'utf8'))),
  );
}
