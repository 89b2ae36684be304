// 庭中人脸复核: on the hub node that holds a hearing's media, while the hearing is in session, every
// present participant who is not court staff and has an enrolled face is re-checked at random times:
// a key frame of their video (media/video), decoded to PNG, the faces in it compared with the
// enrolled face. Each check is recorded (identity_checks 'face_recheck', no image, no descriptor) and
// told to the hearing actor (IDENTITY_RECHECKED, as system); a non-match also goes to the judge and
// clerk over /rt (`hearing.identityAlert`). A frame that cannot be had (camera off, no key frame) is
// not an alert: it is counted and tried again. Face work must not starve the hearing: one re-check at
// a time per node, none while the face service is busy.
import type { Bus, BusSubscription } from '../../actors/bus/bus.ts';
import { subjects } from '../../actors/bus/subjects.ts';
import { HEARING_KIND } from '../../actors/hearing/hearing-behaviour.ts';
import { PRESENT } from '../../actors/hearing/hearing-participants.ts';
import { SYSTEM_SENDER, type ParticipantStatus } from '../../actors/hearing/hearing.protocol.ts';
import type { MediaPool } from '../../media/sfu/media-pool.ts';
import { VideoFrameError } from '../../media/video/video-frame-error.ts';
import { Vp8FrameDecoder } from '../../media/video/vp8-frame-decoder.ts';
import type { Config } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { getHearingProgress } from '../../storage/hearings/get-hearing-progress.ts';
import { getParticipantAccount } from '../../storage/hearings/get-participant-account.ts';
import { recordFaceRecheck, type FaceRecheckDetails } from '../../storage/identity/record-face-recheck.ts';
import { enrolledDescriptorOf } from '../identity/face-enrolments.ts';
import type { HearingIdentityAlert } from '../realtime/protocol.ts';
import type { HubServices } from '../services.ts';
import { recheckVerdict, type RecheckOutcome } from './recheck-outcome.ts';
import { RecheckSchedule, type RecheckInterval } from './recheck-schedule.ts';
import { batchEvents } from '../../actors/runtime/event-batch-reactor.ts';

/** Court staff are not re-checked: the gate and the re-checks are about parties and their side. */
const STAFF_ROLES: ReadonlySet<string> = new Set(['judge', 'clerk']);

export interface IdentityRechecksOptions {
  pool: MediaPool;
  bus: Bus;
  /** The database, the actors, the face service (`faces`) and the cipher of enrolled faces. */
  services: HubServices;
  interval: RecheckInterval;
  logger: Logger;
  /** One decode at a time on this node unless given. */
  decoder?: Vp8FrameDecoder;
  /** How long to wait for a key frame (default 5 s). */
  grabTimeoutMs?: number;
  retryMs?: number;
  now?: () => number;
}

/** What the re-checks did on this node since it started (for logs and tests). */
export interface RecheckCounts {
  /** Frames compared with an enrolled face and reported (match or not). */
  checked: number;
  /** Of those, the non-matches (mismatch, no face, several faces). */
  alerts: number;
  /** No frame could be had (camera off, no key frame in time, decode failed). */
  framesUnavailable: number;
  /** One face too small to compare: tried again later. */
  facesTooSmall: number;
  /** Skipped because the face service was busy. */
  faceServiceBusy: number;
  /** Participants without a face enrolment (nothing to compare with). */
  notEnrolled: number;
  /** Unexpected failures (logged). */
  errors: number;
}

interface Followed {
  latest: { seq: number; state: string; summary: Record<string, unknown> } | null;
  loading: Promise<void> | null;
}

/**
 * The node's re-checks as configured (ECOURT_FACE_RECHECK_SECONDS), or null when they are off. The face
 * service is the hub's (started on the first re-check of someone with an enrolment).
 */
export function createIdentityRechecks(
  config: Pick<Config, 'ECOURT_FACE_RECHECK_SECONDS'>,
  options: Omit<IdentityRechecksOptions, 'interval'>,
): IdentityRechecks | null {
  const seconds = config.ECOURT_FACE_RECHECK_SECONDS;
  if (!seconds) {
    options.logger.info('identity re-checks during hearings are off (ECOURT_FACE_RECHECK_SECONDS=off)', { component: 'identity-rechecks' });
    return null;
  }
  return new IdentityRechecks({ ...options, interval: { minMs: seconds.minSeconds * 1000, maxMs: seconds.maxSeconds * 1000 } });
}

export class IdentityRechecks {
  readonly counts: RecheckCounts = { checked: 0, alerts: 0, framesUnavailable: 0, facesTooSmall: 0, faceServiceBusy: 0, notEnrolled: 0, errors: 0 };
  private readonly schedule: RecheckSchedule;
  private readonly decoder: Vp8FrameDecoder;
  private readonly hearings = new Map<string, Followed>();
  private subscription: BusSubscription | null = null;
  private readonly offPool: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** The one re-check running on this node, if any. */
  private running: Promise<void> | null = null;
  private decoderMissingLogged = false;
  private stopped = false;
  private readonly log: Logger;

  constructor(private readonly options: IdentityRechecksOptions) {
    this.schedule = new RecheckSchedule({
      interval: options.interval,
      ...(options.retryMs !== undefined ? { retryMs: options.retryMs } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    this.decoder = options.decoder ?? new Vp8FrameDecoder();
    this.log = options.logger.child({ component: 'identity-rechecks' });
  }

  start(): void {
    if (this.subscription || this.stopped) return;
    this.subscription = this.options.bus.subscribe(subjects.actorEventBatch(HEARING_KIND), (payload) => this.onHearingEvents(payload));
    this.offPool.push(
      this.options.pool.events.on('routerCreated', ({ hearingId }) => this.attach(hearingId)),
      this.options.pool.events.on('routerClosed', ({ hearingId }) => this.detach(hearingId)),
    );
    for (const hearingId of this.options.pool.hearingIds) this.attach(hearingId);
    this.log.info('identity re-checks on', { minSeconds: this.options.interval.minMs / 1000, maxSeconds: this.options.interval.maxMs / 1000 });
  }

  /** Stops scheduling and waits for a re-check in progress (hub shutdown: before the database closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    this.subscription = null;
    for (const off of this.offPool.splice(0)) off();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const hearingId of [...this.hearings.keys()]) this.detach(hearingId);
    await this.running;
  }

  /** Resolves when no re-check is running (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private attach(hearingId: string): void {
    if (this.stopped || this.hearings.has(hearingId)) return;
    const followed: Followed = { latest: null, loading: null };
    this.hearings.set(hearingId, followed);
    // A router made mid-hearing (a node took it over): the projection says who is present now.
    followed.loading = getHearingProgress({ db: this.options.services.database.db, hearingId })
      .then((progress) => {
        if (progress) this.learn(followed, progress.lastSeq, progress.state, progress.summary);
      })
      .catch((error: unknown) => this.log.error('could not read the hearing for identity re-checks', { error, hearingId }))
      .finally(() => {
        followed.loading = null;
        this.apply(hearingId, followed);
      });
  }

  private detach(hearingId: string): void {
    if (!this.hearings.delete(hearingId)) return;
    this.schedule.setPresent(hearingId, []);
    this.arm();
  }

  private onHearingEvents(payload: unknown): void {
    const events = batchEvents(payload);
    for (const event of events) {
      if (typeof event?.id !== 'string' || typeof event.state !== 'string' || typeof event.summary !== 'object' || event.summary === null) continue;
      const followed = this.hearings.get(event.id);
      if (!followed) continue;
      this.learn(followed, typeof event.seq === 'number' ? event.seq : Number.MAX_SAFE_INTEGER, event.state, event.summary as Record<string, unknown>);
      if (!followed.loading) this.apply(event.id, followed);
    }
  }

  private learn(followed: Followed, seq: number, state: string, summary: Record<string, unknown>): void {
    if (followed.latest && followed.latest.seq > seq) return;
    followed.latest = { seq, state, summary };
  }

  /** Schedules the hearing's present parties while it is in session; nobody otherwise (paused, ended). */
  private apply(hearingId: string, followed: Followed): void {
    if (this.stopped || this.hearings.get(hearingId) !== followed) return;
    const latest = followed.latest;
    const present = latest && latest.state === 'inSession' ? presentPartiesOf(latest.summary) : [];
    this.schedule.setPresent(hearingId, present);
    this.arm();
  }

  /** One timer for the node: set for the earliest due re-check, unless one is running. */
  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped || this.running) return;
    const wait = this.schedule.msUntilNext();
    if (wait === null) return;
    this.timer = setTimeout(() => this.runNext(), wait);
    // Re-checks never keep a stopping process alive.
    this.timer.unref();
  }

  private runNext(): void {
    this.timer = null;
    if (this.stopped || this.running) return;
    const due = this.schedule.next();
    if (!due) return this.arm();
    this.running = this.recheck(due.hearingId, due.participantId)
      .catch((error: unknown) => {
        this.counts.errors++;
        this.log.error('an identity re-check failed', { error, hearingId: due.hearingId, participantId: due.participantId });
        this.schedule.checked(due.hearingId, due.participantId);
      })
      .finally(() => {
        this.running = null;
        this.arm();
      });
  }

  private async recheck(hearingId: string, participantId: string): Promise<void> {
    const { services } = this.options;
    const db = services.database.db;
    const accountId = await getParticipantAccount({ db, hearingId, participantId });
    const descriptor = accountId ? await enrolledDescriptorOf(services, accountId) : null;
    if (!accountId || !descriptor) {
      // Nothing to compare with (yet): asked again at the next random time.
      this.counts.notEnrolled++;
      return this.schedule.checked(hearingId, participantId);
    }
    const router = this.options.pool.router(hearingId);
    if (!router || router.isClosed) return this.schedule.setPresent(hearingId, []);

    let png: Buffer;
    try {
      const frame = await router.videoFrameGrab(participantId, this.options.grabTimeoutMs !== undefined ? { timeoutMs: this.options.grabTimeoutMs } : {});
      png = await this.decoder.decode(frame);
    } catch (error) {
      if (!(error instanceof VideoFrameError)) throw error;
      this.counts.framesUnavailable++;
      if (error.code === 'VIDEO_DECODER_MISSING') {
        // Every frame would fail the same way: say it once, and keep to the normal pace.
        if (!this.decoderMissingLogged) this.log.warn('identity re-checks cannot decode video: ffmpeg is missing on this node', { reason: error.message });
        this.decoderMissingLogged = true;
        return this.schedule.checked(hearingId, participantId);
      }
      this.log.debug('no video frame for an identity re-check; trying again later', { hearingId, participantId, code: error.code });
      return this.schedule.retry(hearingId, participantId);
    }

    let analysis;
    try {
      analysis = await services.faces.analyse(png);
    } catch (error) {
      if (error instanceof AppError && error.code === 'FACE_BUSY') {
        this.counts.faceServiceBusy++;
        return this.schedule.retry(hearingId, participantId);
      }
      throw error;
    }
    const verdict = recheckVerdict(analysis, descriptor, { threshold: services.faces.threshold, minFacePx: services.faces.minFacePx });
    if (verdict.outcome === null) {
      this.counts.facesTooSmall++;
      return this.schedule.retry(hearingId, participantId);
    }
    // The participant may have left while the frame was analysed: the check is still recorded.
    const check = await recordFaceRecheck({
      db,
      userId: accountId,
      details: {
        hearingId,
        participantId,
        outcome: verdict.outcome,
        distance: verdict.distance === null ? null : Math.round(verdict.distance * 1000) / 1000,
        threshold: services.faces.threshold,
        faces: verdict.faces,
        frameSha256: analysis.sha256,
        summary: summaryOf(verdict.outcome),
      } satisfies FaceRecheckDetails,
    });
    this.counts.checked++;
    this.schedule.checked(hearingId, participantId);
    const reply = await services.actors.ask(
      { kind: HEARING_KIND, id: hearingId },
      {
        type: 'IDENTITY_RECHECKED',
        by: SYSTEM_SENDER,
        participantId,
        checkId: check.id,
        outcome: verdict.outcome,
        ...(verdict.distance !== null ? { distance: Math.min(10, verdict.distance) } : {}),
      },
    );
    if (!reply.ok) this.log.warn('the hearing did not take an identity re-check', { hearingId, participantId, code: reply.error.code });
    if (verdict.outcome === 'match') return;
    this.counts.alerts++;
    // Pseudonymous ids and the outcome only: no name, no image, no distance in the log.
    this.log.warn('identity re-check: the enrolled face was not found on a participant’s camera', { hearingId, participantId, outcome: verdict.outcome, checkId: check.id });
    const caseId = this.hearings.get(hearingId)?.latest?.summary.caseId;
    if (typeof caseId !== 'string') return;
    this.options.bus.publish(subjects.hearingIdentityAlert(), {
      hearingId,
      caseId,
      participantId,
      outcome: verdict.outcome,
      checkId: check.id,
      at: check.at.toISOString(),
    } satisfies HearingIdentityAlert);
  }
}

/** The participants of a hearing summary who are present and not court staff. */
export function presentPartiesOf(summary: Record<string, unknown>): string[] {
  const participants = Array.isArray(summary.participants) ? (summary.participants as Record<string, unknown>[]) : [];
  return participants
    .filter(
      (p) =>
        typeof p?.participantId === 'string' &&
        typeof p.role === 'string' &&
        !STAFF_ROLES.has(p.role) &&
        PRESENT.includes(p.status as ParticipantStatus),
    )
    .map((p) => p.participantId as string);
}

const OUTCOME_TEXT: Record<RecheckOutcome, { en: string; zh: string }> = {
  match: { en: 'the enrolled face', zh: '与采集人脸一致' },
  mismatch: { en: 'another person', zh: '与采集人脸不一致' },
  noFace: { en: 'no face', zh: '未检测到人脸' },
  severalFaces: { en: 'several faces', zh: '检测到多张人脸' },
};

function summaryOf(outcome: RecheckOutcome): { en: string; zh: string } {
  return { en: `Face re-check during a hearing: ${OUTCOME_TEXT[outcome].en}`, zh: `庭中人脸复核：${OUTCOME_TEXT[outcome].zh}` };
}
