// The hearing's transcript phase (笔录确认): reviews, objections, the judge's resolutions, the
// deadline and the early archive, driven the way the behaviour drives the machine (refusal first).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hearingSummaryOf } from '../../actors/hearing/hearing-behaviour.ts';
import { SYSTEM_SENDER } from '../../actors/hearing/hearing.protocol.ts';
import { CLERK_A, JUDGE, LAWYER_A, OBSERVER, PARTY_A, PARTY_B, T0, TestHearing, bring, openHearing, senderOf } from '../support/hearing-fixtures.ts';

const SHA = 'a'.repeat(64);
const HOUR = 3600_000;

/** Party A, lawyer A and an observer sat in the hearing; it ended and the server submitted the frozen transcript. */
function underReview(confirmBy: string | null = new Date(Date.now() + 72 * HOUR).toISOString()): TestHearing {
  const hearing = openHearing(false);
  for (const participant of [PARTY_A, LAWYER_A, OBSERVER]) bring(hearing, participant, 'inRoom');
  hearing.send('START', senderOf(JUDGE));
  hearing.send('END', senderOf(JUDGE));
  hearing.send('SUBMIT_TRANSCRIPT', SYSTEM_SENDER, { transcriptId: 'version-1', sha256: SHA, ...(confirmBy ? { confirmBy } : {}) });
  expect(hearing.state).toBe('transcriptConfirmation');
  return hearing;
}

const objectAs = (hearing: TestHearing, participant = PARTY_A, segmentId = 'seg-1') =>
  hearing.try('OBJECT_TO_TRANSCRIPT', senderOf(participant), { participantId: participant.participantId, objections: [{ segmentId, note: '我说的是三万元' }] });
const resolve = (hearing: TestHearing, decision: 'corrected' | 'dismissed', by = senderOf(JUDGE), segmentId = 'seg-1', participant = PARTY_A) =>
  hearing.try('RESOLVE_OBJECTION', by, { participantId: participant.participantId, segmentId, decision, note: '已核对录音' });

beforeEach(() => {
  vi.useFakeTimers({ now: T0 + 2 * HOUR });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('hearing machine: transcript confirmation', () => {
  it('records the frozen version, its hash and the deadline, and tells clients who reviews', () => {
    const hearing = underReview();
    expect(hearing.context).toMatchObject({ transcriptId: 'version-1', transcriptSha256: SHA, confirmBy: new Date(T0 + 74 * HOUR).toISOString() });
    const summary = hearingSummaryOf(hearing.context);
    expect(summary.transcript).toMatchObject({ transcriptId: 'version-1', sha256: SHA, archivedBecause: null });
    const reviews = Object.fromEntries(summary.participants.map((p) => [p.participantId, p.transcriptReview]));
    expect(reviews[PARTY_A.participantId]).toEqual({ reviewedAt: null, objections: [] });
    expect(reviews[OBSERVER.participantId]).toBeNull();
    expect(reviews[PARTY_B.participantId]).toBeNull();
  });

  it('archives once every reviewer confirmed', () => {
    const hearing = underReview();
    expect(hearing.about(PARTY_A, 'CONFIRM_TRANSCRIPT')).toBeNull();
    expect(hearing.state).toBe('transcriptConfirmation');
    expect(hearing.about(LAWYER_A, 'CONFIRM_TRANSCRIPT')).toBeNull();
    expect(hearing.state).toBe('archived');
    expect(hearing.context).toMatchObject({ archivedBecause: 'allReviewed', unconfirmedAtArchive: [], notReviewedAtArchive: [] });
    expect(hearing.effects.at(-1)).toEqual({ type: 'hearing.archive', transcriptId: 'version-1' });
  });

  it('an objection holds the archive until the judge resolves it; the objector is recorded as not confirming', () => {
    const hearing = underReview();
    expect(objectAs(hearing)).toBeNull();
    expect(hearing.about(LAWYER_A, 'CONFIRM_TRANSCRIPT')).toBeNull();
    expect(hearing.state).toBe('transcriptConfirmation');
    const party = hearingSummaryOf(hearing.context).participants.find((p) => p.participantId === PARTY_A.participantId)!;
    expect(party.transcriptReview?.objections).toEqual([{ segmentId: 'seg-1', note: '我说的是三万元', at: new Date(Date.now()).toISOString(), resolution: null }]);
    expect(resolve(hearing, 'corrected')).toBeNull();
    expect(hearing.state).toBe('archived');
    expect(hearing.context.archivedBecause).toBe('allReviewed');
    expect(hearing.context.unconfirmedAtArchive).toEqual([PARTY_A.participantId]);
    expect(hearing.context.participants[PARTY_A.participantId]!.transcriptObjections![0]!.resolution).toMatchObject({ decision: 'corrected', by: JUDGE.accountId });
  });

  it('waits for every objection: resolving one of two keeps the hearing open', () => {
    const hearing = underReview();
    expect(hearing.try('OBJECT_TO_TRANSCRIPT', senderOf(PARTY_A), { participantId: PARTY_A.participantId, objections: [{ segmentId: 's1', note: 'x' }, { segmentId: 's2', note: 'y' }] })).toBeNull();
    hearing.about(LAWYER_A, 'CONFIRM_TRANSCRIPT');
    expect(resolve(hearing, 'dismissed', senderOf(JUDGE), 's1')).toBeNull();
    expect(hearing.state).toBe('transcriptConfirmation');
    expect(resolve(hearing, 'corrected', senderOf(JUDGE), 's2')).toBeNull();
    expect(hearing.state).toBe('archived');
  });

  it('refuses: a second review, a reviewer who did not attend, someone else’s review, a duplicate segment', () => {
    const hearing = underReview();
    expect(hearing.about(OBSERVER, 'CONFIRM_TRANSCRIPT')?.code).toBe('INVALID_STATE');
    expect(hearing.about(PARTY_B, 'CONFIRM_TRANSCRIPT')?.code).toBe('INVALID_STATE');
    expect(hearing.try('CONFIRM_TRANSCRIPT', senderOf(LAWYER_A), { participantId: PARTY_A.participantId })?.code).toBe('FORBIDDEN');
    expect(hearing.try('OBJECT_TO_TRANSCRIPT', senderOf(PARTY_A), { participantId: PARTY_A.participantId, objections: [{ segmentId: 's', note: 'a' }, { segmentId: 's', note: 'b' }] })?.code).toBe('VALIDATION_FAILED');
    expect(objectAs(hearing)).toBeNull();
    expect(hearing.about(PARTY_A, 'CONFIRM_TRANSCRIPT')).toMatchObject({ code: 'INVALID_STATE', reason: 'you have already reviewed the transcript' });
    expect(objectAs(hearing)?.code).toBe('INVALID_STATE');
  });

  it('refuses resolutions: unknown objection, not the judge, twice, before the phase', () => {
    const early = openHearing(true);
    expect(resolve(early, 'dismissed')?.code).toBe('VALIDATION_FAILED');
    early.stop();
    const hearing = underReview();
    expect(resolve(hearing, 'dismissed')?.code).toBe('VALIDATION_FAILED');
    objectAs(hearing);
    expect(resolve(hearing, 'dismissed', senderOf(CLERK_A))?.code).toBe('FORBIDDEN');
    expect(resolve(hearing, 'dismissed', SYSTEM_SENDER)?.code).toBe('FORBIDDEN');
    expect(resolve(hearing, 'dismissed', senderOf(JUDGE), 'seg-other')?.code).toBe('VALIDATION_FAILED');
    expect(resolve(hearing, 'dismissed')).toBeNull();
    expect(resolve(hearing, 'corrected')).toMatchObject({ code: 'INVALID_STATE', reason: 'this objection is already resolved' });
  });

  it('the deadline archives with who had not reviewed recorded; only the server, only once it passed', () => {
    const hearing = underReview();
    objectAs(hearing);
    expect(hearing.try('CONFIRMATION_DEADLINE_PASSED', SYSTEM_SENDER)?.code).toBe('INVALID_STATE');
    vi.advanceTimersByTime(72 * HOUR);
    expect(hearing.try('CONFIRMATION_DEADLINE_PASSED', senderOf(JUDGE))?.code).toBe('FORBIDDEN');
    expect(hearing.try('CONFIRMATION_DEADLINE_PASSED', SYSTEM_SENDER)).toBeNull();
    expect(hearing.state).toBe('archived');
    expect(hearing.context).toMatchObject({
      archivedBecause: 'deadline',
      notReviewedAtArchive: [LAWYER_A.participantId],
      unconfirmedAtArchive: [PARTY_A.participantId, LAWYER_A.participantId],
    });
    expect(hearingSummaryOf(hearing.context).transcript).toMatchObject({ archivedBecause: 'deadline', notReviewedAtArchive: [LAWYER_A.participantId] });
  });

  it('without a deadline only the judge or clerk closes it early', () => {
    const hearing = underReview(null);
    vi.advanceTimersByTime(1000 * HOUR);
    expect(hearing.try('CONFIRMATION_DEADLINE_PASSED', SYSTEM_SENDER)?.code).toBe('INVALID_STATE');
    expect(hearing.try('ARCHIVE', senderOf(PARTY_A))?.code).toBe('FORBIDDEN');
    expect(hearing.try('ARCHIVE', senderOf(CLERK_A))).toBeNull();
    expect(hearing.context).toMatchObject({ archivedBecause: 'closedByCourt', notReviewedAtArchive: [PARTY_A.participantId, LAWYER_A.participantId] });
  });

  it('the clerk or judge may still submit by hand; a party may not', () => {
    const hearing = openHearing(true);
    hearing.send('END', senderOf(JUDGE));
    expect(hearing.try('SUBMIT_TRANSCRIPT', senderOf(PARTY_A), { transcriptId: 'v' })?.code).toBe('FORBIDDEN');
    expect(hearing.try('SUBMIT_TRANSCRIPT', senderOf(CLERK_A), { transcriptId: 'v' })).toBeNull();
    expect(hearing.try('SUBMIT_TRANSCRIPT', SYSTEM_SENDER, { transcriptId: 'v2' })?.code).toBe('INVALID_STATE');
  });
});
