import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { allowedCaseCommands } from '../../actors/case/allowed-case-commands.ts';
import { caseMachine, type CaseEvent } from '../../actors/case/case.machine.ts';
import { CASE_STATES, type CaseCommandType, type CaseState } from '../../actors/case/case.protocol.ts';

const CASE_ID = '0b7f4a4e-8d0e-4a57-9d0e-7c1f2b3a4d5e';
const COURT_ID = '5a0e2f7c-1d3b-4c5e-8f9a-0b1c2d3e4f50';
const by = { userId: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a', role: 'judge' };
const H1 = '11111111-1111-4111-8111-111111111111';
const H2 = '22222222-2222-4222-8222-222222222222';

function eventOf(type: CaseCommandType, hearingId = H1): CaseEvent {
  switch (type) {
    case 'FILE':
      return {
        type,
        by: { userId: by.userId, role: 'party' },
        filing: {
          courtId: COURT_ID,
          cause: '民间借贷纠纷',
          claims: '判令被告偿还借款',
          claimAmount: '12000.50',
          facts: '',
          plaintiffs: [{ name: '张三', kind: 'person', idNumberSealed: 'pd1.a.b.c' }],
          defendants: [{ name: '李四', kind: 'person' }],
        },
      };
    case 'ACCEPT':
      return { type, by, caseNumber: '(2026)京0105民初123号' };
    case 'REJECT':
      return { type, by, reasons: ['不属于本院管辖'] };
    case 'SCHEDULE_HEARING':
      return { type, by, hearingId, startsAt: '2026-12-01T09:00:00+08:00', courtroom: '第三法庭' };
    case 'RECORD_HEARING_HELD':
      return { type, by, hearingId };
    case 'ISSUE_JUDGMENT':
    case 'SETTLE_BY_MEDIATION':
      return { type, by, summary: '双方达成一致' };
    case 'WITHDRAW':
      return { type, by, reason: '双方已和解' };
    default:
      return { type, by };
  }
}

/** The shortest way to each state, as commands from a new case. */
const PATHS: Record<CaseState, CaseCommandType[]> = {
  draft: [],
  filed: ['FILE'],
  underReview: ['FILE', 'BEGIN_REVIEW'],
  accepted: ['FILE', 'BEGIN_REVIEW', 'ACCEPT'],
  rejected: ['FILE', 'BEGIN_REVIEW', 'REJECT'],
  hearingScheduled: ['FILE', 'BEGIN_REVIEW', 'ACCEPT', 'SCHEDULE_HEARING'],
  heard: ['FILE', 'BEGIN_REVIEW', 'ACCEPT', 'SCHEDULE_HEARING', 'RECORD_HEARING_HELD'],
  judgmentIssued: ['FILE', 'BEGIN_REVIEW', 'ACCEPT', 'SCHEDULE_HEARING', 'RECORD_HEARING_HELD', 'ISSUE_JUDGMENT'],
  served: ['FILE', 'BEGIN_REVIEW', 'ACCEPT', 'SCHEDULE_HEARING', 'RECORD_HEARING_HELD', 'ISSUE_JUDGMENT', 'RECORD_SERVICE'],
  closed: ['FILE', 'BEGIN_REVIEW', 'ACCEPT', 'SCHEDULE_HEARING', 'RECORD_HEARING_HELD', 'ISSUE_JUDGMENT', 'RECORD_SERVICE', 'CLOSE'],
  archived: ['FILE', 'BEGIN_REVIEW', 'ACCEPT', 'SCHEDULE_HEARING', 'RECORD_HEARING_HELD', 'ISSUE_JUDGMENT', 'RECORD_SERVICE', 'CLOSE', 'ARCHIVE'],
  withdrawn: ['FILE', 'WITHDRAW'],
  mediationSettled: ['FILE', 'BEGIN_REVIEW', 'ACCEPT', 'SETTLE_BY_MEDIATION'],
};

/** Every legal transition of the case process (the specification, written out by hand). */
const LEGAL: Array<[CaseState, CaseCommandType, CaseState]> = [
  ['draft', 'FILE', 'filed'],
  ['filed', 'BEGIN_REVIEW', 'underReview'],
  ['filed', 'WITHDRAW', 'withdrawn'],
  ['underReview', 'ACCEPT', 'accepted'],
  ['underReview', 'REJECT', 'rejected'],
  ['underReview', 'WITHDRAW', 'withdrawn'],
  ['accepted', 'SCHEDULE_HEARING', 'hearingScheduled'],
  ['accepted', 'WITHDRAW', 'withdrawn'],
  ['accepted', 'SETTLE_BY_MEDIATION', 'mediationSettled'],
  ['hearingScheduled', 'RECORD_HEARING_HELD', 'heard'],
  ['hearingScheduled', 'WITHDRAW', 'withdrawn'],
  ['hearingScheduled', 'SETTLE_BY_MEDIATION', 'mediationSettled'],
  ['heard', 'SCHEDULE_HEARING', 'hearingScheduled'],
  ['heard', 'ISSUE_JUDGMENT', 'judgmentIssued'],
  ['heard', 'WITHDRAW', 'withdrawn'],
  ['heard', 'SETTLE_BY_MEDIATION', 'mediationSettled'],
  ['judgmentIssued', 'RECORD_SERVICE', 'served'],
  ['served', 'CLOSE', 'closed'],
  ['withdrawn', 'CLOSE', 'closed'],
  ['mediationSettled', 'CLOSE', 'closed'],
  ['closed', 'ARCHIVE', 'archived'],
];

const ALL_COMMANDS = Object.keys({
  FILE: 1, BEGIN_REVIEW: 1, ACCEPT: 1, REJECT: 1, SCHEDULE_HEARING: 1, RECORD_HEARING_HELD: 1,
  ISSUE_JUDGMENT: 1, RECORD_SERVICE: 1, CLOSE: 1, ARCHIVE: 1, WITHDRAW: 1, SETTLE_BY_MEDIATION: 1,
} satisfies Record<CaseCommandType, 1>) as CaseCommandType[];

function caseIn(state: CaseState) {
  const actor = createActor(caseMachine, { input: { id: CASE_ID } }).start();
  for (const type of PATHS[state]) actor.send(eventOf(type));
  expect(actor.getSnapshot().value).toBe(state);
  return actor;
}

describe('case machine', () => {
  it('has exactly the states of the protocol', () => {
    expect(Object.keys(caseMachine.states).sort()).toEqual([...CASE_STATES].sort());
  });

  it('starts as a draft with an empty context for its id', () => {
    const snapshot = createActor(caseMachine, { input: { id: CASE_ID } }).start().getSnapshot();
    expect(snapshot.value).toBe('draft');
    expect(snapshot.context).toMatchObject({ caseId: CASE_ID, caseNumber: null, parties: [], hearings: [], historyLength: 0 });
  });

  it.each(LEGAL)('%s —%s→ %s', (from, type, to) => {
    const actor = caseIn(from);
    const before = actor.getSnapshot().context.historyLength;
    // From 'heard' a further hearing needs a new id: the first one is already held.
    const event = eventOf(type, from === 'heard' ? H2 : H1);
    expect(actor.getSnapshot().can(event)).toBe(true);
    actor.send(event);
    expect(actor.getSnapshot().value).toBe(to);
    expect(actor.getSnapshot().context.historyLength).toBe(before + 1);
    actor.stop();
  });

  it.each(CASE_STATES)('refuses every command with no transition from %s, leaving the case unchanged', (state) => {
    const legalHere = new Set(LEGAL.filter(([from]) => from === state).map(([, type]) => type));
    for (const type of ALL_COMMANDS.filter((command) => !legalHere.has(command))) {
      const actor = caseIn(state);
      const before = actor.getSnapshot();
      expect(before.can(eventOf(type, H2))).toBe(false);
      // A finished actor is not sent anything (XState would only warn); an active one ignores it.
      if (before.status === 'active') actor.send(eventOf(type, H2));
      expect(actor.getSnapshot().value).toBe(state);
      expect(actor.getSnapshot().context).toBe(before.context);
      actor.stop();
    }
  });

  it('allowedCaseCommands matches the legal transitions of every state', () => {
    for (const state of CASE_STATES) {
      const expected = LEGAL.filter(([from]) => from === state).map(([, type]) => type).sort();
      expect(allowedCaseCommands(state).sort()).toEqual(expected);
    }
  });

  it.each(['rejected', 'archived'] as const)('%s is final: the actor is done and takes nothing more', (state) => {
    const actor = caseIn(state);
    expect(actor.getSnapshot().status).toBe('done');
    for (const type of ALL_COMMANDS) expect(actor.getSnapshot().can(eventOf(type))).toBe(false);
  });

  it('closed, withdrawn and settled cases are not final (they still close or archive)', () => {
    for (const state of ['closed', 'withdrawn', 'mediationSettled'] as const) expect(caseIn(state).getSnapshot().status).toBe('active');
  });

  it('records filing, acceptance and hearings in the context', () => {
    const actor = caseIn('heard');
    const { context } = actor.getSnapshot();
    expect(context).toMatchObject({
      courtId: COURT_ID,
      cause: '民间借贷纠纷',
      claimAmount: '12000.50',
      caseNumber: '(2026)京0105民初123号',
      courtCode: '京0105',
      filedBy: { role: 'party' },
      hearings: [{ hearingId: H1, courtroom: '第三法庭', held: true }],
      historyLength: 5,
    });
    expect(context.parties.map((party) => [party.side, party.name])).toEqual([
      ['plaintiff', '张三'],
      ['defendant', '李四'],
    ]);
    expect(context.parties[0]?.idNumberSealed).toBe('pd1.a.b.c');
  });

  it('a hearing can be held only once and only if scheduled; a new hearing needs a new id', () => {
    const scheduled = caseIn('hearingScheduled');
    expect(scheduled.getSnapshot().can(eventOf('RECORD_HEARING_HELD', H2))).toBe(false);
    const heard = caseIn('heard');
    expect(heard.getSnapshot().can(eventOf('SCHEDULE_HEARING', H1))).toBe(false);
    heard.send(eventOf('SCHEDULE_HEARING', H2));
    heard.send(eventOf('RECORD_HEARING_HELD', H1));
    expect(heard.getSnapshot().value).toBe('hearingScheduled');
    heard.send(eventOf('RECORD_HEARING_HELD', H2));
    expect(heard.getSnapshot().value).toBe('heard');
    expect(heard.getSnapshot().context.hearings.map((hearing) => hearing.held)).toEqual([true, true]);
  });

  it('keeps the reasons of a rejection, withdrawal and the closing summary', () => {
    expect(caseIn('rejected').getSnapshot().context.rejectionReasons).toEqual(['不属于本院管辖']);
    expect(caseIn('withdrawn').getSnapshot().context.withdrawalReason).toBe('双方已和解');
    expect(caseIn('mediationSettled').getSnapshot().context.closingSummary).toBe('双方达成一致');
  });

  it('restores from a persisted snapshot (JSON round trip) to the same state and context', () => {
    const actor = caseIn('heard');
    const persisted = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    const restored = createActor(caseMachine, { snapshot: persisted, input: { id: CASE_ID } }).start();
    expect(restored.getSnapshot().value).toBe('heard');
    expect(restored.getSnapshot().context).toEqual(actor.getSnapshot().context);
    restored.send(eventOf('ISSUE_JUDGMENT'));
    expect(restored.getSnapshot().value).toBe('judgmentIssued');
  });
});
