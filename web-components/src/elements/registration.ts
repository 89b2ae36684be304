// <ecourt-registration>: 实名注册 for parties and lawyers — optionally a photo of the ID card first
// (read by the server, pre-filling name and number; low-confidence fields are pointed out for
// correction; the image stays in the browser), then name, identity document (checked here with the
// server's own rules before sending), phone with a one-time SMS code (button with a countdown),
// username and password. A pending external sign-in (`pending-external-identity`) is linked by the
// registration itself. Once the account exists: the kept card front is sent again to be recorded as
// an 'id_card_ocr' check, and a face is enrolled from the card's portrait or, when that fails, a
// selfie. Then it fires `ecourt-login`, like <ecourt-login>. Refusals are shown by code, with the
// server's reasons in the chosen language.
import { LitElement, html, css } from 'lit';
import { callApi, ApiError, apiUrl } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { currentSession, setSession } from '../session.ts';
import { baseStyles } from '../styles.ts';
import { errorText } from '../format.ts';
import type { LoginReply } from '../types.ts';
import { isMessageKey, type MessageKey } from '../i18n.ts';
import { checkIdNumber, ID_TYPES, type IdType } from '../../../platform/identity/check-id-number.ts';

interface Bilingual {
  zh?: string;
  en?: string;
}

interface CardField {
  value: string | null;
  confidence: number | null;
  needsCorrection: boolean;
  reasons: ({ code: string } & Bilingual)[];
}

interface CardReading {
  side: 'front' | 'back';
  fields: Record<string, CardField>;
  needsCorrection: boolean;
}

type FaceStage = 'idle' | 'enrolling' | 'enrolled' | 'needSelfie';

/** Posts an image as the raw body (the hub reads the bytes, not a form) and returns the JSON answer. */
async function postImage<T>(apiBase: string, path: string, image: Blob, headers: Record<string, string> = {}): Promise<T> {
  const token = currentSession()?.token;
  let response: Response;
  try {
    response = await fetch(apiUrl(apiBase, path), {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': image.type || 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: image,
    });
  } catch (error) {
    throw new ApiError(0, 'NETWORK', (error as Error).message);
  }
  const payload = (await response.json().catch(() => undefined)) as ({ error?: { code?: string; message?: string; details?: unknown } } & T) | undefined;
  if (!response.ok) throw new ApiError(response.status, payload?.error?.code ?? 'INTERNAL', payload?.error?.message ?? response.statusText, payload?.error?.details);
  return payload as T;
}

/** The fields the form can take from the card, and the card's name for them. */
const PREFILLED: Record<string, string> = { name: 'name', idNumber: 'idNumber' };

export class EcourtRegistration extends LitElement {
  static override properties = {
    apiBase: { type: String, attribute: 'api-base' },
    busy: { state: true },
    failure: { state: true },
    role: { state: true },
    idType: { state: true },
    idProblems: { state: true },
    resendIn: { state: true },
    notice: { state: true },
    pendingExternalIdentity: { type: String, attribute: 'pending-external-identity' },
    suggestedName: { type: String, attribute: 'suggested-name' },
    reading: { state: true },
    readingCard: { state: true },
    registered: { state: true },
    cardCheck: { state: true },
    faceStage: { state: true },
    faceFailure: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      form { max-width: 28rem; }
      .code-row { display: flex; gap: 0.5rem; align-items: end; }
      .code-row input { flex: 1; }
      button[type='submit'] { margin-top: 1rem; width: 100%; }
      .note { color: var(--ecourt-muted); font-size: 0.85rem; }
      ul.problems { color: var(--ecourt-error); margin: 0.25rem 0; padding-left: 1.2rem; }
      fieldset.card-step { border: 1px dashed var(--ecourt-muted); margin: 0.5rem 0 1rem; }
      .ok { color: var(--ecourt-ok, green); }
      .warn { color: var(--ecourt-error); }
    `,
  ];

  declare apiBase: string;
  declare busy: boolean;
  declare failure: unknown;
  declare role: 'party' | 'lawyer';
  declare idType: IdType;
  declare idProblems: Bilingual[];
  declare resendIn: number;
  declare notice: string;
  /** The sealed identity of a first external sign-in, linked to the account this registration opens. */
  declare pendingExternalIdentity: string;
  /** The name the external provider gave, to start the name field with. */
  declare suggestedName: string;
  declare reading: CardReading | null;
  declare readingCard: boolean;
  declare registered: LoginReply | null;
  declare cardCheck: { outcome: 'passed' | 'failed' } | null;
  declare faceStage: FaceStage;
  declare faceFailure: unknown;
  /** The card front as chosen: kept only in this page, sent again once the account exists. */
  private cardFront: File | null = null;
  private readonly locale = new LocaleController(this);
  private countdown: ReturnType<typeof setInterval> | null = null;

  constructor() {
    super();
    this.apiBase = '';
    this.busy = false;
    this.failure = null;
    this.role = 'party';
    this.idType = 'resident';
    this.idProblems = [];
    this.resendIn = 0;
    this.notice = '';
    this.pendingExternalIdentity = '';
    this.suggestedName = '';
    this.reading = null;
    this.readingCard = false;
    this.registered = null;
    this.cardCheck = null;
    this.faceStage = 'idle';
    this.faceFailure = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopCountdown();
  }

  private field(name: string): string {
    const input = this.renderRoot.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
    return input ? input.value : '';
  }

  /** The same rules as the server, at once, so a typo is caught before any code is spent. */
  private checkId(): boolean {
    const number = this.field('idNumber');
    const check = number.trim() === '' ? null : checkIdNumber(this.idType, number);
    this.idProblems = check && !check.valid ? check.reasons : [];
    return check?.valid ?? false;
  }

  /** 拍摄/上传身份证: the server reads the front, compared with what is typed so far; the form is pre-filled. */
  private async readCard(event: Event): Promise<void> {
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    this.cardFront = file;
    this.readingCard = true;
    this.failure = null;
    const typed: Record<string, string> = {};
    const name = this.field('name').trim();
    const number = this.field('idNumber').trim();
    // Percent-encoded: header values must be Latin-1, names are Chinese.
    if (name) typed['x-ecourt-typed-name'] = encodeURIComponent(name);
    if (number) typed['x-ecourt-typed-id-number'] = encodeURIComponent(number);
    try {
      const { reading } = await postImage<{ reading: CardReading }>(this.apiBase, '/api/v1/registrations/id-card?side=front', file, typed);
      this.reading = reading;
      this.idType = 'resident';
      await this.updateComplete;
      for (const [field, input] of Object.entries(PREFILLED)) {
        const value = reading.fields[field]?.value;
        const element = this.renderRoot.querySelector<HTMLInputElement>(`[name="${input}"]`);
        // What the person typed wins over the machine; an empty field is filled.
        if (value && element && element.value.trim() === '') element.value = value;
      }
      this.checkId();
    } catch (error) {
      this.cardFront = null;
      this.reading = null;
      this.failure = error;
    } finally {
      this.readingCard = false;
    }
  }

  private async sendCode(): Promise<void> {
    this.failure = null;
    this.notice = '';
    const phone = this.field('phone');
    try {
      const reply = await callApi<{ resendAfterSeconds: number }>(this.apiBase, '/api/v1/registrations/phone-code', { method: 'POST', auth: false, body: { phone } });
      this.startCountdown(reply.resendAfterSeconds);
      this.notice = this.locale.t('register.codeSent');
      // Embedded (demo) nodes have no SMS gateway: they keep the code in a demo inbox, shown here.
      try {
        const inbox = await callApi<{ messages: { code: string }[] }>(this.apiBase, `/api/v1/registrations/demo-inbox?phone=${encodeURIComponent(phone)}`, { auth: false });
        const latest = inbox.messages[0];
        if (latest) this.notice = this.locale.t('register.demoCode', { code: latest.code });
      } catch {
        // A real node: the code went by SMS.
      }
    } catch (error) {
      const retry = error instanceof ApiError ? (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds : undefined;
      if (retry) this.startCountdown(retry);
      this.failure = error;
    }
  }

  private startCountdown(seconds: number): void {
    this.stopCountdown();
    this.resendIn = seconds;
    this.countdown = setInterval(() => {
      this.resendIn = Math.max(0, this.resendIn - 1);
      if (this.resendIn === 0) this.stopCountdown();
    }, 1000);
  }

  private stopCountdown(): void {
    if (this.countdown) clearInterval(this.countdown);
    this.countdown = null;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.checkId()) return;
    this.busy = true;
    this.failure = null;
    try {
      const reply = await callApi<LoginReply>(this.apiBase, '/api/v1/registrations', {
        method: 'POST',
        auth: false,
        body: {
          name: this.field('name').trim(),
          idType: this.idType,
          idNumber: this.field('idNumber'),
          phone: this.field('phone'),
          phoneCode: this.field('phoneCode').trim(),
          username: this.field('username').trim(),
          password: this.field('password'),
          role: this.role,
          ...(this.role === 'lawyer' ? { lawyerLicence: this.field('lawyerLicence').trim() } : {}),
          ...(this.pendingExternalIdentity ? { pendingExternalIdentity: this.pendingExternalIdentity } : {}),
        },
      });
      setSession({ token: reply.token, user: reply.user });
      this.stopCountdown();
      this.registered = reply;
    } catch (error) {
      this.failure = error;
      this.busy = false;
      return;
    }
    try {
      if (this.cardFront) {
        // One upload: the card is recorded as a check and, when it is the account's, its portrait enrolled.
        this.faceStage = 'enrolling';
        const answer = await postImage<{ identityCheck: { outcome: 'passed' | 'failed' }; faceEnrolment: { enrolled: boolean; refusal: { code: string; message: string } | null } | null }>(
          this.apiBase,
          '/api/v1/me/id-card?enrolFace=true',
          this.cardFront,
        );
        this.cardCheck = answer.identityCheck;
        if (answer.faceEnrolment?.enrolled) {
          this.faceStage = 'enrolled';
        } else {
          const refusal = answer.faceEnrolment?.refusal;
          this.faceFailure = refusal ? new ApiError(422, refusal.code, refusal.message) : null;
          this.faceStage = 'needSelfie';
        }
      } else {
        this.faceStage = 'needSelfie';
      }
    } catch (error) {
      // The account exists: a failed card check is shown, the person goes on.
      this.faceFailure = error;
      this.faceStage = 'needSelfie';
    } finally {
      this.busy = false;
    }
  }

  /** 人脸采集 from a selfie (the card's portrait is enrolled by the card upload itself). */
  private async enrolFace(image: Blob, source: 'selfie'): Promise<void> {
    this.faceStage = 'enrolling';
    this.faceFailure = null;
    try {
      await postImage(this.apiBase, `/api/v1/me/face-enrolment?source=${source}`, image);
      this.faceStage = 'enrolled';
    } catch (error) {
      this.faceFailure = error;
      this.faceStage = 'needSelfie';
    }
  }

  private finish(): void {
    if (!this.registered) return;
    this.dispatchEvent(new CustomEvent('ecourt-login', { detail: { user: this.registered.user }, bubbles: true, composed: true }));
  }

  private renderAfterRegistration() {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    const faceError = this.faceFailure instanceof ApiError ? this.faceFailure : null;
    return html`<section data-testid="register-done">
      <h2>${t('register.done')}</h2>
      ${this.cardCheck
        ? html`<p data-testid="register-card-check" class=${this.cardCheck.outcome === 'passed' ? 'ok' : 'warn'}>
            ${t(this.cardCheck.outcome === 'passed' ? 'register.cardPassed' : 'register.cardFailed')}
          </p>`
        : null}
      <h3>${t('register.faceTitle')}</h3>
      ${this.faceStage === 'enrolling' ? html`<p role="status">${t('register.faceBusy')}</p>` : null}
      ${this.faceStage === 'enrolled' ? html`<p data-testid="register-face-enrolled" class="ok">${t('register.faceEnrolled')}</p>` : null}
      ${this.faceStage === 'needSelfie'
        ? html`${faceError
              ? html`<p class="warn" data-testid="register-face-problem">
                  ${faceError.code === 'FACE_TOO_SMALL' || faceError.code === 'FACE_NONE' ? t('register.faceFromCardFailed') : errorText(lang, faceError)}
                </p>`
              : null}
            <label for="selfie">${t('register.selfie')}</label>
            <input id="selfie" type="file" accept="image/jpeg,image/png" capture="user" data-testid="register-selfie"
              @change=${(event: Event) => {
                const file = (event.currentTarget as HTMLInputElement).files?.[0];
                if (file) void this.enrolFace(file, 'selfie');
              }} />`
        : null}
      <button type="button" data-testid="register-continue" ?disabled=${this.faceStage === 'enrolling'} @click=${() => this.finish()}>
        ${this.faceStage === 'enrolled' ? t('register.continue') : t('register.skipFace')}
      </button>
    </section>`;
  }

  private renderReading() {
    const reading = this.reading;
    if (!reading) return null;
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    const toCheck = Object.entries(reading.fields).filter(([, field]) => field.needsCorrection);
    return html`<div data-testid="register-card-reading">
      <p class="note">${t(toCheck.length ? 'register.cardCheckFields' : 'register.cardRead')}</p>
      ${toCheck.length
        ? html`<ul class="problems" data-testid="register-card-problems">
            ${toCheck.map(([key, field]) => html`<li>${isMessageKey(`register.cardField.${key}`) ? t(`register.cardField.${key}` as MessageKey) : key}: ${field.reasons.map((reason) => reason[lang]).join('；')}</li>`)}
          </ul>`
        : null}
    </div>`;
  }

  private renderFailure() {
    const error = this.failure;
    if (!error) return null;
    const lang = this.locale.lang;
    const details = error instanceof ApiError ? (error.details as ({ reasons?: Bilingual[] } & Bilingual) | undefined) : undefined;
    const lines = details?.reasons ?? (details?.[lang] ? [details] : []);
    return html`<div class="error" role="alert" data-testid="register-error">
      ${errorText(lang, error)}
      ${lines.length ? html`<ul class="problems">${lines.map((line) => html`<li>${line[lang]}</li>`)}</ul>` : null}
    </div>`;
  }

  override render() {
    if (this.registered) return this.renderAfterRegistration();
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    return html`
      <form @submit=${this.submit} data-testid="register-form">
        <h2>${t('register.title')}</h2>
        ${this.pendingExternalIdentity ? html`<p class="note" data-testid="register-external">${t('register.externalNote')}</p>` : null}
        <fieldset class="card-step">
          <legend>${t('register.cardStep')}</legend>
          <input type="file" accept="image/jpeg,image/png" capture="environment" data-testid="register-id-card-file" @change=${this.readCard} />
          ${this.readingCard ? html`<p role="status" data-testid="register-card-busy">${t('register.cardBusy')}</p>` : null}
          ${this.renderReading()}
        </fieldset>
        <label for="role">${t('register.role')}</label>
        <select id="role" name="role" data-testid="register-role" @change=${(e: Event) => (this.role = (e.target as HTMLSelectElement).value as 'party' | 'lawyer')}>
          <option value="party" ?selected=${this.role === 'party'}>${t('register.role.party')}</option>
          <option value="lawyer" ?selected=${this.role === 'lawyer'}>${t('register.role.lawyer')}</option>
        </select>
        <label for="name">${t('register.name')}</label>
        <input id="name" name="name" data-testid="register-name" autocomplete="name" required maxlength="50" .value=${this.suggestedName} />
        <label for="idType">${t('register.idType')}</label>
        <select id="idType" name="idType" data-testid="register-id-type" @change=${(e: Event) => {
          this.idType = (e.target as HTMLSelectElement).value as IdType;
          this.idProblems = [];
        }}>
          ${ID_TYPES.map((type) => html`<option value=${type} ?selected=${this.idType === type}>${t(`idType.${type}`)}</option>`)}
        </select>
        <label for="idNumber">${t('register.idNumber')}</label>
        <input id="idNumber" name="idNumber" data-testid="register-id-number" required maxlength="40" autocomplete="off" @blur=${() => this.checkId()} />
        ${this.idProblems.length
          ? html`<ul class="problems" data-testid="register-id-problems">${this.idProblems.map((problem) => html`<li>${problem[lang]}</li>`)}</ul>`
          : null}
        <label for="phone">${t('register.phone')}</label>
        <input id="phone" name="phone" type="tel" data-testid="register-phone" autocomplete="tel" required maxlength="20" />
        <label for="phoneCode">${t('register.phoneCode')}</label>
        <div class="code-row">
          <input id="phoneCode" name="phoneCode" data-testid="register-code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required />
          <button type="button" data-testid="register-send-code" ?disabled=${this.resendIn > 0} @click=${() => this.sendCode()}>
            ${this.resendIn > 0 ? t('register.resendIn', { seconds: this.resendIn }) : t('register.sendCode')}
          </button>
        </div>
        ${this.notice ? html`<p class="note" role="status" data-testid="register-notice">${this.notice}</p>` : null}
        ${this.role === 'lawyer'
          ? html`<label for="lawyerLicence">${t('register.lawyerLicence')}</label>
              <input id="lawyerLicence" name="lawyerLicence" data-testid="register-licence" inputmode="numeric" pattern="[0-9]{17}" maxlength="17" required />`
          : null}
        <label for="username">${t('register.username')}</label>
        <input id="username" name="username" data-testid="register-username" autocomplete="username" required pattern="[A-Za-z0-9_.\\-]{3,32}" />
        <label for="password">${t('register.password')}</label>
        <input id="password" name="password" type="password" data-testid="register-password" autocomplete="new-password" required minlength="8" />
        ${this.renderFailure()}
        <p class="note">${t('register.localCheckNote')}</p>
        <button type="submit" data-testid="register-submit" ?disabled=${this.busy}>${this.busy ? t('register.busy') : t('register.submit')}</button>
      </form>
    `;
  }
}
