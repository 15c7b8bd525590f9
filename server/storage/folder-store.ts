/**
 * The local-folder backend of the storage interface (the default of `sluice serve`,
 * `--data-dir`). An object `a/b` is the file `DIR/a/b`. A put writes a temporary file beside
 * it, fsyncs it, renames it over the name and fsyncs the folder, so after a crash at any instant
 * the name holds either the old object or the new one, whole; a put resolves only once both
 * the file and its folder entry are on disk.
 */
import { mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { compareNames, type ObjectStore } from '../../runtime/storage/object-store.js';

const TMP = '.tmp-';

export class FolderObjectStore implements ObjectStore {
  readonly description: string;
  private readonly madeDirs = new Set<string>();

  private constructor(readonly dir: string) {
    this.description = `folder ${dir}`;
  }

  /** Opens (creating it if missing) the folder, removing temporary files a crash left. */
  static async open(dir: string): Promise<FolderObjectStore> {
    await mkdir(dir, { recursive: true });
    const store = new FolderObjectStore(dir);
    for (const f of await walk(dir))
      if (f.split('/').pop()!.includes(TMP)) await rm(join(dir, f), { force: true });
    return store;
  }

  private path(name: string): string {
    if (name === '' || name.split('/').some((p) => p === '' || p === '.' || p === '..'))
      throw new Error(`invalid object name "${name}"`);
    return join(this.dir, ...name.split('/'));
  }

  async put(name: string, data: Uint8Array): Promise<void> {
    const path = this.path(name);
    const folder = dirname(path);
    if (!this.madeDirs.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.madeDirs.add(folder);
    }
    const tmp = `${path}${TMP}${randomBytes(6).toString('hex')}`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    await syncDir(folder);
  }

  async get(name: string): Promise<Uint8Array | null> {
    try {
      const b = await readFile(this.path(name));
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async list(prefix: string): Promise<string[]> {
    // Only the folder the prefix names (up to its last '/') can hold matches.
    const cut = prefix.lastIndexOf('/');
    const base = cut < 0 ? '' : prefix.slice(0, cut);
    const files = await walk(base === '' ? this.dir : join(this.dir, ...base.split('/')));
    return files
      .map((f) => (base === '' ? f : `${base}/${f}`))
      .filter((n) => n.startsWith(prefix) && !n.split('/').pop()!.includes(TMP))
      .sort(compareNames);
  }

  async delete(name: string): Promise<void> {
    try {
      await unlink(this.path(name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Every file below `dir`, as '/'-separated paths relative to it ([] if `dir` is missing). */
async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}
