// Where file contents (evidence, later court documents) live, addressed by their sha256: the same
// bytes are stored once, and a key names exactly one content. The database row only refers to it.
import { AppError } from '../../platform/errors.ts';

export interface StoredBlob {
  /** The key to read it back with (the lower-case hex sha256 of the bytes). */
  key: string;
  sha256: string;
  sizeBytes: number;
}

export interface BlobStore {
  /** Stores the bytes durably (on disk before it resolves) and returns their key; idempotent per content. */
  put(bytes: Uint8Array): Promise<StoredBlob>;
  /** The bytes under `key`; BlobMissingError when there are none. */
  get(key: string): Promise<Buffer>;
  has(key: string): Promise<boolean>;
  /**
   * Removes the content under `key` (nothing when there is none). Only for contents no other row can
   * share, e.g. sealed face images (random IVs make every one unique) purged after their retention.
   */
  delete(key: string): Promise<void>;
}

/** A key that a row refers to but the store does not hold: lost or never written content. */
export class BlobMissingError extends AppError {
  constructor(readonly key: string, options?: { cause?: unknown }) {
    // The key stays in the server's log (see the content route), not in the client's answer.
    super('BLOB_MISSING', 'The stored file is missing', undefined, options);
    this.name = 'BlobMissingError';
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
export const isBlobKey = (key: string): boolean => SHA256_HEX.test(key);
