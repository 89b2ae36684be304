// The court's round red seal as vector drawing: a ring, a five-pointed star, the court's name along the
// upper arc, the seal's purpose under the star (special seals), and the code line along the bottom arc.
// It becomes a form XObject in the document, used as a signature widget's appearance. Text is real
// text in an embedded subset of the CJK font, so the seal stays sharp at any zoom.
import type { PDFDocument, PDFFont, PDFRef } from 'pdf-lib';
import { cachingFontkit, cjkFontBytes } from './cjk-font.ts';

export interface SealDesign {
  /** Along the upper arc: the court's name (e.g. 北京市海淀区人民法院). */
  court: string;
  /** Under the star, horizontally: a special seal's purpose (e.g. 民事审判庭专用章); none for the court seal. */
  label?: string;
  /** Along the bottom arc in small characters: the seal's code. */
  code: string;
  /** Diameter in points (42 mm ≈ 119 pt is the usual court seal). */
  size: number;
}

export interface Appearance {
  ref: PDFRef;
  width: number;
  height: number;
}

const SEAL_RED = '0.85 0.1 0.1';

async function embedCjkFont(doc: PDFDocument): Promise<PDFFont> {
  doc.registerFontkit(cachingFontkit);
  return doc.embedFont(cjkFontBytes(), { subset: true });
}

const fmt = (value: number) => (Math.abs(value) < 1e-9 ? '0' : value.toFixed(3).replace(/\.?0+$/, ''));

/** One glyph run at (x, y), rotated by `angle` radians. */
function placeText(font: PDFFont, text: string, size: number, x: number, y: number, angle: number): string {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return `BT /F1 ${fmt(size)} Tf ${fmt(cos)} ${fmt(sin)} ${fmt(-sin)} ${fmt(cos)} ${fmt(x)} ${fmt(y)} Tm ${font.encodeText(text).toString()} Tj ET`;
}

/** Characters spread along an arc, each centred on its angle; `outward` text stands on the arc facing out (top), else hangs inward (bottom). */
function arcText(font: PDFFont, text: string, size: number, centre: number, radius: number, from: number, to: number, outward: boolean): string[] {
  const characters = Array.from(text);
  const operations: string[] = [];
  characters.forEach((character, index) => {
    const theta = characters.length === 1 ? (from + to) / 2 : from + ((to - from) * index) / (characters.length - 1);
    const angle = outward ? theta - Math.PI / 2 : theta + Math.PI / 2;
    const width = font.widthOfTextAtSize(character, size);
    const x = centre + radius * Math.cos(theta) - (width / 2) * Math.cos(angle);
    const y = centre + radius * Math.sin(theta) - (width / 2) * Math.sin(angle);
    operations.push(placeText(font, character, size, x, y, angle));
  });
  return operations;
}

function star(centre: number, radius: number): string {
  const points: string[] = [];
  for (let index = 0; index < 10; index++) {
    const r = index % 2 === 0 ? radius : radius * 0.382;
    const theta = Math.PI / 2 + (index * Math.PI) / 5;
    points.push(`${fmt(centre + r * Math.cos(theta))} ${fmt(centre + r * Math.sin(theta))} ${index === 0 ? 'm' : 'l'}`);
  }
  return `${points.join(' ')} h f`;
}

/** A circle from four Bézier arcs (the usual 0.5523 control-point factor). */
function circle(centre: number, radius: number): string {
  const k = radius * 0.5523;
  const c = centre;
  return [
    `${fmt(c + radius)} ${fmt(c)} m`,
    `${fmt(c + radius)} ${fmt(c + k)} ${fmt(c + k)} ${fmt(c + radius)} ${fmt(c)} ${fmt(c + radius)} c`,
    `${fmt(c - k)} ${fmt(c + radius)} ${fmt(c - radius)} ${fmt(c + k)} ${fmt(c - radius)} ${fmt(c)} c`,
    `${fmt(c - radius)} ${fmt(c - k)} ${fmt(c - k)} ${fmt(c - radius)} ${fmt(c)} ${fmt(c - radius)} c`,
    `${fmt(c + k)} ${fmt(c - radius)} ${fmt(c + radius)} ${fmt(c - k)} ${fmt(c + radius)} ${fmt(c)} c`,
  ].join(' ');
}

export async function drawCourtSeal(doc: PDFDocument, design: SealDesign): Promise<Appearance> {
  const font = await embedCjkFont(doc);
  const size = design.size;
  const centre = size / 2;
  const ring = size * 0.035;
  const outer = centre - ring / 2;
  const operations = ['q /GS1 gs', `${SEAL_RED} rg ${SEAL_RED} RG`, `${fmt(ring)} w ${circle(centre, outer)} S`, star(centre, size * 0.17)];

  const name = Array.from(design.court);
  const span = (name.length <= 6 ? 180 : Math.min(210, 150 + name.length * 6)) * (Math.PI / 180);
  const nameRadius = size * 0.31;
  const nameSize = Math.min(size * 0.15, ((nameRadius * span) / Math.max(name.length, 1)) * 0.95);
  operations.push(...arcText(font, design.court, nameSize, centre, nameRadius, Math.PI / 2 + span / 2, Math.PI / 2 - span / 2, true));

  if (design.label) {
    const labelSize = Math.min(size * 0.085, (size * 0.5) / Array.from(design.label).length);
    const width = font.widthOfTextAtSize(design.label, labelSize);
    operations.push(placeText(font, design.label, labelSize, centre - width / 2, centre - size * 0.255, 0));
  }
  if (design.code) {
    const codeSize = size * 0.055;
    const codeSpan = Math.min(100, design.code.length * 6.5) * (Math.PI / 180);
    operations.push(...arcText(font, design.code, codeSize, centre, size * 0.425, (3 * Math.PI) / 2 - codeSpan / 2, (3 * Math.PI) / 2 + codeSpan / 2, false));
  }
  operations.push('Q');
  return register(doc, font, operations.join('\n'), size, size);
}

/** A person's signature (e.g. the judge's): the name in the embedded font over a thin line, in dark blue. */
export async function drawPersonSignature(doc: PDFDocument, options: { name: string; role?: string; width: number }): Promise<Appearance> {
  const font = await embedCjkFont(doc);
  const height = options.width * 0.4;
  const text = options.role ? `${options.role} ${options.name}` : options.name;
  const textSize = Math.min(height * 0.45, (options.width * 0.9) / Math.max(Array.from(text).length, 1));
  const operations = [
    'q 0.1 0.15 0.5 rg 0.1 0.15 0.5 RG',
    placeText(font, text, textSize, (options.width - font.widthOfTextAtSize(text, textSize)) / 2, height * 0.35, 0),
    `0.6 w ${fmt(options.width * 0.05)} ${fmt(height * 0.2)} m ${fmt(options.width * 0.95)} ${fmt(height * 0.2)} l S Q`,
  ];
  return register(doc, font, operations.join('\n'), options.width, height);
}

async function register(doc: PDFDocument, font: PDFFont, content: string, width: number, height: number): Promise<Appearance> {
  // Glyphs are recorded by encodeText above; embedding now writes the subset with exactly those.
  await font.embed();
  const stream = doc.context.flateStream(content, {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, width, height],
    Resources: { Font: { F1: font.ref }, ExtGState: { GS1: { Type: 'ExtGState', BM: 'Multiply' } } },
  });
  return { ref: doc.context.register(stream), width, height };
}
