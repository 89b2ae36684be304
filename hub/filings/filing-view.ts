// FilingView: a filing as the filings API answers it (the filer, their agent, the court's staff) —
// status, the rules' decision with its trace and the fee calculation, what to correct by when, the
// reasons, the case and the sealed receipt once accepted; identifiers masked. Its zod schema is what
// the OpenAPI document publishes and every answer is checked against.
import { z } from 'zod';
import { FILING_STATES, FILING_STATUSES } from '../../actors/filing/filing.protocol.ts';
import type { FilingReason, FilingReview, SealedFiling } from '../../actors/filing/filing-review.machine.ts';
import { maskFiling } from '../../actors/filing/seal-filing.ts';
import { CAUSES } from '../../models/filing-rules/causes.ts';
import type { PersonalDataCipher } from '../../platform/personal-data.ts';
import { isCourtStaff } from '../../platform/roles.ts';
import type { FilingRow } from '../../storage/filings/get-filing.ts';
import type { Session } from '../auth/session-token.ts';
import { paths } from '../http/paths.ts';

const instant = z.iso.datetime({ offset: true });
const bilingual = z.object({ zh: z.string(), en: z.string() });

const reasonSchema = z.object({ ruleId: z.string(), zh: z.string(), en: z.string(), legalBasis: z.string(), fields: z.array(z.string()) });

const ruleResultSchema = z.object({
  ruleId: z.string(),
  outcome: z.enum(['pass', 'fail', 'uncertain', 'notApplicable']),
  consequence: z.enum(['returnForCorrection', 'reject', 'clerk']).nullable(),
  reason: bilingual,
  legalBasis: z.string(),
  fields: z.array(z.string()),
  detail: z.record(z.string(), z.unknown()).optional(),
});

const feeSchema = z.object({
  claimAmount: z.string(),
  procedure: z.string(),
  steps: z.array(z.object({ from: z.string(), to: z.string().nullable(), rate: z.string(), amount: z.string() })),
  fullFee: z.string(),
  fee: z.string().describe('Acceptance fee due, decimal yuan (after halving for simplified / small-claims procedure)'),
  explanation: bilingual,
});

export const filingViewSchema = z.object({
  id: z.uuid(),
  courtId: z.uuid(),
  cause: z.string(),
  causeName: z.string().describe('案由, e.g. 信用卡纠纷'),
  status: z.enum(FILING_STATUSES),
  state: z.enum(FILING_STATES),
  procedure: z.string().nullable(),
  claimAmount: z.string().nullable().describe('Total of the claimed amounts, decimal yuan'),
  fee: z.string().nullable().describe('Acceptance fee due, decimal yuan'),
  filedBy: z.uuid(),
  agentUserId: z.uuid().nullable(),
  submittedAt: instant,
  updatedAt: instant,
  decision: z
    .object({
      decision: z.enum(['autoAccept', 'needsClerk', 'returnForCorrection', 'reject']),
      ruleSetVersion: z.number().int(),
      procedure: z.string(),
      smallClaims: z.boolean(),
      fee: feeSchema,
      trace: z.array(ruleResultSchema),
      checks: z.array(z.record(z.string(), z.unknown())),
    })
    .nullable()
    .describe('The rules’ evaluation of the latest submission, third-party checks in its trace'),
  correction: z.object({ fields: z.array(z.string()), deadline: z.iso.date(), reasons: z.array(reasonSchema) }).nullable(),
  reasons: z.array(reasonSchema),
  clerkDecision: z.object({ decidedBy: z.uuid(), decidedAt: instant }).nullable(),
  caseId: z.uuid().nullable(),
  caseNumber: z.string().nullable(),
  receipt: z.object({ documentId: z.uuid(), contentPath: z.string() }).nullable().describe('The sealed 立案回执 once accepted'),
  filing: z.record(z.string(), z.unknown()).describe('The filing as submitted, ID numbers and phones masked'),
});
export type FilingView = z.input<typeof filingViewSchema>;

/** Who may read a filing: its filer, the agent it names, and the staff of its court (others get 404). */
export function mayReadFiling(session: Session, row: Pick<FilingRow, 'filedBy' | 'agentUserId' | 'courtId'>): boolean {
  if (row.filedBy === session.userId || row.agentUserId === session.userId) return true;
  return isCourtStaff(session.role) && session.courtId === row.courtId;
}

export function filingViewOf(row: FilingRow, cipher: PersonalDataCipher): FilingView {
  const review = row.decision as unknown as FilingReview | null;
  const filing = row.filing as unknown as SealedFiling;
  return {
    id: row.id,
    courtId: row.courtId,
    cause: row.cause,
    causeName: CAUSES[row.cause as keyof typeof CAUSES]?.name ?? row.cause,
    status: row.status,
    state: row.state as FilingView['state'],
    procedure: row.procedure,
    claimAmount: row.claimAmount,
    fee: row.fee,
    filedBy: row.filedBy,
    agentUserId: row.agentUserId,
    submittedAt: row.submittedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    decision: review ? { ...review.evaluation, decision: review.decision, checks: review.checks as unknown as Record<string, unknown>[] } : null,
    correction: row.correction as FilingView['correction'],
    reasons: (row.reasons ?? []) as unknown as FilingReason[],
    clerkDecision: row.decidedBy && row.decidedAt ? { decidedBy: row.decidedBy, decidedAt: row.decidedAt.toISOString() } : null,
    caseId: row.caseId,
    caseNumber: row.caseNumber,
    receipt:
      row.caseId && row.receiptDocumentId
        ? {
            documentId: row.receiptDocumentId,
            contentPath: paths.caseDocumentContent.replace(':caseId', row.caseId).replace(':documentId', row.receiptDocumentId),
          }
        : null,
    filing: maskFiling(filing, cipher) as unknown as Record<string, unknown>,
  };
}
