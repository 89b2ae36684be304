// The case actor's message protocol: the commands it takes (validated at every boundary)
// and the states it can be in. Shared by the hub (which validates requests) and the actor.
import { z } from 'zod';
import { hearingLanguage } from '../hearing/hearing.protocol.ts';

export const CASE_PROTOCOL_VERSION = 1;

export const CASE_STATES = [
  'draft', // not yet filed: the actor exists only between its first command and FILE
  'filed', // 已提交立案申请
  'underReview', // 立案审查中
  'accepted', // 已受理（立案）
  'rejected', // 不予受理
  'hearingScheduled', // 已排期
  'heard', // 已开庭
  'judgmentIssued', // 已宣判
  'served', // 已送达
  'closed', // 已结案
  'archived', // 已归档
  'withdrawn', // 已撤诉
  'mediationSettled', // 调解结案
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** A decimal amount of yuan as a string (money is never a float): "12345.67". */
export const yuanAmount = z
  .string()
  .regex(/^(0|[1-9]\d{0,13})(\.\d{1,2})?$/, 'must be a decimal amount of yuan, e.g. "12000.50"');

export const partyInput = z.object({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(['person', 'organisation']),
  /** Platform account of this party, when it has one (its member may then see the case). */
  userId: z.uuid().optional(),
  /** Resident ID / organisation code; encrypted at rest. */
  idNumber: z.string().trim().min(4).max(40).optional(),
  phone: z.string().trim().min(5).max(30).optional(),
  address: z.string().trim().max(300).optional(),
});
export type PartyInput = z.infer<typeof partyInput>;

export const caseFiling = z.object({
  courtId: z.uuid(),
  /** 案由, the cause of action, e.g. "民间借贷纠纷". */
  cause: z.string().trim().min(2).max(100),
  /** 诉讼请求 */
  claims: z.string().trim().min(2).max(5000),
  claimAmount: yuanAmount.optional(),
  /** 事实与理由 */
  facts: z.string().trim().max(20000).default(''),
  plaintiffs: z.array(partyInput).min(1).max(50),
  defendants: z.array(partyInput).min(1).max(50),
});
export type CaseFiling = z.infer<typeof caseFiling>;

const sender = z.object({ userId: z.uuid(), role: z.string() });

/** Commands as they travel to the actor (the hub adds `by` from the session). */
export const caseCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('FILE'), by: sender, filing: caseFiling }),
  z.object({ type: z.literal('BEGIN_REVIEW'), by: sender }),
  z.object({ type: z.literal('ACCEPT'), by: sender }),
  z.object({ type: z.literal('REJECT'), by: sender, reasons: z.array(z.string().trim().min(2).max(500)).min(1).max(20) }),
  z.object({
    type: z.literal('SCHEDULE_HEARING'),
    by: sender,
    hearingId: z.uuid(),
    startsAt: z.iso.datetime({ offset: true }),
    courtroom: z.string().trim().min(1).max(100),
    /** 庭审语言: what live speech recognition listens for; absent: the hub's default (ECOURT_ASR_LANGUAGE). */
    language: hearingLanguage.optional().describe("The hearing's language (zh or en); absent: the court's default"),
  }),
  z.object({ type: z.literal('RECORD_HEARING_HELD'), by: sender, hearingId: z.uuid() }),
  z.object({ type: z.literal('ISSUE_JUDGMENT'), by: sender, summary: z.string().trim().min(2).max(5000) }),
  z.object({ type: z.literal('RECORD_SERVICE'), by: sender }),
  z.object({ type: z.literal('CLOSE'), by: sender }),
  z.object({ type: z.literal('ARCHIVE'), by: sender }),
  z.object({ type: z.literal('WITHDRAW'), by: sender, reason: z.string().trim().min(2).max(2000) }),
  z.object({ type: z.literal('SETTLE_BY_MEDIATION'), by: sender, summary: z.string().trim().min(2).max(5000) }),
]);
export type CaseCommand = z.infer<typeof caseCommand>;
export type CaseCommandType = CaseCommand['type'];

/** Which roles may send which command (the hub enforces this before asking the actor). */
export const CASE_COMMAND_ROLES: Record<CaseCommandType, readonly string[]> = {
  FILE: ['party', 'lawyer', 'institution'],
  BEGIN_REVIEW: ['clerk', 'judge'],
  ACCEPT: ['clerk', 'judge'],
  REJECT: ['clerk', 'judge'],
  SCHEDULE_HEARING: ['clerk', 'judge'],
  RECORD_HEARING_HELD: ['clerk', 'judge'],
  ISSUE_JUDGMENT: ['judge'],
  RECORD_SERVICE: ['clerk', 'judge'],
  CLOSE: ['clerk', 'judge'],
  ARCHIVE: ['clerk', 'judge'],
  WITHDRAW: ['party', 'lawyer', 'institution', 'clerk', 'judge'],
  SETTLE_BY_MEDIATION: ['judge'],
};
