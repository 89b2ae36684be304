// Lays out the case file's PDF (unsealed): the catalogue (目录) first, then every printable item —
// a PDF's own pages copied (pdf-lib copyPages), a PNG/JPEG fitted on an A4 page — and "第 n 页 / 共 N 页"
// stamped at the bottom right of every page. Items that cannot be printed stay in the catalogue with
// their hash. The items' digest goes into the PDF's keywords, so the seal covers it. A case file filed at
// the case's close carries its 验证码 on the catalogue's first page: the QR top right above the title, the
// line at the foot left of the page number, both clear of the table and the seal's corner.
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import { drawQrCode, verificationLine, type VerificationMark } from '../render/verification-mark.ts';
import { cjkFontBytes } from '../seal/cjk-font.ts';
import type { CaseFileCase, CaseFileSource } from './case-file-sources.ts';
import { ITEMS_DIGEST_KEYWORD, itemFileName, itemsDigest, type CaseFileItem } from './manifest.ts';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
/** Columns of the catalogue: 序号, 题名, 类别, 日期, 页数, 页码 (widths in points). */
const COLUMNS = [
  { head: '序号', width: 30 },
  { head: '题名', width: 196 },
  { head: '类别', width: 72 },
  { head: '日期', width: 72 },
  { head: '页数', width: 36 },
  { head: '页码', width: 77 },
];
const TABLE_TOP = 700;
const HEAD_HEIGHT = 22;
const ROW_HEIGHT = 34;
/** Rows per catalogue page: the table stops above the seal's room (its lower edge at 42 pt, 119 pt tall). */
export const CATALOGUE_ROWS_PER_PAGE = 14;
/** Where the court seal goes on the catalogue's first page (fixed mode: its lower-left corner). */
export const CATALOGUE_SEAL_AT = { page: 1, x: A4[0] - MARGIN - 119, y: 42 };

type Prepared =
  | { source: CaseFileSource; kind: 'pdf'; pages: PDFPage[] }
  | { source: CaseFileSource; kind: 'image'; image: PDFImage }
  | { source: CaseFileSource; kind: 'none'; reason: string };

export interface ComposedCaseFile {
  pdf: Buffer;
  items: CaseFileItem[];
  cataloguePages: number;
  totalPages: number;
  itemsSha256: string;
}

/** The court date (UTC+8) of an instant, YYYY-MM-DD. */
export const courtDate = (at: Date): string => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

function fit(text: string, font: PDFFont, size: number, width: number): string {
  if (font.widthOfTextAtSize(text, size) <= width) return text;
  let cut = text;
  while (cut.length > 0 && font.widthOfTextAtSize(`${cut}…`, size) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

async function prepare(doc: PDFDocument, source: CaseFileSource): Promise<Prepared> {
  try {
    if (source.mimeType === 'application/pdf') {
      // Encrypted or unreadable PDFs throw here: they are listed, not printed.
      const original = await PDFDocument.load(source.bytes, { updateMetadata: false });
      return { source, kind: 'pdf', pages: await doc.copyPages(original, original.getPageIndices()) };
    }
    if (source.mimeType === 'image/png') return { source, kind: 'image', image: await doc.embedPng(source.bytes) };
    if (source.mimeType === 'image/jpeg') return { source, kind: 'image', image: await doc.embedJpg(source.bytes) };
    return { source, kind: 'none', reason: `not printable: ${source.mimeType}` };
  } catch (error) {
    return { source, kind: 'none', reason: `unreadable ${source.mimeType}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
}

function drawCatalogue(page: PDFPage, font: PDFFont, caseInfo: CaseFileCase, rows: CaseFileItem[], continued: boolean, footer?: string): void {
  const [width] = A4;
  const title = continued ? '电子卷宗目录（续）' : '电子卷宗目录';
  page.drawText(title, { x: (width - font.widthOfTextAtSize(title, 20)) / 2, y: 770, size: 20, font });
  page.drawText(fit(`${caseInfo.court.name}　${caseInfo.caseNumber ?? '（尚无案号）'}`, font, 11, width - 2 * MARGIN), { x: MARGIN, y: 740, size: 11, font });
  page.drawText(fit(`案由：${caseInfo.cause}`, font, 11, width - 2 * MARGIN), { x: MARGIN, y: 722, size: 11, font });
  const left = MARGIN;
  const right = left + COLUMNS.reduce((sum, column) => sum + column.width, 0);
  const bottom = TABLE_TOP - HEAD_HEIGHT - rows.length * ROW_HEIGHT;
  const line = (x1: number, y1: number, x2: number, y2: number) => page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness: 0.6, color: rgb(0, 0, 0) });
  line(left, TABLE_TOP, right, TABLE_TOP);
  line(left, TABLE_TOP - HEAD_HEIGHT, right, TABLE_TOP - HEAD_HEIGHT);
  rows.forEach((_, index) => line(left, TABLE_TOP - HEAD_HEIGHT - (index + 1) * ROW_HEIGHT, right, TABLE_TOP - HEAD_HEIGHT - (index + 1) * ROW_HEIGHT));
  let x = left;
  line(x, TABLE_TOP, x, bottom);
  for (const column of COLUMNS) {
    page.drawText(column.head, { x: x + 4, y: TABLE_TOP - 15, size: 10, font });
    x += column.width;
    line(x, TABLE_TOP, x, bottom);
  }
  rows.forEach((item, index) => {
    const top = TABLE_TOP - HEAD_HEIGHT - index * ROW_HEIGHT;
    const cells = [
      String(item.number),
      item.title,
      item.kindLabel,
      item.filedOn,
      item.pages ? String(item.pages.last - item.pages.first + 1) : '—',
      item.pages ? (item.pages.first === item.pages.last ? String(item.pages.first) : `${item.pages.first}–${item.pages.last}`) : '不可打印',
    ];
    let cellX = left;
    cells.forEach((cell, column) => {
      page.drawText(fit(cell, font, 10, COLUMNS[column]!.width - 8), { x: cellX + 4, y: top - 15, size: 10, font });
      cellX += COLUMNS[column]!.width;
    });
    // Not in the bundle's pages: the hash is how a reader matches the separate file.
    if (!item.printable) page.drawText(`SHA-256 ${item.sha256}`, { x: left + COLUMNS[0]!.width + 4, y: top - 28, size: 6.5, font });
  });
  if (footer) page.drawText(footer, { x: MARGIN, y: bottom - 18, size: 10, font });
}

function drawImagePage(page: PDFPage, font: PDFFont, image: PDFImage, caption: string): void {
  const [width, height] = A4;
  page.drawText(fit(caption, font, 11, width - 2 * MARGIN), { x: MARGIN, y: height - 50, size: 11, font });
  const box = { width: width - 2 * MARGIN, height: height - 70 - MARGIN - 10 };
  // Never enlarged: a small photo stays its size, a large one is scaled down to the box.
  const scale = Math.min(1, box.width / image.width, box.height / image.height);
  const drawn = { width: image.width * scale, height: image.height * scale };
  page.drawImage(image, { x: MARGIN + (box.width - drawn.width) / 2, y: height - 70 - drawn.height, ...drawn });
}

/** The QR (55 pt) in the catalogue's top-right corner, above the court line (y 740) and right of the centred title. */
const CATALOGUE_QR = { side: 55, x: A4[0] - MARGIN - 55, y: 772 };

function drawCatalogueMark(page: PDFPage, font: PDFFont, mark: VerificationMark): void {
  drawQrCode(page, mark.url, CATALOGUE_QR.x, CATALOGUE_QR.y, CATALOGUE_QR.side);
  // Left of the page number ("第 1 页 / 共 N 页", bottom right) and below the seal (its lower edge at 42 pt).
  const text = verificationLine(mark);
  const room = A4[0] - 2 * MARGIN - 110;
  const size = Math.min(7, (7 * room) / font.widthOfTextAtSize(text, 7));
  page.drawText(text, { x: MARGIN, y: 24, size, font });
}

export async function composeCaseFile({ caseInfo, sources, builtAt, verification }: { caseInfo: CaseFileCase; sources: CaseFileSource[]; builtAt: Date; verification?: VerificationMark }): Promise<ComposedCaseFile> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(cjkFontBytes(), { subset: true });
  const prepared: Prepared[] = [];
  for (const source of sources) prepared.push(await prepare(doc, source));

  const cataloguePages = Math.max(1, Math.ceil(sources.length / CATALOGUE_ROWS_PER_PAGE));
  let next = cataloguePages + 1;
  const items: CaseFileItem[] = prepared.map((entry, index) => {
    const count = entry.kind === 'pdf' ? entry.pages.length : entry.kind === 'image' ? 1 : 0;
    const pages = count > 0 ? { first: next, last: next + count - 1 } : null;
    next += count;
    return {
      number: index + 1,
      id: entry.source.id,
      kind: entry.source.kind,
      kindLabel: entry.source.kindLabel,
      title: entry.source.title,
      mimeType: entry.source.mimeType,
      filedAt: entry.source.filedAt.toISOString(),
      filedOn: courtDate(entry.source.filedAt),
      sha256: entry.source.sha256,
      sizeBytes: entry.source.bytes.length,
      file: itemFileName(index + 1, entry.source.id, entry.source.mimeType),
      printable: count > 0,
      ...(entry.kind === 'none' ? { notPrintableReason: entry.reason } : {}),
      pages,
    };
  });
  const totalPages = next - 1;

  for (let index = 0; index < cataloguePages; index++) {
    const rows = items.slice(index * CATALOGUE_ROWS_PER_PAGE, (index + 1) * CATALOGUE_ROWS_PER_PAGE);
    const last = index === cataloguePages - 1;
    const footer = last ? `共 ${items.length} 件，卷宗共 ${totalPages} 页（目录 ${cataloguePages} 页）` : undefined;
    const page = doc.addPage(A4);
    drawCatalogue(page, font, caseInfo, rows, index > 0, footer);
    if (index === 0 && verification) drawCatalogueMark(page, font, verification);
  }
  prepared.forEach((entry, index) => {
    if (entry.kind === 'pdf') for (const page of entry.pages) doc.addPage(page);
    if (entry.kind === 'image') drawImagePage(doc.addPage(A4), font, entry.image, `${index + 1}. ${entry.source.title}`);
  });

  doc.getPages().forEach((page, index) => {
    // Drawn in the page's own space (pdf-lib wraps a copied page's content in q … Q first); a rotated
    // page (/Rotate) gets its number along the unrotated bottom edge.
    const box = page.getMediaBox();
    const label = `第 ${index + 1} 页 / 共 ${totalPages} 页`;
    page.drawText(label, { x: box.x + box.width - 42 - font.widthOfTextAtSize(label, 10), y: box.y + 22, size: 10, font });
  });

  const itemsSha256 = itemsDigest(items);
  doc.setTitle(`电子卷宗 ${caseInfo.caseNumber ?? caseInfo.id}`);
  doc.setSubject(caseInfo.cause);
  doc.setKeywords(['电子卷宗', `${ITEMS_DIGEST_KEYWORD}${itemsSha256}`]);
  doc.setProducer('ecourt');
  doc.setCreator('ecourt archive');
  doc.setCreationDate(builtAt);
  doc.setModificationDate(builtAt);
  return { pdf: Buffer.from(await doc.save()), items, cataloguePages, totalPages, itemsSha256 };
}
