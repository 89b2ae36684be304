// <ecourt-evidence-list case-id>: a case's evidence files (证据材料) with a link to view and
// annotate each, and for those who may submit evidence (the case's litigants, judge and clerk) an
// upload form: the file's bytes go as they are, its title as a query parameter.
import { LitElement, html, css, nothing } from 'lit';
import type { z } from 'zod';
import { ApiError, uploadFile } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { SessionController } from '../session.ts';
import { baseStyles } from '../styles.ts';
import { errorText, formatDateTime } from '../format.ts';
import { failureAlert, fetchedList } from '../fetched.ts';
import { getWithToken } from '../collab/hub-fetch.ts';
import type { evidenceFileSchema } from '../../../hub/api/evidence-routes.ts';

export type EvidenceListing = z.infer<typeof evidenceFileSchema>;

/** Who may submit evidence; the hub enforces the same rule (hub/api/evidence-routes.ts). */
const SUBMITTING_ROLES: ReadonlySet<string> = new Set(['party', 'lawyer', 'institution', 'judge', 'clerk']);
const ACCEPT = 'application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg';

const formatSize = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

export class EcourtEvidenceList extends LitElement {
  static override properties = {
    caseId: { type: String, attribute: 'case-id' },
    apiBase: { type: String, attribute: 'api-base' },
    token: { type: String },
    viewerLink: { type: String, attribute: 'viewer-link' },
    files: { state: true },
    failure: { state: true },
    busy: { state: true },
    uploadFailure: { state: true },
    notice: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      :host { margin-top: 1rem; }
      table { width: 100%; border-collapse: collapse; }
      th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--ecourt-line); overflow-wrap: anywhere; }
      form { margin-top: 0.75rem; }
      .row { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0 0.75rem; }
      .buttons { display: flex; gap: 0.5rem; margin-top: 0.75rem; }
      @media (max-width: 640px) {
        .row { grid-template-columns: minmax(0, 1fr); }
        .wide { display: none; }
      }
    `,
  ];

  declare caseId: string;
  declare apiBase: string;
  declare token: string;
  declare viewerLink: string;
  declare files: EvidenceListing[] | null;
  declare failure: unknown;
  declare busy: boolean;
  declare uploadFailure: unknown;
  declare notice: string | null;

  private readonly locale = new LocaleController(this);
  private readonly sessions = new SessionController(this);
  private loadedKey: string | null = null;
  private aborter: AbortController | null = null;

  constructor() {
    super();
    this.caseId = '';
    this.apiBase = '';
    this.token = '';
    this.viewerLink = '#/cases/{caseId}/evidence/{evidenceId}';
    this.files = null;
    this.failure = null;
    this.busy = false;
    this.uploadFailure = null;
    this.notice = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.aborter?.abort();
    this.loadedKey = null;
  }

  override willUpdate(): void {
    const token = this.sessions.effectiveToken(this.token);
    const key = this.isConnected && token && this.caseId ? `${token}|${this.caseId}|${this.apiBase}` : null;
    if (key === this.loadedKey) return;
    this.loadedKey = key;
    this.files = null;
    this.failure = null;
    if (key) void this.reload();
  }

  async reload(): Promise<void> {
    const token = this.sessions.effectiveToken(this.token);
    if (!token) return;
    this.aborter?.abort();
    const aborter = new AbortController();
    this.aborter = aborter;
    try {
      const reply = await getWithToken<{ evidence: EvidenceListing[] }>(this.apiBase, `/api/v1/cases/${encodeURIComponent(this.caseId)}/evidence`, token, aborter.signal);
      if (this.aborter === aborter) this.files = reply.evidence;
    } catch (error) {
      if (this.aborter === aborter && (error as Error).name !== 'AbortError') this.failure = error;
    }
  }

  private async upload(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const file = data.get('file');
    const token = this.sessions.effectiveToken(this.token);
    if (!(file instanceof File) || file.size === 0 || !token) return;
    const title = String(data.get('title') ?? '').trim() || file.name;
    this.busy = true;
    this.uploadFailure = null;
    this.notice = null;
    try {
      const path = `/api/v1/cases/${encodeURIComponent(this.caseId)}/evidence?title=${encodeURIComponent(title)}`;
      const payload = await uploadFile<{ evidence?: EvidenceListing }>(this.apiBase, path, token, file);
      form.reset();
      this.notice = this.locale.t('evidence.uploaded', { title: payload?.evidence?.title ?? title });
      await this.reload();
    } catch (error) {
      this.uploadFailure = error;
    } finally {
      this.busy = false;
    }
  }

  private viewerHref(file: EvidenceListing): string {
    return this.viewerLink.replace('{caseId}', encodeURIComponent(file.caseId)).replace('{evidenceId}', encodeURIComponent(file.id));
  }

  private onFileChosen(event: Event): void {
    const input = event.currentTarget as HTMLInputElement;
    const title = this.renderRoot.querySelector<HTMLInputElement>('input[name="title"]');
    const name = input.files?.[0]?.name;
    // The file's name without its extension is a fair first title; the user may change it.
    if (title && name && title.value.trim() === '') title.value = name.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    if (!this.sessions.effectiveToken(this.token)) return null;
    const role = this.sessions.session?.user.role ?? '';
    // With a bare token we do not know the role: offer the form and let the hub decide.
    const maySubmit = this.token !== '' || SUBMITTING_ROLES.has(role);
    return html`<section data-testid="evidence-list">
      <h3>${t('evidence.title')}</h3>
      ${this.failure
        ? failureAlert(lang, this.failure, { withServerMessage: true })
        : fetchedList(
            this.files,
            { loading: t('evidence.loading'), empty: t('evidence.empty'), emptyTestId: 'evidence-empty' },
            (files) => html`<table>
                <thead><tr><th>${t('evidence.name')}</th><th>${t('evidence.type')}</th><th class="wide">${t('evidence.uploadedBy')}</th><th class="wide">${t('evidence.uploadedAt')}</th><th></th></tr></thead>
                <tbody>
                  ${files.map(
                    (file) => html`<tr data-testid="evidence-row" data-evidence-id=${file.id}>
                      <td>${file.title}</td>
                      <td>${file.mimeType === 'application/pdf' ? `${t('evidence.type.pdf')} · ${file.pageCount ?? '?'} ${t('evidence.pages')}` : t('evidence.type.image')} · ${formatSize(file.sizeBytes)}</td>
                      <td class="wide">${file.createdBy?.displayName ?? '—'}</td>
                      <td class="wide">${formatDateTime(lang, file.createdAt)}</td>
                      <td><a href=${this.viewerHref(file)} data-testid="evidence-open" data-evidence-id=${file.id}>${t('evidence.open')}</a></td>
                    </tr>`,
                  )}
                </tbody>
              </table>`,
          )}
      ${maySubmit
        ? html`<form class="card" data-testid="evidence-upload" @submit=${this.upload}>
            <strong>${t('evidence.upload')}</strong>
            <div class="row">
              <div>
                <label for="evidence-file">${t('evidence.file')}</label>
                <input id="evidence-file" name="file" type="file" accept=${ACCEPT} required data-testid="evidence-file" @change=${this.onFileChosen} />
              </div>
              <div>
                <label for="evidence-title">${t('evidence.fileTitle')}</label>
                <input id="evidence-title" name="title" maxlength="200" data-testid="evidence-file-title" />
              </div>
            </div>
            ${this.uploadFailure
              ? html`<div class="error" role="alert" data-testid="evidence-upload-error" data-code=${(this.uploadFailure as Partial<ApiError>).code ?? 'INTERNAL'}>${errorText(lang, this.uploadFailure, { withServerMessage: true })}</div>`
              : nothing}
            ${this.notice ? html`<div class="notice" role="status" data-testid="evidence-upload-notice">${this.notice}</div>` : nothing}
            <div class="buttons">
              <button type="submit" data-testid="evidence-upload-submit" ?disabled=${this.busy}>${this.busy ? t('evidence.uploading') : t('evidence.uploadSubmit')}</button>
            </div>
          </form>`
        : nothing}
    </section>`;
  }
}
