// The court's own RFC 3161 TSA and PAdES-T signature timestamps, checked by independent tools:
// `openssl ts -verify` accepts our replies to `openssl ts -query` and the tokens we embed in PDFs;
// pdfsig still reports the timestamped signature valid; a token over other data is caught.
import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CourtCa } from '../../documents/ca/court-ca.ts';
import { toPem } from '../../documents/ca/x509.ts';
import { checkSignedData, CMS_OID } from '../../documents/signing/cms.ts';
import { openPdf } from '../../documents/signing/pdf-source.ts';
import { signPdf } from '../../documents/signing/sign-pdf.ts';
import { verifyPdf } from '../../documents/signing/verify-pdf.ts';
import { CourtTsa, TSA_CERTIFICATE_ID } from '../../documents/tsa/court-tsa.ts';
import { timestampSignedPdf } from '../../documents/tsa/stamp-signature.ts';
import { localTimestamper, timestamperFromConfig, type Timestamper } from '../../documents/tsa/timestamper.ts';
import { applySeal } from '../../documents/seal/apply-seal.ts';
import { createTimeStampRequest, parseTimeStampResponse } from '../../documents/tsa/tsp.ts';
import { judgmentPdf, pdfsig } from '../support/pdf-documents.ts';

const exec = promisify(execFile);
let dir: string;
let ca: CourtCa;
let tsa: CourtTsa;
const anchors = () => ({ roots: [ca.rootCertificate()], crls: [ca.crl()] });
const file = (name: string, bytes?: Buffer | string) => {
  const path = join(dir, name);
  if (bytes !== undefined) writeFileSync(path, bytes);
  return path;
};
const openssl = async (...args: string[]) => {
  const result = await exec('openssl', args).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? 'failed' }));
  return `${result.stdout}${result.stderr}`;
};
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecourt-tsa-'));
  ca = new CourtCa(join(dir, 'ca'), randomBytes(32));
  ca.init({ court: '北京市海淀区人民法院', courtCode: '1101080000001' });
  ca.issue({ id: 'court', kind: 'court-seal', name: '北京市海淀区人民法院' });
  tsa = new CourtTsa(ca);
  file('root.pem', toPem('CERTIFICATE', ca.rootCertificate()));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the court TSA answering RFC 3161 requests', () => {
  it('answers an `openssl ts -query` (with -cert) with a reply `openssl ts -verify` accepts against the court root', async () => {
    file('data.txt', '民事判决书 (2026)京0108民初1号');
    await openssl('ts', '-query', '-data', file('data.txt'), '-sha256', '-cert', '-out', file('query.tsq'));
    file('reply.tsr', tsa.respond(readFileSync(file('query.tsq'))));
    expect(await openssl('ts', '-verify', '-queryfile', file('query.tsq'), '-in', file('reply.tsr'), '-CAfile', file('root.pem'))).toContain('Verification: OK');
    expect(await openssl('ts', '-verify', '-data', file('data.txt'), '-in', file('reply.tsr'), '-CAfile', file('root.pem'))).toContain('Verification: OK');
    const text = await openssl('ts', '-reply', '-in', file('reply.tsr'), '-text');
    expect(text).toContain('Status: Granted.');
    expect(text).toMatch(/Nonce: 0x[0-9A-F]+/);
  });

  it('leaves the certificates out when the query does not ask for them; openssl verifies with the TSA certificate given', async () => {
    await openssl('ts', '-query', '-data', file('data.txt'), '-sha512', '-out', file('query-nocert.tsq'));
    file('reply-nocert.tsr', tsa.respond(readFileSync(file('query-nocert.tsq'))));
    expect(await openssl('ts', '-verify', '-queryfile', file('query-nocert.tsq'), '-in', file('reply-nocert.tsr'), '-CAfile', file('root.pem'))).not.toContain('Verification: OK');
    file('tsa.pem', readFileSync(join(dir, 'ca', 'certs', `${TSA_CERTIFICATE_ID}.crt`)));
    expect(await openssl('ts', '-verify', '-queryfile', file('query-nocert.tsq'), '-in', file('reply-nocert.tsr'), '-CAfile', file('root.pem'), '-untrusted', file('tsa.pem'))).toContain('Verification: OK');
  });

  it('signs with a court CA certificate whose only, critical, extended key usage is timeStamping', async () => {
    const text = await openssl('x509', '-in', file('tsa.pem'), '-noout', '-text');
    expect(text).toMatch(/X509v3 Extended Key Usage: critical\s+Time Stamping\n/);
    expect(ca.list().certificates.find((entry) => entry.id === TSA_CERTIFICATE_ID)?.kind).toBe('timestamping');
  });

  it('rejects (status 2, a TimeStampResp, not an exception) garbage, an unsupported hash, a wrong-length imprint, another policy', () => {
    const rejected = (request: Buffer) => parseTimeStampResponse(tsa.respond(request));
    expect(rejected(Buffer.from('not DER at all'))).toMatchObject({ status: 2 });
    expect(rejected(createTimeStampRequest({ algorithm: '1.3.14.3.2.26', hashedMessage: randomBytes(20) }))).toMatchObject({ status: 2, text: expect.stringContaining('unsupported hash') });
    expect(rejected(createTimeStampRequest({ hashedMessage: randomBytes(31) }))).toMatchObject({ status: 2, text: expect.stringContaining('length') });
    const withPolicy = Buffer.from(createTimeStampRequest({ hashedMessage: randomBytes(32) }));
    // A request naming policy 1.2.3 (inserted after the imprint) is refused: the court has one policy.
    const policy = Buffer.from([0x06, 0x02, 0x2a, 0x03]);
    const body = Buffer.concat([withPolicy.subarray(2), policy]);
    expect(rejected(Buffer.concat([Buffer.from([0x30, body.length]), body]))).toMatchObject({ status: 2, text: expect.stringContaining('policy') });
    expect(rejected(createTimeStampRequest({ hashedMessage: randomBytes(32) }))).toMatchObject({ status: 0, token: expect.any(Buffer) });
  });
});

describe('PAdES-T: a signature timestamp in a sealed PDF', () => {
  const timestamper = () => localTimestamper(tsa);

  it('in process while signing: pdfsig still finds the signature valid; verifyPdf reports the TSA time; openssl accepts the embedded token', async () => {
    const local = timestamper();
    const signed = signPdf({ source: await openPdf(await judgmentPdf()), signer: ca.signer('court'), page: 0, timestamp: (signature) => local.tokenSync(sha256(signature)) });
    const checked = await pdfsig(file('timestamped.pdf', signed.bytes), join(dir, 'nss-court'), [ca.rootCertificate()]);
    expect(checked.signatures[0], checked.output).toMatchObject({ valid: true, trusted: true, wholeDocument: true });

    const report = await verifyPdf(signed.bytes, anchors());
    expect(report.valid).toBe(true);
    const timestamp = report.signatures[0]!.timestamp!;
    expect(timestamp).toMatchObject({ imprintMatches: true, signatureValid: true, trusted: true, valid: true, tsa: '北京市海淀区人民法院 时间戳服务 TSA', problems: [] });
    expect(Math.abs(Date.parse(timestamp.time!) - signed.signingTime.getTime())).toBeLessThan(60_000);

    // The token, read back out of the PDF, is over the SHA-256 of the signature value (RFC 3161 appendix A).
    const [, gapStart, gapEnd] = signed.byteRange;
    const cms = checkSignedData(Buffer.from(signed.bytes.subarray(gapStart + 1, gapEnd - 1).toString('latin1'), 'hex'), []);
    file('embedded.tst', cms.unsignedAttributes.get(CMS_OID.signatureTimeStampToken)!);
    const digest = sha256(cms.signatureValue).toString('hex');
    expect(await openssl('ts', '-verify', '-digest', digest, '-token_in', '-in', file('embedded.tst'), '-CAfile', file('root.pem'))).toContain('Verification: OK');
  });

  it('after signing (the remote-TSA path): the signed bytes do not change and both verifiers accept it', async () => {
    const signed = signPdf({ source: await openPdf(await judgmentPdf()), signer: ca.signer('court'), page: 0 });
    const stamped = await timestampSignedPdf(signed, timestamper());
    const [, gapStart, gapEnd] = signed.byteRange;
    expect(stamped.bytes.subarray(0, gapStart).equals(signed.bytes.subarray(0, gapStart))).toBe(true);
    expect(stamped.bytes.subarray(gapEnd).equals(signed.bytes.subarray(gapEnd))).toBe(true);
    expect(stamped.bytes.equals(signed.bytes)).toBe(false);
    const checked = await pdfsig(file('stamped-after.pdf', stamped.bytes), join(dir, 'nss-court'), []);
    expect(checked.signatures[0], checked.output).toMatchObject({ valid: true, trusted: true });
    const report = await verifyPdf(stamped.bytes, anchors());
    expect(report.signatures[0]).toMatchObject({ valid: true, timestamp: { valid: true, imprintMatches: true } });
  });

  it('sealing with ECOURT_TSA=local timestamps every signature applySeal makes (keyword, every occurrence), all valid for pdfsig', async () => {
    expect(timestamperFromConfig('off', ca)).toBeUndefined();
    const timestamper = timestamperFromConfig('local', ca)!;
    expect(timestamper.source).toBe('local');
    const sealed = await applySeal({ pdf: await judgmentPdf(2), signer: ca.signer('court'), placement: { mode: 'keyword', keyword: '北京市海淀区人民法院', occurrence: 'all' }, timestamper });
    const report = await verifyPdf(sealed.bytes, anchors());
    expect(report.valid).toBe(true);
    expect(report.signatures.length).toBeGreaterThan(1);
    for (const signature of report.signatures) expect(signature.timestamp).toMatchObject({ valid: true, imprintMatches: true });
    const checked = await pdfsig(file('keyword-timestamped.pdf', sealed.bytes), join(dir, 'nss-court'), []);
    expect(checked.signatures.map((signature) => signature.valid), checked.output).toEqual(report.signatures.map(() => true));
  });

  it('catches a genuine court token that is over something else (imprint mismatch): the signature is no longer valid', async () => {
    const local = timestamper();
    // A TSA source that answers with a token for other data: the verifier under test must notice.
    const misdirected: Timestamper = { source: 'test', token: async () => local.token(sha256(Buffer.from('another signature'))) };
    const signed = signPdf({ source: await openPdf(await judgmentPdf()), signer: ca.signer('court'), page: 0 });
    const report = await verifyPdf((await timestampSignedPdf(signed, misdirected)).bytes, anchors());
    expect(report.valid).toBe(false);
    expect(report.signatures[0]).toMatchObject({ intact: true, valid: false, timestamp: { imprintMatches: false, signatureValid: true, valid: false } });
    expect(report.signatures[0]!.problems).toContain('timestamp: the timestamp is not over this signature (imprint mismatch)');
  });

  it('does not trust a token from another court’s TSA', async () => {
    const other = new CourtCa(join(dir, 'other-ca'), randomBytes(32));
    other.init({ court: '上海市浦东新区人民法院', courtCode: '3101150000001' });
    const foreign = localTimestamper(new CourtTsa(other));
    const signed = signPdf({ source: await openPdf(await judgmentPdf()), signer: ca.signer('court'), page: 0 });
    const report = await verifyPdf((await timestampSignedPdf(signed, foreign)).bytes, anchors());
    expect(report.signatures[0]).toMatchObject({ intact: true, trusted: true, valid: false, timestamp: { imprintMatches: true, trusted: false } });
  });
});
