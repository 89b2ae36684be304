// `ecourt document render <template> <data.json> --out <file.pdf|file.docx> [--json]`: lays a court
// document out from its data and writes it as PDF (searchable CJK text, room and anchors for the seal)
// or DOCX. `ecourt document templates` lists the templates; `ecourt document sample <template>` prints
// sample data to start from. Exit 0 written, 1 refused (bad data: every bad field listed), 2 bad usage.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../platform/errors.ts';
import { buildCourtDocument, isTemplateName, TEMPLATE_NAMES, TEMPLATES } from '../documents/templates/index.ts';

export class DocumentUsageError extends Error {}

export const DOCUMENT_USAGE = `usage: ecourt document render <template> <data.json> --out <file.pdf|file.docx> [--json]
       ecourt document templates
       ecourt document sample <template>
  templates: ${TEMPLATE_NAMES.join(', ')}`;

export async function document(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'templates') {
    for (const name of TEMPLATE_NAMES) console.log(`${name.padEnd(18)} ${TEMPLATES[name].title}`);
    return 0;
  }
  if (sub === 'sample') {
    const [name] = rest;
    if (!name || !isTemplateName(name)) throw new DocumentUsageError(DOCUMENT_USAGE);
    const { SAMPLE_DATA } = await import('../documents/templates/samples.ts');
    console.log(JSON.stringify(SAMPLE_DATA[name], null, 2));
    return 0;
  }
  if (sub !== 'render') throw new DocumentUsageError(DOCUMENT_USAGE);
  const { values, positionals } = parseArgs({
    args: rest,
    options: { out: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 2 || !values.out) throw new DocumentUsageError(DOCUMENT_USAGE);
  const [template, dataFile] = positionals as [string, string];
  if (!isTemplateName(template)) throw new DocumentUsageError(`unknown template "${template}"\n${DOCUMENT_USAGE}`);
  const format = extname(values.out).toLowerCase();
  if (format !== '.pdf' && format !== '.docx') throw new DocumentUsageError(`--out must end in .pdf or .docx\n${DOCUMENT_USAGE}`);
  const text = await readFile(dataFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new DocumentUsageError(`${dataFile}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DocumentUsageError(`${dataFile}: not JSON (${(error as Error).message})`);
  }
  try {
    const model = buildCourtDocument(template, data);
    const outcome: Record<string, unknown> = { out: values.out, template, format: format.slice(1) };
    let bytes: Uint8Array;
    if (format === '.pdf') {
      const { renderPdf } = await import('../documents/render/render-pdf.ts');
      const rendered = await renderPdf(model);
      bytes = rendered.bytes;
      Object.assign(outcome, { pages: rendered.pageCount, sha256: rendered.sha256, anchors: rendered.anchors });
    } else {
      const { renderDocx } = await import('../documents/render/render-docx.ts');
      bytes = await renderDocx(model);
    }
    // Written beside the target and renamed, so a failed write never leaves half a document.
    const temporary = `${values.out}.${process.pid}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, values.out);
    outcome.bytes = bytes.length;
    console.log(values.json ? JSON.stringify(outcome, null, 2) : `rendered / 已生成: ${values.out} (${TEMPLATES[template].title}${outcome.pages ? `, ${outcome.pages} pages` : ''})`);
    return 0;
  } catch (error) {
    if (!(error instanceof AppError) || error.code === 'INTERNAL') throw error;
    if (values.json) console.log(JSON.stringify(error.toBody(), null, 2));
    else {
      console.error(`refused: ${error.code} — ${error.message}`);
      const fields = (error.details as { fields?: { field: string; message: string }[] } | undefined)?.fields ?? [];
      for (const field of fields) console.error(`  ${field.field}: ${field.message}`);
    }
    return 1;
  }
}
