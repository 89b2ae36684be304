// Where a seal goes on a document we rendered ourselves: the renderer already knows where it drew the
// court's name or the date line (render-pdf.ts `anchors`), so there is no need to read the text layer
// back with pdfjs (a keyword seal) to find it — that search cost more than drawing the seal. The spot is
// the one a keyword seal over the same text finds: its box runs from 0.2 em under the baseline to
// 0.8 em above it (find-keyword.ts), the seal is centred on it and kept on the page.
import type { TextAnchor } from '../render/render-pdf.ts';
import { A4 } from '../render/page-geometry.ts';
import { DEFAULT_SEAL_SIZE, type FixedPlacement } from './apply-seal.ts';

export function placementOverAnchor(anchor: TextAnchor, size = DEFAULT_SEAL_SIZE, page: { width: number; height: number } = A4): FixedPlacement {
  const centreX = anchor.x + anchor.width / 2;
  const centreY = anchor.y - 0.2 * anchor.size + anchor.size / 2;
  return {
    mode: 'fixed',
    page: anchor.page,
    x: Math.min(Math.max(centreX - size / 2, 0), Math.max(page.width - size, 0)),
    y: Math.min(Math.max(centreY - size / 2, 0), Math.max(page.height - size, 0)),
    size,
  };
}
