// Appends a signature to a PDF as an incremental update (ISO 32000-1 §7.5.6): the original bytes stay
// exactly as they were, so earlier signatures keep verifying. The update holds the new objects
// (signature dictionary, widget, appearance, font), the few existing objects that gain a reference
// (page /Annots, catalog /AcroForm, the field list), a cross-reference section and a trailer with /Prev.
import { createHash, randomBytes } from 'node:crypto';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, type PDFObject } from 'pdf-lib';
import type { PdfSource } from './pdf-source.ts';

export const SUBFILTERS = ['ETSI.CAdES.detached', 'adbe.pkcs7.detached'] as const;
export type SubFilter = (typeof SUBFILTERS)[number];

export interface SignatureFieldRequest {
  source: PdfSource;
  /** 0-based page index and the widget rectangle in PDF points (x, y of the lower-left corner). */
  page: number;
  rect?: { x: number; y: number; width: number; height: number; appearance: PDFRef };
  signingTime: Date;
  subFilter: SubFilter;
  name: string;
  reason?: string;
  location?: string;
  /** Bytes reserved for the CMS blob; the signature must fit. */
  contentsSize?: number;
  /** Existing objects the caller changed before signing (e.g. pages given a cross-page seal strip): written into the update too. */
  alsoChanged?: PDFRef[];
}

export interface PreparedSignature {
  bytes: Buffer;
  byteRange: [number, number, number, number];
  fieldName: string;
  /** Puts the DER CMS into the reserved /Contents. */
  embed(cms: Buffer): Buffer;
  /** The bytes the signature covers (everything but /Contents' hex string). */
  signedParts(): [Buffer, Buffer];
}

const BYTE_RANGE_PLACEHOLDER = '/ByteRange [0 0000000000 0000000000 0000000000]';

/** PDF text strings: UTF-16BE with a byte-order mark, as hex (safe for any characters). */
function textString(text: string): string {
  const utf16 = Buffer.from(text, 'utf16le').swap16();
  return `<FEFF${utf16.toString('hex').toUpperCase()}>`;
}

/** D:YYYYMMDDHHmmSSZ (UTC), the PDF date format. */
export function pdfDate(date: Date): string {
  return `D:${date.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`;
}

function uniqueFieldName(fields: PDFArray | undefined, base: string): string {
  const taken = new Set<string>();
  for (let index = 0; index < (fields?.size() ?? 0); index++) {
    const field = fields!.lookup(index);
    const title = field instanceof PDFDict ? field.get(PDFName.of('T')) : undefined;
    if (title && 'decodeText' in title) taken.add((title as PDFHexString).decodeText());
  }
  for (let counter = 1; ; counter++) if (!taken.has(`${base}${counter}`)) return `${base}${counter}`;
}

export function prepareSignature(request: SignatureFieldRequest): PreparedSignature {
  const { doc, bytes: original, startxref, largestObjectNumber: originalLargest } = request.source;
  const context = doc.context;
  const changed = new Map<number, PDFRef>();
  const touch = (ref: PDFRef) => changed.set(ref.objectNumber, ref);
  for (const ref of request.alsoChanged ?? []) touch(ref);

  const pages = doc.getPages();
  const page = pages[request.page];
  if (!page) throw new RangeError(`page ${request.page + 1} does not exist (the document has ${pages.length})`);

  // The field list lives in the catalog's AcroForm, which may be direct or indirect.
  const catalogRef = context.trailerInfo.Root as PDFRef;
  const catalog = doc.catalog;
  let acroFormRef = catalog.get(PDFName.of('AcroForm'));
  let acroForm: PDFDict;
  if (acroFormRef instanceof PDFRef) {
    acroForm = context.lookup(acroFormRef, PDFDict);
    touch(acroFormRef);
  } else if (acroFormRef instanceof PDFDict) {
    acroForm = acroFormRef;
    touch(catalogRef);
  } else {
    acroForm = context.obj({});
    acroFormRef = context.register(acroForm);
    catalog.set(PDFName.of('AcroForm'), acroFormRef);
    touch(catalogRef);
  }
  const fieldsEntry = acroForm.get(PDFName.of('Fields'));
  let fields: PDFArray;
  if (fieldsEntry instanceof PDFRef) {
    fields = context.lookup(fieldsEntry, PDFArray);
    touch(fieldsEntry);
  } else if (fieldsEntry instanceof PDFArray) {
    fields = fieldsEntry;
  } else {
    fields = context.obj([]);
    acroForm.set(PDFName.of('Fields'), fields);
  }
  acroForm.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  const fieldName = uniqueFieldName(fields, 'Signature');

  const signatureRef = context.nextRef();
  const rect = request.rect;
  const widget = context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    T: PDFHexString.fromText(fieldName),
    V: signatureRef,
    F: rect ? 4 : 6, // print; an invisible signature is also hidden
    Rect: rect ? [rect.x, rect.y, rect.x + rect.width, rect.y + rect.height] : [0, 0, 0, 0],
    P: page.ref,
    ...(rect ? { AP: { N: rect.appearance } } : {}),
  });
  const widgetRef = context.register(widget);
  fields.push(widgetRef);

  const annots = page.node.get(PDFName.of('Annots'));
  if (annots instanceof PDFRef) {
    context.lookup(annots, PDFArray).push(widgetRef);
    touch(annots);
  } else if (annots instanceof PDFArray) {
    annots.push(widgetRef);
    touch(page.ref);
  } else {
    page.node.set(PDFName.of('Annots'), context.obj([widgetRef]));
    touch(page.ref);
  }

  // Objects to write: every new one (numbered above the original's largest) and every touched one.
  const toWrite = new Map<number, { ref: PDFRef; object: PDFObject }>();
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    if (ref.objectNumber > originalLargest || changed.has(ref.objectNumber)) toWrite.set(ref.objectNumber, { ref, object });
  }

  const contentsSize = request.contentsSize ?? 8192;
  const signatureDictionary =
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /${request.subFilter} ${BYTE_RANGE_PLACEHOLDER} ` +
    `/Contents <${'0'.repeat(contentsSize * 2)}> /M (${pdfDate(request.signingTime)}) /Name ${textString(request.name)}` +
    (request.reason ? ` /Reason ${textString(request.reason)}` : '') +
    (request.location ? ` /Location ${textString(request.location)}` : '') +
    ` /Prop_Build << /App << /Name /ecourt >> >> >>`;

  const parts: Buffer[] = [];
  let length = original.length;
  const push = (part: Buffer) => {
    parts.push(part);
    length += part.length;
  };
  if (original[original.length - 1] !== 0x0a && original[original.length - 1] !== 0x0d) push(Buffer.from('\n'));
  const offsets = new Map<number, { offset: number; generation: number }>();
  let signatureObjectOffset = 0;
  const writeObject = (ref: PDFRef, body: Buffer) => {
    offsets.set(ref.objectNumber, { offset: length, generation: ref.generationNumber });
    push(Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1'));
    if (ref === signatureRef) signatureObjectOffset = length;
    push(body);
    push(Buffer.from('\nendobj\n', 'latin1'));
  };
  for (const { ref, object } of [...toWrite.values()].sort((a, b) => a.ref.objectNumber - b.ref.objectNumber)) {
    const body = new Uint8Array(object.sizeInBytes());
    object.copyBytesInto(body, 0);
    writeObject(ref, Buffer.from(body));
  }
  writeObject(signatureRef, Buffer.from(signatureDictionary, 'latin1'));

  const info = context.trailerInfo.Info;
  const originalId = context.trailerInfo.ID instanceof PDFArray ? context.trailerInfo.ID.get(0)?.toString() : undefined;
  const newId = `<${createHash('md5').update(original).update(randomBytes(8)).digest('hex').toUpperCase()}>`;
  const trailerEntries = `/Root ${catalogRef.toString()}${info ? ` /Info ${info.toString()}` : ''} /Prev ${startxref} /ID [${originalId ?? newId} ${newId}]`;
  const xrefOffset = length;
  // The update's cross-reference section takes the form of the original's last one: a classic table
  // after a table, a cross-reference stream after a stream (ISO 32000-1 §7.5.8.4 expects no mixing).
  if (original.subarray(startxref, startxref + 4).toString('latin1') === 'xref') {
    push(Buffer.from(`${xrefTable(offsets)}trailer\n<< /Size ${Math.max(context.largestObjectNumber, signatureRef.objectNumber) + 1} ${trailerEntries} >>\nstartxref\n${xrefOffset}\n%%EOF\n`, 'latin1'));
  } else {
    const streamNumber = Math.max(context.largestObjectNumber, signatureRef.objectNumber) + 1;
    offsets.set(streamNumber, { offset: xrefOffset, generation: 0 });
    const { index, data } = xrefStreamRows(offsets);
    push(Buffer.from(`${streamNumber} 0 obj\n<< /Type /XRef /Size ${streamNumber + 1} ${trailerEntries} /Index [${index.join(' ')}] /W [1 4 2] /Length ${data.length} >>\nstream\n`, 'latin1'));
    push(data);
    push(Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`, 'latin1'));
  }

  const bytes = Buffer.concat([original, ...parts]);
  const dictionaryStart = signatureObjectOffset;
  const contentsStart = bytes.indexOf('/Contents <', dictionaryStart, 'latin1') + '/Contents '.length;
  const contentsEnd = contentsStart + contentsSize * 2 + 2;
  const byteRange: [number, number, number, number] = [0, contentsStart, contentsEnd, bytes.length - contentsEnd];
  const rangeText = `/ByteRange [${byteRange.join(' ')}]`;
  if (rangeText.length > BYTE_RANGE_PLACEHOLDER.length) throw new RangeError('document too large for the byte range placeholder');
  const rangeAt = bytes.indexOf(BYTE_RANGE_PLACEHOLDER, dictionaryStart, 'latin1');
  bytes.write(rangeText.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' '), rangeAt, 'latin1');

  return {
    bytes,
    byteRange,
    fieldName,
    signedParts: () => [bytes.subarray(0, contentsStart), bytes.subarray(contentsEnd)],
    embed(cms: Buffer): Buffer {
      if (cms.length > contentsSize) throw new RangeError(`signature of ${cms.length} bytes does not fit the ${contentsSize} reserved`);
      bytes.write(cms.toString('hex').toUpperCase(), contentsStart + 1, 'latin1');
      return bytes;
    },
  };
}

type Offsets = Map<number, { offset: number; generation: number }>;

/** Runs of consecutive object numbers, as both cross-reference forms group them. */
function runs(offsets: Offsets): number[][] {
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  const groups: number[][] = [];
  for (const number of numbers) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1] === number - 1) last.push(number);
    else groups.push([number]);
  }
  return groups;
}

function xrefTable(offsets: Offsets): string {
  const lines = ['xref'];
  for (const group of runs(offsets)) {
    lines.push(`${group[0]} ${group.length}`);
    for (const number of group) {
      const entry = offsets.get(number)!;
      lines.push(`${String(entry.offset).padStart(10, '0')} ${String(entry.generation).padStart(5, '0')} n\r`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Cross-reference stream rows, /W [1 4 2]: type 1 (in use), byte offset, generation. */
function xrefStreamRows(offsets: Offsets): { index: number[]; data: Buffer } {
  const index: number[] = [];
  const rows: Buffer[] = [];
  for (const group of runs(offsets)) {
    index.push(group[0]!, group.length);
    for (const number of group) {
      const entry = offsets.get(number)!;
      const row = Buffer.alloc(7);
      row[0] = 1;
      row.writeUInt32BE(entry.offset, 1);
      row.writeUInt16BE(entry.generation, 5);
      rows.push(row);
    }
  }
  return { index, data: Buffer.concat(rows) };
}
