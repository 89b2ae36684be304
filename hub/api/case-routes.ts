// The case API: list what the caller may see, file a case, read one, send it a command.
// The hub only validates, checks access and asks the case actor; the actor alone changes a case.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors.ts';
import { LITIGANT_ROLES, type Role } from '../../platform/roles.ts';
import { caseCommand, caseFiling, type CaseCommand, type CaseState } from '../../actors/case/case.protocol.ts';
import { allowedCaseCommands } from '../../actors/case/allowed-case-commands.ts';
import type { ActorRef } from '../../actors/runtime/types.ts';
import { getCaseDetail, type CaseDetail } from '../../storage/cases/get-case-detail.ts';
import { listVisibleCases } from '../../storage/cases/list-visible-cases.ts';
import { allowedCommandsFor, anySignedIn, assertMaySendCaseCommand, signedInAs } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import { actorRefusal } from '../http/error-response.ts';
import { defineRoute } from '../http/route.ts';
import { paths } from '../http/paths.ts';
import type { HubServices } from '../services.ts';
import { caseDetailSchema, caseSummarySchema } from './schemas.ts';
import { assertMayFile } from '../filings/assert-may-file.ts';

const caseRef = (id: string): ActorRef => ({ kind: 'case', id });
const caseIdParams = z.object({ caseId: z.uuid() });
const caseAnswer = z.object({ case: caseDetailSchema });

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A command as a client sends it: no `by` (the hub fills it from the session) and never FILE (POST /cases files). */
export type CaseCommandRequest = DistributiveOmit<Exclude<CaseCommand, { type: 'FILE' }>, 'by'>;

export const caseCommandRequest = z.discriminatedUnion(
  'type',
  (caseCommand.options as readonly z.ZodObject[])
    .filter((option) => (option.shape.type as z.ZodLiteral).value !== 'FILE')
    .map((option) => option.omit({ by: true })) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<CaseCommandRequest>;

const viewerOf = (session: Session) => ({ userId: session.userId, role: session.role, courtId: session.courtId });

async function readCase(services: HubServices, caseId: string, role: Role): Promise<CaseDetail & { allowedCommands: string[] }> {
  const detail = await getCaseDetail({ db: services.database.db, cipher: services.cipher, caseId });
  if (!detail) throw new NotFoundError('Case');
  return { ...detail, allowedCommands: allowedCommandsFor(role, allowedCaseCommands(detail.state as CaseState)) };
}

export const listCasesRoute = defineRoute({
  method: 'get',
  path: paths.cases,
  operationId: 'listCases',
  summary: 'Cases the caller may see, newest filing first',
  tags: ['cases'],
  access: anySignedIn,
  response: z.object({ cases: z.array(caseSummarySchema) }),
  async handle({ session, services }) {
    const cases = await listVisibleCases({ db: services.database.db, viewer: viewerOf(session as Session) });
    return { cases: cases as z.input<typeof caseSummarySchema>[] };
  },
});

export const fileCaseRoute = defineRoute({
  method: 'post',
  path: paths.cases,
  operationId: 'fileCase',
  summary: 'File a case (立案申请)',
  tags: ['cases'],
  access: signedInAs(...LITIGANT_ROLES),
  body: caseFiling,
  response: caseAnswer,
  successStatus: 201,
  errors: ['ACTOR_UNAVAILABLE', 'CONFLICT', 'CASE_TRANSITION_NOT_ALLOWED', 'IDENTITY_NOT_VERIFIED'],
  async handle({ session, body, services }) {
    const caller = session as Session;
    await assertMayFile(services, caller);
    const id = randomUUID();
    const reply = await services.actors.ask(caseRef(id), { type: 'FILE', by: { userId: caller.userId, role: caller.role }, filing: body });
    if (!reply.ok) throw actorRefusal(reply);
    const detail = await readCase(services, id, caller.role);
    return { case: detail as z.input<typeof caseDetailSchema> };
  },
});

export const getCaseRoute = defineRoute({
  method: 'get',
  path: paths.caseDetail,
  operationId: 'getCase',
  summary: 'One case, with the commands the caller may send now',
  tags: ['cases'],
  access: anySignedIn,
  caseMember: true,
  params: caseIdParams,
  response: caseAnswer,
  async handle({ session, params, services }) {
    const detail = await readCase(services, params.caseId, (session as Session).role);
    return { case: detail as z.input<typeof caseDetailSchema> };
  },
});

export const sendCaseCommandRoute = defineRoute({
  method: 'post',
  path: paths.caseCommands,
  operationId: 'sendCaseCommand',
  summary: 'Send a command to a case (accept, reject, schedule a hearing …); `by` is taken from the session',
  tags: ['cases'],
  access: anySignedIn,
  caseMember: true,
  params: caseIdParams,
  body: caseCommandRequest,
  response: caseAnswer,
  errors: ['FORBIDDEN', 'CASE_TRANSITION_NOT_ALLOWED', 'CONFLICT', 'ACTOR_UNAVAILABLE'],
  // The role check needs no database and reveals nothing about the case: it runs first.
  authorize({ session, body }) {
    assertMaySendCaseCommand((session as Session).role, body.type);
  },
  async handle({ session, params, body, services }) {
    const caller = session as Session;
    const reply = await services.actors.ask(caseRef(params.caseId), { ...body, by: { userId: caller.userId, role: caller.role } });
    if (!reply.ok) throw actorRefusal(reply);
    const detail = await readCase(services, params.caseId, caller.role);
    return { case: detail as z.input<typeof caseDetailSchema> };
  },
});
