// Opening a PDF someone wants sealed: refuse what cannot be signed safely (not a PDF, unparseable,
// encrypted, certified against changes) with a coded reason, before anything is drawn or signed.
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef } from 'pdf-lib';
import { AppError } from '../../platform/errors.ts';

export interface PdfSource {
  bytes: Buffer;
  doc: PDFDocument;
  /** Offset of the last cross-reference section: the /Prev of the update we append. */
  startxref: number;
  /** The largest object number as loaded: anything numbered above it is new and goes into the update. */
  largestObjectNumber: number;
}

export function malformed(reason: string, cause?: unknown): AppError {
  return new AppError('DOCUMENT_MALFORMED', `The file is not a readable PDF: ${reason} / 文件不是可读取的PDF`, { reason }, { cause });
}

/** The offset after the last `startxref` keyword, or undefined when the file has none. */
export function lastStartxref(bytes: Buffer): number | undefined {
  const tail = bytes.subarray(Math.max(0, bytes.length - 4096)).toString('latin1');
  const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail) ?? /startxref\s+(\d+)\s*%%EOF/.exec(tail.slice(tail.lastIndexOf('startxref')));
  return match ? Number(match[1]) : undefined;
}

/** /Size of the cross-reference section at `startxref` (a classic table's trailer or an xref stream's dictionary). */
function trailerSize(bytes: Buffer, startxref: number): number | undefined {
  const section = bytes.subarray(startxref, Math.min(bytes.length, startxref + 1024 * 1024)).toString('latin1');
  const dictionaryAt = section.startsWith('xref') ? section.indexOf('trailer') : 0;
  if (dictionaryAt < 0) return undefined;
  const dictionary = section.slice(dictionaryAt, dictionaryAt + 4096).split(/stream|startxref/)[0]!;
  const match = /\/Size\s+(\d+)/.exec(dictionary);
  return match ? Number(match[1]) : undefined;
}

export async function openPdf(bytes: Buffer): Promise<PdfSource> {
  if (bytes.subarray(0, 1024).indexOf('%PDF-') < 0) throw malformed('no %PDF- header');
  const startxref = lastStartxref(bytes);
  if (startxref === undefined || startxref >= bytes.length) throw malformed('no startxref / %%EOF at the end');
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: true });
  } catch (error) {
    throw malformed(error instanceof Error ? error.message.split('\n')[0]! : String(error), error);
  }
  if (doc.isEncrypted) {
    throw new AppError('DOCUMENT_ENCRYPTED', 'The PDF is encrypted; seal the unencrypted original / PDF已加密，请对未加密的原件签章');
  }
  try {
    if (doc.getPageCount() === 0) throw new Error('no pages');
  } catch (error) {
    throw malformed(error instanceof Error ? error.message : String(error), error);
  }
  refuseIfCertifiedAgainstChanges(doc);
  // pdf-lib forgets the object and xref streams it unpacked, so its count can be lower than the
  // file's: new objects must be numbered above the trailer's /Size or they would shadow those streams.
  const size = trailerSize(bytes, startxref);
  if (size === undefined) throw malformed('the last cross-reference section has no /Size');
  doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, size - 1);
  return { bytes, doc, startxref, largestObjectNumber: doc.context.largestObjectNumber };
}

/** A DocMDP certification with P=1 forbids any change, signatures included (ISO 32000-1 §12.8.2.2). */
function refuseIfCertifiedAgainstChanges(doc: PDFDocument): void {
  const perms = doc.catalog.lookupMaybe(PDFName.of('Perms'), PDFDict);
  const certification = perms?.lookupMaybe(PDFName.of('DocMDP'), PDFDict);
  const references = certification?.lookupMaybe(PDFName.of('Reference'), PDFArray);
  if (!references) return;
  for (let index = 0; index < references.size(); index++) {
    const reference = references.lookup(index);
    if (!(reference instanceof PDFDict)) continue;
    const params = reference.lookupMaybe(PDFName.of('TransformParams'), PDFDict);
    const permission = params?.lookupMaybe(PDFName.of('P'), PDFNumber)?.asNumber() ?? 2;
    if (permission === 1) {
      throw new AppError('DOCUMENT_SIGNATURE_CONFLICT', 'The PDF is certified with "no changes allowed"; another signature would invalidate it / 该PDF已被认证为禁止修改，再签章会使原签名失效');
    }
  }
}

export function isRef(value: unknown): value is PDFRef {
  return value instanceof PDFRef;
}
