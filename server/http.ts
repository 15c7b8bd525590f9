/**
 * The HTTP surface: `POST /api/sql`, `GET /health`, `GET /metrics` (Prometheus),
 * `GET /api/subscribe` (Server-Sent Events of a materialized view's committed changes) and the
 * playground: the static files `npm run build` writes to dist/playground, served at `/`.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { constants as zlibConstants, gzip as gzipCallback } from 'node:zlib';
import { SqlError } from '../runtime/errors.js';
import type { StatementResult } from '../runtime/engine.js';
import { type DataType, typeName } from '../runtime/types/datatype.js';
import { Jsonb } from '../runtime/types/jsonb.js';
import type { Value } from '../runtime/types/value.js';
import type {
  Backend,
  BackendSession,
  StatementQueue,
  TextChange,
  ViewSubscription,
} from './backend.js';
import type { Metrics } from './metrics.js';

export interface HttpConfig {
  host: string;
  port: number;
  backend: Backend;
  queue: StatementQueue;
  metrics: Metrics;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes: number;
  /** Answers `/health` while the server is up. */
  status: () => { sessions: number };
  /** The built playground's folder (default: the package's dist/playground). */
  staticDir?: string;
}

/** Served at `/` when the playground has not been built. */
const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sluice</title></head>
<body style="font:15px system-ui;margin:2em;max-width:40em">
<h1>Sluice</h1>
<p>The playground has not been built: run <code>npm run build</code> in the Sluice checkout and
reload. The HTTP API works meanwhile: <code>POST /api/sql</code> with <code>{"sql": "..."}</code>.</p>
</body></html>
`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

const COMPRESSIBLE = /^(text\/|application\/(json|wasm)|image\/svg)/;

const gzip = promisify(gzipCallback);

/** Files larger than this are not kept compressed in memory (they are sent as they are). */
const MAX_CACHED_FILE = 8 << 20;
/** The most compressed bytes kept in memory; past it, files are sent as they are. */
const MAX_CACHED_TOTAL = 64 << 20;

/** A file's gzip body, made once per version of the file (its size and modification time). */
interface Gzipped {
  version: string;
  body: Promise<Buffer>;
  bytes: number;
}

/** The package's root folder: the nearest one above this module with Sluice's package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'sluice') return dir;
    } catch {
      // No (readable) package.json here: keep looking upwards.
    }
    const up = dirname(dir);
    if (up === dir) return resolve(dirname(fileURLToPath(import.meta.url)), '..');
    dir = up;
  }
}

/** Where `npm run build` puts the playground (served at `/`). */
export const PLAYGROUND_DIR = join(packageRoot(), 'dist', 'playground');

/** A value as JSON: booleans and exact-in-double numbers as such, everything else as PostgreSQL text. */
export function jsonValue(v: Value, t: DataType, session: BackendSession): unknown {
  if (v === null) return null;
  switch (t.kind) {
    case 'boolean':
      return v;
    case 'int2':
    case 'int4':
      return v;
    case 'int8':
      return typeof v === 'bigint' &&
        v <= BigInt(Number.MAX_SAFE_INTEGER) &&
        v >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(v)
        : String(v);
    case 'float4':
    case 'float8':
      return Number.isFinite(v) ? v : session.formatValue(v, t);
    case 'jsonb':
      return v instanceof Jsonb ? JSON.parse(session.formatValue(v, t)) : session.formatValue(v, t);
    default:
      return session.formatValue(v, t);
  }
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = type === 'application/json' ? JSON.stringify(body) : String(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function errorBody(e: unknown): { error: { code: string; message: string; position?: number } } {
  if (e instanceof SqlError)
    return { error: { code: e.code, message: e.message, position: e.position } };
  return {
    error: {
      code: 'XX000',
      message: `internal error: ${e instanceof Error ? e.message : String(e)}`,
    },
  };
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too large'> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        resolve('too large');
        req.destroy();
        return;
      }
      parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

export class HttpServer {
  private server: Server | undefined;

  constructor(readonly config: HttpConfig) {}

  listen(): Promise<number> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) send(res, 500, errorBody(e));
        else res.destroy();
      });
    });
    server.requestTimeout = 60_000;
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port, this.config.host, () => {
        server.off('error', reject);
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : this.config.port);
      });
    });
  }

  close(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    // Event streams never end by themselves.
    for (const end of this.streams) end();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const { metrics } = this.config;
    metrics.httpRequests++;
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    switch (route) {
      case 'GET /health':
        return send(res, 200, { status: 'ok', ...this.config.status() });
      case 'GET /metrics':
        return send(
          res,
          200,
          metrics.render({
            queueDepth: this.config.queue.size,
            views: this.config.backend.viewRowCounts?.(),
          }),
          'text/plain; version=0.0.4; charset=utf-8',
        );
      case 'GET /api/subscribe':
        return this.subscribe(url, req, res);
      case 'POST /api/sql':
        return this.sql(req, res);
      default:
        if (['/health', '/metrics', '/api/sql', '/api/subscribe'].includes(url.pathname))
          return send(res, 405, {
            error: { code: '42601', message: `method ${req.method} not allowed` },
          });
        if (!url.pathname.startsWith('/api/')) {
          if (req.method === 'GET' || req.method === 'HEAD') {
            if (await this.serveStatic(url.pathname, req, res)) return;
          } else if (url.pathname === '/')
            return send(res, 405, {
              error: { code: '42601', message: `method ${req.method} not allowed` },
            });
        }
        return send(res, 404, {
          error: { code: '42704', message: `no such endpoint: ${url.pathname}` },
        });
    }
  }

  /**
   * Serves a file of the built playground; false when there is none (a 404 then). Content
   * hashed file names under `assets/` never change, so they may be cached for good; the page
   * itself is revalidated so that a rebuild shows at the next load.
   */
  private async serveStatic(
    pathname: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> {
    const root = resolve(this.config.staticDir ?? PLAYGROUND_DIR);
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return false;
    }
    if (rel.includes('\0')) return false;
    if (rel.endsWith('/')) rel += 'index.html';
    const file = resolve(root, `.${rel}`);
    // Nothing outside the folder, whatever `..` or encoded separators the path holds.
    if (!file.startsWith(root + sep)) return false;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      if (pathname !== '/') return false;
      send(res, 200, NOT_BUILT, 'text/html; charset=utf-8');
      return true;
    }
    const immutable = rel.startsWith('/assets/');
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    // A weak validator from the file's version: a reload revalidates index.html with a 304.
    const version = `${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}`;
    const etag = `W/"${version}"`;
    const headers = {
      'content-type': type,
      vary: 'accept-encoding',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag,
      'x-content-type-options': 'nosniff',
    };
    if (String(req.headers['if-none-match'] ?? '') === etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    // Text and Wasm shrink to a third or less; the engine's bundle is most of a megabyte.
    const body =
      COMPRESSIBLE.test(type) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
        ? await this.gzipped(file, version, info.size)
        : undefined;
    if (body) {
      res.writeHead(200, { ...headers, 'content-encoding': 'gzip', 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': info.size });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    await new Promise<void>((done, fail) => {
      const stream = createReadStream(file);
      stream.on('error', fail);
      res.on('close', () => {
        stream.destroy();
        done();
      });
      stream.pipe(res);
    });
    return true;
  }

  private readonly gzipCache = new Map<string, Gzipped>();
  private gzipCacheBytes = 0;

  /**
   * The gzip body of `file` at `version`, compressed once (at the highest level: it is paid for
   * once, not per request) and kept in memory; undefined when the file is too large to keep.
   */
  private async gzipped(file: string, version: string, size: number): Promise<Buffer | undefined> {
    let entry = this.gzipCache.get(file);
    if (entry?.version !== version) {
      if (entry) {
        this.gzipCacheBytes -= entry.bytes;
        this.gzipCache.delete(file);
      }
      if (size > MAX_CACHED_FILE || this.gzipCacheBytes + size > MAX_CACHED_TOTAL) return undefined;
      const body = readFile(file).then((raw) =>
        gzip(raw, { level: zlibConstants.Z_BEST_COMPRESSION }),
      );
      // Counted at the file's size until compressed; a failed read is not kept.
      entry = { version, body, bytes: size };
      this.gzipCache.set(file, entry);
      this.gzipCacheBytes += size;
      const kept = entry;
      body.then(
        (b) => {
          if (this.gzipCache.get(file) !== kept) return;
          this.gzipCacheBytes += b.length - kept.bytes;
          kept.bytes = b.length;
        },
        () => {
          if (this.gzipCache.get(file) !== kept) return;
          this.gzipCache.delete(file);
          this.gzipCacheBytes -= kept.bytes;
        },
      );
    }
    return entry.body;
  }

  /** Ends each open event stream (run when the server closes). */
  private readonly streams = new Set<() => void>();

  /**
   * `GET /api/subscribe?name=MV`: Server-Sent Events. A `columns` event first (the view's
   * column names and types), then one message per committed change batch whose data is a JSON
   * array of `{op, row}` with `row` the PostgreSQL text of each value (NULL → null). The
   * subscription ends when the client disconnects, or when it falls too far behind.
   */
  private subscribe(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const { backend, metrics } = this.config;
    const name = url.searchParams.get('name');
    if (!name)
      return send(res, 400, {
        error: { code: '22023', message: 'query parameter "name" is required' },
      });
    if (!backend.subscribe)
      return send(res, 501, {
        error: { code: '0A000', message: 'this server does not support subscriptions' },
      });
    let sub: ViewSubscription;
    const pending: TextChange[][] = [];
    let ready = false;
    try {
      // Batches committed before the headers are written are queued, not lost.
      sub = backend.subscribe(name, (changes) => {
        if (!ready) pending.push(changes);
        else write(changes);
      });
    } catch (e) {
      return send(res, e instanceof SqlError && e.code === '42P01' ? 404 : 400, errorBody(e));
    }
    let open = true;
    const end = (): void => {
      if (!open) return;
      open = false;
      sub.unsubscribe();
      metrics.subscriptionsActive--;
      this.streams.delete(end);
      res.end();
    };
    const write = (changes: TextChange[]): void => {
      if (!open) return;
      // A client that stops reading is dropped rather than buffered without bound.
      if (res.writableLength > this.config.maxBodyBytes) return end();
      res.write(`data: ${JSON.stringify(changes)}\n\n`);
    };
    metrics.subscriptionsActive++;
    this.streams.add(end);
    req.on('close', end);
    res.on('error', end);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(
      `event: columns\ndata: ${JSON.stringify(sub.columns.map((c) => ({ name: c.name, type: typeName(c.type) })))}\n\n`,
    );
    ready = true;
    for (const changes of pending.splice(0)) write(changes);
  }

  private async sql(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { metrics, queue, backend } = this.config;
    const body = await readBody(req, this.config.maxBodyBytes);
    if (body === 'too large')
      return send(res, 413, {
        error: { code: '54000', message: `request body exceeds ${this.config.maxBodyBytes} bytes` },
      });
    let sql: unknown;
    try {
      sql = (JSON.parse(body.toString('utf8')) as { sql?: unknown } | null)?.sql;
    } catch {
      return send(res, 400, {
        error: { code: '22P02', message: 'request body is not valid JSON' },
      });
    }
    if (typeof sql !== 'string')
      return send(res, 400, {
        error: { code: '22P02', message: 'request body must be a JSON object with a "sql" string' },
      });
    const session = backend.connect({ user: 'root', database: 'dev' });
    try {
      const units = await queue.run(() => session.parse(sql));
      let last: StatementResult = { tag: 'EMPTY' };
      for (const unit of units) {
        const started = performance.now();
        last = await queue.run(() => unit.run());
        metrics.statement(last.tag, last.rows?.length ?? 0, (performance.now() - started) / 1000);
      }
      const columns = last.columns;
      send(res, 200, {
        columns: columns?.map((c) => ({ name: c.name, type: typeName(c.type) })),
        rows: columns
          ? (last.rows ?? []).map((row) =>
              row.map((v, i) => jsonValue(v, columns[i]!.type, session)),
            )
          : undefined,
        command: last.tag,
      });
    } catch (e) {
      metrics.errors++;
      send(res, 400, errorBody(e));
    } finally {
      session.close();
    }
  }
}
