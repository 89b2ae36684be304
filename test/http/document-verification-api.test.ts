// Public document verification over HTTP (issue 7, point 5), on real Postgres: a PDF sealed with the
// court's CA verifies valid and trusted; one changed byte breaks it; non-PDFs and oversized files get
// coded refusals; the ledger answer (kind and date only) follows the documents table; per-address limit.
// The 验证码: looked up by code however it is typed (lower case, no dashes, O for 0), unknown → 404 coded,
// malformed → 422, with a file → whether the file is the code's document; its own per-address limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { eq } from 'drizzle-orm';
import { startDemoPlatform, type DemoPlatform } from '../support/demo-platform.ts';
import { createTestDatabase } from '../support/services.ts';
import { judgmentPdf } from '../support/pdf-documents.ts';
import type { ScratchDatabase } from '../../storage/scratch-database.ts';
import { CourtCa } from '../../documents/ca/court-ca.ts';
import { applySeal } from '../../documents/seal/apply-seal.ts';
import { cases, documents } from '../../storage/schema.ts';
import { CODE_LOOKUPS_PER_ADDRESS_HOUR, MAX_VERIFY_DOCUMENT_BYTES, VERIFICATIONS_PER_ADDRESS_HOUR } from '../../hub/api/document-verification-routes.ts';
import { newVerificationCode } from '../../documents/verification/verification-code.ts';

const VERIFY = '/api/v1/documents/verify';
let scratch: ScratchDatabase;
let demo: DemoPlatform;
let caDir: string;
let sealed: Buffer;
/** Requests that reached the handler (and so the per-address limit). */
let requests = 0;

/** Code lookups that reached the handler (their own per-address limit). */
let lookups = 0;

async function lookUp(code: string) {
  const response = await fetch(`${demo.base}${VERIFY}/${encodeURIComponent(code)}`);
  if (response.status !== 422) lookups++;
  return { status: response.status, json: (await response.json()) as any };
}

/** A court document row carrying a verification code (as the stage hooks and the case-file builder issue them). */
async function issueWithCode(sha256: string) {
  const db = demo.platform.database.db;
  const [someCase] = await db.select({ id: cases.id }).from(cases).limit(1);
  const code = newVerificationCode();
  const [row] = await db
    .insert(documents)
    .values({ caseId: someCase!.id, kind: 'civilJudgment', title: '民事判决书', sha256, verificationCode: code, pageCount: 2, mimeType: 'application/pdf' })
    .returning({ id: documents.id });
  return { code, caseId: someCase!.id, id: row!.id, remove: () => db.delete(documents).where(eq(documents.id, row!.id)) };
}

async function verify(body: Uint8Array, type = 'application/pdf', code?: string) {
  const response = await fetch(demo.base + VERIFY + (code === undefined ? '' : `?code=${encodeURIComponent(code)}`), { method: 'POST', headers: { 'content-type': type }, body: body as BodyInit });
  // Refusals before the body is read (wrong type, too big) do not spend the address's budget.
  if (response.status !== 415 && response.status !== 413) requests++;
  return { status: response.status, json: (await response.json()) as any };
}

beforeAll(async () => {
  scratch = await createTestDatabase('ecourt_verify');
  caDir = mkdtempSync(join(tmpdir(), 'ecourt-verify-ca-'));
  // Verifying needs only the root and the CRL: the CA's key passphrase is this test's own.
  const ca = new CourtCa(join(caDir, 'ca'), randomBytes(32));
  ca.init({ court: '北京市海淀区人民法院', courtCode: '1101080000001' });
  ca.issue({ id: 'court', kind: 'court-seal', name: '北京市海淀区人民法院' });
  sealed = Buffer.from((await applySeal({ pdf: await judgmentPdf(), signer: ca.signer('court'), placement: { mode: 'fixed', page: 1, x: 380, y: 80 } })).bytes);
  demo = await startDemoPlatform({
    tempPrefix: 'ecourt-verify-api-',
    env: {
      DATABASE_URL: scratch.url,
      ECOURT_SECRET: randomBytes(32).toString('hex'),
      ECOURT_DATA_KEY: randomBytes(32).toString('hex'),
      ECOURT_SEED_DEMO: 'always',
      ECOURT_CA_DIR: join(caDir, 'ca'),
    },
  });
}, 180_000);

afterAll(async () => {
  await demo?.stop();
  await scratch?.drop();
  if (caDir) rmSync(caDir, { recursive: true, force: true });
});

describe('POST /api/v1/documents/verify (public)', () => {
  it('a PDF sealed by the court verifies without a session: valid, intact, trusted, its seal named, not changed after', async () => {
    const { status, json } = await verify(sealed);
    expect(status, JSON.stringify(json)).toBe(200);
    expect(json.sha256).toBe(createHash('sha256').update(sealed).digest('hex'));
    expect(json.valid).toBe(true);
    expect(json.changedAfterLastSignature).toBe(false);
    expect(json.signatures).toHaveLength(1);
    expect(json.signatures[0]).toMatchObject({ intact: true, trusted: true, revoked: false, valid: true, seal: 'court', problems: [] });
    expect(json.signatures[0].signer.commonName).toBe('北京市海淀区人民法院');
    expect(Date.parse(json.signatures[0].signingTime)).not.toBeNaN();
    expect(json.inLedger).toBe(false);
    expect(json.ledger).toBeNull();
  });

  it('one byte changed inside the signed range → not intact, not valid', async () => {
    const tampered = Buffer.from(sealed);
    // A byte halfway to the signature's /Contents: inside the signed range.
    const at = Math.floor(tampered.indexOf('/Contents <') / 2);
    tampered[at] = tampered[at]! ^ 0x01;
    const { status, json } = await verify(tampered);
    expect(status).toBe(200);
    expect(json.valid).toBe(false);
    expect(json.signatures[0].intact).toBe(false);
    expect(json.signatures[0].problems.join(' ')).toMatch(/digest mismatch|does not verify/);
  });

  it('a PDF without signatures: no signatures, not valid, changedAfterLastSignature null', async () => {
    const { status, json } = await verify(await judgmentPdf(1));
    expect(status).toBe(200);
    expect(json).toMatchObject({ valid: false, signatures: [], changedAfterLastSignature: null, inLedger: false });
  });

  it('another media type → 415; bytes that are not a PDF → DOCUMENT_MALFORMED; over 20 MB → 413', async () => {
    const text = await verify(Buffer.from('not a pdf'), 'text/plain');
    expect(text.status).toBe(415);
    expect(text.json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const png = await verify(Buffer.from('\x89PNG\r\n\x1a\n0000', 'latin1'));
    expect(png.status).toBe(422);
    expect(png.json.error.code).toBe('DOCUMENT_MALFORMED');
    const big = await verify(Buffer.concat([sealed, Buffer.alloc(MAX_VERIFY_DOCUMENT_BYTES + 1 - sealed.length, 0x20)]));
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('inLedger once the court has recorded the file (kind and date only, no case or parties), false otherwise', async () => {
    const db = demo.platform.database.db;
    const [someCase] = await db.select({ id: cases.id }).from(cases).limit(1);
    const sha256 = createHash('sha256').update(sealed).digest('hex');
    const [row] = await db.insert(documents).values({ caseId: someCase!.id, kind: 'civilJudgment', title: '民事判决书', sha256 }).returning({ id: documents.id });
    try {
      const { json } = await verify(sealed);
      expect(json.inLedger).toBe(true);
      expect(json.ledger).toEqual({ kind: 'civilJudgment', issuedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), matched: 'file' });
      expect(JSON.stringify(json)).not.toContain(someCase!.id);
      // An evidence file with the same bytes is the parties' own, not issued by the court.
      await db.update(documents).set({ kind: 'evidence' }).where(eq(documents.id, row!.id));
      expect((await verify(sealed)).json.inLedger).toBe(false);
    } finally {
      await db.delete(documents).where(eq(documents.id, row!.id));
    }
  });

  it('the signed revision counts: a court document signed again by someone else is still found', async () => {
    const db = demo.platform.database.db;
    const [someCase] = await db.select({ id: cases.id }).from(cases).limit(1);
    const other = new CourtCa(join(caDir, 'other'), randomBytes(32));
    other.init({ court: '某某公司', courtCode: '0000000000000' });
    other.issue({ id: 'company', kind: 'court-seal', name: '某某公司' });
    const again = Buffer.from((await applySeal({ pdf: sealed, signer: other.signer('company'), placement: { mode: 'fixed', page: 2, x: 72, y: 72 } })).bytes);
    const [row] = await db.insert(documents).values({ caseId: someCase!.id, kind: 'civilJudgment', title: '民事判决书', sha256: createHash('sha256').update(sealed).digest('hex') }).returning({ id: documents.id });
    try {
      const { json } = await verify(again);
      expect(json.signatures).toHaveLength(2);
      expect(json.signatures.map((s: { trusted: boolean }) => s.trusted)).toEqual([true, false]);
      expect(json).toMatchObject({ inLedger: true, ledger: { matched: 'signed-revision' }, changedAfterLastSignature: false });
    } finally {
      await db.delete(documents).where(eq(documents.id, row!.id));
    }
  });

  it('with ?code=: the file that is the code\'s document matches; another file does not; an unknown code → 404 coded', async () => {
    const sha256 = createHash('sha256').update(sealed).digest('hex');
    const issued = await issueWithCode(sha256);
    try {
      const same = await verify(sealed, 'application/pdf', issued.code.toLowerCase());
      expect(same.status, JSON.stringify(same.json)).toBe(200);
      expect(same.json.byCode).toEqual({ matches: true, document: expect.objectContaining({ code: issued.code, kind: 'civilJudgment', sha256, pageCount: 2 }) });
      const other = await verify(await judgmentPdf(1), 'application/pdf', issued.code);
      expect(other.status).toBe(200);
      expect(other.json.byCode.matches).toBe(false);
      expect(JSON.stringify(other.json)).not.toContain(issued.caseId);
      expect((await verify(sealed)).json.byCode).toBeNull();
      const unknown = await verify(sealed, 'application/pdf', newVerificationCode());
      expect(unknown.status).toBe(404);
      expect(unknown.json.error.code).toBe('VERIFICATION_CODE_UNKNOWN');
    } finally {
      await issued.remove();
    }
  });

  it(`at most ${VERIFICATIONS_PER_ADDRESS_HOUR} verifications an hour from one address → RATE_LIMITED`, async () => {
    const garbage = Buffer.from('%PDF-1.7 nothing else');
    while (requests < VERIFICATIONS_PER_ADDRESS_HOUR) expect((await verify(garbage)).status).toBe(422);
    const refused = await verify(garbage);
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('RATE_LIMITED');
    expect(refused.json.error.details.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('GET /api/v1/documents/verify/:code (public)', () => {
  it('answers kind, title, date, current SHA-256 and page count — never the case', async () => {
    const sha256 = createHash('sha256').update(sealed).digest('hex');
    const issued = await issueWithCode(sha256);
    try {
      const { status, json } = await lookUp(issued.code);
      expect(status, JSON.stringify(json)).toBe(200);
      expect(json).toEqual({ code: issued.code, kind: 'civilJudgment', title: '民事判决书', issuedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), sha256, mimeType: 'application/pdf', pageCount: 2, bundleSha256: null });
      expect(JSON.stringify(json)).not.toContain(issued.caseId);
    } finally {
      await issued.remove();
    }
  });

  it('the code as people type it: lower case, without dashes, with spaces, O for 0 and I/L for 1', async () => {
    const issued = await issueWithCode(createHash('sha256').update('typed').digest('hex'));
    try {
      const bare = issued.code.replace(/-/g, '');
      const looksAlike = bare.replace(/0/g, 'o').replace(/1/g, 'l');
      for (const typed of [issued.code.toLowerCase(), bare, `${bare.slice(0, 8)} ${bare.slice(8)}`, looksAlike]) {
        const { status, json } = await lookUp(typed);
        expect(status, typed).toBe(200);
        expect(json.code).toBe(issued.code);
      }
    } finally {
      await issued.remove();
    }
  });

  it('unknown code → 404 VERIFICATION_CODE_UNKNOWN; not a code → 422 VALIDATION_FAILED; evidence is never found by code', async () => {
    const unknown = await lookUp(newVerificationCode());
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('VERIFICATION_CODE_UNKNOWN');
    expect(unknown.json.error.message).toMatch(/验证码/);
    const malformed = await lookUp('ABC-123');
    expect(malformed.status).toBe(422);
    expect(malformed.json.error.code).toBe('VALIDATION_FAILED');
    const issued = await issueWithCode(createHash('sha256').update('evidence').digest('hex'));
    try {
      await demo.platform.database.db.update(documents).set({ kind: 'evidence' }).where(eq(documents.id, issued.id));
      expect((await lookUp(issued.code)).status).toBe(404);
    } finally {
      await issued.remove();
    }
  });

  it(`at most ${CODE_LOOKUPS_PER_ADDRESS_HOUR} lookups an hour from one address → RATE_LIMITED`, async () => {
    while (lookups < CODE_LOOKUPS_PER_ADDRESS_HOUR) expect((await lookUp(newVerificationCode())).status).toBe(404);
    const refused = await lookUp(newVerificationCode());
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('RATE_LIMITED');
  });
});
