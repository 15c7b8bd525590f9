/**
 * Randomised differential test against PostgreSQL: fast-check builds 2–3 small tables (0–12 rows
 * of int/bigint/numeric(10,2)/text/boolean/timestamp columns, with NULLs and duplicates) and
 * random queries over them — projections with arithmetic, WHERE predicates, inner/left/full
 * joins, GROUP BY with aggregates and HAVING, DISTINCT, ORDER BY every output column + LIMIT,
 * UNION/EXCEPT/INTERSECT, IN/EXISTS/scalar subqueries — and requires Sluice to return what
 * PostgreSQL returns. When PostgreSQL raises an error (division by zero, overflow), Sluice must
 * raise one of the same SQLSTATE class.
 *
 * The seed is fixed, so a run is reproducible. With ORACLE_RANDOM_SURVEY=1 the property never
 * fails and instead appends every disagreement to ORACLE_REPORT (a JSON-lines file), to list
 * them all at once.
 */
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import {
  loadSluice,
  normalise,
  pgConnect,
  runPg,
  runSluice,
  showOutcome,
  withDatabase,
  type Outcome,
  type SluiceApi,
} from './harness.js';
import { genQuery, genTables, setupSql } from './random-gen.js';

const SEED = 20240611;
const NUM_RUNS = 200;
const SURVEY = process.env['ORACLE_RANDOM_SURVEY'] === '1';

// ---------------------------------------------------------------------------------------------
// The property

let server: PostgresServer | undefined;
let client: pg.Client | undefined;
let api: SluiceApi | undefined;

beforeAll(async () => {
  server = await startPostgres();
  const admin = await pgConnect(server.url);
  await admin.query('CREATE DATABASE oracle_random');
  await admin.end();
  client = await pgConnect(withDatabase(server.url, 'oracle_random'));
  await client.query(`SET TIME ZONE 'UTC'`);
});

afterAll(async () => {
  await client?.end();
  await server?.stop();
});

/** Equal results, or errors of the same SQLSTATE class; otherwise a description of the gap. */
function disagreement(sql: string, expected: Outcome, got: Outcome): string | null {
  if (!expected.ok) {
    if (!got.ok && got.error.code.slice(0, 2) === expected.error.code.slice(0, 2)) return null;
    return `PostgreSQL raised ${expected.error.code}, Sluice did not raise that class`;
  }
  if (!got.ok) return 'Sluice raised an error';
  const ordered = / ORDER BY \d/.test(sql);
  const a = normalise(expected.result, ordered);
  const b = normalise(got.result, ordered);
  return JSON.stringify(a) === JSON.stringify(b) ? null : 'results differ';
}

test('random queries over random tables agree with PostgreSQL', async () => {
  try {
    api = await loadSluice();
  } catch (err) {
    throw new Error(`Sluice engine failed to load: ${String(err)}`);
  }
  const sluice = api;
  const pgc = client!;
  let failures = 0;
  await fc.assert(
    fc.asyncProperty(fc.gen(), async (g) => {
      const tables = genTables(g);
      const queries = Array.from({ length: 4 }, () => genQuery(g, tables));
      const setup = tables.flatMap(setupSql);
      await pgc.query('DROP TABLE IF EXISTS t1, t2, t3');
      for (const sql of setup) {
        const r = await runPg(pgc, sql);
        if (!r.ok)
          throw new Error(`generated setup fails in PostgreSQL: ${sql}\n${showOutcome(r)}`);
      }
      const session = sluice.newSession();
      for (const sql of [`SET TIME ZONE 'UTC'`, ...setup]) {
        const r = runSluice(sluice, session, sql);
        if (!r.ok) throw new Error(`Sluice setup failed: ${sql}\n${showOutcome(r)}`);
      }
      for (const sql of queries) {
        const expected = await runPg(pgc, sql);
        const got = runSluice(sluice, session, sql);
        const why = disagreement(sql, expected, got);
        if (!why) continue;
        const detail =
          `${why}\n-- setup\n${setup.join(';\n')};\n-- query\n${sql};\n` +
          `-- PostgreSQL\n${showOutcome(expected)}\n-- Sluice\n${showOutcome(got)}`;
        const path = process.env['ORACLE_REPORT'];
        if (path) {
          appendFileSync(
            path,
            JSON.stringify({
              file: 'random',
              setup,
              sql,
              expected: showOutcome(expected),
              got: showOutcome(got),
            }) + '\n',
          );
        }
        failures++;
        if (!SURVEY) throw new Error(detail);
      }
    }),
    // No shrinking: each step costs PostgreSQL round trips, and the report is complete as is.
    { seed: SEED, numRuns: NUM_RUNS, endOnFailure: true },
  );
  if (SURVEY) console.log(`random survey: ${failures} disagreements`);
  expect(SURVEY || failures === 0).toBe(true);
}, 120_000);
