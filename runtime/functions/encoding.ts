/**
 * Binary encodings for encode/decode (hex, base64, escape), encoding names, and CRC-32
 * checksums.
 */
import { SqlError, SqlState } from '../errors.js';
import { invalidParam, utf8Encode } from './util.js';

function bytesToHex(b: Uint8Array): string {
  let out = '';
  for (const x of b) out += x.toString(16).padStart(2, '0');
  return out;
}

const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64Encode(b: Uint8Array): string {
  let out = '';
  let line = 0;
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    const chunk =
      b64[(n >> 18) & 63]! +
      b64[(n >> 12) & 63]! +
      (i + 1 < b.length ? b64[(n >> 6) & 63]! : '=') +
      (i + 2 < b.length ? b64[n & 63]! : '=');
    if (line === 76) {
      out += '\n';
      line = 0;
    }
    out += chunk;
    line += 4;
  }
  return out;
}

function base64Decode(s: string): Uint8Array {
  const clean = s.replace(/[\s]/g, '');
  const out: number[] = [];
  let buf = 0;
  let bits = 0;
  let pad = 0;
  for (const ch of clean) {
    if (ch === '=') {
      pad++;
      continue;
    }
    if (pad > 0) throw invalidParam('unexpected "=" while decoding base64 sequence');
    const v = b64.indexOf(ch);
    if (v < 0) throw invalidParam(`invalid symbol "${ch}" found while decoding base64 sequence`);
    buf = (buf << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buf >> bits) & 0xff);
    }
  }
  if ((clean.length - pad) % 4 === 1 || (pad > 0 && clean.length % 4 !== 0))
    throw invalidParam('invalid base64 end sequence');
  return Uint8Array.from(out);
}

function hexDecode(s: string): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < s.length) {
    if (/\s/.test(s[i]!)) {
      i++;
      continue;
    }
    const hi = s[i]!;
    const lo = s[i + 1];
    if (!/[0-9a-fA-F]/.test(hi)) throw invalidParam(`invalid hexadecimal digit: "${hi}"`);
    if (lo === undefined) throw invalidParam('invalid hexadecimal data: odd number of digits');
    if (!/[0-9a-fA-F]/.test(lo)) throw invalidParam(`invalid hexadecimal digit: "${lo}"`);
    out.push(parseInt(hi + lo, 16));
    i += 2;
  }
  return Uint8Array.from(out);
}

function escapeEncode(b: Uint8Array): string {
  let out = '';
  for (const x of b) {
    if (x === 0x5c) out += '\\\\';
    else if (x === 0 || x >= 0x80) out += `\\${x.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(x);
  }
  return out;
}

function escapeDecode(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      for (const x of utf8Encode(c)) out.push(x);
      continue;
    }
    if (s[i + 1] === '\\') {
      out.push(0x5c);
      i++;
    } else if (/^[0-3][0-7][0-7]$/.test(s.slice(i + 1, i + 4))) {
      out.push(parseInt(s.slice(i + 1, i + 4), 8));
      i += 3;
    } else
      throw new SqlError(SqlState.invalidTextRepresentation, 'invalid input syntax for type bytea');
  }
  return Uint8Array.from(out);
}

export function encode(b: Uint8Array, fmt: string): string {
  switch (fmt.toLowerCase()) {
    case 'hex':
      return bytesToHex(b);
    case 'base64':
      return base64Encode(b);
    case 'escape':
      return escapeEncode(b);
  }
  throw invalidParam(`unrecognized encoding: "${fmt}"`);
}

export function decode(s: string, fmt: string): Uint8Array {
  switch (fmt.toLowerCase()) {
    case 'hex':
      return hexDecode(s);
    case 'base64':
      return base64Decode(s);
    case 'escape':
      return escapeDecode(s);
  }
  throw invalidParam(`unrecognized encoding: "${fmt}"`);
}

export function checkEncoding(name: string): void {
  const n = name.toLowerCase().replace(/[-_]/g, '');
  if (n !== 'utf8' && n !== 'unicode')
    throw invalidParam(`invalid destination encoding name "${name}"`);
}

const crcTables = new Map<number, Uint32Array>();
export function crc32(bytes: Uint8Array, poly: number): number {
  let table = crcTables.get(poly);
  if (table === undefined) {
    table = makeCrcTable(poly);
    crcTables.set(poly, table);
  }
  let crc = 0xffffffff;
  for (const b of bytes) crc = table[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function makeCrcTable(poly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? poly ^ (c >>> 1) : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
}
