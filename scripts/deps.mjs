/**
 * Shared by start.mjs and test.mjs: runs commands, and installs dependencies when
 * node_modules is missing or package-lock.json changed since the last install.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'node_modules', '.sluice-lock-hash');

/** Runs a command in the repo root with inherited stdio; returns its exit status. */
export function run(cmd, args) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (r.error) {
    console.error(`${cmd}: ${r.error.message}`);
    return 1;
  }
  return r.status ?? 1;
}

function lockHash() {
  const lock = join(root, 'package-lock.json');
  return existsSync(lock) ? createHash('sha256').update(readFileSync(lock)).digest('hex') : '';
}

/** `npm install` when needed; exits the process if it fails. */
export function ensureInstalled() {
  const hash = lockHash();
  const current = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : null;
  if (existsSync(join(root, 'node_modules')) && current === hash) return;
  if (existsSync(join(root, 'node_modules')) && current === null) {
    // Installed by other means (npm ci in CI, a manual install): trust it and remember the lock.
    writeFileSync(stamp, hash);
    return;
  }
  console.log('> npm install');
  if (run('npm', ['install']) !== 0) process.exit(1);
  writeFileSync(stamp, lockHash());
}
