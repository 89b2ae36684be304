// Checks that uploaded bytes are what their declared media type says (magic bytes; a PDF must open)
// and reads a PDF's page count, so a renamed executable or a broken file never becomes evidence.
import { AppError } from '../../platform/errors.ts';
import type { EvidenceMediaType } from './evidence.ts';
import { PdfPageCounter, PdfUnreadableError } from './pdf-page-counter.ts';

export class EvidenceContentMismatchError extends AppError {
  constructor(mediaType: EvidenceMediaType, reason: 'signature' | 'unreadable', options?: { cause?: unknown }) {
    super(
      'EVIDENCE_CONTENT_MISMATCH',
      reason === 'signature' ? `The file's content is not ${mediaType}` : `The file is not a readable ${mediaType}`,
      { mediaType, reason },
      options,
    );
    this.name = 'EvidenceContentMismatchError';
  }
}

const SIGNATURES: Record<EvidenceMediaType, readonly number[]> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff],
};

export function hasSignatureOf(bytes: Uint8Array, mediaType: EvidenceMediaType): boolean {
  const signature = SIGNATURES[mediaType];
  return bytes.length > signature.length && signature.every((byte, index) => bytes[index] === byte);
}

/** One checker per process: PDFs are parsed in its worker thread, one at a time. */
const sharedPageCounter = new PdfPageCounter();

/** Resolves the page count (PDF) or null (images); throws EvidenceContentMismatchError otherwise. */
export async function inspectEvidenceFile(
  bytes: Uint8Array,
  mediaType: EvidenceMediaType,
  pages: PdfPageCounter = sharedPageCounter,
): Promise<{ pageCount: number | null }> {
  if (!hasSignatureOf(bytes, mediaType)) throw new EvidenceContentMismatchError(mediaType, 'signature');
  if (mediaType !== 'application/pdf') return { pageCount: null };
  let pageCount: number;
  try {
    pageCount = await pages.count(bytes);
  } catch (error) {
    if (!(error instanceof PdfUnreadableError)) throw error;
    throw new EvidenceContentMismatchError(mediaType, 'unreadable', { cause: error });
  }
  if (!Number.isInteger(pageCount) || pageCount < 1) throw new EvidenceContentMismatchError(mediaType, 'unreadable');
  return { pageCount };
}
