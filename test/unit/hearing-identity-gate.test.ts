// The hearing's identity gate (身份核验): a party enters the waiting room only after a passed live
// face check (IDENTITY_VERIFIED from the server) or the judge's manual check; re-checks during the
// hearing raise and clear an alert; hearings journalled before the gate replay without it.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createInProcessBus } from '../../actors/bus/in-process-bus.ts';
import { createHearingBehaviour, hearingSummaryOf, HEARING_KIND } from '../../actors/hearing/hearing-behaviour.ts';
import { hearingCommand, hearingSummary, SYSTEM_SENDER } from '../../actors/hearing/hearing.protocol.ts';
import { ActorHost } from '../../actors/runtime/actor-host.ts';
import { actorAddress } from '../../actors/runtime/types.ts';
import { awaitsIdentityCheck, entryStage, identityStatus, mayApproveManually, type RoomParticipant } from '../../web-components/src/hearing-room/controls.ts';
import { MemoryJournal } from '../support/memory-journal.ts';
import {
  CASE_ID,
  CLERK_A,
  COURT_A,
  EVERYONE,
  FACE_CHECK_ID,
  JUDGE,
  LAWYER_A,
  MANUAL_CHECK_NOTE,
  OBSERVER,
  PARTY_A,
  PARTY_B,
  PASSED_CHECK,
  T0,
  TestHearing,
  bring,
  openHearing,
  senderOf,
} from '../support/hearing-fixtures.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A party who passed the device check and declared, but whose identity nobody has verified yet. */
function declared(hearing: TestHearing, participant = PARTY_A): void {
  hearing.as(participant, 'DEVICE_CHECKED', { result: PASSED_CHECK });
  hearing.as(participant, 'DECLARE_IDENTITY', { declaration: '本人确认身份' });
}

const seat = (hearing: TestHearing, participantId: string): RoomParticipant => {
  const record = hearing.context.participants[participantId];
  if (!record) throw new Error(`${participantId} is not in the hearing`);
  return record;
};

describe('the identity gate in the hearing machine', () => {
  it('refuses the waiting room to a party without a verified identity, with its own code, and changes nothing', () => {
    const hearing = openHearing();
    declared(hearing);
    const before = hearing.actor.getSnapshot();
    const refusal = hearing.about(PARTY_A, 'ENTER_WAITING');
    expect(refusal).toMatchObject({ code: 'IDENTITY_NOT_VERIFIED', reason: expect.stringContaining('verify your identity') });
    expect(hearing.actor.getSnapshot()).toBe(before);
    expect(hearing.status(PARTY_A)).toBe('identityChecked');
    hearing.stop();
  });

  it('admits to the waiting list after a passed face check the server reports', () => {
    const hearing = openHearing();
    declared(hearing);
    expect(hearing.about(PARTY_A, 'IDENTITY_VERIFIED', { checkId: FACE_CHECK_ID, method: 'face' })).toBeNull();
    expect(hearing.context.participants[PARTY_A.participantId]?.identityCheck).toEqual({ method: 'face', at: new Date(T0).toISOString(), checkId: FACE_CHECK_ID });
    expect(hearing.about(PARTY_A, 'ENTER_WAITING')).toBeNull();
    expect(hearing.status(PARTY_A)).toBe('waiting');
    hearing.stop();
  });

  it('admits to the waiting list after the judge’s manual check, keeping who and why on the server only', () => {
    const hearing = openHearing();
    declared(hearing, LAWYER_A);
    expect(hearing.about(LAWYER_A, 'APPROVE_MANUAL_IDENTITY', { note: MANUAL_CHECK_NOTE })).toBeNull();
    expect(hearing.context.participants[LAWYER_A.participantId]?.identityCheck).toEqual({ method: 'manual', at: new Date(T0).toISOString(), by: JUDGE.accountId, note: MANUAL_CHECK_NOTE });
    hearing.as(LAWYER_A, 'ENTER_WAITING');
    const summary = hearingSummary.parse(hearingSummaryOf(hearing.context));
    expect(summary.identityGate).toBe(true);
    expect(summary.participants.find((p) => p.participantId === LAWYER_A.participantId)).toMatchObject({ identityCheck: { method: 'manual' }, identityAlert: null });
    expect(JSON.stringify(summary)).not.toContain(MANUAL_CHECK_NOTE);
    hearing.stop();
  });

  it('the verification may come before the declaration, and before the lobby opens', () => {
    const hearing = new TestHearing();
    hearing.send('SCHEDULE', { userId: CLERK_A.accountId, role: 'clerk' });
    expect(hearing.about(PARTY_A, 'IDENTITY_VERIFIED')).toBeNull();
    declared(hearing);
    hearing.send('OPEN_LOBBY', senderOf(CLERK_A));
    expect(hearing.about(PARTY_A, 'ENTER_WAITING')).toBeNull();
    hearing.stop();
  });

  it('only the server reports a face check and only the judge approves by hand; never for court staff', () => {
    const hearing = openHearing();
    declared(hearing);
    expect(hearing.try('IDENTITY_VERIFIED', senderOf(PARTY_A), { participantId: PARTY_A.participantId })?.code).toBe('FORBIDDEN');
    expect(hearing.try('IDENTITY_VERIFIED', senderOf(JUDGE), { participantId: PARTY_A.participantId })?.code).toBe('FORBIDDEN');
    expect(hearing.try('APPROVE_MANUAL_IDENTITY', senderOf(CLERK_A), { participantId: PARTY_A.participantId })?.code).toBe('FORBIDDEN');
    expect(hearing.try('APPROVE_MANUAL_IDENTITY', senderOf(PARTY_A), { participantId: PARTY_A.participantId })?.code).toBe('FORBIDDEN');
    expect(hearing.try('APPROVE_MANUAL_IDENTITY', SYSTEM_SENDER, { participantId: PARTY_A.participantId })?.code).toBe('FORBIDDEN');
    expect(hearing.try('APPROVE_MANUAL_IDENTITY', senderOf(JUDGE), { participantId: 'nobody' })?.code).toBe('NOT_A_PARTICIPANT');
    expect(hearing.about(CLERK_A, 'APPROVE_MANUAL_IDENTITY')?.code).toBe('INVALID_STATE');
    expect(hearing.context.participants[PARTY_A.participantId]?.identityCheck).toBeNull();
    hearing.stop();
  });

  it('validates the commands: a check id is a uuid, a note says something, outcomes are known', () => {
    const by = SYSTEM_SENDER;
    const participantId = PARTY_A.participantId;
    expect(hearingCommand.safeParse({ type: 'IDENTITY_VERIFIED', by, participantId, checkId: 'x', method: 'face' }).success).toBe(false);
    expect(hearingCommand.safeParse({ type: 'IDENTITY_VERIFIED', by, participantId, checkId: FACE_CHECK_ID, method: 'manual' }).success).toBe(false);
    expect(hearingCommand.safeParse({ type: 'APPROVE_MANUAL_IDENTITY', by, participantId, note: ' ' }).success).toBe(false);
    expect(hearingCommand.safeParse({ type: 'APPROVE_MANUAL_IDENTITY', by, participantId, note: 'x'.repeat(1001) }).success).toBe(false);
    expect(hearingCommand.safeParse({ type: 'IDENTITY_RECHECKED', by, participantId, checkId: FACE_CHECK_ID, outcome: 'maybe' }).success).toBe(false);
    expect(hearingCommand.safeParse({ type: 'IDENTITY_RECHECKED', by, participantId, checkId: FACE_CHECK_ID, outcome: 'mismatch', distance: 0.71 }).success).toBe(true);
  });

  it('judge and clerk enter on their declaration alone; a dismissed party cannot be verified again', () => {
    const hearing = openHearing();
    expect(hearing.status(JUDGE)).toBe('inRoom');
    expect(hearing.context.participants[JUDGE.participantId]?.identityCheck).toBeNull();
    bring(hearing, PARTY_B, 'dismissed');
    expect(hearing.about(PARTY_B, 'IDENTITY_VERIFIED')?.code).toBe('INVALID_STATE');
    expect(hearing.about(PARTY_B, 'APPROVE_MANUAL_IDENTITY')?.code).toBe('INVALID_STATE');
    hearing.stop();
  });

  it('a re-check that does not match raises an alert while the party is present; a later match clears it', () => {
    const hearing = openHearing();
    declared(hearing);
    expect(hearing.about(PARTY_A, 'IDENTITY_RECHECKED', { outcome: 'mismatch' })?.code).toBe('INVALID_STATE');
    bring(hearing, OBSERVER, 'inRoom');
    const otherCheck = randomUUID();
    expect(hearing.about(OBSERVER, 'IDENTITY_RECHECKED', { checkId: otherCheck, outcome: 'severalFaces', distance: 0.3 })).toBeNull();
    expect(hearing.context.participants[OBSERVER.participantId]?.identityAlert).toEqual({ at: new Date(T0).toISOString(), outcome: 'severalFaces', checkId: otherCheck });
    expect(hearingSummaryOf(hearing.context).participants.find((p) => p.participantId === OBSERVER.participantId)?.identityAlert).toMatchObject({ outcome: 'severalFaces' });
    expect(hearing.try('IDENTITY_RECHECKED', senderOf(JUDGE), { participantId: OBSERVER.participantId, checkId: otherCheck, outcome: 'match' })?.code).toBe('FORBIDDEN');
    expect(hearing.about(OBSERVER, 'IDENTITY_RECHECKED', { outcome: 'match' })).toBeNull();
    expect(hearing.context.participants[OBSERVER.participantId]?.identityAlert).toBeNull();
    expect(hearing.status(OBSERVER)).toBe('inRoom');
    hearing.stop();
  });
});

describe('the hearing room’s view of the gate (controls.ts) agrees with the machine', () => {
  it('shows the identity check stage, the status on the judge’s list and the manual approval the judge may give', () => {
    const hearing = openHearing();
    declared(hearing);
    const party = seat(hearing, PARTY_A.participantId);
    const judge = seat(hearing, JUDGE.participantId);
    expect(entryStage(party, 'inSession', true)).toBe('identityCheck');
    expect(entryStage(party, 'inSession', false)).toBe('acknowledge');
    expect(awaitsIdentityCheck(judge, true)).toBe(false);
    expect(identityStatus(party)).toBe('notYet');
    expect(identityStatus(judge)).toBe('staff');
    expect(mayApproveManually(judge, party, 'inSession')).toBe(true);
    expect(mayApproveManually(party, party, 'inSession')).toBe(false);
    expect(mayApproveManually(judge, judge, 'inSession')).toBe(false);
    hearing.about(PARTY_A, 'APPROVE_MANUAL_IDENTITY');
    expect(identityStatus(seat(hearing, PARTY_A.participantId))).toBe('manual');
    expect(mayApproveManually(judge, seat(hearing, PARTY_A.participantId), 'inSession')).toBe(false);
    hearing.as(PARTY_A, 'ENTER_WAITING');
    hearing.send('ADMIT', senderOf(JUDGE), { participantId: PARTY_A.participantId });
    hearing.as(PARTY_A, 'JOIN_ROOM');
    hearing.about(PARTY_A, 'IDENTITY_RECHECKED', { outcome: 'mismatch' });
    expect(identityStatus(seat(hearing, PARTY_A.participantId))).toBe('alert');
    hearing.stop();
  });
});

describe('the identity gate in the actor host', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  function host(journal: MemoryJournal) {
    const bus = createInProcessBus();
    const created = new ActorHost({ nodeId: 'n1', journal, bus, behaviours: [createHearingBehaviour()], shardCount: 4 });
    const stop = async () => {
      await created.stop();
      await bus.close();
    };
    cleanups.push(stop);
    return { host: created, stop };
  }

  const schedule = (extra: Record<string, unknown> = {}) => ({
    type: 'SCHEDULE',
    by: senderOf(CLERK_A),
    caseId: CASE_ID,
    courtId: COURT_A,
    courtroom: '第三法庭',
    startsAt: new Date(Date.now() + 3 * 86400_000).toISOString(),
    participants: EVERYONE,
    ...extra,
  });
  const party = { by: senderOf(PARTY_A), participantId: PARTY_A.participantId };
  const walkToTheDoor = [
    { type: 'OPEN_LOBBY', by: senderOf(CLERK_A) },
    { type: 'DEVICE_CHECKED', ...party, result: PASSED_CHECK },
    { type: 'DECLARE_IDENTITY', ...party, declaration: '本人确认' },
  ];

  it('stamps the gate into every SCHEDULE — a scheduler cannot switch it off — and refuses with IDENTITY_NOT_VERIFIED', async () => {
    vi.useRealTimers();
    const journal = new MemoryJournal();
    const { host: hub } = host(journal);
    const ref = { kind: HEARING_KIND, id: randomUUID() };
    expect(await hub.handle(ref, schedule({ identityGate: false }))).toMatchObject({ ok: true });
    expect(journal.recordsOf(ref)[0]?.event).toMatchObject({ type: 'SCHEDULE', identityGate: true });
    for (const command of walkToTheDoor) expect(await hub.handle(ref, command), command.type).toMatchObject({ ok: true });
    expect(await hub.handle(ref, { type: 'ENTER_WAITING', ...party })).toMatchObject({ ok: false, error: { code: 'IDENTITY_NOT_VERIFIED' } });
    expect(await hub.handle(ref, { type: 'IDENTITY_VERIFIED', by: SYSTEM_SENDER, participantId: PARTY_A.participantId, checkId: FACE_CHECK_ID, method: 'face' })).toMatchObject({ ok: true });
    expect(await hub.handle(ref, { type: 'ENTER_WAITING', ...party })).toMatchObject({ ok: true });
  });

  it('replays a hearing journalled before the gate as it was: its parties entered on their declaration', async () => {
    vi.useRealTimers();
    const journal = new MemoryJournal();
    const ref = { kind: HEARING_KIND, id: randomUUID() };
    const first = host(journal);
    expect(await first.host.handle(ref, schedule())).toMatchObject({ ok: true });
    await first.stop();
    // What an old journal holds: a SCHEDULE without the gate.
    const [record] = journal.records.get(actorAddress(ref)) ?? [];
    delete (record!.event as Record<string, unknown>).identityGate;
    const second = host(journal);
    for (const command of [...walkToTheDoor, { type: 'ENTER_WAITING', ...party }]) expect(await second.host.handle(ref, command), command.type).toMatchObject({ ok: true });
    await second.stop();
    const third = host(journal);
    const reply = await third.host.handle(ref, { type: 'ADMIT', by: senderOf(JUDGE), participantId: PARTY_A.participantId });
    expect(reply).toMatchObject({ ok: true, seq: 6 });
    if (!reply.ok) throw new Error('refused');
    expect(hearingSummary.parse(reply.summary)).toMatchObject({ identityGate: false });
  });
});
