// <ecourt-oauth-return>: where the hub sends the browser after an external sign-in (#/oauth?…).
// A one-time ticket is exchanged for the session; a first-time identity (pending) is linked to the
// account the person then signs into with their password (账号绑定), or to the account they open by
// real-name registration here (the registration carries the pending identity).
import { LitElement, html, css } from 'lit';
import { callApi } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { setSession } from '../session.ts';
import { baseStyles } from '../styles.ts';
import { errorText } from '../format.ts';
import type { LoginReply } from '../types.ts';

type Stage = 'signingIn' | 'pending' | 'linking' | 'linked' | 'failed';

/** The fragment's parameters: "#/oauth?ticket=…" → ticket. */
export function oauthReturnParams(hash: string): URLSearchParams {
  const at = hash.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : hash.slice(at + 1));
}

export class EcourtOAuthReturn extends LitElement {
  static override properties = {
    apiBase: { type: String, attribute: 'api-base' },
    stage: { state: true },
    failure: { state: true },
  };

  static override styles = [baseStyles, css`:host { display: block; max-width: 32rem; }`];

  declare apiBase: string;
  declare stage: Stage;
  declare failure: unknown;
  private readonly locale = new LocaleController(this);
  private pending: string | null = null;
  /** The provider's name for the person: only a suggestion for the registration form. */
  private suggestedName = '';

  constructor() {
    super();
    this.apiBase = '';
    this.stage = 'signingIn';
    this.failure = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const params = oauthReturnParams(window.location.hash);
    // The ticket and the pending identity are not left in the address bar or the history.
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/oauth`);
    const ticket = params.get('ticket');
    this.pending = params.get('pending');
    this.suggestedName = params.get('name') ?? '';
    if (ticket) void this.exchange(ticket);
    else if (this.pending) this.stage = 'pending';
    else this.fail(null);
  }

  private fail(error: unknown): void {
    this.failure = error;
    this.stage = 'failed';
  }

  private async exchange(ticket: string): Promise<void> {
    try {
      const reply = await callApi<LoginReply>(this.apiBase, '/api/v1/auth/oauth/session', { method: 'POST', auth: false, body: { ticket } });
      setSession({ token: reply.token, user: reply.user });
      this.dispatchEvent(new CustomEvent('ecourt-login', { detail: { user: reply.user }, bubbles: true, composed: true }));
    } catch (error) {
      this.fail(error);
    }
  }

  /** After the password sign-in: link the pending identity to that account. */
  private async link(): Promise<void> {
    if (!this.pending) return;
    this.stage = 'linking';
    try {
      await callApi(this.apiBase, '/api/v1/auth/oauth/link', { method: 'POST', body: { pending: this.pending } });
      this.pending = null;
      this.stage = 'linked';
    } catch (error) {
      this.fail(error);
    }
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    switch (this.stage) {
      case 'signingIn':
      case 'linking':
        return html`<p role="status" data-testid="oauth-busy">${t('oauth.signingIn')}</p>`;
      case 'pending':
        return html`<h2>${t('oauth.linkTitle')}</h2>
          <p data-testid="oauth-pending">${t('oauth.linkHint')}</p>
          <ecourt-login api-base=${this.apiBase} @ecourt-login=${(event: Event) => {
            // Our own login: linking comes first, the portal moves on once it is done.
            event.stopPropagation();
            void this.link();
          }}></ecourt-login>
          <details data-testid="oauth-register">
            <summary>${t('register.open')}</summary>
            <!-- Registering links the pending identity itself; its ecourt-login reaches the portal. -->
            <ecourt-registration api-base=${this.apiBase} pending-external-identity=${this.pending ?? ''} suggested-name=${this.suggestedName}></ecourt-registration>
          </details>`;
      case 'linked':
        return html`<p role="status" data-testid="oauth-linked">${t('oauth.linked')}</p>
          <p><a class="button" href="#/cases">${t('nav.cases')}</a></p>`;
      case 'failed':
        return html`<div class="error" role="alert" data-testid="oauth-error">${this.failure ? errorText(this.locale.lang, this.failure) : t('oauth.failed')}</div>
          <p><a href="#/login">${t('nav.login')}</a></p>`;
    }
  }
}
