// The review of one online filing (网上立案审查) as a pure XState v5 machine: submitted → checked →
// auto-accepted | needs a clerk | returned for correction | rejected; a clerk decides what the rules
// could not; a returned filing comes back corrected; an accepted one becomes a case. Its events are the
// journalled ones — the SUBMIT carries the rule evaluation and the third-party checks made when it
// was received — so replaying the journal rebuilds the same review without evaluating anything again.
import { assertEvent, assign, setup } from 'xstate';
import type { FilingDecision, FilingEvaluation } from '../../models/filing-rules/evaluate.ts';
import type { FilingInput, FilingParty } from '../../models/filing-rules/filing.ts';
import type { ThirdPartyCheckResult } from '../../hub/filings/checks/third-party-checks.ts';
import type { ClerkDecision } from './filing.protocol.ts';

export interface FilingSender {
  userId: string;
  role: string;
}

/** A party as journalled: ID number and phone only sealed (PersonalDataCipher). */
export type SealedFilingParty = Omit<FilingParty, 'idNumber' | 'phone'> & { idNumberSealed?: string; phoneSealed?: string };

/** The filing as journalled: identifiers and service addresses sealed. */
export type SealedFiling = Omit<FilingInput, 'plaintiffs' | 'defendants' | 'electronicService'> & {
  plaintiffs: SealedFilingParty[];
  defendants: SealedFilingParty[];
  electronicService: { consent: boolean; addresses: { kind: 'phone' | 'email' | 'platform'; valueSealed: string }[] };
};

/** One reason given to the filer: a rule's (or a clerk's) plain-language reason and its legal basis. */
export interface FilingReason {
  ruleId: string;
  zh: string;
  en: string;
  legalBasis: string;
  fields: string[];
}

/** 补正: what to fix and by when. */
export interface FilingCorrection {
  fields: string[];
  deadline: string;
  reasons: FilingReason[];
}

/** What the review of one submission found: the rules' evaluation (checks merged into its trace) and the outcome. */
export interface FilingReview {
  evaluation: FilingEvaluation;
  checks: ThirdPartyCheckResult[];
  /** The evaluation's decision once the checks are counted: a failed or uncertain check needs a clerk. */
  decision: FilingDecision;
  /** For returnForCorrection. */
  correction: FilingCorrection | null;
  /** The failed or uncertain rules (every decision but autoAccept). */
  reasons: FilingReason[];
}

export interface FilingClerkDecision {
  by: FilingSender;
  decision: ClerkDecision;
  reason: string;
  decidedAt: string;
}

export interface FilingAcceptance {
  caseId: string;
  caseNumber: string;
  receiptDocumentId: string;
}

/** The journalled events of a filing (the shapes the projection reads). */
export type FilingEvent =
  | { type: 'SUBMIT'; by: FilingSender; filing: SealedFiling; draftId?: string; fingerprint: string; submittedAt: string; review: FilingReview }
  | { type: 'RESUBMIT'; by: FilingSender; filing: SealedFiling; fingerprint: string; submittedAt: string; review: FilingReview }
  | { type: 'DECIDE'; by: FilingSender; decision: ClerkDecision; reason: string; correction: FilingCorrection | null; decidedAt: string }
  | { type: 'RECORD_ACCEPTANCE'; by: FilingSender; caseId: string; caseNumber: string; receiptDocumentId: string };

/** What the filing actor knows; null until the event that sets it (JSON-friendly, no undefined). */
export interface FilingContext {
  filingId: string;
  courtId: string | null;
  filedBy: FilingSender | null;
  /** The lawyer named as agent (filing.agent.userId), who may read and resubmit the filing too. */
  agentUserId: string | null;
  draftId: string | null;
  filing: SealedFiling | null;
  fingerprint: string | null;
  /** The first submission; lastSubmittedAt the latest (a resubmission after a return). */
  submittedAt: string | null;
  lastSubmittedAt: string | null;
  submissions: number;
  review: FilingReview | null;
  /** Pending correction (set on a return, cleared by a resubmission). */
  correction: FilingCorrection | null;
  /** Why it was rejected, returned or sent to a clerk (the rules' reasons, or the clerk's). */
  reasons: FilingReason[];
  clerkDecision: FilingClerkDecision | null;
  acceptance: FilingAcceptance | null;
  historyLength: number;
}

export interface FilingInputOfMachine {
  id: string;
}

const clerkReason = (event: { reason: string; correction: FilingCorrection | null }): FilingReason => ({
  ruleId: 'clerk',
  zh: event.reason,
  en: event.reason,
  legalBasis: '',
  fields: event.correction?.fields ?? [],
});

export const filingReviewMachine = setup({
  types: {
    context: {} as FilingContext,
    events: {} as FilingEvent,
    input: {} as FilingInputOfMachine,
  },
  guards: {
    decidedAutoAccept: ({ context }) => context.review?.decision === 'autoAccept',
    decidedReject: ({ context }) => context.review?.decision === 'reject',
    decidedReturn: ({ context }) => context.review?.decision === 'returnForCorrection',
    clerkAccepts: ({ event }) => event.type === 'DECIDE' && event.decision === 'accept',
    clerkReturns: ({ event }) => event.type === 'DECIDE' && event.decision === 'return' && event.correction !== null,
    clerkRejects: ({ event }) => event.type === 'DECIDE' && event.decision === 'reject',
    /** Only the filer (or the agent they named) corrects a returned filing. */
    byFiler: ({ context, event }) => {
      assertEvent(event, 'RESUBMIT');
      return event.by.userId === context.filedBy?.userId || event.by.userId === context.agentUserId;
    },
  },
  actions: {
    recordSubmission: assign(({ context, event }) => {
      assertEvent(event, ['SUBMIT', 'RESUBMIT']);
      const first = event.type === 'SUBMIT';
      return {
        courtId: event.filing.courtId,
        filedBy: first ? event.by : context.filedBy,
        agentUserId: event.filing.agent?.userId ?? null,
        draftId: first ? (event.draftId ?? null) : context.draftId,
        filing: event.filing,
        fingerprint: event.fingerprint,
        submittedAt: first ? event.submittedAt : context.submittedAt,
        lastSubmittedAt: event.submittedAt,
        submissions: context.submissions + 1,
        review: event.review,
        correction: event.review.correction,
        reasons: event.review.reasons,
        historyLength: context.historyLength + 1,
      };
    }),
    recordClerkDecision: assign(({ context, event }) => {
      assertEvent(event, 'DECIDE');
      return {
        clerkDecision: { by: event.by, decision: event.decision, reason: event.reason, decidedAt: event.decidedAt },
        correction: event.correction,
        reasons: event.decision === 'accept' ? context.reasons : [clerkReason(event)],
        historyLength: context.historyLength + 1,
      };
    }),
    recordAcceptance: assign(({ context, event }) => {
      assertEvent(event, 'RECORD_ACCEPTANCE');
      return {
        acceptance: { caseId: event.caseId, caseNumber: event.caseNumber, receiptDocumentId: event.receiptDocumentId },
        correction: null,
        historyLength: context.historyLength + 1,
      };
    }),
  },
}).createMachine({
  id: 'filingReview',
  initial: 'draft',
  context: ({ input }) => ({
    filingId: input.id,
    courtId: null,
    filedBy: null,
    agentUserId: null,
    draftId: null,
    filing: null,
    fingerprint: null,
    submittedAt: null,
    lastSubmittedAt: null,
    submissions: 0,
    review: null,
    correction: null,
    reasons: [],
    clerkDecision: null,
    acceptance: null,
    historyLength: 0,
  }),
  states: {
    draft: {
      on: { SUBMIT: { target: 'checked', actions: 'recordSubmission' } },
    },
    // The evaluation came with the event: leave at once by its decision.
    checked: {
      always: [
        { guard: 'decidedAutoAccept', target: 'autoAccepted' },
        { guard: 'decidedReject', target: 'rejected' },
        { guard: 'decidedReturn', target: 'returned' },
        { target: 'needsClerk' },
      ],
    },
    autoAccepted: {
      on: { RECORD_ACCEPTANCE: { target: 'accepted', actions: 'recordAcceptance' } },
    },
    needsClerk: {
      on: {
        DECIDE: [
          { guard: 'clerkAccepts', target: 'clerkAccepted', actions: 'recordClerkDecision' },
          { guard: 'clerkReturns', target: 'returned', actions: 'recordClerkDecision' },
          { guard: 'clerkRejects', target: 'rejected', actions: 'recordClerkDecision' },
        ],
      },
    },
    clerkAccepted: {
      on: { RECORD_ACCEPTANCE: { target: 'accepted', actions: 'recordAcceptance' } },
    },
    returned: {
      on: { RESUBMIT: { guard: 'byFiler', target: 'checked', actions: 'recordSubmission' } },
    },
    rejected: { type: 'final' },
    accepted: { type: 'final' },
  },
});
