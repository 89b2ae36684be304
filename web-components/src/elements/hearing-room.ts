// <ecourt-hearing-room hearing>: a live hearing in the browser (在线庭审). The waiting room (status,
// device check, the live face check of the identity gate, court discipline to acknowledge; for the
// judge and clerk each party's identity status, the judge's manual check and re-check alerts), then the room: video grid, the judge's control
// bar, raise hand, chat with the clerk, the live transcript, connection quality for judge and clerk.
// State and sockets live in hearing-room/live-room.ts; this element renders and sends commands.
import { LitElement, html, css, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { LocaleController } from '../locale.ts';
import { SessionController } from '../session.ts';
import { baseStyles } from '../styles.ts';
import { errorText, formatDateTime } from '../format.ts';
import { failureAlert } from '../fetched.ts';
import { isMessageKey, type MessageKey } from '../i18n.ts';
import { CHAT_MAX_CHARS, LiveRoom } from '../hearing-room/live-room.ts';
import {
  entryCommands,
  entryStage,
  handAction,
  identityStatus,
  mayApproveManually,
  isCourtStaff,
  judgeBar,
  mayAdmit,
  mayOpenLobby,
  seesConnectionQuality,
  seesWaitingList,
  tileActions,
  type RoomParticipant,
} from '../hearing-room/controls.ts';
import { deviceCheckResultOf } from '../../../actors/hearing/device-check-result.ts';
import type { ClientHearingCommand, LiveHearing } from '../hearing-room/hearing-api.ts';
import type { RoomTile } from '../hearing-room/tiles.ts';

/** How many rules of court discipline (hearingRoom.discipline.N) there are. */
const DISCIPLINE_RULES = 8;
type SidePanel = 'chat' | 'transcript';
/** From this long without text for a finished utterance, the status line says recognition is behind. */
const AWAITING_SHOWN_MS = 3000;

export class EcourtHearingRoom extends LitElement {
  static override properties = {
    hearing: { type: String },
    hub: { type: String },
    apiBase: { type: String, attribute: 'api-base' },
    hubUrl: { type: String, attribute: 'hub-url' },
    token: { type: String },
    acknowledged: { state: true },
    busy: { state: true },
    commandFailure: { state: true },
    panel: { state: true },
    confirmDismiss: { state: true },
    chatDraft: { state: true },
    manualFor: { state: true },
    manualNote: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      .head { display: flex; flex-wrap: wrap; gap: 0.4rem 0.8rem; align-items: center; justify-content: space-between; }
      .head h2 { margin: 0; }
      .facts { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; margin: 0.3rem 0 0; color: var(--ecourt-muted); font-size: 0.92rem; }
      .recording { color: #fff; background: var(--ecourt-error); border-color: var(--ecourt-error); font-weight: 700; }
      .banner { padding: 0.45rem 0.75rem; border-radius: 4px; margin: 0.6rem 0; background: #fff4e5; border-left: 4px solid #c77700; }
      ol.discipline { margin: 0.4rem 0; padding-left: 1.4rem; }
      ol.discipline li { margin: 0.15rem 0; }
      .check { display: flex; gap: 0.5rem; align-items: flex-start; font-weight: 600; }
      .check input { width: auto; margin-top: 0.35rem; }
      .declaration { background: var(--ecourt-shade); padding: 0.5rem 0.75rem; border-radius: 4px; margin: 0.5rem 0; }
      .buttons { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.6rem; }
      .buttons button { min-height: 2.4rem; }
      .room { display: grid; grid-template-columns: minmax(0, 2fr) minmax(16rem, 1fr); gap: 0.75rem; margin-top: 0.75rem; align-items: start; }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 0.5rem; align-items: start; }
      .tile { background: #111; border-radius: 6px; overflow: hidden; color: #fff; min-width: 0; }
      .tile .screen { position: relative; }
      .tile video { display: block; width: 100%; aspect-ratio: 16 / 9; object-fit: cover; background: #111; }
      .tile .label { position: absolute; left: 0; right: 0; bottom: 0; padding: 0.25rem 0.45rem; background: linear-gradient(transparent, rgba(0, 0, 0, 0.75)); display: flex; flex-wrap: wrap; gap: 0.3rem; align-items: center; font-size: 0.85rem; }
      .tile .label .name { font-weight: 700; }
      .tile .flags { position: absolute; top: 0.3rem; left: 0.3rem; display: flex; gap: 0.25rem; flex-wrap: wrap; }
      .tile .flags span { background: rgba(0, 0, 0, 0.65); border-radius: 3px; padding: 0 0.35rem; font-size: 0.8rem; }
      .tile .flags .hand { background: #c77700; }
      .tile .flags .muted-flag { background: var(--ecourt-error); }
      .tile .quality { position: absolute; bottom: 2rem; right: 0.3rem; background: rgba(0, 0, 0, 0.65); border-radius: 3px; padding: 0 0.35rem; font-size: 0.75rem; font-variant-numeric: tabular-nums; }
      .tile .quality[data-level='bad'] { background: var(--ecourt-error); }
      .tile .actions { display: flex; gap: 0.3rem; padding: 0.3rem; background: #222; flex-wrap: wrap; }
      .tile .actions button { min-height: 2rem; padding: 0.1rem 0.6rem; font-size: 0.85rem; }
      .tile.self video { transform: scaleX(-1); }
      .controls { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.6rem; padding: 0.5rem; border: 1px solid var(--ecourt-line); border-radius: 6px; background: var(--ecourt-shade); }
      .side { display: grid; gap: 0.75rem; min-width: 0; }
      .waiting ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35rem; }
      .waiting li { display: flex; flex-wrap: wrap; gap: 0.3rem 0.6rem; align-items: center; justify-content: space-between; }
      .tabs { display: flex; gap: 0.3rem; }
      .tabs button[aria-selected='false'] { background: var(--ecourt-surface); color: var(--ecourt-accent); }
      ol.chat { list-style: none; margin: 0; padding: 0; max-height: 18rem; overflow-y: auto; display: grid; gap: 0.3rem; }
      ol.chat li { background: var(--ecourt-shade); border-radius: 4px; padding: 0.25rem 0.5rem; overflow-wrap: anywhere; }
      ol.chat .who { font-weight: 700; font-size: 0.85rem; }
      form.chat-form { display: flex; gap: 0.4rem; margin-top: 0.4rem; }
      form.chat-form input { flex: 1; }
      @media (max-width: 600px) {
        .room { grid-template-columns: 1fr; }
        .grid { grid-template-columns: 1fr; }
        .card { padding: 0.75rem; }
      }
    `,
  ];

  declare hearing: string;
  declare hub: string;
  declare apiBase: string;
  declare hubUrl: string;
  declare token: string;
  declare acknowledged: boolean;
  declare busy: boolean;
  declare commandFailure: unknown;
  declare panel: SidePanel;
  declare confirmDismiss: string | null;
  declare chatDraft: string;
  /** The participant whose manual identity check the judge is recording, and the judge's note. */
  declare manualFor: string | null;
  declare manualNote: string;

  private readonly locale = new LocaleController(this);
  private readonly sessions = new SessionController(this);
  private room: LiveRoom | null = null;
  private roomKey: string | null = null;
  /** One MediaStream per participant tile, kept while its tracks stay, so a re-render does not restart its video. */
  private readonly streams = new Map<string, { tracks: string; stream: MediaStream }>();

  constructor() {
    super();
    this.hearing = '';
    this.hub = '';
    this.apiBase = '';
    this.hubUrl = '';
    this.token = '';
    this.acknowledged = false;
    this.manualFor = null;
    this.manualNote = '';
    this.busy = false;
    this.commandFailure = null;
    this.panel = 'transcript';
    this.confirmDismiss = null;
    this.chatDraft = '';
  }

  /** Where the API is: `api-base`, else `hub` (one attribute for a court's page embedding us), else this origin. */
  private get api(): string {
    return this.apiBase || this.hub;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopRoom();
  }

  override willUpdate(_changed: PropertyValues): void {
    const token = this.sessions.effectiveToken(this.token);
    const key = this.isConnected && token && this.hearing ? `${token}|${this.hearing}|${this.api}` : null;
    if (key === this.roomKey) return;
    this.stopRoom();
    this.roomKey = key;
    if (!key || !token) return;
    this.room = new LiveRoom({ apiBase: this.api, hearingId: this.hearing, token, onChange: () => this.requestUpdate() });
    this.room.start();
  }

  override updated(): void {
    // `autoplay` alone leaves some tiles paused (Chromium does not always start a video whose stream
    // arrives after the element, e.g. below the fold on a phone); ask each one to play.
    for (const video of this.renderRoot.querySelectorAll('video')) {
      if (video.srcObject && video.paused) void video.play().catch(() => undefined);
    }
  }

  private stopRoom(): void {
    this.room?.stop();
    this.room = null;
    this.roomKey = null;
    this.streams.clear();
    this.acknowledged = false;
    this.commandFailure = null;
  }

  private async run(commands: ClientHearingCommand[]): Promise<void> {
    const room = this.room;
    if (!room || commands.length === 0) return;
    this.busy = true;
    this.commandFailure = null;
    try {
      for (const command of commands) await room.command(command);
      this.confirmDismiss = null;
    } catch (error) {
      if (room === this.room) this.commandFailure = error;
    } finally {
      this.busy = false;
    }
  }

  private onDeviceCheckDone(event: Event): void {
    const me = this.room?.me;
    const result = deviceCheckResultOf((event as CustomEvent<unknown>).detail);
    if (!me || !result) return;
    void this.run([{ type: 'DEVICE_CHECKED', participantId: me.participantId, result }]);
  }

  private declarationText(me: RoomParticipant): string {
    return this.locale.t('hearingRoom.declaration', { name: me.displayName });
  }

  private sendChat(event: SubmitEvent): void {
    event.preventDefault();
    if (this.room?.sendChat(this.chatDraft)) this.chatDraft = '';
  }

  /**
   * (Bound through live(): Lit re-assigns object values on every render, and every assignment of
   * srcObject, even of the same stream, restarts the video's load.)
   * The stream a tile's <video> plays: the tracks on the participant's m-lines. When they change
   * (a renegotiation moved the participant to other m-lines) the tile gets a new MediaStream rather
   * than an edited one: a stream whose tracks were all removed goes inactive, which ends playback
   * for good in Chromium even when tracks are added back.
   */
  private streamFor(tile: RoomTile): MediaStream | null {
    const room = this.room;
    if (!room || typeof MediaStream === 'undefined') return null;
    const wanted = [room.trackOn(tile.audioMid), room.trackOn(tile.videoMid)].filter((track): track is MediaStreamTrack => track !== null);
    const id = tile.participant.participantId;
    if (wanted.length === 0) {
      this.streams.delete(id);
      return null;
    }
    const tracks = wanted.map((track) => track.id).join(' ');
    const held = this.streams.get(id);
    if (held?.tracks === tracks) return held.stream;
    const stream = new MediaStream(wanted);
    this.streams.set(id, { tracks, stream });
    return stream;
  }

  private roleName(role: string): string {
    const key = `hearingRoom.role.${role}`;
    return isMessageKey(key) ? this.locale.t(key) : role;
  }

  private stateName(state: string): string {
    const key = `hearingRoom.state.${state}`;
    return isMessageKey(key) ? this.locale.t(key) : state;
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    const room = this.room;
    if (!room) return nothing;
    const hearing = room.hearing;
    if (!hearing) {
      return room.failure
        ? html`<div class="error" role="alert" data-testid="hearing-room-error">${errorText(lang, room.failure, { withServerMessage: true })}</div>`
        : html`<p class="muted">${t('hearingRoom.loading')}</p>`;
    }
    const me = room.me;
    const stage = me ? entryStage(me, hearing.state, hearing.identityGate === true) : null;
    return html`<div class="card" data-testid="hearing-room" data-hearing-id=${hearing.id} data-state=${hearing.state} data-stage=${stage ?? 'none'} data-peer=${room.peerState ?? 'none'} data-socket=${room.socketStatus}>
      ${this.renderHead(hearing)}
      ${room.reconnecting || (room.socketStatus !== 'open' && room.inMedia)
        ? html`<div class="banner" role="status" data-testid="hearing-reconnecting">${t('hearingRoom.reconnecting')}</div>`
        : nothing}
      ${failureAlert(lang, room.failure, { withServerMessage: true })}
      ${failureAlert(lang, this.commandFailure, { testId: 'hearing-command-error', withServerMessage: true })}
      ${room.mediaError ? html`<div class="error" role="alert" data-testid="hearing-media-error">${t('hearingRoom.mediaError', { code: room.mediaError.code })}</div>` : nothing}
      ${!me
        ? html`<p class="error" data-testid="hearing-not-participant">${t('hearingRoom.notParticipant')}</p>`
        : stage === 'inRoom' || room.inMedia
          ? this.renderRoom(hearing, me)
          : this.renderWaitingRoom(hearing, me)}
    </div>`;
  }

  private renderHead(hearing: LiveHearing) {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    const recording = this.room?.mediaState?.recording ?? hearing.recording;
    return html`<div class="head">
        <h2>${t('hearingRoom.title')}</h2>
        <span>
          <span class="badge" data-testid="hearing-state" data-state=${hearing.state}>${this.stateName(hearing.state)}</span>
          ${recording ? html`<span class="badge recording" role="status" data-testid="hearing-recording">● ${t('hearingRoom.recording')}</span>` : nothing}
        </span>
      </div>
      <p class="facts">
        <span>${t('hearingRoom.startsAt')}: ${formatDateTime(lang, hearing.startsAt)}</span>
        ${hearing.courtroom ? html`<span>${t('hearingRoom.courtroom')}: ${hearing.courtroom}</span>` : nothing}
      </p>`;
  }

  private renderWaitingRoom(hearing: LiveHearing, me: RoomParticipant) {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    const gated = hearing.identityGate === true;
    const stage = entryStage(me, hearing.state, gated);
    const commands = entryCommands(me, hearing.state, this.declarationText(me), gated);
    const deviceCheck = html`<ecourt-device-check
      hearing=${hearing.id}
      api-base=${this.api}
      token=${this.token}
      @device-check-done=${this.onDeviceCheckDone}
    ></ecourt-device-check>`;
    let body;
    switch (stage) {
      case 'deviceCheck':
        body = html`<p data-testid="hearing-need-device-check">${t('hearingRoom.needDeviceCheck')}</p>${deviceCheck}`;
        break;
      case 'identityCheck':
        // A pass tells the hearing itself (the hub sends IDENTITY_VERIFIED); the room's events bring it here.
        body = html`<p data-testid="hearing-need-identity-check">${t('hearingRoom.needIdentityCheck')}</p>
          <ecourt-identity-check
            purpose="hearing"
            hearing-id=${hearing.id}
            api-base=${this.api}
            token=${this.token}
            @identity-checked=${(event: CustomEvent<{ passed: boolean }>) => (event.detail.passed ? void this.room?.reload() : undefined)}
          ></ecourt-identity-check>
          <details><summary>${t('hearingRoom.deviceCheckAgain')}</summary>${deviceCheck}</details>`;
        break;
      case 'acknowledge':
        body = html`<section data-testid="hearing-discipline">
            <h3>${t('hearingRoom.discipline')}</h3>
            <ol class="discipline">
              ${Array.from({ length: DISCIPLINE_RULES }, (_, index) => html`<li>${t(`hearingRoom.discipline.${index + 1}` as MessageKey)}</li>`)}
            </ol>
            ${me.status === 'deviceChecked' ? html`<p class="declaration" data-testid="hearing-declaration">${this.declarationText(me)}</p>` : nothing}
            <label class="check">
              <input type="checkbox" data-testid="hearing-acknowledge" .checked=${this.acknowledged} @change=${(event: Event) => (this.acknowledged = (event.target as HTMLInputElement).checked)} />
              <span>${t(me.status === 'deviceChecked' ? 'hearingRoom.acknowledgeAndDeclare' : 'hearingRoom.acknowledge')}</span>
            </label>
            <div class="buttons">
              <button type="button" data-testid="hearing-enter" ?disabled=${!this.acknowledged || this.busy || commands.length === 0} @click=${() => this.run(commands)}>
                ${t(commands.some((command) => command.type === 'JOIN_ROOM') ? 'hearingRoom.enterRoom' : commands.some((command) => command.type === 'ENTER_WAITING') ? 'hearingRoom.enterWaiting' : 'hearingRoom.declare')}
              </button>
            </div>
          </section>
          <details><summary>${t('hearingRoom.deviceCheckAgain')}</summary>${deviceCheck}</details>`;
        break;
      case 'notYetOpen':
        body = html`<p class="notice" data-testid="hearing-not-open">${t('hearingRoom.notYetOpen', { time: formatDateTime(lang, hearing.lobbyOpensAt) })}</p>
          ${this.openLobbyButton(hearing, me)}
          <details><summary>${t('hearingRoom.deviceCheckAgain')}</summary>${deviceCheck}</details>`;
        break;
      case 'waiting':
        body = html`<p class="notice" role="status" data-testid="hearing-waiting">${t('hearingRoom.waiting')}</p>`;
        break;
      case 'joining':
        body = html`<p class="notice" role="status" data-testid="hearing-joining">${t('hearingRoom.joining')}</p>`;
        break;
      case 'dismissed':
        body = html`<p class="error" data-testid="hearing-dismissed">${t('hearingRoom.dismissed')}</p>`;
        break;
      default:
        body = html`<p class="muted" data-testid="hearing-closed">${t('hearingRoom.closed')}</p>`;
        break;
    }
    return html`<section data-testid="hearing-waiting-room">${body}</section>
      ${stage === 'acknowledge' ? this.openLobbyButton(hearing, me) : nothing}
      ${seesWaitingList(me) ? html`${this.renderIdentityAlerts(hearing)}${this.renderWaitingList(hearing, me)}${this.renderIdentities(hearing, me)}` : nothing}
      ${stage === 'waiting' || stage === 'joining' ? this.renderChat(me) : nothing}`;
  }

  private openLobbyButton(hearing: LiveHearing, me: RoomParticipant) {
    if (!mayOpenLobby(me, hearing.state)) return nothing;
    return html`<div class="buttons">
      <button type="button" class="secondary" data-testid="hearing-open-lobby" ?disabled=${this.busy} @click=${() => this.run([{ type: 'OPEN_LOBBY' }])}>${this.locale.t('hearingRoom.openLobby')}</button>
    </div>`;
  }

  private renderRoom(hearing: LiveHearing, me: RoomParticipant) {
    const t = this.locale.t.bind(this.locale);
    const room = this.room!;
    const bar = judgeBar(me.role, hearing.state);
    const hand = handAction(me, hearing.state);
    const tiles = room.tiles();
    const quality = seesConnectionQuality(me);
    return html`
      ${bar
        ? html`<div class="controls" role="toolbar" aria-label=${t('hearingRoom.judgeBar')} data-testid="hearing-judge-bar">
            ${bar.start ? html`<button type="button" data-testid="hearing-start" ?disabled=${this.busy} @click=${() => this.run([{ type: 'START' }])}>${t('hearingRoom.start')}</button>` : nothing}
            ${bar.pause ? html`<button type="button" class="secondary" data-testid="hearing-pause" ?disabled=${this.busy} @click=${() => this.run([{ type: 'PAUSE' }])}>${t('hearingRoom.pause')}</button>` : nothing}
            ${bar.resume ? html`<button type="button" data-testid="hearing-resume" ?disabled=${this.busy} @click=${() => this.run([{ type: 'RESUME' }])}>${t('hearingRoom.resume')}</button>` : nothing}
            ${bar.muteAll ? html`<button type="button" class="secondary" data-testid="hearing-mute-all" ?disabled=${this.busy} @click=${() => this.run([{ type: 'MUTE_ALL' }])}>${t('hearingRoom.muteAll')}</button>` : nothing}
            ${bar.end ? html`<button type="button" data-testid="hearing-end" ?disabled=${this.busy} @click=${() => this.run([{ type: 'END' }])}>${t('hearingRoom.end')}</button>` : nothing}
          </div>`
        : nothing}
      <div class="room">
        <section aria-label=${t('hearingRoom.videos')}>
          <div class="grid" data-testid="hearing-grid">
            ${this.renderSelf(me)}
            ${repeat(tiles, (tile) => tile.participant.participantId, (tile) => this.renderTile(tile, me, hearing, quality))}
          </div>
          ${room.localFailure ? html`<p class="error" data-testid="hearing-no-camera">${t('hearingRoom.noCamera')}</p>` : nothing}
          <div class="buttons">
            ${hand
              ? html`<button type="button" class="secondary" data-testid="hearing-hand" data-action=${hand} ?disabled=${this.busy} @click=${() => this.run([{ type: hand, participantId: me.participantId }])}>
                  ${t(hand === 'RAISE_HAND' ? 'hearingRoom.raiseHand' : 'hearingRoom.lowerHand')}
                </button>`
              : nothing}
            ${me.role !== 'judge'
              ? html`<button type="button" class="secondary" data-testid="hearing-leave" ?disabled=${this.busy} @click=${() => this.run([{ type: 'LEAVE', participantId: me.participantId }])}>${t('hearingRoom.leave')}</button>`
              : nothing}
          </div>
        </section>
        <aside class="side">
          ${seesWaitingList(me) ? html`${this.renderIdentityAlerts(hearing)}${this.renderWaitingList(hearing, me)}${this.renderIdentities(hearing, me)}` : nothing}
          <div class="tabs" role="tablist">
            <button type="button" role="tab" aria-selected=${String(this.panel === 'transcript')} data-testid="hearing-tab-transcript" @click=${() => (this.panel = 'transcript')}>${t('hearingRoom.transcript')}</button>
            <button type="button" role="tab" aria-selected=${String(this.panel === 'chat')} data-testid="hearing-tab-chat" @click=${() => (this.panel = 'chat')}>${t('hearingRoom.chat')}</button>
          </div>
          ${this.panel === 'transcript' ? this.renderAsrStatus() : nothing}
          ${this.panel === 'chat'
            ? this.renderChat(me)
            : this.room?.live?.transcriptDoc
              ? html`<ecourt-transcript-editor doc=${this.room.live.transcriptDoc} api-base=${this.api} hub-url=${this.hubUrl} token=${this.token}></ecourt-transcript-editor>`
              : nothing}
        </aside>
      </div>`;
  }

  /** How live speech recognition keeps up: a line for the judge and clerk (the hub sends it to no one else). */
  private renderAsrStatus() {
    const status = this.room?.asrStatus;
    if (!status) return nothing;
    const t = this.locale.t.bind(this.locale);
    const seconds = (ms: number | null) => (ms === null ? '–' : (ms / 1000).toFixed(1));
    // Not transcribed at all: the engine cannot hear the hearing's language.
    if (status.unavailable) {
      return html`<p class="muted asr-status" data-testid="hearing-asr-unavailable" role="status">
        ${t(status.language === 'en' ? 'hearingRoom.asrUnavailable.en' : 'hearingRoom.asrUnavailable.zh')}
      </p>`;
    }
    return html`<p class="muted asr-status" data-testid="hearing-asr-status" role="status" data-queued-ms=${status.queuedMs} data-dropped-ms=${status.droppedMs}>
      ${t('hearingRoom.asrStatus', { queued: seconds(status.queuedMs), dropped: seconds(status.droppedMs), delay: seconds(status.lastDelayMs) })}
      ${status.awaitingTextMs >= AWAITING_SHOWN_MS ? html`<span data-testid="hearing-asr-behind">· ${t('hearingRoom.asrBehind', { seconds: seconds(status.awaitingTextMs) })}</span>` : nothing}
      ${status.waiting > 0 ? html`· ${t('hearingRoom.asrWaiting', { count: status.waiting })}` : nothing}
      ${status.errors > 0 ? html`<span data-testid="hearing-asr-errors">· ${t('hearingRoom.asrErrors', { count: status.errors })}</span>` : nothing}
    </p>`;
  }

  private renderSelf(me: RoomParticipant) {
    const t = this.locale.t.bind(this.locale);
    return html`<figure class="tile self" style="margin:0" data-testid="hearing-self" data-participant-id=${me.participantId}>
      <div class="screen">
      <video autoplay playsinline muted .srcObject=${live(this.room?.local ?? null)}></video>
      <div class="flags">
        ${me.muted ? html`<span class="muted-flag">${t('hearingRoom.muted')}</span>` : nothing}
        ${me.handRaised ? html`<span class="hand">${t('hearingRoom.handRaised')}</span>` : nothing}
      </div>
      <figcaption class="label"><span class="name">${t('hearingRoom.you', { name: me.displayName })}</span><span>${this.roleName(me.role)}</span></figcaption>
      </div>
    </figure>`;
  }

  private renderTile(tile: RoomTile, me: RoomParticipant, hearing: LiveHearing, showQuality: boolean) {
    const t = this.locale.t.bind(this.locale);
    const p = tile.participant;
    const actions = tileActions(me, p, hearing.state);
    const figures = showQuality ? this.room?.quality.get(p.participantId) : undefined;
    const bad = figures && ((figures.lossPercent ?? 0) >= 5 || (figures.roundTripMs ?? 0) >= 400);
    return html`<figure class="tile" style="margin:0" data-testid="hearing-tile" data-participant-id=${p.participantId} data-role=${p.role} data-muted=${String(tile.muted)}>
      <div class="screen">
      <video autoplay playsinline .srcObject=${live(this.streamFor(tile))}></video>
      <div class="flags">
        ${tile.muted ? html`<span class="muted-flag" data-testid="tile-muted">${t('hearingRoom.muted')}</span>` : nothing}
        ${p.handRaised ? html`<span class="hand" data-testid="tile-hand">${t('hearingRoom.handRaised')}</span>` : nothing}
        ${tile.reconnecting ? html`<span>${t('hearingRoom.tileReconnecting')}</span>` : nothing}
      </div>
      ${figures
        ? html`<span class="quality" data-testid="tile-quality" data-level=${bad ? 'bad' : 'ok'}
            >${t('hearingRoom.quality', {
              loss: figures.lossPercent === null ? '—' : figures.lossPercent.toFixed(1),
              kbps: figures.kbps ?? '—',
              rtt: figures.roundTripMs ?? '—',
            })}</span
          >`
        : nothing}
      <figcaption class="label"><span class="name">${p.displayName}</span><span>${this.roleName(p.role)}</span></figcaption>
      </div>
      ${actions.mute || actions.unmute || actions.dismiss
        ? html`<div class="actions">
            ${actions.mute ? html`<button type="button" class="secondary" data-testid="tile-mute" ?disabled=${this.busy} @click=${() => this.run([{ type: 'MUTE', participantId: p.participantId }])}>${t('hearingRoom.mute')}</button>` : nothing}
            ${actions.unmute ? html`<button type="button" class="secondary" data-testid="tile-unmute" ?disabled=${this.busy} @click=${() => this.run([{ type: 'UNMUTE', participantId: p.participantId }])}>${t('hearingRoom.unmute')}</button>` : nothing}
            ${actions.dismiss ? this.renderDismiss(p) : nothing}
          </div>`
        : nothing}
    </figure>`;
  }

  /** Dismissal (责令退庭) takes a second click, so a slip does not put someone out of the hearing. */
  private renderDismiss(p: RoomParticipant) {
    const t = this.locale.t.bind(this.locale);
    return this.confirmDismiss === p.participantId
      ? html`<button type="button" data-testid="tile-dismiss-confirm" ?disabled=${this.busy} @click=${() => this.run([{ type: 'DISMISS', participantId: p.participantId }])}>${t('hearingRoom.dismissConfirm')}</button>
          <button type="button" class="secondary" @click=${() => (this.confirmDismiss = null)}>${t('hearingRoom.cancel')}</button>`
      : html`<button type="button" class="secondary" data-testid="tile-dismiss" @click=${() => (this.confirmDismiss = p.participantId)}>${t('hearingRoom.dismiss')}</button>`;
  }

  /** Re-checks that did not match, where the judge and clerk cannot miss them. */
  private renderIdentityAlerts(hearing: LiveHearing) {
    const t = this.locale.t.bind(this.locale);
    const alerted = hearing.participants.filter((p) => p.identityAlert);
    return alerted.map(
      (p) => html`<div class="error" role="alert" data-testid="hearing-identity-alert" data-participant-id=${p.participantId}>
        ${t('hearingRoom.identityAlert', { name: p.displayName, outcome: t(`hearingRoom.identityOutcome.${p.identityAlert!.outcome}` as MessageKey) })}
      </div>`,
    );
  }

  /** Each party's identity (face ✓ / manual / not yet / alert) and, for the judge, the manual check (人工核验). */
  private renderIdentities(hearing: LiveHearing, me: RoomParticipant) {
    const t = this.locale.t.bind(this.locale);
    const others = hearing.participants.filter((p) => !isCourtStaff(p.role));
    if (others.length === 0 || hearing.identityGate !== true) return nothing;
    return html`<section data-testid="hearing-identities">
      <h3>${t('hearingRoom.participants')}</h3>
      <ul>
        ${others.map((p) => {
          const status = identityStatus(p);
          return html`<li data-participant-id=${p.participantId}>
            <span>${p.displayName} · ${this.roleName(p.role)}
              <span class="badge" data-testid="hearing-identity-status" data-status=${status}>${t(`hearingRoom.identity.${status}` as MessageKey)}</span></span>
            ${mayApproveManually(me, p, hearing.state)
              ? this.manualFor === p.participantId
                ? html`<input type="text" data-testid="hearing-manual-note" maxlength="1000" placeholder=${t('hearingRoom.manualNote')} .value=${live(this.manualNote)} @input=${(event: Event) => (this.manualNote = (event.target as HTMLInputElement).value)} />
                    <button type="button" data-testid="hearing-manual-confirm" ?disabled=${this.busy || this.manualNote.trim().length < 2}
                      @click=${() => void this.run([{ type: 'APPROVE_MANUAL_IDENTITY', participantId: p.participantId, note: this.manualNote.trim() }]).then(() => { if (!this.commandFailure) { this.manualFor = null; this.manualNote = ''; } })}>${t('hearingRoom.confirmManual')}</button>
                    <button type="button" class="secondary" @click=${() => (this.manualFor = null)}>${t('hearingRoom.cancel')}</button>`
                : html`<button type="button" class="secondary" data-testid="hearing-approve-manually" data-participant-id=${p.participantId} @click=${() => { this.manualFor = p.participantId; this.manualNote = ''; }}>${t('hearingRoom.approveManually')}</button>`
              : nothing}
          </li>`;
        })}
      </ul>
    </section>`;
  }

  private renderWaitingList(hearing: LiveHearing, me: RoomParticipant) {
    const t = this.locale.t.bind(this.locale);
    const waiting = hearing.participants.filter((participant) => participant.status === 'waiting');
    return html`<section class="waiting" data-testid="hearing-waiting-list">
      <h3>${t('hearingRoom.waitingList')}</h3>
      ${waiting.length === 0
        ? html`<p class="muted">${t('hearingRoom.nobodyWaiting')}</p>`
        : html`<ul>
            ${waiting.map(
              (p) => html`<li data-participant-id=${p.participantId}>
                <span>${p.displayName} · ${this.roleName(p.role)}
                  ${p.deviceCheck ? html`<span class="badge">${t(p.deviceCheck.passed ? 'hearingRoom.devicePassed' : 'hearingRoom.deviceFailed')}</span>` : nothing}</span>
                ${mayAdmit(me, p, hearing.state)
                  ? html`<button type="button" data-testid="hearing-admit" data-participant-id=${p.participantId} ?disabled=${this.busy} @click=${() => this.run([{ type: 'ADMIT', participantId: p.participantId }])}>${t('hearingRoom.admit')}</button>`
                  : nothing}
              </li>`,
            )}
          </ul>`}
    </section>`;
  }

  private renderChat(me: RoomParticipant) {
    const t = this.locale.t.bind(this.locale);
    const lines = this.room?.chat ?? [];
    return html`<section data-testid="hearing-chat">
      <h3>${t(isCourtStaff(me.role) ? 'hearingRoom.chatStaff' : 'hearingRoom.chatWithClerk')}</h3>
      ${lines.length === 0
        ? html`<p class="muted">${t('hearingRoom.chatEmpty')}</p>`
        : html`<ol class="chat" aria-live="polite">
            ${lines.map(
              (line) => html`<li>
                <div class="who">${line.from.displayName} · ${this.roleName(line.from.role)} · ${formatDateTime(this.locale.lang, line.at)}</div>
                <div>${line.text}</div>
              </li>`,
            )}
          </ol>`}
      ${this.room?.chatFailure ? html`<p class="error">${t('hearingRoom.chatRefused', { code: this.room.chatFailure })}</p>` : nothing}
      <form class="chat-form" @submit=${this.sendChat}>
        <input
          data-testid="hearing-chat-input"
          maxlength=${CHAT_MAX_CHARS}
          aria-label=${t('hearingRoom.chatMessage')}
          .value=${this.chatDraft}
          @input=${(event: Event) => (this.chatDraft = (event.target as HTMLInputElement).value)}
        />
        <button type="submit" data-testid="hearing-chat-send" ?disabled=${this.chatDraft.trim() === ''}>${t('hearingRoom.send')}</button>
      </form>
    </section>`;
  }
}
