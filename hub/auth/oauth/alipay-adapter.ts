// 支付宝登录 (Alipay web authorisation): publicAppAuthorize.htm (scope auth_user), then two gateway
// calls signed RSA2 with the court's app private key — alipay.system.oauth.token (auth_code →
// access token) and alipay.user.info.share. When Alipay's public key is configured, its answers'
// signatures are checked too. The person is the user_id (or open_id for newer apps).
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { alipayTimestamp, signAlipayRequest, verifyAlipayAnswer } from './alipay-signature.ts';
import { callProvider, isRecord, textField } from './provider-http.ts';
import { OAuthProviderError, type AuthorizationRequest, type CodeExchange, type ExternalProfile, type OAuthProviderAdapter } from './provider.ts';

export interface AlipayOptions {
  appId: string;
  /** The court's application private key (PEM, PKCS#8 or PKCS#1). */
  appPrivateKey: string;
  /** Alipay's public key (PEM); when given, answers must carry a valid signature. */
  alipayPublicKey: string | null;
  /** Defaults to https://openauth.alipay.com. */
  authorizeBaseUrl: string;
  /** Defaults to https://openapi.alipay.com/gateway.do. */
  gatewayUrl: string;
}

export const ALIPAY_DEFAULTS = { authorizeBaseUrl: 'https://openauth.alipay.com', gatewayUrl: 'https://openapi.alipay.com/gateway.do' };

export function createAlipayAdapter(options: AlipayOptions): OAuthProviderAdapter {
  const privateKey: KeyObject = createPrivateKey(options.appPrivateKey);
  const alipayKey: KeyObject | null = options.alipayPublicKey ? createPublicKey(options.alipayPublicKey) : null;

  async function gateway(method: string, extra: Record<string, string>): Promise<Record<string, unknown>> {
    const params: Record<string, string> = {
      app_id: options.appId,
      method,
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: alipayTimestamp(new Date()),
      version: '1.0',
      ...extra,
    };
    params.sign = signAlipayRequest(params, privateKey);
    const answer = await callProvider(
      options.gatewayUrl,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' }, body: new URLSearchParams(params).toString() },
      method,
    );
    if (!isRecord(answer.json)) throw new OAuthProviderError(`${method}: not a JSON object`);
    const node = `${method.replaceAll('.', '_')}_response`;
    const body = answer.json[node] ?? answer.json.error_response;
    if (!isRecord(body)) throw new OAuthProviderError(`${method}: answered ${answer.status} without ${node}`);
    if (alipayKey) {
      const signature = textField(answer.json, 'sign');
      const signedNode = answer.json[node] !== undefined ? node : 'error_response';
      if (!signature || !verifyAlipayAnswer(answer.text, signedNode, signature, alipayKey)) throw new OAuthProviderError(`${method}: answer signature does not verify`);
    }
    // Business results: code 10000 is success; token errors come as error_response with sub_code.
    const code = textField(body, 'code');
    if (code !== null && code !== '10000') {
      const subCode = textField(body, 'sub_code') ?? code;
      throw new OAuthProviderError(`${method}: ${subCode}`, `alipay_${subCode}`);
    }
    return body;
  }

  return {
    async authorizationUrl(request: AuthorizationRequest): Promise<string> {
      const url = new URL('/oauth2/publicAppAuthorize.htm', options.authorizeBaseUrl);
      url.search = new URLSearchParams({ app_id: options.appId, scope: 'auth_user', redirect_uri: request.redirectUri, state: request.state }).toString();
      return url.toString();
    },

    async exchange(exchange: CodeExchange): Promise<ExternalProfile> {
      const token = await gateway('alipay.system.oauth.token', { grant_type: 'authorization_code', code: exchange.code });
      const accessToken = textField(token, 'access_token');
      const tokenSubject = textField(token, 'user_id') ?? textField(token, 'open_id');
      if (!accessToken || !tokenSubject) throw new OAuthProviderError('alipay.system.oauth.token: no access_token or user');
      const info = await gateway('alipay.user.info.share', { auth_token: accessToken });
      const infoSubject = textField(info, 'user_id') ?? textField(info, 'open_id');
      if (infoSubject !== null && infoSubject !== tokenSubject) throw new OAuthProviderError('alipay.user.info.share names another user');
      return { subject: `user:${tokenSubject}`, displayName: textField(info, 'nick_name') };
    },
  };
}
