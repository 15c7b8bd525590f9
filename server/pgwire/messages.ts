/**
 * Byte-level building blocks of the PostgreSQL frontend/backend protocol 3.0: a reader over one
 * received message body and builders of the backend messages Sluice sends.
 */

/** A message that breaks the protocol's framing rules; ends the session with 08P01. */
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly code = '08P01',
  ) {
    super(message);
  }
}

/** Sequential reader of one message body; every read is bounds-checked. */
export class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.buf.length)
      throw new ProtocolError('insufficient data left in message');
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A NUL-terminated UTF-8 string. */
  cstring(): string {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) throw new ProtocolError('invalid string in message');
    const v = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return v;
  }

  /** Fails when bytes are left over (PostgreSQL's `pq_getmsgend`). */
  end(): void {
    if (this.pos !== this.buf.length) throw new ProtocolError('invalid message format');
  }
}

/** Builds one backend message: a type byte, a length and the body. */
export class MessageBuilder {
  private parts: Buffer[] = [];
  private size = 0;

  constructor(private readonly type: string) {}

  private add(b: Buffer): this {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }

  byte(v: number): this {
    return this.add(Buffer.from([v]));
  }

  int16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    return this.add(b);
  }

  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return this.add(b);
  }

  cstring(s: string): this {
    return this.add(Buffer.from(`${s}\0`, 'utf8'));
  }

  bytes(b: Buffer): this {
    return this.add(b);
  }

  build(): Buffer {
    const head = Buffer.alloc(5);
    head.write(this.type, 0, 'latin1');
    head.writeInt32BE(this.size + 4, 1);
    return Buffer.concat([head, ...this.parts], this.size + 5);
  }
}

export interface ErrorFields {
  severity: 'ERROR' | 'FATAL' | 'NOTICE' | 'WARNING';
  code: string;
  message: string;
  detail?: string;
  hint?: string;
  position?: number;
}

/** ErrorResponse ('E') or NoticeResponse ('N'). */
export function errorMessage(type: 'E' | 'N', f: ErrorFields): Buffer {
  const m = new MessageBuilder(type);
  m.byte(0x53).cstring(f.severity); // S
  m.byte(0x56).cstring(f.severity); // V (not localised)
  m.byte(0x43).cstring(f.code); // C
  m.byte(0x4d).cstring(f.message); // M
  if (f.detail) m.byte(0x44).cstring(f.detail); // D
  if (f.hint) m.byte(0x48).cstring(f.hint); // H
  if (f.position !== undefined) m.byte(0x50).cstring(String(f.position)); // P
  return m.byte(0).build();
}

export function authMessage(code: number, extra?: Buffer): Buffer {
  const m = new MessageBuilder('R').int32(code);
  if (extra) m.bytes(extra);
  return m.build();
}

export function parameterStatus(name: string, value: string): Buffer {
  return new MessageBuilder('S').cstring(name).cstring(value).build();
}

export function readyForQuery(status: 'I' | 'T' | 'E'): Buffer {
  return new MessageBuilder('Z').byte(status.charCodeAt(0)).build();
}

export function commandComplete(tag: string): Buffer {
  return new MessageBuilder('C').cstring(tag).build();
}

/** Messages with an empty body: ParseComplete '1', BindComplete '2', CloseComplete '3', NoData 'n', EmptyQueryResponse 'I', PortalSuspended 's'. */
export function empty(type: '1' | '2' | '3' | 'n' | 'I' | 's'): Buffer {
  return new MessageBuilder(type).build();
}

export interface FieldDescription {
  name: string;
  typeOid: number;
  typeLength: number;
  typeModifier: number;
  format: number;
}

export function rowDescription(fields: FieldDescription[]): Buffer {
  const m = new MessageBuilder('T').int16(fields.length);
  for (const f of fields)
    m.cstring(f.name)
      .int32(0)
      .int16(0)
      .int32(f.typeOid)
      .int16(f.typeLength)
      .int32(f.typeModifier)
      .int16(f.format);
  return m.build();
}

export function parameterDescription(oids: number[]): Buffer {
  const m = new MessageBuilder('t').int16(oids.length);
  for (const o of oids) m.int32(o);
  return m.build();
}

/** DataRow from already-encoded column values (null = SQL NULL). */
export function dataRow(values: (Buffer | null)[]): Buffer {
  let size = 4 + 2;
  for (const v of values) size += 4 + (v ? v.length : 0);
  const b = Buffer.allocUnsafe(size + 1);
  b.write('D', 0, 'latin1');
  b.writeInt32BE(size, 1);
  b.writeInt16BE(values.length, 5);
  let off = 7;
  for (const v of values) {
    if (v === null) {
      b.writeInt32BE(-1, off);
      off += 4;
    } else {
      b.writeInt32BE(v.length, off);
      off += 4;
      v.copy(b, off);
      off += v.length;
    }
  }
  return b;
}

export function backendKeyData(pid: number, secret: number): Buffer {
  return new MessageBuilder('K').int32(pid).int32(secret).build();
}

export function negotiateProtocolVersion(minor: number, unrecognised: string[]): Buffer {
  const m = new MessageBuilder('v').int32((3 << 16) | minor).int32(unrecognised.length);
  for (const o of unrecognised) m.cstring(o);
  return m.build();
}
