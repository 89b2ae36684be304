// <ecourt-verify-document>: 文书验证 for anyone, signed in or not. A PDF chosen or dropped is sent as it
// is to POST /api/v1/documents/verify; each signature is shown as a card (valid ✓ / invalid ✗ with the
// reasons), with whether the file changed after the last signature and whether the court issued it.
import { LitElement, html, css, nothing } from 'lit';
import type { z } from 'zod';
import { ApiError, apiUrl } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { baseStyles } from '../styles.ts';
import { errorText, formatDateTime } from '../format.ts';
import { isMessageKey, type MessageKey } from '../i18n.ts';
import type { documentVerificationSchema } from '../../../hub/api/document-verification-routes.ts';

export type DocumentVerification = z.infer<typeof documentVerificationSchema>;
type SignatureVerification = DocumentVerification['signatures'][number];

const VERIFY_PATH = '/api/v1/documents/verify';
/** The hub's limit (MAX_VERIFY_DOCUMENT_BYTES): checked here too, so nobody uploads 50 MB to be told no. */
const MAX_BYTES = 20 * 1024 * 1024;

/** The hub's reasons are English; the usual ones are shown in the reader's language. */
const PROBLEMS: [RegExp, MessageKey][] = [
  [/digest mismatch/, 'verify.problem.changed'],
  [/does not verify with the signer key/, 'verify.problem.badSignature'],
  [/does not chain to a trusted court CA/, 'verify.problem.untrusted'],
  [/is revoked/, 'verify.problem.revoked'],
  [/not valid at the signing time/, 'verify.problem.expired'],
  [/changed after this signature/, 'verify.problem.changedAfter'],
];

export class EcourtVerifyDocument extends LitElement {
  static override properties = {
    apiBase: { type: String, attribute: 'api-base' },
    busy: { state: true },
    failure: { state: true },
    result: { state: true },
    fileName: { state: true },
    dragging: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      .drop { display: block; border: 2px dashed var(--ecourt-line); border-radius: 6px; padding: 1.25rem; text-align: center; cursor: pointer; }
      .drop.dragging { border-color: var(--ecourt-accent); background: var(--ecourt-shade); }
      .drop input { display: block; margin: 0.5rem auto 0; }
      .summary { font-weight: bold; margin: 0.75rem 0 0.25rem; }
      .ok { color: #1a7f37; }
      .bad { color: #b42318; }
      .signature { margin-top: 0.5rem; }
      .signature h4 { margin: 0 0 0.3rem; }
      dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.15rem 0.75rem; margin: 0; }
      dt { color: var(--ecourt-muted); }
      dd { margin: 0; overflow-wrap: anywhere; }
      ul.problems { margin: 0.4rem 0 0; padding-left: 1.2rem; }
    `,
  ];

  declare apiBase: string;
  declare busy: boolean;
  declare failure: unknown;
  declare result: DocumentVerification | null;
  declare fileName: string | null;
  declare dragging: boolean;

  private readonly locale = new LocaleController(this);
  private aborter: AbortController | null = null;

  constructor() {
    super();
    this.apiBase = '';
    this.busy = false;
    this.failure = null;
    this.result = null;
    this.fileName = null;
    this.dragging = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.aborter?.abort();
  }

  /** Sends the file's bytes to the hub and shows its answer; a newer file cancels an older upload. */
  async verify(file: File): Promise<void> {
    this.aborter?.abort();
    const aborter = new AbortController();
    this.aborter = aborter;
    this.busy = true;
    this.failure = null;
    this.result = null;
    this.fileName = file.name;
    try {
      if (file.size > MAX_BYTES) throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `${file.name}: more than 20 MB`);
      let response: Response;
      try {
        // Always as a PDF: the hub reads the bytes and refuses what is not one (DOCUMENT_MALFORMED).
        response = await fetch(apiUrl(this.apiBase, VERIFY_PATH), { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: file, signal: aborter.signal });
      } catch (error) {
        if ((error as Error).name === 'AbortError') return;
        throw new ApiError(0, 'NETWORK', (error as Error).message);
      }
      const payload = (await response.json().catch(() => undefined)) as (DocumentVerification & { error?: { code?: string; message?: string; details?: unknown } }) | undefined;
      if (!response.ok || !payload) throw new ApiError(response.status, payload?.error?.code ?? 'INTERNAL', payload?.error?.message ?? response.statusText, payload?.error?.details);
      if (this.aborter === aborter) this.result = payload;
    } catch (error) {
      if (this.aborter === aborter) this.failure = error;
    } finally {
      if (this.aborter === aborter) this.busy = false;
    }
  }

  private onChosen(event: Event): void {
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    if (file) void this.verify(file);
  }

  private onDragOver(event: DragEvent): void {
    event.preventDefault();
    this.dragging = true;
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragging = false;
    const file = event.dataTransfer?.files[0];
    if (file) void this.verify(file);
  }

  private problemText(problem: string): string {
    const match = PROBLEMS.find(([pattern]) => pattern.test(problem));
    return match ? this.locale.t(match[1]) : problem;
  }

  private renderSignature(signature: SignatureVerification, index: number) {
    const t = this.locale.t.bind(this.locale);
    const yes = (value: boolean) => (value ? t('verify.yes') : t('verify.no'));
    const signer = signature.signer;
    const who = signer ? [signer.commonName, signer.organizationalUnit, signer.organization].filter((part, at, all) => part && all.indexOf(part) === at).join(' · ') : t('verify.unknownSigner');
    return html`<article class="card signature" data-testid="verify-signature" data-valid=${String(signature.valid)}>
      <h4 class=${signature.valid ? 'ok' : 'bad'}>${signature.valid ? '✓' : '✗'} ${t('verify.signature', { n: index + 1 })} — ${signature.valid ? t('verify.valid') : t('verify.invalid')}</h4>
      <dl>
        <dt>${t('verify.signer')}</dt><dd data-testid="verify-signer">${who}</dd>
        ${signature.seal ? html`<dt>${t('verify.seal')}</dt><dd>${signature.seal}</dd>` : nothing}
        <dt>${t('verify.signedAt')}</dt><dd>${formatDateTime(this.locale.lang, signature.signingTime)}</dd>
        <dt>${t('verify.intact')}</dt><dd data-testid="verify-intact">${yes(signature.intact)}</dd>
        <dt>${t('verify.trusted')}</dt><dd>${yes(signature.trusted)}</dd>
        <dt>${t('verify.revoked')}</dt><dd>${yes(signature.revoked)}</dd>
        ${signer ? html`<dt>${t('verify.serial')}</dt><dd>${signer.serial}</dd>` : nothing}
      </dl>
      ${signature.problems.length > 0 ? html`<ul class="problems" data-testid="verify-problems">${signature.problems.map((problem) => html`<li>${this.problemText(problem)}</li>`)}</ul>` : nothing}
    </article>`;
  }

  private renderResult(result: DocumentVerification) {
    const t = this.locale.t.bind(this.locale);
    const kindKey = result.ledger ? `verify.kind.${result.ledger.kind}` : '';
    const kind = result.ledger ? (isMessageKey(kindKey) ? t(kindKey) : result.ledger.kind) : '';
    return html`<section data-testid="verify-result" data-valid=${String(result.valid)}>
      <p class="summary ${result.valid ? 'ok' : 'bad'}" data-testid="verify-summary">
        ${result.signatures.length === 0 ? t('verify.noSignatures') : result.valid ? `✓ ${t('verify.allValid')}` : `✗ ${t('verify.notAllValid')}`}
      </p>
      ${result.changedAfterLastSignature ? html`<p class="bad" data-testid="verify-changed-after">${t('verify.changedAfterLast')}</p>` : nothing}
      <p data-testid="verify-ledger" data-in-ledger=${String(result.inLedger)}>
        ${result.inLedger && result.ledger ? t('verify.inLedger', { kind, date: result.ledger.issuedOn }) : t('verify.notInLedger')}
      </p>
      ${result.signatures.map((signature, index) => this.renderSignature(signature, index))}
      <p class="muted">SHA-256 <code>${result.sha256}</code></p>
    </section>`;
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    return html`<section class="card" data-testid="verify-document">
      <h2>${t('verify.title')}</h2>
      <p class="muted">${t('verify.hint')}</p>
      <label class="drop ${this.dragging ? 'dragging' : ''}" @dragover=${this.onDragOver} @dragleave=${() => (this.dragging = false)} @drop=${this.onDrop}>
        ${t('verify.choose')}
        <input type="file" accept="application/pdf,.pdf" data-testid="verify-file" @change=${this.onChosen} />
      </label>
      ${this.busy ? html`<p class="muted" role="status">${t('verify.checking', { name: this.fileName ?? '' })}</p>` : nothing}
      ${this.failure
        ? html`<div class="error" role="alert" data-testid="verify-error" data-code=${(this.failure as Partial<ApiError>).code ?? 'INTERNAL'}>${errorText(this.locale.lang, this.failure, { withServerMessage: true })}</div>`
        : nothing}
      ${this.result ? this.renderResult(this.result) : nothing}
    </section>`;
  }
}
