// <ecourt-case-page case-id>: one case's details, its progress line, and for court staff the
// commands the API allows now; follows the case over /rt so changes appear without a reload.
import { LitElement, html, css, nothing } from 'lit';
import { ApiError, apiUrl, callApi } from '../api.ts';

/** One document the court issued or filed for the case (GET /api/v1/cases/{caseId}/documents). */
interface CaseDocumentListing {
  id: string;
  kind: string;
  /** The party it is addressed to ('defendants.1' …): a summons per party, a notice to respond per defendant. */
  addressee?: string | null;
  /** Kind-specific facts; `addressedTo` is the addressee's name as printed. */
  details?: Record<string, unknown> | null;
  title: string;
  sha256: string;
  mimeType: string;
  /** 验证码 printed on it; null for a transcript filed as text. */
  verificationCode: string | null;
  createdAt: string;
  contentPath: string;
}

/** A document a stage could not issue and why (GET …/document-problems, court staff only). */
interface DocumentProblem {
  kind: string;
  /** The party the refused document goes to, null for one to nobody in particular. */
  addressee?: string | null;
  code: string;
  message: string;
  fields: { field: string; message: string }[];
}

/** The documents' own names (文书名称), the same in either language. */
const DOCUMENT_NAMES: Record<string, string> = {
  acceptanceNotice: '受理通知书',
  noticeToRespond: '应诉通知书',
  evidenceNotice: '举证通知书',
  summons: '传票',
  hearingTranscript: '庭审笔录',
  civilJudgment: '民事判决书',
};
const COURT_STAFF = new Set(['judge', 'clerk', 'courtAdmin']);
import { LocaleController } from '../locale.ts';
import { SessionController } from '../session.ts';
import { LiveFeed } from '../live-feed.ts';
import { singleFlight } from '../single-flight.ts';
import { baseStyles } from '../styles.ts';
import { errorText, formatDate, formatDateTime, newUuid } from '../format.ts';
import { failureAlert } from '../fetched.ts';
import { causeName, commandKey, isMessageKey, stateKey, PROCESS_STEPS, stepKey } from '../i18n.ts';
import type { CaseDetail } from '../types.ts';
import type { CaseCommandType, CaseState } from '../../../actors/case/case.protocol.ts';
import type { EcourtEvidenceList } from './evidence-list.ts';

/** How far along the 立案 → 结案 line each state is; off-line endings keep the step they left at. */
const STEP_OF_STATE: Record<CaseState, number> = {
  draft: -1,
  filed: 0,
  underReview: 1,
  accepted: 2,
  rejected: 1,
  hearingScheduled: 3,
  heard: 4,
  judgmentIssued: 5,
  served: 6,
  closed: 7,
  archived: 7,
  withdrawn: -1,
  mediationSettled: 7,
};
const ENDED_OFF_LINE: ReadonlySet<CaseState> = new Set(['rejected', 'withdrawn']);

/** Plaintiffs first, then defendants, then third parties, as a complaint lists them. */
const SIDE_ORDER = ['plaintiff', 'defendant', 'third_party'];
/** The first part of a document's addressee key ('defendants.1'): the side's list. */
const ADDRESSEE_SIDES: Record<string, string> = { plaintiffs: 'plaintiff', defendants: 'defendant', thirdParties: 'third_party' };
const sideOrder = (side: string): number => (SIDE_ORDER.includes(side) ? SIDE_ORDER.indexOf(side) : SIDE_ORDER.length);

/** Who takes part in a hearing and so runs its device check (court administrators do not; the hub says 403). */
const HEARING_PARTICIPANT_ROLES: ReadonlySet<string> = new Set(['party', 'lawyer', 'institution', 'judge', 'clerk']);

/** Hearing times are entered in court time (China has one time zone, UTC+8, no summer time). */
const COURT_UTC_OFFSET = '+08:00';

export class EcourtCasePage extends LitElement {
  static override properties = {
    apiBase: { type: String, attribute: 'api-base' },
    caseId: { type: String, attribute: 'case-id' },
    listLink: { type: String, attribute: 'list-link' },
    transcriptLink: { type: String, attribute: 'transcript-link' },
    hearingLink: { type: String, attribute: 'hearing-link' },
    evidenceLink: { type: String, attribute: 'evidence-link' },
    detail: { state: true },
    failure: { state: true },
    openCommand: { state: true },
    busy: { state: true },
    commandFailure: { state: true },
    notice: { state: true },
    deviceCheckHearing: { state: true },
    documents: { state: true },
    documentProblems: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.35rem 1rem; margin: 0; }
      dt { color: var(--ecourt-muted); }
      dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
      section { margin-top: 1rem; }
      .title { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: baseline; }
      .progress { list-style: none; display: flex; flex-wrap: wrap; padding: 0; margin: 0; gap: 0.25rem; }
      .progress li { flex: 1 1 0; min-width: 4.5rem; text-align: center; padding: 0.35rem 0.25rem; border-top: 4px solid var(--ecourt-line); color: var(--ecourt-muted); font-size: 0.9rem; }
      .progress li.done { border-color: var(--ecourt-accent); color: var(--ecourt-ink); }
      .progress li.current { border-color: var(--ecourt-accent); color: var(--ecourt-accent); font-weight: 700; }
      .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
      .command-form { margin-top: 0.75rem; }
      .command-form .buttons { display: flex; gap: 0.5rem; margin-top: 0.75rem; }
      table { width: 100%; border-collapse: collapse; }
      th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--ecourt-line); }
      @media (max-width: 640px) {
        .progress li { font-size: 0.78rem; overflow-wrap: anywhere; }
        dl { grid-template-columns: 1fr; }
        dt { margin-top: 0.4rem; }
      }
    `,
  ];

  declare apiBase: string;
  declare caseId: string;
  declare listLink: string;
  declare transcriptLink: string;
  /** Where a hearing's live room is: '{caseId}' and '{hearingId}' are filled in. */
  declare hearingLink: string;
  declare evidenceLink: string;
  declare detail: CaseDetail | null;
  declare failure: unknown;
  declare openCommand: CaseCommandType | null;
  declare busy: boolean;
  declare commandFailure: unknown;
  declare notice: string | null;
  /** The hearing whose device check (设备检测) is open under the hearings table. */
  declare deviceCheckHearing: string | null;
  /** 案卷材料 filed by the court (the confirmed hearing transcript), from GET …/documents. */
  declare documents: CaseDocumentListing[];
  /** Court staff: the documents a stage could not issue (a party without an address …). */
  declare documentProblems: DocumentProblem[];

  private readonly locale = new LocaleController(this);
  private readonly sessions = new SessionController(this);
  /** A new case id or a new login: follow that case (or nothing, when logged out). */
  private readonly live = new LiveFeed(this, {
    apiBase: () => this.apiBase,
    target: () => {
      const token = this.sessions.session?.token;
      return token && this.caseId ? { token, key: this.caseId } : null;
    },
    listen: (client) => {
      const caseId = this.caseId;
      return [
        client.subscribe({ caseId }),
        client.onMessage((message) => {
          if (message.type === 'resync' || (message.type === 'case.event' && message.event.id === caseId)) void this.reload();
          // A file someone else added: only the evidence list needs fetching again.
          if (message.type === 'resync' || (message.type === 'case.notice' && message.notice.caseId === caseId)) void this.evidenceList()?.reload();
        }),
      ];
    },
    restarted: (live) => {
      this.detail = null;
      this.failure = null;
      this.openCommand = null;
      this.notice = null;
      if (live) void this.reload();
    },
  });

  constructor() {
    super();
    this.apiBase = '';
    this.caseId = '';
    this.listLink = '#/cases';
    this.transcriptLink = '#/cases/{caseId}/hearings/{hearingId}/transcript';
    this.hearingLink = '#/cases/{caseId}/hearings/{hearingId}/room';
    this.evidenceLink = '#/cases/{caseId}/evidence/{evidenceId}';
    this.detail = null;
    this.failure = null;
    this.openCommand = null;
    this.busy = false;
    this.commandFailure = null;
    this.notice = null;
    this.deviceCheckHearing = null;
    this.documents = [];
    this.documentProblems = [];
  }

  private evidenceList(): EcourtEvidenceList | null {
    return this.renderRoot.querySelector<EcourtEvidenceList>('ecourt-evidence-list');
  }

  /** One fetch at a time; a change arriving meanwhile fetches once more afterwards. */
  readonly reload = singleFlight(async () => {
    const caseId = this.caseId;
    try {
      const reply = await callApi<{ case: CaseDetail }>(this.apiBase, `/api/v1/cases/${encodeURIComponent(caseId)}`);
      if (caseId !== this.caseId) return;
      this.detail = reply.case;
      this.failure = null;
      // Best effort: the case page stands without its filed documents.
      const filed = await callApi<{ documents: CaseDocumentListing[] }>(this.apiBase, `/api/v1/cases/${encodeURIComponent(caseId)}/documents`).catch(() => null);
      if (filed && caseId === this.caseId) this.documents = filed.documents;
      if (COURT_STAFF.has(this.sessions.session?.user.role ?? '')) {
        const problems = await callApi<{ problems: DocumentProblem[] }>(this.apiBase, `/api/v1/cases/${encodeURIComponent(caseId)}/document-problems`).catch(() => null);
        if (problems && caseId === this.caseId) this.documentProblems = problems.problems;
      }
      // Someone else moved the case on: a half-filled form for a command no longer allowed goes.
      if (this.openCommand && !(reply.case.allowedCommands ?? []).includes(this.openCommand)) this.openCommand = null;
    } catch (error) {
      if (caseId === this.caseId) this.failure = error;
    }
  });

  private async sendCommand(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const type = this.openCommand;
    if (!type) return;
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const fields: Record<string, unknown> = {};
    switch (type) {
      case 'REJECT':
        fields.reasons = text('reasons').split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
        break;
      case 'SCHEDULE_HEARING':
        fields.hearingId = newUuid();
        // datetime-local gives "2026-12-01T09:30"; it is court time, whatever the browser's zone.
        fields.startsAt = text('startsAt') === '' ? '' : `${text('startsAt')}:00${COURT_UTC_OFFSET}`;
        fields.courtroom = text('courtroom');
        // 'court default' sends none: the hub stamps its default language (ECOURT_ASR_LANGUAGE).
        if (text('language') === 'zh' || text('language') === 'en') fields.language = text('language');
        break;
      case 'RECORD_HEARING_HELD':
        fields.hearingId = text('hearingId');
        break;
      case 'ISSUE_JUDGMENT':
      case 'SETTLE_BY_MEDIATION':
        fields.summary = text('summary');
        break;
      case 'WITHDRAW':
        fields.reason = text('reason');
        break;
      default:
        break;
    }
    this.busy = true;
    this.commandFailure = null;
    this.notice = null;
    try {
      await callApi(this.apiBase, `/api/v1/cases/${encodeURIComponent(this.caseId)}/commands`, { method: 'POST', body: { type, ...fields } });
      this.openCommand = null;
      this.notice = this.locale.t('command.done', { name: this.locale.t(commandKey(type)) });
      await this.reload();
    } catch (error) {
      this.commandFailure = error;
    } finally {
      this.busy = false;
    }
  }

  private commandFields(type: CaseCommandType) {
    const t = this.locale.t.bind(this.locale);
    switch (type) {
      case 'REJECT':
        return html`<label for="reasons">${t('command.reasons')}</label>
          <textarea id="reasons" name="reasons" data-testid="command-reasons" required></textarea>`;
      case 'SCHEDULE_HEARING':
        return html`<label for="startsAt">${t('command.startsAt')}</label>
          <input id="startsAt" name="startsAt" type="datetime-local" data-testid="command-starts-at" required />
          <label for="courtroom">${t('command.courtroom')}</label>
          <input id="courtroom" name="courtroom" data-testid="command-courtroom" required />
          <label for="language">${t('command.hearingLanguage')}</label>
          <select id="language" name="language" data-testid="command-hearing-language">
            <option value="" selected>${t('command.hearingLanguage.default')}</option>
            <option value="zh">${t('command.hearingLanguage.zh')}</option>
            <option value="en">${t('command.hearingLanguage.en')}</option>
          </select>`;
      case 'RECORD_HEARING_HELD': {
        const hearings = (this.detail?.hearings ?? []).filter((h) => h.state === 'scheduled');
        return html`<label for="hearingId">${t('command.hearing')}</label>
          <select id="hearingId" name="hearingId" data-testid="command-hearing" required>
            ${hearings.map((h) => html`<option value=${h.id}>${formatDateTime(this.locale.lang, h.startsAt)} · ${h.courtroom}</option>`)}
          </select>`;
      }
      case 'ISSUE_JUDGMENT':
      case 'SETTLE_BY_MEDIATION':
        return html`<label for="summary">${t('command.summary')}</label>
          <textarea id="summary" name="summary" data-testid="command-summary" required minlength="2"></textarea>`;
      case 'WITHDRAW':
        return html`<label for="reason">${t('command.reason')}</label>
          <textarea id="reason" name="reason" data-testid="command-reason" required minlength="2"></textarea>`;
      default:
        return nothing;
    }
  }

  private renderProgress(state: CaseState) {
    const t = this.locale.t.bind(this.locale);
    const reached = STEP_OF_STATE[state] ?? -1;
    const allDone = state === 'closed' || state === 'archived' || state === 'mediationSettled';
    return html`<ol class="progress" data-testid="case-progress">
      ${PROCESS_STEPS.map((step, index) => {
        const cls = index < reached || allDone ? 'done' : index === reached ? (ENDED_OFF_LINE.has(state) ? 'done' : 'current') : '';
        return html`<li class=${cls} data-step=${step}>${t(stepKey(step))}</li>`;
      })}
    </ol>`;
  }

  /** Fills `{caseId}` and `{hearingId}` in the transcript-link template. */
  private transcriptHref(caseId: string, hearingId: string): string {
    return this.transcriptLink.replace('{caseId}', encodeURIComponent(caseId)).replace('{hearingId}', encodeURIComponent(hearingId));
  }

  private hearingHref(caseId: string, hearingId: string): string {
    return this.hearingLink.replace('{caseId}', encodeURIComponent(caseId)).replace('{hearingId}', encodeURIComponent(hearingId));
  }

  /** Whom a document goes to, by name: as printed on it, else its addressee key read against the case's parties (in their order). */
  private addresseeName(addressee: string | null | undefined, printed?: unknown): string | null {
    if (!addressee) return null;
    if (typeof printed === 'string' && printed) return printed;
    const [list, place] = addressee.split('.');
    const side = ADDRESSEE_SIDES[list ?? ''];
    const party = side ? (this.detail?.parties ?? []).filter((p) => p.side === side)[Number(place)] : undefined;
    return party?.name ?? addressee;
  }

  private sideName(side: string): string {
    const key = `case.side.${side}`;
    return isMessageKey(key) ? this.locale.t(key) : side;
  }

  private hearingStateName(state: string): string {
    const key = `case.hearing.${state}`;
    return isMessageKey(key) ? this.locale.t(key) : state;
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    if (!this.sessions.session) return null;
    const c = this.detail;
    if (!c) {
      return this.failure
        ? html`<div class="error" role="alert" data-testid="case-error">${errorText(lang, this.failure, { withServerMessage: true })}</div>`
        : html`<p class="muted">${t('case.loading')}</p>`;
    }
    // A command this bundle does not know yet (newer hub) is left out rather than sent blind.
    const commands = (c.allowedCommands ?? []).filter((cmd): cmd is CaseCommandType => isMessageKey(`cmd.${cmd}`));
    return html`
      <p><a href=${this.listLink}>← ${t('case.back')}</a></p>
      <div class="card" data-testid="case-page" data-case-id=${c.id} data-state=${c.state}>
        <div class="title">
          <h2 data-testid="case-number">${c.caseNumber ?? t('cases.notAssigned')}</h2>
          <span class="badge" data-testid="case-state">${t(stateKey(c.state))}</span>
        </div>
        <section>
          <h3>${t('case.progress')}</h3>
          ${this.renderProgress(c.state)}
        </section>
        <section>
          <dl>
            <dt>${t('case.court')}</dt><dd>${c.courtName}</dd>
            <dt>${t('case.cause')}</dt><dd data-testid="case-cause">${causeName(lang, c.cause)}</dd>
            <dt>${t('cases.filedAt')}</dt><dd>${formatDate(lang, c.filedAt)}</dd>
            <dt>${t('case.claims')}</dt><dd>${c.claims}</dd>
            <dt>${t('case.amount')}</dt><dd>${c.claimAmount ? t('case.amountValue', { amount: c.claimAmount }) : '—'}</dd>
            ${c.facts ? html`<dt>${t('case.facts')}</dt><dd>${c.facts}</dd>` : nothing}
          </dl>
        </section>
        <section>
          <h3>${t('case.parties')}</h3>
          <ul data-testid="case-parties">
            ${[...c.parties].sort((a, b) => sideOrder(a.side) - sideOrder(b.side)).map((p) => html`<li>${t('case.partyLine', { side: this.sideName(p.side), name: p.name, kind: t(p.kind === 'organisation' ? 'case.kind.organisation' : 'case.kind.person') })}</li>`)}
          </ul>
        </section>
        <section>
          <h3>${t('case.hearings')}</h3>
          ${c.hearings.length === 0
            ? html`<p class="muted">${t('case.noHearings')}</p>`
            : html`<table data-testid="case-hearings">
                <thead><tr><th>${t('case.hearing.startsAt')}</th><th>${t('case.hearing.courtroom')}</th><th>${t('case.hearing.state')}</th><th>${t('case.hearing.room')}</th><th>${t('transcript.title')}</th><th>${t('case.hearing.deviceCheck')}</th></tr></thead>
                <tbody>
                  ${c.hearings.map((h) => html`<tr><td>${formatDateTime(lang, h.startsAt)}</td><td>${h.courtroom}</td><td>${this.hearingStateName(h.state)}</td>
                    <td><a href=${this.hearingHref(c.id, h.id)} data-testid="hearing-room-link" data-hearing-id=${h.id}>${t('hearingRoom.open')}</a></td>
                    <td><a href=${this.transcriptHref(c.id, h.id)} data-testid="hearing-transcript-link" data-hearing-id=${h.id}>${t('transcript.open')}</a></td>
                    <td>${h.state === 'scheduled' && HEARING_PARTICIPANT_ROLES.has(this.sessions.session?.user.role ?? '')
                      ? html`<button type="button" class="secondary" data-testid="hearing-device-check" data-hearing-id=${h.id} aria-expanded=${String(this.deviceCheckHearing === h.id)}
                          @click=${() => (this.deviceCheckHearing = this.deviceCheckHearing === h.id ? null : h.id)}>${this.deviceCheckHearing === h.id ? t('deviceCheck.close') : t('deviceCheck.open')}</button>`
                      : '—'}</td></tr>`)}
                </tbody>
              </table>`}
          ${this.deviceCheckHearing && c.hearings.some((h) => h.id === this.deviceCheckHearing)
            ? html`<ecourt-device-check api-base=${this.apiBase} hearing=${this.deviceCheckHearing}></ecourt-device-check>`
            : nothing}
        </section>
        <ecourt-evidence-list api-base=${this.apiBase} case-id=${c.id} viewer-link=${this.evidenceLink}></ecourt-evidence-list>
        ${(this.documents ?? []).length === 0 && (this.documentProblems ?? []).length === 0 ? nothing : this.renderDocuments()}
        ${failureAlert(lang, this.failure, { withServerMessage: true })}
        ${this.notice ? html`<div class="notice" role="status" data-testid="command-notice">${this.notice}</div>` : nothing}
        ${commands.length === 0 ? nothing : this.renderActions(commands)}
      </div>
    `;
  }

  private renderDocuments() {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    return html`<section>
      <h3>${t('caseDocuments.heading')}</h3>
      <ul data-testid="case-documents">
        ${this.documents.map(
          (document) => html`<li data-testid="case-document" data-document-id=${document.id} data-kind=${document.kind}>
            ${document.title}
            ${document.addressee
              ? html`(<span data-testid="case-document-addressee" data-addressee=${document.addressee}>${t('caseDocuments.addressedTo', { name: this.addresseeName(document.addressee, document.details?.addressedTo) ?? '' })}</span>)`
              : nothing}
            · ${formatDateTime(lang, document.createdAt)} ·
            ${document.verificationCode
              ? html`${t('caseDocuments.verificationCode')} <code data-testid="case-document-code">${document.verificationCode}</code>`
              : html`<code title="sha256">${document.sha256.slice(0, 12)}…</code>`}
            <button type="button" class="secondary" data-testid="case-document-download" @click=${() => void this.download(document)}>${t('review.download')}</button>
          </li>`,
        )}
      </ul>
      ${(this.documentProblems ?? []).length === 0
        ? nothing
        : html`<ul class="error" data-testid="case-document-problems">
            ${this.documentProblems.map(
              (problem) => html`<li data-testid="case-document-problem" data-kind=${problem.kind}>
                ${t('caseDocuments.notIssued', {
                  name: `${DOCUMENT_NAMES[problem.kind] ?? problem.kind}${problem.addressee ? `（${t('caseDocuments.addressedTo', { name: this.addresseeName(problem.addressee) ?? '' })}）` : ''}`,
                })}
                ${problem.fields.length ? problem.fields.map((field) => field.field).join('、') : problem.message}
              </li>`,
            )}
          </ul>`}
    </section>`;
  }

  /** The bytes need the session's token, which a plain link would not carry. */
  private async download(document: CaseDocumentListing): Promise<void> {
    try {
      const token = this.sessions.session?.token;
      const response = await fetch(apiUrl(this.apiBase, document.contentPath), { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (!response.ok) throw new ApiError(response.status, response.status === 404 ? 'NOT_FOUND' : 'INTERNAL', response.statusText);
      const url = URL.createObjectURL(await response.blob());
      const link = Object.assign(window.document.createElement('a'), { href: url, download: `${document.title}.${document.mimeType === 'application/pdf' ? 'pdf' : 'txt'}` });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      this.failure = error;
    }
  }

  private renderActions(commands: CaseCommandType[]) {
    const t = this.locale.t.bind(this.locale);
    const open = this.openCommand;
    return html`
      <section>
        <h3>${t('case.actions')}</h3>
        <div class="actions">
          ${commands.map(
            (type) => html`<button
              type="button"
              class=${open === type ? '' : 'secondary'}
              data-testid=${`command-${type}`}
              ?disabled=${this.busy}
              @click=${() => {
                this.openCommand = type;
                this.commandFailure = null;
                this.notice = null;
              }}
            >${t(commandKey(type))}</button>`,
          )}
        </div>
        ${open
          ? html`<form class="command-form card" data-testid="command-form" data-command=${open} @submit=${this.sendCommand}>
              <strong>${t(commandKey(open))}</strong>
              ${this.commandFields(open)}
              ${failureAlert(this.locale.lang, this.commandFailure, { testId: 'command-error', withServerMessage: true })}
              <div class="buttons">
                <button type="submit" data-testid="command-submit" ?disabled=${this.busy}>${this.busy ? t('command.busy') : t('command.submit')}</button>
                <button type="button" class="secondary" ?disabled=${this.busy} @click=${() => (this.openCommand = null)}>${t('command.cancel')}</button>
              </div>
            </form>`
          : nothing}
      </section>
    `;
  }
}
