// Where a text (the court's name, the date line 年月日) sits in a PDF's text layer, for keyword seals.
// pdfjs-dist (legacy Node build, in process) gives text runs with their transforms but no per-glyph
// positions, and CJK text may come as one run per line or as single glyphs; so runs are joined per
// line (same page, same baseline) and each character gets an x span from its run's width, shared out
// by character class (full-width CJK = 1 em, narrow Latin/digits = ½ em). Good to about a point for
// the text courts seal over (all CJK); horizontal text only — rotated runs are skipped.
// pdfjs is loaded at the first search, not with this module: its legacy build installs core-js polyfills
// that replace the process's JSON.stringify and JSON.parse with slower ones (≈ 5 % of the hub's main
// thread under smart filing), and most processes that can seal (the hub issuing its own documents,
// which seals at the renderer's anchors) never search a text layer.

export interface KeywordHit {
  /** 1-based page number. */
  page: number;
  /** The keyword's box in PDF points (lower-left x, y; from baseline-0.2 em to baseline+0.8 em). */
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Glyph {
  char: string;
  x0: number;
  x1: number;
}

interface Line {
  page: number;
  baseline: number;
  fontSize: number;
  glyphs: Glyph[];
}

interface TextRun {
  str: string;
  width: number;
  transform: number[];
}

const isWide = (char: string) => (char.codePointAt(0) ?? 0) >= 0x2e80;
const BASELINE_TOLERANCE = 1;

/** Characters of one run with their x spans, whitespace dropped (generators space CJK glyphs arbitrarily). */
function glyphsOf(run: TextRun): Glyph[] {
  const chars = Array.from(run.str);
  const weights = chars.map((char) => (isWide(char) ? 1 : 0.5));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const origin = run.transform[4]!;
  const glyphs: Glyph[] = [];
  let at = 0;
  chars.forEach((char, index) => {
    const x0 = origin + (run.width * at) / total;
    at += weights[index]!;
    if (!/\s/.test(char)) glyphs.push({ char, x0, x1: origin + (run.width * at) / total });
  });
  return glyphs;
}

async function textLines(pdf: Buffer): Promise<Line[]> {
  // pdfjs detaches the buffer it is given, so it gets a copy; fonts are not rendered, only read.
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = getDocument({ data: new Uint8Array(pdf), disableFontFace: true, useSystemFonts: false, isEvalSupported: false, verbosity: 0 });
  const doc = await task.promise;
  try {
    const lines: Line[] = [];
    for (let number = 1; number <= doc.numPages; number++) {
      const page = await doc.getPage(number);
      const content = await page.getTextContent();
      const pageLines: Line[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.length === 0) continue;
        const [a, b, , d, , f] = item.transform as number[];
        if (Math.abs(b!) > 1e-6 || a! <= 0) continue; // rotated or mirrored text
        const fontSize = Math.abs(d!) || item.height;
        let line = pageLines.find((candidate) => Math.abs(candidate.baseline - f!) <= BASELINE_TOLERANCE);
        if (!line) {
          line = { page: number, baseline: f!, fontSize, glyphs: [] };
          pageLines.push(line);
        }
        line.fontSize = Math.max(line.fontSize, fontSize);
        line.glyphs.push(...glyphsOf(item as TextRun));
      }
      for (const line of pageLines) line.glyphs.sort((left, right) => left.x0 - right.x0);
      // Reading order: top to bottom.
      lines.push(...pageLines.sort((upper, lower) => lower.baseline - upper.baseline));
      page.cleanup();
    }
    return lines;
  } finally {
    await doc.destroy();
  }
}

/** Every occurrence of `keyword` (whitespace ignored) in reading order: page by page, top to bottom, left to right. */
export async function findKeyword(pdf: Buffer, keyword: string): Promise<KeywordHit[]> {
  const wanted = Array.from(keyword.replace(/\s+/g, ''));
  if (wanted.length === 0) return [];
  const hits: KeywordHit[] = [];
  for (const line of await textLines(pdf)) {
    const text = line.glyphs.map((glyph) => glyph.char);
    for (let start = 0; start + wanted.length <= text.length; start++) {
      if (!wanted.every((char, offset) => text[start + offset] === char)) continue;
      const first = line.glyphs[start]!;
      const last = line.glyphs[start + wanted.length - 1]!;
      hits.push({ page: line.page, x: first.x0, y: line.baseline - 0.2 * line.fontSize, width: last.x1 - first.x0, height: line.fontSize });
      start += wanted.length - 1;
    }
  }
  return hits;
}
