/**
 * The built `sluice` CLI run as a child process (`node bin/sluice.js ...`; needs `npm run
 * build`). Query output and error output are compared byte for byte with real psql running the
 * same SQL on a throwaway PostgreSQL server. The tests under "needs the engine" fail until the
 * embedded engine executes SQL; they are meant to, so they are not skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runPsqlRaw, startPostgres, type PostgresServer } from '../support/postgres.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const bin = join(repoRoot, 'bin/sluice.js');
const shared = [resolve(repoRoot, '../shared'), '/work/shared'].find((d) =>
  existsSync(join(d, 'scenarios')),
);

function sluice(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    input: input ?? '',
    timeout: 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist/server/cli.js')))
    throw new Error('dist/server/cli.js is missing: run `npm run build` first');
});

describe('sluice CLI surface', () => {
  test('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(sluice(['--version'])).toEqual({
      stdout: `sluice ${pkg.version}\n`,
      stderr: '',
      status: 0,
    });
  });

  test('--help prints usage on stdout', () => {
    const r = sluice(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^Usage:\n {2}sluice sql \[--data-dir DIR\] \[-f FILE\]\.\.\. \[-c SQL\]\.\.\./,
    );
  });

  test('an unknown command prints usage on stderr and exits 2', () => {
    const r = sluice(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown command: frobnicate[\s\S]*Usage:/);
  });

  test('an unknown sql option exits 2', () => {
    const r = sluice(['sql', '--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option: --bogus/);
  });

  test('an unreadable -f file is an error, exit 1', () => {
    const r = sluice(['sql', '-f', '/nonexistent/x.sql']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot read \/nonexistent\/x\.sql/);
  });
});

describe('sluice sql output equals psql (needs the engine)', () => {
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  /** SQL that PostgreSQL and Sluice must print identically (tables, silence, errors). */
  const SAME: Record<string, string> = {
    'a simple query': `SELECT 1 AS a, 'x' AS b`,
    'commands print nothing': `CREATE TABLE cli_t (k INT, v VARCHAR); INSERT INTO cli_t VALUES (1, 'a'), (2, NULL); DROP TABLE cli_t`,
    'several results in order': `CREATE TABLE cli_u (k INT, n NUMERIC); INSERT INTO cli_u VALUES (1, 39.50), (2, 49.99); SELECT k, n FROM cli_u ORDER BY k; SELECT sum(n) AS total FROM cli_u; DROP TABLE cli_u`,
    'zero rows': `SELECT 1 AS x WHERE false`,
    'multi-line value': `SELECT 'a' || chr(10) || 'b' AS ml, 2 AS n`,
    'undefined table stops at the first error': `SELECT 1 AS first; SELECT * FROM cli_missing; SELECT 2 AS never`,
    'syntax error with caret': `SELECT 1 +* 2`,
    'undefined column on a later line': `SELECT\n  1,\n  nope_col`,
    'division by zero': `SELECT 1 / 0`,
  };

  for (const [name, sql] of Object.entries(SAME)) {
    test(name, () => {
      const want = runPsqlRaw(pg, sql);
      const got = sluice(['sql', '-c', sql]);
      expect(got.stdout).toBe(want.stdout);
      expect(got.stderr).toBe(want.stderr);
      expect(got.status).toBe(want.status === 0 ? 0 : 1);
      expect(got.stderr).not.toMatch(/\n\s+at /);
    });
  }
});

describe('sluice sql scripts (needs the engine)', () => {
  test('-f and -c run in order on one database; --data-dir keeps the state', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-cli-'));
    const file = join(dir, 'setup.sql');
    writeFileSync(
      file,
      'CREATE TABLE t (k INT);\n-- a comment; with a semicolon\nINSERT INTO t VALUES (1), (2);\n',
    );
    const r = sluice([
      'sql',
      '--data-dir',
      join(dir, 'data'),
      '-f',
      file,
      '-c',
      'INSERT INTO t VALUES (3)',
      '-c',
      'SELECT count(*) AS n FROM t',
    ]);
    expect(r).toEqual({ stdout: ' n \n---\n 3\n(1 row)\n\n', stderr: '', status: 0 });
    // The state is in --data-dir: a second run sees it, views included, and adds to it.
    expect(
      sluice([
        'sql',
        '--data-dir',
        join(dir, 'data'),
        '-c',
        'CREATE MATERIALIZED VIEW m AS SELECT sum(k) AS s FROM t',
        '-c',
        'INSERT INTO t VALUES (10)',
      ]).status,
    ).toBe(0);
    expect(sluice(['sql', '--data-dir', join(dir, 'data'), '-c', 'SELECT s FROM m'])).toEqual({
      stdout: ' s  \n----\n 16\n(1 row)\n\n',
      stderr: '',
      status: 0,
    });
    // Without --data-dir the state is in memory only.
    expect(sluice(['sql', '-c', 'SELECT count(*) FROM t']).status).toBe(1);
  });

  test('the shell with --data-dir keeps what it ran', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-cli-'));
    const data = join(dir, 'data');
    expect(
      sluice(
        ['sql', '--data-dir', data],
        'CREATE TABLE s (x INT);\nINSERT INTO s VALUES (4);\n\\q\n',
      ).status,
    ).toBe(0);
    expect(sluice(['sql', '--data-dir', data, '-c', 'SELECT x FROM s']).stdout).toBe(
      ' x \n---\n 4\n(1 row)\n\n',
    );
  });

  test('an error in a file reports the failing statement, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-cli-'));
    const file = join(dir, 'bad.sql');
    writeFileSync(file, 'SELECT 1 AS ok;\nSELECT nope\n  FROM missing_table;\nSELECT 2;\n');
    const r = sluice(['sql', '-f', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(' ok \n----\n  1\n(1 row)\n\n');
    expect(r.stderr).toBe(
      'ERROR:  relation "missing_table" does not exist\n' +
        'LINE 2:   FROM missing_table\n' +
        '               ^\n',
    );
  });

  test('the purchase-revenue scenario prints the expected tables', () => {
    expect(shared).toBeDefined();
    const r = sluice(['sql', '-f', join(shared!, 'scenarios/seed_revenue.sql')]);
    const expected = readFileSync(join(shared!, 'scenarios/seed_revenue.expected'), 'utf8');
    const strip = (s: string): string =>
      s
        .split('\n')
        .map((l) => l.trimEnd())
        .join('\n')
        .trimEnd();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(strip(r.stdout)).toBe(strip(expected));
  });

  test('the interactive shell runs statements ending in ; and quits on \\q', () => {
    const r = sluice(
      ['sql'],
      'SELECT 1\n  AS a;\nSELECT * FROM nope;\nSELECT 2 AS b;\n\\q\nSELECT 3;\n',
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(' a \n---\n 1\n(1 row)\n\n b \n---\n 2\n(1 row)\n\n');
    expect(r.stderr).toMatch(/^ERROR: {2}relation "nope" does not exist\n/);
  });
});
