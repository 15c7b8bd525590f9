/**
 * Golden EXPLAIN tests: the plan each golden input prints must equal its committed `.out` file
 * (regenerate with `npm run golden:update` after an intended plan change and review the diff).
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goldenFiles, goldenSuites, readText, renderGolden, splitStatements } from './golden.js';

for (const suite of goldenSuites) {
  describe(`golden ${suite} plans`, () => {
    const files = goldenFiles(suite);
    it('has inputs', () => {
      expect(files.length).toBeGreaterThan(0);
    });
    for (const f of files) {
      it(f.name, () => {
        expect(existsSync(f.out), `${f.out} missing: run npm run golden:update`).toBe(true);
        expect(renderGolden(readText(f.sql))).toBe(readText(f.out));
      });
    }
  });
}

describe('golden input splitting', () => {
  it('splits at line-ending semicolons and drops comment lines', () => {
    expect(splitStatements('-- c\nCREATE TABLE t (a int);\nEXPLAIN CREATE MATERIALIZED VIEW v AS\n  SELECT a FROM t;\n')).toEqual([
      'CREATE TABLE t (a int)',
      'EXPLAIN CREATE MATERIALIZED VIEW v AS\n  SELECT a FROM t',
    ]);
  });
});
