// The blob store in a local folder: <dir>/<aa>/<bb>/<sha256>. A file is written to <dir>/tmp, fsynced,
// renamed into place and its folder fsynced, so a crash leaves either the whole file or none, and
// a content is on disk before the database row that names it commits. Files are evidence, not
// personal identifiers: they are kept as uploaded (no encryption at rest; protect the folder).
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BlobMissingError, isBlobKey, type BlobStore, type StoredBlob } from './blob-store.ts';

export class LocalBlobStore implements BlobStore {
  constructor(readonly dir: string) {}

  /** Where a key lives; the two levels of folders keep any one folder small. */
  pathOf(key: string): string {
    if (!isBlobKey(key)) throw new BlobMissingError(key);
    return join(this.dir, key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(bytes: Uint8Array): Promise<StoredBlob> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const stored: StoredBlob = { key: sha256, sha256, sizeBytes: bytes.byteLength };
    const target = this.pathOf(sha256);
    // Same key = same bytes: a file already there (complete, since only renames put files there) is reused.
    if (await this.has(sha256)) return stored;
    const tmpDir = join(this.dir, 'tmp');
    const folder = join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4));
    await Promise.all([mkdir(tmpDir, { recursive: true }), mkdir(folder, { recursive: true })]);
    const temp = join(tmpDir, `${sha256}.${randomUUID()}`);
    try {
      const handle = await open(temp, 'wx', 0o640);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await syncFolder(folder);
    return stored;
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (error instanceof BlobMissingError) throw error;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobMissingError(key, { cause: error });
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    if (!isBlobKey(key)) return;
    await rm(this.pathOf(key), { force: true });
  }

  async has(key: string): Promise<boolean> {
    if (!isBlobKey(key)) return false;
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch {
      return false;
    }
  }
}

/** The rename itself is durable only once the folder's entry is on disk. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
