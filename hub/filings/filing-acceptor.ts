// 立案: what happens once a filing is accepted — by the rules at once, or by a clerk. Reacts to the
// filing actor's journalled event batches (like actors/case/hearing-spawner.ts) and, at start, finishes
// every acceptance left half-done. For each filing: the case actor is created (FILE by the filer, then
// BEGIN_REVIEW and ACCEPT by the deciding clerk or the system) and draws the case number; the sealed
// 立案回执 is issued (documents/issuing); the filer is told in their inbox (acceptance with the receipt,
// the fee notice with its calculation); the materials are bound to the filing; and the filing actor
// records the acceptance. Every step finds what an earlier run did: the case id is derived from the
// filing id, the case actor refuses a second FILE, the receipt is issued once per case, the notices
// once per filing and kind, and RECORD_ACCEPTANCE once. A return or rejection is told to the filer's
// inbox too (补正通知 with the fields and deadline, 不予受理通知 with the reasons), once per journalled decision.
import { createHash } from 'node:crypto';
import type { Bus } from '../../actors/bus/bus.ts';
import { subscribeActorEventBatches } from '../../actors/runtime/event-batch-reactor.ts';
import type { ActorClient, CommandReply } from '../../actors/runtime/types.ts';
import { CASE_KIND } from '../../actors/case/case-behaviour.ts';
import { FILING_KIND, FILING_SYSTEM_SENDER } from '../../actors/filing/filing.protocol.ts';
import type { FilingContext, FilingReview, SealedFiling } from '../../actors/filing/filing-review.machine.ts';
import { openFiling } from '../../actors/filing/seal-filing.ts';
import { issueCaseDocument, type DocumentIssuing } from '../../documents/issuing/issue-document.ts';
import { CAUSES } from '../../models/filing-rules/causes.ts';
import { courtToday } from '../../models/filing-rules/filing.ts';
import type { Logger } from '../../platform/logger.ts';
import type { PersonalDataCipher } from '../../platform/personal-data.ts';
import { getCaseDetail } from '../../storage/cases/get-case-detail.ts';
import { getCourt } from '../../storage/courts/get-court.ts';
import { eq } from 'drizzle-orm';
import type { Db } from '../../storage/database.ts';
import { users } from '../../storage/schema.ts';
import { bindFilingMaterials } from '../../storage/filings/bind-filing-materials.ts';
import { deliverFilingNotice } from '../../storage/filings/deliver-filing-notice.ts';
import { getFiling, type FilingRow } from '../../storage/filings/get-filing.ts';
import { listFilingsToAccept } from '../../storage/filings/list-filings-to-accept.ts';
import { caseFilingOf, receiptPartyOf } from './case-filing-of.ts';

export interface FilingAcceptorDeps {
  db: Db;
  bus: Bus;
  actors: ActorClient;
  cipher: PersonalDataCipher;
  logger: Logger;
  /** How court documents are issued now (documents/issuing/document-issuer.ts); null: this node has no court CA. */
  issuing: () => Promise<DocumentIssuing | null>;
}

export interface FilingAcceptance {
  caseId: string;
  caseNumber: string;
  receiptDocumentId: string;
}

export interface FilingAcceptor {
  /** Finishes the acceptance of one filing (null when it is not decided for acceptance, or already recorded before). */
  accept(filingId: string): Promise<FilingAcceptance | null>;
  /** Finishes every acceptance left half-done. */
  reconcile(): Promise<void>;
  stop(): Promise<void>;
}

/** The case of a filing: a name-based id (sha256 of the filing id, shaped as a version 8 UUID), so every run finds the same case. */
export function caseIdOfFiling(filingId: string): string {
  const hex = createHash('sha256').update(`ecourt filing case ${filingId}`).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

class AcceptanceError extends Error {
  constructor(step: string, reply: Extract<CommandReply, { ok: false }>) {
    super(`${step} refused: ${reply.error.code} ${reply.error.message}`);
    this.name = 'AcceptanceError';
  }
}

const ACCEPTING_STATES = new Set(['autoAccepted', 'clerkAccepted']);
/** Case states from which the acceptor still has to ACCEPT. */
const ACCEPTED_CASE_STATES = new Set(['filed', 'underReview']);

export function startFilingAcceptor(deps: FilingAcceptorDeps): FilingAcceptor {
  const log = deps.logger.child({ component: 'filing-acceptor' });
  /** One acceptance per filing at a time in this process (the bus batch and the filing route both ask). */
  const running = new Map<string, Promise<FilingAcceptance | null>>();
  let stopped = false;

  /** The case actor through FILE → BEGIN_REVIEW → ACCEPT, from wherever an earlier run left it; its case number. */
  async function ensureCase(row: FilingRow, filing: SealedFiling, decider: { userId: string; role: string }): Promise<{ caseId: string; caseNumber: string }> {
    const caseId = caseIdOfFiling(row.id);
    const ref = { kind: CASE_KIND, id: caseId };
    const filed = await deps.actors.ask(ref, { type: 'FILE', by: { userId: row.filedBy, role: row.filedByRole }, filing: caseFilingOf(openFiling(filing, deps.cipher)) });
    // CASE_TRANSITION_NOT_ALLOWED: filed by an earlier run; go on from its state.
    if (!filed.ok && filed.error.code !== 'CASE_TRANSITION_NOT_ALLOWED') throw new AcceptanceError('FILE', filed);
    // Another node may be taking the same steps: a step it took first is refused here as not allowed, and we go on.
    const step = async (type: 'BEGIN_REVIEW' | 'ACCEPT') => {
      const reply = await deps.actors.ask(ref, { type, by: decider });
      if (!reply.ok && reply.error.code !== 'CASE_TRANSITION_NOT_ALLOWED') throw new AcceptanceError(type, reply);
    };
    let detail = await getCaseDetail({ db: deps.db, cipher: deps.cipher, caseId });
    if (!detail) throw new Error(`case ${caseId} of filing ${row.id} is not in the projection`);
    if (detail.state === 'filed') await step('BEGIN_REVIEW');
    if (ACCEPTED_CASE_STATES.has(detail.state)) await step('ACCEPT');
    detail = await getCaseDetail({ db: deps.db, cipher: deps.cipher, caseId });
    if (!detail?.caseNumber) throw new Error(`case ${caseId} of filing ${row.id} has no case number (state ${detail?.state})`);
    return { caseId, caseNumber: detail.caseNumber };
  }

  async function issueReceipt(row: FilingRow, filing: SealedFiling, caseId: string, caseNumber: string, now: Date) {
    const court = await getCourt({ db: deps.db, courtId: row.courtId });
    if (!court) throw new Error(`court ${row.courtId} of filing ${row.id} not found`);
    const open = openFiling(filing, deps.cipher);
    const materials = filing.materials.map((material) => ({ name: material.name, copies: 1, pages: material.pages }));
    const issuing = await deps.issuing();
    // Without a court CA nothing is issued (a server install's CA is the court's to make): the acceptance waits for it.
    if (!issuing) throw new Error('no court CA on this node: the filing receipt cannot be sealed');
    const { document } = await issueCaseDocument(issuing, {
      caseId,
      template: 'filingReceipt',
      data: {
        courtName: court.name,
        filingReference: row.id,
        caseNumber,
        cause: CAUSES[filing.cause].name,
        plaintiffs: open.plaintiffs.map(receiptPartyOf),
        defendants: open.defendants.map(receiptPartyOf),
        submittedAt: row.submittedAt.toISOString(),
        issuedOn: courtToday(now),
        // A filing without uploaded materials still handed in its complaint, online.
        materials: materials.length > 0 ? materials : [{ name: '起诉状（网上提交）', copies: 1, pages: 1 }],
      },
      details: { filingId: row.id },
    });
    return document;
  }

  async function notify(row: FilingRow, review: FilingReview | null, caseId: string, caseNumber: string, receiptDocumentId: string) {
    const receiptPath = `/api/v1/cases/${caseId}/documents/${receiptDocumentId}/content`;
    const recipients = [...new Set([row.filedBy, ...(row.agentUserId ? [row.agentUserId] : [])])];
    for (const userId of recipients) {
      await deliverFilingNotice({
        db: deps.db,
        filingId: row.id,
        message: {
          userId,
          kind: 'filingAccepted',
          title: `立案通知：${caseNumber}`,
          titleEn: `Case accepted: ${caseNumber}`,
          body: { caseId, caseNumber, receiptDocumentId, receiptPath, cause: row.cause },
          link: receiptPath,
          documentId: receiptDocumentId,
        },
      });
      const fee = review?.evaluation.fee;
      if (fee) {
        await deliverFilingNotice({
          db: deps.db,
          filingId: row.id,
          message: {
            userId,
            kind: 'feeNotice',
            title: `缴费通知：${caseNumber} 应交案件受理费 ${fee.fee} 元`,
            titleEn: `Fee notice: ${caseNumber}, acceptance fee ${fee.fee} yuan`,
            body: { caseId, caseNumber, fee },
            link: `/api/v1/filings/${row.id}`,
          },
        });
      }
    }
  }

  async function run(filingId: string): Promise<FilingAcceptance | null> {
    const row = await getFiling({ db: deps.db, filingId });
    if (!row || !ACCEPTING_STATES.has(row.state)) return null;
    const filing = row.filing as unknown as SealedFiling;
    const review = row.decision as unknown as FilingReview | null;
    // The clerk who decided accepts the case in their name; an automatic acceptance is the system's.
    const decider = row.decidedBy && row.state === 'clerkAccepted' ? { userId: row.decidedBy, role: (await clerkRoleOf(row)) ?? 'clerk' } : FILING_SYSTEM_SENDER;
    const now = new Date();
    const { caseId, caseNumber } = await ensureCase(row, filing, decider);
    const receipt = await issueReceipt(row, filing, caseId, caseNumber, now);
    await bindFilingMaterials({
      db: deps.db,
      filingId: row.id,
      materialIds: filing.materials.map((material) => material.id),
      ownerIds: [row.filedBy, ...(row.agentUserId ? [row.agentUserId] : [])],
    });
    await notify(row, review, caseId, caseNumber, receipt.id);
    const recorded = await deps.actors.ask(
      { kind: FILING_KIND, id: row.id },
      { type: 'RECORD_ACCEPTANCE', by: FILING_SYSTEM_SENDER, caseId, caseNumber, receiptDocumentId: receipt.id },
    );
    // FILING_TRANSITION_NOT_ALLOWED: another node recorded it first.
    if (!recorded.ok && recorded.error.code !== 'FILING_TRANSITION_NOT_ALLOWED') throw new AcceptanceError('RECORD_ACCEPTANCE', recorded);
    log.info('filing accepted', { filingId: row.id, caseId, caseNumber, receiptDocumentId: receipt.id });
    return { caseId, caseNumber, receiptDocumentId: receipt.id };
  }

  /** The deciding clerk's (or judge's) role, as the case actor's events record the sender. */
  async function clerkRoleOf(row: FilingRow): Promise<string | null> {
    const [user] = await deps.db.select({ role: users.role }).from(users).where(eq(users.id, row.decidedBy!)).limit(1);
    return user?.role ?? null;
  }

  const accept = (filingId: string): Promise<FilingAcceptance | null> => {
    const pending = running.get(filingId);
    if (pending) return pending;
    if (stopped) return Promise.resolve(null);
    const attempt = run(filingId).finally(() => running.delete(filingId));
    running.set(filingId, attempt);
    return attempt;
  };

  const reconcile = async () => {
    for (const filingId of await listFilingsToAccept({ db: deps.db })) {
      if (stopped) return;
      await accept(filingId).catch((error: unknown) => log.error('filing acceptance failed', { filingId, error }));
    }
  };

  /** 补正通知 / 不予受理通知: the filer (and agent) told of a return or rejection, once per journalled decision. */
  async function notifyDecision(filingId: string, seq: number) {
    const row = await getFiling({ db: deps.db, filingId });
    if (!row || (row.state !== 'returned' && row.state !== 'rejected') || row.lastSeq !== seq) return;
    const correction = row.correction as { deadline?: string; fields?: string[] } | null;
    const returned = row.state === 'returned';
    for (const userId of new Set([row.filedBy, ...(row.agentUserId ? [row.agentUserId] : [])])) {
      await deliverFilingNotice({
        db: deps.db,
        filingId: row.id,
        once: { seq },
        message: {
          userId,
          kind: returned ? 'filingReturned' : 'filingRejected',
          title: returned ? `补正通知：请于${correction?.deadline ?? ''}前补正立案材料` : '不予受理通知',
          titleEn: returned ? `Correction needed by ${correction?.deadline ?? ''}` : 'Filing rejected',
          body: { cause: row.cause, reasons: row.reasons ?? [], ...(returned ? { correction } : {}) },
          link: `/api/v1/filings/${row.id}`,
        },
      });
    }
  }

  // Not a serialised reconcile pass (actors/runtime/event-batch-reactor.ts) like its neighbours: acceptances of
  // different filings run side by side, each single-flight in `running`.
  const subscription = subscribeActorEventBatches(deps.bus, FILING_KIND, (events) => {
    for (const event of events) {
      if (typeof event.id !== 'string' || typeof event.state !== 'string') continue;
      const filingId = event.id;
      if (ACCEPTING_STATES.has(event.state)) {
        void accept(filingId).catch((error: unknown) => log.error('filing acceptance failed', { filingId, error }));
      } else if ((event.state === 'returned' || event.state === 'rejected') && typeof event.seq === 'number' && !stopped) {
        void notifyDecision(filingId, event.seq).catch((error: unknown) => log.error('filing notice not delivered', { filingId, error }));
      }
    }
  });
  const started = reconcile().catch((error: unknown) => log.error('reconciling filing acceptances failed', { error }));

  return {
    accept,
    reconcile,
    async stop() {
      stopped = true;
      subscription.unsubscribe();
      await started;
      await Promise.allSettled([...running.values()]);
    },
  };
}

export type { FilingContext };
