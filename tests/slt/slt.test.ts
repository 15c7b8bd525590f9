/**
 * Runs the sqllogictest suites against the embedded engine:
 *  (a) Sluice's own files, tests/slt/**\/*.slt — every record must pass, error regexes included;
 *  (b) the peer suite, every .slt file under shared/peer/risingwave/e2e_test/batch, minus
 *      tests/peer-skiplist.txt. Files in tests/peer-known-failures.txt must fail (so the list
 *      stays honest); every other file must pass. Expected-error records there pass on any
 *      error (the wording is another product's); differing messages are counted as
 *      `errorMismatches` in the summary, which goes to stdout and tests/slt/peer-summary.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { globFiles } from './parser.js';
import { formatFailures, runSltFile, type FileResult } from './runner.js';
import { embeddedConnector } from './session.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sharedDir =
  [resolve(repoRoot, '../shared'), '/work/shared'].find((d) => existsSync(join(d, 'peer'))) ??
  resolve(repoRoot, '../shared');
const peerRoot = join(sharedDir, 'peer/risingwave');
const FILE_TIMEOUT = 600_000;

/** Reads a `path  # reason` list into path → reason. */
function readList(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const hash = line.indexOf('#');
    const path = (hash < 0 ? line : line.slice(0, hash)).trim();
    const reason = hash < 0 ? '' : line.slice(hash + 1).trim();
    out.set(path, reason);
  }
  return out;
}

describe('Sluice sqllogictest files', () => {
  const own = globFiles(join(repoRoot, 'tests/slt/**/*.slt'));
  test('there are files to run', () => expect(own.length).toBeGreaterThan(0));
  for (const file of own) {
    test(
      relative(repoRoot, file),
      async () => {
        const r = await runSltFile(file, embeddedConnector(), {
          labels: ['sluice'],
          errorMatching: 'strict',
        });
        expect(r.failed, formatFailures(r)).toBe(0);
      },
      FILE_TIMEOUT,
    );
  }
});

describe('peer suite: RisingWave e2e_test/batch', () => {
  const skip = readList(join(repoRoot, 'tests/peer-skiplist.txt'));
  const known = readList(join(repoRoot, 'tests/peer-known-failures.txt'));
  const files = globFiles(join(peerRoot, 'e2e_test/batch/**/*.slt')).map((f) =>
    relative(peerRoot, f),
  );
  const results: { file: string; status: string; result?: FileResult }[] = [];

  test('the peer suite is present', () => {
    expect(files.length, `no .slt files under ${peerRoot}`).toBeGreaterThan(0);
    for (const listed of [...skip.keys(), ...known.keys()])
      expect(files, `listed file ${listed} does not exist`).toContain(listed);
  });

  for (const file of files) {
    if (skip.has(file)) {
      results.push({ file, status: 'skipped' });
      continue;
    }
    test(
      file,
      async () => {
        const r = await runSltFile(join(peerRoot, file), embeddedConnector(), {
          // `serial`: each file gets its own database, as RisingWave's serial runs do.
          labels: ['sluice', 'serial'],
          errorMatching: 'any-error',
        });
        const passed = r.failed === 0;
        results.push({ file, status: passed ? 'passed' : 'failed', result: r });
        if (known.has(file))
          expect(passed, `${file} now passes: remove it from tests/peer-known-failures.txt`).toBe(
            false,
          );
        else expect(r.failed, formatFailures(r, 10)).toBe(0);
      },
      FILE_TIMEOUT,
    );
  }

  afterAll(() => {
    const sum = (k: 'passed' | 'failed' | 'skipped'): number =>
      results.reduce((n, x) => n + (x.result?.[k] ?? 0), 0);
    const summary = {
      files: {
        total: files.length,
        passed: results.filter((x) => x.status === 'passed').length,
        failed: results.filter((x) => x.status === 'failed').length,
        skipped: results.filter((x) => x.status === 'skipped').length,
      },
      records: {
        passed: sum('passed'),
        failed: sum('failed'),
        skipped: sum('skipped'),
        errorMismatches: results.reduce((n, x) => n + (x.result?.errorMismatches.length ?? 0), 0),
      },
      perFile: results
        .slice()
        .sort((a, b) => a.file.localeCompare(b.file))
        .map((x) => ({
          file: x.file,
          status: x.status,
          ...(x.status === 'skipped' ? { reason: skip.get(x.file) } : {}),
          ...(x.result
            ? {
                passed: x.result.passed,
                failed: x.result.failed,
                skipped: x.result.skipped,
                ...(x.result.parseError ? { parseError: x.result.parseError } : {}),
                firstFailure: x.result.failures[0],
                bySource: Object.fromEntries(
                  Object.entries(x.result.bySource).map(([f, c]) => [relative(peerRoot, f), c]),
                ),
              }
            : {}),
        })),
    };
    writeFileSync(
      join(repoRoot, 'tests/slt/peer-summary.json'),
      JSON.stringify(summary, null, 2) + '\n',
    );
    console.log(
      `peer suite: files ${summary.files.passed} passed, ${summary.files.failed} failed, ` +
        `${summary.files.skipped} skipped of ${summary.files.total}; records ` +
        `${summary.records.passed} passed, ${summary.records.failed} failed, ` +
        `${summary.records.skipped} skipped (${summary.records.errorMismatches} error-message mismatches)`,
    );
  });
});
