// Documents benchmark (issue 7, first version): `npm run bench:documents [-- --runs 50] [--no-pin]`.
// Seal + sign a 20-page judgment (fixed-position court seal: open the PDF, draw the vector seal with
// a CJK font subset, incremental update, CMS SignedData with ECDSA P-256; keyword mode adds reading the
// text layer with pdfjs, one signature per occurrence; cross-page mode draws 20 strips) and verify it
// (our verifier: byte range digest, signature, chain, CRL, what changed after); p50/p95 over N runs,
// pinned to one core.
// Peers in the same run: `openssl cms -sign` over the same signed bytes with the same key, and
// poppler's `pdfsig` verifying the same file (each a child process, as a court would run them).
// Batch rate (`--batch 1000`): seal + sign that many one-page documents back to back on one core,
// then split over 2 worker threads (pinned to 2 cores): documents per second.
// Targets (issue 7): seal + sign ≤ 300 ms, verify ≤ 100 ms.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { CourtCa } from '../../documents/ca/court-ca.ts';
import { applySeal } from '../../documents/seal/apply-seal.ts';
import { cjkFontBytes } from '../../documents/seal/cjk-font.ts';
import { findKeyword } from '../../documents/seal/find-keyword.ts';
import { openPdf } from '../../documents/signing/pdf-source.ts';
import { signPdf } from '../../documents/signing/sign-pdf.ts';
import { verifyPdf } from '../../documents/signing/verify-pdf.ts';
import { toPem } from '../../documents/ca/x509.ts';
import { CourtTsa } from '../../documents/tsa/court-tsa.ts';
import { localTimestamper } from '../../documents/tsa/timestamper.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '50' }, batch: { type: 'string', default: '1000' }, 'no-pin': { type: 'boolean', default: false } },
  strict: true,
});
const RUNS = Number(values.runs);
const BATCH = Number(values.batch);
const log = (line: string) => process.stderr.write(`${line}\n`);

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(name: string, runs: number, task: () => Promise<unknown> | unknown): Promise<{ name: string; p50: number; p95: number; runs: number }> {
  for (let warm = 0; warm < 3; warm++) await task();
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    await task();
    samples.push(performance.now() - start);
  }
  const row = { name, p50: percentile(samples, 50), p95: percentile(samples, 95), runs };
  log(`${name}: p50 ${row.p50.toFixed(1)} ms, p95 ${row.p95.toFixed(1)} ms (${runs} runs)`);
  return row;
}

/** A 20-page judgment with CJK body text on every page (what the court seals most). */
async function judgment(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(cjkFontBytes(), { subset: true });
  const line = '原告与被告买卖合同纠纷一案，本院依法适用普通程序，公开开庭进行了审理。';
  for (let index = 0; index < pages; index++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText('北京市海淀区人民法院 民事判决书', { x: 110, y: 770, size: 20, font });
    for (let row = 0; row < 30; row++) page.drawText(line, { x: 60, y: 720 - row * 22, size: 12, font });
    page.drawText(`第 ${index + 1} 页 共 ${pages} 页`, { x: 260, y: 40, size: 10, font });
  }
  return Buffer.from(await doc.save());
}

const pinned = !values['no-pin'] && (() => {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Seals `count` copies of a one-page document split over `threads` worker threads; wall-clock ms from "go" (threads loaded and warm). */
async function batchInWorkers(caDir: string, dataKey: Buffer, pdf: Buffer, count: number, threads: number): Promise<number> {
  const workers = Array.from({ length: threads }, (_, index) => {
    const share = Math.floor(count / threads) + (index < count % threads ? 1 : 0);
    // A .ts worker entry needs tsx's loader registered in that thread first (Node 20 runs --import hooks off-thread).
    const entry = new URL('./documents-batch-worker.ts', import.meta.url).href;
    const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
    return new Worker(bootstrap, { eval: true, workerData: { caDir, dataKey, pdf, count: share } });
  });
  const next = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
  try {
    await Promise.all(workers.map(next));
    const start = performance.now();
    const done = workers.map(next);
    for (const worker of workers) worker.postMessage('go');
    await Promise.all(done);
    return performance.now() - start;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

const dir = mkdtempSync(join(tmpdir(), 'ecourt-bench-documents-'));
try {
  const dataKey = randomBytes(32);
  const ca = new CourtCa(join(dir, 'ca'), dataKey);
  ca.init({ court: '北京市海淀区人民法院', courtCode: '1101080000001' });
  ca.issue({ id: 'court', kind: 'court-seal', name: '北京市海淀区人民法院' });
  const signer = ca.signer('court');
  const anchors = { roots: [ca.rootCertificate()], crls: [ca.crl()] };
  const pdf = await judgment(20);
  log(`20-page judgment: ${(pdf.length / 1024).toFixed(0)} KiB; ${pinned ? 'pinned to core 0' : 'not pinned'}; ${cpus()[0]?.model ?? '?'} (${availableParallelism()} cores)`);

  const sealed = await applySeal({ pdf, signer, placement: { mode: 'fixed', page: 20, x: 380, y: 80 } });
  const sealedFile = join(dir, 'sealed.pdf');
  writeFileSync(sealedFile, sealed.bytes);

  const rows = [
    await measure('seal + sign (fixed court seal, 20 pages)', RUNS, () => applySeal({ pdf, signer, placement: { mode: 'fixed', page: 20, x: 380, y: 80 } })),
    await measure('seal + sign (keyword: last 北京市海淀区人民法院, 20 pages)', RUNS, () => applySeal({ pdf, signer, placement: { mode: 'keyword', keyword: '北京市海淀区人民法院' } })),
    await measure('  of which: find the keyword (pdfjs text layer, 20 pages)', RUNS, () => findKeyword(pdf, '北京市海淀区人民法院')),
    await measure('seal + sign (keyword, every occurrence: 20 signatures)', Math.min(RUNS, 10), () => applySeal({ pdf, signer, placement: { mode: 'keyword', keyword: '北京市海淀区人民法院', occurrence: 'all' } })),
    await measure('seal + sign (cross-page 骑缝章, 20 strips, one signature)', RUNS, () => applySeal({ pdf, signer, placement: { mode: 'cross-page' } })),
    await measure('sign only (invisible signature, 20 pages)', RUNS, async () => signPdf({ source: await openPdf(pdf), signer, page: 0 })),
    await measure('verify (ecourt verifier)', RUNS, () => verifyPdf(sealed.bytes, anchors)),
  ];
  // PAdES-T with the court's own TSA in process (ECOURT_TSA=local): one more ECDSA signature and ~1.5 KiB.
  const timestamper = localTimestamper(new CourtTsa(ca));
  const timestamped = await applySeal({ pdf, signer, placement: { mode: 'fixed', page: 20, x: 380, y: 80 }, timestamper });
  rows.push(
    await measure('seal + sign + timestamp (fixed, ECOURT_TSA=local)', RUNS, () => applySeal({ pdf, signer, placement: { mode: 'fixed', page: 20, x: 380, y: 80 }, timestamper })),
    await measure('verify a timestamped signature (ecourt verifier)', RUNS, () => verifyPdf(timestamped.bytes, anchors)),
  );

  // Batch: one-page documents sealed back to back (the same one-page judgment each time: sealing cost
  // does not depend on the text), on one core, then over 2 worker threads on 2 cores.
  const onePage = await judgment(1);
  const batchRows: { name: string; ms: number }[] = [];
  if (BATCH > 0) {
    for (let warm = 0; warm < 5; warm++) await applySeal({ pdf: onePage, signer, placement: { mode: 'fixed', page: 1, x: 380, y: 80 } });
    const start = performance.now();
    for (let index = 0; index < BATCH; index++) await applySeal({ pdf: onePage, signer, placement: { mode: 'fixed', page: 1, x: 380, y: 80 } });
    batchRows.push({ name: `batch: seal + sign ${BATCH} one-page documents, one thread${pinned ? ', one core' : ''}`, ms: performance.now() - start });
    let twoCores = false;
    // availableParallelism() follows the affinity (1 once pinned): count the machine's cores instead.
    if (pinned && cpus().length >= 2) {
      try {
        execFileSync('taskset', ['-a', '-p', '-c', '0,1', String(process.pid)], { stdio: 'ignore' });
        twoCores = true;
      } catch {
        twoCores = false;
      }
    }
    batchRows.push({ name: `batch: seal + sign ${BATCH} one-page documents, 2 worker threads${twoCores ? ', 2 cores' : ''}`, ms: await batchInWorkers(join(dir, 'ca'), dataKey, onePage, BATCH, 2) });
    for (const row of batchRows) log(`${row.name}: ${(row.ms / 1000).toFixed(2)} s, ${((BATCH * 1000) / row.ms).toFixed(0)} documents/s`);
  }

  // Peers: the same CMS work by OpenSSL, the same verification by poppler, each as a child process.
  const keyFile = join(dir, 'court.key');
  const certFile = join(dir, 'court.crt');
  const contentFile = join(dir, 'signed-bytes.bin');
  writeFileSync(keyFile, signer.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
  writeFileSync(certFile, toPem('CERTIFICATE', signer.certificate));
  const [a, b, c, d] = sealed.byteRange;
  writeFileSync(contentFile, Buffer.concat([sealed.bytes.subarray(a, a + b), sealed.bytes.subarray(c, c + d)]));
  rows.push(
    await measure('peer: openssl cms -sign (same bytes and key, child process)', Math.min(RUNS, 30), () =>
      execFileSync('openssl', ['cms', '-sign', '-binary', '-in', contentFile, '-signer', certFile, '-inkey', keyFile, '-outform', 'DER', '-md', 'sha256', '-nosmimecap', '-out', join(dir, 'peer.p7s')]),
    ),
  );
  const nss = join(dir, 'nss');
  execFileSync('mkdir', ['-p', nss]);
  execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
  rows.push(await measure('peer: pdfsig verify (poppler/NSS, child process)', Math.min(RUNS, 30), () => execFileSync('pdfsig', ['-nssdir', `sql:${nss}`, sealedFile])));

  console.log(`| operation (20-page judgment, ${(pdf.length / 1024).toFixed(0)} KiB${pinned ? ', one core' : ''}) | p50 ms | p95 ms | runs |`);
  console.log('|---|---:|---:|---:|');
  for (const row of rows) console.log(`| ${row.name} | ${row.p50.toFixed(1)} | ${row.p95.toFixed(1)} | ${row.runs} |`);
  if (batchRows.length > 0) {
    console.log(`\n| batch (one-page judgment, ${(onePage.length / 1024).toFixed(0)} KiB, fixed court seal) | seconds | documents/s |`);
    console.log('|---|---:|---:|');
    for (const row of batchRows) console.log(`| ${row.name} | ${(row.ms / 1000).toFixed(2)} | ${((BATCH * 1000) / row.ms).toFixed(0)} |`);
  }
  console.log(`\nsealed output ${(sealed.bytes.length / 1024).toFixed(0)} KiB, sha256 ${createHash('sha256').update(sealed.bytes).digest('hex').slice(0, 16)}…`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
