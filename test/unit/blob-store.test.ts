// The local blob store: content addressed by sha256, written whole or not at all (temp + fsync +
// rename), idempotent per content, and a missing blob is a coded error.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../platform/errors.ts';
import { blobDirOf, parseConfig } from '../../platform/config.ts';
import { BlobMissingError } from '../../storage/blobs/blob-store.ts';
import { LocalBlobStore } from '../../storage/blobs/local-blob-store.ts';

let dir: string;
let store: LocalBlobStore;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecourt-blobs-'));
  store = new LocalBlobStore(join(dir, 'blobs'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('LocalBlobStore', () => {
  it('stores bytes under their sha256, in two levels of folders, and reads them back', async () => {
    const bytes = Buffer.from('证据 evidence bytes');
    const stored = await store.put(bytes);
    expect(stored).toEqual({ key: sha256(bytes), sha256: sha256(bytes), sizeBytes: bytes.length });
    const path = join(dir, 'blobs', stored.key.slice(0, 2), stored.key.slice(2, 4), stored.key);
    expect(store.pathOf(stored.key)).toBe(path);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect((await store.get(stored.key)).equals(bytes)).toBe(true);
    expect(await store.has(stored.key)).toBe(true);
    // Nothing is left behind in the temp folder.
    expect(readdirSync(join(dir, 'blobs', 'tmp'))).toEqual([]);
  });

  it('stores one content once, however often and however concurrently it is put', async () => {
    const bytes = Buffer.alloc(256 * 1024, 7);
    const results = await Promise.all(Array.from({ length: 5 }, () => store.put(bytes)));
    expect(new Set(results.map((r) => r.key)).size).toBe(1);
    const path = store.pathOf(results[0]!.key);
    const before = statSync(path).mtimeMs;
    await store.put(bytes);
    expect(statSync(path).mtimeMs).toBe(before);
    expect(readdirSync(join(dir, 'blobs', 'tmp'))).toEqual([]);
    expect((await store.get(results[0]!.key)).equals(bytes)).toBe(true);
  });

  it('a half-written temp file (a crash mid-write) is never taken for the blob', async () => {
    const bytes = Buffer.from('complete content');
    const key = sha256(bytes);
    mkdirSync(join(dir, 'blobs', 'tmp'), { recursive: true });
    writeFileSync(join(dir, 'blobs', 'tmp', `${key}.crashed`), bytes.subarray(0, 5));
    expect(await store.has(key)).toBe(false);
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobMissingError);
    await store.put(bytes);
    expect((await store.get(key)).equals(bytes)).toBe(true);
  });

  it('a missing or malformed key is BLOB_MISSING (a coded error), never a path outside the store', async () => {
    const missing = await store.get('a'.repeat(64)).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(BlobMissingError);
    expect((missing as AppError).code).toBe('BLOB_MISSING');
    expect((missing as AppError).httpStatus).toBe(500);
    for (const key of ['../../etc/passwd', 'A'.repeat(64), 'abc', '']) {
      await expect(store.get(key)).rejects.toBeInstanceOf(BlobMissingError);
      expect(await store.has(key)).toBe(false);
    }
  });

  it('lives in ECOURT_BLOB_DIR, by default <ECOURT_DATA_DIR>/blobs', () => {
    expect(blobDirOf(parseConfig({ ECOURT_DATA_DIR: '/srv/ecourt' }))).toBe('/srv/ecourt/blobs');
    expect(blobDirOf(parseConfig({ ECOURT_DATA_DIR: '/srv/ecourt', ECOURT_BLOB_DIR: '/mnt/evidence' }))).toBe('/mnt/evidence');
    expect(parseConfig({}).ECOURT_MAX_EVIDENCE_BYTES).toBe(20 * 1024 * 1024);
  });
});
