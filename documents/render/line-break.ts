// Line breaking for Chinese court text: a line may break between any two CJK characters, Latin words
// and numbers (12,000.50, PDF, 2026年 → "2026" stays whole) are never split, and 避头尾 holds: no line
// starts with closing punctuation (，。、；：？！）」 …) and none ends with an opening one (（「《 …).
// Widths come from a measure function, so the same code serves the PDF renderer and the tests.

/** Must not start a line (避头). */
export const NO_LINE_START = new Set([...'，。、；：？！）」』》〉】〕”’…—·,.;:?!)]}%‰℃']);
/** Must not end a line (避尾). */
export const NO_LINE_END = new Set([...'（「『《〈【〔“‘([{']);

/** Runs that stay whole: Latin letters, digits and what binds them (12,000.50 / e-mail / 3.5%). */
const UNBREAKABLE = /[A-Za-z0-9](?:[A-Za-z0-9.,\-_/@:'%]*[A-Za-z0-9%])?/y;

/** Splits text into the units a line may break between. */
export function breakUnits(text: string): string[] {
  const units: string[] = [];
  let index = 0;
  while (index < text.length) {
    UNBREAKABLE.lastIndex = index;
    const word = UNBREAKABLE.exec(text);
    if (word) {
      units.push(word[0]);
      index += word[0].length;
      continue;
    }
    const codePoint = text.codePointAt(index)!;
    const unit = String.fromCodePoint(codePoint);
    units.push(unit);
    index += unit.length;
  }
  return units;
}

/**
 * Breaks `text` into lines no wider than `width` (the first line `firstWidth`, for a first-line indent).
 * When a closing mark would start a line, the character before it moves down with it (the usual
 * 避头 fix); a unit wider than a whole line is split by character as a last resort.
 */
export function breakLines(text: string, measure: (text: string) => number, width: number, firstWidth = width): string[] {
  const lines: string[][] = [[]];
  let lineWidth = 0;
  const limit = () => (lines.length === 1 ? firstWidth : width);
  const units = breakUnits(text).flatMap((unit) => (measure(unit) > width ? [...unit] : [unit]));
  for (const unit of units) {
    const unitWidth = measure(unit);
    const current = lines[lines.length - 1]!;
    if (lineWidth + unitWidth <= limit() || current.length === 0) {
      current.push(unit);
      lineWidth += unitWidth;
      continue;
    }
    if (unit === ' ') continue; // a space at a break disappears
    const carried: string[] = [];
    // 避头: carry the previous unit down so the closing mark does not start the next line;
    // 避尾: an opening mark left at the end of this line goes down too.
    if (NO_LINE_START.has(unit) && current.length > 1) carried.unshift(current.pop()!);
    while (current.length > 1 && NO_LINE_END.has(current[current.length - 1]!)) carried.unshift(current.pop()!);
    while (current.length > 0 && current[current.length - 1] === ' ') current.pop();
    const next = [...carried, unit];
    lines.push(next);
    lineWidth = next.reduce((sum, item) => sum + measure(item), 0);
  }
  return lines.map((line) => line.join('')).filter((line, index, all) => line.length > 0 || all.length === 1);
}
