// The optional SM2/SM3 profile (`ecourt ca issue --profile sm2`): a seal whose key is SM2 signs with SM3
// and the GB/T 32918 Z value; OpenSSL's CMS verifier (an independent SM2 implementation) accepts it,
// our verifier accepts it and catches tampering; pdfsig (NSS) cannot check SM2 at all.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CourtCa } from '../../documents/ca/court-ca.ts';
import { signatureProfileOf, toPem } from '../../documents/ca/x509.ts';
import { applySeal } from '../../documents/seal/apply-seal.ts';
import { verifyPdf } from '../../documents/signing/verify-pdf.ts';
import { AppError } from '../../platform/errors.ts';
import { judgmentPdf, pdfsig } from '../support/pdf-documents.ts';

const exec = promisify(execFile);
let dir: string;
let ca: CourtCa;
const anchors = () => ({ roots: [ca.rootCertificate()], crls: [ca.crl()] });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecourt-sm2-'));
  ca = new CourtCa(join(dir, 'ca'), randomBytes(32));
  ca.init({ court: '北京市海淀区人民法院', courtCode: '1101080000001' });
  ca.issue({ id: 'court-sm2', kind: 'court-seal', name: '北京市海淀区人民法院', profile: 'sm2' });
  writeFileSync(join(dir, 'root.pem'), toPem('CERTIFICATE', ca.rootCertificate()));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SM2/SM3 seal certificates', () => {
  it('issues an SM2 key under the court root and records the profile', () => {
    const signer = ca.signer('court-sm2');
    expect(signer.entry.profile).toBe('sm2');
    expect(signatureProfileOf(signer.certificate)).toBe('sm2');
  });

  it('seals with an SM2/SM3 CMS signature that openssl cms -verify and our verifier accept, and pdfsig cannot check', async () => {
    const sealed = await applySeal({ pdf: await judgmentPdf(), signer: ca.signer('court-sm2'), placement: { mode: 'fixed', page: 1, x: 380, y: 80 } });
    const report = await verifyPdf(sealed.bytes, anchors());
    expect(report.valid).toBe(true);
    expect(report.signatures[0]).toMatchObject({ intact: true, trusted: true, problems: [] });

    const [start, gapStart, gapEnd, tail] = sealed.byteRange;
    writeFileSync(join(dir, 'content.bin'), Buffer.concat([sealed.bytes.subarray(start, gapStart), sealed.bytes.subarray(gapEnd, gapEnd + tail)]));
    const hex = sealed.bytes.subarray(gapStart + 1, gapEnd - 1).toString('latin1').replace(/(00)+$/, '');
    writeFileSync(join(dir, 'signature.p7s'), Buffer.from(hex, 'hex'));
    const { stderr } = await exec('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'signature.p7s'), '-content', join(dir, 'content.bin'), '-CAfile', join(dir, 'root.pem'), '-purpose', 'any', '-out', '/dev/null']);
    expect(stderr).toContain('CMS Verification successful');
    const printed = (await exec('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(dir, 'signature.p7s')])).stdout;
    expect(printed).toContain('sm3');

    // NSS has no SM2: pdfsig reports the signature as not validated — the reason this profile is optional.
    writeFileSync(join(dir, 'sealed-sm2.pdf'), sealed.bytes);
    const again = await pdfsig(join(dir, 'sealed-sm2.pdf'), join(dir, 'nss'));
    expect(again.signatures[0]?.valid, again.output).toBe(false);

    // One byte of the binary comment after the header (inside the signed range, harmless to parsing).
    const tampered = Buffer.from(sealed.bytes);
    const comment = tampered.indexOf('\n%') + 2;
    tampered[comment] = tampered[comment]! ^ 0x01;
    const broken = await verifyPdf(tampered, anchors());
    expect(broken.signatures[0]).toMatchObject({ intact: false, valid: false });
    expect(broken.signatures[0]!.problems).toContain('the signed bytes were changed (digest mismatch)');
  });

  it('refuses the SM2 profile for the TSA certificate (its tokens must verify with common tools) and an unknown profile', () => {
    for (const [kind, profile] of [['timestamping', 'sm2'], ['court-seal', 'rsa']] as const) {
      let error: unknown;
      try {
        ca.issue({ id: `bad-${kind}`, kind, name: 'x', profile: profile as 'sm2' });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).details).toMatchObject({ fields: ['profile'] });
    }
  });
});
