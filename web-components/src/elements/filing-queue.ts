// <ecourt-filing-queue>: the clerks' queue of their court's filings (立案审查), from
// GET /api/v1/courts/:courtId/filing-queue: the filings the rules left to a clerk, each with the
// rules that failed or were uncertain (reason, legal basis, fields), the full trace on demand, and
// a decision — accept, return for correction (fields, deadline) or reject — with a reason, which the
// filing actor takes and the audit trail keeps. Live over /rt (filingQueue.follow): a filing's event
// refetches the queue; while the socket is down it polls.
import { LitElement, html, css, nothing } from 'lit';
import { callApi } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { SessionController } from '../session.ts';
import { baseStyles } from '../styles.ts';
import { formatDateTime } from '../format.ts';
import { failureAlert, fetchedList } from '../fetched.ts';
import { isMessageKey, type MessageKey } from '../i18n.ts';
import { LiveFeed, liveBadge, liveFeedStyles } from '../live-feed.ts';
import { singleFlight } from '../single-flight.ts';
import { CAUSES, type CauseId } from '../../../models/filing-rules/causes.ts';
import type { FilingQueueItem as StoredQueueItem } from '../../../storage/filing-queue/list-filing-queue.ts';

export interface TraceEntry {
  ruleId?: string;
  outcome?: string;
  consequence?: string | null;
  reason?: { zh?: string; en?: string };
  legalBasis?: string;
  fields?: string[];
}

/** The API's queue item (type-only: nothing of storage reaches the bundle), its trace entries read as rule results. */
export type FilingQueueItem = Omit<StoredQueueItem, 'concerns' | 'trace' | 'checks'> & { concerns: TraceEntry[]; trace: TraceEntry[]; checks: TraceEntry[] };

const STATUS_FILTERS = ['', 'needsClerk', 'submitted', 'returned'] as const;
type StatusFilter = (typeof STATUS_FILTERS)[number];
const DECISIONS = ['accept', 'return', 'reject'] as const;
type Decision = (typeof DECISIONS)[number];

const REFETCH_DELAY_MS = 150;
const POLL_MS = 20_000;
const DEFAULT_CORRECTION_DAYS = 15;

interface DecisionDraft {
  decision: Decision;
  reason: string;
  fields: string;
  deadline: string;
  busy: boolean;
  failure: unknown;
  done: string | null;
}

const courtDayPlus = (days: number): string => new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

export class EcourtFilingQueue extends LitElement {
  static override properties = {
    apiBase: { type: String, attribute: 'api-base' },
    filings: { state: true },
    total: { state: true },
    status: { state: true },
    failure: { state: true },
    loaded: { state: true },
    expanded: { state: true },
    drafts: { state: true },
  };

  static override styles = [
    baseStyles,
    liveFeedStyles,
    css`
      article { border: 1px solid var(--ecourt-line); border-radius: 6px; padding: 0.75rem 0.9rem; margin-bottom: 0.9rem; background: var(--ecourt-surface); }
      .meta { display: flex; gap: 0.9rem; flex-wrap: wrap; align-items: baseline; }
      .badge { border: 1px solid var(--ecourt-line); border-radius: 999px; padding: 0 0.5rem; font-size: 0.85rem; }
      .concern { border-left: 3px solid var(--ecourt-error); padding-left: 0.6rem; margin: 0.35rem 0; }
      .concern.uncertain { border-left-color: #b7791f; }
      table { width: 100%; border-collapse: collapse; font-size: 0.9rem; }
      /* The outcome (通过 / 未通过) is one word: never broken into a column of single characters. */
      td.outcome, th.outcome { white-space: nowrap; }
      th, td { text-align: left; padding: 0.3rem 0.4rem; border-bottom: 1px solid var(--ecourt-line); vertical-align: top; }
      form { margin-top: 0.6rem; display: grid; gap: 0.3rem; }
      .row { display: flex; gap: 0.6rem; flex-wrap: wrap; align-items: end; }
      .row > * { flex: 1 1 12rem; }
      label.filter { display: inline-flex; gap: 0.4rem; align-items: center; margin: 0; }
      label.filter select { width: auto; }
      .ok { color: var(--ecourt-ok); }
    `,
  ];

  declare apiBase: string;
  declare filings: FilingQueueItem[];
  declare total: number;
  declare status: StatusFilter;
  declare failure: unknown;
  declare loaded: boolean;
  declare expanded: Set<string>;
  declare drafts: Record<string, DecisionDraft>;

  private readonly locale = new LocaleController(this);
  private readonly sessions = new SessionController(this);
  private refetchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Court staff follow their court's queue; a new login starts over. */
  private readonly live = new LiveFeed(this, {
    apiBase: () => this.apiBase,
    target: () => {
      const session = this.sessions.session;
      return session?.user.courtId ? { token: session.token } : null;
    },
    follow: 'filingQueue',
    listen: (client) => {
      // Only while the follow is not confirmed: then events may be missed.
      const poll = setInterval(() => {
        if (this.live.status !== 'open') void this.reload();
      }, POLL_MS);
      return [
        client.onMessage((message) => {
          if (message.type === 'filing.event' || message.type === 'resync' || (message.type === 'following' && message.follow === 'filingQueue')) this.scheduleRefetch();
        }),
        () => {
          clearInterval(poll);
          clearTimeout(this.refetchTimer);
        },
      ];
    },
    restarted: (live) => {
      this.filings = [];
      this.loaded = false;
      if (live) void this.reload();
    },
  });

  constructor() {
    super();
    this.apiBase = '';
    this.filings = [];
    this.total = 0;
    this.status = '';
    this.failure = null;
    this.loaded = false;
    this.expanded = new Set();
    this.drafts = {};
  }

  private scheduleRefetch(): void {
    clearTimeout(this.refetchTimer);
    this.refetchTimer = setTimeout(() => void this.reload(), REFETCH_DELAY_MS);
  }

  /** One fetch at a time; a request arriving meanwhile runs once more afterwards. */
  readonly reload = singleFlight(async () => {
    const session = this.sessions.session;
    if (!session?.user.courtId) return;
    try {
      const query = this.status ? `?status=${this.status}&limit=200` : '?limit=200';
      const page = await callApi<{ filings: FilingQueueItem[]; total: number }>(this.apiBase, `/api/v1/courts/${encodeURIComponent(session.user.courtId)}/filing-queue${query}`);
      if (this.sessions.session?.token !== session.token) return;
      this.filings = page.filings;
      this.total = page.total;
      this.failure = null;
    } catch (error) {
      this.failure = error;
    } finally {
      this.loaded = true;
    }
  });

  private draftOf(id: string): DecisionDraft {
    return this.drafts[id] ?? { decision: 'accept', reason: '', fields: '', deadline: courtDayPlus(DEFAULT_CORRECTION_DAYS), busy: false, failure: null, done: null };
  }

  private setDraft(id: string, change: Partial<DecisionDraft>): void {
    this.drafts = { ...this.drafts, [id]: { ...this.draftOf(id), ...change } };
  }

  private async decide(event: Event, filing: FilingQueueItem): Promise<void> {
    event.preventDefault();
    const draft = this.draftOf(filing.id);
    const t = this.locale.t.bind(this.locale);
    if (draft.reason.trim().length < 2) {
      this.setDraft(filing.id, { failure: { code: 'VALIDATION_FAILED', message: t('queue.reasonRequired') } });
      return;
    }
    const fields = draft.fields
      .split(/[,，、\s]+/)
      .map((field) => field.trim())
      .filter((field) => field !== '');
    const body =
      draft.decision === 'return'
        ? { decision: draft.decision, reason: draft.reason.trim(), ...(fields.length > 0 ? { fields } : {}), ...(draft.deadline ? { deadline: draft.deadline } : {}) }
        : { decision: draft.decision, reason: draft.reason.trim() };
    this.setDraft(filing.id, { busy: true, failure: null });
    try {
      await callApi(this.apiBase, `/api/v1/filings/${encodeURIComponent(filing.id)}/decision`, { method: 'POST', body });
      this.setDraft(filing.id, { busy: false, done: t('queue.decided', { decision: t(`queue.decision.${draft.decision}`) }) });
      await this.reload();
    } catch (error) {
      this.setDraft(filing.id, { busy: false, failure: error });
    }
  }

  private toggleTrace(id: string): void {
    const next = new Set(this.expanded);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.expanded = next;
  }

  private causeName(cause: string): string {
    const definition = CAUSES[cause as CauseId];
    if (!definition) return cause;
    return this.locale.lang === 'zh' ? definition.name : definition.nameEn;
  }

  private outcomeText(outcome: string | undefined): string {
    const key = `queue.outcome.${outcome ?? ''}`;
    return isMessageKey(key) ? this.locale.t(key as MessageKey) : (outcome ?? '');
  }

  private statusText(status: string): string {
    const key = `queue.status.${status}`;
    return isMessageKey(key) ? this.locale.t(key as MessageKey) : status;
  }

  private renderEntry(entry: TraceEntry) {
    const lang = this.locale.lang;
    return html`
      <div class="concern ${entry.outcome ?? ''}" data-testid="queue-concern" data-rule-id=${entry.ruleId ?? ''} data-outcome=${entry.outcome ?? ''}>
        <strong>${entry.ruleId}</strong> · ${this.outcomeText(entry.outcome)}
        <div>${entry.reason?.[lang] ?? entry.reason?.zh ?? ''}</div>
        ${entry.legalBasis ? html`<div class="muted">${this.locale.t('queue.legalBasis')}：${entry.legalBasis}</div>` : nothing}
        ${entry.fields && entry.fields.length > 0 ? html`<div class="muted">${entry.fields.join(', ')}</div>` : nothing}
      </div>
    `;
  }

  private renderDecision(filing: FilingQueueItem) {
    const t = this.locale.t.bind(this.locale);
    const draft = this.draftOf(filing.id);
    if (draft.done && filing.status !== 'needsClerk') return html`<p class="ok" data-testid="queue-decided">${draft.done}</p>`;
    if (filing.status !== 'needsClerk') return nothing;
    return html`
      <form data-testid="queue-decision" @submit=${(event: Event) => this.decide(event, filing)}>
        <div class="row">
          <div>
            <label for=${`decision-${filing.id}`}>${t('queue.decide')}</label>
            <select id=${`decision-${filing.id}`} data-testid="queue-decision-select" .value=${draft.decision}
              @change=${(event: Event) => this.setDraft(filing.id, { decision: (event.target as HTMLSelectElement).value as Decision })}>
              ${DECISIONS.map((decision) => html`<option value=${decision} ?selected=${decision === draft.decision}>${t(`queue.decision.${decision}`)}</option>`)}
            </select>
          </div>
          ${draft.decision === 'return'
            ? html`
                <div>
                  <label for=${`fields-${filing.id}`}>${t('queue.fields')}</label>
                  <input id=${`fields-${filing.id}`} data-testid="queue-decision-fields" .value=${draft.fields}
                    @input=${(event: Event) => this.setDraft(filing.id, { fields: (event.target as HTMLInputElement).value })} />
                </div>
                <div>
                  <label for=${`deadline-${filing.id}`}>${t('queue.deadline')}</label>
                  <input id=${`deadline-${filing.id}`} type="date" data-testid="queue-decision-deadline" .value=${draft.deadline}
                    @input=${(event: Event) => this.setDraft(filing.id, { deadline: (event.target as HTMLInputElement).value })} />
                </div>
              `
            : nothing}
        </div>
        <label for=${`reason-${filing.id}`}>${t('queue.reason')}</label>
        <textarea id=${`reason-${filing.id}`} data-testid="queue-decision-reason" .value=${draft.reason}
          @input=${(event: Event) => this.setDraft(filing.id, { reason: (event.target as HTMLTextAreaElement).value })}></textarea>
        ${failureAlert(this.locale.lang, draft.failure, { testId: 'queue-decision-error', withServerMessage: true })}
        <div><button type="submit" data-testid="queue-decision-submit" ?disabled=${draft.busy}>${t('queue.submit')}</button></div>
      </form>
    `;
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    const session = this.sessions.session;
    if (!session?.user.courtId) return null;
    return html`
      <div class="head">
        <h2>${t('queue.title')}</h2>
        <div class="meta">
          <label class="filter">${t('queue.status')}
            <select data-testid="queue-status-filter" .value=${this.status}
              @change=${(event: Event) => {
                this.status = (event.target as HTMLSelectElement).value as StatusFilter;
                void this.reload();
              }}>
              ${STATUS_FILTERS.map((status) => html`<option value=${status} ?selected=${status === this.status}>${status ? this.statusText(status) : t('queue.status.all')}</option>`)}
            </select>
          </label>
          ${liveBadge(this.live.status, 'queue-live', { open: t('queue.live'), otherwise: t('queue.offline') })}
        </div>
      </div>
      ${failureAlert(lang, this.failure, { testId: 'queue-error' })}
      ${fetchedList(this.loaded ? this.filings : null, { loading: t('queue.loading'), empty: t('queue.empty'), emptyTestId: 'queue-empty' }, (filings) =>
        filings.map(
              (filing) => html`
                <article data-testid="queue-filing" data-filing-id=${filing.id} data-status=${filing.status}>
                  <div class="meta">
                    <strong>${this.causeName(filing.cause)}</strong>
                    <span class="badge" data-testid="queue-filing-status">${this.statusText(filing.status)}</span>
                    <span>${filing.plaintiffs.join('、')} ${t('queue.versus')} ${filing.defendants.join('、')}</span>
                  </div>
                  <div class="meta muted">
                    <span>${t('queue.filedBy')}：${filing.filedBy.displayName ?? filing.filedBy.userId}</span>
                    <span>${t('queue.submittedAt')}：${formatDateTime(lang, filing.submittedAt)}</span>
                    ${filing.claimAmount ? html`<span>${t('queue.amount')}：${filing.claimAmount}</span>` : nothing}
                    ${filing.fee ? html`<span>${t('queue.fee')}：${filing.fee}</span>` : nothing}
                    ${filing.ruleSetVersion !== null ? html`<span>${t('queue.ruleSetVersion', { version: filing.ruleSetVersion })}</span>` : nothing}
                  </div>
                  <h3>${t('queue.concerns')}</h3>
                  ${filing.concerns.length === 0 ? html`<p class="muted">${t('queue.noConcerns')}</p>` : filing.concerns.map((entry) => this.renderEntry(entry))}
                  <button type="button" class="secondary" data-testid="queue-trace-toggle" @click=${() => this.toggleTrace(filing.id)}>${t('queue.trace')}</button>
                  ${this.expanded.has(filing.id)
                    ? html`<table data-testid="queue-trace">
                        <thead><tr><th>${t('queue.rule')}</th><th class="outcome">${t('queue.outcome')}</th><th>${t('queue.legalBasis')}</th></tr></thead>
                        <tbody>
                          ${filing.trace.map(
                            (entry) => html`<tr data-rule-id=${entry.ruleId ?? ''}>
                              <td><strong>${entry.ruleId}</strong><div>${entry.reason?.[lang] ?? ''}</div></td>
                              <td class="outcome">${this.outcomeText(entry.outcome)}</td>
                              <td class="muted">${entry.legalBasis ?? ''}</td>
                            </tr>`,
                          )}
                        </tbody>
                      </table>`
                    : nothing}
                  ${this.renderDecision(filing)}
                </article>
              `,
        ),
      )}
    `;
  }
}
