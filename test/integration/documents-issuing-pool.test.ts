// Issuing's CPU part off the main thread (documents/issuing/issuing-pool.ts) and the seal placed at the
// renderer's anchor instead of a keyword search (documents/seal/anchor-placement.ts): the anchor gives the
// spot the keyword search finds, for every template; the pool's worker threads give the same document as
// rendering and sealing in this thread, valid for our verifier and pdfsig; errors keep their codes.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CourtCa } from '../../documents/ca/court-ca.ts';
import { IssuingPool } from '../../documents/issuing/issuing-pool.ts';
import { renderAndSeal } from '../../documents/issuing/render-and-seal.ts';
import { renderPdf } from '../../documents/render/render-pdf.ts';
import { placementOverAnchor } from '../../documents/seal/anchor-placement.ts';
import { applySeal } from '../../documents/seal/apply-seal.ts';
import { findKeyword } from '../../documents/seal/find-keyword.ts';
import { verifyPdf } from '../../documents/signing/verify-pdf.ts';
import { buildCourtDocument, TEMPLATE_NAMES } from '../../documents/templates/index.ts';
import { SAMPLE_DATA } from '../../documents/templates/samples.ts';
import { pdfsig } from '../support/pdf-documents.ts';

let dir: string;
let ca: CourtCa;
const pool = new IssuingPool(2);
const verification = { code: '7K3M-Q9TX-2F8R-WD4N', url: 'https://court.example/#/verify?code=7K3M-Q9TX-2F8R-WD4N' };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecourt-issuing-pool-'));
  ca = new CourtCa(join(dir, 'ca'), randomBytes(32));
  ca.init({ court: '北京市海淀区人民法院', courtCode: '1101080000001' });
  ca.issue({ id: 'court', kind: 'court-seal', name: '北京市海淀区人民法院' });
  ca.issue({ id: 'court-sm2', kind: 'court-seal', name: '北京市海淀区人民法院', profile: 'sm2' });
});

afterAll(async () => {
  await pool.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('seal placement at the renderer’s anchor', () => {
  it.each(TEMPLATE_NAMES)('%s: equals the keyword search’s placement over the same text (last occurrence)', async (template) => {
    const rendered = await renderPdf(buildCourtDocument(template, SAMPLE_DATA[template]), { verification });
    const anchor = rendered.anchors.courtName ?? rendered.anchors.date;
    expect(anchor, 'a signature block to seal').toBeDefined();
    const hit = (await findKeyword(Buffer.from(rendered.bytes), anchor!.text)).at(-1)!;
    const size = 119;
    // What applySeal's keyword mode computes from the hit (centred, kept on the page).
    const keyword = {
      page: hit.page,
      x: Math.min(Math.max(hit.x + hit.width / 2 - size / 2, 0), 595.28 - size),
      y: Math.min(Math.max(hit.y + hit.height / 2 - size / 2, 0), 841.89 - size),
    };
    const placement = placementOverAnchor(anchor!);
    expect(placement.page).toBe(keyword.page);
    expect(placement.x).toBeCloseTo(keyword.x, 1);
    expect(placement.y).toBeCloseTo(keyword.y, 1);
  });

  it('seals the receipt where a keyword seal lands (the widget rectangles agree)', async () => {
    const rendered = await renderPdf(buildCourtDocument('filingReceipt', SAMPLE_DATA.filingReceipt), { verification });
    const pdf = Buffer.from(rendered.bytes);
    const anchor = rendered.anchors.courtName ?? rendered.anchors.date!;
    const byKeyword = await applySeal({ pdf, signer: ca.signer('court'), placement: { mode: 'keyword', keyword: anchor.text, occurrence: 'last' } });
    const byAnchor = await applySeal({ pdf, signer: ca.signer('court'), placement: placementOverAnchor(anchor) });
    const [keywordSeal] = byKeyword.placed;
    const [anchorSeal] = byAnchor.placed;
    expect(anchorSeal!.page).toBe(keywordSeal!.page);
    expect(anchorSeal!.x).toBeCloseTo(keywordSeal!.x, 1);
    expect(anchorSeal!.y).toBeCloseTo(keywordSeal!.y, 1);
    expect([anchorSeal!.width, anchorSeal!.height]).toEqual([keywordSeal!.width, keywordSeal!.height]);
  });
});

describe('issuing pool', () => {
  it('renders and seals in a worker thread the same document as in this thread, valid for our verifier and pdfsig', async () => {
    const signingTime = new Date(Math.floor(Date.now() / 1000) * 1000); // PDF dates have whole seconds
    for (const template of ['filingReceipt', 'civilJudgment'] as const) {
      const job = { model: buildCourtDocument(template, SAMPLE_DATA[template]), verification, signer: ca.signer('court'), signingTime };
      const [inPool, inThread] = await Promise.all([pool.renderAndSeal(job), renderAndSeal(job)]);
      expect(inPool.unsealedSha256).toBe(inThread.unsealedSha256);
      expect(inPool.pageCount).toBe(inThread.pageCount);
      expect(Buffer.isBuffer(inPool.sealed.bytes)).toBe(true);
      expect(inPool.sealed.byteRange).toEqual(inThread.sealed.byteRange);
      expect(inPool.sealed.signingTime).toEqual(signingTime);
      // Byte for byte up to the signature value (the CMS signature itself is randomised).
      const signed = inThread.sealed.byteRange[1];
      expect(inPool.sealed.bytes.subarray(0, signed).equals(inThread.sealed.bytes.subarray(0, signed))).toBe(true);

      const report = await verifyPdf(inPool.sealed.bytes, { roots: [ca.rootCertificate()], crls: [ca.crl()] });
      expect(report.valid, JSON.stringify(report.signatures)).toBe(true);
      const file = join(dir, `${template}.pdf`);
      writeFileSync(file, inPool.sealed.bytes);
      const checked = await pdfsig(file, join(dir, 'nss'), [ca.rootCertificate()]);
      expect(checked.signatures.map((signature) => [signature.valid, signature.trusted]), checked.output).toEqual([[true, true]]);
    }
  });

  it('signs with an SM2 court seal in a worker thread (the key survives the hand-over)', async () => {
    const job = { model: buildCourtDocument('filingReceipt', SAMPLE_DATA.filingReceipt), verification, signer: ca.signer('court-sm2') };
    const { sealed } = await pool.renderAndSeal(job);
    const report = await verifyPdf(sealed.bytes, { roots: [ca.rootCertificate()], crls: [ca.crl()] });
    expect(report.valid, JSON.stringify(report.signatures)).toBe(true);
  });

  it('spreads concurrent documents over its threads and answers each', async () => {
    const jobs = Array.from({ length: 6 }, () => ({ model: buildCourtDocument('filingReceipt', SAMPLE_DATA.filingReceipt), verification, signer: ca.signer('court') }));
    const results = await Promise.all(jobs.map((job) => pool.renderAndSeal(job)));
    expect(new Set(results.map((result) => result.unsealedSha256)).size).toBe(1);
    expect(results.every((result) => result.sealed.bytes.subarray(0, 5).toString('latin1') === '%PDF-')).toBe(true);
  });

  it('passes a failure in the worker back to the caller', async () => {
    const model = buildCourtDocument('filingReceipt', SAMPLE_DATA.filingReceipt);
    // A model whose signature block is gone: nothing to seal over.
    const unsealable = { ...model, blocks: model.blocks.filter((block) => block.type !== 'signature') };
    await expect(pool.renderAndSeal({ model: unsealable, verification, signer: ca.signer('court') })).rejects.toThrow(/rendered no signature block/);
  });
});
