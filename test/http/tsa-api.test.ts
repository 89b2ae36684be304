// The court's RFC 3161 TSA over HTTP (POST /api/v1/tsa, public): `openssl ts -query` bytes in, a reply
// `openssl ts -verify` accepts out; wrong media types and oversized bodies refused before reading; the
// HTTP timestamper (ECOURT_TSA=<url>) timestamps a sealed PDF through it.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CourtCa } from '../../documents/ca/court-ca.ts';
import { toPem } from '../../documents/ca/x509.ts';
import { openPdf } from '../../documents/signing/pdf-source.ts';
import { signPdf } from '../../documents/signing/sign-pdf.ts';
import { verifyPdf } from '../../documents/signing/verify-pdf.ts';
import { timestampSignedPdf } from '../../documents/tsa/stamp-signature.ts';
import { httpTimestamper } from '../../documents/tsa/timestamper.ts';
import { MAX_TIMESTAMP_QUERY_BYTES } from '../../hub/api/tsa-route.ts';
import { AppError } from '../../platform/errors.ts';
import { startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { judgmentPdf } from '../support/pdf-documents.ts';

const exec = promisify(execFile);
const TSA = '/api/v1/tsa';
let dir: string;
let ca: CourtCa;
let demo: DemoPlatform;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ecourt-tsa-api-'));
  // The hub unlocks the CA's keys with its data key: the CA is made with the same one.
  const dataKey = randomBytes(32).toString('hex');
  ca = new CourtCa(join(dir, 'ca'), Buffer.from(dataKey, 'hex'));
  ca.init({ court: '北京市海淀区人民法院', courtCode: '1101080000001' });
  ca.issue({ id: 'court', kind: 'court-seal', name: '北京市海淀区人民法院' });
  writeFileSync(join(dir, 'root.pem'), toPem('CERTIFICATE', ca.rootCertificate()));
  demo = await startDemoPlatform({ tempPrefix: 'ecourt-tsa-hub-', env: { ECOURT_DATA_KEY: dataKey, ECOURT_CA_DIR: join(dir, 'ca') } });
}, 180_000);

afterAll(async () => {
  await demo?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('POST /api/v1/tsa (public RFC 3161 TSA)', () => {
  it('answers an openssl query without a session; openssl verifies the reply against the court root', async () => {
    writeFileSync(join(dir, 'data.txt'), '传票');
    await exec('openssl', ['ts', '-query', '-data', join(dir, 'data.txt'), '-sha256', '-cert', '-out', join(dir, 'q.tsq')]);
    const response = await fetch(demo.base + TSA, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: readFileSync(join(dir, 'q.tsq')) as BodyInit });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/timestamp-reply');
    writeFileSync(join(dir, 'r.tsr'), Buffer.from(await response.arrayBuffer()));
    const { stdout } = await exec('openssl', ['ts', '-verify', '-queryfile', join(dir, 'q.tsq'), '-in', join(dir, 'r.tsr'), '-CAfile', join(dir, 'root.pem')]);
    expect(stdout).toContain('Verification: OK');
  });

  it('refuses another media type (415) and a body larger than any TimeStampReq (413)', async () => {
    const json = await fetch(demo.base + TSA, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
    const big = await fetch(demo.base + TSA, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: new Uint8Array(MAX_TIMESTAMP_QUERY_BYTES + 1) });
    expect(big.status).toBe(413);
  });

  it('timestamps a sealed PDF through the HTTP timestamper (ECOURT_TSA=<url>), and the result verifies', async () => {
    const signed = signPdf({ source: await openPdf(await judgmentPdf()), signer: ca.signer('court'), page: 0 });
    const stamped = await timestampSignedPdf(signed, httpTimestamper(demo.base + TSA));
    const report = await verifyPdf(stamped.bytes, { roots: [ca.rootCertificate()], crls: [ca.crl()] });
    expect(report.signatures[0]).toMatchObject({ valid: true, timestamp: { valid: true, imprintMatches: true, tsa: '北京市海淀区人民法院 时间戳服务 TSA' } });
  });

  it('reports a URL that answers no TimeStampResp (a 404, a JSON page) as TSA_UNAVAILABLE', async () => {
    for (const url of [demo.base + '/api/v1/no-tsa-here', demo.base + '/healthz']) {
      const error = await httpTimestamper(url)
        .token(randomBytes(32))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('TSA_UNAVAILABLE');
    }
  });
});
