// <ecourt-transcript-download>: the transcript as a file — WebVTT or SRT subtitles, or plain text —
// from GET …/transcript/export. Fetched with the bearer token (a plain link cannot carry it), then
// saved under the name the server gives.
import { LitElement, html, css, nothing } from 'lit';
import { ApiError, apiUrl } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { baseStyles } from '../styles.ts';
import { errorText } from '../format.ts';

const FORMATS = ['vtt', 'srt', 'txt'] as const;
type Format = (typeof FORMATS)[number];

export class EcourtTranscriptDownload extends LitElement {
  static override properties = {
    hearingId: { type: String, attribute: 'hearing-id' },
    apiBase: { type: String, attribute: 'api-base' },
    token: { type: String },
    busy: { state: true },
    failure: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      :host { display: inline-flex; align-items: center; gap: 0.4rem; flex-wrap: wrap; font-size: 0.9rem; }
      button { padding: 0.15rem 0.5rem; }
    `,
  ];

  declare hearingId: string;
  declare apiBase: string;
  declare token: string;
  declare busy: boolean;
  declare failure: unknown;

  private readonly locale = new LocaleController(this);

  constructor() {
    super();
    this.hearingId = '';
    this.apiBase = '';
    this.token = '';
    this.busy = false;
    this.failure = null;
  }

  private async download(format: Format): Promise<void> {
    this.busy = true;
    this.failure = null;
    try {
      const path = `/api/v1/hearings/${encodeURIComponent(this.hearingId)}/transcript/export?format=${format}`;
      const response = await fetch(apiUrl(this.apiBase, path), { headers: { authorization: `Bearer ${this.token}` } }).catch((error: Error) => {
        throw new ApiError(0, 'NETWORK', error.message);
      });
      if (!response.ok) {
        const payload = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
        throw new ApiError(response.status, payload?.error?.code ?? 'INTERNAL', payload?.error?.message ?? response.statusText);
      }
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `transcript.${format}`;
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      // The click has handed the blob to the download; the URL is not needed after this turn.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (error) {
      this.failure = error;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    if (!this.hearingId || !this.token) return nothing;
    const t = this.locale.t.bind(this.locale);
    return html`
      <span class="muted">${t('transcript.download')}</span>
      ${FORMATS.map(
        (format) => html`<button type="button" data-testid=${`transcript-download-${format}`} ?disabled=${this.busy} @click=${() => this.download(format)}>
          ${t(`transcript.download.${format}`)}
        </button>`,
      )}
      ${this.failure ? html`<span class="error" role="alert">${errorText(this.locale.lang, this.failure)}</span>` : nothing}
    `;
  }
}
