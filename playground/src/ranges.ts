/** Places in the script: the statement a shortcut runs, and the extent an error marks. */
import { splitStatements } from '../../runtime/sql/split.js';
import type { EngineError } from './protocol.js';

/** The statement at `cursor`: the one it is in, else the last one before it, else the first. */
export function statementAt(
  script: string,
  cursor: number,
): { text: string; offset: number } | undefined {
  const statements = splitStatements(script);
  let pick = statements[0];
  for (const s of statements) if (s.offset <= cursor) pick = s;
  return pick;
}

/** The extent to mark for an error: the token at its position, else its whole statement. */
export function errorRange(doc: string, e: EngineError): { from: number; to: number } {
  if (e.position === undefined)
    return { from: e.from ?? 0, to: Math.max(e.to ?? doc.length, e.from ?? 0) };
  const from = Math.min(e.position, doc.length);
  const word = /^(?:[\p{L}\p{N}_$]+|"(?:[^"]|"")*"|'(?:[^']|'')*'|\S)/u.exec(doc.slice(from));
  return { from, to: from + (word?.[0].length ?? 0) };
}
