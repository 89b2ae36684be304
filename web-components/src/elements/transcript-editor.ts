// <ecourt-transcript-editor doc>: a hearing's transcript (庭审笔录) edited live over the hub's /yjs
// endpoint: judge and clerk edit, parties and lawyers confirm or object, everyone sees who is where.
import { LitElement, html, css, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { LocaleController } from '../locale.ts';
import { SessionController, type SessionUser } from '../session.ts';
import { baseStyles } from '../styles.ts';
import { errorText } from '../format.ts';
import { failureAlert, fetchedList } from '../fetched.ts';
import { isMessageKey } from '../i18n.ts';
import { DocConnection, yjsUrl, type ConnectionStatus, type Refusal } from '../collab/doc-connection.ts';
import { getWithToken } from '../collab/hub-fetch.ts';
import {
  appendSegment,
  confirmSegment,
  editSegmentText,
  formatClock,
  marksBySegment,
  parseClock,
  segmentsArray,
  segmentsOf,
  shiftIndex,
  type SegmentConfirmation,
  type TranscriptSegment,
} from '../collab/transcript-doc.ts';
import { newUuid } from '../format.ts';
import type { CaseDetail } from '../types.ts';

/** Roles that write the transcript; the server enforces the same rule (hub/collab/access.ts). */
const EDITOR_ROLES: ReadonlySet<string> = new Set(['judge', 'clerk']);
/** Case members who mark segments in their own area. */
const MARKING_ROLES: ReadonlySet<string> = new Set(['party', 'lawyer', 'institution']);
/** Who may be recorded as speaking in a new segment. */
const SPEAKER_ROLES = ['judge', 'clerk', 'plaintiff', 'defendant'] as const;

interface Peer {
  clientId: number;
  userId: string;
  name: string;
  role: string;
  cursor: { segmentId: string; index: number } | null;
}

/** A stable colour per user, so a caret keeps its colour across reconnects. */
function colourOf(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return `hsl(${Math.abs(hash) % 360} 70% 38%)`;
}

/** The hearing id inside a transcript document name. */
const hearingIdOf = (docName: string): string | null => /^cases\/[^/]+\/hearings\/([^/]+)\/transcript$/.exec(docName)?.[1] ?? null;
/** When the transcript was frozen for confirmation (hub/collab/transcript-freeze.ts), else null. */
const frozenAtOf = (doc: Y.Doc): string | null => {
  const value = doc.getMap('meta').get('frozenAt');
  return typeof value === 'string' ? value : null;
};

/** The case id inside a transcript document name (cases/<caseId>/hearings/<hearingId>/transcript). */
const caseIdOf = (docName: string): string | null => /^cases\/([^/]+)\/hearings\/[^/]+\/transcript$/.exec(docName)?.[1] ?? null;

export class EcourtTranscriptEditor extends LitElement {
  static override properties = {
    doc: { type: String },
    apiBase: { type: String, attribute: 'api-base' },
    hubUrl: { type: String, attribute: 'hub-url' },
    token: { type: String },
    status: { state: true },
    segments: { state: true },
    marks: { state: true },
    peers: { state: true },
    synced: { state: true },
    refusal: { state: true },
    failure: { state: true },
    user: { state: true },
    objecting: { state: true },
    adding: { state: true },
    draftRole: { state: true },
    draftFailure: { state: true },
    frozenAt: { state: true },
    reviewSubmitted: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      .head { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; justify-content: space-between; }
      .head h2 { margin: 0; }
      .status[data-status='live'] { color: var(--ecourt-ok); border-color: var(--ecourt-ok); }
      .status[data-status='offline'], .status[data-status='closed'] { color: var(--ecourt-error); border-color: var(--ecourt-error); }
      .presence { display: flex; flex-wrap: wrap; gap: 0.35rem; list-style: none; padding: 0; margin: 0.5rem 0; align-items: center; }
      .presence li { border-left: 4px solid var(--peer); padding: 0 0.4rem; background: var(--ecourt-shade); border-radius: 3px; font-size: 0.9rem; }
      .presence li.label { border: none; background: none; padding: 0; }
      ol.segments { list-style: none; padding: 0; margin: 0.75rem 0 0; display: grid; gap: 0.75rem; }
      .segment { border: 1px solid var(--ecourt-line); border-radius: 6px; padding: 0.6rem 0.8rem; background: var(--ecourt-surface); }
      /* Live recognition is still working on it: greyed until the final text replaces it. */
      .segment.partial { color: var(--ecourt-muted); border-style: dashed; background: var(--ecourt-shade); }
      .segment.partial .speaker { font-weight: 600; }
      .asr-kept { color: var(--ecourt-muted); font-size: 0.85rem; margin: 0.25rem 0 0; }
      .meta { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: baseline; font-size: 0.92rem; }
      .speaker { font-weight: 700; }
      .time { color: var(--ecourt-muted); font-variant-numeric: tabular-nums; }
      .text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.35rem 0 0; min-height: 1.6em; }
      textarea.text { min-height: 3.2rem; margin-top: 0.35rem; }
      .caret { position: relative; display: inline-block; width: 0; border-left: 2px solid var(--peer); height: 1.2em; vertical-align: text-bottom; }
      .caret .who { position: absolute; bottom: 100%; left: -2px; background: var(--peer); color: #fff; font-size: 0.7rem; line-height: 1.3; padding: 0 0.25rem; border-radius: 2px; white-space: nowrap; pointer-events: none; }
      .editing { display: flex; flex-wrap: wrap; gap: 0.35rem; margin: 0.3rem 0 0; padding: 0; list-style: none; font-size: 0.85rem; }
      .editing li { color: #fff; background: var(--peer); padding: 0 0.4rem; border-radius: 3px; }
      .marks { list-style: none; padding: 0; margin: 0.35rem 0 0; font-size: 0.88rem; }
      .marks li[data-status='confirmed'] { color: var(--ecourt-ok); }
      .marks li[data-status='objected'] { color: var(--ecourt-error); }
      .mark-actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.4rem; }
      .mark-actions button { min-height: 2.2rem; padding: 0.2rem 0.8rem; }
      form.add { margin-top: 1rem; }
      .row { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 0 0.75rem; }
      .buttons { display: flex; gap: 0.5rem; margin-top: 0.75rem; flex-wrap: wrap; }
      @media (max-width: 640px) {
        .row { grid-template-columns: repeat(2, minmax(0, 1fr)); }
        .segment { padding: 0.5rem 0.6rem; }
      }
    `,
  ];

  declare doc: string;
  declare apiBase: string;
  declare hubUrl: string;
  declare token: string;
  declare status: ConnectionStatus;
  declare segments: TranscriptSegment[];
  declare marks: Map<string, [string, SegmentConfirmation][]>;
  declare peers: Peer[];
  declare synced: boolean;
  declare refusal: Refusal | null;
  declare failure: unknown;
  declare user: SessionUser | null;
  declare objecting: string | null;
  declare adding: boolean;
  declare draftRole: (typeof SPEAKER_ROLES)[number];
  declare draftFailure: string | null;
  /** 笔录确认: when the hearing's end froze the transcript (meta.frozenAt); segments are then read-only. */
  declare frozenAt: string | null;
  /** The user's review of the frozen transcript is in (transcript-review.ts says so): marks are final. */
  declare reviewSubmitted: boolean;

  private readonly locale = new LocaleController(this);
  private readonly sessions = new SessionController(this);
  private connection: DocConnection | null = null;
  private connectionKey: string | null = null;
  private ydoc: Y.Doc | null = null;
  private awareness: Awareness | null = null;
  private aborter: AbortController | null = null;
  /** Names seen in awareness or the case's parties, for confirmation marks of people not online now. */
  private readonly names = new Map<string, string>();
  private caseDetail: CaseDetail | null = null;

  constructor() {
    super();
    this.doc = '';
    this.apiBase = '';
    this.hubUrl = '';
    this.token = '';
    this.status = 'connecting';
    this.segments = [];
    this.marks = new Map();
    this.peers = [];
    this.synced = false;
    this.refusal = null;
    this.failure = null;
    this.user = null;
    this.objecting = null;
    this.adding = false;
    this.draftRole = 'judge';
    this.draftFailure = null;
    this.frozenAt = null;
    this.reviewSubmitted = false;
    this.addEventListener('transcript-reviewed', (event) => {
      this.reviewSubmitted = (event as CustomEvent<{ reviewed: boolean }>).detail.reviewed;
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  override willUpdate(): void {
    const token = this.sessions.effectiveToken(this.token);
    const key = this.isConnected && token && this.doc ? `${token}|${this.doc}|${this.hubUrl}|${this.apiBase}` : null;
    if (key === this.connectionKey) return;
    this.stop();
    this.connectionKey = key;
    if (key && token) void this.start(token, key);
  }

  private async start(token: string, key: string): Promise<void> {
    const aborter = new AbortController();
    this.aborter = aborter;
    try {
      // Who we are decides the view; with the portal's session we know, with a bare token we ask.
      const user = this.token
        ? (await getWithToken<{ user: SessionUser }>(this.apiBase, '/api/v1/me', token, aborter.signal)).user
        : this.sessions.session!.user;
      if (this.connectionKey !== key) return;
      this.user = user;
      this.names.set(user.id, user.displayName);
    } catch (error) {
      if (this.connectionKey === key) this.failure = error;
      return;
    }
    this.connection = new DocConnection({
      // A site embedding us with a cross-origin api-base has its hub there too, unless told otherwise.
      url: yjsUrl(this.hubUrl || this.apiBase),
      docName: this.doc,
      token,
      onDoc: (doc, awareness) => this.attach(doc, awareness),
      onStatus: (status) => {
        this.status = status;
        if (status === 'live') this.synced = true;
      },
      onRefusal: (refusal) => (this.refusal = refusal),
    });
    void this.loadCaseNames(token, key, aborter.signal);
  }

  /** Names of the case's parties, for marks left by people who are not online now (best effort). */
  private async loadCaseNames(token: string, key: string, signal: AbortSignal): Promise<void> {
    const caseId = caseIdOf(this.doc);
    if (!caseId) return;
    try {
      const { case: detail } = await getWithToken<{ case: CaseDetail }>(this.apiBase, `/api/v1/cases/${encodeURIComponent(caseId)}`, token, signal);
      if (this.connectionKey !== key) return;
      this.caseDetail = detail;
      for (const party of detail.parties) if (party.userId && !this.names.has(party.userId)) this.names.set(party.userId, party.name);
      this.requestUpdate();
    } catch {
      // Names then come from presence only; the transcript itself does not depend on them.
    }
  }

  private stop(): void {
    this.aborter?.abort();
    this.aborter = null;
    this.connection?.destroy();
    this.connection = null;
    this.ydoc = null;
    this.awareness = null;
    this.connectionKey = null;
    this.segments = [];
    this.marks = new Map();
    this.peers = [];
    this.synced = false;
    this.status = 'connecting';
    this.refusal = null;
    this.failure = null;
    this.objecting = null;
  }

  /** A new Y.Doc (first open, or after the server refused our update): observe it and show it. */
  private attach(doc: Y.Doc, awareness: Awareness): void {
    this.ydoc = doc;
    this.awareness = awareness;
    this.synced = false;
    const refresh = () => {
      if (this.ydoc !== doc) return;
      this.segments = segmentsOf(doc);
      this.marks = marksBySegment(doc);
      this.frozenAt = frozenAtOf(doc);
    };
    doc.getMap('meta').observe(refresh);
    segmentsArray(doc).observeDeep((events, transaction) => {
      if (this.ydoc !== doc) return;
      if (!transaction.local) for (const event of events) if (event.target instanceof Y.Text) this.followRemoteText(event as Y.YTextEvent);
      refresh();
    });
    doc.getMap('confirmations').observeDeep(refresh);
    awareness.on('change', () => {
      if (this.awareness === awareness) this.readPeers(awareness);
    });
    awareness.setLocalState({ cursor: null });
    refresh();
    this.readPeers(awareness);
  }

  private readPeers(awareness: Awareness): void {
    const peers: Peer[] = [];
    for (const [clientId, state] of awareness.getStates()) {
      if (clientId === awareness.clientID) continue;
      const user = (state as { user?: { id?: unknown; name?: unknown; role?: unknown } }).user;
      if (!user || typeof user.id !== 'string') continue;
      const cursor = (state as { cursor?: { segmentId?: unknown; index?: unknown } | null }).cursor;
      const name = typeof user.name === 'string' ? user.name : '';
      if (name) this.names.set(user.id, name);
      peers.push({
        clientId,
        userId: user.id,
        name,
        role: typeof user.role === 'string' ? user.role : '',
        cursor: cursor && typeof cursor.segmentId === 'string' && typeof cursor.index === 'number' ? { segmentId: cursor.segmentId, index: cursor.index } : null,
      });
    }
    this.peers = peers;
  }

  /** Someone else changed a segment's text: keep our textarea and caret where they were in the text. */
  private followRemoteText(event: Y.YTextEvent): void {
    const segmentId = (event.target.parent as Y.Map<unknown> | null)?.get('id');
    if (typeof segmentId !== 'string') return;
    const area = this.textareaOf(segmentId);
    if (!area) return;
    const focused = this.shadowRoot?.activeElement === area;
    const start = shiftIndex(area.selectionStart, event.delta as { retain?: number; insert?: unknown; delete?: number }[]);
    const end = shiftIndex(area.selectionEnd, event.delta as { retain?: number; insert?: unknown; delete?: number }[]);
    area.value = event.target.toString();
    if (focused) {
      area.setSelectionRange(start, end);
      this.publishCursor(area);
    }
  }

  private textareaOf(segmentId: string): HTMLTextAreaElement | null {
    return (this.shadowRoot?.querySelector(`textarea[data-segment-id="${CSS.escape(segmentId)}"]`) as HTMLTextAreaElement | null) ?? null;
  }

  private get canEdit(): boolean {
    return this.user !== null && EDITOR_ROLES.has(this.user.role) && this.frozenAt === null;
  }

  private get canMark(): boolean {
    return this.user !== null && MARKING_ROLES.has(this.user.role) && !this.reviewSubmitted;
  }

  /** The textarea's text into the segment; while an IME (pinyin) is composing, wait for the chosen characters. */
  private onTextInput(segmentId: string, event: InputEvent | CompositionEvent): void {
    const area = event.currentTarget as HTMLTextAreaElement;
    if (event instanceof InputEvent && event.isComposing) return;
    if (!this.ydoc || !this.user || !this.canEdit) return;
    editSegmentText(this.ydoc, segmentId, area.value, { userId: this.user.id, role: this.user.role });
    this.publishCursor(area);
  }

  private publishCursor(area: HTMLTextAreaElement): void {
    const segmentId = area.dataset.segmentId;
    if (!segmentId || !this.awareness) return;
    const current = (this.awareness.getLocalState() as { cursor?: { segmentId: string; index: number } | null } | null)?.cursor;
    if (current?.segmentId === segmentId && current.index === area.selectionStart) return;
    this.awareness.setLocalStateField('cursor', { segmentId, index: area.selectionStart });
  }

  private clearCursor(): void {
    this.awareness?.setLocalStateField('cursor', null);
  }

  private mark(segmentId: string, status: SegmentConfirmation['status'], note?: string): void {
    if (!this.ydoc || !this.user || !this.canMark) return;
    confirmSegment(this.ydoc, this.user.id, segmentId, { status, ...(note ? { note } : {}), at: new Date().toISOString() });
    this.objecting = null;
  }

  private submitObjection(segmentId: string, event: SubmitEvent): void {
    event.preventDefault();
    const note = String(new FormData(event.currentTarget as HTMLFormElement).get('note') ?? '').trim();
    if (note) this.mark(segmentId, 'objected', note);
  }

  private submitSegment(event: SubmitEvent): void {
    event.preventDefault();
    if (!this.ydoc || !this.user || !this.canEdit) return;
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const field = (name: string) => String(data.get(name) ?? '').trim();
    const startMs = parseClock(field('start'));
    const endMs = parseClock(field('end'));
    if (startMs === null || endMs === null) {
      this.draftFailure = this.locale.t('transcript.badTime');
      return;
    }
    const role = field('role');
    const displayName = field('name');
    appendSegment(
      this.ydoc,
      {
        id: newUuid(),
        speaker: { participantId: this.participantFor(role, displayName), role, displayName },
        startMs,
        endMs,
        text: String(data.get('text') ?? ''),
        source: 'human',
      },
      { userId: this.user.id, role: this.user.role },
    );
    this.draftFailure = null;
    this.adding = false;
  }

  /** The speaker's account when we know it (ourselves, or a party of the case by name), else ''. */
  private participantFor(role: string, displayName: string): string {
    if (this.user && role === this.user.role && displayName === this.user.displayName) return this.user.id;
    const party = this.caseDetail?.parties.find((p) => p.side === role && p.name === displayName);
    return party?.userId ?? '';
  }

  private defaultSpeakerName(role: string): string {
    if (this.user && role === this.user.role) return this.user.displayName;
    return this.caseDetail?.parties.find((p) => p.side === role)?.name ?? '';
  }

  private roleName(role: string): string {
    for (const key of [`role.${role}`, `case.side.${role}`]) if (isMessageKey(key)) return this.locale.t(key);
    return role;
  }

  private sourceName(source: string): string {
    if (source.startsWith('asr:')) return this.locale.t('transcript.source.asr', { engine: source.slice(4) });
    return source === 'human' ? this.locale.t('transcript.source.human') : source;
  }

  private nameOf(userId: string): string {
    return this.names.get(userId) ?? this.locale.t('transcript.someone');
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    if (!this.sessions.effectiveToken(this.token)) return null;
    if (this.failure) return failureAlert(lang, this.failure, { testId: 'transcript-error', withServerMessage: true });
    return html`
      <div class="card" data-testid="transcript-editor" data-doc=${this.doc} data-can-edit=${String(this.canEdit)}>
        <div class="head">
          <h2>${t('transcript.title')}</h2>
          <span class="badge status" data-testid="transcript-status" data-status=${this.status} role="status">${t(`transcript.status.${this.status}`)}</span>
        </div>
        ${this.renderRefusal()}
        ${hearingIdOf(this.doc)
          ? html`<ecourt-transcript-download hearing-id=${hearingIdOf(this.doc)!} api-base=${this.apiBase} token=${this.sessions.effectiveToken(this.token) ?? ''}></ecourt-transcript-download>`
          : nothing}
        ${this.renderReview()}
        ${this.renderPresence()}
        <p class="muted">${this.canEdit ? nothing : this.canMark ? t('transcript.readOnly') : t('transcript.viewOnly')}</p>
        ${fetchedList(
          !this.synced && this.segments.length === 0 ? null : this.segments,
          { loading: t('transcript.loading'), empty: t('transcript.empty'), emptyTestId: 'transcript-empty' },
          (segments) => html`<ol class="segments">${repeat(segments, (segment) => segment.id, (segment) => this.renderSegment(segment))}</ol>`,
        )}
        ${this.canEdit ? this.renderAdd() : nothing}
      </div>
    `;
  }

  /** The confirmation phase (transcript-review.ts), once the hearing is over. */
  private renderReview() {
    const hearingId = hearingIdOf(this.doc);
    if (!hearingId || !this.user) return nothing;
    const own: Record<string, SegmentConfirmation> = {};
    for (const [segmentId, marks] of this.marks) {
      const mine = marks.find(([userId]) => userId === this.user!.id);
      if (mine) own[segmentId] = mine[1];
    }
    return html`<ecourt-transcript-review hearing-id=${hearingId} api-base=${this.apiBase} token=${this.sessions.effectiveToken(this.token) ?? ''} frozen-at=${this.frozenAt ?? ''}
      .user=${this.user} .segments=${this.segments} .ownMarks=${own}></ecourt-transcript-review>`;
  }

  private renderRefusal() {
    const refusal = this.refusal;
    if (!refusal) return nothing;
    const lang = this.locale.lang;
    const text = refusal.closeCode === undefined
      ? this.locale.t('transcript.refused', { code: refusal.code })
      : this.locale.t('transcript.closed', { message: errorText(lang, { code: refusal.code }), code: refusal.closeCode });
    return html`<div class="error" role="alert" data-testid="transcript-error" data-code=${refusal.code}>${text}</div>`;
  }

  private renderPresence() {
    const t = this.locale.t.bind(this.locale);
    const me = this.user;
    // One entry per person, however many tabs they have open.
    const others = [...new Map(this.peers.map((peer) => [peer.userId, peer])).values()].filter((peer) => peer.userId !== me?.id);
    return html`<ul class="presence" data-testid="presence" aria-label=${t('transcript.present')}>
      <li class="label">${t('transcript.present')}${t('label.suffix')}</li>
      ${me ? html`<li data-testid="presence-user" data-user-id=${me.id} style=${`--peer:${colourOf(me.id)}`}>${t('transcript.me', { name: me.displayName })}</li>` : nothing}
      ${others.map(
        (peer) => html`<li data-testid="presence-user" data-user-id=${peer.userId} style=${`--peer:${colourOf(peer.userId)}`}>${peer.name}（${this.roleName(peer.role)}）</li>`,
      )}
    </ul>`;
  }

  private renderSegment(segment: TranscriptSegment) {
    const t = this.locale.t.bind(this.locale);
    const carets = this.peers.filter((peer) => peer.cursor?.segmentId === segment.id);
    const marks = this.marks.get(segment.id) ?? [];
    const own = this.user ? marks.find(([userId]) => userId === this.user!.id)?.[1] : undefined;
    return html`<li class=${segment.partial ? 'segment partial' : 'segment'} data-testid="transcript-segment" data-segment-id=${segment.id} data-partial=${String(segment.partial === true)}>
      <div class="meta">
        <span class="speaker" data-testid="segment-speaker">${segment.speaker.displayName}（${this.roleName(segment.speaker.role)}）</span>
        <span class="time" data-testid="segment-time">${formatClock(segment.startMs)}–${formatClock(segment.endMs)}</span>
        <span class="badge" data-testid="segment-source">${this.sourceName(segment.source)}</span>
        ${segment.partial ? html`<span class="badge" data-testid="segment-recognising" role="status">${t('transcript.recognising')}</span>` : nothing}
      </div>
      ${this.canEdit
        ? html`${carets.length === 0
              ? nothing
              : html`<ul class="editing">${carets.map(
                  (peer) => html`<li data-testid="peer-caret" data-user-id=${peer.userId} style=${`--peer:${colourOf(peer.userId)}`}>${t('transcript.editing', { name: peer.name })}</li>`,
                )}</ul>`}
            <textarea
              class="text"
              data-testid="segment-text"
              data-segment-id=${segment.id}
              aria-label=${t('transcript.segmentText', { name: segment.speaker.displayName })}
              placeholder=${segment.partial ? t('transcript.recognising') : ''}
              .value=${live(segment.text)}
              @input=${(event: InputEvent) => this.onTextInput(segment.id, event)}
              @compositionend=${(event: CompositionEvent) => this.onTextInput(segment.id, event)}
              @focus=${(event: FocusEvent) => this.publishCursor(event.currentTarget as HTMLTextAreaElement)}
              @keyup=${(event: KeyboardEvent) => this.publishCursor(event.currentTarget as HTMLTextAreaElement)}
              @click=${(event: MouseEvent) => this.publishCursor(event.currentTarget as HTMLTextAreaElement)}
              @select=${(event: Event) => this.publishCursor(event.currentTarget as HTMLTextAreaElement)}
              @blur=${() => this.clearCursor()}
            ></textarea>
            ${segment.asrText !== undefined ? html`<p class="asr-kept" data-testid="segment-asr-text">${t('transcript.asrKept', { text: segment.asrText })}</p>` : nothing}`
        : html`<p class="text" data-testid="segment-text" data-segment-id=${segment.id}>${segment.partial && segment.text === '' ? t('transcript.recognising') : this.textWithCarets(segment.text, carets)}</p>`}
      ${marks.length === 0
        ? nothing
        : html`<ul class="marks">${marks.map(
            ([userId, mark]) => html`<li data-testid="segment-mark" data-user-id=${userId} data-status=${mark.status}>
              ${mark.status === 'confirmed' ? `✓ ${t('transcript.confirmedBy', { name: this.nameOf(userId) })}` : `✗ ${t('transcript.objectedBy', { name: this.nameOf(userId), note: mark.note ?? '' })}`}
            </li>`,
          )}</ul>`}
      ${this.canMark ? this.renderMarkActions(segment.id, own) : nothing}
    </li>`;
  }

  /** Read-only text with each other user's caret drawn at their position, labelled with their name. */
  private textWithCarets(text: string, carets: Peer[]) {
    const sorted = carets
      .map((peer) => ({ peer, index: Math.min(Math.max(0, peer.cursor!.index), text.length) }))
      .sort((a, b) => a.index - b.index);
    const parts: unknown[] = [];
    let from = 0;
    for (const { peer, index } of sorted) {
      parts.push(text.slice(from, index));
      parts.push(html`<span class="caret" data-testid="peer-caret" data-user-id=${peer.userId} style=${`--peer:${colourOf(peer.userId)}`}><span class="who">${peer.name}</span></span>`);
      from = index;
    }
    parts.push(text.slice(from));
    return parts;
  }

  private renderMarkActions(segmentId: string, own: SegmentConfirmation | undefined) {
    const t = this.locale.t.bind(this.locale);
    if (this.objecting === segmentId) {
      return html`<form class="object-form" data-testid="object-form" @submit=${(event: SubmitEvent) => this.submitObjection(segmentId, event)}>
        <label for=${`note-${segmentId}`}>${t('transcript.objectNote')}</label>
        <textarea id=${`note-${segmentId}`} name="note" data-testid="object-note" required></textarea>
        <div class="buttons">
          <button type="submit" data-testid="object-submit">${t('transcript.objectSubmit')}</button>
          <button type="button" class="secondary" @click=${() => (this.objecting = null)}>${t('transcript.cancel')}</button>
        </div>
      </form>`;
    }
    return html`<div class="mark-actions">
      <button type="button" class=${own?.status === 'confirmed' ? '' : 'secondary'} data-testid="segment-confirm" aria-pressed=${String(own?.status === 'confirmed')}
        ?disabled=${!this.ydoc} @click=${() => this.mark(segmentId, 'confirmed')}>${t('transcript.confirm')}</button>
      <button type="button" class=${own?.status === 'objected' ? '' : 'secondary'} data-testid="segment-object" aria-pressed=${String(own?.status === 'objected')}
        ?disabled=${!this.ydoc} @click=${() => (this.objecting = segmentId)}>${t('transcript.object')}</button>
    </div>`;
  }

  private renderAdd() {
    const t = this.locale.t.bind(this.locale);
    if (!this.adding) {
      return html`<div class="buttons"><button type="button" data-testid="add-segment" ?disabled=${!this.ydoc} @click=${() => (this.adding = true)}>${t('transcript.add')}</button></div>`;
    }
    const lastEnd = formatClock(this.segments.at(-1)?.endMs ?? 0);
    return html`<form class="add card" data-testid="add-segment-form" @submit=${this.submitSegment}>
      <strong>${t('transcript.add')}</strong>
      <div class="row">
        <div>
          <label for="new-role">${t('transcript.speakerRole')}</label>
          <select id="new-role" name="role" data-testid="new-segment-role" @change=${(event: Event) => (this.draftRole = (event.currentTarget as HTMLSelectElement).value as (typeof SPEAKER_ROLES)[number])}>
            ${SPEAKER_ROLES.map((role) => html`<option value=${role} ?selected=${role === this.draftRole}>${this.roleName(role)}</option>`)}
          </select>
        </div>
        <div>
          <label for="new-name">${t('transcript.speakerName')}</label>
          <input id="new-name" name="name" data-testid="new-segment-name" required .value=${this.defaultSpeakerName(this.draftRole)} />
        </div>
        <div>
          <label for="new-start">${t('transcript.start')}</label>
          <input id="new-start" name="start" data-testid="new-segment-start" inputmode="numeric" required .value=${lastEnd} />
        </div>
        <div>
          <label for="new-end">${t('transcript.end')}</label>
          <input id="new-end" name="end" data-testid="new-segment-end" inputmode="numeric" required .value=${lastEnd} />
        </div>
      </div>
      <label for="new-text">${t('transcript.text')}</label>
      <textarea id="new-text" name="text" data-testid="new-segment-text"></textarea>
      ${this.draftFailure ? html`<div class="error" role="alert" data-testid="add-segment-error">${this.draftFailure}</div>` : nothing}
      <div class="buttons">
        <button type="submit" data-testid="new-segment-submit">${t('transcript.addSubmit')}</button>
        <button type="button" class="secondary" @click=${() => ((this.adding = false), (this.draftFailure = null))}>${t('transcript.cancel')}</button>
      </div>
    </form>`;
  }
}
