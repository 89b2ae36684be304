// <ecourt-verify-document>: 文书验证 for anyone, signed in or not. A PDF chosen or dropped is sent as it
// is to POST /api/v1/documents/verify; each signature is shown as a card (valid ✓ / invalid ✗ with the
// reasons), with whether the file changed after the last signature and whether the court issued it.
// Beside the upload, the 验证码 printed on the document: typed in, or filled from the address when someone
// scans the document's QR code (#/verify?code=…), it is looked up at GET /api/v1/documents/verify/:code
// (kind, title, date, hash, pages) and sent with a file, so the answer also says whether the file is it.
import { LitElement, html, css, nothing } from 'lit';
import type { z } from 'zod';
import { ApiError, apiUrl } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { baseStyles } from '../styles.ts';
import { errorText, formatDateTime } from '../format.ts';
import { isMessageKey, type MessageKey } from '../i18n.ts';
import type { documentByCodeSchema, documentVerificationSchema } from '../../../hub/api/document-verification-routes.ts';

export type DocumentVerification = z.infer<typeof documentVerificationSchema>;
export type DocumentByCode = z.infer<typeof documentByCodeSchema>;
type SignatureVerification = DocumentVerification['signatures'][number];

const VERIFY_PATH = '/api/v1/documents/verify';

/** The code in the portal's hash route, as the QR code printed on a document carries it: "#/verify?code=…". */
export function codeFromHash(hash: string): string {
  const query = hash.indexOf('?');
  return query < 0 ? '' : (new URLSearchParams(hash.slice(query + 1)).get('code') ?? '').trim();
}

async function fetchJson<T>(url: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', (error as Error).message);
  }
  const payload = (await response.json().catch(() => undefined)) as (T & { error?: { code?: string; message?: string; details?: unknown } }) | undefined;
  if (!response.ok || !payload) throw new ApiError(response.status, payload?.error?.code ?? 'INTERNAL', payload?.error?.message ?? response.statusText, payload?.error?.details);
  return payload;
}
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
    code: { type: String },
    codeBusy: { state: true },
    codeResult: { state: true },
    codeFailure: { state: true },
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
      form.code { display: flex; gap: 0.5rem; align-items: end; flex-wrap: wrap; margin: 0.5rem 0 0.75rem; }
      form.code label { display: flex; flex-direction: column; gap: 0.2rem; }
      form.code input { font-family: monospace; letter-spacing: 0.05em; min-width: 16rem; text-transform: uppercase; }
    `,
  ];

  declare apiBase: string;
  declare busy: boolean;
  declare failure: unknown;
  declare result: DocumentVerification | null;
  declare fileName: string | null;
  declare dragging: boolean;
  /** The 验证码 (as typed; the hub normalises case and separators); from the hash route when the page opens. */
  declare code: string;
  declare codeBusy: boolean;
  declare codeResult: DocumentByCode | null;
  declare codeFailure: unknown;

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
    this.code = '';
    this.codeBusy = false;
    this.codeResult = null;
    this.codeFailure = null;
  }

  private readonly onHashChange = () => {
    const code = codeFromHash(location.hash);
    if (code && code !== this.code) {
      this.code = code;
      void this.lookUp(code);
    }
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    // Opened from a document's QR code: look the code up at once.
    if (!this.code) this.onHashChange();
    else void this.lookUp(this.code);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHashChange);
    this.aborter?.abort();
    this.codeAborter?.abort();
  }

  private codeAborter: AbortController | null = null;

  /** What the court issued under `code` (kind, title, date, hash, pages), or the coded refusal. */
  async lookUp(code: string): Promise<void> {
    this.codeAborter?.abort();
    const aborter = new AbortController();
    this.codeAborter = aborter;
    this.codeBusy = true;
    this.codeFailure = null;
    this.codeResult = null;
    try {
      const found = await fetchJson<DocumentByCode>(apiUrl(this.apiBase, `${VERIFY_PATH}/${encodeURIComponent(code.trim())}`), { signal: aborter.signal });
      if (this.codeAborter === aborter) this.codeResult = found;
    } catch (error) {
      if ((error as Error).name === 'AbortError') return;
      if (this.codeAborter === aborter) this.codeFailure = error;
    } finally {
      if (this.codeAborter === aborter) this.codeBusy = false;
    }
  }

  private onCodeSubmit(event: Event): void {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).querySelector('input');
    this.code = (input?.value ?? '').trim();
    if (this.code) void this.lookUp(this.code);
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
        const code = this.code.trim();
        const url = apiUrl(this.apiBase, code ? `${VERIFY_PATH}?code=${encodeURIComponent(code)}` : VERIFY_PATH);
        response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: file, signal: aborter.signal });
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
      ${result.byCode
        ? html`<p class=${result.byCode.matches ? 'ok' : 'bad'} data-testid="verify-code-match" data-matches=${String(result.byCode.matches)}>
            ${result.byCode.matches ? t('verify.code.matches') : t('verify.code.differs')} (${result.byCode.document.code})
          </p>`
        : nothing}
      ${result.signatures.map((signature, index) => this.renderSignature(signature, index))}
      <p class="muted">SHA-256 <code>${result.sha256}</code></p>
    </section>`;
  }

  private kindText(kind: string): string {
    const key = `verify.kind.${kind}`;
    return isMessageKey(key) ? this.locale.t(key) : kind;
  }

  private renderCodeResult(found: DocumentByCode) {
    const t = this.locale.t.bind(this.locale);
    return html`<article class="card" data-testid="verify-code-result" data-kind=${found.kind}>
      <p class="summary ok">✓ ${t('verify.code.found')}</p>
      <dl>
        <dt>${t('verify.code.label')}</dt><dd><code data-testid="verify-code-value">${found.code}</code></dd>
        <dt>${t('verify.code.kind')}</dt><dd data-testid="verify-code-kind">${this.kindText(found.kind)}</dd>
        <dt>${t('verify.code.title')}</dt><dd data-testid="verify-code-title">${found.title}</dd>
        <dt>${t('verify.code.issuedOn')}</dt><dd data-testid="verify-code-issued">${found.issuedOn}</dd>
        ${found.pageCount !== null ? html`<dt>${t('verify.code.pages')}</dt><dd>${found.pageCount}</dd>` : nothing}
        <dt>SHA-256</dt><dd><code data-testid="verify-code-sha256">${found.sha256}</code></dd>
        ${found.bundleSha256 ? html`<dt>SHA-256 (case-file.pdf)</dt><dd><code>${found.bundleSha256}</code></dd>` : nothing}
      </dl>
    </article>`;
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    return html`<section class="card" data-testid="verify-document">
      <h2>${t('verify.title')}</h2>
      <p class="muted">${t('verify.hint')}</p>
      <form class="code" @submit=${this.onCodeSubmit}>
        <label>${t('verify.code.label')}
          <input name="code" autocomplete="off" spellcheck="false" maxlength="64" placeholder="XXXX-XXXX-XXXX-XXXX" .value=${this.code} data-testid="verify-code" @input=${(event: Event) => (this.code = (event.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit" data-testid="verify-code-check" ?disabled=${this.codeBusy}>${t('verify.code.check')}</button>
      </form>
      <p class="muted">${t('verify.code.hint')}</p>
      ${this.codeFailure
        ? html`<div class="error" role="alert" data-testid="verify-code-error" data-code=${(this.codeFailure as Partial<ApiError>).code ?? 'INTERNAL'}>${errorText(this.locale.lang, this.codeFailure)}</div>`
        : nothing}
      ${this.codeResult ? this.renderCodeResult(this.codeResult) : nothing}
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
