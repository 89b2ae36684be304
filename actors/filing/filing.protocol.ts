// The filing review actor's message protocol (网上立案审查): the commands it takes, validated at every
// boundary, and the states a filing can be in. Shared by the hub (filings API, the clerk's override),
// the acceptor (which records the acceptance) and the actor.
import { z } from 'zod';
import { filingInput, isoDate } from '../../models/filing-rules/filing.ts';

export const FILING_KIND = 'filing';

export const FILING_STATES = [
  'draft', // never submitted: the actor exists only between its first command and SUBMIT
  'checked', // evaluated (transient: left at once for one of the four below)
  'autoAccepted', // 自动立案: all rules passed; the acceptor creates the case
  'needsClerk', // 待人工审查: failed or uncertain rules, a cause not auto-accepted, a third-party check
  'clerkAccepted', // 书记员决定立案: the acceptor creates the case
  'returned', // 退回补正: what to fix, by when
  'rejected', // 不予受理 / 重复起诉: reasons and legal basis
  'accepted', // 已立案: case created, number assigned, receipt issued
] as const;
export type FilingState = (typeof FILING_STATES)[number];

/** What a client sees of a filing's state (FilingView.status). */
export const FILING_STATUSES = ['submitted', 'needsClerk', 'returned', 'rejected', 'accepted'] as const;
export type FilingStatus = (typeof FILING_STATUSES)[number];

export function filingStatusOf(state: string): FilingStatus {
  switch (state) {
    case 'needsClerk':
      return 'needsClerk';
    case 'returned':
      return 'returned';
    case 'rejected':
      return 'rejected';
    case 'accepted':
      return 'accepted';
    default:
      // checked, autoAccepted, clerkAccepted: decided but the case is not there yet.
      return 'submitted';
  }
}

export const CLERK_DECISIONS = ['accept', 'return', 'reject'] as const;
export type ClerkDecision = (typeof CLERK_DECISIONS)[number];

/** The sender of a command; `role: 'system'` (the acceptor) only for RECORD_ACCEPTANCE. */
const sender = z.object({ userId: z.uuid(), role: z.string().min(1).max(32) });

/** Roles that may decide on a filing of their own court (DECIDE). */
export const FILING_DECIDER_ROLES: readonly string[] = ['clerk', 'judge', 'courtAdmin'];
/** Roles that may submit a filing. */
export const FILER_ROLES: readonly string[] = ['party', 'lawyer', 'institution'];

/** The system's own sender: the acceptor recording an acceptance, the system accepting in the case actor. */
export const FILING_SYSTEM_SENDER = { userId: '00000000-0000-0000-0000-000000000000', role: 'system' } as const;

export const filingCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('SUBMIT'), by: sender, filing: filingInput, draftId: z.uuid().optional() }),
  z.object({ type: z.literal('RESUBMIT'), by: sender, filing: filingInput }),
  z.object({
    type: z.literal('DECIDE'),
    by: sender,
    decision: z.enum(CLERK_DECISIONS),
    reason: z.string().trim().min(2).max(2000),
    /** For 'return': the filing paths to correct. */
    fields: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
    /** For 'return': the day the correction is due (default: the court day + CORRECTION_DAYS). */
    deadline: isoDate.optional(),
  }),
  z.object({
    type: z.literal('RECORD_ACCEPTANCE'),
    by: sender,
    caseId: z.uuid(),
    caseNumber: z.string().trim().min(1).max(64),
    receiptDocumentId: z.uuid(),
  }),
]);
export type FilingCommand = z.infer<typeof filingCommand>;

/** 补正期限: days given to correct a filing returned by the rules (登记立案规定第七条: "在指定期限内补正"). */
export const CORRECTION_DAYS = 15;
