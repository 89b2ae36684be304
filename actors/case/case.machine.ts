// The life of a case (案件) as a pure XState v5 machine: from filing (立案申请) through review,
// acceptance, hearings and judgment to service, closing and archiving. Its events are the
// journalled ones (already enriched: case number assigned, identifiers sealed), so replaying
// the journal rebuilds exactly the same case.
import { assertEvent, assign, setup } from 'xstate';
import { parseCaseNumber } from './case-number.ts';
import type { HearingLanguage } from '../hearing/hearing.protocol.ts';

export interface CaseSender {
  userId: string;
  role: string;
}

/** A party as journalled: identifiers only in sealed form (PersonalDataCipher.seal). */
export interface SealedParty {
  name: string;
  kind: 'person' | 'organisation';
  userId?: string;
  idNumberSealed?: string;
  phoneSealed?: string;
  address?: string;
}

export interface SealedFiling {
  courtId: string;
  cause: string;
  claims: string;
  claimAmount?: string;
  facts: string;
  plaintiffs: SealedParty[];
  defendants: SealedParty[];
}

/** The journalled events of a case (the shapes the storage projection reads). */
export type CaseEvent =
  | { type: 'FILE'; by: CaseSender; filing: SealedFiling }
  | { type: 'BEGIN_REVIEW'; by: CaseSender }
  | { type: 'ACCEPT'; by: CaseSender; caseNumber: string }
  | { type: 'REJECT'; by: CaseSender; reasons: string[] }
  | { type: 'SCHEDULE_HEARING'; by: CaseSender; hearingId: string; startsAt: string; courtroom: string; language?: HearingLanguage }
  | { type: 'RECORD_HEARING_HELD'; by: CaseSender; hearingId: string }
  | { type: 'ISSUE_JUDGMENT'; by: CaseSender; summary: string }
  | { type: 'RECORD_SERVICE'; by: CaseSender }
  | { type: 'CLOSE'; by: CaseSender }
  | { type: 'ARCHIVE'; by: CaseSender }
  | { type: 'WITHDRAW'; by: CaseSender; reason: string }
  | { type: 'SETTLE_BY_MEDIATION'; by: CaseSender; summary: string };

export interface CaseParty extends SealedParty {
  side: 'plaintiff' | 'defendant';
}

export interface CaseHearing {
  hearingId: string;
  startsAt: string;
  courtroom: string;
  /** Absent: scheduled without one, held in the hub's default language. */
  language?: HearingLanguage;
  held: boolean;
}

/** What the case actor knows; null until the event that sets it (JSON-friendly, no undefined). */
export interface CaseContext {
  caseId: string;
  courtId: string | null;
  /** The court's code, read from the case number at acceptance ('京0105'). */
  courtCode: string | null;
  caseNumber: string | null;
  cause: string | null;
  claimAmount: string | null;
  filedBy: CaseSender | null;
  parties: CaseParty[];
  hearings: CaseHearing[];
  rejectionReasons: string[] | null;
  /** Judgment or mediation summary. */
  closingSummary: string | null;
  withdrawalReason: string | null;
  /** How many events the case has taken. */
  historyLength: number;
}

export interface CaseInput {
  id: string;
}

export const caseMachine = setup({
  types: {
    context: {} as CaseContext,
    events: {} as CaseEvent,
    input: {} as CaseInput,
  },
  guards: {
    hearingIsNew: ({ context, event }) => {
      assertEvent(event, 'SCHEDULE_HEARING');
      return !context.hearings.some((hearing) => hearing.hearingId === event.hearingId);
    },
    hearingIsPending: ({ context, event }) => {
      assertEvent(event, 'RECORD_HEARING_HELD');
      return context.hearings.some((hearing) => hearing.hearingId === event.hearingId && !hearing.held);
    },
  },
  // One assign per transition, and each counts the event: every assign action clones the whole
  // snapshot, so a separate counting action made each transition build three snapshots, not two.
  actions: {
    countEvent: assign({ historyLength: ({ context }) => context.historyLength + 1 }),
    recordFiling: assign(({ context, event }) => {
      assertEvent(event, 'FILE');
      const { filing, by } = event;
      return {
        courtId: filing.courtId,
        cause: filing.cause,
        claimAmount: filing.claimAmount ?? null,
        filedBy: by,
        parties: [
          ...filing.plaintiffs.map((party): CaseParty => ({ ...party, side: 'plaintiff' })),
          ...filing.defendants.map((party): CaseParty => ({ ...party, side: 'defendant' })),
        ],
        historyLength: context.historyLength + 1,
      };
    }),
    recordAcceptance: assign(({ context, event }) => {
      assertEvent(event, 'ACCEPT');
      return {
        caseNumber: event.caseNumber,
        courtCode: parseCaseNumber(event.caseNumber)?.courtCode ?? null,
        historyLength: context.historyLength + 1,
      };
    }),
    recordRejection: assign(({ context, event }) => {
      assertEvent(event, 'REJECT');
      return { rejectionReasons: event.reasons, historyLength: context.historyLength + 1 };
    }),
    recordHearing: assign(({ context, event }) => {
      assertEvent(event, 'SCHEDULE_HEARING');
      return {
        hearings: [
          ...context.hearings,
          {
            hearingId: event.hearingId,
            startsAt: event.startsAt,
            courtroom: event.courtroom,
            ...(event.language ? { language: event.language } : {}),
            held: false,
          },
        ],
        historyLength: context.historyLength + 1,
      };
    }),
    recordHearingHeld: assign(({ context, event }) => {
      assertEvent(event, 'RECORD_HEARING_HELD');
      return {
        hearings: context.hearings.map((hearing) => (hearing.hearingId === event.hearingId ? { ...hearing, held: true } : hearing)),
        historyLength: context.historyLength + 1,
      };
    }),
    recordClosingSummary: assign(({ context, event }) => {
      assertEvent(event, ['ISSUE_JUDGMENT', 'SETTLE_BY_MEDIATION']);
      return { closingSummary: event.summary, historyLength: context.historyLength + 1 };
    }),
    recordWithdrawal: assign(({ context, event }) => {
      assertEvent(event, 'WITHDRAW');
      return { withdrawalReason: event.reason, historyLength: context.historyLength + 1 };
    }),
  },
}).createMachine({
  id: 'case',
  initial: 'draft',
  context: ({ input }) => ({
    caseId: input.id,
    courtId: null,
    courtCode: null,
    caseNumber: null,
    cause: null,
    claimAmount: null,
    filedBy: null,
    parties: [],
    hearings: [],
    rejectionReasons: null,
    closingSummary: null,
    withdrawalReason: null,
    historyLength: 0,
  }),
  states: {
    draft: {
      on: { FILE: { target: 'filed', actions: 'recordFiling' } },
    },
    filed: {
      on: {
        BEGIN_REVIEW: { target: 'underReview', actions: 'countEvent' },
        WITHDRAW: { target: 'withdrawn', actions: 'recordWithdrawal' },
      },
    },
    underReview: {
      on: {
        ACCEPT: { target: 'accepted', actions: 'recordAcceptance' },
        REJECT: { target: 'rejected', actions: 'recordRejection' },
        WITHDRAW: { target: 'withdrawn', actions: 'recordWithdrawal' },
      },
    },
    accepted: {
      on: {
        SCHEDULE_HEARING: { target: 'hearingScheduled', guard: 'hearingIsNew', actions: 'recordHearing' },
        WITHDRAW: { target: 'withdrawn', actions: 'recordWithdrawal' },
        SETTLE_BY_MEDIATION: { target: 'mediationSettled', actions: 'recordClosingSummary' },
      },
    },
    rejected: { type: 'final' },
    hearingScheduled: {
      on: {
        RECORD_HEARING_HELD: { target: 'heard', guard: 'hearingIsPending', actions: 'recordHearingHeld' },
        WITHDRAW: { target: 'withdrawn', actions: 'recordWithdrawal' },
        SETTLE_BY_MEDIATION: { target: 'mediationSettled', actions: 'recordClosingSummary' },
      },
    },
    heard: {
      on: {
        // A further hearing (续开庭) after one was held.
        SCHEDULE_HEARING: { target: 'hearingScheduled', guard: 'hearingIsNew', actions: 'recordHearing' },
        ISSUE_JUDGMENT: { target: 'judgmentIssued', actions: 'recordClosingSummary' },
        WITHDRAW: { target: 'withdrawn', actions: 'recordWithdrawal' },
        SETTLE_BY_MEDIATION: { target: 'mediationSettled', actions: 'recordClosingSummary' },
      },
    },
    judgmentIssued: {
      on: { RECORD_SERVICE: { target: 'served', actions: 'countEvent' } },
    },
    served: {
      on: { CLOSE: { target: 'closed', actions: 'countEvent' } },
    },
    withdrawn: {
      on: { CLOSE: { target: 'closed', actions: 'countEvent' } },
    },
    mediationSettled: {
      on: { CLOSE: { target: 'closed', actions: 'countEvent' } },
    },
    closed: {
      on: { ARCHIVE: { target: 'archived', actions: 'countEvent' } },
    },
    archived: { type: 'final' },
  },
});
