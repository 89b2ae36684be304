// <ecourt-device-check hearing>: the pre-hearing device check (设备检测). Camera preview, a live
// microphone level, a 440 Hz speaker tone the user confirms, browser support, and a round-trip and
// bandwidth probe against the hub; then the verdict (the hub's own rule, storage/hearings/
// device-check.ts) with reasons, and a button that stores the result with the hearing. Judge and
// clerk also see every participant's latest check.
import { LitElement, html, css, nothing } from 'lit';
import { ApiError, apiUrl } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { SessionController, type SessionUser } from '../session.ts';
import { baseStyles } from '../styles.ts';
import { errorText, formatDateTime } from '../format.ts';
import { failureAlert } from '../fetched.ts';
import { isMessageKey, type MessageKey } from '../i18n.ts';
import { getWithToken } from '../collab/hub-fetch.ts';
import { deviceCheckVerdict, type DeviceCheck, type DeviceCheckMeasurements, type DeviceCheckReason, type DeviceCheckVerdict } from '../../../storage/hearings/device-check.ts';
import { browserSupport } from '../device-check/browser-support.ts';
import { LevelMeter, playTestTone } from '../device-check/level-meter.ts';
import { probeNetwork, type NetworkFigures, type ProbeStage } from '../device-check/network-probe.ts';

/** A stored check as the API answers it (dates as text). */
export type DeviceCheckListing = Omit<DeviceCheck, 'createdAt'> & { createdAt: string };

type Stage = 'idle' | 'devices' | ProbeStage | 'done';
type SpeakerState = 'untested' | 'playing' | 'played' | 'confirmed' | 'notHeard';
const SUPPORT_KEYS = ['webRtc', 'getUserMedia', 'webAudio', 'opus', 'vp8'] as const;
const HEARING_STAFF: ReadonlySet<string> = new Set(['judge', 'clerk']);
/** Steps of the progress bar: devices, ten pings, download, upload. */
const PROGRESS_STEPS = 13;

export class EcourtDeviceCheck extends LitElement {
  static override properties = {
    hearing: { type: String },
    hub: { type: String },
    apiBase: { type: String, attribute: 'api-base' },
    token: { type: String },
    user: { state: true },
    stage: { state: true },
    camera: { state: true },
    microphoneOk: { state: true },
    level: { state: true },
    peak: { state: true },
    speaker: { state: true },
    support: { state: true },
    network: { state: true },
    deviceFailure: { state: true },
    networkFailure: { state: true },
    saving: { state: true },
    saved: { state: true },
    saveFailure: { state: true },
    participants: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 0.75rem; margin-top: 0.75rem; }
      .grid > section { border: 1px solid var(--ecourt-line); border-radius: 6px; padding: 0.6rem 0.8rem; min-width: 0; }
      h3 { margin: 0 0 0.4rem; display: flex; gap: 0.5rem; align-items: center; justify-content: space-between; }
      video { width: 100%; aspect-ratio: 4 / 3; background: #111; border-radius: 4px; object-fit: cover; display: block; }
      .meter { height: 0.9rem; background: var(--ecourt-shade); border: 1px solid var(--ecourt-line); border-radius: 999px; overflow: hidden; margin: 0.4rem 0; }
      .meter > div { height: 100%; background: var(--ecourt-ok); transition: width 60ms linear; }
      .progress { height: 0.5rem; background: var(--ecourt-shade); border-radius: 999px; overflow: hidden; margin: 0.5rem 0 0.25rem; }
      .progress > div { height: 100%; background: var(--ecourt-accent); transition: width 150ms; }
      ul.support { list-style: none; padding: 0; margin: 0; font-size: 0.92rem; }
      ul.support li { display: flex; justify-content: space-between; gap: 0.5rem; }
      .ok { color: var(--ecourt-ok); }
      .bad { color: var(--ecourt-error); }
      .buttons { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.5rem; }
      .verdict { margin-top: 0.75rem; border-left: 6px solid var(--ecourt-line); padding: 0.5rem 0.8rem; background: var(--ecourt-shade); border-radius: 4px; }
      .verdict[data-verdict='pass'] { border-color: var(--ecourt-ok); }
      .verdict[data-verdict='warn'] { border-color: #c77700; }
      .verdict[data-verdict='fail'] { border-color: var(--ecourt-error); }
      .verdict strong { font-size: 1.1rem; }
      .verdict ul { margin: 0.3rem 0 0; padding-left: 1.2rem; }
      .badge[data-verdict='pass'] { color: var(--ecourt-ok); border-color: var(--ecourt-ok); }
      .badge[data-verdict='warn'] { color: #8a5300; border-color: #c77700; }
      .badge[data-verdict='fail'] { color: var(--ecourt-error); border-color: var(--ecourt-error); }
      table { width: 100%; border-collapse: collapse; font-size: 0.92rem; }
      th, td { text-align: left; padding: 0.3rem 0.4rem; border-bottom: 1px solid var(--ecourt-line); vertical-align: top; }
      @media (max-width: 560px) {
        .card { padding: 0.75rem; }
        thead { display: none; }
        tr { display: grid; grid-template-columns: 1fr auto; padding: 0.3rem 0; border-bottom: 1px solid var(--ecourt-line); }
        td { border: none; padding: 0.1rem 0.2rem; }
      }
    `,
  ];

  declare hearing: string;
  declare hub: string;
  declare apiBase: string;
  declare token: string;
  declare user: SessionUser | null;
  declare stage: Stage;
  declare camera: DeviceCheckMeasurements['camera'] | null;
  declare microphoneOk: boolean | null;
  declare level: number;
  declare peak: number;
  declare speaker: SpeakerState;
  declare support: DeviceCheckMeasurements['browser'] | null;
  declare network: NetworkFigures | null;
  declare deviceFailure: string | null;
  declare networkFailure: unknown;
  declare saving: boolean;
  declare saved: DeviceCheckListing | null;
  declare saveFailure: unknown;
  declare participants: DeviceCheckListing[] | null;

  private readonly locale = new LocaleController(this);
  private readonly sessions = new SessionController(this);
  private stream: MediaStream | null = null;
  private audio: AudioContext | null = null;
  private meter: LevelMeter | null = null;
  private aborter: AbortController | null = null;
  private loadedKey: string | null = null;

  constructor() {
    super();
    this.hearing = '';
    this.hub = '';
    this.apiBase = '';
    this.token = '';
    this.user = null;
    this.participants = null;
    this.reset();
  }

  private reset(): void {
    this.stage = 'idle';
    this.camera = null;
    this.microphoneOk = null;
    this.level = 0;
    this.peak = 0;
    this.speaker = 'untested';
    this.support = null;
    this.network = null;
    this.deviceFailure = null;
    this.networkFailure = null;
    this.saving = false;
    this.saved = null;
    this.saveFailure = null;
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
    this.stopDevices();
    this.loadedKey = null;
  }

  override willUpdate(): void {
    // Who we are (for the participants' list), once per token and hearing.
    const token = this.sessions.effectiveToken(this.token);
    const key = this.isConnected && token && this.hearing ? `${token}|${this.hearing}|${this.api}` : null;
    if (key === this.loadedKey) return;
    this.loadedKey = key;
    this.user = null;
    this.participants = null;
    if (key && token) void this.loadUser(token, key);
  }

  private async loadUser(token: string, key: string): Promise<void> {
    try {
      const user = this.token ? (await getWithToken<{ user: SessionUser }>(this.api, '/api/v1/me', token)).user : this.sessions.session!.user;
      if (this.loadedKey !== key) return;
      this.user = user;
      if (HEARING_STAFF.has(user.role)) await this.loadParticipants(token);
    } catch {
      // The check itself still works; only the participants' list is missing.
    }
  }

  private async loadParticipants(token: string): Promise<void> {
    const { deviceChecks } = await getWithToken<{ deviceChecks: DeviceCheckListing[] }>(this.api, `/api/v1/hearings/${encodeURIComponent(this.hearing)}/device-checks`, token);
    this.participants = deviceChecks;
  }

  private stopDevices(): void {
    this.aborter?.abort();
    this.aborter = null;
    this.meter?.close();
    this.meter = null;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    void this.audio?.close().catch(() => undefined);
    this.audio = null;
  }

  /** Runs every measurement; the speaker waits for the user. Started by a click, so audio may play. */
  private async run(): Promise<void> {
    const token = this.sessions.effectiveToken(this.token);
    if (!token) return;
    this.stopDevices();
    this.reset();
    const aborter = new AbortController();
    this.aborter = aborter;
    this.support = browserSupport();
    this.stage = 'devices';
    if (this.support.webAudio) {
      this.audio = new AudioContext();
      void this.audio.resume().catch(() => undefined);
    }
    await this.openDevices(aborter.signal);
    if (aborter.signal.aborted) return;
    try {
      this.network = await probeNetwork({ api: this.api, token, signal: aborter.signal, onProgress: (stage) => (this.stage = stage) });
    } catch (error) {
      if ((error as Error).name === 'AbortError') return;
      this.networkFailure = error;
    }
    if (!aborter.signal.aborted) this.stage = 'done';
  }

  /** Camera and microphone together (one permission prompt); apart only to learn which one is missing. */
  private async openDevices(signal: AbortSignal): Promise<void> {
    const media = navigator.mediaDevices;
    if (!media?.getUserMedia) {
      this.camera = { ok: false, width: null, height: null };
      this.microphoneOk = false;
      return;
    }
    const video = { width: { ideal: 1280 }, height: { ideal: 720 } };
    // The microphone as it is: gain control would hide a quiet one, noise suppression would flatten the meter.
    const audio = { autoGainControl: false, noiseSuppression: false, echoCancellation: false };
    let stream: MediaStream | null = null;
    try {
      stream = await media.getUserMedia({ video, audio });
    } catch (error) {
      this.deviceFailure = (error as Error).name;
      const tracks: MediaStreamTrack[] = [];
      for (const constraints of [{ video }, { audio }]) {
        try {
          tracks.push(...(await media.getUserMedia(constraints)).getTracks());
        } catch {
          // That device is the missing one.
        }
      }
      stream = tracks.length > 0 ? new MediaStream(tracks) : null;
    }
    // Removed from the page (or restarted) while the browser asked: let go of the devices at once.
    if (signal.aborted) {
      for (const track of stream?.getTracks() ?? []) track.stop();
      return;
    }
    this.stream = stream;
    const videoTrack = stream?.getVideoTracks()[0];
    const audioTrack = stream?.getAudioTracks()[0];
    const settings = videoTrack?.getSettings();
    this.camera = videoTrack ? { ok: videoTrack.readyState === 'live', width: settings?.width ?? null, height: settings?.height ?? null } : { ok: false, width: null, height: null };
    this.microphoneOk = audioTrack ? audioTrack.readyState === 'live' : false;
    await this.updateComplete;
    if (signal.aborted) return;
    const preview = this.renderRoot.querySelector<HTMLVideoElement>('video');
    if (preview && stream && videoTrack) {
      preview.srcObject = new MediaStream([videoTrack]);
      preview.onloadedmetadata = () => {
        // What actually arrives beats what the track promised.
        if (this.camera?.ok && preview.videoWidth > 0) this.camera = { ok: true, width: preview.videoWidth, height: preview.videoHeight };
      };
      void preview.play().catch(() => undefined);
    }
    if (audioTrack && this.audio) {
      this.meter = new LevelMeter(this.audio, new MediaStream([audioTrack]), (level) => {
        // In steps of 2 %: Lit re-renders only when a value changes, not on every animation frame.
        this.level = Math.round(level * 50) / 50;
        this.peak = Math.max(this.peak, this.meter?.peak ?? level);
      });
    }
  }

  private async playTone(): Promise<void> {
    this.audio ??= new AudioContext();
    await this.audio.resume().catch(() => undefined);
    this.speaker = 'playing';
    await playTestTone(this.audio, 1);
    if (this.speaker === 'playing') this.speaker = 'played';
  }

  private measurements(): DeviceCheckMeasurements {
    return {
      camera: this.camera ?? { ok: false, width: null, height: null },
      microphone: { ok: this.microphoneOk === true, peakLevel: this.microphoneOk && this.meter ? Math.round(this.peak * 1000) / 1000 : null },
      speaker: { confirmed: this.speaker === 'confirmed' },
      browser: this.support ?? browserSupport(),
      network: this.network ?? { roundTripP50Ms: null, roundTripP95Ms: null, downloadMbps: null, uploadMbps: null },
    };
  }

  private async save(): Promise<void> {
    const token = this.sessions.effectiveToken(this.token);
    if (!token) return;
    this.saving = true;
    this.saveFailure = null;
    try {
      let response: Response;
      try {
        response = await fetch(apiUrl(this.api, `/api/v1/hearings/${encodeURIComponent(this.hearing)}/device-checks`), {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(this.measurements()),
        });
      } catch (error) {
        throw new ApiError(0, 'NETWORK', (error as Error).message);
      }
      const payload = (await response.json().catch(() => undefined)) as { deviceCheck?: DeviceCheckListing; error?: { code?: string; message?: string } } | undefined;
      if (!response.ok || !payload?.deviceCheck) throw new ApiError(response.status, payload?.error?.code ?? 'INTERNAL', payload?.error?.message ?? response.statusText);
      this.saved = payload.deviceCheck;
      // For an embedding page (the hearing room moves on to the waiting room): the stored check.
      this.dispatchEvent(new CustomEvent('device-check-done', { detail: { deviceCheck: payload.deviceCheck }, bubbles: true, composed: true }));
      if (this.user && HEARING_STAFF.has(this.user.role)) await this.loadParticipants(token).catch(() => undefined);
    } catch (error) {
      this.saveFailure = error;
    } finally {
      this.saving = false;
    }
  }

  /** Typed keys: a reason or verdict without a translation is a type error. */
  private reasonText(code: DeviceCheckReason): string {
    return this.locale.t(`deviceCheck.reason.${code}`);
  }

  private verdictText(verdict: DeviceCheckVerdict): string {
    return this.locale.t(`deviceCheck.verdict.${verdict}`);
  }

  private progressPercent(): number {
    const stage = this.stage;
    if (stage === 'idle') return 0;
    if (stage === 'done') return 100;
    if (stage === 'devices') return Math.round((100 * 0.5) / PROGRESS_STEPS);
    if (stage.stage === 'ping') return Math.round((100 * (1 + stage.done)) / PROGRESS_STEPS);
    return Math.round((100 * (stage.stage === 'download' ? 11 : 12)) / PROGRESS_STEPS);
  }

  private stageText(): string {
    const t = this.locale.t.bind(this.locale);
    const stage = this.stage;
    if (stage === 'idle' || stage === 'done') return '';
    if (stage === 'devices') return t('deviceCheck.devices');
    if (stage.stage === 'ping') return t('deviceCheck.ping', { done: stage.done + 1, of: stage.of });
    return t(stage.stage === 'download' ? 'deviceCheck.download' : 'deviceCheck.upload');
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    if (!this.sessions.effectiveToken(this.token)) return nothing;
    const running = this.stage !== 'idle' && this.stage !== 'done';
    const stageKey = typeof this.stage === 'string' ? this.stage : this.stage.stage;
    return html`<div class="card" data-testid="device-check" data-hearing-id=${this.hearing} data-stage=${stageKey}>
      <h2>${t('deviceCheck.title')}</h2>
      <p class="muted">${t('deviceCheck.intro')}</p>
      <div class="buttons">
        <button type="button" data-testid="device-check-start" ?disabled=${running} @click=${() => void this.run()}>
          ${this.stage === 'idle' ? t('deviceCheck.start') : t('deviceCheck.restart')}
        </button>
      </div>
      ${running
        ? html`<div role="status" aria-live="polite" data-testid="device-check-progress">
            <div class="progress" role="progressbar" aria-label=${t('deviceCheck.progress')} aria-valuemin="0" aria-valuemax="100" aria-valuenow=${this.progressPercent()}>
              <div style="width: ${this.progressPercent()}%"></div>
            </div>
            <span class="muted">${this.stageText()}</span>
          </div>`
        : nothing}
      ${this.stage === 'idle' ? nothing : this.renderSections()}
      ${this.stage === 'done' ? this.renderVerdict() : nothing}
      ${this.participants ? this.renderParticipants(this.participants) : nothing}
    </div>`;
  }

  private renderSections() {
    const t = this.locale.t.bind(this.locale);
    const camera = this.camera;
    const levelPercent = Math.round(this.level * 100);
    const support = this.support;
    const network = this.network;
    return html`<div class="grid">
      <section data-testid="device-check-camera" data-ok=${camera ? String(camera.ok) : 'pending'}>
        <h3>${t('deviceCheck.camera')}</h3>
        <video muted autoplay playsinline data-testid="device-check-preview" aria-label=${t('deviceCheck.camera')}></video>
        ${camera
          ? html`<p class=${camera.ok ? 'ok' : 'bad'}>${camera.ok ? t('deviceCheck.cameraOk', { width: camera.width ?? '?', height: camera.height ?? '?' }) : t('deviceCheck.cameraMissing')}</p>`
          : nothing}
        ${this.deviceFailure === 'NotAllowedError' ? html`<p class="bad">${t('deviceCheck.permission')}</p>` : nothing}
      </section>
      <section>
        <section data-testid="device-check-microphone" data-ok=${this.microphoneOk === null ? 'pending' : String(this.microphoneOk)} data-level=${this.level.toFixed(3)} data-peak=${this.peak.toFixed(3)} style="border: none; padding: 0;">
          <h3>${t('deviceCheck.microphone')}</h3>
          <div class="meter" role="meter" aria-label=${t('deviceCheck.micLevel')} aria-valuemin="0" aria-valuemax="100" aria-valuenow=${levelPercent}>
            <div style="width: ${levelPercent}%"></div>
          </div>
          <p class=${this.microphoneOk === false ? 'bad' : 'muted'}>${this.microphoneOk === false ? t('deviceCheck.micMissing') : t('deviceCheck.micHint')}</p>
        </section>
        <section data-testid="device-check-speaker" data-state=${this.speaker} style="border: none; padding: 0;">
          <h3>${t('deviceCheck.speaker')}</h3>
          ${this.speaker === 'confirmed'
            ? html`<p class="ok">${t('deviceCheck.speakerConfirmed')}</p>`
            : html`<p class=${this.speaker === 'notHeard' ? 'bad' : 'muted'}>${this.speaker === 'notHeard' ? t('deviceCheck.speakerNotHeard') : t('deviceCheck.speakerHint')}</p>`}
          <div class="buttons">
            <button type="button" class="secondary" data-testid="device-check-play-tone" ?disabled=${this.speaker === 'playing'} @click=${() => void this.playTone()}>
              ${this.speaker === 'playing' ? t('deviceCheck.playing') : t('deviceCheck.playTone')}
            </button>
            ${this.speaker === 'played' || this.speaker === 'notHeard'
              ? html`<button type="button" data-testid="device-check-heard" @click=${() => (this.speaker = 'confirmed')}>${t('deviceCheck.heard')}</button>
                  <button type="button" class="secondary" data-testid="device-check-not-heard" @click=${() => (this.speaker = 'notHeard')}>${t('deviceCheck.notHeard')}</button>`
              : nothing}
          </div>
        </section>
      </section>
      <section data-testid="device-check-browser">
        <h3>${t('deviceCheck.browser')}</h3>
        ${support
          ? html`<ul class="support">
              ${SUPPORT_KEYS.map((key) => html`<li data-support=${key} data-ok=${String(support[key])}>
                <span>${t(`deviceCheck.support.${key}` as MessageKey)}</span>
                <span class=${support[key] ? 'ok' : 'bad'}>${support[key] ? t('deviceCheck.yes') : t('deviceCheck.no')}</span>
              </li>`)}
            </ul>`
          : nothing}
      </section>
      <section data-testid="device-check-network" data-ok=${network ? 'true' : this.networkFailure ? 'false' : 'pending'}>
        <h3>${t('deviceCheck.network')}</h3>
        ${network
          ? html`<p data-testid="device-check-round-trip" data-p50=${network.roundTripP50Ms} data-p95=${network.roundTripP95Ms}>${t('deviceCheck.roundTrip', { p50: network.roundTripP50Ms, p95: network.roundTripP95Ms })}</p>
              <p data-testid="device-check-bandwidth" data-download=${network.downloadMbps} data-upload=${network.uploadMbps}>${t('deviceCheck.bandwidth', { down: network.downloadMbps, up: network.uploadMbps })}</p>`
          : this.networkFailure
            ? html`<p class="bad">${t('deviceCheck.networkFailed')}: ${errorText(this.locale.lang, this.networkFailure, { withServerMessage: true })}</p>`
            : html`<p class="muted">${this.stageText()}</p>`}
      </section>
    </div>`;
  }

  private renderVerdict() {
    const t = this.locale.t.bind(this.locale);
    // The verdict follows the speaker confirmation live; the hub stores its own by the same rule.
    const { verdict, reasons } = deviceCheckVerdict(this.measurements());
    return html`<div class="verdict" role="status" data-testid="device-check-verdict" data-verdict=${verdict}>
      <strong>${t('deviceCheck.verdictLine', { verdict: this.verdictText(verdict) })}</strong>
      ${reasons.length > 0 ? html`<ul>${reasons.map((code) => html`<li data-reason=${code}>${this.reasonText(code)}</li>`)}</ul>` : nothing}
      <div class="buttons">
        <button type="button" data-testid="device-check-save" ?disabled=${this.saving} @click=${() => void this.save()}>${this.saving ? t('deviceCheck.saving') : t('deviceCheck.save')}</button>
      </div>
      ${this.saved
        ? html`<div class="notice" data-testid="device-check-saved" data-check-id=${this.saved.id} data-verdict=${this.saved.verdict}>
            ${t('deviceCheck.saved', { time: formatDateTime(this.locale.lang, this.saved.createdAt), verdict: this.verdictText(this.saved.verdict) })}
          </div>`
        : nothing}
      ${failureAlert(this.locale.lang, this.saveFailure, { testId: 'device-check-save-error', withServerMessage: true })}
    </div>`;
  }

  private renderParticipants(checks: DeviceCheckListing[]) {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    const roleName = (role: string) => (isMessageKey(`role.${role}`) ? t(`role.${role}` as MessageKey) : role);
    return html`<section data-testid="device-check-participants">
      <h3>${t('deviceCheck.participants')}</h3>
      ${checks.length === 0
        ? html`<p class="muted">${t('deviceCheck.noChecks')}</p>`
        : html`<table>
            <thead><tr><th>${t('deviceCheck.column.name')}</th><th>${t('deviceCheck.verdict')}</th><th>${t('deviceCheck.column.figures')}</th><th>${t('deviceCheck.column.time')}</th></tr></thead>
            <tbody>
              ${checks.map((check) => html`<tr data-testid="device-check-participant" data-user-id=${check.account.userId} data-verdict=${check.verdict}>
                <td>${check.account.displayName}（${roleName(check.account.role)}）</td>
                <td><span class="badge" data-verdict=${check.verdict}>${this.verdictText(check.verdict)}</span>
                  ${check.reasons.length > 0 ? html`<div class="muted">${check.reasons.map((code) => this.reasonText(code)).join('；')}</div>` : nothing}</td>
                <td class="muted">${check.network.roundTripP50Ms === null ? '—' : `${check.network.roundTripP50Ms} ms · ↓${check.network.downloadMbps} ↑${check.network.uploadMbps} Mbit/s`}</td>
                <td>${formatDateTime(lang, check.createdAt)}</td>
              </tr>`)}
            </tbody>
          </table>`}
    </section>`;
  }
}
