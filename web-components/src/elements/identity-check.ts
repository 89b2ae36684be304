// <ecourt-identity-check purpose hearing-id document-id>: the live face check (身份核验 / 刷脸) a person
// passes at the hearing's gate, before confirming a transcript, before signing a document (e.g. the
// complaint of a filing draft, document-id 'complaint:<draftId>'), or to try it out. Opens the camera, asks the
// server for a random challenge ("请向左转头"), counts down, captures ~10 JPEG frames over ~2 s and
// posts them; shows the result — the refusal in the reader's language — with a retry. Emits
// `identity-checked` (detail: the LiveFaceCheck) after every judged attempt.
import { LitElement, html, css, nothing } from 'lit';
import { ApiError, apiUrl } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { SessionController } from '../session.ts';
import { baseStyles } from '../styles.ts';
import { errorText } from '../format.ts';
import type { MessageKey } from '../i18n.ts';

export type IdentityCheckPurpose = 'hearing' | 'transcript' | 'signing' | 'self';
type Stage = 'idle' | 'starting' | 'countdown' | 'capturing' | 'checking' | 'done' | 'failed';

/** The hub's answer to a check (hub/identity/live-face-check.ts LiveFaceCheck). */
export interface LiveFaceCheckResult {
  checkId: string;
  passed: boolean;
  refusal: { code: string; message: string; messageZh: string } | null;
  challenge: string;
  distance: number | null;
  at: string;
}

interface Challenge {
  token: string;
  challenge: string;
  expiresAt: string;
  instruction: { zh: string; en: string };
  frames: { min: number; max: number };
}

/** Frames to send and the time they span: enough for a head turn, well inside the server's 3–15. */
const FRAME_COUNT = 10;
const CAPTURE_MS = 2000;
const COUNTDOWN_SECONDS = 3;
/** Frames are scaled down to this width: the face models need ~100 px faces, not 1080p uploads. */
const FRAME_WIDTH = 640;

/** What the check is for, told before the camera opens. */
const INTRO: Partial<Record<IdentityCheckPurpose, MessageKey>> = {
  hearing: 'identityCheck.introHearing',
  transcript: 'identityCheck.introTranscript',
  signing: 'identityCheck.introSigning',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class EcourtIdentityCheck extends LitElement {
  static override properties = {
    purpose: { type: String },
    hearingId: { type: String, attribute: 'hearing-id' },
    documentId: { type: String, attribute: 'document-id' },
    hub: { type: String },
    apiBase: { type: String, attribute: 'api-base' },
    token: { type: String },
    stage: { state: true },
    challenge: { state: true },
    countdown: { state: true },
    result: { state: true },
    failure: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      video { width: 100%; max-width: 28rem; aspect-ratio: 4 / 3; background: #111; border-radius: 4px; object-fit: cover; display: block; transform: scaleX(-1); }
      .instruction { font-size: 1.25rem; font-weight: 600; margin: 0.5rem 0; }
      .countdown { font-size: 2rem; font-weight: 700; color: var(--ecourt-accent); }
      .result { border-left: 6px solid var(--ecourt-line); padding: 0.5rem 0.8rem; background: var(--ecourt-shade); border-radius: 4px; margin-top: 0.5rem; }
      .result[data-passed='true'] { border-color: var(--ecourt-ok); }
      .result[data-passed='false'] { border-color: var(--ecourt-error); }
      .buttons { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.5rem; }
    `,
  ];

  declare purpose: IdentityCheckPurpose;
  declare hearingId: string;
  declare documentId: string;
  declare hub: string;
  declare apiBase: string;
  declare token: string;
  declare stage: Stage;
  declare challenge: Challenge | null;
  declare countdown: number;
  declare result: LiveFaceCheckResult | null;
  declare failure: unknown;

  private readonly locale = new LocaleController(this);
  private readonly sessions = new SessionController(this);
  private stream: MediaStream | null = null;
  /** Bumped on every start and on disconnect: a stale attempt stops at its next await. */
  private attempt = 0;

  constructor() {
    super();
    this.purpose = 'self';
    this.hearingId = '';
    this.documentId = '';
    this.hub = '';
    this.apiBase = '';
    this.token = '';
    this.stage = 'idle';
    this.challenge = null;
    this.countdown = 0;
    this.result = null;
    this.failure = null;
  }

  private get api(): string {
    return this.apiBase || this.hub;
  }

  /** The purpose as the hub takes it (hearing and transcript checks name their hearing, signing its document). */
  private purposeBody(): Record<string, string> {
    if (this.purpose === 'hearing' || this.purpose === 'transcript') return { kind: this.purpose, hearingId: this.hearingId };
    if (this.purpose === 'signing') return { kind: 'signing', documentId: this.documentId };
    return { kind: 'self' };
  }

  /** The hearing's gate answers in its own route, which also admits the party to the waiting room. */
  private checkPath(): string {
    return this.purpose === 'hearing' ? `/api/v1/hearings/${encodeURIComponent(this.hearingId)}/identity-check` : '/api/v1/me/face-checks';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.attempt += 1;
    this.stopCamera();
  }

  private stopCamera(): void {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
  }

  private async post<T>(path: string, body: unknown, token: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(apiUrl(this.api, path), {
        method: 'POST',
        headers: { accept: 'application/json', authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(0, 'NETWORK', (error as Error).message);
    }
    const payload = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string; details?: unknown } } | undefined;
    if (!response.ok) throw new ApiError(response.status, payload?.error?.code ?? 'INTERNAL', payload?.error?.message ?? response.statusText, payload?.error?.details);
    return payload as T;
  }

  /** One attempt: camera, challenge, countdown, frames, verdict. Started by a click. */
  private async run(): Promise<void> {
    const token = this.sessions.effectiveToken(this.token);
    if (!token) return;
    const attempt = ++this.attempt;
    const current = () => attempt === this.attempt;
    this.result = null;
    this.failure = null;
    this.challenge = null;
    this.stage = 'starting';
    try {
      if (!this.stream) this.stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
      if (!current()) return;
      await this.updateComplete;
      const video = this.renderRoot.querySelector('video');
      if (!video) return;
      video.srcObject = this.stream;
      await video.play().catch(() => undefined);
      const purpose = this.purposeBody();
      this.challenge = await this.post<Challenge>('/api/v1/me/face-checks/challenge', { purpose }, token);
      if (!current()) return;
      this.stage = 'countdown';
      for (let left = COUNTDOWN_SECONDS; left > 0; left -= 1) {
        this.countdown = left;
        await sleep(1000);
        if (!current()) return;
      }
      this.stage = 'capturing';
      const frames = await captureFrames(video, FRAME_COUNT, CAPTURE_MS, current);
      if (!current()) return;
      this.stage = 'checking';
      const result = await this.post<LiveFaceCheckResult>(this.checkPath(), { token: this.challenge.token, purpose, frames }, token);
      if (!current()) return;
      this.result = result;
      this.stage = 'done';
      if (result.passed) this.stopCamera();
      this.dispatchEvent(new CustomEvent('identity-checked', { detail: result, bubbles: true, composed: true }));
    } catch (error) {
      if (!current()) return;
      this.failure = error;
      this.stage = 'failed';
    }
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    const busy = this.stage === 'starting' || this.stage === 'countdown' || this.stage === 'capturing' || this.stage === 'checking';
    const result = this.result;
    const refusal = result?.refusal ? (lang === 'zh' ? result.refusal.messageZh : result.refusal.message) : null;
    const failureCode = (this.failure as Partial<ApiError> | null)?.code;
    return html`<section class="card" data-testid="identity-check" data-stage=${this.stage} data-passed=${result ? String(result.passed) : 'none'}>
      <h3>${t('identityCheck.title')}</h3>
      <p class="muted">${t(INTRO[this.purpose] ?? 'identityCheck.intro')}</p>
      ${this.stage !== 'idle' && !(result?.passed ?? false) ? html`<video muted playsinline autoplay></video>` : nothing}
      ${this.challenge && busy
        ? html`<p class="instruction" role="status" data-testid="identity-check-instruction" data-challenge=${this.challenge.challenge}>${this.challenge.instruction[lang]}</p>`
        : nothing}
      ${this.stage === 'countdown' ? html`<p class="countdown" aria-live="polite">${this.countdown}</p>` : nothing}
      ${this.stage === 'capturing' ? html`<p role="status">${t('identityCheck.capturing')}</p>` : nothing}
      ${this.stage === 'checking' ? html`<p role="status">${t('identityCheck.checking')}</p>` : nothing}
      ${result
        ? html`<div class="result" role=${result.passed ? 'status' : 'alert'} data-testid="identity-check-result" data-passed=${String(result.passed)} data-code=${result.refusal?.code ?? ''}>
            <strong>${t(result.passed ? 'identityCheck.passed' : 'identityCheck.refused')}</strong>
            ${refusal ? html`<p data-testid="identity-check-refusal">${refusal}</p>` : nothing}
          </div>`
        : nothing}
      ${this.stage === 'failed'
        ? html`<div class="error" role="alert" data-testid="identity-check-error" data-code=${failureCode ?? ''}>
            ${failureCode === 'FACE_NOT_ENROLLED' ? t('identityCheck.notEnrolled') : (this.failure as Error)?.name === 'NotAllowedError' || (this.failure as Error)?.name === 'NotFoundError' ? t('identityCheck.noCamera') : errorText(lang, this.failure, { withServerMessage: true })}
          </div>`
        : nothing}
      ${result?.passed
        ? nothing
        : html`<div class="buttons">
            <button type="button" data-testid="identity-check-start" ?disabled=${busy} @click=${() => void this.run()}>
              ${t(this.stage === 'idle' ? 'identityCheck.start' : 'identityCheck.retry')}
            </button>
          </div>`}
    </section>`;
  }
}

/** `count` JPEG data URLs of the video, spread over `spanMs`, scaled to FRAME_WIDTH (unmirrored, as the camera sees). */
async function captureFrames(video: HTMLVideoElement, count: number, spanMs: number, current: () => boolean): Promise<string[]> {
  const width = Math.min(FRAME_WIDTH, video.videoWidth || FRAME_WIDTH);
  const height = Math.round((width * (video.videoHeight || 480)) / (video.videoWidth || 640));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d canvas');
  const frames: string[] = [];
  for (let index = 0; index < count && current(); index += 1) {
    context.drawImage(video, 0, 0, width, height);
    frames.push(canvas.toDataURL('image/jpeg', 0.85));
    if (index < count - 1) await sleep(spanMs / (count - 1));
  }
  return frames;
}
