// Renders a CourtDocument to PDF: A4 with GB/T 9704 margins, CJK text in an embedded subset of the
// installed CJK font (real text, so it stays selectable and searchable), Chinese line breaking,
// bordered tables whose header repeats on every page, page numbers "— 1 —", and the positions of
// the court name and date lines of the signature block, which sealing uses to place the court seal.
// The same document renders the same bytes: dates, font subset tag and file ID all come from the data.
import { createHash } from 'node:crypto';
import { PDFDocument, PDFHexString, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { cachingFontkit, cjkFontBytes } from '../seal/cjk-font.ts';
import type { Alignment, CourtDocument, DocumentBlock, SignatureBlock, TableColumn } from '../templates/document-model.ts';
import { breakLines } from './line-break.ts';
import { drawVerificationMark, type VerificationMark } from './verification-mark.ts';
import {
  A4,
  BODY_LINE_HEIGHT,
  MARGINS,
  PAGE_NUMBER_BASELINE,
  SEAL_ROOM,
  SIZES,
  TABLE_CELL_PADDING,
  TABLE_LINE_HEIGHT,
  TEXT_BOTTOM,
  TEXT_TOP,
  TEXT_WIDTH,
} from './page-geometry.ts';

/** Where a line of text sits: 1-based page, its left end on the baseline (PDF points from the page's lower-left), its width and size. */
export interface TextAnchor {
  page: number;
  x: number;
  y: number;
  width: number;
  size: number;
  text: string;
}

export interface RenderedPdf {
  bytes: Uint8Array;
  pageCount: number;
  sha256: string;
  /** The signature block's lines the court seal goes over (courtName only on documents that print it there). */
  anchors: { courtName?: TextAnchor; date?: TextAnchor };
}

const BLACK = rgb(0, 0, 0);
const HEADER_FILL = rgb(0.93, 0.93, 0.93);

class PdfLayout {
  private page!: PDFPage;
  /** The top of the next line on the current page. */
  private y = TEXT_TOP;
  private readonly widths = new Map<string, number>();
  readonly anchors: RenderedPdf['anchors'] = {};

  constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
  ) {
    this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage([A4.width, A4.height]);
    this.y = TEXT_TOP;
  }

  private get pageNumber(): number {
    return this.doc.getPageCount();
  }

  measure(text: string, size: number): number {
    const key = `${size}:${text}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      width = this.font.widthOfTextAtSize(text, size);
      this.widths.set(key, width);
    }
    return width;
  }

  private ensureRoom(height: number): void {
    if (this.y - height < TEXT_BOTTOM - 0.01) this.newPage();
  }

  /** Draws one line in a band of `lineHeight`, vertically centred; returns where it went. */
  private line(text: string, options: { size: number; lineHeight: number; align?: Alignment; left?: number; width?: number; rightInset?: number }): TextAnchor {
    const { size, lineHeight } = options;
    this.ensureRoom(lineHeight);
    const left = options.left ?? MARGINS.left;
    const boxWidth = options.width ?? TEXT_WIDTH;
    const width = this.measure(text, size);
    const x =
      options.align === 'center'
        ? left + (boxWidth - width) / 2
        : options.align === 'right'
          ? left + boxWidth - (options.rightInset ?? 0) - width
          : left;
    const baseline = this.y - lineHeight / 2 - size * 0.35;
    if (text) this.page.drawText(text, { x, y: baseline, size, font: this.font, color: BLACK });
    this.y -= lineHeight;
    return { page: this.pageNumber, x, y: baseline, width, size, text };
  }

  block(block: DocumentBlock): void {
    switch (block.type) {
      case 'title':
        this.line(block.courtName, { size: SIZES.courtName, lineHeight: BODY_LINE_HEIGHT, align: 'center' });
        this.line(block.documentTitle, { size: SIZES.title, lineHeight: BODY_LINE_HEIGHT * 1.5, align: 'center' });
        return;
      case 'caseNumber':
        this.line(block.text, { size: SIZES.body, lineHeight: BODY_LINE_HEIGHT, align: 'right' });
        return;
      case 'heading':
        this.y -= BODY_LINE_HEIGHT / 2;
        this.ensureRoom(BODY_LINE_HEIGHT * 3); // never a heading alone at the foot of a page
        this.line(block.text, { size: SIZES.body, lineHeight: BODY_LINE_HEIGHT, align: 'center' });
        return;
      case 'paragraph':
        return this.paragraph(block.text, block.indent ?? false, block.align ?? 'left');
      case 'table':
        return this.table(block.columns, block.rows, block.footer, block.headerRow ?? true);
      case 'signature':
        return this.signature(block.block);
    }
  }

  private paragraph(text: string, indent: boolean, align: Alignment): void {
    const size = SIZES.body;
    const indentWidth = indent ? 2 * size : 0;
    const lines = breakLines(text, (unit) => this.measure(unit, size), TEXT_WIDTH, TEXT_WIDTH - indentWidth);
    lines.forEach((line, index) => {
      const first = index === 0;
      this.line(line, { size, lineHeight: BODY_LINE_HEIGHT, align, left: MARGINS.left + (first ? indentWidth : 0), width: TEXT_WIDTH - (first ? indentWidth : 0) });
    });
  }

  private table(columns: TableColumn[], rows: string[][], footer: string[] | undefined, headerRow: boolean): void {
    const size = SIZES.table;
    const lefts: number[] = [];
    let cursor = MARGINS.left;
    const widths = columns.map((column) => column.width * TEXT_WIDTH);
    widths.forEach((width) => {
      lefts.push(cursor);
      cursor += width;
    });
    const cellLines = (cells: string[]) =>
      columns.map((_, index) => breakLines(cells[index] ?? '', (unit) => this.measure(unit, size), widths[index]! - 2 * TABLE_CELL_PADDING));
    const header = cellLines(columns.map((column) => column.title));
    const heightOf = (lineCount: number) => lineCount * TABLE_LINE_HEIGHT + 2 * TABLE_CELL_PADDING;
    const headerHeight = headerRow ? heightOf(Math.max(...header.map((lines) => lines.length))) : 0;

    const drawRow = (lines: string[][], from: number, count: number, fill?: boolean, alignOverride?: Alignment) => {
      const height = heightOf(count);
      const top = this.y;
      columns.forEach((column, index) => {
        this.page.drawRectangle({
          x: lefts[index]!,
          y: top - height,
          width: widths[index]!,
          height,
          borderColor: BLACK,
          borderWidth: 0.75,
          ...(fill ? { color: HEADER_FILL } : {}),
        });
        lines[index]!.slice(from, from + count).forEach((text, lineIndex) => {
          const width = this.measure(text, size);
          const align = alignOverride ?? column.align ?? 'left';
          const inner = widths[index]! - 2 * TABLE_CELL_PADDING;
          const x = lefts[index]! + TABLE_CELL_PADDING + (align === 'center' ? (inner - width) / 2 : align === 'right' ? inner - width : 0);
          const baseline = top - TABLE_CELL_PADDING - lineIndex * TABLE_LINE_HEIGHT - TABLE_LINE_HEIGHT / 2 - size * 0.35;
          if (text) this.page.drawText(text, { x, y: baseline, size, font: this.font, color: BLACK });
        });
      });
      this.y -= height;
    };
    const drawHeader = () => {
      if (headerRow) drawRow(header, 0, Math.max(...header.map((lines) => lines.length)), true, 'center');
    };

    const bodyRows = [...rows, ...(footer ? [footer] : [])].map(cellLines);
    // Header plus the first row (or a part of it) together: a header never ends a page on its own.
    this.ensureRoom(headerHeight + heightOf(Math.min(2, Math.max(1, ...(bodyRows[0] ?? [[]]).map((lines) => lines.length)))));
    drawHeader();
    let rowsOnPage = 0;
    for (const lines of bodyRows) {
      const total = Math.max(1, ...lines.map((cell) => cell.length));
      let from = 0;
      while (from < total) {
        const available = Math.floor((this.y - TEXT_BOTTOM - 2 * TABLE_CELL_PADDING) / TABLE_LINE_HEIGHT);
        const remaining = total - from;
        const freshCapacity = Math.floor((TEXT_TOP - TEXT_BOTTOM - headerHeight - 2 * TABLE_CELL_PADDING) / TABLE_LINE_HEIGHT);
        // A row moves whole to the next page when it fits there; only a row taller than a page is split.
        if (available < 1 || (remaining > available && (rowsOnPage > 0 || from > 0) && remaining <= freshCapacity)) {
          this.newPage();
          drawHeader();
          rowsOnPage = 0;
          continue;
        }
        const count = Math.min(remaining, available);
        drawRow(lines, from, count);
        from += count;
        rowsOnPage++;
      }
    }
    this.y -= BODY_LINE_HEIGHT / 2;
  }

  private signature(block: SignatureBlock): void {
    const size = SIZES.body;
    const rightInset = 4 * size; // GB/T 9704: the date stands four characters in from the right margin
    const dateWidth = this.measure(block.date, size);
    // Enough blank lines above the court name / date for the upper half of the seal.
    const blank = Math.max(1, Math.ceil(SEAL_ROOM / BODY_LINE_HEIGHT) - block.panel.length);
    const lineCount = blank + block.panel.length + (block.courtName ? 1 : 0) + 1 + block.after.length;
    this.ensureRoom(lineCount * BODY_LINE_HEIGHT);
    const panelText = (entry: { title: string; name: string }) => `${entry.title}　${entry.name}`;
    if (block.panel.length) this.y -= BODY_LINE_HEIGHT;
    for (const entry of block.panel) this.line(panelText(entry), { size, lineHeight: BODY_LINE_HEIGHT, align: 'right', rightInset });
    this.y -= (block.panel.length ? 0 : blank) * BODY_LINE_HEIGHT;
    const dateLeft = MARGINS.left + TEXT_WIDTH - rightInset - dateWidth;
    if (block.courtName) {
      // The court's name centred over the date, as notices print it.
      this.anchors.courtName = this.line(block.courtName, { size, lineHeight: BODY_LINE_HEIGHT, left: dateLeft, width: dateWidth, align: 'center' });
    }
    this.anchors.date = this.line(block.date, { size, lineHeight: BODY_LINE_HEIGHT, align: 'right', rightInset });
    for (const entry of block.after) this.line(panelText(entry), { size, lineHeight: BODY_LINE_HEIGHT, align: 'right', rightInset });
  }

  /** "— 1 —" on every page; odd pages right, even pages left, one character in (GB/T 9704 7.5). */
  pageNumbers(): void {
    const size = SIZES.pageNumber;
    this.doc.getPages().forEach((page, index) => {
      const text = `— ${index + 1} —`;
      const width = this.measure(text, size);
      const odd = index % 2 === 0;
      const x = odd ? A4.width - MARGINS.right - size - width : MARGINS.left + size;
      page.drawText(text, { x, y: PAGE_NUMBER_BASELINE, size, font: this.font, color: BLACK });
    });
  }
}

/** A stable digest of the document model: the PDF's ID, dates and font tag derive from it. */
export function documentDigest(document: CourtDocument): Buffer {
  return createHash('sha256').update(JSON.stringify(document)).digest();
}

export interface RenderPdfOptions {
  /** The 验证码 and its address: printed on every page, and as a QR code on the first (verification-mark.ts). */
  verification?: VerificationMark;
}

export async function renderPdf(document: CourtDocument, options: RenderPdfOptions = {}): Promise<RenderedPdf> {
  const digest = documentDigest(document);
  const doc = await PDFDocument.create({ updateMetadata: false });
  // The CJK font is parsed once per process (cjk-font.ts); the subset is still made per document.
  doc.registerFontkit(cachingFontkit);
  // The subset tag (six capitals) comes from the data, not pdf-lib's random suffix, so output is reproducible.
  const tag = [...digest.subarray(0, 6)].map((byte) => String.fromCharCode(65 + (byte % 26))).join('');
  const font = await doc.embedFont(cjkFontBytes(), { subset: true, customName: `${tag}+WenQuanYiZenHei` });
  const layout = new PdfLayout(doc, font);
  for (const block of document.blocks) layout.block(block);
  layout.pageNumbers();
  if (options.verification) drawVerificationMark(doc, font, options.verification);

  const dated = new Date(`${document.issuedOn}T00:00:00+08:00`);
  doc.setTitle(document.caseNumber ? `${document.title} ${document.caseNumber}` : document.title);
  doc.setSubject(document.template);
  doc.setAuthor(document.courtName);
  doc.setCreator('ecourt');
  doc.setProducer('ecourt (pdf-lib)');
  doc.setLanguage('zh-CN');
  doc.setCreationDate(dated);
  doc.setModificationDate(dated);
  const id = PDFHexString.of(digest.subarray(0, 16).toString('hex'));
  doc.context.trailerInfo.ID = doc.context.obj([id, id]);
  const bytes = await doc.save({ useObjectStreams: true });
  return {
    bytes,
    pageCount: doc.getPageCount(),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    anchors: layout.anchors,
  };
}
