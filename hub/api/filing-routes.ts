// The filings API (网上立案): submit a filing, list one's own, read one. The hub validates, checks who
// may file (立案须实名) and which materials the filer may list, then asks the filing review actor, which
// evaluates the filing before it answers; a filing the rules accept is finished at once (case, number,
// sealed receipt) before the reply, so the filer gets the case number and receipt in the same answer.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { FILING_KIND } from '../../actors/filing/filing.protocol.ts';
import { filingInput } from '../../models/filing-rules/filing.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { LITIGANT_ROLES } from '../../platform/roles.ts';
import { findUnusableMaterials } from '../../storage/filings/find-unusable-materials.ts';
import { getFiling } from '../../storage/filings/get-filing.ts';
import { listOwnFilings } from '../../storage/filings/list-own-filings.ts';
import { anySignedIn, signedInAs } from '../auth/access.ts';
import type { Session } from '../auth/session-token.ts';
import { filingViewOf, filingViewSchema, mayReadFiling } from '../filings/filing-view.ts';
import { actorRefusal, validationFailed } from '../http/error-response.ts';
import { defineRoute } from '../http/route.ts';
import { paths } from '../http/paths.ts';
import type { HubServices } from '../services.ts';
import { assertMayFile } from '../filings/assert-may-file.ts';

const filingRequest = filingInput.extend({ draftId: z.uuid().optional().describe('The draft this filing was made from (立案草稿)') });
const filingAnswer = z.object({ filing: filingViewSchema });
const filingIdParams = z.object({ filingId: z.uuid() });

/** Every material the filing lists must be one its filer (or agent) uploaded and no other filing holds. */
async function assertUsableMaterials(services: HubServices, filing: { materials: { id: string }[] }, ownerIds: string[], filingId?: string): Promise<void> {
  const unusable = await findUnusableMaterials({ db: services.database.db, materialIds: filing.materials.map((m) => m.id), ownerIds, ...(filingId ? { filingId } : {}) });
  if (unusable.length === 0) return;
  throw validationFailed(
    filing.materials
      .map((material, index) => ({ material, index }))
      .filter(({ material }) => unusable.includes(material.id))
      .map(({ index }) => ({ path: `body.materials.${index}.id`, message: 'not a material you uploaded, or already filed / 不是您上传的材料或已用于其他立案', code: 'custom' })),
  );
}

async function readFiling(services: HubServices, filingId: string) {
  const row = await getFiling({ db: services.database.db, filingId });
  if (!row) throw new NotFoundError('Filing');
  return row;
}

export const submitFilingRoute = defineRoute({
  method: 'post',
  path: paths.filings,
  operationId: 'submitFiling',
  summary: 'Submit a filing (网上立案): reviewed by the court’s rules at once; accepted ones carry the case number and the sealed receipt',
  tags: ['filings'],
  access: signedInAs(...LITIGANT_ROLES),
  body: filingRequest,
  response: filingAnswer,
  successStatus: 201,
  errors: ['ACTOR_UNAVAILABLE', 'CONFLICT', 'FILING_TRANSITION_NOT_ALLOWED', 'IDENTITY_NOT_VERIFIED', 'FORBIDDEN'],
  async handle({ session, body, services, logger }) {
    const caller = session as Session;
    await assertMayFile(services, caller);
    const { draftId, ...filing } = body;
    // A lawyer files for a client as the agent the filing names; nobody files in another lawyer's name.
    if (filing.agent && filing.agent.userId !== caller.userId) {
      throw validationFailed([{ path: 'body.agent.userId', message: 'the agent is the lawyer who files / 代理人须为提交立案的律师本人', code: 'custom' }]);
    }
    await assertUsableMaterials(services, filing, [caller.userId]);
    const id = randomUUID();
    const reply = await services.actors.ask({ kind: FILING_KIND, id }, { type: 'SUBMIT', by: { userId: caller.userId, role: caller.role }, filing, ...(draftId ? { draftId } : {}) });
    if (!reply.ok) throw actorRefusal(reply);
    if (reply.state === 'autoAccepted') {
      // Finished here so the reply carries the case; if it fails, the acceptor finishes it later (the filing stays 'submitted').
      await services.filings.accept(id).catch((error: unknown) => logger.error('filing acceptance failed; left to the acceptor', { filingId: id, error }));
    }
    return { filing: filingViewOf(await readFiling(services, id), services.cipher) };
  },
});

export const listFilingsRoute = defineRoute({
  method: 'get',
  path: paths.filings,
  operationId: 'listFilings',
  summary: 'The caller’s own filings (as filer or named agent), newest first',
  tags: ['filings'],
  access: anySignedIn,
  response: z.object({ filings: z.array(filingViewSchema) }),
  async handle({ session, services }) {
    const rows = await listOwnFilings({ db: services.database.db, userId: (session as Session).userId });
    return { filings: rows.map((row) => filingViewOf(row, services.cipher)) };
  },
});

export const getFilingRoute = defineRoute({
  method: 'get',
  path: paths.filing,
  operationId: 'getFiling',
  summary: 'One filing: status, the rules’ trace, fee, correction, reasons, case and receipt (filer, agent and the court’s staff only)',
  tags: ['filings'],
  access: anySignedIn,
  params: filingIdParams,
  response: filingAnswer,
  async handle({ session, params, services }) {
    const row = await getFiling({ db: services.database.db, filingId: params.filingId });
    // Anyone else learns nothing: the same 404 as for a filing that does not exist.
    if (!row || !mayReadFiling(session as Session, row)) throw new NotFoundError('Filing');
    return { filing: filingViewOf(row, services.cipher) };
  },
});

export const resubmitFilingRoute = defineRoute({
  method: 'post',
  path: paths.filingResubmit,
  operationId: 'resubmitFiling',
  summary: 'Resubmit a filing returned for correction (补正), before its deadline: reviewed again at once',
  tags: ['filings'],
  access: signedInAs(...LITIGANT_ROLES),
  params: filingIdParams,
  body: filingInput,
  response: filingAnswer,
  errors: ['ACTOR_UNAVAILABLE', 'CONFLICT', 'FILING_TRANSITION_NOT_ALLOWED', 'FILING_CORRECTION_OVERDUE', 'FORBIDDEN'],
  async handle({ session, params, body, services, logger }) {
    const caller = session as Session;
    const row = await getFiling({ db: services.database.db, filingId: params.filingId });
    // Only the filer and their agent correct a filing; anyone else learns nothing (404).
    if (!row || (row.filedBy !== caller.userId && row.agentUserId !== caller.userId)) throw new NotFoundError('Filing');
    await assertUsableMaterials(services, body, [row.filedBy, ...(row.agentUserId ? [row.agentUserId] : [])], row.id);
    const reply = await services.actors.ask({ kind: FILING_KIND, id: row.id }, { type: 'RESUBMIT', by: { userId: caller.userId, role: caller.role }, filing: body });
    if (!reply.ok) throw actorRefusal(reply);
    if (reply.state === 'autoAccepted') {
      await services.filings.accept(row.id).catch((error: unknown) => logger.error('filing acceptance failed; left to the acceptor', { filingId: row.id, error }));
    }
    return { filing: filingViewOf(await readFiling(services, row.id), services.cipher) };
  },
});

export const filingRoutes = [submitFilingRoute, listFilingsRoute, getFilingRoute, resubmitFilingRoute];
