// PDFs for the documents tests: one we make (pdf-lib, Chinese text, xref stream), one Chromium prints
// (Skia, classic xref table), hand-made broken and encrypted ones; and pdfsig with a throwaway NSS db.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fontkit from '@pdf-lib/fontkit';
import { PDFArray, PDFDocument, PDFName, PDFRef } from 'pdf-lib';
import { cjkFontBytes } from '../../documents/seal/cjk-font.ts';
import { toPem } from '../../documents/ca/x509.ts';

const run = promisify(execFile);

export async function judgmentPdf(pages = 2): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(cjkFontBytes(), { subset: true });
  for (let index = 0; index < pages; index++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText('北京市海淀区人民法院 民事判决书', { x: 110, y: 760, size: 20, font });
    page.drawText(`（2026）京0108民初123号 第${index + 1}页`, { x: 150, y: 720, size: 14, font });
  }
  return Buffer.from(await doc.save());
}

/** A PDF printed by headless Chromium from HTML: not made by our code. */
export async function chromiumPdf(dir: string): Promise<Buffer> {
  const html = join(dir, 'complaint.html');
  const pdf = join(dir, 'chromium.pdf');
  writeFileSync(html, '<html><head><meta charset="utf-8"><title>起诉状</title></head><body><h1>民事起诉状</h1><p>原告诉称：被告拖欠货款人民币十万元。</p></body></html>');
  await run('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${html}`], { timeout: 30_000 });
  return readFileSync(pdf);
}

/** Appends an incremental update that replaces (or adds) objects: how a later edit of a signed PDF looks. */
export function appendUpdate(bytes: Buffer, objects: Record<number, string>, trailer: { root: string; size: number; extra?: string }): Buffer {
  const tail = bytes.subarray(bytes.length - 1024).toString('latin1');
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail)![1]);
  let text = '\n';
  const offsets: [number, number][] = [];
  for (const [number, body] of Object.entries(objects)) {
    offsets.push([Number(number), bytes.length + Buffer.byteLength(text, 'latin1')]);
    text += `${number} 0 obj\n${body}\nendobj\n`;
  }
  const xrefAt = bytes.length + Buffer.byteLength(text, 'latin1');
  text += 'xref\n' + offsets.map(([number, offset]) => `${number} 1\n${String(offset).padStart(10, '0')} 00000 n\r`).join('\n');
  text += `\ntrailer\n<< /Size ${trailer.size} /Root ${trailer.root} /Prev ${prev}${trailer.extra ?? ''} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([bytes, Buffer.from(text, 'latin1')]);
}

/** The page's content stream ref, the catalog ref and the /Size to use for an appended update. */
export async function pdfLayout(bytes: Buffer): Promise<{ root: string; contents?: number; size: number }> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const entry = doc.getPage(0).node.get(PDFName.of('Contents'));
  const contents = entry instanceof PDFArray ? entry.get(0) : entry;
  return {
    root: (doc.context.trailerInfo.Root as PDFRef).toString(),
    contents: contents instanceof PDFRef ? contents.objectNumber : undefined,
    size: doc.context.largestObjectNumber + 50,
  };
}

/** An unencrypted PDF whose trailer then declares standard-security-handler encryption. */
export async function encryptedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]);
  const plain = Buffer.from(await doc.save({ useObjectStreams: false }));
  const { root, size } = await pdfLayout(plain);
  const o = '<' + '11'.repeat(32) + '>';
  return appendUpdate(plain, { [size]: `<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O ${o} /U ${o} >>` }, { root, size: size + 1, extra: ` /Encrypt ${size} 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]` });
}

export interface PdfsigSignature {
  valid: boolean;
  trusted: boolean;
  wholeDocument: boolean;
  commonName: string;
  subFilter: string;
}

/** Runs pdfsig against an NSS db that trusts the given roots (none: an empty db) and parses its report. */
export async function pdfsig(file: string, nssDir: string, trustedRoots: Buffer[] = []): Promise<{ signatures: PdfsigSignature[]; output: string }> {
  mkdirSync(nssDir, { recursive: true });
  await run('certutil', ['-N', '-d', `sql:${nssDir}`, '--empty-password']).catch(() => undefined);
  for (const [index, root] of trustedRoots.entries()) {
    const pem = join(nssDir, `root-${index}.pem`);
    writeFileSync(pem, toPem('CERTIFICATE', root));
    await run('certutil', ['-A', '-d', `sql:${nssDir}`, '-n', `court-root-${index}`, '-t', 'CT,C,C', '-i', pem]);
  }
  const { stdout } = await run('pdfsig', ['-nssdir', `sql:${nssDir}`, file]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const signatures = stdout
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((block) => ({
      valid: /Signature Validation: Signature is Valid\./.test(block),
      trusted: /Certificate Validation: Certificate is Trusted\./.test(block),
      wholeDocument: /Total document signed/.test(block),
      commonName: /Signer Certificate Common Name: (.*)/.exec(block)?.[1]?.trim() ?? '',
      subFilter: /Signature Type: (.*)/.exec(block)?.[1]?.trim() ?? '',
    }));
  return { signatures, output: stdout };
}

export async function pdftotext(file: string): Promise<string> {
  return (await run('pdftotext', [file, '-'])).stdout;
}
