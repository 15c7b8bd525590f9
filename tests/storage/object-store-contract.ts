/**
 * The behaviour every `ObjectStore` backend must have (see runtime/storage/object-store.ts).
 * Each backend's test file calls `objectStoreContract` with a factory for a fresh, empty store.
 */
import { describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../runtime/storage/object-store.js';

const bytes = (...v: number[]): Uint8Array => Uint8Array.from(v);

export function objectStoreContract(
  name: string,
  make: () => Promise<{ store: ObjectStore; cleanup?: () => Promise<void> }>,
): void {
  describe(`${name}: object store contract`, () => {
    const withStore = async (fn: (s: ObjectStore) => Promise<void>): Promise<void> => {
      const { store, cleanup } = await make();
      try {
        await fn(store);
      } finally {
        await store.close?.();
        await cleanup?.();
      }
    };

    it('gets what was put, and null for a missing name', () =>
      withStore(async (s) => {
        await s.put('a/1', bytes(1, 2, 3));
        expect(await s.get('a/1')).toEqual(bytes(1, 2, 3));
        expect(await s.get('a/2')).toBeNull();
      }));

    it('stores empty and large objects byte for byte', () =>
      withStore(async (s) => {
        const big = new Uint8Array(3 * 1024 * 1024 + 7);
        for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
        await s.put('empty', new Uint8Array(0));
        await s.put('big', big);
        expect(await s.get('empty')).toEqual(new Uint8Array(0));
        const back = await s.get('big');
        expect(back?.length).toBe(big.length);
        expect(Buffer.from(back!).equals(Buffer.from(big))).toBe(true);
      }));

    it('replaces an object whole when a name is put again', () =>
      withStore(async (s) => {
        await s.put('m', bytes(1, 2, 3, 4));
        await s.put('m', bytes(9));
        expect(await s.get('m')).toEqual(bytes(9));
      }));

    it('is not changed by the caller reusing its buffer', () =>
      withStore(async (s) => {
        const b = bytes(5, 6);
        await s.put('x', b);
        b[0] = 0;
        expect(await s.get('x')).toEqual(bytes(5, 6));
      }));

    it('lists names by prefix in byte order', () =>
      withStore(async (s) => {
        for (const n of ['log/0000000002', 'log/0000000010', 'log/0000000001', 'manifest/1', 'lo'])
          await s.put(n, bytes(0));
        expect(await s.list('log/')).toEqual([
          'log/0000000001',
          'log/0000000002',
          'log/0000000010',
        ]);
        expect(await s.list('manifest/')).toEqual(['manifest/1']);
        expect(await s.list('nothing/')).toEqual([]);
        expect((await s.list('')).length).toBe(5);
      }));

    it('deletes, and deleting a missing name is no error', () =>
      withStore(async (s) => {
        await s.put('d/1', bytes(1));
        await s.delete('d/1');
        await s.delete('d/never');
        expect(await s.get('d/1')).toBeNull();
        expect(await s.list('d/')).toEqual([]);
      }));

    it('keeps many concurrent puts apart', () =>
      withStore(async (s) => {
        await Promise.all(Array.from({ length: 40 }, (_, i) => s.put(`c/${100 + i}`, bytes(i))));
        const names = await s.list('c/');
        expect(names.length).toBe(40);
        for (let i = 0; i < 40; i++) expect(await s.get(`c/${100 + i}`)).toEqual(bytes(i));
      }));
  });
}
