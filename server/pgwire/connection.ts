/**
 * One client connection speaking the PostgreSQL protocol 3.0: framing with size limits,
 * startup and authentication, simple and extended query, cancellation and shutdown.
 */
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { SqlError } from '../../runtime/errors.js';
import type { PreparedStatement, StatementResult } from '../../runtime/engine.js';
import type { DataType } from '../../runtime/types/datatype.js';
import type { Value } from '../../runtime/types/value.js';
import type { Backend, BackendSession, StatementQueue } from '../backend.js';
import type { Metrics } from '../metrics.js';
import { type AuthMethod, type ScramKeys, ScramExchange, md5Response, safeEqual } from './auth.js';
import { BinaryFormatError, decodeBinary, encodeBinary } from './binary.js';
import {
  type ErrorFields,
  ProtocolError,
  Reader,
  authMessage,
  backendKeyData,
  commandComplete,
  dataRow,
  empty,
  errorMessage,
  negotiateProtocolVersion,
  parameterDescription,
  parameterStatus,
  readyForQuery,
  rowDescription,
} from './messages.js';
import { typeFromOid, typeLength, typeModifier, typeOid } from './types.js';

export interface PgOptions {
  /** Largest accepted message body, in bytes. */
  maxMessageBytes: number;
  /** Password authentication; null means trust. */
  auth: { user: string; password: string; method: AuthMethod; scram: ScramKeys } | null;
  serverVersion: string;
  /** The one database name accepted. */
  database: string;
  /** Time allowed from connect to the end of authentication. */
  authTimeoutMs: number;
}

/** What a connection shares with its server. */
export interface ConnectionHost {
  backend: Backend;
  queue: StatementQueue;
  metrics: Metrics;
  options: PgOptions;
  /** Handles a CancelRequest received on another connection. */
  cancel(pid: number, secret: number): void;
  closed(conn: Connection): void;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const MAX_STARTUP_PACKET = 10_000;
/** Output is handed to the socket in slices of about this size (back-pressure granularity). */
const FLUSH_BYTES = 64 * 1024;

interface Statement {
  prepared: PreparedStatement;
  declaredOids: number[];
}

interface Portal {
  statement: Statement;
  params: Value[];
  formats: number[];
  result?: StatementResult;
  offset: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function sqlError(code: string, message: string): SqlError {
  return new SqlError(code, message);
}

let nextPid = 1000 + Math.floor(Math.random() * 1000);

export class Connection {
  readonly pid = nextPid++;
  readonly secret = randomBytes(4).readInt32BE(0);
  private chunks: Buffer[] = [];
  private buffered = 0;
  private phase: 'startup' | 'auth' | 'ready' | 'closed' = 'startup';
  private pumping = false;
  private paused = false;
  private out: Buffer[] = [];
  private outBytes = 0;
  private session: BackendSession | undefined;
  private user = '';
  private authStep: ((r: Reader) => Promise<void> | void) | undefined;
  private statements = new Map<string, Statement>();
  private portals = new Map<string, Portal>();
  private skipUntilSync = false;
  private txFailed = false;
  private reported = new Map<string, string>();
  private authTimer: NodeJS.Timeout | undefined;
  private shutdownRequested = false;
  /** Between a request and its ReadyForQuery. */
  busy = false;
  cancelRequested = false;

  constructor(
    private readonly socket: Socket,
    private readonly host: ConnectionHost,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onClose());
    this.authTimer = setTimeout(() => {
      if (this.phase !== 'ready') socket.destroy();
    }, host.options.authTimeoutMs);
    this.authTimer.unref();
  }

  get isReady(): boolean {
    return this.phase === 'ready';
  }

  private onData(chunk: Buffer): void {
    if (this.phase === 'closed') return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    // Never hold more than one maximal message (plus slack) of unprocessed input.
    if (this.buffered > this.host.options.maxMessageBytes + 65_536 && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    void this.pump();
  }

  private onClose(): void {
    if (this.phase === 'closed') return;
    const hadSession = this.session !== undefined;
    this.phase = 'closed';
    clearTimeout(this.authTimer);
    this.chunks = [];
    this.statements.clear();
    this.portals.clear();
    this.session?.close();
    if (hadSession) this.host.metrics.sessionsActive--;
    this.host.closed(this);
  }

  // ---------------------------------------------------------------------------------------
  // Framing

  /** The first `n` buffered bytes (without consuming them), or null if fewer are buffered. */
  private peek(n: number): Buffer | null {
    if (this.buffered < n) return null;
    if (this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    this.peek(n);
    const head = this.chunks[0]!;
    const out = head.subarray(0, n);
    if (head.length === n) this.chunks.shift();
    else this.chunks[0] = head.subarray(n);
    this.buffered -= n;
    return out;
  }

  /** The next complete message, or null. Throws ProtocolError for impossible lengths. */
  private nextMessage(): { type: string; body: Buffer } | null {
    if (this.phase === 'startup') {
      const head = this.peek(4);
      if (!head) return null;
      const len = head.readInt32BE(0);
      if (len < 8 || len > MAX_STARTUP_PACKET)
        throw new ProtocolError('invalid length of startup packet');
      if (this.buffered < len) return null;
      return { type: '', body: this.take(len).subarray(4) };
    }
    const head = this.peek(5);
    if (!head) return null;
    const type = String.fromCharCode(head[0]!);
    const len = head.readInt32BE(1);
    if (len < 4) throw new ProtocolError(`invalid message length ${len}`);
    if (len - 4 > this.host.options.maxMessageBytes)
      throw new ProtocolError(
        `message of ${len - 4} bytes exceeds the limit of ${this.host.options.maxMessageBytes} bytes`,
        '54000',
      );
    if (this.buffered < len + 1) return null;
    const msg = this.take(len + 1);
    return { type, body: msg.subarray(5) };
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.phase !== 'closed') {
        const msg = this.nextMessage();
        if (!msg) break;
        await this.handle(msg.type, msg.body);
        if (this.paused && this.buffered <= this.host.options.maxMessageBytes) {
          this.paused = false;
          this.socket.resume();
        }
      }
    } catch (e) {
      await this.fatal(e);
    } finally {
      this.pumping = false;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Output

  private send(b: Buffer): void {
    this.out.push(b);
    this.outBytes += b.length;
  }

  /** Writes buffered output; waits for the socket to drain when the client reads slowly. */
  private async flush(): Promise<void> {
    if (this.out.length === 0 || this.phase === 'closed') {
      this.out = [];
      this.outBytes = 0;
      return;
    }
    const data = this.out.length === 1 ? this.out[0]! : Buffer.concat(this.out, this.outBytes);
    this.out = [];
    this.outBytes = 0;
    if (this.socket.write(data)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  private async maybeFlush(): Promise<void> {
    if (this.outBytes >= FLUSH_BYTES) await this.flush();
  }

  private errorFields(e: unknown): ErrorFields {
    if (e instanceof SqlError)
      return {
        severity: 'ERROR',
        code: e.code,
        message: e.message,
        detail: e.detail,
        hint: e.hint,
        position: e.position,
      };
    if (e instanceof BinaryFormatError)
      return { severity: 'ERROR', code: '22P03', message: e.message };
    if (e instanceof ProtocolError) return { severity: 'ERROR', code: e.code, message: e.message };
    const message = e instanceof Error ? e.message : String(e);
    return { severity: 'ERROR', code: 'XX000', message: `internal error: ${message}` };
  }

  /** Ends the session with a FATAL error (the server keeps running). */
  private async fatal(e: unknown): Promise<void> {
    if (this.phase === 'closed') return;
    if (e instanceof ProtocolError) this.host.metrics.protocolErrors++;
    const f = this.errorFields(e);
    this.send(errorMessage('E', { ...f, severity: 'FATAL' }));
    await this.flush();
    this.terminate();
  }

  private terminate(): void {
    if (this.phase === 'closed') return;
    this.socket.end();
    // A client that never reads must not keep the socket alive.
    setTimeout(() => this.socket.destroy(), 2000).unref();
    this.onClose();
  }

  private async ready(): Promise<void> {
    this.busy = false;
    this.cancelRequested = false;
    const s = this.session;
    const status = this.txFailed ? 'E' : s?.inTransaction ? 'T' : 'I';
    this.send(readyForQuery(status));
    await this.flush();
    if (this.shutdownRequested) this.shutdownNow();
  }

  /** Asks the connection to close once its current request is answered. */
  shutdown(): void {
    this.shutdownRequested = true;
    if (!this.busy || this.phase !== 'ready') this.shutdownNow();
  }

  private shutdownNow(): void {
    if (this.phase === 'closed') return;
    if (this.phase === 'ready') {
      this.send(
        errorMessage('E', {
          severity: 'FATAL',
          code: '57P01',
          message: 'terminating connection due to administrator command',
        }),
      );
      void this.flush();
    }
    this.terminate();
  }

  // ---------------------------------------------------------------------------------------
  // Startup and authentication

  private async handle(type: string, body: Buffer): Promise<void> {
    const r = new Reader(body);
    if (this.phase === 'startup') return this.startup(r);
    if (this.phase === 'auth') {
      if (type !== 'p')
        throw new ProtocolError(`expected password response, got message type "${type}"`);
      return this.authStep!(r);
    }
    return this.query(type, r);
  }

  private async startup(r: Reader): Promise<void> {
    const code = r.int32();
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      r.end();
      // Neither TLS nor GSSAPI encryption is configured: the client goes on in plain text.
      this.socket.write('N');
      return;
    }
    if (code === CANCEL_REQUEST) {
      const pid = r.int32();
      const secret = r.int32();
      this.host.cancel(pid, secret);
      this.terminate();
      return;
    }
    const major = code >>> 16;
    const minor = code & 0xffff;
    if (major !== 3)
      throw new ProtocolError(
        `unsupported frontend protocol ${major}.${minor}: server supports 3.0 to 3.0`,
        '0A000',
      );
    const params = new Map<string, string>();
    for (;;) {
      const name = r.cstring();
      if (name === '') break;
      params.set(name, r.cstring());
    }
    r.end();
    const unrecognised = [...params.keys()].filter((k) => k.startsWith('_pq_.'));
    if (minor > 0 || unrecognised.length) this.send(negotiateProtocolVersion(0, unrecognised));
    const user = params.get('user');
    if (!user)
      throw new ProtocolError('no PostgreSQL user name specified in startup packet', '28000');
    if (params.has('replication') && params.get('replication') !== 'false')
      throw new ProtocolError('replication connections are not supported', '0A000');
    const database = params.get('database') || this.host.options.database;
    this.user = user;
    const auth = this.host.options.auth;
    const finish = async (): Promise<void> => this.startSession(database, params);
    if (!auth) return finish();
    if (user !== auth.user) {
      // Answer as for a wrong password so that user names cannot be probed.
      await this.requestPassword(auth.method, auth, async () => this.authFailed());
      return;
    }
    await this.requestPassword(auth.method, auth, finish);
  }

  private async authFailed(): Promise<void> {
    throw new ProtocolError(`password authentication failed for user "${this.user}"`, '28P01');
  }

  private async requestPassword(
    method: AuthMethod,
    auth: NonNullable<PgOptions['auth']>,
    onSuccess: () => Promise<void>,
  ): Promise<void> {
    this.phase = 'auth';
    const wrongUser = this.user !== auth.user;
    if (method === 'password') {
      this.send(authMessage(3));
      this.authStep = async (r) => {
        const pw = r.cstring();
        r.end();
        if (wrongUser || !safeEqual(pw, auth.password)) return this.authFailed();
        return onSuccess();
      };
    } else if (method === 'md5') {
      const salt = randomBytes(4);
      this.send(authMessage(5, salt));
      this.authStep = async (r) => {
        const resp = r.cstring();
        r.end();
        if (wrongUser || !safeEqual(resp, md5Response(auth.user, auth.password, salt)))
          return this.authFailed();
        return onSuccess();
      };
    } else {
      this.send(authMessage(10, Buffer.from('SCRAM-SHA-256\0\0')));
      const scram = new ScramExchange(auth.scram);
      this.authStep = async (r) => {
        const mechanism = r.cstring();
        const len = r.int32();
        const initial = r.bytes(len).toString('utf8');
        r.end();
        if (mechanism !== 'SCRAM-SHA-256')
          throw new ProtocolError(
            'client selected an invalid SASL authentication mechanism',
            '28000',
          );
        const first = scram.first(initial);
        if (typeof first !== 'string') throw new ProtocolError(first.error, '08P01');
        this.send(authMessage(11, Buffer.from(first)));
        await this.flush();
        this.authStep = async (r2) => {
          const final = scram.final(r2.bytes(r2.remaining).toString('utf8'));
          if (wrongUser || final === null) return this.authFailed();
          this.send(authMessage(12, Buffer.from(final)));
          return onSuccess();
        };
      };
    }
    await this.flush();
  }

  private async startSession(database: string, params: Map<string, string>): Promise<void> {
    if (database !== this.host.options.database)
      throw new ProtocolError(`database "${database}" does not exist`, '3D000');
    const session = this.host.backend.connect({ user: this.user, database });
    this.session = session;
    this.host.metrics.sessionsOpened++;
    this.host.metrics.sessionsActive++;
    for (const [name, value] of params) {
      if (name === 'user' || name === 'database' || name === 'options' || name.startsWith('_pq_.'))
        continue;
      try {
        session.applyStartupParameter(name, value);
      } catch (e) {
        throw new ProtocolError(
          e instanceof Error ? e.message : String(e),
          e instanceof SqlError ? e.code : '22023',
        );
      }
    }
    this.phase = 'ready';
    clearTimeout(this.authTimer);
    this.send(authMessage(0));
    const status: [string, string][] = [
      ['application_name', session.settings.vars.get('application_name') ?? ''],
      ['client_encoding', 'UTF8'],
      ['DateStyle', 'ISO, MDY'],
      ['default_transaction_read_only', 'off'],
      ['in_hot_standby', 'off'],
      ['integer_datetimes', 'on'],
      ['IntervalStyle', 'postgres'],
      ['is_superuser', 'on'],
      ['server_encoding', 'UTF8'],
      ['server_version', this.host.options.serverVersion],
      ['session_authorization', this.user],
      ['standard_conforming_strings', 'on'],
      ['TimeZone', session.settings.timeZone],
    ];
    for (const [k, v] of status) {
      this.send(parameterStatus(k, v));
      this.reported.set(k, v);
    }
    this.send(backendKeyData(this.pid, this.secret));
    await this.ready();
  }

  /** ParameterStatus for reported settings a statement changed. */
  private reportChanges(): void {
    const s = this.session!;
    const now: [string, string][] = [
      ['TimeZone', s.settings.timeZone],
      ['application_name', s.settings.vars.get('application_name') ?? ''],
    ];
    for (const [k, v] of now)
      if (this.reported.get(k) !== v) {
        this.reported.set(k, v);
        this.send(parameterStatus(k, v));
      }
  }

  // ---------------------------------------------------------------------------------------
  // Queries

  private async query(type: string, r: Reader): Promise<void> {
    if (type === 'X') {
      this.terminate();
      return;
    }
    if (type === 'S') {
      r.end();
      this.skipUntilSync = false;
      if (!this.session!.inTransaction) this.portals.clear();
      await this.ready();
      return;
    }
    this.busy = true;
    if (this.skipUntilSync && 'PBDECH'.includes(type)) return;
    switch (type) {
      case 'Q':
        return this.simpleQuery(r);
      case 'P':
        return this.guard(() => this.parse(r));
      case 'B':
        return this.guard(() => this.bind(r));
      case 'D':
        return this.guard(() => this.describe(r));
      case 'E':
        return this.guard(() => this.execute(r));
      case 'C':
        return this.guard(() => this.close(r));
      case 'H':
        this.busy = false;
        return this.flush();
      case 'd':
      case 'c':
      case 'f':
        // Copy messages outside COPY are ignored, as PostgreSQL does.
        this.busy = false;
        return;
      case 'F':
        this.send(
          errorMessage('E', {
            severity: 'ERROR',
            code: '0A000',
            message: 'the function call protocol message is not supported',
          }),
        );
        this.skipUntilSync = true;
        return this.flush();
      default:
        throw new ProtocolError(`invalid frontend message type ${type.charCodeAt(0)}`);
    }
  }

  /** Runs an extended-query step; an error is reported and the rest up to Sync skipped. */
  private async guard(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (e) {
      // A message that cannot be decoded ends the session; anything else only this request.
      if (e instanceof ProtocolError) throw e;
      this.reportError(e);
      this.skipUntilSync = true;
      await this.flush();
    }
  }

  private reportError(e: unknown): void {
    this.host.metrics.errors++;
    if (this.session?.inTransaction) this.txFailed = true;
    this.send(errorMessage('E', this.errorFields(e)));
  }

  /** Runs engine work on the shared queue, honouring a pending cancel request. */
  private run<R>(fn: () => R): Promise<R> {
    return this.host.queue.run(() => {
      if (this.cancelRequested) {
        this.cancelRequested = false;
        throw sqlError('57014', 'canceling statement due to user request');
      }
      if (this.phase === 'closed') throw sqlError('08006', 'connection closed');
      return fn();
    });
  }

  private checkAborted(kind: string): void {
    if (this.txFailed && kind !== 'commit' && kind !== 'rollback')
      throw sqlError(
        '25P02',
        'current transaction is aborted, commands ignored until end of transaction block',
      );
  }

  /** After a statement: transaction-state bookkeeping, metrics, notices, settings changes. */
  private afterStatement(kind: string, result: StatementResult, started: number): StatementResult {
    let r = result;
    if (this.txFailed && (kind === 'commit' || kind === 'rollback')) {
      this.txFailed = false;
      if (kind === 'commit') r = { ...r, tag: 'ROLLBACK' };
    }
    this.host.metrics.statement(r.tag, r.rows?.length ?? 0, (performance.now() - started) / 1000);
    for (const n of r.notices ?? [])
      this.send(errorMessage('N', { severity: 'NOTICE', code: '00000', message: n }));
    this.reportChanges();
    return r;
  }

  private fields(columns: { name: string; type: DataType }[], formats: number[]): Buffer {
    return rowDescription(
      columns.map((c, i) => ({
        name: c.name,
        typeOid: typeOid(c.type),
        typeLength: typeLength(c.type),
        typeModifier: typeModifier(c.type),
        format: formats[i] ?? 0,
      })),
    );
  }

  /** Sends rows [from, to) of a result as DataRows, flushing with back-pressure. */
  private async sendRows(
    result: StatementResult,
    from: number,
    to: number,
    formats: number[],
  ): Promise<void> {
    const rows = result.rows ?? [];
    const columns = result.columns ?? [];
    const s = this.session!;
    const text = (v: Value, t: DataType): string => s.formatValue(v, t);
    for (let i = from; i < to; i++) {
      const row = rows[i]!;
      this.send(
        dataRow(
          row.map((v, j) => {
            if (v === null) return null;
            const t = columns[j]?.type ?? { kind: 'text' };
            if (formats[j] === 1) return encodeBinary(v, t, text);
            return Buffer.from(text(v, t), 'utf8');
          }),
        ),
      );
      await this.maybeFlush();
      if (this.phase === 'closed') return;
    }
  }

  private async simpleQuery(r: Reader): Promise<void> {
    const sql = r.cstring();
    r.end();
    const session = this.session!;
    // A simple query closes the unnamed statement and portal.
    this.statements.delete('');
    this.portals.delete('');
    try {
      const units = await this.run(() => session.parse(sql));
      if (units.length === 0) this.send(empty('I'));
      for (const unit of units) {
        const started = performance.now();
        const result = this.afterStatement(
          unit.kind,
          await this.run(() => {
            this.checkAborted(unit.kind);
            return unit.run();
          }),
          started,
        );
        if (result.columns) this.send(this.fields(result.columns, []));
        if (result.rows) await this.sendRows(result, 0, result.rows.length, []);
        this.send(commandComplete(result.tag));
        await this.maybeFlush();
        if (this.phase === 'closed') return;
      }
    } catch (e) {
      this.reportError(e);
    }
    await this.ready();
  }

  private async parse(r: Reader): Promise<void> {
    const name = r.cstring();
    const sql = r.cstring();
    const n = r.int16();
    if (n < 0) throw new ProtocolError('invalid number of parameter types');
    const oids: number[] = [];
    for (let i = 0; i < n; i++) oids.push(r.int32() >>> 0);
    r.end();
    if (name !== '' && this.statements.has(name))
      throw sqlError('42P05', `prepared statement "${name}" already exists`);
    const session = this.session!;
    const types = oids.map(typeFromOid);
    const prepared = await this.run(() => session.prepare(sql, types));
    this.statements.set(name, { prepared, declaredOids: oids });
    this.send(empty('1'));
  }

  private statement(name: string): Statement {
    const s = this.statements.get(name);
    if (!s) throw sqlError('26000', `prepared statement "${name}" does not exist`);
    return s;
  }

  private paramOids(s: Statement): number[] {
    return s.prepared.paramTypes.map((t, i) => {
      const declared = s.declaredOids[i];
      if (declared) return declared;
      return t.kind === 'unknown' ? 25 : typeOid(t);
    });
  }

  private formatCodes(r: Reader): number[] {
    const n = r.int16();
    if (n < 0) throw new ProtocolError('invalid number of format codes');
    const codes: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = r.int16();
      if (c !== 0 && c !== 1) throw sqlError('08P01', `unsupported format code: ${c}`);
      codes.push(c);
    }
    return codes;
  }

  private async bind(r: Reader): Promise<void> {
    const portalName = r.cstring();
    const stmtName = r.cstring();
    const paramFormats = this.formatCodes(r);
    const n = r.int16();
    if (n < 0) throw new ProtocolError('invalid number of parameters');
    const raw: (Buffer | null)[] = [];
    for (let i = 0; i < n; i++) {
      const len = r.int32();
      if (len < -1) throw new ProtocolError(`invalid parameter length ${len}`);
      raw.push(len === -1 ? null : r.bytes(len));
    }
    const resultFormats = this.formatCodes(r);
    r.end();
    const stmt = this.statement(stmtName);
    const types = stmt.prepared.paramTypes;
    if (paramFormats.length > 1 && paramFormats.length !== n)
      throw sqlError(
        '08P01',
        `bind message has ${paramFormats.length} parameter formats but ${n} parameters`,
      );
    if (n !== types.length)
      throw sqlError(
        '08P01',
        `bind message supplies ${n} parameters, but prepared statement "${stmtName}" requires ${types.length}`,
      );
    const oids = this.paramOids(stmt);
    const params: Value[] = raw.map((b, i) => {
      if (b === null) return null;
      const format = paramFormats.length === 1 ? paramFormats[0]! : (paramFormats[i] ?? 0);
      if (format === 1) return decodeBinary(b, types[i]!, oids[i]!);
      try {
        return utf8.decode(b);
      } catch {
        throw sqlError('22021', 'invalid byte sequence for encoding "UTF8"');
      }
    });
    const columns = stmt.prepared.columns ?? [];
    let formats: number[];
    if (resultFormats.length === 0) formats = columns.map(() => 0);
    else if (resultFormats.length === 1) formats = columns.map(() => resultFormats[0]!);
    else if (resultFormats.length === columns.length) formats = resultFormats;
    else
      throw sqlError(
        '08P01',
        `bind message has ${resultFormats.length} result formats but query has ${columns.length} columns`,
      );
    if (portalName !== '' && this.portals.has(portalName))
      throw sqlError('42P03', `cursor "${portalName}" already exists`);
    this.portals.set(portalName, { statement: stmt, params, formats, offset: 0 });
    this.send(empty('2'));
  }

  private async describe(r: Reader): Promise<void> {
    const what = r.byte();
    const name = r.cstring();
    r.end();
    if (what === 0x53) {
      const stmt = this.statement(name);
      this.send(parameterDescription(this.paramOids(stmt)));
      const cols = stmt.prepared.columns;
      this.send(cols ? this.fields(cols, []) : empty('n'));
    } else if (what === 0x50) {
      const portal = this.portals.get(name);
      if (!portal) throw sqlError('34000', `portal "${name}" does not exist`);
      const cols = portal.statement.prepared.columns;
      this.send(cols ? this.fields(cols, portal.formats) : empty('n'));
    } else throw new ProtocolError(`invalid DESCRIBE message subtype ${what}`);
  }

  private async execute(r: Reader): Promise<void> {
    const name = r.cstring();
    const maxRows = r.int32();
    r.end();
    const portal = this.portals.get(name);
    if (!portal) throw sqlError('34000', `portal "${name}" does not exist`);
    const prepared = portal.statement.prepared;
    if (!prepared.statement) {
      this.send(empty('I'));
      return;
    }
    const session = this.session!;
    const kind = prepared.statement.kind;
    let result = portal.result;
    if (!result) {
      const started = performance.now();
      result = this.afterStatement(
        kind,
        await this.run(() => {
          this.checkAborted(kind);
          return session.executePrepared(prepared, portal.params);
        }),
        started,
      );
      portal.result = result;
    }
    const total = result.rows?.length ?? 0;
    if (!result.rows) {
      this.send(commandComplete(result.tag));
      return;
    }
    const from = portal.offset;
    const to = maxRows > 0 ? Math.min(total, from + maxRows) : total;
    await this.sendRows(result, from, to, portal.formats);
    portal.offset = to;
    // As PostgreSQL: a run that filled its row limit suspends, even if no row is left.
    if (maxRows > 0 && to - from === maxRows) this.send(empty('s'));
    else if (from === 0) this.send(commandComplete(result.tag));
    else
      this.send(
        commandComplete(/^SELECT \d+$/.test(result.tag) ? `SELECT ${to - from}` : result.tag),
      );
  }

  private async close(r: Reader): Promise<void> {
    const what = r.byte();
    const name = r.cstring();
    r.end();
    if (what === 0x53) this.statements.delete(name);
    else if (what === 0x50) this.portals.delete(name);
    else throw new ProtocolError(`invalid CLOSE message subtype ${what}`);
    this.send(empty('3'));
  }
}
