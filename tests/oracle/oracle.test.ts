/**
 * The PostgreSQL oracle: every query of tests/oracle/corpus/*.sql runs on PostgreSQL 15 and on
 * Sluice, and the results must be equal — column names, and every value as PostgreSQL text.
 * Rows are compared in order when the outermost query has ORDER BY, otherwise as sorted lists.
 *
 * One PostgreSQL server serves the whole file; each corpus file gets a fresh PostgreSQL database
 * and a fresh Sluice `Database`, both set up with the file's leading CREATE/INSERT statements.
 * Missing PostgreSQL binaries fail the suite (startPostgres throws): CI installs them.
 *
 * With ORACLE_REPORT=path set, each disagreement is also appended to that file as a JSON line.
 */
import { appendFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import {
  hasTopLevelOrderBy,
  loadCorpus,
  loadSluice,
  normalise,
  pgConnect,
  runPg,
  runSluice,
  showOutcome,
  withDatabase,
  type CorpusQuery,
  type Outcome,
  type SluiceApi,
  type SluiceSession,
} from './harness.js';

const corpus = loadCorpus();
let server: PostgresServer | undefined;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

function report(file: string, q: CorpusQuery, expected: Outcome, got: Outcome): void {
  const path = process.env['ORACLE_REPORT'];
  if (!path) return;
  const entry = {
    file,
    line: q.line,
    sql: q.sql,
    expected: showOutcome(expected),
    got: showOutcome(got),
  };
  appendFileSync(path, JSON.stringify(entry) + '\n');
}

for (const cf of corpus) {
  describe(cf.file, () => {
    let client: pg.Client | undefined;
    let api: SluiceApi | undefined;
    let session: SluiceSession | undefined;
    /** Why Sluice could not be prepared; each query test fails with it. */
    let sluiceProblem: string | undefined;

    beforeAll(async () => {
      if (!server) throw new Error('PostgreSQL did not start');
      const dbName = `oracle_${cf.file.replace(/\W/g, '_')}`;
      const admin = await pgConnect(server.url);
      await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
      await admin.query(`CREATE DATABASE ${dbName}`);
      await admin.end();
      client = await pgConnect(withDatabase(server.url, dbName));
      await client.query(`SET TIME ZONE 'UTC'`);
      for (const sql of cf.setup) {
        const r = await runPg(client, sql);
        if (!r.ok)
          throw new Error(`${cf.file}: setup fails in PostgreSQL: ${sql}\n${showOutcome(r)}`);
      }

      try {
        api = await loadSluice();
      } catch (err) {
        sluiceProblem = `Sluice engine failed to load: ${String(err)}`;
        return;
      }
      session = api.newSession();
      for (const sql of [`SET TIME ZONE 'UTC'`, ...cf.setup]) {
        const r = runSluice(api, session, sql);
        if (!r.ok) {
          sluiceProblem = `Sluice setup failed on: ${sql}\n${showOutcome(r)}`;
          return;
        }
      }
    });

    afterAll(async () => {
      await client?.end();
    });

    test.each(cf.queries.map((q) => [q.name, q] as const))('%s', async (_name, q) => {
      const expected = await runPg(client!, q.sql);
      if (!expected.ok) {
        throw new Error(`corpus query fails in PostgreSQL:\n${q.sql}\n${showOutcome(expected)}`);
      }
      if (sluiceProblem) throw new Error(sluiceProblem);
      const got = runSluice(api!, session!, q.sql);
      const ordered = hasTopLevelOrderBy(q.sql);
      const same =
        got.ok &&
        JSON.stringify(normalise(got.result, ordered)) ===
          JSON.stringify(normalise(expected.result, ordered));
      if (!same) report(cf.file, q, expected, got);
      expect(got.ok, `Sluice raised an error for:\n${q.sql}\n${showOutcome(got)}`).toBe(true);
      if (!got.ok) return;
      expect(normalise(got.result, ordered), q.sql).toEqual(normalise(expected.result, ordered));
    });
  });
}
