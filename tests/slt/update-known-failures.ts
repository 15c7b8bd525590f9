/**
 * Regenerates tests/peer-known-failures.txt: runs every peer entry file not in the skip list
 * and lists each unit (entry file or included .slt.part) that has a failing record, with its
 * first failure as the reason. Run with `npm run peer:known-failures` after engine changes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { globFiles } from './parser.js';
import { runSltFile } from './runner.js';
import { embeddedConnector } from './session.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sharedDir =
  [resolve(repoRoot, '../shared'), '/work/shared'].find((d) => existsSync(join(d, 'peer'))) ??
  resolve(repoRoot, '../shared');
const peerRoot = join(sharedDir, 'peer/risingwave');
const dirs = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['e2e_test/batch', 'e2e_test/streaming'];

const skip = new Set(
  readFileSync(join(repoRoot, 'tests/peer-skiplist.txt'), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean),
);

const lines: string[] = [];
for (const dir of dirs) {
  for (const abs of globFiles(join(peerRoot, `${dir}/**/*.slt`))) {
    const file = relative(peerRoot, abs);
    if (skip.has(file)) continue;
    const r = await runSltFile(abs, embeddedConnector(), {
      labels: ['sluice', 'serial'],
      errorMatching: 'any-error',
      valueMatching: 'renderings',
    });
    for (const [source, counts] of Object.entries(r.bySource)) {
      const unit = relative(peerRoot, source);
      if (counts.failed === 0 || skip.has(unit) || lines.some((l) => l.startsWith(`${unit} `)))
        continue;
      const first = r.failures.find((f) => f.where.startsWith(`${source}:`));
      const why = first
        ? `${first.sql.replace(/\s+/g, ' ').slice(0, 80)} -> ${String(first.got).replace(/\s+/g, ' ').slice(0, 100)}`
        : 'fails';
      lines.push(`${unit}  # ${counts.failed} failing: ${why}`);
    }
    process.stderr.write(`${file}: ${r.passed} passed, ${r.failed} failed\n`);
  }
}
const header = [
  '# Peer sqllogictest units (entry files or included .slt.part files, relative to',
  '# shared/peer/risingwave) that should pass on Sluice but do not yet, with their first failure.',
  '# tests/slt/slt.test.ts fails when a listed unit starts passing. Regenerate with',
  '# `npm run peer:known-failures`.',
];
writeFileSync(
  join(repoRoot, 'tests/peer-known-failures.txt'),
  [...header, ...lines.sort()].join('\n') + '\n',
);
console.log(`${lines.length} known-failing units`);
