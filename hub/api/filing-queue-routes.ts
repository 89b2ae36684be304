// 立案审查: the clerks' queue of a court's filings that the rules did not settle (with the failed or
// uncertain rules and checks, and the full trace), and a clerk's or judge's decision overriding the
// rules (accept, return for correction, reject) with a reason. The hub only validates, checks the
// caller's court and asks the filing actor; the actor alone changes a filing. Live: the queue's
// screen follows the court's filing events over /rt (hub/realtime/filing-live.ts).
import { z } from 'zod';
import { CLERK_DECISIONS, FILING_KIND } from '../../actors/filing/filing.protocol.ts';
import { courtToday } from '../../models/filing-rules/filing.ts';
import { ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import type { Role } from '../../platform/roles.ts';
import { getFilingQueueItem, listFilingQueue, QUEUE_STATUSES } from '../../storage/filing-queue/list-filing-queue.ts';
import { signedInAs } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import { actorRefusal } from '../http/error-response.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { paths } from '../http/paths.ts';

/** Who works the filing queue: the court's clerks, judges and its administrator. */
export const FILING_QUEUE_ROLES: Role[] = ['clerk', 'judge', 'courtAdmin'];

const traceEntrySchema = z.record(z.string(), z.unknown());

export const filingQueueItemSchema = z.object({
  id: z.uuid(),
  courtId: z.uuid(),
  status: z.string(),
  state: z.string(),
  cause: z.string(),
  procedure: z.string().nullable(),
  claimAmount: z.string().nullable(),
  fee: z.string().nullable(),
  filedBy: z.object({ userId: z.uuid(), role: z.string(), displayName: z.string().nullable() }),
  plaintiffs: z.array(z.string()),
  defendants: z.array(z.string()),
  ruleDecision: z.string().nullable().describe('What the rules decided before any clerk'),
  ruleSetVersion: z.number().int().nullable(),
  concerns: z.array(traceEntrySchema).describe('Failed or uncertain rules and third-party checks'),
  trace: z.array(traceEntrySchema).describe('Every rule’s result: ruleId, outcome, consequence, reason {zh,en}, legalBasis, fields'),
  checks: z.array(traceEntrySchema).describe('Third-party checks: enterprise registration, real-name status'),
  correction: z.record(z.string(), z.unknown()).nullable(),
  reasons: z.array(z.record(z.string(), z.unknown())).nullable(),
  submittedAt: z.string(),
  updatedAt: z.string(),
});

/** Court staff act only on their own court's filings. */
function assertOwnCourt(session: Session, courtId: string): void {
  if (session.courtId !== courtId) throw new ForbiddenError('Only staff of this court may see its filing queue');
}

export const filingQueueRoute = defineRoute({
  method: 'get',
  path: paths.courtFilingQueue,
  operationId: 'listFilingQueue',
  summary: 'The court’s filings waiting for review (待审查), oldest first, with failed and uncertain rules',
  tags: ['filings'],
  access: signedInAs(...FILING_QUEUE_ROLES),
  params: z.object({ courtId: z.uuid() }),
  query: z.object({
    status: z.enum(QUEUE_STATUSES).optional().describe('Only filings of this status (default: needsClerk, submitted and returned)'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  }),
  response: z.object({ filings: z.array(filingQueueItemSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
  authorize({ session, params }) {
    assertOwnCourt(session as Session, params.courtId);
  },
  async handle({ params, query, services }) {
    const page = await listFilingQueue({
      db: services.database.db,
      courtId: params.courtId,
      ...(query.status ? { statuses: [query.status] } : {}),
      limit: query.limit,
      offset: query.offset,
    });
    return { ...page, limit: query.limit, offset: query.offset };
  },
});

export const filingDecisionRequest = z
  .object({
    decision: z.enum(CLERK_DECISIONS),
    reason: z.string().trim().min(2).max(2000).describe('Why (shown to the filer and kept in the audit trail)'),
    fields: z.array(z.string().trim().min(1).max(200)).min(1).max(100).optional().describe('For return: the filing paths to correct'),
    deadline: z.iso.date().optional().describe('For return: the day the correction is due (YYYY-MM-DD, not before today)'),
  })
  .superRefine((body, context) => {
    if (body.decision !== 'return') {
      for (const key of ['fields', 'deadline'] as const) {
        if (body[key] !== undefined) context.addIssue({ code: 'custom', path: [key], message: '仅退回补正时填写 / only for a return for correction' });
      }
    }
    if (body.deadline !== undefined && body.deadline < courtToday()) {
      context.addIssue({ code: 'custom', path: ['deadline'], message: '补正期限不能早于今天 / the deadline must not be before today' });
    }
  });

export const filingDecisionRoute = defineRoute({
  method: 'post',
  path: paths.filingDecision,
  operationId: 'decideFiling',
  summary: 'A clerk’s or judge’s decision on a filing (accept, return for correction, reject) overriding the rules; audited with its reason (filing.DECIDE)',
  tags: ['filings'],
  access: signedInAs(...FILING_QUEUE_ROLES),
  params: z.object({ filingId: z.uuid() }),
  body: filingDecisionRequest,
  response: z.object({ filing: filingQueueItemSchema }),
  errors: ['ACTOR_UNAVAILABLE', 'FILING_TRANSITION_NOT_ALLOWED', 'FORBIDDEN', 'VALIDATION_FAILED'],
  async handle({ session, params, body, services }) {
    const caller = session as Session;
    const db = services.database.db;
    const before = await getFilingQueueItem({ db, filingId: params.filingId });
    // Another court's filing (or none) is not found: filing ids cannot be probed.
    if (!before || before.courtId !== caller.courtId) throw new NotFoundError('Filing');
    const reply = await services.actors.ask(
      { kind: FILING_KIND, id: params.filingId },
      {
        type: 'DECIDE',
        by: { userId: caller.userId, role: caller.role },
        decision: body.decision,
        reason: body.reason,
        ...(body.fields ? { fields: body.fields } : {}),
        ...(body.deadline ? { deadline: body.deadline } : {}),
      },
    );
    if (!reply.ok) throw actorRefusal(reply);
    // The actor journalled the DECIDE and, in the same commit, its projection and its audit row ('filing.DECIDE' with the reason).
    const after = (await getFilingQueueItem({ db, filingId: params.filingId }))!;
    return { filing: after };
  },
});

export const filingQueueRoutes: AnyRoute[] = [filingQueueRoute, filingDecisionRoute];
