// <ecourt-inbox>: the signed-in user's 站内信 (GET /api/v1/me/inbox): filing accepted with the
// sealed receipt, returned for correction, rejected, fee notices. Newest first, unread marked, a
// message is marked read when opened. Live: it follows the user's own filings over /rt
// (inbox.follow) and refetches when one moves; it also polls every POLL_MS, since a message can be
// written a moment after the event that caused it, and a socket can be down.
import { LitElement, html, css, nothing } from 'lit';
import { apiUrl, callApi } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { SessionController } from '../session.ts';
import { baseStyles } from '../styles.ts';
import { formatDateTime } from '../format.ts';
import { failureAlert, fetchedList } from '../fetched.ts';
import { LiveFeed, liveBadge, liveFeedStyles } from '../live-feed.ts';
import { singleFlight } from '../single-flight.ts';

// The API's own shapes (type-only: nothing of storage reaches the bundle).
import type { InboxMessage, InboxPage } from '../../../storage/inbox/list-inbox-messages.ts';
export type { InboxMessage };

const PAGE_SIZE = 20;
const POLL_MS = 30_000;
/** A filing's event comes just before (or after) the message it causes: refetch once more a moment later. */
const AFTER_EVENT_MS = [150, 1500];

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export class EcourtInbox extends LitElement {
  static override properties = {
    apiBase: { type: String, attribute: 'api-base' },
    caseLink: { type: String, attribute: 'case-link' },
    messages: { state: true },
    unread: { state: true },
    total: { state: true },
    onlyUnread: { state: true },
    failure: { state: true },
    loaded: { state: true },
  };

  static override styles = [
    baseStyles,
    liveFeedStyles,
    css`
      ul { list-style: none; padding: 0; margin: 0; }
      li.message { border: 1px solid var(--ecourt-line); border-radius: 6px; padding: 0.6rem 0.8rem; margin-bottom: 0.6rem; background: var(--ecourt-surface); }
      li.message.unread { border-left: 4px solid var(--ecourt-accent); }
      .title { font-weight: 600; }
      .meta { display: flex; gap: 0.75rem; flex-wrap: wrap; align-items: center; }
      .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; margin-top: 0.4rem; }
      .badge { background: var(--ecourt-accent); color: #fff; border-radius: 999px; padding: 0 0.5rem; font-size: 0.8rem; }
      label.inline { display: inline-flex; gap: 0.3rem; align-items: center; font-weight: normal; margin: 0; }
      label.inline input { width: auto; }
    `,
  ];

  declare apiBase: string;
  declare caseLink: string;
  declare messages: InboxMessage[];
  declare unread: number;
  declare total: number;
  declare onlyUnread: boolean;
  declare failure: unknown;
  declare loaded: boolean;

  private readonly locale = new LocaleController(this);
  private readonly sessions = new SessionController(this);
  private readonly refetchTimers = new Set<ReturnType<typeof setTimeout>>();
  private shown = PAGE_SIZE;
  /** Login, logout or a new token: follow the right user's inbox. */
  private readonly live = new LiveFeed(this, {
    apiBase: () => this.apiBase,
    follow: 'inbox',
    listen: (client) => {
      const poll = setInterval(() => void this.reload(), POLL_MS);
      return [
        client.onMessage((message) => {
          if (message.type === 'resync' || (message.type === 'following' && message.follow === 'inbox')) void this.reload();
          else if (message.type === 'inbox.changed') this.refetchSoon();
        }),
        () => {
          clearInterval(poll);
          for (const timer of this.refetchTimers) clearTimeout(timer);
          this.refetchTimers.clear();
        },
      ];
    },
    restarted: (live) => {
      this.messages = [];
      this.loaded = false;
      if (live) void this.reload();
    },
  });

  constructor() {
    super();
    this.apiBase = '';
    this.caseLink = '#/cases/{id}';
    this.messages = [];
    this.unread = 0;
    this.total = 0;
    this.onlyUnread = false;
    this.failure = null;
    this.loaded = false;
  }

  private refetchSoon(): void {
    for (const delay of AFTER_EVENT_MS) {
      const timer = setTimeout(() => {
        this.refetchTimers.delete(timer);
        void this.reload();
      }, delay);
      this.refetchTimers.add(timer);
    }
  }

  /** One fetch at a time; a request arriving meanwhile runs once more afterwards. */
  readonly reload = singleFlight(async () => {
    const token = this.sessions.session?.token;
    if (!token) return;
    try {
      const page = await callApi<InboxPage>(this.apiBase, `/api/v1/me/inbox?limit=${this.shown}${this.onlyUnread ? '&unread=true' : ''}`);
      if (this.sessions.session?.token !== token) return;
      this.messages = page.messages;
      this.unread = page.unread;
      this.total = page.total;
      this.failure = null;
      this.dispatchEvent(new CustomEvent('ecourt-inbox-unread', { detail: { unread: page.unread }, bubbles: true, composed: true }));
    } catch (error) {
      this.failure = error;
    } finally {
      this.loaded = true;
    }
  });

  private async markRead(message: InboxMessage): Promise<void> {
    if (message.readAt) return;
    try {
      const reply = await callApi<{ message: InboxMessage }>(this.apiBase, `/api/v1/me/inbox/${encodeURIComponent(message.id)}/read`, { method: 'POST' });
      this.messages = this.messages.map((m) => (m.id === message.id ? reply.message : m));
      this.unread = Math.max(0, this.unread - 1);
      if (this.onlyUnread) void this.reload();
    } catch (error) {
      this.failure = error;
    }
  }

  /** The receipt is an API resource behind the session's token: fetched, then handed to the browser as a file. */
  private async downloadReceipt(message: InboxMessage, path: string): Promise<void> {
    const token = this.sessions.session?.token;
    if (!token) return;
    void this.markRead(message);
    try {
      const response = await fetch(apiUrl(this.apiBase, path), { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw Object.assign(new Error(response.statusText), { code: response.status === 404 ? 'NOT_FOUND' : 'INTERNAL' });
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = `${text(message.body.caseNumber) ?? 'receipt'}.pdf`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (error) {
      this.failure = error;
    }
  }

  private toggleUnread(event: Event): void {
    this.onlyUnread = (event.target as HTMLInputElement).checked;
    void this.reload();
  }

  private more(): void {
    this.shown += PAGE_SIZE;
    void this.reload();
  }

  private renderDetails(message: InboxMessage) {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    const body = message.body;
    const fee = body.fee && typeof body.fee === 'object' ? text((body.fee as Record<string, unknown>).fee) : text(body.fee);
    const feeExplanation = body.fee && typeof body.fee === 'object' ? ((body.fee as { explanation?: Record<string, string> }).explanation?.[lang] ?? null) : null;
    const correction = (body.correction && typeof body.correction === 'object' ? body.correction : body) as Record<string, unknown>;
    const deadline = text(correction.deadline);
    const fields = Array.isArray(correction.fields) ? correction.fields.filter((f): f is string => typeof f === 'string') : [];
    const reasons = Array.isArray(body.reasons) ? (body.reasons as Record<string, unknown>[]) : [];
    const reason = text(body.reason);
    return html`
      ${text(body.caseNumber) ? html`<div data-testid="inbox-case-number">${t('inbox.caseNumber', { caseNumber: text(body.caseNumber)! })}</div>` : nothing}
      ${fee ? html`<div data-testid="inbox-fee">${t('inbox.fee', { fee })}${feeExplanation ? html` <span class="muted">${feeExplanation}</span>` : nothing}</div>` : nothing}
      ${deadline ? html`<div data-testid="inbox-deadline">${t('inbox.deadline', { deadline })}</div>` : nothing}
      ${fields.length > 0 ? html`<div data-testid="inbox-fields">${t('inbox.fields', { fields: fields.join(', ') })}</div>` : nothing}
      ${reason ? html`<div data-testid="inbox-reason">${reason}</div>` : nothing}
      ${reasons.length > 0
        ? html`<ul data-testid="inbox-reasons">
            ${reasons.map((r) => html`<li>${text(r[lang]) ?? text((r.reason as Record<string, unknown> | undefined)?.[lang]) ?? text(r.zh) ?? ''} ${text(r.legalBasis) ? html`<span class="muted">（${r.legalBasis}）</span>` : nothing}</li>`)}
          </ul>`
        : nothing}
    `;
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    if (!this.sessions.session) return null;
    return html`
      <div class="head">
        <h2>${t('inbox.title')} ${this.unread > 0 ? html`<span class="badge" data-testid="inbox-unread">${t('inbox.unread', { count: this.unread })}</span>` : nothing}</h2>
        <div class="meta">
          <label class="inline"><input type="checkbox" data-testid="inbox-only-unread" .checked=${this.onlyUnread} @change=${this.toggleUnread} />${t('inbox.onlyUnread')}</label>
          ${liveBadge(this.live.status, 'inbox-live', { open: t('inbox.live'), otherwise: t('inbox.polling') })}
        </div>
      </div>
      ${failureAlert(lang, this.failure, { testId: 'inbox-error' })}
      ${fetchedList(
        this.loaded ? this.messages : null,
        { loading: t('inbox.loading'), empty: t('inbox.empty'), emptyTestId: 'inbox-empty' },
        (messages) => html`
              <ul data-testid="inbox-list">
                ${messages.map((message) => {
                  const receiptPath = text(message.body.receiptPath) ?? (message.link?.startsWith('/api/') && message.documentId ? message.link : null);
                  const caseId = text(message.body.caseId);
                  return html`
                    <li class="message ${message.readAt ? 'read' : 'unread'}" data-testid="inbox-message" data-kind=${message.kind} data-read=${message.readAt ? 'true' : 'false'}>
                      <div class="meta">
                        ${message.readAt ? nothing : html`<span class="badge">${t('inbox.new')}</span>`}
                        <span class="title" data-testid="inbox-title">${lang === 'zh' ? message.title : message.titleEn}</span>
                        <span class="muted">${formatDateTime(lang, message.createdAt)}</span>
                      </div>
                      ${this.renderDetails(message)}
                      <div class="actions">
                        ${receiptPath
                          ? html`<button type="button" data-testid="inbox-receipt" @click=${() => this.downloadReceipt(message, receiptPath)}>${t('inbox.receipt')}</button>`
                          : nothing}
                        ${caseId
                          ? html`<a class="button" href=${this.caseLink.replace('{id}', encodeURIComponent(caseId))} data-testid="inbox-case" @click=${() => void this.markRead(message)}>${t('inbox.case')}</a>`
                          : nothing}
                        ${message.readAt
                          ? nothing
                          : html`<button type="button" class="secondary" data-testid="inbox-mark-read" @click=${() => this.markRead(message)}>${t('inbox.markRead')}</button>`}
                      </div>
                    </li>
                  `;
                })}
              </ul>
              ${messages.length < this.total ? html`<button type="button" class="secondary" data-testid="inbox-more" @click=${this.more}>${t('inbox.more')}</button>` : nothing}
            `,
      )}
    `;
  }
}
