// The bytes of an uploaded file (证据 evidence, 立案材料 filing material) as one raw reply, so both content
// routes answer alike: ETag its sha256 (If-None-Match answers 304), private and revalidated every time (a
// bearer token asked for it, and access changes: a material once filed, a member taken off a case), no
// sniffing, shown inline under its own (often Chinese) name. Each route keeps its own access rule.
import type { Logger } from '../../platform/logger.ts';
import { BlobMissingError, type BlobStore } from '../../storage/blobs/blob-store.ts';
import type { EvidenceMediaType } from '../../storage/evidence/evidence.ts';
import type { RequestSnapshot } from '../http/exchange.ts';
import { RawReply } from '../http/route.ts';

const EXTENSIONS: Record<EvidenceMediaType, string> = { 'application/pdf': '.pdf', 'image/png': '.png', 'image/jpeg': '.jpg' };

export interface UploadedFile {
  id: string;
  /** The name the user gave it (an evidence title, a material name). */
  name: string;
  mimeType: EvidenceMediaType;
  sha256: string;
  blobKey: string;
}

/** inline; an ASCII fallback `<prefix>-<id>.<ext>` plus the UTF-8 name (RFC 6266 / 5987), so Chinese names survive. */
export function inlineDisposition(prefix: string, file: Pick<UploadedFile, 'id' | 'name' | 'mimeType'>): string {
  const extension = EXTENSIONS[file.mimeType];
  const name = file.name.toLowerCase().endsWith(extension) ? file.name : `${file.name}${extension}`;
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `inline; filename="${prefix}-${file.id}${extension}"; filename*=UTF-8''${encoded}`;
}

export interface UploadedFileReplyOptions {
  file: UploadedFile;
  /** The ASCII file name's prefix: 'evidence', 'material'. */
  prefix: string;
  request: RequestSnapshot;
  blobs: BlobStore;
  logger: Logger;
  /** Logged when the row names a blob the store lost (the client gets BLOB_MISSING), with the file's id field. */
  missing: { message: string; fields: Record<string, unknown> };
}

export async function uploadedFileReply({ file, prefix, request, blobs, logger, missing }: UploadedFileReplyOptions): Promise<RawReply> {
  const etag = `"${file.sha256}"`;
  const headers = {
    etag,
    'cache-control': 'private, no-cache',
    'x-content-type-options': 'nosniff',
    'access-control-expose-headers': 'etag, content-disposition, retry-after, x-request-id',
  };
  if ((request.headers['if-none-match'] ?? '').split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return new RawReply(304, headers, '');
  let bytes: Buffer;
  try {
    bytes = await blobs.get(file.blobKey);
  } catch (error) {
    if (error instanceof BlobMissingError) logger.error(missing.message, { ...missing.fields, blobKey: error.key });
    throw error;
  }
  return new RawReply(200, { ...headers, 'content-type': file.mimeType, 'content-disposition': inlineDisposition(prefix, file) }, bytes);
}
