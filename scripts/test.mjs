/**
 * `npm test`: installs dependencies if needed, then type-checks, lints, checks formatting,
 * builds, and runs the whole vitest suite. Every step runs even if an earlier one failed (so
 * vitest's summary is always the last thing printed); the exit status is non-zero if any failed.
 */
import { join } from 'node:path';
import { ensureInstalled, root, run } from './deps.mjs';

ensureInstalled();
const bin = (name) => join(root, 'node_modules', '.bin', name);
const steps = [
  ['typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']],
  // The playground's page and worker need their own lib sets (DOM, WebWorker).
  ['typecheck playground', bin('tsc'), ['-p', 'playground/tsconfig.json']],
  ['typecheck playground worker', bin('tsc'), ['-p', 'playground/tsconfig.worker.json']],
  ['eslint', bin('eslint'), ['.']],
  // Import cycles, type-only imports included (eslint's import-x/no-cycle skips those).
  ['import cycles', process.execPath, [join(root, 'scripts', 'import-graph.mjs')]],
  ['prettier', bin('prettier'), ['--check', '.']],
  ['build', 'npm', ['run', 'build']],
];
const failed = [];
for (const [name, cmd, args] of steps) {
  console.log(`> ${name}`);
  if (run(cmd, args) !== 0) failed.push(name);
}
if (failed.length) console.log(`\nFAILED before tests: ${failed.join(', ')}\n`);
console.log('> vitest run');
if (run(bin('vitest'), ['run']) !== 0) failed.push('vitest');
process.exit(failed.length ? 1 : 0);
