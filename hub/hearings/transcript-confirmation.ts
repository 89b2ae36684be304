// Follows the hearing actors to drive the transcript's confirmation (笔录确认) from the hub: when a
// hearing concludes, freezes its transcript (after the `beforeFreeze` hook, e.g. speech recognition
// draining its last results), saves the version and submits it to the actor with its hash and the
// confirmation deadline; when a hearing is archived, files the transcript with its case — a 庭审笔录 PDF
// sealed with the court seal (documents/issuing), or its plain text when no seal can be applied or the
// template refuses the data (the refusal recorded for court staff). Both steps are idempotent, so the
// start-up sweep finishes what a stopped node left half done.
import type { Bus, BusSubscription } from '../../actors/bus/bus.ts';
import { subjects } from '../../actors/bus/subjects.ts';
import { HEARING_KIND } from '../../actors/hearing/hearing-behaviour.ts';
import { SYSTEM_SENDER, type HearingSummary } from '../../actors/hearing/hearing.protocol.ts';
import type { ActorClient } from '../../actors/runtime/types.ts';
import type { Logger } from '../../platform/logger.ts';
import type { BlobStore } from '../../storage/blobs/blob-store.ts';
import { fileHearingTranscript } from '../../storage/documents/file-hearing-transcript.ts';
import type { Db } from '../../storage/database.ts';
import { listTranscriptsToSettle } from '../../storage/hearings/list-transcripts-to-settle.ts';
import { transcriptDocName } from '../collab/doc-names.ts';
import type { RoomRegistry } from '../collab/room-registry.ts';
import { freezeTranscript } from '../collab/transcript-freeze.ts';
import type { TranscriptService } from '../collab/transcript-service.ts';
import { filingDetails, renderFiledTranscript, transcriptDocumentData, type TranscriptFilingDetails } from './transcript-filing.ts';
import { AppError } from '../../platform/errors.ts';
import { issueCaseDocument, type DocumentIssuing } from '../../documents/issuing/issue-document.ts';
import { readCaseIssuingFacts } from '../../storage/documents/case-issuing-facts.ts';
import { HEARING_TRANSCRIPT_KIND, type CourtDocument } from '../../storage/documents/court-documents.ts';
import { getHearingSpan } from '../../storage/documents/hearing-span.ts';
import { recordIssueRefusal } from '../../storage/documents/issue-refusals.ts';
import { batchEvents } from '../../actors/runtime/event-batch-reactor.ts';

export interface TranscriptConfirmationOptions {
  bus: Bus;
  db: Db;
  actors: ActorClient;
  rooms: RoomRegistry;
  transcripts: TranscriptService;
  blobs: BlobStore;
  logger: Logger;
  /** How long reviewers have after the freeze (ECOURT_TRANSCRIPT_CONFIRM_HOURS). */
  confirmHours: number;
  /** Awaited before the freeze: what must land in the transcript first (live recognition's last results). */
  beforeFreeze?: (hearingId: string) => Promise<void>;
  /** How court documents are issued now (null: no court CA, the transcript is filed as text). */
  documentIssuing?: () => Promise<DocumentIssuing | null>;
}

interface FollowedHearing {
  id: string;
  caseId: string;
  state: string;
  summary: HearingSummary;
}

export class TranscriptConfirmation {
  private subscription: BusSubscription | null = null;
  /** One job per hearing and step at a time (an event and the start-up sweep may name the same one). */
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;
  private readonly log: Logger;

  constructor(private readonly options: TranscriptConfirmationOptions) {
    this.log = options.logger.child({ component: 'transcript-confirmation' });
  }

  /** Follows the hearings' events and finishes what was left undone while no hub ran. */
  async start(): Promise<void> {
    this.stopped = false;
    this.subscription ??= this.options.bus.subscribe(subjects.actorEventBatch(HEARING_KIND), (payload) => this.onHearingEvents(payload));
    await this.sweep();
  }

  /** Concluded hearings never submitted, archived ones never filed: their step, once. */
  async sweep(): Promise<void> {
    const hearings = await listTranscriptsToSettle({ db: this.options.db });
    await Promise.all(hearings.map((hearing) => this.follow({ ...hearing, summary: hearing.summary as unknown as HearingSummary })));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    this.subscription = null;
    await Promise.allSettled([...this.running.values()]);
  }

  /** Resolves when the hearing's current steps are done (tests, shutdown). */
  async settled(hearingId: string): Promise<void> {
    await Promise.allSettled([...this.running.entries()].filter(([key]) => key.startsWith(`${hearingId}:`)).map(([, job]) => job));
  }

  private onHearingEvents(payload: unknown): void {
    const events = batchEvents(payload);
    const newest = new Map<string, FollowedHearing>();
    for (const event of events) {
      const summary = event?.summary as HearingSummary | undefined;
      if (typeof event?.id !== 'string' || typeof event.state !== 'string' || typeof summary?.caseId !== 'string') continue;
      newest.set(event.id, { id: event.id, caseId: summary.caseId, state: event.state, summary });
    }
    for (const hearing of newest.values()) void this.follow(hearing);
  }

  private follow(hearing: FollowedHearing): Promise<void> {
    if (hearing.state === 'concluded') return this.once(`${hearing.id}:freeze`, () => this.freezeAndSubmit(hearing));
    if (hearing.state === 'archived') return this.once(`${hearing.id}:file`, () => this.file(hearing));
    return Promise.resolve();
  }

  private once(key: string, job: () => Promise<void>): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const current = this.running.get(key);
    if (current) return current;
    const run = job()
      .catch((error: unknown) => this.log.error('transcript confirmation step failed', { error, step: key.split(':')[1] }))
      .finally(() => this.running.delete(key));
    this.running.set(key, run);
    return run;
  }

  private async freezeAndSubmit(hearing: FollowedHearing): Promise<void> {
    if (this.options.beforeFreeze) {
      // A failed drain must not keep the transcript open for ever: it is frozen with what arrived.
      await this.options.beforeFreeze(hearing.id).catch((error: unknown) => this.log.warn('before-freeze hook failed', { error, hearingId: hearing.id }));
    }
    const frozen = await freezeTranscript({ registry: this.options.rooms, db: this.options.db, docName: transcriptDocName(hearing.caseId, hearing.id) });
    const confirmBy = new Date(Date.parse(frozen.frozenAt) + this.options.confirmHours * 3600_000).toISOString();
    const reply = await this.options.actors.ask(
      { kind: HEARING_KIND, id: hearing.id },
      { type: 'SUBMIT_TRANSCRIPT', by: SYSTEM_SENDER, transcriptId: frozen.versionId, sha256: frozen.sha256, confirmBy },
    );
    // Refused as INVALID_STATE: the clerk submitted by hand meanwhile, or another node did.
    if (!reply.ok && reply.error.code !== 'INVALID_STATE') throw new Error(`SUBMIT_TRANSCRIPT refused: ${reply.error.code}`);
  }

  private async file(hearing: FollowedHearing): Promise<void> {
    const docName = transcriptDocName(hearing.caseId, hearing.id);
    const transcript = await this.options.transcripts.read(docName);
    const details = filingDetails(hearing.summary, transcript.sha256);
    const day = hearing.summary.startsAt ? hearing.summary.startsAt.slice(0, 10) : '';
    const title = `庭审笔录 / Hearing transcript ${day}`.trim();
    const sealed = await this.issueSealed(hearing, docName, title, details);
    const { document, filed } =
      sealed ??
      (await fileHearingTranscript({
        db: this.options.db,
        blobs: this.options.blobs,
        caseId: hearing.caseId,
        hearingId: hearing.id,
        title,
        content: renderFiledTranscript(transcript.text, details),
        details: details as unknown as Record<string, unknown>,
      }));
    if (filed) this.log.info('hearing transcript filed with the case', { hearingId: hearing.id, documentId: document.id, mimeType: document.mimeType });
  }

  /** The sealed PDF; null (so the text is filed) without a court CA or when the template or the seal refuses. */
  private async issueSealed(hearing: FollowedHearing, docName: string, title: string, details: TranscriptFilingDetails): Promise<{ document: CourtDocument; filed: boolean } | null> {
    const issuing = await this.options.documentIssuing?.();
    if (!issuing) return null;
    const facts = await readCaseIssuingFacts({ db: this.options.db, caseId: hearing.caseId });
    if (!facts) return null;
    const [segments, span] = await Promise.all([this.options.transcripts.segments(docName), getHearingSpan({ db: this.options.db, hearingId: hearing.id })]);
    const data = transcriptDocumentData({ facts, summary: hearing.summary, segments, ...span, details });
    try {
      const { document, issued } = await issueCaseDocument(issuing, {
        caseId: hearing.caseId,
        hearingId: hearing.id,
        template: HEARING_TRANSCRIPT_KIND,
        data,
        title,
        details: details as unknown as Record<string, unknown>,
      });
      return { document, filed: issued };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const reported = (error.details as { fields?: unknown } | undefined)?.fields;
      const fields = Array.isArray(reported) ? (reported as { field: string; message: string }[]) : [];
      await recordIssueRefusal({ db: this.options.db, refusal: { caseId: hearing.caseId, hearingId: hearing.id, kind: HEARING_TRANSCRIPT_KIND, code: error.code, message: error.message, fields } });
      this.log.warn('hearing transcript not sealed; filed as text', { hearingId: hearing.id, code: error.code, fields: fields.map((field) => field.field) });
      return null;
    }
  }
}
