// <ecourt-filing-form>: guided filing (智能立案). Court and cause of action first, then only the
// questions that cause needs, the parties (the plaintiff defaults to the signed-in user; a lawyer files
// for a client with a power of attorney), claims with amounts checked as typed, facts, evidence,
// jurisdiction, electronic service (consent needs somewhere to serve), materials (PDF/PNG/JPEG, type
// and pages shown), the complaint (起诉状) previewed and signed, then POST /api/v1/filings and its
// result. The draft is saved as the filer types (debounced PUT) and reopened on reload. Several
// plaintiffs and defendants may be named. A filer with a face enrolment passes a live face check before
// the complaint is signed. A filing returned for correction (补正) reopens here with the fields the rules
// named highlighted and their reasons shown, and is resubmitted (POST /api/v1/filings/:id/resubmit).
import { LitElement, html, css, nothing, type TemplateResult } from 'lit';
import { callApi, ApiError, apiUrl, uploadFile } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { SessionController, currentSession } from '../session.ts';
import { baseStyles } from '../styles.ts';
import { errorText, newUuid } from '../format.ts';
import type { MessageKey } from '../i18n.ts';
import type { Court } from '../types.ts';
import { LITIGANT_ROLES } from '../../../platform/roles.ts';
import { CAUSE_IDS, CAUSES, type CauseQuestion } from '../../../models/filing-rules/causes.ts';
import { JURISDICTION_BASES, MATERIAL_TYPES, type MaterialType } from '../../../models/filing-rules/filing.ts';
import {
  FILING_STEPS,
  amountProblem,
  answerProblem,
  consentBlocker,
  filingInputOf,
  isCause,
  isFilingStep,
  fieldConcerns,
  stepOfField,
  type DraftFiling,
  type FilingStep,
  type MaterialView,
} from '../filing/filing-model.ts';
import type { FilingResultView } from '../filing/filing-result.ts';
import '../filing/filing-result.ts';
import './identity-check.ts';

/** Quiet time after the last keystroke before the draft is saved. */
const SAVE_DELAY_MS = 600;
const draftKey = (userId: string) => `ecourt.filingDraft.${userId}`;
/** The returned filing this browser is correcting (kept per account, so a reload resumes the correction). */
const correctionKey = (userId: string) => `ecourt.filingCorrection.${userId}`;

type Party = NonNullable<DraftFiling['plaintiffs']>[number];
type SaveState = 'idle' | 'saving' | 'saved' | 'failed';
interface MissingField {
  field: string;
  message: string;
}
/** A filing returned for correction, as the form works on it: what to fix, why, and by when. */
interface Correction {
  filingId: string;
  deadline: string;
  fields: string[];
  reasons: { ruleId: string; zh: string; en: string; fields: string[] }[];
}

export class EcourtFilingForm extends LitElement {
  static override properties = {
    apiBase: { type: String, attribute: 'api-base' },
    courtCode: { type: String, attribute: 'court-code' },
    courts: { state: true },
    draft: { state: true },
    step: { state: true },
    materials: { state: true },
    saveState: { state: true },
    busy: { state: true },
    failure: { state: true },
    materialFailure: { state: true },
    complaintUrl: { state: true },
    complaintMissing: { state: true },
    complaintFailure: { state: true },
    result: { state: true },
    notice: { state: true },
    correction: { state: true },
    faceCheckDocument: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      :host { max-width: 48rem; }
      nav.steps { display: flex; flex-wrap: wrap; gap: 0.3rem; margin-bottom: 1rem; }
      nav.steps button { min-height: 2rem; padding: 0.2rem 0.6rem; font-size: 0.9rem; }
      nav.steps button[aria-current='step'] { font-weight: 700; text-decoration: underline; }
      fieldset { border: 1px solid var(--ecourt-line); border-radius: 6px; margin: 1rem 0 0; padding: 0.25rem 1rem 1rem; }
      legend { font-weight: 700; padding: 0 0.4rem; }
      .row { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1rem; }
      .claim { display: grid; grid-template-columns: 3fr 1fr auto; gap: 0 0.6rem; align-items: end; }
      .actions { display: flex; gap: 0.6rem; margin-top: 1.25rem; flex-wrap: wrap; }
      .problem { color: var(--ecourt-error); font-size: 0.9rem; margin: 0.2rem 0 0; }
      .ok { color: var(--ecourt-ok); }
      .save-state { font-size: 0.85rem; color: var(--ecourt-muted); }
      iframe { width: 100%; height: 32rem; border: 1px solid var(--ecourt-line); margin-top: 0.75rem; }
      table { border-collapse: collapse; width: 100%; margin-top: 0.5rem; }
      td, th { border-bottom: 1px solid var(--ecourt-line); padding: 0.3rem; text-align: left; }
      .consent { display: flex; gap: 0.5rem; align-items: center; font-weight: 600; margin-top: 0.8rem; }
      .consent input { width: auto; }
      .party-actions { display: flex; justify-content: flex-end; margin-top: 0.5rem; }
      .correction { border-left: 6px solid var(--ecourt-error); background: var(--ecourt-shade); padding: 0.5rem 0.8rem; border-radius: 4px; margin-bottom: 1rem; }
      nav.steps button[data-flagged='true'] { border-color: var(--ecourt-error); color: var(--ecourt-error); }
      input.flagged, textarea.flagged, fieldset.flagged, ul.flagged { outline: 2px solid var(--ecourt-error); outline-offset: 2px; }
      @media (max-width: 640px) {
        .row, .claim { grid-template-columns: 1fr; }
      }
    `,
  ];

  declare apiBase: string;
  declare courtCode: string;
  declare courts: Court[];
  declare draft: DraftFiling;
  declare step: FilingStep;
  declare materials: MaterialView[];
  declare saveState: SaveState;
  declare busy: boolean;
  declare failure: unknown;
  declare materialFailure: unknown;
  declare complaintUrl: string | null;
  declare complaintMissing: MissingField[] | null;
  declare complaintFailure: unknown;
  declare result: FilingResultView | null;
  declare notice: string | null;
  declare correction: Correction | null;
  /** The document id of the signing face check the hub asked for (complaint:<draftId>), while it is pending. */
  declare faceCheckDocument: string | null;

  private readonly locale = new LocaleController(this);
  private readonly sessions = new SessionController(this);
  private draftId: string | null = null;
  private loadedFor: string | null = null;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  /** The save running now; the next one waits for it (saves never overtake each other). */
  private saving: Promise<void> = Promise.resolve();

  constructor() {
    super();
    this.apiBase = '';
    this.courtCode = '';
    this.courts = [];
    this.draft = {};
    this.step = 'court';
    this.materials = [];
    this.saveState = 'idle';
    this.busy = false;
    this.failure = null;
    this.materialFailure = null;
    this.complaintUrl = null;
    this.complaintMissing = null;
    this.complaintFailure = null;
    this.result = null;
    this.notice = null;
    this.correction = null;
    this.faceCheckDocument = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadCourts();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Leaving the page: what was typed is saved now, not lost with the timer.
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
      void this.save();
    }
    if (this.complaintUrl) URL.revokeObjectURL(this.complaintUrl);
  }

  override willUpdate(): void {
    const session = this.sessions.session;
    if (session && this.loadedFor !== session.user.id && (LITIGANT_ROLES as readonly string[]).includes(session.user.role)) {
      this.loadedFor = session.user.id;
      void this.restoreDraft();
    }
  }

  private async loadCourts(): Promise<void> {
    try {
      const reply = await callApi<{ courts: Court[] }>(this.apiBase, '/api/v1/courts', { auth: false });
      this.courts = reply.courts;
      if (!this.draft.courtId && this.draftId) this.edit((draft) => (draft.courtId = this.preferredCourt()));
    } catch (error) {
      this.failure = error;
    }
  }

  private preferredCourt(): string | undefined {
    return (this.courts.find((court) => court.code === this.courtCode) ?? this.courts[0])?.id;
  }

  /** A new filing: the signed-in party (or institution) as plaintiff; a lawyer as the agent of a client. */
  private freshDraft(): DraftFiling {
    const user = currentSession()!.user;
    const me: Party = { kind: user.role === 'institution' ? 'organisation' : 'person', name: user.displayName, userId: user.id };
    return {
      ...(this.preferredCourt() ? { courtId: this.preferredCourt() } : {}),
      cause: 'creditCard',
      plaintiffs: [user.role === 'lawyer' ? { kind: 'person', name: '' } : me],
      defendants: [{ kind: 'person', name: '' }],
      ...(user.role === 'lawyer' ? { agent: { userId: user.id, name: user.displayName, licenceNumber: '' } } : {}),
      claims: [{ text: '', amount: '' }],
      facts: '',
      causeFacts: {},
      jurisdiction: { basis: 'defendantDomicile', place: '' },
      evidence: [],
      electronicService: { consent: false, addresses: [] },
    };
  }

  /** Reopens the draft this browser was working on (kept per account), or starts a new one. */
  private async restoreDraft(): Promise<void> {
    const user = currentSession()!.user;
    const saved = localStorage.getItem(draftKey(user.id));
    if (saved) {
      try {
        const reply = await callApi<{ draft: { id: string; step: string | null; filing: DraftFiling; materials: MaterialView[] } }>(this.apiBase, `/api/v1/filing-drafts/${encodeURIComponent(saved)}`);
        this.draftId = reply.draft.id;
        this.draft = reply.draft.filing;
        this.step = isFilingStep(reply.draft.step) ? reply.draft.step : 'court';
        this.materials = latestComplaintOnly(reply.draft.materials);
        this.saveState = 'saved';
        await this.restoreCorrection();
        return;
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) {
          this.failure = error;
          return;
        }
      }
    }
    this.startNew();
  }

  /** A returned filing this browser was correcting: resumed while it is still returned, forgotten otherwise. */
  private async restoreCorrection(): Promise<void> {
    const key = correctionKey(currentSession()!.user.id);
    const filingId = localStorage.getItem(key);
    if (!filingId) return;
    try {
      const reply = await callApi<{ filing: FilingResultView }>(this.apiBase, `/api/v1/filings/${encodeURIComponent(filingId)}`);
      if (reply.filing.status === 'returned') this.correction = correctionOf(reply.filing);
      else localStorage.removeItem(key);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) localStorage.removeItem(key);
      else this.failure = error;
    }
  }

  /** 补正: back from the returned result into the form, at the first step with something to fix. */
  private startCorrection(filing: FilingResultView): void {
    const user = currentSession()!.user;
    this.correction = correctionOf(filing);
    localStorage.setItem(correctionKey(user.id), filing.id);
    if (this.draftId) localStorage.setItem(draftKey(user.id), this.draftId);
    this.result = null;
    this.failure = null;
    const flagged = new Set(this.correction.fields.map(stepOfField));
    this.goTo(FILING_STEPS.find((step) => flagged.has(step)) ?? 'review');
    // Saved at once: a reload right away reopens the correction at this step.
    void this.flush();
  }

  private startNew(): void {
    const user = currentSession()!.user;
    this.draftId = newUuid();
    localStorage.setItem(draftKey(user.id), this.draftId);
    localStorage.removeItem(correctionKey(user.id));
    this.correction = null;
    this.faceCheckDocument = null;
    this.draft = this.freshDraft();
    this.step = 'court';
    this.materials = [];
    this.result = null;
    this.complaintMissing = null;
    this.notice = null;
    this.scheduleSave();
  }

  /** Every change goes through here: a copy is changed, consent re-checked, the save scheduled. */
  private edit(change: (draft: DraftFiling) => void): void {
    const next = structuredClone(this.draft);
    change(next);
    if (next.electronicService?.consent && consentBlocker(next) !== null) next.electronicService.consent = false;
    this.draft = next;
    // A signed complaint states the answers as they were: after a change it must be signed again.
    if (this.materials.some((m) => m.type === 'complaint')) {
      this.materials = this.materials.filter((m) => m.type !== 'complaint');
      this.notice = this.locale.t('filingForm.complaintStale');
    }
    this.scheduleSave();
  }

  private scheduleSave(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      void this.save();
    }, SAVE_DELAY_MS);
  }

  private save(): Promise<void> {
    const run = async () => {
      if (!this.draftId || !currentSession()) return;
      this.saveState = 'saving';
      try {
        await callApi(this.apiBase, `/api/v1/filing-drafts/${this.draftId}`, { method: 'PUT', body: { filing: this.draft, step: this.step } });
        this.saveState = this.saveTimer ? 'saving' : 'saved';
      } catch {
        this.saveState = 'failed';
      }
    };
    this.saving = this.saving.then(run, run);
    return this.saving;
  }

  /** Saves now (no waiting for the timer), e.g. before the complaint is rendered from the stored draft. */
  private async flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
      await this.save();
    }
    await this.saving;
  }

  private goTo(step: FilingStep): void {
    this.step = step;
    this.scheduleSave();
    this.renderRoot.querySelector('form')?.scrollIntoView?.({ block: 'start' });
  }

  // ---- materials -------------------------------------------------------------------------------

  private async uploadMaterial(file: File, type: MaterialType): Promise<MaterialView | null> {
    const token = currentSession()?.token;
    if (!token || !this.draftId) return null;
    await this.flush(); // the draft must exist before a material names it
    this.materialFailure = null;
    this.busy = true;
    try {
      const name = file.name.replace(/\.[A-Za-z0-9]{1,5}$/, '') || file.name;
      const path = `/api/v1/filing-materials?type=${type}&name=${encodeURIComponent(name)}&draftId=${this.draftId}`;
      const payload = await uploadFile<{ material?: MaterialView }>(this.apiBase, path, token, file);
      if (!payload?.material) throw new ApiError(200, 'INTERNAL', 'no material in the answer');
      this.materials = [...this.materials, payload.material];
      return payload.material;
    } catch (error) {
      this.materialFailure = error;
      return null;
    } finally {
      this.busy = false;
    }
  }

  private async onMaterialChosen(event: Event): Promise<void> {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    const type = (this.renderRoot.querySelector<HTMLSelectElement>('[data-testid="filing-material-type"]')?.value ?? 'evidence') as MaterialType;
    if (file) await this.uploadMaterial(file, type);
    input.value = '';
  }

  private async onPowerOfAttorneyChosen(event: Event): Promise<void> {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const material = await this.uploadMaterial(file, 'powerOfAttorney');
    if (material) this.edit((draft) => (draft.agent = { ...draft.agent, powerOfAttorneyMaterialId: material.id }));
    input.value = '';
  }

  private removeMaterial(id: string): void {
    this.materials = this.materials.filter((m) => m.id !== id);
    if (this.draft.agent?.powerOfAttorneyMaterialId === id) this.edit((draft) => delete draft.agent!.powerOfAttorneyMaterialId);
  }

  // ---- complaint -------------------------------------------------------------------------------

  private async previewComplaint(): Promise<void> {
    const token = currentSession()?.token;
    if (!token || !this.draftId) return;
    this.busy = true;
    this.complaintMissing = null;
    this.complaintFailure = null;
    try {
      await this.flush();
      const response = await fetch(apiUrl(this.apiBase, `/api/v1/filing-drafts/${this.draftId}/complaint`), { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) {
        const payload = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string; details?: { fields?: MissingField[] } } } | undefined;
        if (payload?.error?.code === 'DOCUMENT_DATA_INVALID') this.complaintMissing = payload.error.details?.fields ?? [];
        else this.complaintFailure = new ApiError(response.status, payload?.error?.code ?? 'INTERNAL', payload?.error?.message ?? response.statusText);
        return;
      }
      if (this.complaintUrl) URL.revokeObjectURL(this.complaintUrl);
      this.complaintUrl = URL.createObjectURL(await response.blob());
    } finally {
      this.busy = false;
    }
  }

  private async signComplaint(): Promise<void> {
    if (!this.draftId) return;
    this.busy = true;
    this.complaintFailure = null;
    try {
      await this.flush();
      const reply = await callApi<{ material: MaterialView }>(this.apiBase, `/api/v1/filing-drafts/${this.draftId}/complaint/sign`, { method: 'POST' });
      this.materials = [...this.materials.filter((m) => m.type !== 'complaint'), reply.material];
      this.notice = null;
      this.faceCheckDocument = null;
      // The preview has served its purpose: what was signed is the stored material from now on.
      if (this.complaintUrl) URL.revokeObjectURL(this.complaintUrl);
      this.complaintUrl = null;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'DOCUMENT_DATA_INVALID') this.complaintMissing = (error.details as { fields?: MissingField[] } | undefined)?.fields ?? [];
      else if (error instanceof ApiError && error.code === 'FACE_CHECK_REQUIRED') {
        // 刷脸签名: the hub names the purpose the check must carry; after a pass the signing is retried.
        const purpose = (error.details as { purpose?: { kind?: string; documentId?: string } } | undefined)?.purpose;
        this.faceCheckDocument = purpose?.documentId ?? `complaint:${this.draftId}`;
      } else this.complaintFailure = error;
    } finally {
      this.busy = false;
    }
  }

  // ---- submission ------------------------------------------------------------------------------

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.draftId) return;
    this.busy = true;
    this.failure = null;
    try {
      await this.flush();
      const filing = filingInputOf(this.draft, this.materials);
      const user = currentSession()!.user;
      // A correction goes back to the same filing (补正); anything else is a new filing from this draft.
      const reply = this.correction
        ? await callApi<{ filing: FilingResultView }>(this.apiBase, `/api/v1/filings/${encodeURIComponent(this.correction.filingId)}/resubmit`, { method: 'POST', body: filing })
        : await callApi<{ filing: FilingResultView }>(this.apiBase, '/api/v1/filings', { method: 'POST', body: { ...filing, draftId: this.draftId } });
      this.result = reply.filing;
      this.correction = null;
      if (reply.filing.status === 'returned') {
        // Returned (again): a reload opens this draft as the correction of that filing.
        localStorage.setItem(correctionKey(user.id), reply.filing.id);
      } else {
        // The next filing starts afresh; this draft stays listed with the filing that came of it.
        localStorage.removeItem(correctionKey(user.id));
        localStorage.removeItem(draftKey(user.id));
      }
      this.dispatchEvent(new CustomEvent('ecourt-filing-submitted', { detail: { filing: reply.filing }, bubbles: true, composed: true }));
    } catch (error) {
      this.failure = error;
    } finally {
      this.busy = false;
    }
  }

  // ---- rendering -------------------------------------------------------------------------------

  private t(key: MessageKey, params?: Record<string, string | number>): string {
    return this.locale.t(key, params);
  }

  private input(
    testid: string,
    label: string,
    value: string | undefined,
    onInput: (value: string) => void,
    options: { type?: string; placeholder?: string; problem?: string | null; inputmode?: string; field?: string } = {},
  ) {
    const flags = options.field ? this.flagsFor(options.field) : [];
    return html`<label for=${testid}>${label}</label>
      <input
        id=${testid}
        data-testid=${testid}
        class=${flags.length ? 'flagged' : ''}
        data-flagged=${flags.length ? 'true' : nothing}
        type=${options.type ?? 'text'}
        inputmode=${options.inputmode ?? nothing}
        placeholder=${options.placeholder ?? nothing}
        aria-invalid=${options.problem || flags.length ? 'true' : 'false'}
        .value=${value ?? ''}
        @input=${(event: Event) => onInput((event.currentTarget as HTMLInputElement).value)}
      />
      ${options.problem ? html`<p class="problem" data-testid=${`${testid}-error`}>${options.problem}</p>` : nothing}
      ${this.renderFlags(`${testid}-flag`, flags)}`;
  }

  /** The returned filing's reasons that concern the input at `path` (none outside a correction). */
  private flagsFor(path: string): Correction['reasons'] {
    return (this.correction?.reasons ?? []).filter((reason) => reason.fields.some((field) => fieldConcerns(field, path)));
  }

  private renderFlags(testid: string, flags: Correction['reasons']) {
    if (flags.length === 0) return nothing;
    return html`<p class="problem" data-testid=${testid}>${flags.map((reason) => (this.locale.lang === 'en' ? reason.en : reason.zh)).join('；')}</p>`;
  }

  private renderCorrection() {
    const correction = this.correction;
    if (!correction) return nothing;
    const here = correction.fields.some((field) => stepOfField(field) === this.step);
    return html`<div class="correction" role="alert" data-testid="filing-correction" data-filing-id=${correction.filingId}>
      <strong>${this.t('filingForm.correctionTitle', { date: correction.deadline })}</strong>
      <ul>
        ${correction.reasons.map(
          (reason) => html`<li data-rule-id=${reason.ruleId} data-fields=${reason.fields.join(' ')}>
            ${this.locale.lang === 'en' ? reason.en : reason.zh}${reason.fields.length ? html` （${reason.fields.join('、')}）` : nothing}
          </li>`,
        )}
      </ul>
      ${here ? html`<p data-testid="filing-correction-here">${this.t('filingForm.correctionHere')}</p>` : nothing}
    </div>`;
  }

  private causeName(cause: string | undefined): string {
    if (!isCause(cause)) return '';
    return this.locale.lang === 'en' ? CAUSES[cause].nameEn : CAUSES[cause].name;
  }

  private renderCourtStep() {
    return html`<label for="filing-court">${this.t('filing.court')}</label>
      <select id="filing-court" data-testid="filing-court" @change=${(e: Event) => this.edit((d) => (d.courtId = (e.currentTarget as HTMLSelectElement).value || undefined))}>
        ${this.courts.map((court) => html`<option value=${court.id} ?selected=${court.id === this.draft.courtId}>${this.locale.lang === 'en' && court.nameEn ? court.nameEn : court.name}</option>`)}
      </select>
      <label for="filing-cause">${this.t('filing.cause')}</label>
      <select id="filing-cause" data-testid="filing-cause" @change=${(e: Event) => this.edit((d) => (d.cause = (e.currentTarget as HTMLSelectElement).value))}>
        ${CAUSE_IDS.map((cause) => html`<option value=${cause} ?selected=${cause === this.draft.cause}>${this.causeName(cause)}</option>`)}
      </select>`;
  }

  private questionProblem(question: CauseQuestion): string | null {
    const problem = answerProblem(question, this.draft.causeFacts?.[question.id]);
    // "Required" is said once the filer has moved past the question, not while the form is blank.
    if (problem === null || (problem === 'required' && this.step === 'questions')) return null;
    return this.t(`filingForm.problem.${problem}` as MessageKey);
  }

  private renderQuestionsStep() {
    const cause = isCause(this.draft.cause) ? CAUSES[this.draft.cause] : null;
    if (!cause) return html`<p class="muted">${this.t('filingForm.chooseCause')}</p>`;
    const setAnswer = (id: string, value: string) => this.edit((d) => (d.causeFacts = { ...d.causeFacts, [id]: value }));
    return html`<p class="muted">${this.t('filingForm.questionsHint', { cause: this.causeName(cause.id) })}</p>
      ${cause.questions.map((question) => {
        const testid = `filing-question-${question.id}`;
        const label = `${this.locale.lang === 'en' ? question.label.en : question.label.zh}${question.required ? ' *' : ''}`;
        const value = this.draft.causeFacts?.[question.id];
        if (question.kind === 'choice') {
          return html`<label for=${testid}>${label}</label>
            <select id=${testid} data-testid=${testid} @change=${(e: Event) => setAnswer(question.id, (e.currentTarget as HTMLSelectElement).value)}>
              <option value="" ?selected=${!value}>—</option>
              ${(question.choices ?? []).map((c) => html`<option value=${c.value} ?selected=${c.value === value}>${this.locale.lang === 'en' ? c.en : c.zh}</option>`)}
            </select>`;
        }
        const answerProblemText = answerProblem(question, value);
        const shown = answerProblemText && answerProblemText !== 'required' ? this.t(`filingForm.problem.${answerProblemText}` as MessageKey) : null;
        return this.input(testid, label, value, (v) => setAnswer(question.id, v), {
          field: `causeFacts.${question.id}`,
          type: question.kind === 'date' ? 'date' : 'text',
          inputmode: question.kind === 'yuan' || question.kind === 'percent' ? 'decimal' : undefined,
          placeholder: question.kind === 'yuan' ? '12000.50' : undefined,
          problem: shown,
        } as { type?: string; inputmode?: string; placeholder?: string; problem?: string | null; field?: string });
      })}
      ${this.input('filing-knew-on', this.t('filingForm.knewOn'), this.draft.knewOn, (v) => this.edit((d) => (d.knewOn = v || undefined)), { type: 'date', field: 'knewOn' })}
      <p class="muted">${this.t('filingForm.knewOnHint')}</p>`;
  }

  /** One party of a side; the first keeps the plain test ids (filing-plaintiff-name), others carry their index. */
  private renderParty(side: 'plaintiffs' | 'defendants', index: number, legend: string) {
    const party = this.draft[side]?.[index] ?? {};
    const single = side === 'plaintiffs' ? 'filing-plaintiff' : 'filing-defendant';
    const prefix = index === 0 ? single : `${single}-${index}`;
    const path = `${side}.${index}`;
    const set = (key: keyof Party, value: string) =>
      this.edit((d) => {
        const list = [...(d[side] ?? [])];
        const current = { ...(list[index] ?? {}) } as Record<string, unknown>;
        if (value === '') delete current[key];
        else current[key] = value;
        list[index] = current as Party;
        d[side] = list;
      });
    const organisation = party.kind === 'organisation';
    const count = this.draft[side]?.length ?? 1;
    return html`<fieldset data-testid=${`${prefix}-block`} data-party=${path} class=${this.flagsFor(path).length ? 'flagged' : ''}>
      <legend>${legend}${count > 1 ? ` ${index + 1}` : ''}</legend>
      <div class="row">
        <div>${this.input(`${prefix}-name`, this.t('filingForm.name'), party.name, (v) => set('name', v), { field: `${path}.name` })}</div>
        <div>
          <label for=${`${prefix}-kind`}>${this.t('filingForm.kind')}</label>
          <select id=${`${prefix}-kind`} data-testid=${`${prefix}-kind`} @change=${(e: Event) => set('kind', (e.currentTarget as HTMLSelectElement).value)}>
            <option value="person" ?selected=${!organisation}>${this.t('case.kind.person')}</option>
            <option value="organisation" ?selected=${organisation}>${this.t('case.kind.organisation')}</option>
          </select>
        </div>
      </div>
      <div class="row">
        <div>${this.input(`${prefix}-id-number`, organisation ? this.t('filingForm.creditCode') : this.t('filingForm.idNumber'), party.idNumber, (v) => set('idNumber', v), { field: `${path}.idNumber` })}</div>
        <div>${this.input(`${prefix}-phone`, this.t('filingForm.phone'), party.phone, (v) => set('phone', v), { type: 'tel', field: `${path}.phone` })}</div>
      </div>
      ${this.input(`${prefix}-address`, this.t('filingForm.address'), party.address, (v) => set('address', v), { field: `${path}.address` })}
      ${this.input(`${prefix}-domicile`, this.t('filingForm.domicile'), party.domicile, (v) => set('domicile', v), { placeholder: '北京市朝阳区', field: `${path}.domicile` })}
      ${organisation ? this.input(`${prefix}-representative`, this.t('filingForm.legalRepresentative'), party.legalRepresentative, (v) => set('legalRepresentative', v)) : nothing}
      <div class="party-actions">
        <button type="button" class="secondary" data-testid=${`${prefix}-remove`} ?disabled=${count <= 1} @click=${() => this.edit((d) => (d[side] = (d[side] ?? []).filter((_, i) => i !== index)))}>
          ${this.t('filingForm.remove')}
        </button>
      </div>
    </fieldset>`;
  }

  private renderSide(side: 'plaintiffs' | 'defendants') {
    const parties = this.draft[side]?.length ? this.draft[side]! : [{}];
    const legend = this.t(side === 'plaintiffs' ? 'filing.plaintiff' : 'filing.defendant');
    return html`${parties.map((_, index) => this.renderParty(side, index, legend))}
      <div class="actions">
        <button type="button" class="secondary" data-testid=${`filing-${side}-add`} @click=${() => this.edit((d) => (d[side] = [...(d[side]?.length ? d[side]! : [{}]), { kind: 'person', name: '' }]))}>
          ${this.t(side === 'plaintiffs' ? 'filingForm.addPlaintiff' : 'filingForm.addDefendant')}
        </button>
      </div>`;
  }

  private renderPartiesStep() {
    const agent = this.draft.agent;
    const poa = this.materials.find((m) => m.id === agent?.powerOfAttorneyMaterialId);
    return html`${this.renderSide('plaintiffs')} ${this.renderSide('defendants')}
    ${agent
      ? html`<fieldset data-testid="filing-agent-block">
          <legend>${this.t('filingForm.agent')}</legend>
          <p>${agent.name}</p>
          ${this.input('filing-agent-licence', this.t('filingForm.licenceNumber'), agent.licenceNumber, (v) => this.edit((d) => (d.agent = { ...d.agent, licenceNumber: v })), { field: 'agent.licenceNumber' })}
          <label for="filing-agent-poa">${this.t('filingForm.powerOfAttorney')}</label>
          <input id="filing-agent-poa" data-testid="filing-agent-poa" type="file" accept="application/pdf,image/png,image/jpeg" @change=${this.onPowerOfAttorneyChosen} />
          ${poa
            ? html`<p class="ok" data-testid="filing-agent-poa-status">${this.t('filingForm.uploaded', { name: poa.name, pages: poa.pages })}</p>`
            : html`<p class="problem" data-testid="filing-agent-poa-status">${this.t('filingForm.powerOfAttorneyMissing')}</p>`}
          ${this.renderFlags('filing-agent-poa-flag', this.flagsFor('agent.powerOfAttorneyMaterialId'))}
        </fieldset>`
      : nothing}`;
  }

  private renderClaimsStep() {
    const claims = this.draft.claims ?? [];
    const setClaim = (index: number, key: 'text' | 'amount', value: string) =>
      this.edit((d) => {
        const list = [...(d.claims ?? [])];
        list[index] = { ...list[index], [key]: value };
        d.claims = list;
      });
    return html`<h3>${this.t('filing.claims')}</h3>
      ${claims.map(
        (claim, index) => html`<div class="claim" data-testid="filing-claim">
          <div>${this.input(`filing-claim-text-${index}`, `${index + 1}. ${this.t('filingForm.claimText')}`, claim.text, (v) => setClaim(index, 'text', v), { placeholder: this.t('filingForm.claimPlaceholder'), field: `claims.${index}.text` })}</div>
          <div>
            ${this.input(`filing-claim-amount-${index}`, this.t('filing.amount'), claim.amount, (v) => setClaim(index, 'amount', v), {
              inputmode: 'decimal',
              placeholder: '12000.50',
              problem: amountProblem(claim.amount) ? this.t('filing.amountInvalid') : null,
              field: `claims.${index}.amount`,
            })}
          </div>
          <button type="button" class="secondary" data-testid=${`filing-claim-remove-${index}`} ?disabled=${claims.length <= 1} @click=${() => this.edit((d) => (d.claims = (d.claims ?? []).filter((_, i) => i !== index)))}>
            ${this.t('filingForm.remove')}
          </button>
        </div>`,
      )}
      <div class="actions">
        <button type="button" class="secondary" data-testid="filing-claim-add" @click=${() => this.edit((d) => (d.claims = [...(d.claims ?? []), { text: '', amount: '' }]))}>${this.t('filingForm.addClaim')}</button>
      </div>
      <label for="filing-facts">${this.t('filing.facts')}</label>
      <textarea id="filing-facts" data-testid="filing-facts" rows="6" class=${this.flagsFor('facts').length ? 'flagged' : ''} .value=${this.draft.facts ?? ''} @input=${(e: Event) => this.edit((d) => (d.facts = (e.currentTarget as HTMLTextAreaElement).value))}></textarea>
      ${this.renderFlags('filing-facts-flag', this.flagsFor('facts'))} ${this.renderFlags('filing-claims-flag', (this.correction?.reasons ?? []).filter((r) => r.fields.includes('claims')))}`;
  }

  private renderEvidenceStep() {
    const evidence = this.draft.evidence ?? [];
    const setItem = (index: number, key: 'name' | 'purpose', value: string) =>
      this.edit((d) => {
        const list = [...(d.evidence ?? [])];
        list[index] = { ...list[index], [key]: value };
        d.evidence = list;
      });
    const bases = isCause(this.draft.cause) ? CAUSES[this.draft.cause].jurisdictionBases : JURISDICTION_BASES;
    const basis = this.draft.jurisdiction?.basis;
    return html`<h3>${this.t('filingForm.evidence')}</h3>
      ${evidence.map(
        (item, index) => html`<div class="row" data-testid="filing-evidence-item">
          <div>${this.input(`filing-evidence-name-${index}`, `${index + 1}. ${this.t('filingForm.evidenceName')}`, item.name, (v) => setItem(index, 'name', v), { field: `evidence.${index}.name` })}</div>
          <div>${this.input(`filing-evidence-purpose-${index}`, this.t('filingForm.evidencePurpose'), item.purpose, (v) => setItem(index, 'purpose', v), { field: `evidence.${index}.purpose` })}</div>
        </div>`,
      )}
      ${this.renderFlags('filing-evidence-flag', (this.correction?.reasons ?? []).filter((r) => r.fields.includes('evidence')))}
      <div class="actions">
        <button type="button" class="secondary" data-testid="filing-evidence-add" @click=${() => this.edit((d) => (d.evidence = [...(d.evidence ?? []), { name: '', purpose: '' }]))}>${this.t('filingForm.addEvidence')}</button>
      </div>
      <h3>${this.t('filingForm.jurisdiction')}</h3>
      <label for="filing-jurisdiction-basis">${this.t('filingForm.jurisdictionBasis')}</label>
      <select id="filing-jurisdiction-basis" data-testid="filing-jurisdiction-basis" @change=${(e: Event) => this.edit((d) => (d.jurisdiction = { ...d.jurisdiction, basis: (e.currentTarget as HTMLSelectElement).value as (typeof JURISDICTION_BASES)[number] }))}>
        ${bases.map((b) => html`<option value=${b} ?selected=${b === basis}>${this.t(`filingForm.basis.${b}` as MessageKey)}</option>`)}
      </select>
      ${this.input('filing-jurisdiction-place', this.t('filingForm.jurisdictionPlace'), this.draft.jurisdiction?.place, (v) => this.edit((d) => (d.jurisdiction = { ...d.jurisdiction, place: v })), { placeholder: '北京市朝阳区', field: 'jurisdiction.place' })}
      ${basis === 'agreedClause'
        ? html`<label for="filing-jurisdiction-clause">${this.t('filingForm.jurisdictionClause')}</label>
            <textarea id="filing-jurisdiction-clause" data-testid="filing-jurisdiction-clause" .value=${this.draft.jurisdiction?.clause ?? ''} @input=${(e: Event) => this.edit((d) => (d.jurisdiction = { ...d.jurisdiction, clause: (e.currentTarget as HTMLTextAreaElement).value }))}></textarea>`
        : nothing}`;
  }

  private renderServiceStep() {
    const addresses = this.draft.electronicService?.addresses ?? [];
    const valueOf = (kind: 'phone' | 'email') => addresses.find((a) => a.kind === kind)?.value ?? '';
    const setAddress = (kind: 'phone' | 'email', value: string) =>
      this.edit((d) => {
        const others = (d.electronicService?.addresses ?? []).filter((a) => a.kind !== kind);
        d.electronicService = { ...d.electronicService, addresses: value.trim() === '' ? others : [...others, { kind, value }] };
      });
    const blocker = consentBlocker(this.draft);
    return html`<p class="muted">${this.t('filingForm.serviceHint')}</p>
      ${this.input('filing-service-phone', this.t('filingForm.servicePhone'), valueOf('phone'), (v) => setAddress('phone', v), { type: 'tel' })}
      ${this.input('filing-service-email', this.t('filingForm.serviceEmail'), valueOf('email'), (v) => setAddress('email', v), { type: 'email' })}
      <label class="consent">
        <input
          type="checkbox"
          data-testid="filing-service-consent"
          .checked=${this.draft.electronicService?.consent === true}
          ?disabled=${blocker !== null}
          @change=${(e: Event) => this.edit((d) => (d.electronicService = { ...d.electronicService, consent: (e.currentTarget as HTMLInputElement).checked }))}
        />
        ${this.t('filingForm.serviceConsent')}
      </label>
      ${this.renderFlags('filing-service-flag', this.flagsFor('electronicService'))}
      ${blocker ? html`<p class="problem" data-testid="filing-service-blocked" data-reason=${blocker}>${this.t(`filingForm.consentBlocked.${blocker}` as MessageKey)}</p>` : nothing}`;
  }

  private renderMaterialsStep() {
    const required = isCause(this.draft.cause) ? CAUSES[this.draft.cause].requiredMaterials : [];
    const flags = this.flagsFor('materials');
    return html`<p class="muted">${this.t('filingForm.materialsHint')}</p>
      ${this.renderFlags('filing-materials-flag', flags)}
      <ul class=${flags.length ? 'flagged' : ''}>
        ${required.map((type) => {
          const present = this.materials.some((m) => m.type === type);
          return html`<li data-testid="filing-required-material" data-type=${type} data-present=${String(present)} class=${present ? 'ok' : 'problem'}>
            ${present ? '✓' : '✗'} ${this.t(`filingForm.material.${type}` as MessageKey)}${type === 'complaint' && !present ? html` — ${this.t('filingForm.complaintSignedAtReview')}` : nothing}
          </li>`;
        })}
      </ul>
      <div class="row">
        <div>
          <label for="filing-material-type">${this.t('filingForm.materialType')}</label>
          <select id="filing-material-type" data-testid="filing-material-type">
            ${MATERIAL_TYPES.filter((type) => type !== 'complaint').map((type) => html`<option value=${type}>${this.t(`filingForm.material.${type}` as MessageKey)}</option>`)}
          </select>
        </div>
        <div>
          <label for="filing-material-file">${this.t('filingForm.materialFile')}</label>
          <input id="filing-material-file" data-testid="filing-material-file" type="file" accept="application/pdf,image/png,image/jpeg" ?disabled=${this.busy} @change=${this.onMaterialChosen} />
        </div>
      </div>
      ${this.renderMaterialList()}`;
  }

  private renderMaterialList() {
    if (this.materials.length === 0) return html`<p class="muted" data-testid="filing-materials-empty">${this.t('filingForm.noMaterials')}</p>`;
    return html`<table data-testid="filing-materials">
      <thead>
        <tr><th>${this.t('filingForm.materialType')}</th><th>${this.t('filingForm.name')}</th><th>${this.t('filingForm.pages')}</th><th></th></tr>
      </thead>
      <tbody>
        ${this.materials.map(
          (m) => html`<tr data-testid="filing-material-row" data-type=${m.type} data-pages=${String(m.pages)} data-material-id=${m.id}>
            <td>${this.t(`filingForm.material.${m.type}` as MessageKey)}</td>
            <td>${m.name}</td>
            <td>${m.pages}</td>
            <td><button type="button" class="secondary" @click=${() => this.removeMaterial(m.id)}>${this.t('filingForm.remove')}</button></td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private renderReviewStep() {
    const signed = this.materials.find((m) => m.type === 'complaint');
    return html`<p class="muted">${this.t('filingForm.reviewHint')}</p>
      <div class="actions">
        <button type="button" class="secondary" data-testid="filing-complaint-preview" ?disabled=${this.busy} @click=${this.previewComplaint}>${this.t('filingForm.previewComplaint')}</button>
        <button type="button" data-testid="filing-complaint-sign" ?disabled=${this.busy || !this.complaintUrl} @click=${this.signComplaint}>${this.t('filingForm.signComplaint')}</button>
      </div>
      ${this.complaintMissing
        ? html`<div class="error" role="alert" data-testid="filing-complaint-missing">
            ${this.t('filingForm.complaintMissing')}
            <ul>${this.complaintMissing.map((f) => html`<li data-field=${f.field}>${f.field}: ${f.message}</li>`)}</ul>
          </div>`
        : nothing}
      ${this.complaintFailure ? html`<div class="error" role="alert" data-testid="filing-complaint-error">${errorText(this.locale.lang, this.complaintFailure, { withServerMessage: true })}</div>` : nothing}
      ${this.faceCheckDocument
        ? html`<p class="muted" data-testid="filing-face-check-needed">${this.t('filingForm.faceCheckToSign')}</p>
            <ecourt-identity-check
              purpose="signing"
              document-id=${this.faceCheckDocument}
              api-base=${this.apiBase}
              @identity-checked=${(event: CustomEvent<{ passed: boolean }>) => (event.detail.passed ? void this.signComplaint() : undefined)}
            ></ecourt-identity-check>`
        : nothing}
      ${signed ? html`<p class="ok" data-testid="filing-complaint-signed" data-material-id=${signed.id}>${this.t('filingForm.complaintSigned', { pages: signed.pages })}</p>` : nothing}
      ${this.complaintUrl
        ? html`<p><a data-testid="filing-complaint-link" href=${this.complaintUrl} target="_blank" rel="noopener">${this.t('filingForm.openComplaint')}</a></p>
            <iframe data-testid="filing-complaint-frame" title=${this.t('filingForm.complaint')} src=${this.complaintUrl}></iframe>`
        : nothing}
      <h3>${this.t('filingForm.materials')}</h3>
      ${this.renderMaterialList()}`;
  }

  private renderStep(): TemplateResult | typeof nothing {
    switch (this.step) {
      case 'court':
        return this.renderCourtStep();
      case 'questions':
        return this.renderQuestionsStep();
      case 'parties':
        return this.renderPartiesStep();
      case 'claims':
        return this.renderClaimsStep();
      case 'evidence':
        return this.renderEvidenceStep();
      case 'service':
        return this.renderServiceStep();
      case 'materials':
        return this.renderMaterialsStep();
      case 'review':
        return this.renderReviewStep();
    }
  }

  private renderFailure() {
    if (!this.failure) return nothing;
    const issues = ((this.failure as ApiError).details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? [];
    return html`<div class="error" role="alert" data-testid="filing-error">
      ${errorText(this.locale.lang, this.failure, { withServerMessage: true })}
      ${issues.length ? html`<ul>${issues.map((issue) => html`<li data-path=${issue.path}>${issue.path.replace(/^body\./, '')}: ${issue.message}</li>`)}</ul>` : nothing}
    </div>`;
  }

  override render() {
    const session = this.sessions.session;
    if (!session) return null;
    if (!(LITIGANT_ROLES as readonly string[]).includes(session.user.role)) {
      return html`<p class="muted" data-testid="filing-not-allowed">${this.t('filing.notAllowed')}</p>`;
    }
    if (this.result) {
      const result = this.result;
      return html`<ecourt-filing-result api-base=${this.apiBase} .filing=${result}></ecourt-filing-result>
        <div class="actions">
          ${result.status === 'returned' ? html`<button type="button" data-testid="filing-correct" @click=${() => this.startCorrection(result)}>${this.t('filingForm.correct')}</button>` : nothing}
          <button type="button" class="secondary" data-testid="filing-new" @click=${() => this.startNew()}>${this.t('filingForm.newFiling')}</button>
        </div>`;
    }
    const index = FILING_STEPS.indexOf(this.step);
    return html`<form @submit=${this.submit} data-testid="filing-form" data-step=${this.step} data-draft-id=${this.draftId ?? ''} novalidate>
      <h2>${this.t('filing.title')}</h2>
      <p class="muted">${this.t('filingForm.hint')} <span class="save-state" data-testid="filing-save-state" data-state=${this.saveState}>${this.t(`filingForm.save.${this.saveState}` as MessageKey)}</span></p>
      <nav class="steps" aria-label=${this.t('filingForm.steps')}>
        ${FILING_STEPS.map(
          (step, i) => html`<button
            type="button"
            class="secondary"
            data-testid=${`filing-goto-${step}`}
            data-flagged=${String(this.correction?.fields.some((field) => stepOfField(field) === step) ?? false)}
            aria-current=${step === this.step ? 'step' : 'false'}
            @click=${() => this.goTo(step)}
          >
            ${i + 1}. ${this.t(`filingForm.step.${step}` as MessageKey)}
          </button>`,
        )}
      </nav>
      ${this.renderCorrection()}
      <section data-testid=${`filing-step-${this.step}`}>
        <h3>${this.t(`filingForm.step.${this.step}` as MessageKey)}</h3>
        ${this.renderStep()}
      </section>
      ${this.notice ? html`<p class="muted" data-testid="filing-notice">${this.notice}</p>` : nothing}
      ${this.materialFailure ? html`<div class="error" role="alert" data-testid="filing-material-error">${errorText(this.locale.lang, this.materialFailure, { withServerMessage: true })}</div>` : nothing}
      ${this.renderFailure()}
      <div class="actions">
        ${index > 0 ? html`<button type="button" class="secondary" data-testid="filing-back" @click=${() => this.goTo(FILING_STEPS[index - 1]!)}>${this.t('filingForm.back')}</button>` : nothing}
        ${index < FILING_STEPS.length - 1
          ? html`<button type="button" data-testid="filing-next" @click=${() => this.goTo(FILING_STEPS[index + 1]!)}>${this.t('filingForm.next')}</button>`
          : html`<button type="submit" data-testid="filing-submit" ?disabled=${this.busy || !this.materials.some((m) => m.type === 'complaint')}>${this.busy ? this.t('filing.busy') : this.t(this.correction ? 'filingForm.resubmit' : 'filing.submit')}</button>`}
      </div>
    </form>`;
  }
}

/** What a returned filing asks to fix, in the form's terms (a reason without fields concerns the whole filing). */
function correctionOf(filing: FilingResultView): Correction {
  const correction = filing.correction ?? {};
  const reasons = (correction.reasons ?? []).map((reason) => ({
    ruleId: reason.ruleId ?? '',
    zh: reason.zh ?? reason.reason ?? reason.en ?? '',
    en: reason.en ?? reason.reason ?? reason.zh ?? '',
    fields: reason.fields ?? (reason.field ? [reason.field] : []),
  }));
  const fields = [...new Set([...(correction.fields ?? []), ...reasons.flatMap((reason) => reason.fields)])];
  return { filingId: filing.id, deadline: correction.deadline ?? '', fields, reasons };
}

/** Of the signed complaints a draft collected, the newest is the one that states the answers. */
function latestComplaintOnly(materials: MaterialView[]): MaterialView[] {
  const complaints = materials.filter((m) => m.type === 'complaint');
  const latest = complaints.at(-1);
  return materials.filter((m) => m.type !== 'complaint' || m === latest);
}
