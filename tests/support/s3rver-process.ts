/**
 * Throwaway S3-compatible server for tests: a real s3rver (v3) HTTP server in a child process
 * (`s3rver-child.mjs`), on a free 127.0.0.1 port, storing into a fresh temp directory.
 *
 * Usage:
 *   const s3 = await startS3rver({ bucket: 'sluice-test' });   // { endpoint, bucket, port, ... }
 *   new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1',
 *                  credentials: S3RVER_CREDENTIALS });
 *   await s3.stop();                                            // kills it, removes the directory
 *
 * s3rver checks request signatures against its built-in account (`S3RVER_CREDENTIALS`). A
 * process exit handler kills servers a crashed test left behind and removes their directories;
 * the child also exits by itself when its stdin (a pipe from this process) closes.
 *
 * The child runs with `--openssl-legacy-provider`: s3rver 3.7.1 encrypts ListObjectsV2
 * continuation tokens with DES, which OpenSSL 3 (Node >= 17) refuses by default, so without it
 * every truncated listing (more keys than MaxKeys) fails with 500 InternalError.
 *
 * Other s3rver differences from S3 to keep in mind: keys live as files in nested folders, and
 * listings walk those folders in file-name order, which is not byte order when a key has a
 * character below '/' after a shared stem ('a/b' is listed before 'a.c'); pages continue after
 * the last key returned, so such a key can be skipped across a page boundary (S3 never does).
 * A PUT writes the file in place, so unlike S3 it is not atomic against concurrent readers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The access key s3rver accepts signatures from. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3rverProcess {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  port: number;
  bucket: string;
  /** Where s3rver keeps the bucket's files. */
  directory: string;
  pid: number;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its directory. */
  stop(): Promise<void>;
}

const CHILD_SCRIPT = fileURLToPath(new URL('./s3rver-child.mjs', import.meta.url));

/** Servers not yet stopped, with their directories. */
const running = new Map<ChildProcess, string>();
process.once('exit', () => {
  for (const [child, directory] of running) {
    child.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
  }
});

export async function startS3rver(o: { bucket?: string } = {}): Promise<S3rverProcess> {
  const bucket = o.bucket ?? 'sluice-test';
  const directory = mkdtempSync(join(tmpdir(), 'sluice-s3rver-'));
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', CHILD_SCRIPT, directory, bucket],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  running.set(child, directory);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
    rmSync(directory, { recursive: true, force: true });
  };

  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error('s3rver did not start within 15 s')), 15_000);
      const fail = (e: Error): void => {
        clearTimeout(timer);
        reject(new Error(`${e.message}${stderr ? `\n${stderr}` : ''}`));
      };
      child.once('error', fail);
      child.once('exit', (code, signal) => fail(new Error(`s3rver exited (${code ?? signal})`)));
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line === undefined || !out.includes('\n')) return;
        clearTimeout(timer);
        try {
          resolve((JSON.parse(line) as { port: number }).port);
        } catch (e) {
          fail(e as Error);
        }
      });
    });
    // Keep draining stdout so the child never blocks on a full pipe.
    child.stdout?.resume();
    return {
      endpoint: `http://127.0.0.1:${port}`,
      port,
      bucket,
      directory,
      pid: child.pid!,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
