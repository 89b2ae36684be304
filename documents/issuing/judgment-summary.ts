// The judgment's text as the judge gives it with ISSUE_JUDGMENT (its `summary`), read into the parts of a
// 民事判决书. The case actor keeps one text; the judge marks its parts with the headings judgments use,
// each at the start of a line:
//   被告辩称：…  本院查明：… (or 经审理查明：)  本院认为：…  法律依据：…  判决如下：…
//   受理费负担：由被告负担  上诉法院：北京市第二中级人民法院
// Each non-empty line of a part is one paragraph (one order per line under 判决如下). A part that is not
// there stays absent, so the template names it among the missing fields and nothing is issued with a
// part invented.

export interface JudgmentParts {
  defence?: string[];
  findings?: string[];
  reasoning?: string[];
  legalBasis?: string;
  orders?: string[];
  feeBorneBy?: string;
  appealCourt?: string;
}

const HEADINGS: [RegExp, keyof JudgmentParts][] = [
  [/^(被告辩称|辩称)[：:]/, 'defence'],
  [/^(本院查明|经审理查明|查明)[：:]/, 'findings'],
  [/^本院认为[：:]/, 'reasoning'],
  [/^(法律依据|依据)[：:]/, 'legalBasis'],
  [/^判决如下[：:]/, 'orders'],
  [/^(受理费负担|案件受理费负担)[：:]/, 'feeBorneBy'],
  [/^上诉法院[：:]/, 'appealCourt'],
];
const SINGLE_LINE = new Set<keyof JudgmentParts>(['legalBasis', 'feeBorneBy', 'appealCourt']);
/** The judge's own numbering of a line (一、 1. （一）): the template numbers the orders itself. */
const NUMBERING = /^(?:[一二三四五六七八九十百]+[、.．]|（[一二三四五六七八九十百]+）|\d+[、.．)）])\s*/;

export function readJudgmentSummary(summary: string): JudgmentParts {
  const collected = new Map<keyof JudgmentParts, string[]>();
  let current: keyof JudgmentParts | null = null;
  for (const raw of summary.split(/\r?\n/)) {
    let line = raw.trim();
    const heading = HEADINGS.find(([pattern]) => pattern.test(line));
    if (heading) {
      current = heading[1];
      line = line.replace(heading[0], '').trim();
      if (!collected.has(current)) collected.set(current, []);
    }
    if (current && line) collected.get(current)!.push(line);
  }
  const parts: JudgmentParts = {};
  for (const [part, lines] of collected) {
    if (lines.length === 0) continue;
    if (SINGLE_LINE.has(part)) (parts as Record<string, unknown>)[part] = lines.join('');
    else (parts as Record<string, unknown>)[part] = part === 'orders' ? lines.map((line) => line.replace(NUMBERING, '')) : lines;
  }
  return parts;
}
