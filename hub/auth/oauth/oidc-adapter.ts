// Generic OpenID Connect (authorisation code + PKCE): the provider's discovery document, the code
// exchange at its token endpoint, and the ID token verified with its JWKS (signature, iss, aud, exp)
// plus our nonce. The user's identity is the ID token's `sub`, never an unverified userinfo answer.
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { callProvider, isRecord, textField } from './provider-http.ts';
import { OAuthNonceMismatchError, OAuthProviderError, type AuthorizationRequest, type CodeExchange, type ExternalProfile, type OAuthProviderAdapter } from './provider.ts';

export interface OidcProviderOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: readonly string[];
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

const CLOCK_TOLERANCE_SECONDS = 60;

export function createOidcAdapter(options: OidcProviderOptions): OAuthProviderAdapter {
  // Discovery and keys are fetched once and kept (jose refreshes the key set on an unknown `kid`).
  let discovered: Promise<{ document: Discovery; keys: ReturnType<typeof createRemoteJWKSet> }> | null = null;
  const discover = () => {
    discovered ??= loadDiscovery(options.issuer).catch((error: unknown) => {
      discovered = null;
      throw error;
    });
    return discovered;
  };

  return {
    async authorizationUrl(request: AuthorizationRequest): Promise<string> {
      const { document } = await discover();
      const url = new URL(document.authorization_endpoint);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: options.clientId,
        redirect_uri: request.redirectUri,
        scope: options.scopes.join(' '),
        state: request.state,
        nonce: request.nonce,
        code_challenge: request.codeChallenge,
        code_challenge_method: 'S256',
      }).toString();
      return url.toString();
    },

    async exchange(exchange: CodeExchange): Promise<ExternalProfile> {
      const { document, keys } = await discover();
      const answer = await callProvider(
        document.token_endpoint,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
            // client_secret_basic: RFC 6749 §2.3.1 form-encodes id and secret before base64.
            authorization: `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')}`,
          },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code: exchange.code,
            redirect_uri: exchange.redirectUri,
            code_verifier: exchange.codeVerifier,
          }).toString(),
        },
        'token endpoint',
      );
      if (!isRecord(answer.json)) throw new OAuthProviderError('token endpoint: not a JSON object');
      if (answer.status !== 200) {
        const code = textField(answer.json, 'error') ?? `http_${answer.status}`;
        throw new OAuthProviderError(`token endpoint refused: ${code}`, code);
      }
      const idToken = textField(answer.json, 'id_token');
      if (!idToken) throw new OAuthProviderError('token endpoint: no id_token (is the openid scope configured?)');
      const claims = await verifyIdToken(idToken, keys, document.issuer, options.clientId);
      if (claims.nonce !== exchange.nonce) throw new OAuthNonceMismatchError();
      if (typeof claims.sub !== 'string' || claims.sub === '') throw new OAuthProviderError('ID token without sub');
      const name = typeof claims.name === 'string' ? claims.name : typeof claims.nickname === 'string' ? claims.nickname : null;
      return { subject: claims.sub, displayName: name };
    },
  };
}

async function loadDiscovery(issuer: string) {
  const answer = await callProvider(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, { headers: { accept: 'application/json' } }, 'discovery');
  const json = answer.json;
  if (answer.status !== 200 || !isRecord(json)) throw new OAuthProviderError(`discovery answered ${answer.status}`);
  const document = {
    issuer: textField(json, 'issuer'),
    authorization_endpoint: textField(json, 'authorization_endpoint'),
    token_endpoint: textField(json, 'token_endpoint'),
    jwks_uri: textField(json, 'jwks_uri'),
  };
  if (!document.issuer || !document.authorization_endpoint || !document.token_endpoint || !document.jwks_uri) {
    throw new OAuthProviderError('discovery document lacks issuer, endpoints or jwks_uri');
  }
  // OIDC Discovery §4.3: the document must name the issuer it was fetched for (mix-up defence).
  if (document.issuer.replace(/\/+$/, '') !== issuer.replace(/\/+$/, '')) throw new OAuthProviderError('discovery names another issuer');
  return { document: document as Discovery, keys: createRemoteJWKSet(new URL(document.jwks_uri)) };
}

async function verifyIdToken(idToken: string, keys: ReturnType<typeof createRemoteJWKSet>, issuer: string, audience: string): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(idToken, keys, {
      issuer,
      audience,
      requiredClaims: ['sub', 'exp', 'iat'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      // Asymmetric only: an HS256 token "signed" with the client secret proves nothing about the issuer.
      algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
    });
    return payload;
  } catch (error) {
    const reason = error instanceof joseErrors.JOSEError ? error.code : 'unverifiable';
    throw new OAuthProviderError(`ID token refused: ${reason}`, 'invalid_id_token', { cause: error });
  }
}
