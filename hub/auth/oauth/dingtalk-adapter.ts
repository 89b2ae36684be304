// 钉钉登录 (DingTalk, new OAuth 2.0 API): login.dingtalk.com/oauth2/auth, then
// POST v1.0/oauth2/userAccessToken (JSON: clientId, clientSecret, code, grantType) and
// GET v1.0/contact/users/me with the x-acs-dingtalk-access-token header. The person is their
// unionId. Their mobile number and e-mail, which DingTalk may return, are not kept.
import { callProvider, isRecord, textField } from './provider-http.ts';
import { OAuthProviderError, type AuthorizationRequest, type CodeExchange, type ExternalProfile, type OAuthProviderAdapter } from './provider.ts';

export interface DingtalkOptions {
  clientId: string;
  clientSecret: string;
  /** Defaults to https://login.dingtalk.com. */
  authorizeBaseUrl: string;
  /** Defaults to https://api.dingtalk.com. */
  apiBaseUrl: string;
}

export const DINGTALK_DEFAULTS = { authorizeBaseUrl: 'https://login.dingtalk.com', apiBaseUrl: 'https://api.dingtalk.com' };

/** DingTalk answers errors with a 4xx/5xx and { code, message, requestid }. */
function refusal(status: number, json: Record<string, unknown>, what: string): OAuthProviderError {
  const code = textField(json, 'code') ?? `http_${status}`;
  return new OAuthProviderError(`${what}: ${code}`, `dingtalk_${code}`);
}

export function createDingtalkAdapter(options: DingtalkOptions): OAuthProviderAdapter {
  const api = options.apiBaseUrl.replace(/\/+$/, '');
  return {
    async authorizationUrl(request: AuthorizationRequest): Promise<string> {
      const url = new URL('/oauth2/auth', options.authorizeBaseUrl);
      url.search = new URLSearchParams({
        redirect_uri: request.redirectUri,
        response_type: 'code',
        client_id: options.clientId,
        scope: 'openid',
        state: request.state,
        prompt: 'consent',
      }).toString();
      return url.toString();
    },

    async exchange(exchange: CodeExchange): Promise<ExternalProfile> {
      const token = await callProvider(
        `${api}/v1.0/oauth2/userAccessToken`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ clientId: options.clientId, clientSecret: options.clientSecret, code: exchange.code, grantType: 'authorization_code' }),
        },
        'dingtalk userAccessToken',
      );
      if (!isRecord(token.json)) throw new OAuthProviderError('dingtalk userAccessToken: not a JSON object');
      if (token.status !== 200) throw refusal(token.status, token.json, 'dingtalk userAccessToken');
      const accessToken = textField(token.json, 'accessToken');
      if (!accessToken) throw new OAuthProviderError('dingtalk userAccessToken: no accessToken');

      const me = await callProvider(`${api}/v1.0/contact/users/me`, { headers: { 'x-acs-dingtalk-access-token': accessToken, accept: 'application/json' } }, 'dingtalk users/me');
      if (!isRecord(me.json)) throw new OAuthProviderError('dingtalk users/me: not a JSON object');
      if (me.status !== 200) throw refusal(me.status, me.json, 'dingtalk users/me');
      const unionId = textField(me.json, 'unionId');
      if (!unionId) throw new OAuthProviderError('dingtalk users/me: no unionId');
      return { subject: `unionid:${unionId}`, displayName: textField(me.json, 'nick') };
    },
  };
}
