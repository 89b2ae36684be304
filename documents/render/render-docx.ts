// Renders a CourtDocument to DOCX for judges who edit in Word: the same blocks as the PDF (title,
// case number, paragraphs, bordered tables with a repeating header, signature block), GB/T 9704
// margins, 仿宋 body / 宋体 titles named as East Asian fonts (Word substitutes on machines without them),
// and "— 1 —" page numbers in the footer.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  convertMillimetersToTwip,
  type IRunOptions,
} from 'docx';
import type { Alignment, CourtDocument, DocumentBlock, SignatureBlock, TableColumn } from '../templates/document-model.ts';
import { SIZES } from './page-geometry.ts';

const BODY_FONT = { eastAsia: '仿宋', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const TITLE_FONT = { eastAsia: '方正小标宋简体', ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
/** Word sizes are half-points. */
const half = (points: number) => points * 2;
/** 28.95 pt lines: 22 lines in the text block, as in the PDF. */
const LINE_SPACING = { line: Math.round(28.95 * 20), lineRule: 'exact' as const };

const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT };

function run(text: string, options: Partial<IRunOptions> = {}): TextRun {
  return new TextRun({ text, font: BODY_FONT, size: half(SIZES.body), ...options });
}

function line(text: string, align: Alignment = 'left', options: { indent?: boolean; size?: number; title?: boolean; rightChars?: number } = {}): Paragraph {
  const size = options.size ?? SIZES.body;
  return new Paragraph({
    alignment: ALIGN[align],
    spacing: LINE_SPACING,
    indent: {
      ...(options.indent ? { firstLine: 2 * size * 20 } : {}),
      ...(options.rightChars ? { right: options.rightChars * size * 20 } : {}),
    },
    children: [run(text, { size: half(size), ...(options.title ? { font: TITLE_FONT } : {}) })],
  });
}

const BORDER = { style: BorderStyle.SINGLE, size: 6, color: '000000' };

function table(columns: TableColumn[], rows: string[][], footer: string[] | undefined, headerRow: boolean): Table {
  const total = convertMillimetersToTwip(156);
  const cell = (text: string, column: TableColumn, header: boolean) =>
    new TableCell({
      width: { size: Math.round(column.width * total), type: WidthType.DXA },
      borders: { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER },
      ...(header ? { shading: { fill: 'EDEDED' } } : {}),
      children: [
        new Paragraph({
          alignment: ALIGN[header ? 'center' : (column.align ?? 'left')],
          children: [run(text, { size: half(SIZES.table) })],
        }),
      ],
    });
  const body = [...rows, ...(footer ? [footer] : [])];
  return new Table({
    width: { size: total, type: WidthType.DXA },
    columnWidths: columns.map((column) => Math.round(column.width * total)),
    rows: [
      // tableHeader: Word repeats this row on every page the table runs onto, like the PDF.
      ...(headerRow ? [new TableRow({ tableHeader: true, children: columns.map((column) => cell(column.title, column, true)) })] : []),
      ...body.map((cells) => new TableRow({ cantSplit: true, children: columns.map((column, index) => cell(cells[index] ?? '', column, false)) })),
    ],
  });
}

function signature(block: SignatureBlock): Paragraph[] {
  const entry = (item: { title: string; name: string }) => line(`${item.title}　${item.name}`, 'right', { rightChars: 4 });
  return [
    line(''),
    ...block.panel.map(entry),
    ...(block.panel.length ? [] : [line(''), line('')]),
    ...(block.courtName ? [line(block.courtName, 'right', { rightChars: 4 })] : []),
    line(block.date, 'right', { rightChars: 4 }),
    ...block.after.map(entry),
  ];
}

function blockContent(block: DocumentBlock): (Paragraph | Table)[] {
  switch (block.type) {
    case 'title':
      return [line(block.courtName, 'center', { size: SIZES.courtName, title: true }), line(block.documentTitle, 'center', { size: SIZES.title, title: true })];
    case 'caseNumber':
      return [line(block.text, 'right')];
    case 'heading':
      return [line(''), line(block.text, 'center')];
    case 'paragraph':
      return [line(block.text, block.align ?? 'left', { indent: block.indent ?? false })];
    case 'table':
      return [table(block.columns, block.rows, block.footer, block.headerRow ?? true), line('')];
    case 'signature':
      return signature(block.block);
  }
}

export async function renderDocx(document: CourtDocument): Promise<Buffer> {
  const docx = new Document({
    creator: document.courtName,
    title: document.caseNumber ? `${document.title} ${document.caseNumber}` : document.title,
    subject: document.template,
    styles: { default: { document: { run: { font: BODY_FONT, size: half(SIZES.body) } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: convertMillimetersToTwip(210), height: convertMillimetersToTwip(297) },
            margin: {
              top: convertMillimetersToTwip(37),
              bottom: convertMillimetersToTwip(35),
              left: convertMillimetersToTwip(28),
              right: convertMillimetersToTwip(26),
            },
          },
        },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [run('— ', { size: half(SIZES.pageNumber) }), new TextRun({ children: [PageNumber.CURRENT], size: half(SIZES.pageNumber) }), run(' —', { size: half(SIZES.pageNumber) })] })],
          }),
        },
        children: document.blocks.flatMap(blockContent),
      },
    ],
  });
  return Packer.toBuffer(docx);
}
