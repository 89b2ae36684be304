// <ecourt-portal>: the demo court's website: header with the court's name, navigation, language
// switch, homepage sections, and hash routes (#/, #/login, #/cases, #/cases/<id>,
// #/cases/<id>/hearings/<hearingId>/transcript, #/cases/<id>/hearings/<hearingId>/room,
// #/cases/<id>/evidence/<evidenceId>, #/file, #/verify — 文书验证, open to everyone; #/inbox — 站内信,
// #/filing-queue — 立案审查 for court staff).
import { LitElement, html, css, nothing } from 'lit';
import { callApi } from '../api.ts';
import { LocaleController, setLang } from '../locale.ts';
import { SessionController, setSession } from '../session.ts';
import { baseStyles } from '../styles.ts';
import { homeContent, PROCESS_STEPS, stepKey, isMessageKey } from '../i18n.ts';
import type { Court } from '../types.ts';
import { isCourtStaff, LITIGANT_ROLES } from '../../../platform/roles.ts';
import { transcriptDocName } from '../../../hub/collab/doc-names.ts';

type Route =
  | { page: 'home' }
  | { page: 'login' }
  | { page: 'oauth' }
  | { page: 'cases' }
  | { page: 'case'; caseId: string }
  | { page: 'transcript'; caseId: string; hearingId: string }
  | { page: 'hearingRoom'; caseId: string; hearingId: string }
  | { page: 'evidence'; caseId: string; evidenceId: string }
  | { page: 'file' }
  | { page: 'inbox' }
  | { page: 'filingQueue' }
  | { page: 'verify' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/';
  if (path === '/login') return { page: 'login' };
  // The hub's redirect after an external sign-in (第三方登录): "#/oauth?ticket=…" or "?pending=…".
  if (path === '/oauth' || path.startsWith('/oauth?')) return { page: 'oauth' };
  if (path === '/cases') return { page: 'cases' };
  if (path === '/file') return { page: 'file' };
  if (path === '/inbox') return { page: 'inbox' };
  if (path === '/filing-queue') return { page: 'filingQueue' };
  // "#/verify?code=…": the address in the QR code printed on a court document (the page reads the code).
  if (path === '/verify' || path.startsWith('/verify?')) return { page: 'verify' };
  const transcriptMatch = /^\/cases\/([^/]+)\/hearings\/([^/]+)\/transcript$/.exec(path);
  if (transcriptMatch?.[1] && transcriptMatch[2]) {
    return { page: 'transcript', caseId: decodeURIComponent(transcriptMatch[1]), hearingId: decodeURIComponent(transcriptMatch[2]) };
  }
  const roomMatch = /^\/cases\/([^/]+)\/hearings\/([^/]+)\/room$/.exec(path);
  if (roomMatch?.[1] && roomMatch[2]) {
    return { page: 'hearingRoom', caseId: decodeURIComponent(roomMatch[1]), hearingId: decodeURIComponent(roomMatch[2]) };
  }
  const evidenceMatch = /^\/cases\/([^/]+)\/evidence\/([^/]+)$/.exec(path);
  if (evidenceMatch?.[1] && evidenceMatch[2]) {
    return { page: 'evidence', caseId: decodeURIComponent(evidenceMatch[1]), evidenceId: decodeURIComponent(evidenceMatch[2]) };
  }
  const caseMatch = /^\/cases\/([^/]+)$/.exec(path);
  if (caseMatch?.[1]) return { page: 'case', caseId: decodeURIComponent(caseMatch[1]) };
  return { page: 'home' };
}

export class EcourtPortal extends LitElement {
  static override properties = {
    apiBase: { type: String, attribute: 'api-base' },
    courtCode: { type: String, attribute: 'court-code' },
    court: { state: true },
    route: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      :host { background: var(--ecourt-shade); min-height: 100vh; }
      header { background: linear-gradient(180deg, var(--ecourt-accent) 0%, var(--ecourt-accent-dark) 100%); color: #fff; }
      .bar { max-width: 72rem; margin: 0 auto; padding: 0.9rem 1rem; display: flex; align-items: center; gap: 0.9rem; flex-wrap: wrap; }
      .emblem { width: 2.6rem; height: 2.6rem; flex: none; }
      .names { flex: 1 1 14rem; min-width: 0; }
      .names h1 { margin: 0; font-size: 1.45rem; letter-spacing: 0.05em; line-height: 1.3; }
      .names p { margin: 0; opacity: 0.85; font-size: 0.9rem; }
      .lang { background: transparent; border-color: rgba(255, 255, 255, 0.7); color: #fff; min-height: 2.2rem; padding: 0.2rem 0.8rem; }
      nav { background: var(--ecourt-accent-dark); }
      nav ul { max-width: 72rem; margin: 0 auto; padding: 0 0.5rem; list-style: none; display: flex; flex-wrap: wrap; }
      nav a, nav button.link { display: block; color: #fff; text-decoration: none; padding: 0.6rem 0.9rem; background: none; border: none; min-height: 0; border-radius: 0; }
      nav a[aria-current='page'] { background: rgba(255, 255, 255, 0.16); }
      nav .user { margin-left: auto; color: rgba(255, 255, 255, 0.85); padding: 0.6rem 0.9rem; font-size: 0.9rem; }
      main { max-width: 72rem; margin: 0 auto; padding: 1.25rem 1rem 2rem; }
      .grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 1rem; }
      .wide { grid-column: 1 / -1; }
      .steps { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 0.75rem; counter-reset: step; }
      .steps li { counter-increment: step; border-top: 4px solid var(--ecourt-accent); padding-top: 0.4rem; }
      .steps li strong::before { content: counter(step) '. '; color: var(--ecourt-accent); }
      .steps li p { margin: 0.2rem 0 0; font-size: 0.92rem; color: var(--ecourt-muted); }
      .news { list-style: none; padding: 0; margin: 0; }
      .news li { padding: 0.5rem 0; border-bottom: 1px dashed var(--ecourt-line); }
      .news time { color: var(--ecourt-muted); font-size: 0.85rem; margin-right: 0.5rem; }
      .news p { margin: 0.2rem 0 0; font-size: 0.92rem; }
      .cta { display: flex; gap: 0.75rem; flex-wrap: wrap; align-items: center; }
      .cta a.button { background: var(--ecourt-accent); color: #fff; padding: 0.5rem 1.1rem; border-radius: 4px; text-decoration: none; }
      footer { text-align: center; color: var(--ecourt-muted); font-size: 0.85rem; padding: 1.5rem 1rem; }
      @media (max-width: 720px) {
        .grid { grid-template-columns: 1fr; }
        .steps { grid-template-columns: repeat(2, minmax(0, 1fr)); }
        .names h1 { font-size: 1.2rem; }
        nav .user { margin-left: 0; width: 100%; padding-top: 0; }
      }
    `,
  ];

  declare apiBase: string;
  declare courtCode: string;
  declare court: Court | null;
  declare route: Route;

  private readonly locale = new LocaleController(this);
  private readonly sessions = new SessionController(this);
  private readonly onHashChange = () => (this.route = parseRoute(window.location.hash));

  constructor() {
    super();
    this.apiBase = '';
    this.courtCode = '';
    this.court = null;
    this.route = parseRoute(window.location.hash);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    this.onHashChange();
    void this.loadCourt();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHashChange);
  }

  private async loadCourt(): Promise<void> {
    try {
      const { courts } = await callApi<{ courts: Court[] }>(this.apiBase, '/api/v1/courts', { auth: false });
      this.court = courts.find((court) => court.code === this.courtCode) ?? courts[0] ?? null;
    } catch (error) {
      // The header falls back to the platform's name; the pages show their own errors.
      console.warn('ecourt: could not load the court', error);
    }
  }

  override updated(): void {
    // The portal is the whole page, so it owns the page's title and language (embedded
    // elements leave the host site's alone).
    document.title = `${this.courtName()} · ${this.locale.t('site.title')}`;
    document.documentElement.lang = this.locale.lang === 'zh' ? 'zh-CN' : 'en';
  }

  private courtName(): string {
    if (!this.court) return this.locale.t('site.title');
    return this.locale.lang === 'en' && this.court.nameEn ? this.court.nameEn : this.court.name;
  }

  private go(hash: string): void {
    if (window.location.hash === hash) this.onHashChange();
    else window.location.hash = hash;
  }

  private logout(): void {
    setSession(null);
    this.go('#/');
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    const session = this.sessions.session;
    const page = this.route.page;
    const canFile = session !== null && (LITIGANT_ROLES as readonly string[]).includes(session.user.role);
    const roleKey = session ? `role.${session.user.role}` : '';
    return html`
      <header>
        <div class="bar">
          <svg class="emblem" viewBox="0 0 48 48" aria-hidden="true">
            <circle cx="24" cy="24" r="22" fill="none" stroke="#f4d03f" stroke-width="2.5" />
            <path d="M24 9v30M14 39h20M11 17h26M11 17l-5 11h10zM37 17l-5 11h10z" fill="none" stroke="#f4d03f" stroke-width="2.2" stroke-linejoin="round" />
          </svg>
          <div class="names">
            <h1 data-testid="court-name">${this.courtName()}</h1>
            <p>${this.court ? t('site.title') : t('site.subtitle')}</p>
          </div>
          <button class="lang" type="button" data-testid="lang-switch" aria-label=${t('lang.switchLabel')}
            @click=${() => setLang(this.locale.lang === 'zh' ? 'en' : 'zh')}>${t('lang.switch')}</button>
        </div>
        <nav aria-label=${t('nav.menu')}>
          <ul>
            <li><a href="#/" data-testid="nav-home" aria-current=${page === 'home' ? 'page' : 'false'}>${t('nav.home')}</a></li>
            ${session
              ? html`<li><a href="#/cases" data-testid="nav-cases" aria-current=${page === 'cases' || page === 'case' || page === 'transcript' || page === 'hearingRoom' || page === 'evidence' ? 'page' : 'false'}>${t('nav.cases')}</a></li>`
              : nothing}
            ${canFile ? html`<li><a href="#/file" data-testid="nav-file" aria-current=${page === 'file' ? 'page' : 'false'}>${t('nav.file')}</a></li>` : nothing}
            ${session ? html`<li><a href="#/inbox" data-testid="nav-inbox" aria-current=${page === 'inbox' ? 'page' : 'false'}>${t('nav.inbox')}</a></li>` : nothing}
            ${session && isCourtStaff(session.user.role) ? html`<li><a href="#/filing-queue" data-testid="nav-filing-queue" aria-current=${page === 'filingQueue' ? 'page' : 'false'}>${t('nav.filingQueue')}</a></li>` : nothing}
            <li><a href="#/verify" data-testid="nav-verify" aria-current=${page === 'verify' ? 'page' : 'false'}>${t('nav.verify')}</a></li>
            ${session
              ? html`<li><button class="link" type="button" data-testid="nav-logout" @click=${this.logout}>${t('nav.logout')}</button></li>
                  <li class="user" data-testid="signed-in-user">
                    ${t('user.signedInAs', { name: session.user.displayName, role: isMessageKey(roleKey) ? t(roleKey) : session.user.role })}
                  </li>`
              : html`<li><a href="#/login" data-testid="nav-login" aria-current=${page === 'login' ? 'page' : 'false'}>${t('nav.login')}</a></li>`}
          </ul>
        </nav>
      </header>
      <main>${this.renderPage()}</main>
      <footer>${t('footer.text')}</footer>
    `;
  }

  private renderPage() {
    const session = this.sessions.session;
    const route = this.route;
    if (route.page === 'home') return this.renderHome();
    // Before the sign-in check: anyone who received a court document may verify it.
    if (route.page === 'verify') return html`<ecourt-verify-document api-base=${this.apiBase}></ecourt-verify-document>`;
    if (route.page === 'oauth') {
      return html`<div class="card"><ecourt-oauth-return api-base=${this.apiBase} @ecourt-login=${() => this.go('#/cases')}></ecourt-oauth-return></div>`;
    }
    // Every other page needs a login; after logging in the user lands where they were going.
    if (route.page === 'login' || !session) {
      return html`<div class="card">
        <ecourt-login api-base=${this.apiBase} @ecourt-login=${() => this.go(route.page === 'login' ? '#/cases' : window.location.hash)}></ecourt-login>
        <details data-testid="register-open">
          <summary>${this.locale.t('register.open')}</summary>
          <ecourt-registration api-base=${this.apiBase} @ecourt-login=${() => this.go(route.page === 'login' ? '#/cases' : window.location.hash)}></ecourt-registration>
        </details>
      </div>`;
    }
    if (route.page === 'cases') return html`<ecourt-case-list api-base=${this.apiBase}></ecourt-case-list>`;
    if (route.page === 'inbox') return html`<ecourt-inbox api-base=${this.apiBase}></ecourt-inbox>`;
    if (route.page === 'filingQueue') return html`<ecourt-filing-queue api-base=${this.apiBase}></ecourt-filing-queue>`;
    if (route.page === 'case') return html`<ecourt-case-page api-base=${this.apiBase} case-id=${route.caseId}></ecourt-case-page>`;
    if (route.page === 'transcript') {
      return html`<p><a href=${`#/cases/${encodeURIComponent(route.caseId)}`} data-testid="transcript-back">← ${this.locale.t('transcript.back')}</a></p>
        <ecourt-transcript-editor api-base=${this.apiBase} doc=${transcriptDocName(route.caseId, route.hearingId)}></ecourt-transcript-editor>`;
    }
    if (route.page === 'hearingRoom') {
      return html`<p><a href=${`#/cases/${encodeURIComponent(route.caseId)}`} data-testid="hearing-room-back">← ${this.locale.t('hearingRoom.back')}</a></p>
        <ecourt-hearing-room api-base=${this.apiBase} hearing=${route.hearingId}></ecourt-hearing-room>`;
    }
    if (route.page === 'evidence') {
      return html`<p><a href=${`#/cases/${encodeURIComponent(route.caseId)}`} data-testid="evidence-back">← ${this.locale.t('evidence.back')}</a></p>
        <ecourt-evidence-viewer api-base=${this.apiBase} evidence=${route.evidenceId}></ecourt-evidence-viewer>`;
    }
    return html`<div class="card"><ecourt-filing-form api-base=${this.apiBase} court-code=${this.court?.code ?? this.courtCode}></ecourt-filing-form></div>`;
  }

  private renderHome() {
    const t = this.locale.t.bind(this.locale);
    const content = homeContent[this.locale.lang];
    const session = this.sessions.session;
    return html`
      <div class="grid" data-testid="home">
        <section class="card" data-testid="home-intro">
          <h2>${t('home.intro')}</h2>
          ${content.intro.map((paragraph) => html`<p>${paragraph}</p>`)}
        </section>
        <section class="card" data-testid="home-scope">
          <h2>${t('home.scope')}</h2>
          <ul>${content.scope.map((item) => html`<li>${item}</li>`)}</ul>
        </section>
        <section class="card wide" data-testid="home-process">
          <h2>${t('home.process')}</h2>
          <ol class="steps">
            ${PROCESS_STEPS.map((step) => html`<li><strong>${t(stepKey(step))}</strong><p>${content.process[step]}</p></li>`)}
          </ol>
        </section>
        <section class="card" data-testid="home-news">
          <h2>${t('home.news')}</h2>
          <ul class="news">
            ${content.news.map((item) => html`<li><time datetime=${item.date}>${item.date}</time><strong>${item.title}</strong><p>${item.text}</p></li>`)}
          </ul>
        </section>
        <section class="card" data-testid="home-services">
          <h2>${t('home.services')}</h2>
          <p>${t('home.loginPrompt')}</p>
          <div class="cta">
            ${session
              ? html`<a class="button" href="#/cases">${t('nav.cases')}</a>${(LITIGANT_ROLES as readonly string[]).includes(session.user.role)
                    ? html`<a class="button" href="#/file">${t('nav.file')}</a>`
                    : nothing}`
              : html`<a class="button" href="#/login" data-testid="home-login">${t('nav.login')}</a>`}
            <a class="button" href="#/verify" data-testid="home-verify">${t('nav.verify')}</a>
          </div>
        </section>
      </div>
    `;
  }
}
