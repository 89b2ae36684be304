// 微信登录 (WeChat Open Platform website login): the QR-code page at open.weixin.qq.com/connect/qrconnect,
// then sns/oauth2/access_token (appid + secret + code) and sns/userinfo (access_token + openid).
// WeChat has neither PKCE nor ID tokens: state (bound to the browser) is the CSRF defence, and the
// person is their unionid (the same across a company's apps), else their openid.
import { callProvider, isRecord, textField } from './provider-http.ts';
import { OAuthProviderError, type AuthorizationRequest, type CodeExchange, type ExternalProfile, type OAuthProviderAdapter } from './provider.ts';

export interface WechatOptions {
  appId: string;
  appSecret: string;
  /** Defaults to https://open.weixin.qq.com; tests point it at a local server. */
  authorizeBaseUrl: string;
  /** Defaults to https://api.weixin.qq.com. */
  apiBaseUrl: string;
}

export const WECHAT_DEFAULTS = { authorizeBaseUrl: 'https://open.weixin.qq.com', apiBaseUrl: 'https://api.weixin.qq.com' };

/** WeChat answers errors with HTTP 200 and { errcode, errmsg }. */
function refusal(json: Record<string, unknown>, what: string): OAuthProviderError | null {
  const errcode = json.errcode;
  if (errcode === undefined || errcode === 0) return null;
  return new OAuthProviderError(`${what}: errcode ${String(errcode)}`, `wechat_${String(errcode)}`);
}

export function createWechatAdapter(options: WechatOptions): OAuthProviderAdapter {
  const api = options.apiBaseUrl.replace(/\/+$/, '');
  return {
    async authorizationUrl(request: AuthorizationRequest): Promise<string> {
      const url = new URL('/connect/qrconnect', options.authorizeBaseUrl);
      url.search = new URLSearchParams({
        appid: options.appId,
        redirect_uri: request.redirectUri,
        response_type: 'code',
        scope: 'snsapi_login',
        state: request.state,
      }).toString();
      // The fragment is part of WeChat's documented URL (its page needs it).
      return `${url.toString()}#wechat_redirect`;
    },

    async exchange(exchange: CodeExchange): Promise<ExternalProfile> {
      const tokenUrl = `${api}/sns/oauth2/access_token?${new URLSearchParams({
        appid: options.appId,
        secret: options.appSecret,
        code: exchange.code,
        grant_type: 'authorization_code',
      })}`;
      const token = await callProvider(tokenUrl, { headers: { accept: 'application/json' } }, 'wechat access_token');
      if (!isRecord(token.json)) throw new OAuthProviderError('wechat access_token: not a JSON object');
      const tokenRefusal = refusal(token.json, 'wechat access_token');
      if (tokenRefusal) throw tokenRefusal;
      const accessToken = textField(token.json, 'access_token');
      const openId = textField(token.json, 'openid');
      if (token.status !== 200 || !accessToken || !openId) throw new OAuthProviderError(`wechat access_token answered ${token.status} without access_token/openid`);

      const info = await callProvider(`${api}/sns/userinfo?${new URLSearchParams({ access_token: accessToken, openid: openId })}`, { headers: { accept: 'application/json' } }, 'wechat userinfo');
      if (!isRecord(info.json)) throw new OAuthProviderError('wechat userinfo: not a JSON object');
      const infoRefusal = refusal(info.json, 'wechat userinfo');
      if (infoRefusal) throw infoRefusal;
      // userinfo must be about the openid the code was issued for.
      if (textField(info.json, 'openid') !== openId) throw new OAuthProviderError('wechat userinfo names another openid');
      const unionId = textField(info.json, 'unionid') ?? textField(token.json, 'unionid');
      return { subject: unionId ? `unionid:${unionId}` : `openid:${openId}`, displayName: textField(info.json, 'nickname') };
    },
  };
}
