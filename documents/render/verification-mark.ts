// The verification mark (验证标记) printed on a document the court issues: on every page a small line
// "验证码 / Verification code: XXXX-XXXX-XXXX-XXXX · <url>" under the page number, and on the first page a
// QR code of the portal's verification address in the top margin. Both sit outside the text block, so they
// never cover the text, the page number (bottom margin, above the line) or the court seal (which sits over
// the signature block inside the text block, or at the right edge for a 骑缝章, vertically centred).
// The QR is drawn as vector squares (one rectangle per run of dark modules) so it prints sharp at any size
// and adds no image; the line is real text in the document's font, so the code can be selected and
// searched (pdftotext reads it).
import QRCode from 'qrcode';
import { fill, popGraphicsState, pushGraphicsState, rectangle, rgb, setFillingRgbColor, type PDFDocument, type PDFFont, type PDFOperator, type PDFPage } from 'pdf-lib';
import { A4, MARGINS, MM_TO_PT, PAGE_NUMBER_BASELINE, TEXT_TOP, TEXT_WIDTH } from './page-geometry.ts';

export interface VerificationMark {
  /** The canonical code, e.g. `7K3M-Q9TX-2F8R-WD4N` (documents/verification/verification-code.ts). */
  code: string;
  /** Where anyone can check it: `<public base>/#/verify?code=<code>`. */
  url: string;
}

const BLACK = rgb(0, 0, 0);
const WHITE = rgb(1, 1, 1);

/** The QR's side (without quiet zone): 20 mm scans well from paper at phone distance. */
export const QR_SIDE = 20 * MM_TO_PT;
/** The white quiet zone around the symbol, in modules (ISO/IEC 18004 asks for 4). */
const QUIET_MODULES = 4;
/** The line's size: small print, as on a bank slip. Shrunk when a long address would not fit. */
const LINE_SIZE = 8;
/** The line's baseline: halfway between the page number and the paper's edge. */
export const VERIFICATION_LINE_BASELINE = PAGE_NUMBER_BASELINE / 2;

/** The QR's lower-left corner on the first page: top margin, right-aligned with the text block. */
export function qrPlacement(): { x: number; y: number; side: number } {
  const x = A4.width - MARGINS.right - QR_SIDE;
  // Centred in the top margin (37 mm) — well clear of the first line of text.
  const y = TEXT_TOP + (A4.height - TEXT_TOP - QR_SIDE) / 2;
  return { x, y, side: QR_SIDE };
}

/** Draws the QR symbol of `text` with its lower-left corner at (x, y), `side` points wide. */
export function drawQrCode(page: PDFPage, text: string, x: number, y: number, side: number): void {
  const modules = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  const count = modules.size;
  const module = side / count;
  const quiet = QUIET_MODULES * module;
  page.drawRectangle({ x: x - quiet, y: y - quiet, width: side + 2 * quiet, height: side + 2 * quiet, color: WHITE });
  // The dark runs as one filled path of rectangles: drawRectangle per run wrote a dozen operators
  // (save, transform, colour, restore) for each of some 200 runs — most of the mark's rendering time.
  const runs: PDFOperator[] = [pushGraphicsState(), setFillingRgbColor(0, 0, 0)];
  for (let row = 0; row < count; row++) {
    // Row 0 is the symbol's top; PDF's y grows upwards.
    const top = y + side - row * module;
    let column = 0;
    while (column < count) {
      if (!modules.get(row, column)) {
        column++;
        continue;
      }
      const start = column;
      while (column < count && modules.get(row, column)) column++;
      // A hair of overlap between neighbouring rows so no seam shows when the PDF is rasterised.
      runs.push(rectangle(x + start * module, top - module - 0.01, (column - start) * module, module + 0.02));
    }
  }
  runs.push(fill(), popGraphicsState());
  page.pushOperators(...runs);
}

/** The text of the line printed on every page. */
export function verificationLine(mark: VerificationMark): string {
  return `验证码 / Verification code: ${mark.code} · ${mark.url}`;
}

export function drawVerificationMark(doc: PDFDocument, font: PDFFont, mark: VerificationMark): void {
  const text = verificationLine(mark);
  const natural = font.widthOfTextAtSize(text, LINE_SIZE);
  const size = natural > TEXT_WIDTH ? (LINE_SIZE * TEXT_WIDTH) / natural : LINE_SIZE;
  const width = font.widthOfTextAtSize(text, size);
  const x = MARGINS.left + (TEXT_WIDTH - width) / 2;
  for (const page of doc.getPages()) page.drawText(text, { x, y: VERIFICATION_LINE_BASELINE, size, font, color: BLACK });
  const first = doc.getPage(0);
  const qr = qrPlacement();
  drawQrCode(first, mark.url, qr.x, qr.y, qr.side);
}
