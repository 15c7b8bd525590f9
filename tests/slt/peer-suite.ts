/**
 * The sqllogictest suites as vitest tests, for any target (the embedded engine, or a server over
 * pgwire): Sluice's own files, where every record must pass, and RisingWave's peer files, gated
 * per unit (an entry `.slt` file or an included `.slt.part`): a unit listed in the target's
 * known-failures file must have a failing record (so the list stays honest), every other unit
 * must pass in full. Files in tests/peer-skiplist.txt are not run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { globFiles } from './parser.js';
import { formatFailures, runSltFile, type FileResult, type SltConnection } from './runner.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sharedDir =
  [resolve(repoRoot, '../shared'), '/work/shared'].find((d) => existsSync(join(d, 'peer'))) ??
  resolve(repoRoot, '../shared');
export const peerRoot = join(sharedDir, 'peer/risingwave');
const FILE_TIMEOUT = 600_000;

/** Where the records of one file run: a fresh database, and the sessions to reach it. */
export interface SltTarget {
  /** Opens a fresh database for one file. */
  open(): Promise<{ connect: (name: string) => SltConnection; close(): Promise<void> }>;
  /** Known-failing units for this target, relative to the repository. */
  knownFailuresFile: string;
  /**
   * Another target's known-failures file whose units may fail here too (without being required
   * to): the pgwire run tolerates the embedded engine's known failures, so its own file lists
   * only what fails over the protocol alone.
   */
  toleratedFailuresFile?: string;
  /** Labels for `onlyif`/`skipif` besides `sluice`. */
  labels?: string[];
}

/** Reads a `path  # reason` list into path → reason. */
export function readList(file: string): Map<string, string> {
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

async function runOn(target: SltTarget, file: string, opts: Parameters<typeof runSltFile>[2]) {
  const db = await target.open();
  try {
    return await runSltFile(file, db.connect, opts);
  } finally {
    await db.close();
  }
}

/** Sluice's own files, tests/slt/**\/*.slt: every record must pass, error messages included. */
export function ownSuite(title: string, target: SltTarget): void {
  describe(title, () => {
    const own = globFiles(join(repoRoot, 'tests/slt/**/*.slt'));
    test('there are files to run', () => expect(own.length).toBeGreaterThan(0));
    for (const file of own) {
      test(
        relative(repoRoot, file),
        async () => {
          const r = await runOn(target, file, {
            labels: ['sluice', ...(target.labels ?? [])],
            errorMatching: 'strict',
          });
          expect(r.failed, formatFailures(r)).toBe(0);
        },
        FILE_TIMEOUT,
      );
    }
  });
}

/** The first failure of each failing unit, as a known-failures line. */
function failingUnits(r: FileResult, skip: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const [source, counts] of Object.entries(r.bySource)) {
    const unit = relative(peerRoot, source);
    if (counts.failed === 0 || skip.has(unit)) continue;
    const first = r.failures.find((f) => f.where.startsWith(`${source}:`));
    const why = first
      ? `${first.sql.replace(/\s+/g, ' ').slice(0, 80)} -> ${String(first.got).replace(/\s+/g, ' ').slice(0, 100)}`
      : 'fails';
    lines.push(`${unit}  # ${counts.failed} failing: ${why}`);
  }
  return lines;
}

export interface PeerSuiteOptions {
  /** Runs only the entry files (relative to the peer root) this accepts. */
  filter?: (file: string) => boolean;
  /**
   * With `SLT_WRITE_KNOWN_FAILURES=1` in the environment, the units that fail are written to
   * the target's known-failures file (entries of other suites in it are kept) instead of
   * being checked against it.
   */
  target: SltTarget;
}

/** One peer suite: every entry `.slt` file under each of `dirs`. */
export function peerSuite(
  name: string,
  dirs: string[],
  summaryFile: string,
  options: PeerSuiteOptions,
): void {
  const { target } = options;
  const writeKnown = process.env.SLT_WRITE_KNOWN_FAILURES === '1';
  describe(`peer suite: RisingWave ${dirs.join(', ')}${name === 'batch' ? '' : ` (${name})`}`, () => {
    const skip = readList(join(repoRoot, 'tests/peer-skiplist.txt'));
    const knownFile = join(repoRoot, target.knownFailuresFile);
    const known = existsSync(knownFile) ? readList(knownFile) : new Map<string, string>();
    const tolerated = target.toleratedFailuresFile
      ? readList(join(repoRoot, target.toleratedFailuresFile))
      : new Map<string, string>();
    const files = dirs
      .flatMap((dir) => globFiles(join(peerRoot, `${dir}/**/*.slt`)))
      .map((f) => relative(peerRoot, f))
      .filter((f) => options.filter?.(f) ?? true);
    const results: { file: string; status: string; result?: FileResult }[] = [];
    const newKnown: string[] = [];

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
          const r = await runOn(target, join(peerRoot, file), {
            // `serial`: each file gets its own database, as RisingWave's serial runs do.
            labels: ['sluice', 'serial', ...(target.labels ?? [])],
            errorMatching: 'any-error',
            valueMatching: 'renderings',
          });
          results.push({ file, status: r.failed === 0 ? 'passed' : 'failed', result: r });
          if (writeKnown) {
            newKnown.push(...failingUnits(r, skip).filter((l) => !tolerated.has(l.split(' ')[0]!)));
            return;
          }
          const problems: string[] = [];
          for (const [source, counts] of Object.entries(r.bySource)) {
            const unit = relative(peerRoot, source);
            if (skip.has(unit) || (tolerated.has(unit) && !known.has(unit))) continue;
            if (known.has(unit)) {
              if (counts.failed === 0)
                problems.push(`${unit} now passes: remove it from ${target.knownFailuresFile}`);
            } else if (counts.failed > 0) problems.push(`${unit}: ${counts.failed} failed records`);
          }
          expect(problems, problems.length ? formatFailures(r, 10) : '').toEqual([]);
        },
        FILE_TIMEOUT,
      );
    }

    afterAll(() => {
      if (writeKnown) {
        // Units of files outside this run keep their entries.
        const ran = new Set(results.flatMap((x) => Object.keys(x.result?.bySource ?? {})));
        // Re-read: another suite of this run may have rewritten the file since it was loaded.
        const kept = [...(existsSync(knownFile) ? readList(knownFile) : known)]
          .filter(([unit]) => !ran.has(join(peerRoot, unit)))
          .map(([unit, why]) => `${unit}  # ${why}`);
        const header = readFileSync(knownFile, 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('#'));
        const lines = [...new Set([...kept, ...newKnown])].sort();
        writeFileSync(knownFile, [...header, ...lines].join('\n') + '\n');
      }
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
