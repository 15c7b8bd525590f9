/**
 * The frame checksum: CRC-32 as zlib computes it, for every length and every alignment of the
 * bytes in their buffer (the slice-by-8 loop reads aligned words between byte-wise ends).
 */
import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, decodeFrame, encodeFrame } from '../../runtime/storage/frame.js';

describe('frame CRC-32', () => {
  it('matches the check value of the standard', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('equals zlib for any bytes, offset and range (seeded)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.nat(7),
        fc.nat(20),
        fc.nat(20),
        (bytes, pad, cutStart, cutEnd) => {
          // The bytes at an arbitrary offset within a larger buffer.
          const buf = new Uint8Array(pad + bytes.length);
          buf.set(bytes, pad);
          const view = buf.subarray(pad);
          const start = Math.min(cutStart, view.length);
          const end = Math.max(start, view.length - cutEnd);
          expect(crc32(view, start, end)).toBe(zlibCrc32(view.subarray(start, end)));
        },
      ),
      { seed: 20261207, numRuns: 2000 },
    );
  });

  it('detects a flipped bit anywhere in a framed object', () => {
    const framed = encodeFrame({ kind: 'x' }, [Uint8Array.from({ length: 100 }, (_, i) => i)]);
    expect(decodeFrame<{ kind: string }>('x', framed).header.kind).toBe('x');
    for (let i = 8; i < framed.length - 8; i += 7) {
      const bad = framed.slice();
      bad[i]! ^= 0x10;
      expect(() => decodeFrame('obj', bad)).toThrow(/"obj" is corrupt/);
    }
  });
});
