// <ecourt-filing-result>: what became of a submitted filing, as the filings API answers it —
// accepted (case number, fee with its calculation, the sealed filing receipt), returned for correction
// (each field and reason, the deadline), waiting for a clerk (the reasons), rejected (reasons and
// their legal basis). The receipt is fetched with the session's token and offered as a file.
import { LitElement, html, css, nothing } from 'lit';
import { apiUrl } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { currentSession } from '../session.ts';
import { baseStyles } from '../styles.ts';
import type { MessageKey } from '../i18n.ts';

export interface RuleResultView {
  ruleId: string;
  outcome: 'pass' | 'fail' | 'uncertain' | 'notApplicable';
  consequence: string | null;
  reason: { zh: string; en: string };
  legalBasis: string;
  fields: string[];
}

/** FilingView of POST/GET /api/v1/filings (the parts shown here). */
export interface FilingResultView {
  id: string;
  status: 'submitted' | 'needsClerk' | 'returned' | 'rejected' | 'accepted';
  caseId?: string | null;
  caseNumber?: string | null;
  fee?: string | null;
  decision?: { decision?: string; fee?: { fee: string; fullFee?: string; explanation?: { zh: string; en: string } }; trace?: RuleResultView[] } | null;
  receipt?: { documentId: string; contentPath: string } | null;
  correction?: { fields?: string[]; deadline?: string; reasons?: { ruleId?: string; zh?: string; en?: string; reason?: string; field?: string; fields?: string[] }[] } | null;
  reasons?: { zh?: string; en?: string; reason?: string; legalBasis?: string; ruleId?: string }[] | null;
}

export class EcourtFilingResult extends LitElement {
  static override properties = {
    apiBase: { type: String, attribute: 'api-base' },
    filing: { attribute: false },
    receiptUrl: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      .status { font-weight: 700; font-size: 1.1rem; }
      .accepted .status { color: var(--ecourt-ok); }
      .returned .status, .rejected .status { color: var(--ecourt-error); }
      li { margin: 0.3rem 0; }
      .basis { color: var(--ecourt-muted); font-size: 0.9rem; }
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
      dt { font-weight: 600; }
    `,
  ];

  declare apiBase: string;
  declare filing: FilingResultView | null;
  declare receiptUrl: string | null;
  private readonly locale = new LocaleController(this);
  private fetchedFor: string | null = null;

  constructor() {
    super();
    this.apiBase = '';
    this.filing = null;
    this.receiptUrl = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.receiptUrl) URL.revokeObjectURL(this.receiptUrl);
  }

  override updated(): void {
    const path = this.filing?.receipt?.contentPath;
    if (path && this.fetchedFor !== path) {
      this.fetchedFor = path;
      void this.fetchReceipt(path);
    }
  }

  /** The receipt needs the bearer token, so it is fetched here and linked as a blob. */
  private async fetchReceipt(path: string): Promise<void> {
    const token = currentSession()?.token;
    const response = await fetch(apiUrl(this.apiBase, path), { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!response.ok) return;
    this.receiptUrl = URL.createObjectURL(await response.blob());
  }

  private text(value: { zh?: string; en?: string; reason?: string } | undefined): string {
    if (!value) return '';
    return (this.locale.lang === 'en' ? value.en : value.zh) ?? value.reason ?? value.zh ?? value.en ?? '';
  }

  /** Rules that did not pass, from the evaluation's trace. */
  private failedRules(): RuleResultView[] {
    return (this.filing?.decision?.trace ?? []).filter((rule) => rule.outcome === 'fail' || rule.outcome === 'uncertain');
  }

  override render() {
    const filing = this.filing;
    if (!filing) return nothing;
    const t = this.locale.t.bind(this.locale);
    const fee = filing.decision?.fee;
    const rules = this.failedRules();
    const ruleList = html`<ul data-testid="filing-result-reasons">
      ${rules.map(
        (rule) => html`<li data-rule-id=${rule.ruleId} data-fields=${rule.fields.join(' ')}>
          ${this.text(rule.reason)}${rule.fields.length ? html` <span class="basis">（${rule.fields.join('、')}）</span>` : nothing}
          ${rule.legalBasis ? html`<div class="basis">${t('filingForm.legalBasis')}: ${rule.legalBasis}</div>` : nothing}
        </li>`,
      )}
      ${(filing.reasons ?? []).filter((reason) => !rules.some((rule) => rule.ruleId === reason.ruleId)).map(
        (reason) => html`<li data-rule-id=${reason.ruleId ?? ''}>${this.text(reason)}${reason.legalBasis ? html`<div class="basis">${t('filingForm.legalBasis')}: ${reason.legalBasis}</div>` : nothing}</li>`,
      )}
    </ul>`;
    return html`<section class=${filing.status} data-testid="filing-result" data-status=${filing.status} data-filing-id=${filing.id}>
      <h2>${t('filingForm.resultTitle')}</h2>
      <p class="status" data-testid="filing-result-status">${t(`filingForm.status.${filing.status}` as MessageKey)}</p>
      ${filing.status === 'accepted'
        ? html`<dl>
              <dt>${t('filingForm.caseNumber')}</dt>
              <dd data-testid="filing-result-case-number">${filing.caseNumber ?? ''}</dd>
              ${fee
                ? html`<dt>${t('filingForm.fee')}</dt>
                    <dd data-testid="filing-result-fee">${fee.fee} ${t('filingForm.yuan')}${fee.explanation ? html`<div class="basis">${this.text(fee.explanation)}</div>` : nothing}</dd>`
                : nothing}
            </dl>
            ${filing.receipt
              ? html`<p>
                  <a
                    data-testid="filing-receipt-link"
                    data-content-path=${filing.receipt.contentPath}
                    href=${this.receiptUrl ?? '#'}
                    download="filing-receipt.pdf"
                    target="_blank"
                    rel="noopener"
                    >${t('filingForm.receipt')}</a
                  >
                </p>`
              : nothing}`
        : nothing}
      ${filing.status === 'returned'
        ? html`<p data-testid="filing-result-deadline">${t('filingForm.correctBy', { date: filing.correction?.deadline ?? '' })}</p>
            ${(filing.correction?.fields ?? []).length
              ? html`<p data-testid="filing-result-fields">${t('filingForm.fieldsToFix')}: ${(filing.correction?.fields ?? []).join('、')}</p>`
              : nothing}
            ${ruleList}`
        : nothing}
      ${filing.status === 'needsClerk' || filing.status === 'rejected' ? ruleList : nothing}
      ${filing.status === 'submitted' ? html`<p class="muted">${t('filingForm.status.submittedHint')}</p>` : nothing}
    </section>`;
  }
}

if (!customElements.get('ecourt-filing-result')) customElements.define('ecourt-filing-result', EcourtFilingResult);
