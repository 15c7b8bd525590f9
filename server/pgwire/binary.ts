/**
 * The binary wire format of parameters and result columns. Binary parameters are decoded into
 * their PostgreSQL text form (the engine parses text into the parameter's type, so both formats
 * take one path); binary results are encoded from the engine's JS values.
 */
import type { DataType } from '../../runtime/types/datatype.js';
import { Interval, formatInterval } from '../../runtime/types/interval.js';
import {
  DATE_INFINITY,
  DATE_NEG_INFINITY,
  TIMESTAMP_INFINITY,
  TIMESTAMP_NEG_INFINITY,
  formatDate,
  formatTime,
  formatTimestamp,
  formatTimestamptz,
} from '../../runtime/types/datetime.js';
import { StructValue, type Value } from '../../runtime/types/value.js';
import { OID, typeOid } from './types.js';

/** Microseconds between 1970-01-01 and PostgreSQL's epoch 2000-01-01. */
const PG_EPOCH_MICROS = 946_684_800_000_000n;
const PG_EPOCH_DAYS = 10_957;
const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/** A malformed binary value: reported to the client as 22P03. */
export class BinaryFormatError extends Error {}

function need(buf: Buffer, n: number, what: string): void {
  if (buf.length !== n)
    throw new BinaryFormatError(`incorrect binary data format in bind parameter (${what})`);
}

/** Decodes a binary parameter into PostgreSQL's text representation of it. */
export function decodeBinary(buf: Buffer, t: DataType, declaredOid: number): string {
  switch (t.kind) {
    case 'boolean':
      need(buf, 1, 'boolean');
      return buf[0] ? 't' : 'f';
    case 'int2':
      need(buf, 2, 'smallint');
      return String(buf.readInt16BE(0));
    case 'int4':
      need(buf, 4, 'integer');
      return String(buf.readInt32BE(0));
    case 'int8':
      need(buf, 8, 'bigint');
      return String(buf.readBigInt64BE(0));
    case 'float4':
      need(buf, 4, 'real');
      return floatText(buf.readFloatBE(0));
    case 'float8':
      need(buf, 8, 'double precision');
      return floatText(buf.readDoubleBE(0));
    case 'numeric':
      return decodeNumeric(buf);
    case 'date': {
      need(buf, 4, 'date');
      const d = buf.readInt32BE(0);
      if (d === INT32_MAX) return formatDate(DATE_INFINITY);
      if (d === INT32_MIN) return formatDate(DATE_NEG_INFINITY);
      return formatDate(d + PG_EPOCH_DAYS);
    }
    case 'time':
      need(buf, 8, 'time');
      return formatTime(buf.readBigInt64BE(0));
    case 'timestamp':
    case 'timestamptz': {
      need(buf, 8, 'timestamp');
      const raw = buf.readBigInt64BE(0);
      const v =
        raw === TIMESTAMP_INFINITY || raw === TIMESTAMP_NEG_INFINITY ? raw : raw + PG_EPOCH_MICROS;
      return t.kind === 'timestamp' ? formatTimestamp(v) : formatTimestamptz(v, 'UTC');
    }
    case 'interval': {
      need(buf, 16, 'interval');
      return formatInterval(
        new Interval(buf.readInt32BE(12), buf.readInt32BE(8), buf.readBigInt64BE(0)),
      );
    }
    case 'jsonb':
      if (declaredOid === OID.json) return buf.toString('utf8');
      if (buf.length < 1 || buf[0] !== 1)
        throw new BinaryFormatError('unsupported jsonb version number');
      return buf.subarray(1).toString('utf8');
    case 'bytea':
      return `\\x${buf.toString('hex')}`;
    case 'array':
      return decodeArray(buf, t.element);
    case 'struct':
      throw new BinaryFormatError('binary input of records is not supported');
    default:
      return buf.toString('utf8');
  }
}

function floatText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return String(n);
}

function decodeNumeric(buf: Buffer): string {
  if (buf.length < 8) throw new BinaryFormatError('incorrect binary data format (numeric)');
  const ndigits = buf.readUInt16BE(0);
  const weight = buf.readInt16BE(2);
  const sign = buf.readUInt16BE(4);
  const dscale = buf.readUInt16BE(6);
  need(buf, 8 + ndigits * 2, 'numeric');
  if (sign === 0xc000) return 'NaN';
  if (sign === 0xd000) return 'Infinity';
  if (sign === 0xf000) return '-Infinity';
  if (sign !== 0 && sign !== 0x4000)
    throw new BinaryFormatError('invalid sign in external "numeric" value');
  const digits: number[] = [];
  for (let i = 0; i < ndigits; i++) {
    const d = buf.readUInt16BE(8 + i * 2);
    if (d > 9999) throw new BinaryFormatError('invalid digit in external "numeric" value');
    digits.push(d);
  }
  let int = '';
  for (let i = 0; i <= weight; i++) {
    const d = digits[i] ?? 0;
    int += int === '' ? String(d) : String(d).padStart(4, '0');
  }
  if (int === '' || /^0+$/.test(int)) int = '0';
  let frac = '';
  for (let i = weight + 1; i < ndigits; i++) {
    // Negative indices are the zero groups between the point and the first stored digit.
    frac += String(digits[i] ?? 0).padStart(4, '0');
  }
  frac = frac.padEnd(dscale, '0').slice(0, dscale);
  const text = frac ? `${int}.${frac}` : int;
  return sign === 0x4000 && /[1-9]/.test(text) ? `-${text}` : text;
}

/** PostgreSQL array literal quoting of one element's text. */
function quoteElement(s: string): string {
  if (s === '' || /[{},"\\\s]/.test(s) || s.toLowerCase() === 'null')
    return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return s;
}

function decodeArray(buf: Buffer, element: DataType): string {
  if (buf.length < 12) throw new BinaryFormatError('incorrect binary data format (array)');
  const ndim = buf.readInt32BE(0);
  const elemOid = buf.readInt32BE(8);
  if (ndim === 0) return '{}';
  if (ndim < 0 || ndim > 6) throw new BinaryFormatError('invalid number of dimensions');
  const dims: number[] = [];
  let off = 12;
  for (let i = 0; i < ndim; i++) {
    if (off + 8 > buf.length) throw new BinaryFormatError('insufficient data left in message');
    const n = buf.readInt32BE(off);
    if (n < 0 || n > 100_000_000) throw new BinaryFormatError('invalid array dimension');
    dims.push(n);
    off += 8;
  }
  const items: string[] = [];
  const total = dims.reduce((a, b) => a * b, 1);
  for (let i = 0; i < total; i++) {
    if (off + 4 > buf.length) throw new BinaryFormatError('insufficient data left in message');
    const len = buf.readInt32BE(off);
    off += 4;
    if (len === -1) {
      items.push('NULL');
      continue;
    }
    if (len < 0 || off + len > buf.length)
      throw new BinaryFormatError('insufficient data left in message');
    items.push(quoteElement(decodeBinary(buf.subarray(off, off + len), element, elemOid)));
    off += len;
  }
  if (off !== buf.length) throw new BinaryFormatError('incorrect binary data format (array)');
  // Nest the flat element list by dimensions, innermost last.
  let level: string[] = items;
  for (let d = dims.length - 1; d >= 1; d--) {
    const size = dims[d]!;
    const next: string[] = [];
    for (let i = 0; i < level.length; i += size)
      next.push(`{${level.slice(i, i + size).join(',')}}`);
    level = next;
  }
  return `{${level.join(',')}}`;
}

/** Encodes numeric text (`-12.340`, `NaN`, `Infinity`) in PostgreSQL's binary numeric form. */
export function encodeNumericText(text: string): Buffer {
  const header = (n: number, weight: number, sign: number, dscale: number): Buffer => {
    const b = Buffer.alloc(8 + n * 2);
    b.writeUInt16BE(n, 0);
    b.writeInt16BE(weight, 2);
    b.writeUInt16BE(sign, 4);
    b.writeUInt16BE(dscale, 6);
    return b;
  };
  if (text === 'NaN') return header(0, 0, 0xc000, 0);
  if (text === 'Infinity') return header(0, 0, 0xd000, 0);
  if (text === '-Infinity') return header(0, 0, 0xf000, 0);
  const neg = text.startsWith('-');
  const body = neg || text.startsWith('+') ? text.slice(1) : text;
  const [intPart = '0', fracPart = ''] = body.split('.');
  const dscale = fracPart.length;
  const intPadded = intPart.padStart(Math.ceil(intPart.length / 4) * 4, '0');
  const fracPadded = fracPart.padEnd(Math.ceil(fracPart.length / 4) * 4, '0');
  let groups: number[] = [];
  for (let i = 0; i < intPadded.length; i += 4) groups.push(Number(intPadded.slice(i, i + 4)));
  let weight = groups.length - 1;
  for (let i = 0; i < fracPadded.length; i += 4) groups.push(Number(fracPadded.slice(i, i + 4)));
  while (groups.length && groups[0] === 0) {
    groups.shift();
    weight--;
  }
  while (groups.length && groups[groups.length - 1] === 0) groups.pop();
  if (groups.length === 0) weight = 0;
  groups = groups.slice(0, 0xffff);
  const b = header(groups.length, weight, neg && groups.length ? 0x4000 : 0, dscale);
  groups.forEach((g, i) => b.writeUInt16BE(g, 8 + i * 2));
  return b;
}

/**
 * Encodes a non-null value in binary format. `text` gives the value's PostgreSQL text (for the
 * types whose binary form is derived from it).
 */
export function encodeBinary(
  v: Value,
  t: DataType,
  text: (v: Value, t: DataType) => string,
): Buffer {
  switch (t.kind) {
    case 'boolean':
      return Buffer.from([v ? 1 : 0]);
    case 'int2': {
      const b = Buffer.alloc(2);
      b.writeInt16BE(Number(v));
      return b;
    }
    case 'int4': {
      const b = Buffer.alloc(4);
      b.writeInt32BE(Number(v));
      return b;
    }
    case 'int8': {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(BigInt(v as bigint | number));
      return b;
    }
    case 'float4': {
      const b = Buffer.alloc(4);
      b.writeFloatBE(v as number);
      return b;
    }
    case 'float8': {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(v as number);
      return b;
    }
    case 'numeric':
      return encodeNumericText(text(v, t));
    case 'date': {
      const d = v as number;
      const b = Buffer.alloc(4);
      b.writeInt32BE(d === DATE_INFINITY || d === DATE_NEG_INFINITY ? d : d - PG_EPOCH_DAYS);
      return b;
    }
    case 'time': {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(v as bigint);
      return b;
    }
    case 'timestamp':
    case 'timestamptz': {
      const ts = v as bigint;
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(
        ts === TIMESTAMP_INFINITY || ts === TIMESTAMP_NEG_INFINITY ? ts : ts - PG_EPOCH_MICROS,
      );
      return b;
    }
    case 'interval': {
      const iv = v as Interval;
      const b = Buffer.alloc(16);
      b.writeBigInt64BE(iv.micros, 0);
      b.writeInt32BE(iv.days, 8);
      b.writeInt32BE(iv.months, 12);
      return b;
    }
    case 'jsonb':
      return Buffer.concat([Buffer.from([1]), Buffer.from(text(v, t), 'utf8')]);
    case 'bytea':
      return Buffer.from(v as Uint8Array);
    case 'array': {
      const items = v as Value[];
      const parts: Buffer[] = [];
      const head = Buffer.alloc(items.length ? 20 : 12);
      head.writeInt32BE(items.length ? 1 : 0, 0);
      head.writeInt32BE(items.some((x) => x === null) ? 1 : 0, 4);
      head.writeInt32BE(typeOid(t.element), 8);
      if (items.length) {
        head.writeInt32BE(items.length, 12);
        head.writeInt32BE(1, 16);
      }
      parts.push(head);
      for (const item of items) parts.push(withLength(item, t.element, text));
      return Buffer.concat(parts);
    }
    case 'struct': {
      const fields = (v as StructValue).fields;
      const head = Buffer.alloc(4);
      head.writeInt32BE(t.fields.length);
      const parts: Buffer[] = [head];
      t.fields.forEach((f, i) => {
        const oid = Buffer.alloc(4);
        oid.writeInt32BE(typeOid(f.type));
        parts.push(oid, withLength(fields[i] ?? null, f.type, text));
      });
      return Buffer.concat(parts);
    }
    default:
      return Buffer.from(typeof v === 'string' ? v : text(v, t), 'utf8');
  }
}

function withLength(v: Value, t: DataType, text: (v: Value, t: DataType) => string): Buffer {
  const len = Buffer.alloc(4);
  if (v === null) {
    len.writeInt32BE(-1);
    return len;
  }
  const body = encodeBinary(v, t, text);
  len.writeInt32BE(body.length);
  return Buffer.concat([len, body]);
}
