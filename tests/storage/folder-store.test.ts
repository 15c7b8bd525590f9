import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderObjectStore } from '../../server/storage/folder-store.js';
import { objectStoreContract } from './object-store-contract.js';

objectStoreContract('folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-folder-'));
  return { store: await FolderObjectStore.open(dir), cleanup: () => rm(dir, { recursive: true }) };
});

describe('folder store', () => {
  it('removes temporary files a crash left and never lists them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-folder-'));
    try {
      await mkdir(join(dir, 'log'));
      await writeFile(join(dir, 'log', '0001.tmp-abc'), 'half');
      await writeFile(join(dir, 'log', '0001'), 'whole');
      const s = await FolderObjectStore.open(dir);
      expect(await s.list('log/')).toEqual(['log/0001']);
      expect(await readdir(join(dir, 'log'))).toEqual(['0001']);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('refuses names that would leave the folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-folder-'));
    try {
      const s = await FolderObjectStore.open(dir);
      await expect(s.put('../x', new Uint8Array(1))).rejects.toThrow(/invalid object name/);
      await expect(s.put('a//b', new Uint8Array(1))).rejects.toThrow(/invalid object name/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
