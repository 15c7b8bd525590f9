/**
 * The framing of every stored object: a magic number, the payload, and a trailer with the
 * payload's length and CRC-32, so a corrupt or truncated object is detected (and reported by
 * name) instead of being read. A payload is a JSON header followed by binary parts (Arrow IPC
 * streams), whose byte lengths the header lists.
 *
 *   "SLC1" | u32 header length | header JSON (UTF-8) | part 0 | part 1 | ... | u32 length | u32 crc
 *
 * Integers are little-endian; the trailer's length counts everything before the trailer.
 */
import { SqlError, SqlState } from '../errors.js';

const MAGIC = 0x31434c53; // "SLC1" read as a little-endian u32

/**
 * Slice-by-8 tables: `T[k][b]` is the CRC of byte `b` followed by `k` zero bytes, so eight
 * input bytes advance the CRC with eight lookups and no per-byte dependency chain (several
 * times faster than a byte at a time, which matters for checkpoints of hundreds of MB).
 */
const CRC_TABLES = (() => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++)
    for (let k = 1; k < 8; k++)
      t[k * 256 + n] = (t[(k - 1) * 256 + n]! >>> 8) ^ t[t[(k - 1) * 256 + n]! & 0xff]!;
  return t;
})();

/** CRC-32 (IEEE 802.3, as zlib computes it). */
export function crc32(data: Uint8Array, start = 0, end = data.length): number {
  const t = CRC_TABLES;
  let c = ~0;
  let i = start;
  for (; i < end && (data.byteOffset + i) % 4 !== 0; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  // Whole 8-byte groups as aligned words (none when the bytes ended before an alignment).
  const groups = (data.byteOffset + i) % 4 === 0 ? Math.max(0, (end - i) >> 3) : 0;
  const words = new Uint32Array(data.buffer, groups > 0 ? data.byteOffset + i : 0, groups * 2);
  for (let w = 0; w < words.length; w += 2) {
    // Little-endian words: the first four bytes are the low word.
    const lo = words[w]! ^ c;
    const hi = words[w + 1]!;
    c =
      t[7 * 256 + (lo & 0xff)]! ^
      t[6 * 256 + ((lo >>> 8) & 0xff)]! ^
      t[5 * 256 + ((lo >>> 16) & 0xff)]! ^
      t[4 * 256 + (lo >>> 24)]! ^
      t[3 * 256 + (hi & 0xff)]! ^
      t[2 * 256 + ((hi >>> 8) & 0xff)]! ^
      t[256 + ((hi >>> 16) & 0xff)]! ^
      t[hi >>> 24]!;
  }
  i += words.length * 4;
  for (; i < end; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

export interface Framed<H> {
  header: H;
  parts: Uint8Array[];
}

/** Frames a header and its binary parts into one object. */
export function encodeFrame(header: object, parts: readonly Uint8Array[] = []): Uint8Array {
  const json = new TextEncoder().encode(
    JSON.stringify({ ...header, partLengths: parts.map((p) => p.length) }),
  );
  const body = 8 + json.length + parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(body + 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.length, true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  view.setUint32(body, body, true);
  view.setUint32(body + 4, crc32(out, 0, body), true);
  return out;
}

function corrupt(name: string, why: string): SqlError {
  return new SqlError(SqlState.dataCorrupted, `stored object "${name}" is corrupt: ${why}`);
}

/**
 * Whether `data` is shorter than its frame says: what a write interrupted midway leaves on a
 * store without atomic puts. (A whole object with wrong bytes is corrupt, not torn.)
 */
export function isTornFrame(data: Uint8Array): boolean {
  if (data.length < 16) return true;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return view.getUint32(data.length - 8, true) !== data.length - 8;
}

/** Checks and opens a framed object; throws XX001 naming the object if it is damaged. */
export function decodeFrame<H>(name: string, data: Uint8Array): Framed<H> {
  if (data.length < 16) throw corrupt(name, `truncated (${data.length} bytes)`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw corrupt(name, 'not a Sluice object');
  const body = data.length - 8;
  if (view.getUint32(body, true) !== body) throw corrupt(name, 'truncated or extended');
  if (view.getUint32(body + 4, true) !== crc32(data, 0, body))
    throw corrupt(name, 'checksum mismatch');
  const jsonLength = view.getUint32(4, true);
  if (8 + jsonLength > body) throw corrupt(name, 'header overruns the object');
  const header = JSON.parse(new TextDecoder().decode(data.subarray(8, 8 + jsonLength))) as H & {
    partLengths: number[];
  };
  const parts: Uint8Array[] = [];
  let at = 8 + jsonLength;
  for (const len of header.partLengths) {
    if (at + len > body) throw corrupt(name, 'a part overruns the object');
    parts.push(data.subarray(at, at + len));
    at += len;
  }
  return { header, parts };
}
