// The cross-page seal (骑缝章): one seal cut into N vertical strips, strip i drawn at the right edge of
// page i, so that the pages fanned out side by side show the whole seal and prove they belong together.
// The strips go into each page's content (an appended content stream drawing the one seal XObject
// through a clipping rectangle), inside the signature's own incremental update — nothing earlier is
// rewritten, and the signature covers the strips. The original content is bracketed by q … Q (a shared
// one-byte "q" stream before it) so whatever graphics state it leaves cannot move the strips.
import { PDFArray, PDFDict, PDFName, PDFRef, PDFStream, type PDFDocument, type PDFPage } from 'pdf-lib';
import type { Appearance } from './court-seal.ts';

export interface StripPlacement {
  /** 0-based page index. */
  page: number;
  /** The strip's rectangle on the page, in PDF points. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface CrossPageStrips {
  strips: StripPlacement[];
  /** Existing objects changed (pages, their resource or content arrays): the signing update writes them. */
  changed: PDFRef[];
}

const fmt = (value: number) => (Math.abs(value) < 1e-9 ? '0' : value.toFixed(3).replace(/\.?0+$/, ''));

/** The page's own resource dictionary to add to, and which existing object that change touches. */
function ownResources(doc: PDFDocument, page: PDFPage): { resources: PDFDict; touched: PDFRef } {
  const entry = page.node.get(PDFName.of('Resources'));
  if (entry instanceof PDFRef) return { resources: doc.context.lookup(entry, PDFDict), touched: entry };
  if (entry instanceof PDFDict) return { resources: entry, touched: page.ref };
  // Inherited from the page tree (or none): the page gets its own copy, the tree stays as it was.
  const inherited = page.node.Resources();
  const resources = inherited ? inherited.clone(doc.context) : doc.context.obj({});
  page.node.set(PDFName.of('Resources'), resources);
  return { resources, touched: page.ref };
}

function addXObject(doc: PDFDocument, page: PDFPage, seal: PDFRef, changed: Map<number, PDFRef>): string {
  const { resources, touched } = ownResources(doc, page);
  let xobjects = resources.get(PDFName.of('XObject'));
  let xobjectsOwner = touched;
  if (xobjects instanceof PDFRef) {
    xobjectsOwner = xobjects;
    xobjects = doc.context.lookup(xobjects, PDFDict);
  } else if (!(xobjects instanceof PDFDict)) {
    xobjects = doc.context.obj({});
    resources.set(PDFName.of('XObject'), xobjects);
  }
  const dict = xobjects as PDFDict;
  let name = 'EcourtSeal';
  for (let suffix = 1; dict.has(PDFName.of(name)) && dict.get(PDFName.of(name)) !== seal; suffix++) name = `EcourtSeal${suffix}`;
  dict.set(PDFName.of(name), seal);
  changed.set(touched.objectNumber, touched);
  changed.set(xobjectsOwner.objectNumber, xobjectsOwner);
  return name;
}

function appendContent(doc: PDFDocument, page: PDFPage, opening: PDFRef, stream: PDFRef, changed: Map<number, PDFRef>): void {
  const entry = page.node.get(PDFName.of('Contents'));
  if (entry instanceof PDFRef) {
    const target = doc.context.lookup(entry);
    if (target instanceof PDFArray) {
      target.insert(0, opening);
      target.push(stream);
      changed.set(entry.objectNumber, entry);
      return;
    }
    if (!(target instanceof PDFStream)) throw new Error('page /Contents is neither a stream nor an array');
    page.node.set(PDFName.of('Contents'), doc.context.obj([opening, entry, stream]));
  } else if (entry instanceof PDFArray) {
    entry.insert(0, opening);
    entry.push(stream);
  } else {
    page.node.set(PDFName.of('Contents'), doc.context.obj([opening, stream]));
  }
  changed.set(page.ref.objectNumber, page.ref);
}

/**
 * Draws the seal's strips on every page. `top` is the seal's upper edge in points from the top of each
 * page's crop box (default: vertically centred). Strip width = seal size / page count.
 */
export function drawCrossPageStrips(doc: PDFDocument, seal: Appearance, options: { top?: number } = {}): CrossPageStrips {
  const pages = doc.getPages();
  const stripWidth = seal.width / pages.length;
  const changed = new Map<number, PDFRef>();
  const opening = doc.context.register(doc.context.stream('q'));
  const strips = pages.map((page, index): StripPlacement => {
    const box = page.getCropBox();
    const right = box.x + box.width;
    const y = options.top === undefined ? box.y + (box.height - seal.height) / 2 : box.y + box.height - options.top - seal.height;
    const name = addXObject(doc, page, seal.ref, changed);
    // Clip to the strip at the right edge, then shift the seal so its i-th strip falls in it.
    const content = `Q q ${fmt(right - stripWidth)} ${fmt(y)} ${fmt(stripWidth)} ${fmt(seal.height)} re W n 1 0 0 1 ${fmt(right - stripWidth * (index + 1))} ${fmt(y)} cm /${name} Do Q`;
    appendContent(doc, page, opening, doc.context.register(doc.context.stream(content)), changed);
    return { page: index, x: right - stripWidth, y, width: stripWidth, height: seal.height };
  });
  return { strips, changed: [...changed.values()] };
}
