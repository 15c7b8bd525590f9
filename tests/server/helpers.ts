/**
 * Helpers for server tests: a real `sluice serve` process on loopback ephemeral ports, and a
 * minimal raw protocol client for byte-level checks.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../..');
const entry = resolve(import.meta.dirname, 'entry.ts');

export interface ServerProcess {
  proc: ChildProcess;
  pgPort: number;
  httpPort: number;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `sluice serve --port 0 --http-port 0 ...args` and waits for its start-up line. Without
 * `--data-dir`/`--state` in `args`, state goes to a fresh temporary folder, removed on stop.
 */
export async function startServe(args: string[] = []): Promise<ServerProcess> {
  const own = !args.includes('--data-dir') && !args.includes('--state');
  const dir = own ? mkdtempSync(join(tmpdir(), 'sluice-serve-')) : undefined;
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      entry,
      'serve',
      '--port',
      '0',
      '--http-port',
      '0',
      ...(dir ? ['--data-dir', dir] : []),
      ...args,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (dir) proc.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /PostgreSQL protocol on [^ ]+:(\d+), HTTP on http:\/\/[^ ]+:(\d+)/.exec(out);
    if (m)
      return {
        proc,
        pgPort: Number(m[1]),
        httpPort: Number(m[2]),
        output: () => out,
        stop: async (signal = 'SIGTERM') => {
          if (proc.exitCode === null) proc.kill(signal);
          return exited;
        },
      };
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill();
      throw new Error(`sluice serve did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface RawMessage {
  type: string;
  body: Buffer;
}

/** A bare protocol client: send arbitrary bytes, read typed messages. */
export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (const w of this.waiters.splice(0)) w();
    });
    const end = (): void => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    };
    socket.on('close', end);
    socket.on('error', end);
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((res, rej) => {
      const s = connect(port, '127.0.0.1', () => res(new RawClient(s)));
      s.once('error', rej);
    });
  }

  write(b: Buffer): void {
    if (!this.closed) this.socket.write(b);
  }

  /** Sends a startup packet and reads through the first ReadyForQuery. */
  async startup(
    params: Record<string, string> = { user: 'root', database: 'dev' },
  ): Promise<RawMessage[]> {
    this.write(startupPacket(params));
    return this.readUntil('Z');
  }

  private async waitData(timeoutMs: number): Promise<void> {
    await new Promise<void>((res) => {
      const t = setTimeout(res, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        res();
      });
    });
  }

  /** Reads one raw byte (the answer to SSLRequest). */
  async readByte(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.buf.length < 1) {
      if (this.closed || Date.now() > deadline) throw new Error('no byte received');
      await this.waitData(deadline - Date.now());
    }
    const b = String.fromCharCode(this.buf[0]!);
    this.buf = this.buf.subarray(1);
    return b;
  }

  /** The next message, or null when the connection closed first. */
  async read(timeoutMs = 10_000): Promise<RawMessage | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.buf.length >= 5) {
        const len = this.buf.readInt32BE(1);
        if (this.buf.length >= len + 1) {
          const msg = {
            type: String.fromCharCode(this.buf[0]!),
            body: this.buf.subarray(5, len + 1),
          };
          this.buf = this.buf.subarray(len + 1);
          return msg;
        }
      }
      if (this.closed) return null;
      if (Date.now() > deadline) throw new Error('timed out waiting for a message');
      await this.waitData(deadline - Date.now());
    }
  }

  /** Messages up to and including the first of `type` (or until the connection closes). */
  async readUntil(type: string, timeoutMs = 10_000): Promise<RawMessage[]> {
    const out: RawMessage[] = [];
    for (;;) {
      const m = await this.read(timeoutMs);
      if (!m) return out;
      out.push(m);
      if (m.type === type) return out;
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

export function startupPacket(params: Record<string, string>, version = 196608): Buffer {
  const body = Buffer.concat([
    ...Object.entries(params).map(([k, v]) => Buffer.from(`${k}\0${v}\0`)),
    Buffer.from([0]),
  ]);
  const head = Buffer.alloc(8);
  head.writeInt32BE(body.length + 8, 0);
  head.writeInt32BE(version, 4);
  return Buffer.concat([head, body]);
}

/** A frontend message: type byte, length, body. */
export function msg(type: string, ...parts: (Buffer | string | number[])[]): Buffer {
  const body = Buffer.concat(
    parts.map((p) =>
      typeof p === 'string' ? Buffer.from(`${p}\0`) : Buffer.isBuffer(p) ? p : Buffer.from(p),
    ),
  );
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

export const int16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};

export const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

/** ErrorResponse/NoticeResponse fields by their one-letter codes. */
export function errorFields(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < body.length && body[i] !== 0) {
    const code = String.fromCharCode(body[i]!);
    const end = body.indexOf(0, i + 1);
    out[code] = body.toString('utf8', i + 1, end);
    i = end + 1;
  }
  return out;
}

/** Text values of a DataRow. */
export function dataRowValues(body: Buffer): (string | null)[] {
  const n = body.readInt16BE(0);
  const out: (string | null)[] = [];
  let off = 2;
  for (let i = 0; i < n; i++) {
    const len = body.readInt32BE(off);
    off += 4;
    if (len < 0) out.push(null);
    else {
      out.push(body.toString('utf8', off, off + len));
      off += len;
    }
  }
  return out;
}
