// What every provider adapter offers the login routes: the URL the browser is sent to, and the
// exchange of the returned code for the external identity. Adapters never see our sessions.

/** A person as an external provider knows them. `subject` is the stable identifier we link by. */
export interface ExternalProfile {
  /** OIDC `sub`; WeChat/DingTalk unionid (falling back to openid); Alipay user_id/open_id. */
  subject: string;
  /** The name the provider shows (a nickname), for the portal's greeting only. */
  displayName: string | null;
}

export interface AuthorizationRequest {
  state: string;
  nonce: string;
  codeChallenge: string;
  redirectUri: string;
}

export interface CodeExchange {
  code: string;
  codeVerifier: string;
  nonce: string;
  redirectUri: string;
}

export interface OAuthProviderAdapter {
  /** Where the browser goes to sign in at the provider. */
  authorizationUrl(request: AuthorizationRequest): Promise<string>;
  /** Code → verified external profile; throws OAuthProviderError / OAuthNonceMismatchError. */
  exchange(exchange: CodeExchange): Promise<ExternalProfile>;
}

/** The provider refused or failed; `reason` is for the log (never secrets), `providerCode` may reach the client. */
export class OAuthProviderError extends Error {
  constructor(
    readonly reason: string,
    readonly providerCode?: string,
    options?: { cause?: unknown },
  ) {
    super(`OAuth provider error: ${reason}`, options);
    this.name = 'OAuthProviderError';
  }
}

export class OAuthNonceMismatchError extends Error {
  constructor() {
    super('the ID token does not carry this login attempt’s nonce');
    this.name = 'OAuthNonceMismatchError';
  }
}
