/**
 * The PostgreSQL wire-protocol listener: accepts connections, routes cancel requests, enforces
 * the connection limit and shuts down gracefully.
 */
import { type Server, type Socket, createServer } from 'node:net';
import type { Backend, StatementQueue } from '../backend.js';
import type { Metrics } from '../metrics.js';
import { type AuthMethod, scramKeys } from './auth.js';
import { Connection, type ConnectionHost, type PgOptions } from './connection.js';
import { errorMessage } from './messages.js';

export interface PgServerConfig {
  host: string;
  port: number;
  backend: Backend;
  queue: StatementQueue;
  metrics: Metrics;
  /** With a password, clients must authenticate (default method SCRAM-SHA-256). */
  user?: string;
  password?: string;
  authMethod?: AuthMethod;
  maxMessageBytes?: number;
  maxConnections?: number;
  serverVersion?: string;
  database?: string;
  authTimeoutMs?: number;
}

export class PgServer {
  private server: Server | undefined;
  private readonly connections = new Set<Connection>();
  private readonly host: ConnectionHost;
  private readonly maxConnections: number;

  constructor(readonly config: PgServerConfig) {
    const options: PgOptions = {
      maxMessageBytes: config.maxMessageBytes ?? 64 * 1024 * 1024,
      auth:
        config.password !== undefined
          ? {
              user: config.user ?? 'root',
              password: config.password,
              method: config.authMethod ?? 'scram-sha-256',
              scram: scramKeys(config.password),
            }
          : null,
      serverVersion: config.serverVersion ?? '13.14.0 (Sluice)',
      database: config.database ?? 'dev',
      authTimeoutMs: config.authTimeoutMs ?? 60_000,
    };
    this.maxConnections = config.maxConnections ?? 1000;
    this.host = {
      backend: config.backend,
      queue: config.queue,
      metrics: config.metrics,
      options,
      cancel: (pid, secret) => {
        for (const c of this.connections)
          if (c.pid === pid && c.secret === secret && c.busy) c.cancelRequested = true;
      },
      closed: (c) => this.connections.delete(c),
    };
  }

  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
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

  private accept(socket: Socket): void {
    if (this.connections.size >= this.maxConnections) {
      // The startup packet is not awaited: the refusal is all this client gets.
      socket.end(
        errorMessage('E', {
          severity: 'FATAL',
          code: '53300',
          message: 'sorry, too many clients already',
        }),
      );
      socket.on('error', () => socket.destroy());
      return;
    }
    this.connections.add(new Connection(socket, this.host));
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Stops accepting connections, lets running requests finish, then closes every session.
   * Resolves when all are closed (or after `timeoutMs`).
   */
  async close(timeoutMs = 10_000): Promise<void> {
    const server = this.server;
    const closed = server
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : Promise.resolve();
    for (const c of [...this.connections]) c.shutdown();
    const deadline = Date.now() + timeoutMs;
    while (this.connections.size > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await Promise.race([closed, new Promise((r) => setTimeout(r, 100))]);
  }
}
