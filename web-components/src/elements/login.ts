// <ecourt-login>: username and password → POST /api/v1/auth/login; keeps the token for this tab
// and announces the user with an `ecourt-login` event. Errors are shown by code, localised.
// Below the form: the court's external sign-in providers (第三方登录), if it offers any.
import { LitElement, html, css } from 'lit';
import { apiUrl, callApi, ApiError } from '../api.ts';
import { LocaleController } from '../locale.ts';
import { setSession } from '../session.ts';
import { baseStyles } from '../styles.ts';
import { errorText } from '../format.ts';
import type { LoginReply } from '../types.ts';

/** GET /api/v1/auth/oauth/providers, as the login form needs it. */
interface OAuthProviderButton {
  id: string;
  name: { zh: string; en: string };
  startPath: string;
}

export class EcourtLogin extends LitElement {
  static override properties = {
    apiBase: { type: String, attribute: 'api-base' },
    busy: { state: true },
    failure: { state: true },
    providers: { state: true },
  };

  static override styles = [
    baseStyles,
    css`
      form { max-width: 24rem; }
      button { margin-top: 1rem; width: 100%; }
      .oauth { max-width: 24rem; margin-top: 1rem; display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
    `,
  ];

  declare apiBase: string;
  declare busy: boolean;
  declare failure: unknown;
  declare providers: OAuthProviderButton[];
  private readonly locale = new LocaleController(this);

  constructor() {
    super();
    this.apiBase = '';
    this.busy = false;
    this.failure = null;
    this.providers = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // No buttons when the list cannot be had: the password form still works.
    callApi<{ providers: OAuthProviderButton[] }>(this.apiBase, '/api/v1/auth/oauth/providers', { auth: false }).then(
      (reply) => {
        this.providers = reply.providers;
      },
      () => {
        this.providers = [];
      },
    );
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    this.busy = true;
    this.failure = null;
    try {
      const reply = await callApi<LoginReply>(this.apiBase, '/api/v1/auth/login', {
        method: 'POST',
        auth: false,
        body: { username: String(data.get('username') ?? '').trim(), password: String(data.get('password') ?? '') },
      });
      setSession({ token: reply.token, user: reply.user });
      form.reset();
      this.dispatchEvent(new CustomEvent('ecourt-login', { detail: { user: reply.user }, bubbles: true, composed: true }));
    } catch (error) {
      this.failure = error;
    } finally {
      this.busy = false;
    }
  }

  private failureText(): string {
    const error = this.failure;
    // The hub answers unknown users and wrong passwords alike; say so plainly.
    if (error instanceof ApiError && error.status === 401) return this.locale.t('error.loginFailed');
    return errorText(this.locale.lang, error);
  }

  override render() {
    const t = this.locale.t.bind(this.locale);
    return html`
      <form @submit=${this.submit} data-testid="login-form">
        <h2>${t('login.title')}</h2>
        <label for="username">${t('login.username')}</label>
        <input id="username" name="username" data-testid="login-username" autocomplete="username" required />
        <label for="password">${t('login.password')}</label>
        <input id="password" name="password" type="password" data-testid="login-password" autocomplete="current-password" required />
        ${this.failure ? html`<div class="error" role="alert" data-testid="login-error">${this.failureText()}</div>` : null}
        <button type="submit" data-testid="login-submit" ?disabled=${this.busy}>${this.busy ? t('login.busy') : t('login.submit')}</button>
      </form>
      ${this.providers.length > 0
        ? html`<nav class="oauth" aria-label=${t('oauth.or')} data-testid="oauth-providers">
            <span>${t('oauth.or')}</span>
            ${this.providers.map(
              (provider) => html`<a class="button" href=${apiUrl(this.apiBase, provider.startPath)} data-testid=${`oauth-${provider.id}`}>${provider.name[this.locale.lang]}</a>`,
            )}
          </nav>`
        : null}
    `;
  }
}
