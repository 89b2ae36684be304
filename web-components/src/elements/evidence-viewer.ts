// <ecourt-evidence-viewer evidence>: one evidence file (证据) — PDF pages drawn by pdf.js, or an
// image — under the case's shared annotations (批注) from the hub's /yjs endpoint: members draw
// highlights, rectangles, notes and stamps, comment on them and delete their own; everyone sees
// others' work live with its author and time. Court administrators look without drawing.
import { LitElement, html, css, nothing, type PropertyValues } from 'lit';
import * as Y from 'yjs';
import { ApiError, apiUrl } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { SessionController, type SessionUser } from '../session.ts';
import { baseStyles } from '../styles.ts';
import { errorText, formatDateTime } from '../format.ts';
import { isMessageKey, type MessageKey } from '../i18n.ts';
import { DocConnection, yjsUrl, type ConnectionStatus, type Refusal } from '../collab/doc-connection.ts';
import { getWithToken } from '../collab/hub-fetch.ts';
import {
  addAnnotation,
  annotationsMap,
  annotationsOf,
  commentOnAnnotation,
  regionBetween,
  removeAnnotation,
  type Annotation,
  type AnnotationAuthor,
  type AnnotationRegion,
  type AnnotationShape,
} from '../collab/annotation-doc.ts';
import { openPdf, PdfPageRenderer, type PDFDocumentProxy } from './evidence-viewer-pdf.ts';
import type { EvidenceListing } from './evidence-list.ts';

/** Who writes annotations; the hub enforces the same rule (hub/collab/access.ts: court admins read only). */
const WRITING_ROLES: ReadonlySet<string> = new Set(['judge', 'clerk', 'party', 'lawyer', 'institution']);
/** Who may change or delete anyone's annotation (besides its author). */
const EDITOR_ROLES: ReadonlySet<string> = new Set(['judge', 'clerk']);
const TOOLS = ['select', 'highlight', 'rectangle', 'note', 'stamp'] as const;
type Tool = (typeof TOOLS)[number];
const STAMPS = ['evidence.stamp.verified', 'evidence.stamp.disputed', 'evidence.stamp.original'] as const satisfies readonly MessageKey[];
const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;
/** Notes and stamps placed with a click get this size (page fractions). */
const CLICK_BOX = { note: { width: 0.22, height: 0.08 }, stamp: { width: 0.26, height: 0.07 } } as const;
/** A drag smaller than this (either side, page fraction) is a click, not a shape. */
const MIN_DRAG = 0.01;

/** A stable colour per user, as in the transcript editor. */
function colourOf(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return `hsl(${Math.abs(hash) % 360} 70% 38%)`;
}

/** GET of bytes with an explicit token (the element may be embedded with its own). */
async function fetchBytes(apiBase: string, path: string, token: string, signal: AbortSignal): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await fetch(apiUrl(apiBase, path), { headers: { authorization: `Bearer ${token}` }, signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', (error as Error).message);
  }
  if (!response.ok) {
    const payload = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
    throw new ApiError(response.status, payload?.error?.code ?? 'INTERNAL', payload?.error?.message ?? response.statusText);
  }
  return response.arrayBuffer();
}

export class EcourtEvidenceViewer extends LitElement {
  static override properties = {
    evidence: { type: String },
    hub: { type: String },
    apiBase: { type: String, attribute: 'api-base' },
    hubUrl: { type: String, attribute: 'hub-url' },
    token: { type: String },
    meta: { state: true },
    user: { state: true },
    status: { state: true },
    refusal: { state: true },
    failure: { state: true },
    annotations: { state: true },
    page: { state: true },
    pageCount: { state: true },
    zoom: { state: true },
    tool: { state: true },
    selectedId: { state: true },
    draft: { state: true },
    pageSize: { state: true },
    imageUrl: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      .head { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; justify-content: space-between; }
      .head h2 { margin: 0; overflow-wrap: anywhere; }
      .status[data-status='live'] { color: var(--ecourt-ok); border-color: var(--ecourt-ok); }
      .status[data-status='offline'], .status[data-status='closed'] { color: var(--ecourt-error); border-color: var(--ecourt-error); }
      .toolbar { display: flex; flex-wrap: wrap; gap: 0.4rem 0.75rem; align-items: center; margin: 0.6rem 0; }
      .group { display: flex; flex-wrap: wrap; gap: 0.25rem; align-items: center; }
      .toolbar button { min-height: 2.2rem; padding: 0.15rem 0.7rem; }
      .toolbar input, .toolbar select { width: auto; min-width: 8rem; padding: 0.25rem 0.4rem; }
      .toolbar label { display: inline; margin: 0; font-weight: 400; }
      .layout { display: grid; grid-template-columns: minmax(0, 1fr) 18rem; gap: 1rem; align-items: start; }
      .stage { overflow: auto; background: var(--ecourt-shade); border: 1px solid var(--ecourt-line); border-radius: 6px; padding: 0.75rem; min-height: 12rem; }
      .page { position: relative; margin: 0 auto; background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.25); }
      .page canvas, .page img { display: block; }
      .overlay { position: absolute; inset: 0; touch-action: none; }
      .overlay[data-drawing='true'] { cursor: crosshair; }
      .shape { position: absolute; border: 2px solid var(--peer); border-radius: 2px; }
      .overlay[data-drawing='true'] .shape { pointer-events: none; }
      .shape[data-shape='highlight'] { border: none; background: rgba(255, 214, 0, 0.38); mix-blend-mode: multiply; }
      .shape[data-shape='note'] { background: #fff7c2; border-color: #c9a400; color: #3b3000; font-size: 0.8rem; line-height: 1.3; padding: 0.15rem 0.3rem; overflow: hidden; }
      .shape[data-shape='stamp'] { border: 3px double #c00; color: #c00; font-weight: 700; display: flex; align-items: center; justify-content: center; text-align: center; font-size: 0.85rem; line-height: 1.1; background: rgba(255, 255, 255, 0.5); }
      .shape[data-selected='true'] { outline: 3px solid var(--ecourt-accent); outline-offset: 2px; }
      .shape .who { position: absolute; left: -2px; bottom: 100%; background: var(--peer); color: #fff; font-size: 0.7rem; line-height: 1.3; padding: 0 0.25rem; border-radius: 2px; white-space: nowrap; font-weight: 400; }
      .draft { position: absolute; border: 2px dashed var(--ecourt-accent); background: rgba(164, 22, 26, 0.08); pointer-events: none; }
      .panel h3 { margin-top: 0; }
      .panel ol { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.4rem; }
      .item { border: 1px solid var(--ecourt-line); border-left: 4px solid var(--peer); border-radius: 4px; padding: 0.35rem 0.5rem; background: var(--ecourt-surface); cursor: pointer; font-size: 0.9rem; }
      .item[aria-selected='true'] { border-color: var(--ecourt-accent); box-shadow: 0 0 0 1px var(--ecourt-accent); }
      .item .by { color: var(--ecourt-muted); font-size: 0.82rem; }
      .thread { margin-top: 0.75rem; }
      .thread ul { list-style: none; padding: 0; margin: 0.25rem 0; display: grid; gap: 0.35rem; }
      .thread li { background: var(--ecourt-shade); border-radius: 4px; padding: 0.3rem 0.5rem; font-size: 0.9rem; overflow-wrap: anywhere; }
      .thread textarea { min-height: 3.5rem; }
      .buttons { display: flex; gap: 0.5rem; margin-top: 0.5rem; flex-wrap: wrap; }
      @media (max-width: 860px) {
        .layout { grid-template-columns: minmax(0, 1fr); }
        .stage { padding: 0.4rem; }
      }
    `,
  ];

  declare evidence: string;
  declare hub: string;
  declare apiBase: string;
  declare hubUrl: string;
  declare token: string;
  declare meta: EvidenceListing | null;
  declare user: SessionUser | null;
  declare status: ConnectionStatus;
  declare refusal: Refusal | null;
  declare failure: unknown;
  declare annotations: Annotation[];
  declare page: number;
  declare pageCount: number;
  declare zoom: number;
  declare tool: Tool;
  declare selectedId: string | null;
  declare draft: AnnotationRegion | null;
  declare pageSize: { width: number; height: number } | null;
  declare imageUrl: string | null;

  private readonly locale = new LocaleController(this);
  private readonly sessions = new SessionController(this);
  private connection: DocConnection | null = null;
  private connectionKey: string | null = null;
  private ydoc: Y.Doc | null = null;
  private aborter: AbortController | null = null;
  private pdf: PDFDocumentProxy | null = null;
  private readonly renderer = new PdfPageRenderer();
  private dragStart: { x: number; y: number; pointerId: number } | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private stageWidth = 0;
  private noteText = '';
  private stampKey: (typeof STAMPS)[number] = 'evidence.stamp.verified';

  constructor() {
    super();
    this.evidence = '';
    this.hub = '';
    this.apiBase = '';
    this.hubUrl = '';
    this.token = '';
    this.meta = null;
    this.user = null;
    this.status = 'connecting';
    this.refusal = null;
    this.failure = null;
    this.annotations = [];
    this.page = 1;
    this.pageCount = 1;
    this.zoom = 1;
    this.tool = 'select';
    this.selectedId = null;
    this.draft = null;
    this.pageSize = null;
    this.imageUrl = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver?.observe(this);
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.stop();
  }

  /** Where the API is: `api-base`, else `hub` (one attribute for a court's page embedding us), else this origin. */
  private get api(): string {
    return this.apiBase || this.hub;
  }

  get canDraw(): boolean {
    return this.user !== null && WRITING_ROLES.has(this.user.role) && this.ydoc !== null;
  }

  private mayDelete(annotation: Annotation): boolean {
    return this.canDraw && (annotation.author.userId === this.user?.id || EDITOR_ROLES.has(this.user?.role ?? ''));
  }

  private get author(): AnnotationAuthor | null {
    return this.user ? { userId: this.user.id, role: this.user.role, displayName: this.user.displayName } : null;
  }

  override willUpdate(): void {
    const token = this.sessions.effectiveToken(this.token);
    const key = this.isConnected && token && this.evidence ? `${token}|${this.evidence}|${this.hubUrl}|${this.api}` : null;
    if (key === this.connectionKey) return;
    this.stop();
    this.connectionKey = key;
    if (key && token) void this.start(token, key);
  }

  private async start(token: string, key: string): Promise<void> {
    const aborter = new AbortController();
    this.aborter = aborter;
    const { signal } = aborter;
    try {
      const [user, { evidence: meta }] = await Promise.all([
        this.token ? getWithToken<{ user: SessionUser }>(this.api, '/api/v1/me', token, signal).then((reply) => reply.user) : Promise.resolve(this.sessions.session!.user),
        getWithToken<{ evidence: EvidenceListing }>(this.api, `/api/v1/evidence/${encodeURIComponent(this.evidence)}`, token, signal),
      ]);
      if (this.connectionKey !== key) return;
      this.user = user;
      this.meta = meta;
      // The annotations connect while the file downloads.
      this.connection = new DocConnection({
        // A site embedding us with a cross-origin API has its hub there too, unless told otherwise.
        url: yjsUrl(this.hubUrl || this.api),
        docName: meta.annotationsDoc,
        token,
        onDoc: (doc) => this.attach(doc),
        onStatus: (status) => (this.status = status),
        onRefusal: (refusal) => (this.refusal = refusal),
      });
      const bytes = await fetchBytes(this.api, meta.contentPath, token, signal);
      if (this.connectionKey !== key) return;
      if (meta.mimeType === 'application/pdf') {
        const pdf = await openPdf(bytes);
        if (this.connectionKey !== key) {
          void pdf.destroy();
          return;
        }
        this.pdf = pdf;
        this.pageCount = pdf.numPages;
        // The document is not reactive state: ask for the update that draws its page.
        this.requestUpdate();
      } else {
        this.pageCount = 1;
        this.imageUrl = URL.createObjectURL(new Blob([bytes], { type: meta.mimeType }));
      }
    } catch (error) {
      if (this.connectionKey === key && (error as Error).name !== 'AbortError') this.failure = error;
    }
  }

  private stop(): void {
    this.aborter?.abort();
    this.aborter = null;
    this.connection?.destroy();
    this.connection = null;
    this.ydoc = null;
    this.connectionKey = null;
    this.renderer.cancel();
    void this.pdf?.destroy();
    this.pdf = null;
    if (this.imageUrl) URL.revokeObjectURL(this.imageUrl);
    this.imageUrl = null;
    this.meta = null;
    this.annotations = [];
    this.status = 'connecting';
    this.refusal = null;
    this.failure = null;
    this.selectedId = null;
    this.draft = null;
    this.pageSize = null;
    this.page = 1;
    this.pageCount = 1;
  }

  /** A new Y.Doc (first open, or after the server refused our update): observe it and show it. */
  private attach(doc: Y.Doc): void {
    this.ydoc = doc;
    const refresh = () => {
      if (this.ydoc !== doc) return;
      this.annotations = annotationsOf(doc);
      if (this.selectedId && !this.annotations.some((a) => a.id === this.selectedId)) this.selectedId = null;
    };
    annotationsMap(doc).observeDeep(refresh);
    refresh();
  }

  override firstUpdated(): void {
    // Fit-to-width follows the space the host page gives us (phones, side panels of a court's site).
    this.resizeObserver = new ResizeObserver(() => {
      const stage = this.renderRoot.querySelector<HTMLElement>('.stage');
      const width = stage ? stage.clientWidth : 0;
      if (width > 0 && Math.abs(width - this.stageWidth) > 4) {
        this.stageWidth = width;
        this.requestUpdate();
      }
    });
    this.resizeObserver.observe(this);
  }

  override updated(_changed: PropertyValues): void {
    const stage = this.renderRoot.querySelector<HTMLElement>('.stage');
    if (stage && this.stageWidth === 0) this.stageWidth = stage.clientWidth;
    if (this.pdf) void this.renderPdfPage();
    else this.sizeImage();
  }

  /** CSS width of the page: the stage's width (less padding) times the zoom. */
  private pageWidth(): number {
    const available = Math.max(200, this.stageWidth - 26);
    return Math.round(available * this.zoom);
  }

  private async renderPdfPage(): Promise<void> {
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas[data-testid="evidence-canvas"]');
    if (!this.pdf || !canvas) return;
    const width = this.pageWidth();
    const key = `${this.page}|${width}`;
    // Keyed on the canvas itself: a new canvas element (re-render of the view) is drawn again.
    if (canvas.dataset.renderKey === key) return;
    canvas.dataset.renderKey = key;
    const pdf = this.pdf;
    try {
      const size = await this.renderer.render(pdf, this.page, canvas, width);
      if (size && this.pdf === pdf) {
        this.pageSize = size;
        canvas.dataset.renderedPage = String(this.page);
      }
    } catch (error) {
      if (this.pdf === pdf) this.failure = error;
    }
  }

  /** An image fills the stage's width (times the zoom), but small scans are not blown up beyond 4×. */
  private sizeImage(): void {
    const image = this.renderRoot.querySelector<HTMLImageElement>('img[data-testid="evidence-image"]');
    if (!image || !image.complete || image.naturalWidth === 0) return;
    const width = Math.min(this.pageWidth(), Math.round(image.naturalWidth * 4 * this.zoom));
    const height = Math.round((image.naturalHeight / image.naturalWidth) * width);
    if (this.pageSize?.width !== width || this.pageSize.height !== height) this.pageSize = { width, height };
  }

  // ——— drawing ———

  private fractionOf(event: PointerEvent): { x: number; y: number } {
    const box = (event.currentTarget as HTMLElement).getBoundingClientRect();
    return { x: Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)), y: Math.min(1, Math.max(0, (event.clientY - box.top) / box.height)) };
  }

  private onPointerDown(event: PointerEvent): void {
    if (this.tool === 'select' || !this.canDraw || event.button !== 0) return;
    event.preventDefault();
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    const point = this.fractionOf(event);
    this.dragStart = { ...point, pointerId: event.pointerId };
    this.draft = regionBetween(point, point);
  }

  private onPointerMove(event: PointerEvent): void {
    if (!this.dragStart || event.pointerId !== this.dragStart.pointerId) return;
    this.draft = regionBetween(this.dragStart, this.fractionOf(event));
  }

  private onPointerUp(event: PointerEvent): void {
    if (!this.dragStart || event.pointerId !== this.dragStart.pointerId) return;
    const region = regionBetween(this.dragStart, this.fractionOf(event));
    this.dragStart = null;
    this.draft = null;
    const shape = this.tool as AnnotationShape;
    const small = region.width < MIN_DRAG || region.height < MIN_DRAG;
    let placed: AnnotationRegion | null = region;
    if (small) {
      // Notes and stamps may be placed with a click; a highlight or a box needs an area.
      const box = shape === 'note' || shape === 'stamp' ? CLICK_BOX[shape] : null;
      placed = box
        ? { x: Math.min(region.x, 1 - box.width), y: Math.min(region.y, 1 - box.height), width: box.width, height: box.height }
        : null;
    }
    if (!placed || !this.ydoc || !this.author) return;
    const text = shape === 'note' ? this.noteText.trim() : shape === 'stamp' ? this.locale.t(this.stampKey) : undefined;
    const id = addAnnotation(this.ydoc, this.author, { shape, page: this.page, region: placed, ...(text ? { text } : {}) });
    this.selectedId = id;
  }

  private onPointerCancel(): void {
    this.dragStart = null;
    this.draft = null;
  }

  private select(annotation: Annotation): void {
    this.selectedId = annotation.id;
    if (annotation.page !== this.page) this.goTo(annotation.page);
  }

  private goTo(page: number): void {
    const next = Math.min(this.pageCount, Math.max(1, page));
    if (next === this.page) return;
    this.page = next;
    this.draft = null;
    this.dragStart = null;
  }

  private setZoom(step: 1 | -1): void {
    const index = ZOOMS.indexOf(this.zoom as (typeof ZOOMS)[number]);
    const next = ZOOMS[Math.min(ZOOMS.length - 1, Math.max(0, (index < 0 ? 2 : index) + step))]!;
    this.zoom = next;
  }

  private submitComment(annotationId: string, event: SubmitEvent): void {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const text = String(new FormData(form).get('comment') ?? '').trim();
    if (!text || !this.ydoc || !this.author) return;
    if (commentOnAnnotation(this.ydoc, annotationId, this.author, text) !== null) form.reset();
  }

  private deleteAnnotation(annotation: Annotation): void {
    if (!this.ydoc || !this.mayDelete(annotation)) return;
    removeAnnotation(this.ydoc, annotation.id);
    this.selectedId = null;
  }

  // ——— view ———

  private roleName(role: string): string {
    const key = `role.${role}`;
    return isMessageKey(key) ? this.locale.t(key) : role;
  }

  private shapeName(shape: string): string {
    const key = `evidence.tool.${shape}`;
    return isMessageKey(key) ? this.locale.t(key) : shape;
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    if (!this.sessions.effectiveToken(this.token)) return null;
    if (this.failure) {
      const code = (this.failure as Partial<ApiError>).code ?? 'INTERNAL';
      return html`<div class="error" role="alert" data-testid="evidence-error" data-code=${code}>${errorText(lang, this.failure, { withServerMessage: true })}</div>`;
    }
    const meta = this.meta;
    if (!meta) return html`<p class="muted">${t('evidence.loading')}</p>`;
    return html`<div class="card" data-testid="evidence-viewer" data-evidence-id=${meta.id} data-can-draw=${String(this.canDraw)} data-page=${this.page}>
      <div class="head">
        <h2 data-testid="evidence-title">${meta.title}</h2>
        <span class="badge status" data-testid="evidence-status" data-status=${this.status}>${t(`evidence.status.${this.status}`)}</span>
      </div>
      ${this.refusal ? this.renderRefusal(this.refusal) : nothing}
      <p class="muted">${this.canDraw ? t('evidence.drawHint') : t('evidence.readOnly')}</p>
      ${this.renderToolbar()}
      <div class="layout">
        <div class="stage">${this.renderPage(meta)}</div>
        <div class="panel">${this.renderPanel()}</div>
      </div>
    </div>`;
  }

  private renderRefusal(refusal: Refusal) {
    const t = this.locale.t.bind(this.locale);
    const message = errorText(this.locale.lang, { code: refusal.code });
    return html`<div class="error" role="alert" data-testid="evidence-refusal" data-code=${refusal.code}>
      ${refusal.closeCode ? t('evidence.closed', { message, code: refusal.code }) : t('evidence.refused', { code: refusal.code })}
    </div>`;
  }

  private renderToolbar() {
    const t = this.locale.t.bind(this.locale);
    return html`<div class="toolbar">
      ${this.canDraw
        ? html`<div class="group" role="toolbar" aria-label=${t('evidence.tools')}>
            ${TOOLS.map(
              (tool) => html`<button type="button" class=${this.tool === tool ? '' : 'secondary'} data-testid=${`tool-${tool}`} aria-pressed=${String(this.tool === tool)}
                @click=${() => (this.tool = tool)}>${t(`evidence.tool.${tool}`)}</button>`,
            )}
          </div>
          ${this.tool === 'note'
            ? html`<div class="group"><label for="note-text">${t('evidence.noteText')}</label>
                <input id="note-text" data-testid="note-text" .value=${this.noteText} @input=${(e: InputEvent) => (this.noteText = (e.currentTarget as HTMLInputElement).value)} /></div>`
            : nothing}
          ${this.tool === 'stamp'
            ? html`<div class="group"><label for="stamp-label">${t('evidence.stampLabel')}</label>
                <select id="stamp-label" data-testid="stamp-label" @change=${(e: Event) => (this.stampKey = (e.currentTarget as HTMLSelectElement).value as (typeof STAMPS)[number])}>
                  ${STAMPS.map((key) => html`<option value=${key} ?selected=${key === this.stampKey}>${t(key)}</option>`)}
                </select></div>`
            : nothing}`
        : nothing}
      <div class="group">
        <button type="button" class="secondary" data-testid="page-prev" aria-label=${t('evidence.prev')} ?disabled=${this.page <= 1} @click=${() => this.goTo(this.page - 1)}>‹</button>
        <span data-testid="page-number">${t('evidence.page', { page: this.page, count: this.pageCount })}</span>
        <button type="button" class="secondary" data-testid="page-next" aria-label=${t('evidence.next')} ?disabled=${this.page >= this.pageCount} @click=${() => this.goTo(this.page + 1)}>›</button>
      </div>
      <div class="group">
        <button type="button" class="secondary" data-testid="zoom-out" aria-label=${t('evidence.zoomOut')} ?disabled=${this.zoom <= ZOOMS[0]} @click=${() => this.setZoom(-1)}>−</button>
        <span data-testid="zoom">${Math.round(this.zoom * 100)}%</span>
        <button type="button" class="secondary" data-testid="zoom-in" aria-label=${t('evidence.zoomIn')} ?disabled=${this.zoom >= ZOOMS[ZOOMS.length - 1]!} @click=${() => this.setZoom(1)}>+</button>
      </div>
    </div>`;
  }

  private renderPage(meta: EvidenceListing) {
    const t = this.locale.t.bind(this.locale);
    const size = this.pageSize;
    const style = size ? `width:${size.width}px;height:${size.height}px` : '';
    const media =
      meta.mimeType === 'application/pdf'
        ? html`<canvas data-testid="evidence-canvas" role="img" aria-label=${t('evidence.canvas', { page: this.page })}></canvas>`
        : this.imageUrl
          ? html`<img data-testid="evidence-image" src=${this.imageUrl} alt=${meta.title} style=${size ? `width:${size.width}px` : 'max-width:100%'} @load=${() => this.sizeImage()} />`
          : nothing;
    const onPage = this.annotations.filter((a) => a.page === this.page);
    const drawing = this.canDraw && this.tool !== 'select';
    return html`<div class="page" style=${style}>
      ${media}
      ${size
        ? html`<div class="overlay" data-testid="annotation-overlay" data-drawing=${String(drawing)}
            @pointerdown=${this.onPointerDown} @pointermove=${this.onPointerMove} @pointerup=${this.onPointerUp} @pointercancel=${this.onPointerCancel}>
            ${onPage.map((annotation) => this.renderShape(annotation))}
            ${this.draft ? html`<div class="draft" data-testid="annotation-draft" style=${this.boxStyle(this.draft)}></div>` : nothing}
          </div>`
        : nothing}
    </div>`;
  }

  private boxStyle(region: AnnotationRegion): string {
    return `left:${region.x * 100}%;top:${region.y * 100}%;width:${region.width * 100}%;height:${region.height * 100}%`;
  }

  private renderShape(annotation: Annotation) {
    const selected = annotation.id === this.selectedId;
    return html`<div class="shape" data-testid="annotation" data-annotation-id=${annotation.id} data-shape=${annotation.shape} data-author-id=${annotation.author.userId}
      data-selected=${String(selected)} title=${`${annotation.author.displayName} · ${formatDateTime(this.locale.lang, annotation.createdAt)}`}
      style=${`${this.boxStyle(annotation.region)};--peer:${annotation.color ?? colourOf(annotation.author.userId)}`}
      @pointerdown=${(event: PointerEvent) => {
        if (this.tool !== 'select' && this.canDraw) return;
        event.stopPropagation();
        this.select(annotation);
      }}>
      ${annotation.shape === 'note' || annotation.shape === 'stamp' ? annotation.text ?? '' : nothing}
      <span class="who" data-testid="annotation-author">${annotation.author.displayName}</span>
    </div>`;
  }

  private renderPanel() {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    const selected = this.annotations.find((a) => a.id === this.selectedId) ?? null;
    return html`<h3>${t('evidence.annotations')}</h3>
      ${this.annotations.length === 0
        ? html`<p class="muted" data-testid="no-annotations">${t('evidence.noAnnotations')}</p>`
        : html`<ol data-testid="annotation-list">
            ${this.annotations.map(
              (annotation) => html`<li class="item" data-testid="annotation-item" data-annotation-id=${annotation.id} role="option" tabindex="0"
                aria-selected=${String(annotation.id === this.selectedId)} style=${`--peer:${annotation.color ?? colourOf(annotation.author.userId)}`}
                @click=${() => this.select(annotation)} @keydown=${(event: KeyboardEvent) => (event.key === 'Enter' || event.key === ' ') && this.select(annotation)}>
                <div>${t('evidence.annotationLine', { page: annotation.page, shape: this.shapeName(annotation.shape) })}${annotation.comments.length > 0 ? ` · ${t('evidence.commentCount', { count: annotation.comments.length })}` : ''}</div>
                <div class="by" data-testid="annotation-by">${t('evidence.by', { name: annotation.author.displayName, role: this.roleName(annotation.author.role), time: formatDateTime(lang, annotation.createdAt) })}</div>
              </li>`,
            )}
          </ol>`}
      ${selected ? this.renderThread(selected) : nothing}`;
  }

  private renderThread(annotation: Annotation) {
    const t = this.locale.t.bind(this.locale);
    const lang = this.locale.lang;
    return html`<div class="thread" data-testid="annotation-thread" data-annotation-id=${annotation.id}>
      <strong>${t('evidence.comments')}</strong>
      ${annotation.text ? html`<p data-testid="annotation-text">${annotation.text}</p>` : nothing}
      ${annotation.comments.length === 0
        ? html`<p class="muted">${t('evidence.noComments')}</p>`
        : html`<ul>
            ${annotation.comments.map(
              (comment) => html`<li data-testid="comment" data-author-id=${comment.author.userId}>
                <div class="by muted">${t('evidence.by', { name: comment.author.displayName, role: this.roleName(comment.author.role), time: formatDateTime(lang, comment.at) })}</div>
                <div data-testid="comment-text">${comment.text}</div>
              </li>`,
            )}
          </ul>`}
      ${this.canDraw
        ? html`<form @submit=${(event: SubmitEvent) => this.submitComment(annotation.id, event)}>
            <label for="comment">${t('evidence.comment')}</label>
            <textarea id="comment" name="comment" data-testid="comment-input" required></textarea>
            <div class="buttons">
              <button type="submit" data-testid="comment-submit">${t('evidence.commentSubmit')}</button>
              ${this.mayDelete(annotation)
                ? html`<button type="button" class="secondary" data-testid="annotation-delete" @click=${() => this.deleteAnnotation(annotation)}>${t('evidence.delete')}</button>`
                : nothing}
            </div>
          </form>`
        : nothing}
    </div>`;
  }
}
