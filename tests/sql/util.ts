/** Helpers shared by the SQL syntax tests. */
import { expect } from 'vitest';
import { parseStatements } from '../../runtime/sql/parser.js';
import { printStatement } from '../../runtime/sql/print.js';
import type { Statement } from '../../runtime/sql/ast.js';

/** Deep copy without `pos` fields (positions never affect AST equality). */
export function stripPos<T>(v: T): T {
  return JSON.parse(
    JSON.stringify(v, (k: string, x: unknown) => (k === 'pos' ? undefined : x)),
  ) as T;
}

/** Deep copy without `pos` fields and with `nested` (parenthesis) nodes removed. */
export function stripNested<T>(v: T): T {
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (x !== null && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (o.kind === 'nested' && 'expr' in o) return walk(o.expr);
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(o)) if (k !== 'pos') out[k] = walk(val);
      return out;
    }
    return x;
  };
  return walk(stripPos(v)) as T;
}

/** Parse `sql`, print each statement, re-parse, and require equal trees. Returns the printed text. */
export function roundTrip(sql: string): string[] {
  const first = parseStatements(sql);
  return first.map((s: Statement) => {
    const text = printStatement(s);
    let again: Statement[];
    try {
      again = parseStatements(text);
    } catch (e) {
      throw new Error(`printed SQL does not parse: ${text}\n${(e as Error).message}`);
    }
    expect(again.length, text).toBe(1);
    expect(stripPos(again[0]), `${sql}\n=> ${text}`).toEqual(stripPos(s));
    // Printing is a fixed point after one round.
    expect(printStatement(again[0]!)).toBe(text);
    return text;
  });
}
