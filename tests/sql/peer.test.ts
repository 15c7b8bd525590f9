/**
 * Parses every SQL record of the peer sqllogictest suite and round-trips each one that parses.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStatements } from '../../runtime/sql/parser.js';
import { printStatement } from '../../runtime/sql/print.js';
import { SqlError } from '../../runtime/errors.js';
import { peerRecords } from './peer-sql.js';
import { stripPos } from './util.js';

const BASE = new URL('../../../shared/peer/risingwave/e2e_test/', import.meta.url).pathname;
const DIRS = ['batch', 'streaming', 'dml', 'over_window'].map((d) => BASE + d);

describe.skipIf(!existsSync(BASE))('peer suite SQL', () => {
  it('parses > 97% of the valid statements and round-trips all that parse', () => {
    const records = peerRecords(DIRS).filter((r) => !r.templated);
    let valid = 0;
    let parsed = 0;
    let unknownType = 0;
    const roundTripFailures: string[] = [];
    for (const r of records) {
      if (!r.expectError) valid++;
      let stmts;
      try {
        stmts = parseStatements(r.sql);
      } catch (e) {
        // 42704: well-formed SQL naming a type Sluice does not have (rw_int256, regclass, map...)
        if (!r.expectError && e instanceof SqlError && e.code === '42704') unknownType++;
        continue;
      }
      if (!r.expectError) parsed++;
      for (const s of stmts) {
        const text = printStatement(s);
        try {
          const back = parseStatements(text);
          expect(stripPos(back)).toEqual([stripPos(s)]);
        } catch (e) {
          roundTripFailures.push(
            `${r.file}:${r.line}: ${r.sql}\n=> ${text}\n${(e as Error).message}`,
          );
        }
      }
    }
    const pct = (n: number): string => ((n / valid) * 100).toFixed(2);
    console.log(
      `peer SQL: ${records.length} records, ${valid} valid; parsed ${parsed} (${pct(parsed)}%), ` +
        `well-formed with an unknown type ${unknownType}, syntax-level ${pct(parsed + unknownType)}%`,
    );
    expect(roundTripFailures.slice(0, 5)).toEqual([]);
    expect(valid).toBeGreaterThan(5000);
    expect(parsed / valid).toBeGreaterThan(0.97);
    expect((parsed + unknownType) / valid).toBeGreaterThan(0.975);
  });
});
