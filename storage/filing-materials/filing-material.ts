// 立案材料: a file a filer uploads with a filing (identity proof, evidence, power of attorney, the signed
// complaint …). The bytes live in the blob store; the row says what it is, whose it is, how many pages.
import type { MaterialType } from '../../models/filing-rules/filing.ts';
import { EVIDENCE_MEDIA_TYPES, type EvidenceMediaType } from '../evidence/evidence.ts';
import type { filingMaterials } from '../filings/schema.ts';

/** The same media types as evidence (and the same content checks: inspect-evidence-file.ts). */
export const FILING_MATERIAL_MEDIA_TYPES = EVIDENCE_MEDIA_TYPES;
export type FilingMaterialMediaType = EvidenceMediaType;

/**
 * Most pages a material of each type may have: an identity proof is a card or a licence (front and
 * back, a few pages at most), a power of attorney a short letter; longer files are the wrong file.
 */
export const MAX_PAGES: Record<MaterialType, number> = {
  complaint: 200,
  identityProof: 4,
  evidence: 2000,
  powerOfAttorney: 10,
  contract: 500,
  other: 2000,
};

export interface FilingMaterialFile {
  id: string;
  type: MaterialType;
  name: string;
  mimeType: FilingMaterialMediaType;
  sizeBytes: number;
  /** PDFs: their pages; an image counts as one page. */
  pageCount: number;
  sha256: string;
  draftId: string | null;
  filingId: string | null;
  createdAt: Date;
}

export interface StoredFilingMaterial extends FilingMaterialFile {
  userId: string;
  blobKey: string;
}

/** A row as the API shows it (no owner, no blob key); a row from before page counting counts as one page. */
export function toFilingMaterialFile(m: typeof filingMaterials.$inferSelect): FilingMaterialFile {
  return {
    id: m.id,
    type: m.type as MaterialType,
    name: m.name,
    mimeType: m.mimeType as FilingMaterialMediaType,
    sizeBytes: Number(m.sizeBytes),
    pageCount: m.pageCount ?? 1,
    sha256: m.sha256,
    draftId: m.draftId,
    filingId: m.filingId,
    createdAt: m.createdAt,
  };
}
