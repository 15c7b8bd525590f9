/**
 * An HTTP proxy on 127.0.0.1 that puts faults between a client and one loopback server, to test
 * how storage code survives a flaky network or an outage (e.g. an S3 client in front of s3rver).
 *
 * Per request, decided by a seeded random generator (so a run is repeatable) under settings that
 * can be changed at any time with `set`:
 * - `errorRate`: answer 500 with an S3-style `InternalError` XML body (after reading the request
 *   body, without forwarding it);
 * - `dropRate`: destroy the connection, either before forwarding (`dropPhase: 'request'`) or after
 *   the target has handled the request, cutting the response off partway (`'response'`: the
 *   target's change is made but the client never hears of it, and bodies arrive truncated);
 *   `'both'` (the default) picks one of the two at random;
 * - `delayMs`: wait this long before handling each request;
 * - `down`: refuse everything (every request's connection is destroyed, and open connections
 *   are closed when `down` is set), as during an outage.
 * Anything else is forwarded to the target unchanged (method, path, headers, body), so request
 * signatures stay valid. The proxy only ever connects to the target it was given, which must be
 * a loopback `http:` address.
 *
 * Usage:
 *   const proxy = await startFaultProxy(s3.endpoint, { seed: 1, errorRate: 0.3 });
 *   proxy.endpoint;            // http://127.0.0.1:PORT, use instead of the target
 *   proxy.set({ down: true }); proxy.stats;   // { requests, forwarded, errors, drops, refused }
 *   await proxy.close();
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FaultSettings {
  /** Probability (0..1) that a request is answered 500 `InternalError`. */
  errorRate: number;
  /** Probability (0..1) that a request's connection is destroyed. */
  dropRate: number;
  /** Where drops happen: before forwarding, partway through the response, or either. */
  dropPhase: 'request' | 'response' | 'both';
  /** Milliseconds to wait before handling each request. */
  delayMs: number;
  /** When true every request is refused (connection destroyed), as in an outage. */
  down: boolean;
}

export interface FaultStats {
  requests: number;
  forwarded: number;
  errors: number;
  drops: number;
  refused: number;
}

export interface FaultProxy {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly settings: Readonly<FaultSettings>;
  readonly stats: FaultStats;
  /** Changes some settings; takes effect from the next request. */
  set(s: Partial<FaultSettings>): void;
  close(): Promise<void>;
}

/** mulberry32: a small seeded generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const INTERNAL_ERROR =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>' +
  '<Message>We encountered an internal error. Please try again.</Message>' +
  '<RequestId>fault-proxy</RequestId></Error>';

export async function startFaultProxy(
  target: string,
  o: Partial<FaultSettings> & { seed?: number } = {},
): Promise<FaultProxy> {
  const t = new URL(target);
  if (t.protocol !== 'http:' || !LOOPBACK.has(t.hostname))
    throw new Error(`fault proxy target must be a loopback http: address, not ${target}`);
  const targetHost = t.hostname === '[::1]' ? '::1' : t.hostname;
  const targetPort = Number(t.port || 80);

  const { seed = 1, ...initial } = o;
  const random = seededRandom(seed);
  const settings: FaultSettings = {
    errorRate: 0,
    dropRate: 0,
    dropPhase: 'both',
    delayMs: 0,
    down: false,
    ...initial,
  };
  const stats: FaultStats = { requests: 0, forwarded: 0, errors: 0, drops: 0, refused: 0 };
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    stats.requests++;
    // Decide now, in arrival order, so a run with the same seed sees the same faults.
    const roll = random();
    const phaseRoll = random();
    const handle = (): void => {
      if (settings.down) {
        stats.refused++;
        req.socket.destroy();
        return;
      }
      if (roll < settings.dropRate) {
        stats.drops++;
        const phase =
          settings.dropPhase === 'both'
            ? phaseRoll < 0.5
              ? 'request'
              : 'response'
            : settings.dropPhase;
        if (phase === 'request') req.socket.destroy();
        else forward(req, res, (upstream) => cutOff(upstream, res));
        return;
      }
      if (roll < settings.dropRate + settings.errorRate) {
        stats.errors++;
        req.resume();
        req.once('end', () => {
          res.writeHead(500, {
            'content-type': 'application/xml',
            'content-length': Buffer.byteLength(INTERNAL_ERROR),
          });
          res.end(INTERNAL_ERROR);
        });
        return;
      }
      stats.forwarded++;
      forward(req, res, (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.rawHeaders);
        upstream.pipe(res);
      });
    };
    if (settings.delayMs > 0) setTimeout(handle, settings.delayMs);
    else handle();
  });

  /** Sends `req` to the target; a failure to reach it destroys the client's connection. */
  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    onResponse: (upstream: IncomingMessage) => void,
  ): void => {
    const up = httpRequest(
      {
        host: targetHost,
        port: targetPort,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      onResponse,
    );
    up.on('error', () => req.socket.destroy());
    res.once('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  };

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (settings.down) {
      stats.refused++;
      socket.destroy();
    }
  });
  server.on('clientError', (_e, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    settings,
    stats,
    set(s) {
      Object.assign(settings, s);
      if (s.down) for (const socket of sockets) socket.destroy();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Passes on the status line and headers and about half of the first body chunk, then destroys
 * the client's connection; with no body it destroys the connection without answering.
 */
function cutOff(upstream: IncomingMessage, res: ServerResponse): void {
  const socket = res.socket;
  upstream.once('data', (chunk: Buffer) => {
    upstream.destroy();
    res.writeHead(upstream.statusCode ?? 502, upstream.rawHeaders);
    res.write(chunk.subarray(0, Math.floor(chunk.length / 2)), () => socket?.destroy());
  });
  upstream.once('end', () => socket?.destroy());
  upstream.resume();
}
