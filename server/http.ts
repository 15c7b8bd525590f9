/**
 * The HTTP surface: `POST /api/sql`, `GET /health`, `GET /metrics` (Prometheus),
 * `GET /api/subscribe` (Server-Sent Events of a materialized view's committed changes) and a
 * minimal playground page at `/`.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
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
}

const PLAYGROUND = `<!doctype html>
<html><head><meta charset="utf-8"><title>Sluice</title>
<style>body{font:14px system-ui;margin:2em}textarea{width:100%;height:8em;font:13px monospace}
table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:2px 6px;font:13px monospace}
.err{color:#b00;white-space:pre-wrap}</style></head>
<body><h1>Sluice</h1><textarea id="sql">select 1 as one;</textarea><br><button id="run">Run</button>
<div id="out"></div>
<script>
const esc = (s) => String(s).replace(/[&<>]/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;'}[c]));
document.getElementById('run').onclick = async () => {
  const r = await fetch('/api/sql', {method: 'POST', headers: {'content-type': 'application/json'},
    body: JSON.stringify({sql: document.getElementById('sql').value})});
  const j = await r.json();
  const out = document.getElementById('out');
  if (j.error) { out.innerHTML = '<p class="err">ERROR: ' + esc(j.error.message) + '</p>'; return; }
  if (!j.columns) { out.innerHTML = '<p>' + esc(j.command) + '</p>'; return; }
  out.innerHTML = '<table><tr>' + j.columns.map((c) => '<th>' + esc(c.name) + '</th>').join('') +
    '</tr>' + j.rows.map((r) => '<tr>' + r.map((v) => '<td>' + (v === null ? '' : esc(typeof v === 'object' ? JSON.stringify(v) : v)) + '</td>').join('') + '</tr>').join('') +
    '</table><p>' + esc(j.command) + '</p>';
};
</script></body></html>
`;

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
      case 'GET /':
        return send(res, 200, PLAYGROUND, 'text/html; charset=utf-8');
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
        if (['/', '/health', '/metrics', '/api/sql', '/api/subscribe'].includes(url.pathname))
          return send(res, 405, {
            error: { code: '42601', message: `method ${req.method} not allowed` },
          });
        return send(res, 404, {
          error: { code: '42704', message: `no such endpoint: ${url.pathname}` },
        });
    }
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
