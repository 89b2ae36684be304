// The CJK font seals (and later templates) draw with: WenQuanYi Zen Hei from Debian's fonts-wqy-zenhei,
// installed with the system, never fetched at run time. Debian ships it as a TrueType collection (.ttc),
// which pdf-lib's fontkit cannot embed, so the first face is cut out into a plain TrueType font once per
// process; pdf-lib then subsets it to the glyphs a document uses.
import { existsSync, readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument } from 'pdf-lib';
import { AppError } from '../../platform/errors.ts';

export const CJK_FONT_FILES = ['/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc'];

let cached: Uint8Array | undefined;

export function cjkFontBytes(): Uint8Array {
  if (cached) return cached;
  const file = CJK_FONT_FILES.find((candidate) => existsSync(candidate));
  if (!file) {
    throw new AppError('INTERNAL', `No CJK font installed (looked for ${CJK_FONT_FILES.join(', ')}; install fonts-wqy-zenhei) / 未安装中文字体`);
  }
  const bytes = readFileSync(file);
  cached = bytes.subarray(0, 4).toString('latin1') === 'ttcf' ? firstFaceOfCollection(bytes) : new Uint8Array(bytes);
  return cached;
}

// Parsing the 17 MB face dominated rendering and sealing (and its garbage the p95); the parsed font is
// read-only while pdf-lib subsets it (each document makes its own subset), so one copy serves every
// document of the process — the output bytes are the same as with a freshly parsed font.
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
let parsedCjkFont: ReturnType<Fontkit['create']> | undefined;

/** A fontkit for pdf-lib's registerFontkit that parses the CJK font once per process (other fonts as usual). */
export const cachingFontkit: Fontkit = {
  create: (bytes, postscriptName) =>
    bytes === cjkFontBytes() ? (parsedCjkFont ??= fontkit.create(bytes, postscriptName)) : fontkit.create(bytes, postscriptName),
};

/** Copies one font of a TrueType collection (its table directory and the tables it points to) into a standalone font. */
export function firstFaceOfCollection(collection: Buffer, face = 0): Uint8Array {
  const count = collection.readUInt32BE(8);
  if (face >= count) throw new Error(`font collection has ${count} faces`);
  const directory = collection.readUInt32BE(12 + 4 * face);
  const tableCount = collection.readUInt16BE(directory + 4);
  const tables = Array.from({ length: tableCount }, (_, index) => {
    const record = directory + 12 + 16 * index;
    return { record: collection.subarray(record, record + 16), offset: collection.readUInt32BE(record + 8), length: collection.readUInt32BE(record + 12) };
  });
  const headerLength = 12 + 16 * tableCount;
  const padded = (length: number) => (length + 3) & ~3;
  const out = Buffer.alloc(headerLength + tables.reduce((sum, table) => sum + padded(table.length), 0));
  collection.copy(out, 0, directory, directory + 12);
  let offset = headerLength;
  tables.forEach((table, index) => {
    const record = 12 + 16 * index;
    table.record.copy(out, record);
    out.writeUInt32BE(offset, record + 8);
    collection.copy(out, offset, table.offset, table.offset + table.length);
    offset += padded(table.length);
  });
  return new Uint8Array(out);
}
