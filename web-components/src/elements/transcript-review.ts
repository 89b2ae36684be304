// <ecourt-transcript-review>: the transcript's confirmation (笔录确认) inside the transcript editor.
// Reviewers see the frozen banner, what they marked and submit their review (confirm, or object with
// their notes); the judge sees everyone's review and settles each objection (corrected with new text,
// or dismissed). State comes from the hearing (GET …/live); the marks themselves live in the Y.Doc.
import { LitElement, html, css, nothing } from 'lit';
import { ApiError, apiUrl } from '../api.ts';
import { getWithToken } from '../collab/hub-fetch.ts';
import { LocaleController } from '../locale.ts';
import { baseStyles } from '../styles.ts';
import { formatDateTime } from '../format.ts';
import { failureAlert } from '../fetched.ts';
import type { SessionUser } from '../session.ts';
import type { SegmentConfirmation, TranscriptSegment } from '../collab/transcript-doc.ts';

interface Objection {
  segmentId: string;
  note: string;
  at: string;
  resolution: { decision: 'corrected' | 'dismissed'; note: string; at: string } | null;
}
interface ReviewedParticipant {
  participantId: string;
  role: string;
  displayName: string;
  transcriptReview?: { reviewedAt: string | null; objections: Objection[] } | null;
}
interface LiveAnswer {
  hearing: {
    state: string;
    participants: ReviewedParticipant[];
    transcript?: { confirmBy: string | null; submittedAt: string; archivedBecause: string | null } | null;
  };
  me: { participantId: string; role: string } | null;
}

async function postWithToken<T>(apiBase: string, path: string, token: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(apiUrl(apiBase, path), {
      method: 'POST',
      headers: { accept: 'application/json', authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new ApiError(0, 'NETWORK', (error as Error).message);
  }
  const payload = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
  if (!response.ok) throw new ApiError(response.status, payload?.error?.code ?? 'INTERNAL', payload?.error?.message ?? response.statusText);
  return payload as T;
}

type ReviewStatus = 'notReviewed' | 'confirmed' | 'objected';
const statusOf = (review: ReviewedParticipant['transcriptReview']): ReviewStatus =>
  !review?.reviewedAt ? 'notReviewed' : review.objections.length > 0 ? 'objected' : 'confirmed';

/** How soon the review looks again while the hearing is still concluding (between the freeze and the review's opening). */
const RELOAD_WHILE_CONCLUDING_MS = 1000;

export class EcourtTranscriptReview extends LitElement {
  static override properties = {
    hearingId: { type: String, attribute: 'hearing-id' },
    apiBase: { type: String, attribute: 'api-base' },
    token: { type: String },
    user: { attribute: false },
    segments: { attribute: false },
    ownMarks: { attribute: false },
    frozenAt: { type: String, attribute: 'frozen-at' },
    live: { state: true },
    busy: { state: true },
    failure: { state: true },
    resolving: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      .banner { border-left: 4px solid var(--ecourt-accent, #8b0000); padding: 0.4rem 0.7rem; background: var(--ecourt-shade); margin: 0.5rem 0; }
      ul.reviews { list-style: none; padding: 0; margin: 0.4rem 0; display: grid; gap: 0.4rem; }
      .objection { margin-left: 1rem; font-size: 0.92rem; }
      .buttons { display: flex; gap: 0.5rem; flex-wrap: wrap; margin-top: 0.4rem; }
      [data-status='confirmed'] { color: var(--ecourt-ok); }
      [data-status='objected'] { color: var(--ecourt-error); }
    `,
  ];

  declare hearingId: string;
  declare apiBase: string;
  declare token: string;
  declare user: SessionUser | null;
  declare segments: TranscriptSegment[];
  declare ownMarks: Record<string, SegmentConfirmation>;
  declare frozenAt: string;
  declare live: LiveAnswer | null;
  declare busy: boolean;
  declare failure: unknown;
  /** The objection the judge is settling: `participantId|segmentId` and how. */
  declare resolving: { key: string; decision: 'corrected' | 'dismissed' } | null;

  private readonly locale = new LocaleController(this);
  private loadedFor = '';
  /** A look again while the freeze is in the document but the hearing has not opened the review yet. */
  private reload: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    super();
    this.hearingId = '';
    this.apiBase = '';
    this.token = '';
    this.user = null;
    this.segments = [];
    this.ownMarks = {};
    this.frozenAt = '';
    this.live = null;
    this.busy = false;
    this.failure = null;
    this.resolving = null;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    // The freeze (and each later change of the marks) is when the hearing's review state may have moved.
    const key = `${this.hearingId}|${this.token}|${this.frozenAt}`;
    if (this.hearingId && this.token && (key !== this.loadedFor || changed.has('ownMarks'))) {
      this.loadedFor = key;
      void this.load();
    }
  }

  private async load(): Promise<void> {
    try {
      this.live = await getWithToken<LiveAnswer>(this.apiBase, `/api/v1/hearings/${encodeURIComponent(this.hearingId)}/live`, this.token);
      // The freeze reaches the document a moment before the hearing actor opens the review (the version is saved
      // and submitted first; longer on a busy node): until the hearing is concluded no more, look again shortly.
      if (this.frozenAt && this.live.hearing?.state === 'concluded') this.loadAgainSoon();
      const mine = this.live.hearing?.participants.find((p) => p.participantId === this.live?.me?.participantId);
      // The editor hides its per-segment marks once a review is in: changing them then would change nothing.
      const reviewed = mine?.transcriptReview ? statusOf(mine.transcriptReview) !== 'notReviewed' : false;
      this.dispatchEvent(new CustomEvent('transcript-reviewed', { detail: { reviewed }, bubbles: true, composed: true }));
    } catch (error) {
      this.failure = error;
    }
  }

  private loadAgainSoon(): void {
    if (this.reload) clearTimeout(this.reload);
    this.reload = setTimeout(() => {
      this.reload = null;
      if (this.isConnected) void this.load();
    }, RELOAD_WHILE_CONCLUDING_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.reload) clearTimeout(this.reload);
    this.reload = null;
  }

  private async act(work: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    this.failure = null;
    try {
      await work();
      this.resolving = null;
      await this.load();
    } catch (error) {
      this.failure = error;
    } finally {
      this.busy = false;
    }
  }

  private submitReview = () =>
    this.act(() => postWithToken(this.apiBase, `/api/v1/hearings/${encodeURIComponent(this.hearingId)}/transcript/review`, this.token));

  private resolve(participantId: string, segmentId: string, decision: 'corrected' | 'dismissed', event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const note = String(form.get('note') ?? '').trim();
    const text = decision === 'corrected' ? String(form.get('text') ?? '') : undefined;
    void this.act(() =>
      postWithToken(this.apiBase, `/api/v1/hearings/${encodeURIComponent(this.hearingId)}/transcript/objections/resolve`, this.token, {
        participantId,
        segmentId,
        decision,
        note,
        ...(text === undefined ? {} : { text }),
      }),
    );
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    const hearing = this.live?.hearing;
    if (!this.frozenAt && !hearing?.transcript) return nothing;
    const archived = hearing?.state === 'archived';
    const mine = hearing?.participants.find((p) => p.participantId === this.live?.me?.participantId);
    const isJudge = this.live?.me?.role === 'judge';
    return html`<section data-testid="transcript-review" data-state=${hearing?.state ?? ''}>
      <div class="banner" role="status" data-testid="transcript-frozen">
        ${archived
          ? html`<strong data-testid="transcript-archived">${t('review.archived')}</strong>`
          : html`${this.frozenAt ? t('review.frozen', { at: formatDateTime(lang, this.frozenAt) }) : nothing}
              ${hearing?.transcript?.confirmBy ? html`<br />${t('review.deadline', { at: formatDateTime(lang, hearing.transcript.confirmBy) })}` : nothing}`}
      </div>
      ${failureAlert(lang, this.failure, { testId: 'review-error', withServerMessage: true })}
      ${(this.failure as { code?: string } | null)?.code === 'FACE_CHECK_REQUIRED' && hearing?.state === 'transcriptConfirmation'
        ? // 刷脸确认: the hub asks enrolled reviewers for a fresh face check; after a pass the review goes in again.
          html`<ecourt-identity-check
            purpose="transcript"
            hearing-id=${this.hearingId}
            api-base=${this.apiBase}
            token=${this.token}
            @identity-checked=${(event: CustomEvent<{ passed: boolean }>) => (event.detail.passed ? void this.submitReview() : undefined)}
          ></ecourt-identity-check>`
        : nothing}
      ${mine?.transcriptReview ? this.renderOwnReview(mine, hearing!.state === 'transcriptConfirmation') : nothing}
      ${isJudge && hearing ? this.renderReviews(hearing.participants, hearing.state === 'transcriptConfirmation') : nothing}
    </section>`;
  }

  private renderOwnReview(mine: ReviewedParticipant, open: boolean) {
    const t = this.locale.t.bind(this.locale);
    const status = statusOf(mine.transcriptReview);
    const marks = Object.values(this.ownMarks);
    const objected = marks.filter((mark) => mark.status === 'objected').length;
    const confirmed = marks.length - objected;
    return html`<p data-testid="own-review" data-status=${status}>${t('review.mine', { status: t(`review.status.${status}`) })}</p>
      ${open && status === 'notReviewed'
        ? html`<p class="muted" data-testid="own-marks">${t('review.marked', { confirmed: String(confirmed), objected: String(objected) })}</p>
            <div class="buttons">
              <button type="button" data-testid="review-confirm" ?disabled=${this.busy || objected > 0} @click=${this.submitReview}>${t('review.submitConfirm')}</button>
              <button type="button" data-testid="review-object" ?disabled=${this.busy || objected === 0} @click=${this.submitReview}>${t('review.submitObjections')}</button>
            </div>`
        : nothing}`;
  }

  private renderReviews(participants: ReviewedParticipant[], open: boolean) {
    const t = this.locale.t.bind(this.locale);
    const reviewers = participants.filter((p) => p.transcriptReview);
    return html`<h3>${t('review.participants')}</h3>
      <ul class="reviews" data-testid="reviews">
        ${reviewers.map((p) => {
          const status = statusOf(p.transcriptReview);
          return html`<li data-testid="review-entry" data-participant-id=${p.participantId} data-status=${status}>
            ${p.displayName}：${t(`review.status.${status}`)}
            ${p.transcriptReview!.objections.map((objection) => this.renderObjection(p.participantId, objection, open))}
          </li>`;
        })}
      </ul>`;
  }

  private renderObjection(participantId: string, objection: Objection, open: boolean) {
    const t = this.locale.t.bind(this.locale);
    const key = `${participantId}|${objection.segmentId}`;
    const segment = this.segments.find((s) => s.id === objection.segmentId);
    const label = segment ? `${segment.speaker.displayName}: ${segment.text.slice(0, 40)}` : objection.segmentId;
    const resolving = this.resolving?.key === key ? this.resolving : null;
    return html`<div class="objection" data-testid="objection" data-segment-id=${objection.segmentId}>
      ${t('review.objection', { segment: label, note: objection.note })}
      ${objection.resolution
        ? html`<div data-testid="objection-resolution" data-decision=${objection.resolution.decision}>${t(`review.resolved.${objection.resolution.decision}`, { note: objection.resolution.note })}</div>`
        : !open
          ? nothing
          : resolving
            ? html`<form data-testid="resolve-form" @submit=${(event: SubmitEvent) => this.resolve(participantId, objection.segmentId, resolving.decision, event)}>
                ${resolving.decision === 'corrected'
                  ? html`<label for=${`text-${key}`}>${t('review.correctedText')}</label>
                      <textarea id=${`text-${key}`} name="text" data-testid="resolve-text" required .value=${segment?.text ?? ''}></textarea>`
                  : nothing}
                <label for=${`note-${key}`}>${t('review.resolutionNote')}</label>
                <textarea id=${`note-${key}`} name="note" data-testid="resolve-note" required></textarea>
                <div class="buttons">
                  <button type="submit" data-testid="resolve-submit" ?disabled=${this.busy}>${t('review.submit')}</button>
                  <button type="button" class="secondary" @click=${() => (this.resolving = null)}>${t('transcript.cancel')}</button>
                </div>
              </form>`
            : html`<div class="buttons">
                <button type="button" data-testid="objection-correct" @click=${() => (this.resolving = { key, decision: 'corrected' })}>${t('review.corrected')}</button>
                <button type="button" class="secondary" data-testid="objection-dismiss" @click=${() => (this.resolving = { key, decision: 'dismissed' })}>${t('review.dismiss')}</button>
              </div>`}
    </div>`;
  }
}
