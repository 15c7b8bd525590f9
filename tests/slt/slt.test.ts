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

/**
 * One peer suite: every entry `.slt` file under `dir`. Each entry file's own records and each
 * `.slt.part` file it includes are units: a unit listed in the known-failures file must have a
 * failing record (so the list stays honest), every other unit must pass in full.
 */
function peerSuite(name: string, dir: string, summaryFile: string): void {
  describe(`peer suite: RisingWave ${dir}`, () => {
    const skip = readList(join(repoRoot, 'tests/peer-skiplist.txt'));
    const known = readList(join(repoRoot, 'tests/peer-known-failures.txt'));
    const files = globFiles(join(peerRoot, `${dir}/**/*.slt`)).map((f) => relative(peerRoot, f));
    const results: { file: string; status: string; result?: FileResult }[] = [];

    test('the peer suite is present', () => {
      expect(files.length, `no .slt files under ${peerRoot}`).toBeGreaterThan(0);
      for (const listed of [...skip.keys(), ...known.keys()])
        expect(existsSync(join(peerRoot, listed)), `listed file ${listed} does not exist`).toBe(
          true,
        );
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
          results.push({ file, status: r.failed === 0 ? 'passed' : 'failed', result: r });
          const problems: string[] = [];
          for (const [source, counts] of Object.entries(r.bySource)) {
            const unit = relative(peerRoot, source);
            if (skip.has(unit)) continue;
            if (known.has(unit)) {
              if (counts.failed === 0)
                problems.push(`${unit} now passes: remove it from tests/peer-known-failures.txt`);
            } else if (counts.failed > 0) problems.push(`${unit}: ${counts.failed} failed records`);
          }
          expect(problems, problems.length ? formatFailures(r, 10) : '').toEqual([]);
        },
        FILE_TIMEOUT,
      );
    }

    afterAll(() => {
      const sum = (k: 'passed' | 'failed' | 'skipped'): number =>
        results.reduce((n, x) => n + (x.result?.[k] ?? 0), 0);
      const units = results.flatMap((x) => Object.entries(x.result?.bySource ?? {}));
      const summary = {
        suite: name,
        files: {
          total: files.length,
          passed: results.filter((x) => x.status === 'passed').length,
          failed: results.filter((x) => x.status === 'failed').length,
          skipped: results.filter((x) => x.status === 'skipped').length,
        },
        units: {
          total: units.length,
          passed: units.filter(([, c]) => c.failed === 0).length,
          failed: units.filter(([, c]) => c.failed > 0).length,
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
                  failures: x.result.failures.slice(0, 50),
                  bySource: Object.fromEntries(
                    Object.entries(x.result.bySource).map(([f, c]) => [relative(peerRoot, f), c]),
                  ),
                }
              : {}),
          })),
      };
      writeFileSync(join(repoRoot, summaryFile), JSON.stringify(summary, null, 2) + '\n');
      console.log(
        `peer suite ${name}: files ${summary.files.passed} passed, ${summary.files.failed} failed, ` +
          `${summary.files.skipped} skipped of ${summary.files.total}; units ${summary.units.passed} passed, ` +
          `${summary.units.failed} failed; records ${summary.records.passed} passed, ${summary.records.failed} failed, ` +
          `${summary.records.skipped} skipped (${summary.records.errorMismatches} error-message mismatches)`,
      );
    });
  });
}

peerSuite('batch', 'e2e_test/batch', 'tests/slt/peer-summary.json');
