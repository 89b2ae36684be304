// Checks that uploaded bytes are what their declared media type says (magic bytes; a PDF must open)
// and reads a PDF's page count, so a renamed executable or a broken file never becomes evidence.
import { AppError } from '../../platform/errors.ts';
import type { EvidenceMediaType } from './evidence.ts';

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

/** pdf.js parses the file (cross-reference table, catalogue, page tree) exactly as the viewer will. */
async function pdfPageCount(bytes: Uint8Array): Promise<number> {
  const { getDocument, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const task = getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, stopAtErrors: true, verbosity: VerbosityLevel.ERRORS });
  try {
    const document = await task.promise;
    return document.numPages;
  } finally {
    await task.destroy();
  }
}

/** Resolves the page count (PDF) or null (images); throws EvidenceContentMismatchError otherwise. */
export async function inspectEvidenceFile(bytes: Uint8Array, mediaType: EvidenceMediaType): Promise<{ pageCount: number | null }> {
  if (!hasSignatureOf(bytes, mediaType)) throw new EvidenceContentMismatchError(mediaType, 'signature');
  if (mediaType !== 'application/pdf') return { pageCount: null };
  let pageCount: number;
  try {
    pageCount = await pdfPageCount(bytes);
  } catch (error) {
    throw new EvidenceContentMismatchError(mediaType, 'unreadable', { cause: error });
  }
  if (!Number.isInteger(pageCount) || pageCount < 1) throw new EvidenceContentMismatchError(mediaType, 'unreadable');
  return { pageCount };
}
