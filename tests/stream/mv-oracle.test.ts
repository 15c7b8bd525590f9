/**
 * The oracle, property-tested: random tables (with and without a primary key), random DML and
 * random views covering every stream operator, alone and stacked. After every statement each
 * view equals its defining query run as a batch query. Seeds are fixed so CI runs are
 * reproducible; a failing seed, once fixed, is kept as a case under regressions/.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { caseArb, caseScript, runOracleCase, toOracleCase } from './oracle.js';

const RUNS = Number(process.env.MV_ORACLE_RUNS ?? 1800);
const SEEDS = process.env.MV_ORACLE_SEEDS
  ? process.env.MV_ORACLE_SEEDS.split(',').map(Number)
  : [20261127, 7, 424242];

describe('materialized views equal their queries (oracle)', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, () => {
      fc.assert(
        fc.property(caseArb, (g) => {
          const c = toOracleCase(g);
          try {
            runOracleCase(c);
          } catch (err) {
            throw new Error(`${(err as Error).message}\n--- script\n${caseScript(c)}`, {
              cause: err,
            });
          }
        }),
        { seed, numRuns: Math.ceil(RUNS / SEEDS.length) },
      );
      expect(true).toBe(true);
    });
  }
});
