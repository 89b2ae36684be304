// <ecourt-filing-form>: the plain filing form (the guided filing comes later) → POST /api/v1/cases,
// then goes to the new case's page. The plaintiff defaults to the logged-in user.
import { LitElement, html, css, nothing } from 'lit';
import { callApi, ApiError } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { SessionController } from '../session.ts';
import { baseStyles } from '../styles.ts';
import { caseHref, errorText, navigate } from '../format.ts';
import { causeKey, COMMON_CAUSES } from '../i18n.ts';
import type { CaseDetail, Court } from '../types.ts';
import type { CaseFiling, PartyInput } from '../../../actors/case/case.protocol.ts';
import { LITIGANT_ROLES } from '../../../platform/roles.ts';

/** Same rule as the protocol's yuanAmount: decimal yuan, at most two places, never a float. */
const YUAN_AMOUNT = /^(0|[1-9]\d{0,13})(\.\d{1,2})?$/;

export class EcourtFilingForm extends LitElement {
  static override properties = {
    apiBase: { type: String, attribute: 'api-base' },
    courtCode: { type: String, attribute: 'court-code' },
    caseLink: { type: String, attribute: 'case-link' },
    courts: { state: true },
    busy: { state: true },
    failure: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      form { max-width: 42rem; }
      fieldset { border: 1px solid var(--ecourt-line); border-radius: 6px; margin: 1rem 0 0; padding: 0.25rem 1rem 1rem; }
      legend { font-weight: 700; padding: 0 0.4rem; }
      .row { display: grid; grid-template-columns: 2fr 1fr; gap: 0 1rem; }
      .submit { margin-top: 1.25rem; }
      @media (max-width: 640px) {
        .row { grid-template-columns: 1fr; }
        .submit { width: 100%; }
      }
    `,
  ];

  declare apiBase: string;
  declare courtCode: string;
  declare caseLink: string;
  declare courts: Court[];
  declare busy: boolean;
  declare failure: unknown;

  private readonly locale = new LocaleController(this);
  private readonly sessions = new SessionController(this);

  constructor() {
    super();
    this.apiBase = '';
    this.courtCode = '';
    this.caseLink = '#/cases/{id}';
    this.courts = [];
    this.busy = false;
    this.failure = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadCourts();
  }

  private async loadCourts(): Promise<void> {
    try {
      const reply = await callApi<{ courts: Court[] }>(this.apiBase, '/api/v1/courts', { auth: false });
      this.courts = reply.courts;
    } catch (error) {
      this.failure = error;
    }
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const session = this.sessions.session;
    if (!session) return;
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const amount = text('claimAmount');
    if (amount !== '' && !YUAN_AMOUNT.test(amount)) {
      this.failure = new ApiError(422, 'VALIDATION_FAILED', this.locale.t('filing.amountInvalid'));
      return;
    }
    const plaintiffName = text('plaintiff');
    const plaintiff: PartyInput = {
      name: plaintiffName,
      kind: session.user.role === 'institution' ? 'organisation' : 'person',
      // The account is linked only while the plaintiff is the user; a lawyer names a client.
      ...(plaintiffName === session.user.displayName ? { userId: session.user.id } : {}),
    };
    const filing: CaseFiling = {
      courtId: text('courtId'),
      cause: text('cause'),
      claims: text('claims'),
      ...(amount === '' ? {} : { claimAmount: amount }),
      facts: text('facts'),
      plaintiffs: [plaintiff],
      defendants: [{ name: text('defendant'), kind: text('defendantKind') === 'organisation' ? 'organisation' : 'person' }],
    };
    this.busy = true;
    this.failure = null;
    try {
      const reply = await callApi<{ case: CaseDetail }>(this.apiBase, '/api/v1/cases', { method: 'POST', body: filing });
      this.dispatchEvent(new CustomEvent('ecourt-case-filed', { detail: { case: reply.case }, bubbles: true, composed: true }));
      navigate(this, caseHref(this.caseLink, reply.case.id));
    } catch (error) {
      this.failure = error;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    const session = this.sessions.session;
    if (!session) return null;
    if (!(LITIGANT_ROLES as readonly string[]).includes(session.user.role)) {
      return html`<p class="muted" data-testid="filing-not-allowed">${t('filing.notAllowed')}</p>`;
    }
    const preferred = this.courts.find((court) => court.code === this.courtCode)?.id;
    return html`
      <form @submit=${this.submit} data-testid="filing-form">
        <h2>${t('filing.title')}</h2>
        <p class="muted">${t('filing.hint')}</p>
        <label for="courtId">${t('filing.court')}</label>
        <select id="courtId" name="courtId" data-testid="filing-court" required>
          ${this.courts.map(
            (court) => html`<option value=${court.id} ?selected=${court.id === preferred}>${this.locale.lang === 'en' && court.nameEn ? court.nameEn : court.name}</option>`,
          )}
        </select>
        <label for="cause">${t('filing.cause')}</label>
        <select id="cause" name="cause" data-testid="filing-cause" required>
          ${COMMON_CAUSES.map((cause) => html`<option value=${cause}>${t(causeKey(cause))}</option>`)}
        </select>
        <label for="claims">${t('filing.claims')}</label>
        <textarea id="claims" name="claims" data-testid="filing-claims" placeholder=${t('filing.claimsPlaceholder')} required minlength="2"></textarea>
        <label for="claimAmount">${t('filing.amount')}</label>
        <input id="claimAmount" name="claimAmount" data-testid="filing-amount" inputmode="decimal" pattern="(0|[1-9][0-9]{0,13})(\\.[0-9]{1,2})?" placeholder="12000.50" />
        <label for="facts">${t('filing.facts')}</label>
        <textarea id="facts" name="facts" data-testid="filing-facts"></textarea>
        <fieldset>
          <legend>${t('filing.plaintiff')}</legend>
          <label for="plaintiff">${t('filing.plaintiff')}</label>
          <input id="plaintiff" name="plaintiff" data-testid="filing-plaintiff" .value=${session.user.displayName} required />
        </fieldset>
        <fieldset>
          <legend>${t('filing.defendant')}</legend>
          <div class="row">
            <div>
              <label for="defendant">${t('filing.defendant')}</label>
              <input id="defendant" name="defendant" data-testid="filing-defendant" required />
            </div>
            <div>
              <label for="defendantKind">${t('filing.defendantKind')}</label>
              <select id="defendantKind" name="defendantKind" data-testid="filing-defendant-kind">
                <option value="person">${t('case.kind.person')}</option>
                <option value="organisation">${t('case.kind.organisation')}</option>
              </select>
            </div>
          </div>
        </fieldset>
        ${this.failure ? html`<div class="error" role="alert" data-testid="filing-error">${errorText(this.locale.lang, this.failure, { withServerMessage: true })}</div>` : nothing}
        <button class="submit" type="submit" data-testid="filing-submit" ?disabled=${this.busy || this.courts.length === 0}>
          ${this.busy ? t('filing.busy') : t('filing.submit')}
        </button>
      </form>
    `;
  }
}
