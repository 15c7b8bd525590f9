/**
 * Throwaway PostgreSQL 15 server for tests that compare Sluice with the real thing.
 *
 * `startPostgres()` runs `initdb` into a fresh temp directory, starts `postgres` on a free
 * loopback port (Unix socket in the same directory) and resolves once a connection succeeds.
 * As root it runs the server as the `postgres` OS user through `runuser`, because PostgreSQL
 * refuses to run as root. `stop()` shuts the server down (fast mode, then SIGKILL) and removes
 * the directory; a process exit handler does the same for servers a crashed test left behind.
 *
 * Usage:
 *   const pg = await startPostgres();          // { port, url, host, user, dataDir, stop }
 *   const out = runPsql(pg, 'SELECT 1');       // psql's default aligned output, as a string
 *   await pg.stop();
 *
 * Environment: `SLUICE_PG_BIN` overrides the PostgreSQL bin directory (default
 * /usr/lib/postgresql/15/bin, else the newest version installed there); `psql` is looked up
 * there, then on PATH.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** PostgreSQL's bin directory: $SLUICE_PG_BIN, else version 15, else the newest installed. */
export const PG_BIN = process.env['SLUICE_PG_BIN'] ?? findPgBin();

function findPgBin(): string {
  const preferred = '/usr/lib/postgresql/15/bin';
  if (existsSync(join(preferred, 'postgres'))) return preferred;
  try {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((v) => existsSync(join('/usr/lib/postgresql', v, 'bin', 'postgres')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join('/usr/lib/postgresql', versions[0], 'bin');
  } catch {
    // not installed under /usr/lib/postgresql
  }
  return preferred;
}

/** True when the PostgreSQL server binaries are installed. */
export function postgresAvailable(): boolean {
  return existsSync(join(PG_BIN, 'postgres')) && existsSync(join(PG_BIN, 'initdb'));
}

const running = new Set<() => void>();
process.once('exit', () => {
  for (const kill of running) kill();
});

interface PgUser {
  uid: number;
  gid: number;
}

/** As root, the uid/gid of the `postgres` account (PostgreSQL will not run as root). */
function pgUser(): PgUser | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (id.status !== 0 || gid.status !== 0) {
    throw new Error('running as root but there is no `postgres` user to run PostgreSQL as');
  }
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Command + args, wrapped in `runuser -u postgres --` when needed. */
function asPg(user: PgUser | null, cmd: string, args: string[]): [string, string[]] {
  return user ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = new Socket();
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('error', () => done(false));
    sock.connect(port, '127.0.0.1', () => done(true));
  });
}

function postmasterPid(pgdata: string): number | null {
  try {
    const first = readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0];
    const pid = Number(first);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `pg_isready`-style check: a TCP accept alone can precede the end of recovery, so ask psql. */
function acceptsQueries(port: number): boolean {
  const r = spawnSync(
    psqlPath(),
    [
      '-X',
      '-q',
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-c',
      'SELECT 1',
    ],
    {
      encoding: 'utf8',
      timeout: 5000,
    },
  );
  return r.status === 0;
}

export function psqlPath(): string {
  const local = join(PG_BIN, 'psql');
  return existsSync(local) ? local : 'psql';
}

/**
 * Starts a fresh server. Retries on a new port if the first one was taken in the meantime.
 * Throws with the server log when it does not come up within ~30 s.
 */
export async function startPostgres(): Promise<PostgresServer> {
  if (!postgresAvailable()) throw new Error(`PostgreSQL binaries not found in ${PG_BIN}`);
  const user = pgUser();
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-pg-'));
  if (user) chownSync(dataDir, user.uid, user.gid);
  const pgdata = join(dataDir, 'data');

  const [initCmd, initArgs] = asPg(user, join(PG_BIN, 'initdb'), [
    '-D',
    pgdata,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}): ${init.stderr || init.stdout}`);
  }

  let lastLog = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const [cmd, args] = asPg(user, join(PG_BIN, 'postgres'), [
      '-D',
      pgdata,
      '-p',
      String(port),
      '-k',
      dataDir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'TimeZone=UTC',
    ]);
    const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    let exited = false;
    child.once('exit', () => (exited = true));
    // Signal the postmaster itself: `runuser` does not relay every signal to it.
    const signal = (sig: NodeJS.Signals): void => {
      const pid = postmasterPid(pgdata);
      try {
        if (pid) process.kill(pid, sig);
        else child.kill(sig);
      } catch {
        // already gone
      }
    };
    const kill = (): void => {
      if (!exited) signal('SIGKILL');
    };
    running.add(kill);

    for (let i = 0; i < 150 && !exited; i++) {
      if ((await canConnect(port)) && acceptsQueries(port)) {
        const stop = async (): Promise<void> => {
          if (!exited) {
            signal('SIGINT'); // fast shutdown
            for (let j = 0; j < 50 && !exited; j++) await sleep(100);
            kill();
          }
          running.delete(kill);
          rmSync(dataDir, { recursive: true, force: true });
        };
        return {
          host: '127.0.0.1',
          port,
          user: 'postgres',
          url: `postgres://postgres@127.0.0.1:${port}/postgres`,
          dataDir,
          stop,
        };
      }
      await sleep(200);
    }
    kill();
    running.delete(kill);
    lastLog = log;
  }
  rmSync(dataDir, { recursive: true, force: true });
  throw new Error(`PostgreSQL did not start:\n${lastLog}`);
}

/**
 * Runs `sql` through real psql against `server` with psql's defaults (aligned output, no
 * psqlrc, quiet) and returns stdout. Throws if psql exits non-zero.
 */
export function runPsql(server: PostgresServer, sql: string): string {
  const r = runPsqlRaw(server, sql);
  if (r.status !== 0) throw new Error(`psql failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Like runPsql, but returns stdout, stderr and the exit status without checking them. */
export function runPsqlRaw(
  server: PostgresServer,
  sql: string,
): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(
    psqlPath(),
    [
      '-X',
      '-q',
      '-h',
      server.host,
      '-p',
      String(server.port),
      '-U',
      server.user,
      '-d',
      'postgres',
      '-c',
      sql,
    ],
    { encoding: 'utf8', env: { ...process.env, PGCLIENTENCODING: 'UTF8', LC_ALL: 'C.UTF-8' } },
  );
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}
