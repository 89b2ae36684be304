// Document rendering benchmark (issue 7 point 1): `node --import tsx scripts/bench/documents-render.ts [--runs 30] [--no-pin]`.
// Lays out and renders a 20-page civil judgment (body, signature block, an annex table of amounts running
// across pages with its header repeated) to PDF (pdf-lib, CJK font subset) and to DOCX; p50/p95 over N
// runs, pinned to one core. Peer in the same run: headless Chromium printing the same document as HTML
// to PDF (page.pdf, a warm browser and page; Chromium inherits the pin), the usual way web apps make PDFs.
// Kept beside scripts/bench/documents.ts (seal + sign + verify), which another change owns.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { renderDocx } from '../../documents/render/render-docx.ts';
import { renderPdf } from '../../documents/render/render-pdf.ts';
import { buildCourtDocument, type CourtDocument } from '../../documents/templates/index.ts';
import { sampleJudgment } from '../../documents/templates/samples.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' }, 'no-pin': { type: 'boolean', default: false } }, strict: true });
const RUNS = Number(values.runs);
const CHROMIUM = '/usr/bin/chromium';
const log = (line: string) => process.stderr.write(`${line}\n`);

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(name: string, task: () => Promise<unknown>): Promise<{ name: string; p50: number; p95: number }> {
  for (let warm = 0; warm < 3; warm++) await task();
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    await task();
    samples.push(performance.now() - start);
  }
  const row = { name, p50: percentile(samples, 50), p95: percentile(samples, 95) };
  log(`${name}: p50 ${row.p50.toFixed(1)} ms, p95 ${row.p95.toFixed(1)} ms (${RUNS} runs)`);
  return row;
}

const escape = (text: string) => text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);

/** The same document as print HTML: same margins, sizes and blocks; the table's thead repeats on every page. */
function html(document: CourtDocument): string {
  const body = document.blocks
    .map((block) => {
      switch (block.type) {
        case 'title':
          return `<h2>${escape(block.courtName)}</h2><h1>${escape(block.documentTitle)}</h1>`;
        case 'caseNumber':
          return `<p class="r">${escape(block.text)}</p>`;
        case 'heading':
          return `<p class="c">${escape(block.text)}</p>`;
        case 'paragraph':
          return `<p class="${block.indent ? 'i' : ''}">${escape(block.text)}</p>`;
        case 'table':
          return `<table><thead><tr>${block.columns.map((column) => `<th style="width:${column.width * 100}%">${escape(column.title)}</th>`).join('')}</tr></thead><tbody>${[...block.rows, ...(block.footer ? [block.footer] : [])]
            .map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join('')}</tr>`)
            .join('')}</tbody></table>`;
        case 'signature':
          return `<div class="sig">${[...block.block.panel.map((entry) => `${entry.title}　${entry.name}`), ...(block.block.courtName ? [block.block.courtName] : []), block.block.date, ...block.block.after.map((entry) => `${entry.title}　${entry.name}`)]
            .map((line) => `<p class="r">${escape(line)}</p>`)
            .join('')}</div>`;
      }
    })
    .join('\n');
  return `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><style>
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: 'WenQuanYi Zen Hei'; font-size: 16pt; line-height: 28.95pt; margin: 0; }
h1 { font-size: 22pt; text-align: center; margin: 0; font-weight: normal; } h2 { font-size: 18pt; text-align: center; margin: 0; font-weight: normal; }
p { margin: 0; } .i { text-indent: 2em; } .r { text-align: right; padding-right: 4em; } .c { text-align: center; }
.sig { break-inside: avoid; margin-top: 29pt; }
table { border-collapse: collapse; width: 100%; font-size: 12pt; line-height: 18pt; } th, td { border: 0.75pt solid #000; padding: 4pt; } thead { display: table-header-group; } tr { break-inside: avoid; }
</style><body>${body}</body></html>`;
}

const pinned =
  !values['no-pin'] &&
  (() => {
    try {
      execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

// The shortest annex that makes 20 pages (the issue's benchmark document).
const pagesFor = async (annexRows: number) => (await renderPdf(buildCourtDocument('civilJudgment', sampleJudgment(annexRows)))).pageCount;
let rows = 150;
while ((await pagesFor(rows)) < 20) rows += 5;
while (rows > 1 && (await pagesFor(rows - 1)) >= 20) rows -= 1;
const document = buildCourtDocument('civilJudgment', sampleJudgment(rows));
const sample = await renderPdf(document);
log(`judgment: ${rows} annex rows, ${sample.pageCount} pages, ${(sample.bytes.length / 1024).toFixed(0)} KiB; ${pinned ? 'pinned to core 0' : 'not pinned'}; ${cpus()[0]?.model ?? '?'} (${availableParallelism()} cores)`);

const results = [
  await measure('ecourt: validate + lay out + render PDF (pdf-lib, font subset)', async () => renderPdf(buildCourtDocument('civilJudgment', sampleJudgment(rows)))),
  await measure('ecourt: validate + render DOCX (docx)', async () => renderDocx(buildCourtDocument('civilJudgment', sampleJudgment(rows)))),
];
let chromiumPages: number | undefined;
if (existsSync(CHROMIUM)) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    const source = html(document);
    results.push(
      await measure('peer: Chromium print-to-PDF of the same HTML (warm browser)', async () => {
        await page.setContent(source);
        const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
        chromiumPages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      }),
    );
  } finally {
    await browser.close();
  }
} else log(`no Chromium at ${CHROMIUM}: peer skipped`);

console.log(`| operation (20-page judgment${pinned ? ', one core' : ''}) | p50 ms | p95 ms |`);
console.log('|---|---|---|');
for (const row of results) console.log(`| ${row.name} | ${row.p50.toFixed(1)} | ${row.p95.toFixed(1)} |`);
if (chromiumPages !== undefined) console.log(`\nChromium laid the same HTML out on ${chromiumPages} pages.`);
