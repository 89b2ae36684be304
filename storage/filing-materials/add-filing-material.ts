// Adds a filer's material: bytes to the blob store first (durable before the row naming them), then
// the row and its audit row in one transaction. The caller has checked content, type and pages.
import type { Db } from '../database.ts';
import { writeAudit, type AuditActor } from '../audit/write-audit.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { filingMaterials } from '../filings/schema.ts';
import type { MaterialType } from '../../models/filing-rules/filing.ts';
import type { FilingMaterialFile, FilingMaterialMediaType } from './filing-material.ts';

export interface AddFilingMaterialOptions {
  db: Db;
  blobs: BlobStore;
  type: MaterialType;
  name: string;
  mimeType: FilingMaterialMediaType;
  bytes: Uint8Array;
  pageCount: number;
  /** The filer's own draft it belongs to (checked by the caller), if any. */
  draftId: string | null;
  actor: AuditActor & { userId: string };
  /** Extra audit detail (e.g. the face check a signed complaint was confirmed with). */
  auditDetail?: Record<string, unknown>;
}

export async function addFilingMaterial(options: AddFilingMaterialOptions): Promise<FilingMaterialFile> {
  const { db, blobs, type, name, mimeType, bytes, pageCount, draftId, actor } = options;
  const blob = await blobs.put(bytes);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(filingMaterials)
      .values({ userId: actor.userId, draftId, type, name, sha256: blob.sha256, blobKey: blob.key, mimeType, sizeBytes: blob.sizeBytes, pageCount })
      .returning({ id: filingMaterials.id, createdAt: filingMaterials.createdAt });
    if (!row) throw new Error('insert into filing_materials returned no row');
    // The name may name people; the audit keeps what identifies the file.
    await writeAudit(tx, {
      actor,
      action: type === 'complaint' ? 'filingMaterial.signComplaint' : 'filingMaterial.upload',
      subjectKind: 'filingMaterial',
      subjectId: row.id,
      detail: { type, draftId, mimeType, sizeBytes: blob.sizeBytes, pageCount, sha256: blob.sha256, ...options.auditDetail },
    });
    return { id: row.id, type, name, mimeType, sizeBytes: blob.sizeBytes, pageCount, sha256: blob.sha256, draftId, filingId: null, createdAt: row.createdAt };
  });
}
