// The filing review actor (网上立案审查) in a real ActorHost on an in-memory journal, with the court,
// rule set, prior filings and third-party checks given (not looked up) and the real rule engine:
// each decision of a submission, who may decide on a filing and how, a correction resubmitted, the
// acceptance recorded only by the system, identifiers never journalled in clear, and a replay that
// rebuilds the review without evaluating again.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessBus } from '../../actors/bus/in-process-bus.ts';
import { createFilingBehaviour, type FilingReviewDeps } from '../../actors/filing/filing-behaviour.ts';
import { filingReviewMachine, type FilingContext } from '../../actors/filing/filing-review.machine.ts';
import { addDays } from '../../actors/filing/filing-review-outcome.ts';
import { FILING_SYSTEM_SENDER } from '../../actors/filing/filing.protocol.ts';
import { ActorHost } from '../../actors/runtime/actor-host.ts';
import type { CommandReply } from '../../actors/runtime/types.ts';
import type { ThirdPartyCheckResult } from '../../hub/filings/checks/third-party-checks.ts';
import { filingFingerprint, type PriorFiling } from '../../models/filing-rules/evaluate.ts';
import { courtToday, type FilingInput } from '../../models/filing-rules/filing.ts';
import { DEFAULT_RULE_SET } from '../../models/filing-rules/rule-set.ts';
import { SAMPLE_COURT, sampleFiling } from '../../models/filing-rules/samples.ts';
import { createPersonalDataCipher } from '../../platform/personal-data.ts';
import { MemoryJournal } from '../support/memory-journal.ts';

const COURT_ID = SAMPLE_COURT.courtId;
const OTHER_COURT_ID = '7b1e2f7c-1d3b-4c5e-8f9a-0b1c2d3e4f51';
const party = { userId: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a', role: 'party' };
const otherParty = { userId: '2e8d7c6b-5a49-4382-9170-6f5e4d3c2b1c', role: 'party' };
const clerk = { userId: '1e8d7c6b-5a49-4382-9170-6f5e4d3c2b1b', role: 'clerk' };
const otherClerk = { userId: '3e8d7c6b-5a49-4382-9170-6f5e4d3c2b1d', role: 'clerk' };
const STAFF: Record<string, string> = { [clerk.userId]: COURT_ID, [otherClerk.userId]: OTHER_COURT_ID };

interface World {
  host: ActorHost;
  journal: MemoryJournal;
  deps: FilingReviewDeps;
  prior: PriorFiling[];
  checks: ThirdPartyCheckResult[];
  evaluations: number;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function world(journal = new MemoryJournal()): World {
  const bus = createInProcessBus();
  const state: World = { journal, prior: [], checks: [], evaluations: 0 } as unknown as World;
  state.deps = {
    cipher: createPersonalDataCipher(randomBytes(32)),
    courtContext: async (courtId) => (courtId === COURT_ID ? SAMPLE_COURT : null),
    ruleSetOf: async () => {
      state.evaluations += 1;
      return DEFAULT_RULE_SET;
    },
    priorFilings: async () => state.prior,
    thirdPartyChecks: async () => state.checks,
    staffCourtOf: async (userId) => STAFF[userId] ?? null,
    checkFilingReferences: async ({ courtId }) => ({ courtKnown: courtId === COURT_ID, unknownUserIds: [] }),
  };
  state.host = new ActorHost({ nodeId: 'n1', journal, bus, behaviours: [createFilingBehaviour(state.deps)], shardCount: 4 });
  cleanups.push(async () => {
    await state.host.stop();
    await bus.close();
  });
  return state;
}

const ref = () => ({ kind: 'filing', id: randomUUID() });
const submit = (filing: FilingInput, by = party) => ({ type: 'SUBMIT', by, filing });
const contextOf = (reply: CommandReply) => {
  if (!reply.ok) throw new Error(`refused: ${reply.error.code} ${reply.error.message}`);
  return reply.context as unknown as FilingContext;
};
const codeOf = (reply: CommandReply) => (reply.ok ? 'ok' : reply.error.code);

const creditCard = () => sampleFiling('creditCard', COURT_ID);

describe('filing review: a submission is decided by the rules at once', () => {
  it('a clean filing of an auto-accepted cause is autoAccepted, with fee and trace journalled', async () => {
    const w = world();
    const reply = await w.host.handle(ref(), submit(creditCard()));
    expect(reply).toMatchObject({ ok: true, state: 'autoAccepted', summary: { decision: 'autoAccept', courtId: COURT_ID } });
    const context = contextOf(reply);
    expect(context.review?.evaluation.fee.fee).toBeTruthy();
    expect(context.review?.evaluation.trace.every((result) => result.outcome === 'pass' || result.outcome === 'notApplicable')).toBe(true);
    expect(context.reasons).toEqual([]);
  });

  it('a cause not on the auto-accept list goes to a clerk, with the reason', async () => {
    const w = world();
    const context = contextOf(await w.host.handle(ref(), submit(sampleFiling('labourRemuneration', COURT_ID))));
    expect(context.review?.decision).toBe('needsClerk');
    expect(context.reasons.map((reason) => reason.ruleId)).toContain('autoAcceptCause');
  });

  it('an uncertain third-party check sends an otherwise clean filing to a clerk, the check in the trace', async () => {
    const w = world();
    w.checks = [{ check: 'realNameStatus', party: 'defendants.0', outcome: 'uncertain', source: 'test', detail: {}, checkedAt: new Date().toISOString() }];
    const reply = await w.host.handle(ref(), submit(creditCard()));
    expect(reply).toMatchObject({ ok: true, state: 'needsClerk' });
    const context = contextOf(reply);
    expect(context.review?.evaluation.trace.find((result) => result.ruleId === 'check.realNameStatus')).toMatchObject({ outcome: 'uncertain', consequence: 'clerk', fields: ['defendants.0'] });
  });

  it('a defective filing is returned with the fields to fix and a deadline', async () => {
    const w = world();
    const filing = creditCard();
    filing.materials = filing.materials.filter((material) => material.type !== 'complaint');
    const reply = await w.host.handle(ref(), submit(filing));
    expect(reply).toMatchObject({ ok: true, state: 'returned' });
    const context = contextOf(reply);
    expect(context.correction?.fields.some((field) => field.startsWith('materials'))).toBe(true);
    expect(context.correction?.deadline).toBe(addDays(courtToday(), 15));
    expect(context.reasons.map((reason) => reason.ruleId)).toContain('materials');
  });

  it('the same dispute filed again after its acceptance is rejected as a duplicate, with the legal basis', async () => {
    const w = world();
    w.prior = [{ id: randomUUID(), fingerprint: filingFingerprint(creditCard()), caseNumber: '(2026)京0105民初1号', status: 'accepted', submittedAt: new Date().toISOString() }];
    const reply = await w.host.handle(ref(), submit(creditCard()));
    expect(reply).toMatchObject({ ok: true, state: 'rejected' });
    const [reason] = contextOf(reply).reasons;
    expect(reason).toMatchObject({ ruleId: 'duplicate' });
    expect(reason!.legalBasis).toContain('第一百二十七条');
  });

  it('an unknown court is refused before anything is journalled; a second SUBMIT is refused without a second evaluation', async () => {
    const w = world();
    expect(codeOf(await w.host.handle(ref(), submit({ ...creditCard(), courtId: OTHER_COURT_ID })))).toBe('VALIDATION_FAILED');
    const filingRef = ref();
    await w.host.handle(filingRef, submit(creditCard()));
    const evaluations = w.evaluations;
    expect(codeOf(await w.host.handle(filingRef, submit(creditCard())))).toBe('FILING_TRANSITION_NOT_ALLOWED');
    expect(w.evaluations).toBe(evaluations);
  });

  it('only litigants submit, and bad input is refused with the field', async () => {
    const w = world();
    expect(codeOf(await w.host.handle(ref(), submit(creditCard(), clerk)))).toBe('FORBIDDEN');
    const bad = creditCard();
    bad.claims[0]!.amount = '12.345';
    const reply = await w.host.handle(ref(), submit(bad));
    expect(codeOf(reply)).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(!reply.ok && reply.error.details)).toContain('claims');
  });

  it('ID numbers and phones are journalled only sealed', async () => {
    const w = world();
    const filingRef = ref();
    await w.host.handle(filingRef, submit(creditCard()));
    const journalled = JSON.stringify(w.journal.records.get(`filing/${filingRef.id}`));
    for (const secret of ['110105198503122317', '13800138000']) expect(journalled).not.toContain(secret);
    expect(journalled).toContain('idNumberSealed');
  });
});

describe('filing review: a clerk decides what the rules could not', () => {
  async function needingClerk(w: World) {
    const filingRef = ref();
    expect(await w.host.handle(filingRef, submit(sampleFiling('labourRemuneration', COURT_ID)))).toMatchObject({ ok: true, state: 'needsClerk' });
    return filingRef;
  }

  it('a party, or a clerk of another court, may not decide', async () => {
    const w = world();
    const filingRef = await needingClerk(w);
    expect(codeOf(await w.host.handle(filingRef, { type: 'DECIDE', by: party, decision: 'accept', reason: '符合立案条件' }))).toBe('FORBIDDEN');
    expect(codeOf(await w.host.handle(filingRef, { type: 'DECIDE', by: otherClerk, decision: 'accept', reason: '符合立案条件' }))).toBe('FORBIDDEN');
  });

  it('a decision needs a reason', async () => {
    const w = world();
    const filingRef = await needingClerk(w);
    expect(codeOf(await w.host.handle(filingRef, { type: 'DECIDE', by: clerk, decision: 'accept', reason: '' }))).toBe('VALIDATION_FAILED');
  });

  it('accept → clerkAccepted, then the system records the acceptance (nobody else may)', async () => {
    const w = world();
    const filingRef = await needingClerk(w);
    expect(await w.host.handle(filingRef, { type: 'DECIDE', by: clerk, decision: 'accept', reason: '经审查符合立案条件' })).toMatchObject({ ok: true, state: 'clerkAccepted' });
    expect(codeOf(await w.host.handle(filingRef, { type: 'DECIDE', by: clerk, decision: 'reject', reason: '改判' }))).toBe('FILING_TRANSITION_NOT_ALLOWED');
    const acceptance = { type: 'RECORD_ACCEPTANCE', caseId: randomUUID(), caseNumber: '(2026)京0105民初9号', receiptDocumentId: randomUUID() };
    expect(codeOf(await w.host.handle(filingRef, { ...acceptance, by: clerk }))).toBe('FORBIDDEN');
    const reply = await w.host.handle(filingRef, { ...acceptance, by: FILING_SYSTEM_SENDER });
    expect(reply).toMatchObject({ ok: true, state: 'accepted', summary: { caseNumber: '(2026)京0105民初9号' } });
    expect(contextOf(reply).clerkDecision).toMatchObject({ by: clerk, decision: 'accept' });
  });

  it('return → returned with the clerk’s fields and deadline; reject → rejected with the clerk’s reason', async () => {
    const w = world();
    const returning = await needingClerk(w);
    const deadline = addDays(courtToday(), 7);
    const returned = contextOf(await w.host.handle(returning, { type: 'DECIDE', by: clerk, decision: 'return', reason: '请补充仲裁裁决书', fields: ['materials'], deadline }));
    expect(returned.correction).toMatchObject({ fields: ['materials'], deadline });
    expect(codeOf(await w.host.handle(returning, { type: 'DECIDE', by: clerk, decision: 'return', reason: '再退', deadline: '2020-01-01' }))).toBe('FILING_TRANSITION_NOT_ALLOWED');

    const rejecting = await needingClerk(w);
    const rejected = await w.host.handle(rejecting, { type: 'DECIDE', by: clerk, decision: 'reject', reason: '不属于人民法院受理民事诉讼的范围' });
    expect(rejected).toMatchObject({ ok: true, state: 'rejected' });
    expect(contextOf(rejected).reasons).toEqual([expect.objectContaining({ ruleId: 'clerk', zh: '不属于人民法院受理民事诉讼的范围' })]);
  });

  it('a return deadline in the past is refused', async () => {
    const w = world();
    const filingRef = await needingClerk(w);
    expect(codeOf(await w.host.handle(filingRef, { type: 'DECIDE', by: clerk, decision: 'return', reason: '请补正', deadline: '2020-01-01' }))).toBe('VALIDATION_FAILED');
  });
});

describe('filing review: a returned filing is corrected and checked again', () => {
  async function returnedFiling(w: World) {
    const filingRef = ref();
    const filing = creditCard();
    filing.materials = filing.materials.filter((material) => material.type !== 'complaint');
    expect(await w.host.handle(filingRef, submit(filing))).toMatchObject({ state: 'returned' });
    return filingRef;
  }

  it('the filer resubmits the corrected filing → evaluated again, auto-accepted; others may not', async () => {
    const w = world();
    const filingRef = await returnedFiling(w);
    expect(codeOf(await w.host.handle(filingRef, { type: 'RESUBMIT', by: otherParty, filing: creditCard() }))).toBe('FORBIDDEN');
    const reply = await w.host.handle(filingRef, { type: 'RESUBMIT', by: party, filing: creditCard() });
    expect(reply).toMatchObject({ ok: true, state: 'autoAccepted' });
    const context = contextOf(reply);
    expect(context.submissions).toBe(2);
    expect(context.correction).toBeNull();
    expect(codeOf(await w.host.handle(filingRef, { type: 'RESUBMIT', by: party, filing: creditCard() }))).toBe('FILING_TRANSITION_NOT_ALLOWED');
  });

  it('a correction after its deadline is refused (FILING_CORRECTION_OVERDUE)', async () => {
    const w = world();
    const filingRef = await returnedFiling(w);
    const behaviour = createFilingBehaviour(w.deps);
    // The behaviour asked 16 days on, with the returned filing's context rebuilt from its journal.
    const events = w.journal.records.get(`filing/${filingRef.id}`)!.map((record) => record.event);
    const { MachineRunner } = await import('../../actors/runtime/machine-runner.ts');
    const runner = new MachineRunner(filingReviewMachine, { id: filingRef.id });
    let snapshot = runner.initial({ id: filingRef.id });
    for (const event of events) snapshot = runner.next(snapshot, event);
    const later = new Date(Date.now() + 16 * 86_400_000);
    await expect(
      behaviour.toEvent({ type: 'RESUBMIT', by: party, filing: creditCard() }, { state: 'returned', context: snapshot.context, seq: 1, can: () => true }, { ref: filingRef, now: later }),
    ).rejects.toMatchObject({ code: 'FILING_CORRECTION_OVERDUE' });
  });

  it('a replay of the journal rebuilds the same review without evaluating again', async () => {
    const w = world();
    const filingRef = await returnedFiling(w);
    await w.host.handle(filingRef, { type: 'RESUBMIT', by: party, filing: creditCard() });
    const again = world(w.journal);
    const acceptance = { type: 'RECORD_ACCEPTANCE', by: FILING_SYSTEM_SENDER, caseId: randomUUID(), caseNumber: '(2026)京0105民初10号', receiptDocumentId: randomUUID() };
    const reply = await again.host.handle(filingRef, acceptance);
    expect(reply).toMatchObject({ ok: true, state: 'accepted', seq: 3 });
    expect(contextOf(reply).submissions).toBe(2);
    expect(again.evaluations).toBe(0);
  });
});
