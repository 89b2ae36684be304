// <ecourt-registration>: 实名注册 for parties and lawyers — name, identity document (checked here
// with the server's own rules before sending), phone with a one-time SMS code (button with a
// countdown), username and password. On success it keeps the session and fires `ecourt-login`,
// like <ecourt-login>. Refusals are shown by code, with the server's reasons in the chosen language.
import { LitElement, html, css } from 'lit';
import { callApi, ApiError } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { setSession } from '../session.ts';
import { baseStyles } from '../styles.ts';
import { errorText } from '../format.ts';
import type { LoginReply } from '../types.ts';
import { checkIdNumber, ID_TYPES, type IdType } from '../../../platform/identity/check-id-number.ts';

interface Bilingual {
  zh?: string;
  en?: string;
}

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
        },
      });
      setSession({ token: reply.token, user: reply.user });
      this.stopCountdown();
      this.dispatchEvent(new CustomEvent('ecourt-login', { detail: { user: reply.user }, bubbles: true, composed: true }));
    } catch (error) {
      this.failure = error;
    } finally {
      this.busy = false;
    }
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
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    return html`
      <form @submit=${this.submit} data-testid="register-form">
        <h2>${t('register.title')}</h2>
        <label for="role">${t('register.role')}</label>
        <select id="role" name="role" data-testid="register-role" @change=${(e: Event) => (this.role = (e.target as HTMLSelectElement).value as 'party' | 'lawyer')}>
          <option value="party" ?selected=${this.role === 'party'}>${t('register.role.party')}</option>
          <option value="lawyer" ?selected=${this.role === 'lawyer'}>${t('register.role.lawyer')}</option>
        </select>
        <label for="name">${t('register.name')}</label>
        <input id="name" name="name" data-testid="register-name" autocomplete="name" required maxlength="50" />
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
