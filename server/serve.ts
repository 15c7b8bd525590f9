/**
 * `sluice serve`: one process serving the PostgreSQL wire protocol and the HTTP API over one
 * engine whose state is durable in a local folder or S3 (every statement is acknowledged once
 * its epoch is written), with graceful shutdown on SIGTERM/SIGINT: in-flight statements
 * finish, everything is written and checkpointed, and the process exits 0.
 */
import { statSync } from 'node:fs';
import { StatementQueue } from './backend.js';
import { EngineBackend } from './engine-backend.js';
import { HttpServer } from './http.js';
import { Metrics } from './metrics.js';
import type { AuthMethod } from './pgwire/auth.js';
import { PgServer } from './pgwire/server.js';
import { describeRecovery, openDurableDatabase, openStore } from './storage/open.js';
import type { Durability } from '../runtime/durability/durability.js';
import { SourceLoop } from '../runtime/source-loop.js';

export interface ServeOptions {
  host: string;
  port: number;
  httpPort: number;
  dataDir?: string;
  state?: string;
  user: string;
  password?: string;
  authMethod: AuthMethod;
  maxMessageBytes: number;
  maxConnections: number;
}

export const SERVE_USAGE = `Usage:
  sluice serve [--host HOST] [--port PORT] [--http-port PORT]
               [--data-dir DIR | --state s3://BUCKET/PREFIX]
               [--user NAME] [--password PASSWORD] [--auth-method scram-sha-256|md5|password]
               [--max-message-bytes N] [--max-connections N]
      Serve the PostgreSQL wire protocol (default 127.0.0.1:4566) and the HTTP API
      (default port 5691). Database "dev"; default user "root". Without --password, loopback
      clients are trusted; a non-loopback --host requires --password (or SLUICE_PASSWORD).
`;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function parsePort(flag: string, v: string): number | string {
  if (!/^\d+$/.test(v) || Number(v) > 65535)
    return `${flag} must be a port number (0-65535), got "${v}"`;
  return Number(v);
}

function parsePositive(flag: string, v: string): number | string {
  if (!/^\d+$/.test(v) || Number(v) < 1) return `${flag} must be a positive integer, got "${v}"`;
  return Number(v);
}

/** Parses and validates `sluice serve` arguments; a string is the error to print. */
export function parseServeArgs(args: string[], env: NodeJS.ProcessEnv = {}): ServeOptions | string {
  const o: ServeOptions = {
    host: '127.0.0.1',
    port: 4566,
    httpPort: 5691,
    user: 'root',
    password: env.SLUICE_PASSWORD || undefined,
    authMethod: 'scram-sha-256',
    maxMessageBytes: 64 * 1024 * 1024,
    maxConnections: 1000,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const v = eq > 0 ? a.slice(eq + 1) : args[++i];
    if (v === undefined) return `option ${flag} needs a value`;
    let n: number | string;
    switch (flag) {
      case '--host':
        if (v === '') return '--host must not be empty';
        o.host = v;
        break;
      case '--port':
        if (typeof (n = parsePort(flag, v)) === 'string') return n;
        o.port = n;
        break;
      case '--http-port':
        if (typeof (n = parsePort(flag, v)) === 'string') return n;
        o.httpPort = n;
        break;
      case '--data-dir':
        if (v === '') return '--data-dir must not be empty';
        o.dataDir = v;
        break;
      case '--state':
        if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(v))
          return `--state must look like s3://BUCKET/PREFIX, got "${v}"`;
        o.state = v;
        break;
      case '--user':
        if (v === '') return '--user must not be empty';
        o.user = v;
        break;
      case '--password':
        o.password = v;
        break;
      case '--auth-method':
        if (v !== 'scram-sha-256' && v !== 'md5' && v !== 'password')
          return `--auth-method must be scram-sha-256, md5 or password, got "${v}"`;
        o.authMethod = v;
        break;
      case '--max-message-bytes':
        if (typeof (n = parsePositive(flag, v)) === 'string') return n;
        if (n < 1024) return '--max-message-bytes must be at least 1024';
        o.maxMessageBytes = n;
        break;
      case '--max-connections':
        if (typeof (n = parsePositive(flag, v)) === 'string') return n;
        o.maxConnections = n;
        break;
      default:
        return `unknown option: ${a}`;
    }
  }
  if (o.dataDir !== undefined && o.state !== undefined)
    return '--data-dir and --state cannot be used together';
  if (o.dataDir !== undefined) {
    try {
      if (!statSync(o.dataDir).isDirectory()) return `--data-dir ${o.dataDir} is not a directory`;
    } catch {
      // A missing directory is fine: durable storage will create it.
    }
  }
  if (o.password === '') return '--password must not be empty';
  if (!isLoopback(o.host) && o.password === undefined)
    return `refusing to listen on non-loopback host ${o.host} without a password: set --password (or SLUICE_PASSWORD)`;
  return o;
}

export interface RunningServer {
  pgPort: number;
  httpPort: number;
  /** What start-up found in storage (memory only: undefined). */
  recovery?: string;
  /** Finishes in-flight statements, writes all state, closes every session and listener. */
  stop(): Promise<void>;
}

/**
 * Recovers state (from `--data-dir`/`--state`; neither: in memory only) and starts both
 * listeners; resolves once they are bound.
 */
export async function startServer(
  o: ServeOptions,
  version: string,
  log: (line: string) => void = () => undefined,
): Promise<RunningServer> {
  let durability: Durability | undefined;
  let recovery: string | undefined;
  let backend: EngineBackend;
  if (o.dataDir !== undefined || o.state !== undefined) {
    const store = await openStore(o);
    // SLUICE_CHECKPOINT_BYTES only lets tests checkpoint often; nothing else needs setting.
    // SLUICE_COMMIT_TIMEOUT_MS likewise lets tests see an outage's 58030 sooner.
    const every = Number(process.env.SLUICE_CHECKPOINT_BYTES);
    const timeout = Number(process.env.SLUICE_COMMIT_TIMEOUT_MS);
    const opened = await openDurableDatabase(store, {
      log,
      ...(every > 0 ? { checkpointBytes: every } : {}),
      ...(timeout > 0 ? { commitTimeoutMs: timeout } : {}),
    });
    durability = opened.durability;
    recovery = describeRecovery(store, opened.recovery);
    backend = new EngineBackend(opened.db);
  } else backend = new EngineBackend();
  const queue = new StatementQueue(durability);
  // Views that read the clock (temporal filters) move with it once a second, queued behind
  // statements like one.
  const stopTicks = backend.db.tickEvery(1000, {
    run: (tick) => void queue.run(tick),
    onError: (e) =>
      log(`advancing view time failed: ${e instanceof Error ? e.message : String(e)}`),
  });
  const metrics = new Metrics();
  backend.db.onStatementEnd = (ms) => metrics.maintenance(ms / 1000);
  const pg = new PgServer({
    host: o.host,
    port: o.port,
    backend,
    queue,
    metrics,
    user: o.user,
    password: o.password,
    authMethod: o.authMethod,
    maxMessageBytes: o.maxMessageBytes,
    maxConnections: o.maxConnections,
    serverVersion: `13.14.0 (Sluice ${version})`,
  });
  const http = new HttpServer({
    host: o.host,
    port: o.httpPort,
    backend,
    queue,
    metrics,
    maxBodyBytes: o.maxMessageBytes,
    status: () => ({ sessions: pg.connectionCount }),
  });
  // Sources and connector tables are read by the engine's loop; each batch is a queued task,
  // so it takes its turn with clients' statements and is durable before the next one.
  const sources = new SourceLoop(backend.db, { run: (ingest) => queue.run(ingest), log });
  let pgPort: number;
  let httpPort: number;
  try {
    pgPort = await pg.listen();
    try {
      httpPort = await http.listen();
    } catch (e) {
      await pg.close(0);
      throw e;
    }
  } catch (e) {
    stopTicks();
    await durability?.close();
    throw e;
  }
  sources.start();
  return {
    pgPort,
    httpPort,
    recovery,
    stop: async () => {
      stopTicks();
      await Promise.all([sources.stop(), pg.close(), http.close()]);
      await queue.idle();
      await durability?.close();
    },
  };
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Runs `sluice serve` until SIGTERM/SIGINT; resolves to the exit status. */
export async function serve(
  args: string[],
  version: string,
  io: { stdout: (s: string) => void; stderr: (s: string) => void },
): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(SERVE_USAGE);
    return 0;
  }
  const o = parseServeArgs(args, process.env);
  if (typeof o === 'string') {
    io.stderr(`sluice serve: ${o}\n\n${SERVE_USAGE}`);
    return 2;
  }
  // The command's default: state in ./sluice-data (startServer alone keeps it in memory).
  if (o.dataDir === undefined && o.state === undefined) o.dataDir = './sluice-data';
  let running: RunningServer;
  try {
    running = await startServer(o, version, (line) => io.stderr(`sluice: ${line}\n`));
  } catch (e) {
    io.stderr(`sluice serve: cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const auth = o.password !== undefined ? `${o.authMethod} auth for user ${o.user}` : 'trust auth';
  io.stdout(
    `sluice ${version}: PostgreSQL protocol on ${hostPort(o.host, running.pgPort)}, ` +
      `HTTP on http://${hostPort(o.host, running.httpPort)}, database dev, ${auth}; ` +
      `${running.recovery}\n`,
  );
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      io.stdout(`sluice: ${signal} received, finishing in-flight statements\n`);
      running.stop().then(
        () => {
          io.stdout('sluice: stopped\n');
          resolve(0);
        },
        (e: unknown) => {
          io.stderr(`sluice: error while stopping: ${String(e)}\n`);
          resolve(1);
        },
      );
    };
    const onTerm = (): void => stop('SIGTERM');
    const onInt = (): void => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
}
