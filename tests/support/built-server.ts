/**
 * A `sluice serve` process from the built `bin/sluice.js` (start-up as users have it, no tsx),
 * on loopback ephemeral ports, for crash loops and benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../..');

export interface BuiltServer {
  proc: ChildProcess;
  port: number;
  output: () => string;
}

/** Starts `sluice serve` with `storage` (`--data-dir D` or `--state s3://...`) and `env`. */
export async function startBuiltServer(
  storage: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<BuiltServer> {
  const proc = spawn(
    process.execPath,
    [join(repoRoot, 'bin/sluice.js'), 'serve', '--port', '0', '--http-port', '0', ...storage],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /PostgreSQL protocol on [^ ]+:(\d+)/.exec(out);
    if (m) return { proc, port: Number(m[1]), output: () => out };
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`sluice serve did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
