// <ecourt-case-list>: the cases the logged-in user may see (GET /api/v1/cases), kept current over
// /rt — court staff follow their whole court, litigants each of their cases.
import { LitElement, html, css } from 'lit';
import { callApi } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { SessionController } from '../session.ts';
import type { RealtimeMessage } from '../realtime.ts';
import { LiveFeed, liveBadge, liveFeedStyles } from '../live-feed.ts';
import { singleFlight } from '../single-flight.ts';
import { baseStyles } from '../styles.ts';
import { caseHref, formatDate } from '../format.ts';
import { failureAlert, fetchedList } from '../fetched.ts';
import { causeName, stateKey } from '../i18n.ts';
import type { CaseSummary } from '../types.ts';
import { isCourtStaff } from '../../../platform/roles.ts';

/** Events arriving in a burst (a bulk import, a reconnect) cause one refetch, not one each. */
const REFETCH_DELAY_MS = 120;

export class EcourtCaseList extends LitElement {
  static override properties = {
    apiBase: { type: String, attribute: 'api-base' },
    caseLink: { type: String, attribute: 'case-link' },
    cases: { state: true },
    failure: { state: true },
    loaded: { state: true },
  };

  static override styles = [
    baseStyles,
    liveFeedStyles,
    css`
      table { width: 100%; border-collapse: collapse; background: var(--ecourt-surface); }
      th, td { text-align: left; padding: 0.55rem 0.6rem; border-bottom: 1px solid var(--ecourt-line); vertical-align: top; }
      th { background: var(--ecourt-shade); font-weight: 600; white-space: nowrap; }
      @media (max-width: 640px) {
        thead { display: none; }
        table, tbody, tr, td { display: block; width: 100%; }
        tr { border: 1px solid var(--ecourt-line); border-radius: 6px; margin-bottom: 0.75rem; padding: 0.25rem 0; }
        td { border: none; padding: 0.2rem 0.75rem; }
        td::before { content: attr(data-label); color: var(--ecourt-muted); }
      }
    `,
  ];

  declare apiBase: string;
  declare caseLink: string;
  declare cases: CaseSummary[];
  declare failure: unknown;
  declare loaded: boolean;

  private readonly locale = new LocaleController(this);
  private readonly sessions = new SessionController(this);
  private readonly caseSubscriptions = new Map<string, () => void>();
  private refetchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Login, logout or a new token: follow the right user's cases. */
  private readonly live = new LiveFeed(this, {
    apiBase: () => this.apiBase,
    listen: (client) => [
      client.onMessage((message) => this.onRealtime(message)),
      ...(isCourtStaff(this.sessions.session?.user.role ?? '') ? [client.subscribe({ scope: 'court' })] : []),
      () => {
        for (const undo of this.caseSubscriptions.values()) undo();
        this.caseSubscriptions.clear();
        clearTimeout(this.refetchTimer);
      },
    ],
    restarted: (live) => {
      this.cases = [];
      this.loaded = false;
      if (live) void this.reload();
    },
  });

  constructor() {
    super();
    this.apiBase = '';
    this.caseLink = '#/cases/{id}';
    this.cases = [];
    this.failure = null;
    this.loaded = false;
  }

  private onRealtime(message: RealtimeMessage): void {
    if (message.type === 'resync') this.scheduleRefetch();
    if (message.type !== 'case.event' || message.event.kind !== 'case') return;
    const { event } = message;
    // Show the new state at once; the refetch then brings the rest (case number, parties).
    const row = this.cases.find((c) => c.id === event.id);
    if (row) {
      this.cases = this.cases.map((c) => (c.id === event.id ? { ...c, state: event.state as CaseSummary['state'] } : c));
    }
    this.scheduleRefetch();
  }

  private scheduleRefetch(): void {
    clearTimeout(this.refetchTimer);
    this.refetchTimer = setTimeout(() => void this.reload(), REFETCH_DELAY_MS);
  }

  /** One fetch at a time; a request arriving meanwhile runs once more afterwards. */
  readonly reload = singleFlight(async () => {
    const token = this.sessions.session?.token;
    if (!token) return;
    try {
      const reply = await callApi<{ cases: CaseSummary[] }>(this.apiBase, '/api/v1/cases');
      if (this.sessions.session?.token !== token) return;
      this.cases = reply.cases;
      this.failure = null;
      this.followCases();
    } catch (error) {
      this.failure = error;
    } finally {
      this.loaded = true;
    }
  });

  /** Litigants hear only about their own cases, so they subscribe to each one. */
  private followCases(): void {
    const client = this.live.client;
    if (!client || isCourtStaff(this.sessions.session?.user.role ?? '')) return;
    const wanted = new Set(this.cases.map((c) => c.id));
    for (const [caseId, undo] of this.caseSubscriptions) {
      if (!wanted.has(caseId)) {
        undo();
        this.caseSubscriptions.delete(caseId);
      }
    }
    for (const caseId of wanted) {
      if (!this.caseSubscriptions.has(caseId)) this.caseSubscriptions.set(caseId, client.subscribe({ caseId }));
    }
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    if (!this.sessions.session) return null;
    return html`
      <div class="head">
        <h2>${t('cases.title')}</h2>
        ${liveBadge(this.live.status, 'live-status', { open: t('cases.live'), otherwise: t('cases.offline') })}
      </div>
      ${failureAlert(lang, this.failure, { testId: 'case-list-error' })}
      ${fetchedList(
        this.loaded ? this.cases : null,
        { loading: t('cases.loading'), empty: t('cases.empty'), emptyTestId: 'case-list-empty' },
        (cases) => html`
              <table data-testid="case-list">
                <thead>
                  <tr>
                    <th>${t('cases.caseNumber')}</th>
                    <th>${t('cases.cause')}</th>
                    <th>${t('cases.parties')}</th>
                    <th>${t('cases.state')}</th>
                    <th>${t('cases.filedAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${cases.map(
                    (c) => html`
                      <tr data-testid="case-row" data-case-id=${c.id} data-state=${c.state}>
                        <td data-label=${t('cases.caseNumber') + t('label.suffix')}>
                          <a href=${caseHref(this.caseLink, c.id)} data-testid="case-link">${c.caseNumber ?? t('cases.notAssigned')}</a>
                        </td>
                        <td data-label=${t('cases.cause') + t('label.suffix')}>${causeName(lang, c.cause)}</td>
                        <td data-label=${t('cases.parties') + t('label.suffix')}>${c.plaintiffs.join('、')} ${t('cases.versus')} ${c.defendants.join('、')}</td>
                        <td data-label=${t('cases.state') + t('label.suffix')}><span class="badge" data-testid="case-state">${t(stateKey(c.state))}</span></td>
                        <td data-label=${t('cases.filedAt') + t('label.suffix')}>${formatDate(lang, c.filedAt)}</td>
                      </tr>
                    `,
                  )}
                </tbody>
              </table>
            `,
      )}
    `;
  }
}
