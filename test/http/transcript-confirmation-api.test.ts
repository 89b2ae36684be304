// 笔录确认 end to end (issue 5, point 4): the whole platform in-process. The judge ends the demo
// hearing → the hub freezes the transcript as a version and submits it to the hearing actor; the
// frozen segments refuse edits; a party objects from its marks, the lawyer confirms, the judge
// corrects the segment → archived → the transcript with its confirmation list is filed with the
// case as a 庭审笔录 PDF sealed by the court (the embedded node's own CA), for members only. A second
// platform with a short deadline: the freeze finished by the start-up sweep after a stop (one version
// only), then the deadline archives with nobody reviewed — a transcript without a segment, which the
// template refuses, so it is filed as text.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { appendSegment, confirmSegment, editSegmentText, segmentsArray, segmentsOf } from '../../hub/collab/transcript-model.ts';
import { FREEZE_LABEL } from '../../hub/collab/transcript-freeze.ts';
import { startDemoPlatform, demoHearing, type DemoPlatform } from '../support/demo-platform.ts';
import { MANUAL_CHECK_NOTE } from '../support/hearing-flow.ts';
import { FaceService } from '../../models/face/face-service.ts';
import { turningFrames, TURN_SHARES } from '../support/face-checks.ts';
import { fixtureBytes, fixtureRaster } from '../support/face-images.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pdfsig, pdftotext } from '../support/pdf-documents.ts';
import { openCourtCa } from '../../documents/ca/open-court-ca.ts';

const WebSocketImpl = createRequire(import.meta.url)('ws') as unknown;
const USERS = ['judge1', 'clerk1', 'party1', 'lawyer1', 'party2'] as const;
type Username = (typeof USERS)[number];
const PASSED = { passed: true, camera: true, microphone: true, speaker: true, browserSupported: true, roundTripMs: 5, bandwidthKbps: 50_000 };
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** One demo platform with its hearing, logins and helpers. */
class Court {
  demo!: DemoPlatform;
  base = '';
  tokens: Record<string, string> = {};
  ids: Record<string, string> = {};
  seats: Record<string, string> = {};
  hearingId = '';
  caseId = '';
  providers: WebsocketProvider[] = [];

  async start(prefix: string, env: Record<string, string> = {}) {
    this.demo = await startDemoPlatform({ tempPrefix: prefix, env });
    this.base = this.demo.base;
    for (const username of USERS) {
      const { token, user } = await this.demo.logIn(username);
      this.tokens[username] = token;
      this.ids[username] = user.id;
    }
    ({ id: this.hearingId, caseId: this.caseId } = await demoHearing(this.base, this.tokens.judge1!));
    await waitFor(async () => (await this.live('judge1')).status === 200, 'the hearing actor');
    for (const username of ['judge1', 'clerk1', 'party1', 'lawyer1'] as const) this.seats[username] = (await this.live(username)).json.me.participantId;
  }

  async stop() {
    for (const provider of this.providers) provider.destroy();
    await this.demo?.stop();
  }

  async call(method: string, path: string, as: Username, body?: unknown) {
    const response = await fetch(this.base + path, {
      method,
      headers: { authorization: `Bearer ${this.tokens[as]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, json, text, headers: response.headers };
  }

  live = (as: Username) => this.call('GET', `/api/v1/hearings/${this.hearingId}/live`, as);
  command = async (as: Username, command: Record<string, unknown>) => {
    const answer = await this.call('POST', `/api/v1/hearings/${this.hearingId}/commands`, as, { v: 1, command });
    expect(answer.status, `${command.type}: ${answer.text}`).toBe(200);
    return answer;
  };
  transcriptPath = (suffix = '') => `/api/v1/hearings/${this.hearingId}/transcript${suffix}`;

  /** Party 1 and lawyer 1 sit in the hearing (so both review the transcript); the judge starts it. */
  async sit() {
    await this.command('clerk1', { type: 'OPEN_LOBBY' });
    for (const as of ['judge1', 'party1', 'lawyer1'] as const) {
      await this.command(as, { type: 'DEVICE_CHECKED', participantId: this.seats[as], result: PASSED });
      await this.command(as, { type: 'DECLARE_IDENTITY', participantId: this.seats[as], declaration: '本人确认身份属实。' });
    }
    await this.command('judge1', { type: 'JOIN_ROOM', participantId: this.seats.judge1 });
    for (const as of ['party1', 'lawyer1'] as const) {
      await this.command('judge1', { type: 'APPROVE_MANUAL_IDENTITY', participantId: this.seats[as], note: MANUAL_CHECK_NOTE });
      await this.command(as, { type: 'ENTER_WAITING', participantId: this.seats[as] });
      await this.command('judge1', { type: 'ADMIT', participantId: this.seats[as] });
    }
    await this.command('judge1', { type: 'START' });
    for (const as of ['party1', 'lawyer1'] as const) await this.command(as, { type: 'JOIN_ROOM', participantId: this.seats[as] });
  }

  async editor(as: Username): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
    const doc = new Y.Doc();
    const docName = `cases/${this.caseId}/hearings/${this.hearingId}/transcript`;
    const provider = new WebsocketProvider(`${this.base.replace('http', 'ws')}/yjs`, docName, doc, {
      params: { token: this.tokens[as]! },
      WebSocketPolyfill: WebSocketImpl as never,
      disableBc: true,
      maxBackoffTime: 200,
    });
    this.providers.push(provider);
    await waitFor(() => provider.synced, `${as} synced`);
    return { doc, provider };
  }

  serverText = (until: (body: { text: string; sha256: string; segmentCount: number }) => boolean) =>
    waitFor(async () => {
      const answer = await this.call('GET', this.transcriptPath(), 'clerk1');
      return answer.status === 200 && until(answer.json) ? (answer.json as { text: string; sha256: string; segmentCount: number }) : null;
    }, 'the server transcript');

  stateOf = (state: string) => waitFor(async () => ((await this.live('judge1')).json.hearing.state === state ? (await this.live('judge1')).json.hearing : null), `state ${state}`);
  freezeVersions = async () => (await this.call('GET', this.transcriptPath('/versions'), 'judge1')).json.versions.filter((v: any) => v.label === FREEZE_LABEL);
}

describe('transcript confirmation: review, objection, correction, filing', () => {
  const court = new Court();
  let segments: string[] = [];
  let frozen: { text: string; sha256: string };

  beforeAll(async () => {
    // Live face checks draw only head turns left here, which the test's frames make.
    await court.start('ecourt-transcript-confirm-', { ECOURT_LIVENESS_CHALLENGES: 'turnLeft', ECOURT_FACE_IMAGE_RETENTION_DAYS: '0' });
    await court.sit();
    const clerk = await court.editor('clerk1');
    const speaker = { participantId: court.seats.party1!, role: 'party', displayName: '陈静' };
    segments = [
      appendSegment(clerk.doc, { speaker, startMs: 0, endMs: 2000, text: '我方请求支付货款三千元。', source: 'human' }, { userId: court.ids.clerk1!, role: 'clerk' }),
      appendSegment(clerk.doc, { speaker, startMs: 2000, endMs: 4000, text: '以上是我方意见。', source: 'human' }, { userId: court.ids.clerk1!, role: 'clerk' }),
    ];
    await court.serverText((body) => body.segmentCount === 2);
  }, 180_000);

  afterAll(() => court.stop());

  it('freezes the transcript at END: one version, submitted with its hash and a deadline 72 hours on', async () => {
    await court.command('judge1', { type: 'END' });
    const hearing = await court.stateOf('transcriptConfirmation');
    frozen = await court.serverText(() => true);
    const versions = await court.freezeVersions();
    expect(versions).toHaveLength(1);
    expect(hearing.transcript).toMatchObject({ transcriptId: versions[0].id, sha256: frozen.sha256, archivedBecause: null });
    expect(frozen.sha256).toBe(sha256(frozen.text));
    expect(Date.parse(hearing.transcript.confirmBy) - Date.parse(hearing.transcript.submittedAt)).toBeGreaterThan(71.9 * 3600_000);
    const party = hearing.participants.find((p: any) => p.participantId === court.seats.party1);
    expect(party.transcriptReview).toEqual({ reviewedAt: null, objections: [] });
  });

  it('refuses segment edits once frozen, even the clerk’s, but takes a party’s own marks', async () => {
    const clerk = await court.editor('clerk1');
    await waitFor(() => segmentsOf(clerk.doc).length === 2, 'the clerk’s copy');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      editSegmentText(clerk.doc, segments[0]!, '我方请求支付货款三万元。', { userId: court.ids.clerk1!, role: 'clerk' });
      const message = await waitFor(() => warn.mock.calls.find((call) => String(call[0]).includes('FORBIDDEN_UPDATE'))?.[0], 'the refusal');
      expect(String(message)).toMatch(/frozen/);
    } finally {
      warn.mockRestore();
    }
    expect((await court.serverText(() => true)).sha256).toBe(frozen.sha256);
    expect(segmentsArray(clerk.doc).length).toBe(2);
    // Restoring a version would replace the frozen body: refused.
    const [version] = await court.freezeVersions();
    const restore = await court.call('POST', court.transcriptPath(`/versions/${version.id}/restore`), 'clerk1');
    expect(restore.status).toBe(409);
    expect(restore.json.error.code).toBe('INVALID_STATE');
  });

  it('a review without a note on an objection is refused; strangers and non-reviewers are refused', async () => {
    const party = await court.editor('party1');
    confirmSegment(party.doc, court.ids.party1!, segments[0]!, { status: 'objected', at: new Date().toISOString() });
    await waitFor(async () => (await court.call('POST', court.transcriptPath('/review'), 'party1')).status === 422, 'the refusal of a bare objection');
    expect((await court.call('POST', court.transcriptPath('/review'), 'party2')).status).toBe(404);
    // Objections come from the marks, not from a request body: the generic command route refuses them.
    const direct = await court.call('POST', `/api/v1/hearings/${court.hearingId}/commands`, 'party1', {
      v: 1,
      command: { type: 'OBJECT_TO_TRANSCRIPT', participantId: court.seats.party1, objections: [{ segmentId: 'made-up', note: 'x' }] },
    });
    expect(direct.status).toBe(422);
    const clerkReview = await court.call('POST', court.transcriptPath('/review'), 'clerk1');
    expect(clerkReview.status).toBe(409);
    expect(clerkReview.json.error.code).toBe('INVALID_STATE');
  });

  it('the party objects from its own marks, the lawyer confirms, the judge corrects: archived and filed', async () => {
    const party = await court.editor('party1');
    confirmSegment(party.doc, court.ids.party1!, segments[0]!, { status: 'objected', note: '我说的是三万元', at: new Date().toISOString() });
    confirmSegment(party.doc, court.ids.party1!, segments[1]!, { status: 'confirmed', at: new Date().toISOString() });
    const review = await waitFor(async () => {
      const answer = await court.call('POST', court.transcriptPath('/review'), 'party1');
      return answer.status === 200 ? answer.json : null;
    }, 'the party’s review');
    expect(review).toEqual({ confirmed: false, objections: [{ segmentId: segments[0], note: '我说的是三万元' }] });
    expect((await court.call('POST', court.transcriptPath('/review'), 'party1')).json.error.code).toBe('INVALID_STATE');
    // 刷脸确认: the lawyer has a face enrolment, so confirming needs a passed face check for this transcript first.
    const enrolled = await fetch(`${court.base}/api/v1/me/face-enrolment?source=selfie`, {
      method: 'POST',
      headers: { authorization: `Bearer ${court.tokens.lawyer1}`, 'content-type': 'image/png' },
      body: fixtureBytes('astronaut.png') as unknown as BodyInit,
    });
    expect(enrolled.status).toBe(201);
    const unchecked = await court.call('POST', court.transcriptPath('/review'), 'lawyer1');
    expect(unchecked.status).toBe(403);
    expect(unchecked.json.error).toMatchObject({ code: 'FACE_CHECK_REQUIRED', details: { purpose: { kind: 'transcript', hearingId: court.hearingId } } });
    const purpose = { kind: 'transcript', hearingId: court.hearingId };
    const { token } = (await court.call('POST', '/api/v1/me/face-checks/challenge', 'lawyer1', { purpose })).json;
    const faces = new FaceService();
    const frames = await turningFrames(faces, fixtureRaster('astronaut.png'), TURN_SHARES.turnLeft).finally(() => faces.close());
    const checked = await court.call('POST', '/api/v1/me/face-checks', 'lawyer1', { token, purpose, frames: frames.map((frame) => Buffer.from(frame).toString('base64')) });
    expect(checked.json).toMatchObject({ passed: true });
    expect((await court.call('POST', court.transcriptPath('/review'), 'lawyer1')).json).toEqual({ confirmed: true, objections: [] });
    expect((await court.live('judge1')).json.hearing.state).toBe('transcriptConfirmation');

    const resolvePath = court.transcriptPath('/objections/resolve');
    const correction = { participantId: court.seats.party1, segmentId: segments[0], decision: 'corrected', note: '经核对录音予以更正', text: '我方请求支付货款三万元。' };
    expect((await court.call('POST', resolvePath, 'clerk1', correction)).status).toBe(403);
    expect((await court.call('POST', resolvePath, 'judge1', { ...correction, segmentId: 'no-such-segment' })).json.error.code).toBe('VALIDATION_FAILED');
    expect((await court.call('POST', resolvePath, 'judge1', { ...correction, text: undefined })).status).toBe(422);
    const resolved = await court.call('POST', resolvePath, 'judge1', correction);
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.json.decision).toBe('corrected');

    const archived = await court.stateOf('archived');
    expect(archived.transcript).toMatchObject({ archivedBecause: 'allReviewed', notReviewedAtArchive: [] });
    const corrected = await court.serverText((body) => body.text.includes('三万元'));
    expect(resolved.json.sha256).toBe(corrected.sha256);

    const listing = await waitFor(async () => (await court.call('GET', `/api/v1/cases/${court.caseId}/documents`, 'party1')).json.documents?.find((d: any) => d.kind === 'hearingTranscript'), 'the filed transcript');
    expect(listing).toMatchObject({ kind: 'hearingTranscript', hearingId: court.hearingId, mimeType: 'application/pdf', verificationCode: expect.any(String) });
    expect(listing.details).toMatchObject({ transcriptVersionId: archived.transcript.transcriptId, frozenSha256: frozen.sha256, transcriptSha256: corrected.sha256, archivedBecause: 'allReviewed' });
    const byName = Object.fromEntries(listing.details.confirmations.map((entry: any) => [entry.participantId, entry]));
    expect(byName[court.seats.party1!]).toMatchObject({ role: 'party', status: 'objected', objections: [{ segmentId: segments[0], note: '我说的是三万元', resolution: { decision: 'corrected', note: '经核对录音予以更正' } }] });
    expect(byName[court.seats.lawyer1!]).toMatchObject({ role: 'lawyer', status: 'confirmed' });

    const content = await fetch(court.base + listing.contentPath, { headers: { authorization: `Bearer ${court.tokens.lawyer1}` } });
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await content.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(listing.sha256);
    expect(bytes.length).toBe(listing.sizeBytes);
    expect(content.headers.get('etag')).toBe(`"${listing.sha256}"`);
    // The PDF: the corrected segments with speaker and time, then the confirmation list; sealed by the court.
    const dir = mkdtempSync(join(tmpdir(), 'ecourt-transcript-pdf-'));
    try {
      writeFileSync(join(dir, 'transcript.pdf'), bytes);
      const text = (await pdftotext(join(dir, 'transcript.pdf'))).replace(/\s+/g, '');
      for (const expected of ['庭审笔录', '陈静：我方请求支付货款三万元。', '陈静：以上是我方意见。', '笔录确认情况', '提出异议/objected', '已更正/corrected', '已确认/confirmed']) expect(text).toContain(expected);
      const { signatures } = await pdfsig(join(dir, 'transcript.pdf'), join(dir, 'nss'), [openCourtCa(court.demo.platform.config).rootCertificate()]);
      expect(signatures).toHaveLength(1);
      expect(signatures[0]).toMatchObject({ valid: true, trusted: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // Members only: a litigant of another case learns nothing.
    expect((await court.call('GET', `/api/v1/cases/${court.caseId}/documents`, 'party2')).status).toBe(404);
    expect((await court.call('GET', listing.contentPath, 'party2')).status).toBe(404);
    // Filed once: a sweep (as at a restart) adds nothing.
    await court.demo.platform.hub!.transcriptConfirmation.sweep();
    expect((await court.call('GET', `/api/v1/cases/${court.caseId}/documents`, 'judge1')).json.documents.filter((d: any) => d.kind === 'hearingTranscript')).toHaveLength(1);
  });
});

describe('transcript confirmation: restart-safe freeze and the deadline', () => {
  const court = new Court();

  beforeAll(async () => {
    // 0.0005 h = 1.8 s for the parties to review.
    await court.start('ecourt-transcript-deadline-', { ECOURT_TRANSCRIPT_CONFIRM_HOURS: '0.0005' });
    await court.sit();
  }, 180_000);

  afterAll(() => court.stop());

  it('a hearing concluded while no follower ran is frozen and submitted once by the start-up sweep, then archived at the deadline', async () => {
    const follower = court.demo.platform.hub!.transcriptConfirmation;
    await follower.stop();
    await court.command('judge1', { type: 'END' });
    expect((await court.live('judge1')).json.hearing.state).toBe('concluded');
    expect(await court.freezeVersions()).toHaveLength(0);

    await follower.start();
    const hearing = await court.stateOf('transcriptConfirmation');
    await follower.sweep();
    const versions = await court.freezeVersions();
    expect(versions).toHaveLength(1);
    expect(hearing.transcript.transcriptId).toBe(versions[0].id);

    // Nobody reviews: the clock sends the deadline, the hearing is archived with both recorded as not reviewed.
    const archived = await court.stateOf('archived');
    expect(archived.transcript).toMatchObject({ archivedBecause: 'deadline' });
    expect([...archived.transcript.notReviewedAtArchive].sort()).toEqual([court.seats.party1, court.seats.lawyer1].sort());
    const listing = await waitFor(async () => (await court.call('GET', `/api/v1/cases/${court.caseId}/documents`, 'clerk1')).json.documents?.find((d: any) => d.kind === 'hearingTranscript'), 'the filed transcript');
    // Nobody said a word: the template refuses a transcript without segments, so the record is filed as text.
    expect(listing).toMatchObject({ mimeType: 'text/plain; charset=utf-8', verificationCode: null });
    expect(listing.details.confirmations.map((entry: any) => entry.status)).toEqual(['notReviewed', 'notReviewed']);
    const content = await court.call('GET', listing.contentPath, 'party1');
    expect(content.text).toContain('期限内未确认 / not reviewed by the deadline');
    expect(sha256(content.text)).toBe(listing.sha256);
  });
});
