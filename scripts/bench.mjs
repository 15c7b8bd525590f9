#!/usr/bin/env node
/**
 * `npm run bench [-- suite [options]]`: with no suite, every benchmark in turn (Nexmark in its
 * quick mode); with one (`kernels`, `pgwire`, `durability`, `nexmark`), that one, passing the
 * remaining arguments on (`npm run bench -- nexmark --only q5,q7`).
 */
import { spawnSync } from 'node:child_process';

const SUITES = {
  kernels: ['bench/run.ts'],
  pgwire: ['bench/pgwire-load.ts'],
  durability: ['bench/durability.ts'],
  nexmark: ['--expose-gc', 'bench/nexmark.ts'],
};

const [suite, ...rest] = process.argv.slice(2);
const runs =
  suite === undefined
    ? [...['kernels', 'pgwire', 'durability'].map((s) => [s, []]), ['nexmark', ['--quick']]]
    : [[suite, rest]];

for (const [name, args] of runs) {
  const script = SUITES[name];
  if (!script) {
    console.error(`unknown benchmark "${name}": one of ${Object.keys(SUITES).join(', ')}`);
    process.exit(2);
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...script, ...args], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
