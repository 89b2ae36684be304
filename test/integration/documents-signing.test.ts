// Court CA, seals and PAdES signatures checked by an independent verifier: poppler's pdfsig (NSS)
// must accept what we sign — on a PDF we make and on one Chromium prints — and both pdfsig and our
// own verifier must catch tampering. Real keys, real files, real pdfsig; nothing is mocked.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CourtCa } from '../../documents/ca/court-ca.ts';
import { applySeal } from '../../documents/seal/apply-seal.ts';
import { verifyPdf } from '../../documents/signing/verify-pdf.ts';
import { AppError } from '../../platform/errors.ts';
import { appendUpdate, chromiumPdf, encryptedPdf, judgmentPdf, pdfLayout, pdfsig, pdftotext } from '../support/pdf-documents.ts';

let dir: string;
let ca: CourtCa;
const anchors = () => ({ roots: [ca.rootCertificate()], crls: [ca.crl()] });
const write = (name: string, bytes: Buffer) => {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
};
const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecourt-signing-'));
  ca = new CourtCa(join(dir, 'ca'), randomBytes(32));
  ca.init({ court: '北京市海淀区人民法院', courtCode: '1101080000001' });
  ca.issue({ id: 'court', kind: 'court-seal', name: '北京市海淀区人民法院' });
  ca.issue({ id: 'civil', kind: 'special-seal', name: '民事审判庭专用章', department: '民事审判庭' });
  ca.issue({ id: 'judge-li', kind: 'person', name: '李明', department: '审判员' });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sealing a PDF we made (pdf-lib, Chinese text, cross-reference stream)', () => {
  it('gives a signature pdfsig finds valid, and trusted once the court CA is in the NSS db', async () => {
    const sealed = await applySeal({ pdf: await judgmentPdf(), signer: ca.signer('court'), placement: { mode: 'fixed', page: 1, x: 380, y: 80 } });
    const file = write('court-sealed.pdf', sealed.bytes);

    const untrusted = await pdfsig(file, join(dir, 'nss-empty'));
    expect(untrusted.signatures, untrusted.output).toHaveLength(1);
    expect(untrusted.signatures[0]).toMatchObject({ valid: true, trusted: false, wholeDocument: true, commonName: '北京市海淀区人民法院', subFilter: 'ETSI.CAdES.detached' });

    const trusted = await pdfsig(file, join(dir, 'nss-court'), [ca.rootCertificate()]);
    expect(trusted.signatures[0], trusted.output).toMatchObject({ valid: true, trusted: true });

    const report = await verifyPdf(sealed.bytes, anchors());
    expect(report.valid).toBe(true);
    expect(report.signatures[0]).toMatchObject({ intact: true, trusted: true, revoked: false, coversWholeDocument: true, signer: { commonName: '北京市海淀区人民法院' } });
    // The document's own text is untouched and still searchable.
    expect(await pdftotext(file)).toContain('民事判决书');
  });

  it('keeps the judge’s signature valid when the court seal is added after it (incremental update)', async () => {
    const signedByJudge = await applySeal({ pdf: await judgmentPdf(3), signer: ca.signer('judge-li'), placement: { mode: 'fixed', page: 3, x: 100, y: 100 } });
    const sealed = await applySeal({ pdf: signedByJudge.bytes, signer: ca.signer('civil'), placement: { mode: 'fixed', page: 3, x: 380, y: 80 } });
    expect(sealed.bytes.subarray(0, signedByJudge.bytes.length).equals(signedByJudge.bytes)).toBe(true);
    const file = write('two-signatures.pdf', sealed.bytes);

    const checked = await pdfsig(file, join(dir, 'nss-court'), []);
    expect(checked.signatures.map((signature) => [signature.commonName, signature.valid, signature.trusted]), checked.output).toEqual([
      ['李明', true, true],
      ['民事审判庭专用章', true, true],
    ]);
    const report = await verifyPdf(sealed.bytes, anchors());
    expect(report.valid).toBe(true);
    expect(report.signatures.map((signature) => [signature.field, signature.changesAfter])).toEqual([
      ['Signature1', 'signatures-only'],
      ['Signature2', 'none'],
    ]);
  });

  it('detects one changed byte (pdfsig and our verifier) and a content change appended after signing', async () => {
    const sealed = await applySeal({ pdf: await judgmentPdf(), signer: ca.signer('court'), placement: { mode: 'fixed', page: 2, x: 380, y: 80 } });
    const tampered = Buffer.from(sealed.bytes);
    const at = tampered.indexOf('\n') + 2; // the binary comment on line 2: signed, but parsing does not depend on it
    tampered[at]! ^= 0x01;
    const checked = await pdfsig(write('tampered.pdf', tampered), join(dir, 'nss-court'), []);
    expect(checked.signatures[0]?.valid, checked.output).toBe(false);
    const report = await verifyPdf(tampered, anchors());
    expect(report.valid).toBe(false);
    expect(report.signatures[0]!.intact).toBe(false);

    // An edit appended as a later revision leaves the signed bytes intact but is not a signature.
    const layout = await pdfLayout(sealed.bytes);
    const edited = appendUpdate(sealed.bytes, { [layout.contents!]: '<< /Length 33 >>\nstream\nBT /F1 40 Tf 72 400 Td (X) Tj ET\nendstream' }, layout);
    const editedReport = await verifyPdf(edited, anchors());
    expect(editedReport.signatures[0]).toMatchObject({ intact: true, coversWholeDocument: false, changesAfter: 'other', valid: false });
  });
});

describe('sealing a PDF printed by Chromium (classic cross-reference table)', () => {
  it('gives signatures pdfsig accepts, one after another', async () => {
    const original = await chromiumPdf(dir);
    const once = await applySeal({ pdf: original, signer: ca.signer('judge-li'), placement: { mode: 'fixed', page: 1, x: 72, y: 72 } });
    const twice = await applySeal({ pdf: once.bytes, signer: ca.signer('court'), placement: { mode: 'fixed', page: 1, x: 300, y: 72 } });
    const file = write('chromium-sealed.pdf', twice.bytes);
    const checked = await pdfsig(file, join(dir, 'nss-court'), []);
    expect(checked.signatures.map((signature) => [signature.valid, signature.trusted]), checked.output).toEqual([
      [true, true],
      [true, true],
    ]);
    expect((await verifyPdf(twice.bytes, anchors())).valid).toBe(true);
    expect(await pdftotext(file)).toContain('被告拖欠货款');
  });
});

describe('refusals', () => {
  it('refuses encrypted and malformed PDFs with a coded reason', async () => {
    const signer = ca.signer('court');
    const placement = { mode: 'fixed', page: 1, x: 10, y: 10 } as const;
    expect((await refusal(applySeal({ pdf: await encryptedPdf(), signer, placement }))).code).toBe('DOCUMENT_ENCRYPTED');
    expect((await refusal(applySeal({ pdf: Buffer.from('this is not a PDF at all'), signer, placement }))).code).toBe('DOCUMENT_MALFORMED');
    const whole = await judgmentPdf();
    expect((await refusal(applySeal({ pdf: whole.subarray(0, Math.floor(whole.length / 2)), signer, placement }))).code).toBe('DOCUMENT_MALFORMED');
    const outside = await refusal(applySeal({ pdf: whole, signer, placement: { mode: 'fixed', page: 3, x: 10, y: 10 } }));
    expect(outside.code).toBe('VALIDATION_FAILED');
    expect(outside.details).toMatchObject({ fields: ['page'] });
  });

  it('refuses to sign with a revoked certificate, and reports earlier signatures by it as revoked', async () => {
    ca.issue({ id: 'clerk-wang', kind: 'person', name: '王芳', department: '书记员' });
    const signed = await applySeal({ pdf: await judgmentPdf(), signer: ca.signer('clerk-wang'), placement: { mode: 'fixed', page: 1, x: 72, y: 72 } });
    ca.revoke('clerk-wang', 'key compromise');
    expect(() => ca.signer('clerk-wang')).toThrowError(expect.objectContaining({ code: 'CERTIFICATE_REVOKED' }));
    const report = await verifyPdf(signed.bytes, anchors());
    expect(report.signatures[0]).toMatchObject({ intact: true, revoked: true, valid: false });
    expect(report.valid).toBe(false);
  });

  it('does not trust a certificate from another court’s CA', async () => {
    const other = new CourtCa(join(dir, 'other-ca'), randomBytes(32));
    other.init({ court: '上海市浦东新区人民法院', courtCode: '3101150000001' });
    other.issue({ id: 'court', kind: 'court-seal', name: '上海市浦东新区人民法院' });
    const signed = await applySeal({ pdf: await judgmentPdf(), signer: other.signer('court'), placement: { mode: 'fixed', page: 1, x: 72, y: 72 } });
    const report = await verifyPdf(signed.bytes, anchors());
    expect(report.signatures[0]).toMatchObject({ intact: true, trusted: false, valid: false });
  });
});
