// The WeChat, DingTalk and Alipay adapters against a local HTTP server speaking those platforms'
// documented request/response shapes (a double of the PROVIDER; the adapters are under test).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { createWechatAdapter } from '../../hub/auth/oauth/wechat-adapter.ts';
import { createDingtalkAdapter } from '../../hub/auth/oauth/dingtalk-adapter.ts';
import { createAlipayAdapter } from '../../hub/auth/oauth/alipay-adapter.ts';
import { alipaySigningContent } from '../../hub/auth/oauth/alipay-signature.ts';
import { OAuthProviderError } from '../../hub/auth/oauth/provider.ts';
import { createVerify } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createOidcAdapter } from '../../hub/auth/oauth/oidc-adapter.ts';
import { OAuthNonceMismatchError } from '../../hub/auth/oauth/provider.ts';

type Handler = (request: { method: string; url: URL; headers: IncomingMessage['headers']; body: string }) => { status?: number; body: string | object };

let server: Server;
let base: string;
let handler: Handler = () => ({ status: 500, body: {} });
const seen: { method: string; path: string; headers: IncomingMessage['headers']; body: string; query: URLSearchParams }[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://local');
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body, query: url.searchParams });
      const answer = handler({ method: req.method ?? '', url, headers: req.headers, body });
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const request = { state: 'state-1', nonce: 'nonce-1', codeChallenge: 'challenge', redirectUri: 'https://court.example/api/v1/auth/oauth/wechat/callback' };

describe('微信登录 (WeChat)', () => {
  const adapter = () => createWechatAdapter({ appId: 'wxAPP', appSecret: 'wx-secret', authorizeBaseUrl: base, apiBaseUrl: base });

  beforeAll(() => {
    handler = ({ url }) => {
      const q = url.searchParams;
      if (url.pathname === '/sns/oauth2/access_token') {
        if (q.get('appid') !== 'wxAPP' || q.get('secret') !== 'wx-secret' || q.get('grant_type') !== 'authorization_code') return { body: { errcode: 40125, errmsg: 'invalid appsecret' } };
        if (q.get('code') === 'good-code') return { body: { access_token: 'AT1', expires_in: 7200, refresh_token: 'RT1', openid: 'oOpenId1', scope: 'snsapi_login', unionid: 'uUnion1' } };
        if (q.get('code') === 'no-union') return { body: { access_token: 'AT2', expires_in: 7200, refresh_token: 'RT2', openid: 'oOpenId2', scope: 'snsapi_login' } };
        return { body: { errcode: 40029, errmsg: 'invalid code' } };
      }
      if (url.pathname === '/sns/userinfo') {
        if (q.get('access_token') === 'AT1' && q.get('openid') === 'oOpenId1') {
          return { body: { openid: 'oOpenId1', nickname: '陈静', sex: 2, province: '北京', city: '朝阳', country: 'CN', headimgurl: 'https://x/y', privilege: [], unionid: 'uUnion1' } };
        }
        if (q.get('access_token') === 'AT2' && q.get('openid') === 'oOpenId2') return { body: { openid: 'oOpenId2', nickname: 'Wang', privilege: [] } };
        return { body: { errcode: 40003, errmsg: 'invalid openid' } };
      }
      return { status: 404, body: { errcode: -1 } };
    };
  });

  it('builds the qrconnect URL with appid, redirect_uri, snsapi_login scope and state', async () => {
    const url = new URL(await adapter().authorizationUrl(request));
    expect(url.origin + url.pathname).toBe(`${base}/connect/qrconnect`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ appid: 'wxAPP', redirect_uri: request.redirectUri, response_type: 'code', scope: 'snsapi_login', state: 'state-1' });
    expect(url.hash).toBe('#wechat_redirect');
  });

  it('exchanges the code with appid and secret, then reads userinfo: the person is the unionid', async () => {
    const profile = await adapter().exchange({ code: 'good-code', codeVerifier: 'v', nonce: 'n', redirectUri: request.redirectUri });
    expect(profile).toEqual({ subject: 'unionid:uUnion1', displayName: '陈静' });
    const userinfo = seen.filter((s) => s.path === '/sns/userinfo').at(-1)!;
    expect(userinfo.query.get('access_token')).toBe('AT1');
    expect(userinfo.query.get('openid')).toBe('oOpenId1');
  });

  it('falls back to the openid when WeChat gives no unionid', async () => {
    expect(await adapter().exchange({ code: 'no-union', codeVerifier: 'v', nonce: 'n', redirectUri: request.redirectUri })).toEqual({ subject: 'openid:oOpenId2', displayName: 'Wang' });
  });

  it('turns WeChat errcodes into provider errors', async () => {
    const failure = adapter().exchange({ code: 'used-code', codeVerifier: 'v', nonce: 'n', redirectUri: request.redirectUri });
    await expect(failure).rejects.toBeInstanceOf(OAuthProviderError);
    await expect(failure).rejects.toMatchObject({ providerCode: 'wechat_40029' });
    const wrongSecret = createWechatAdapter({ appId: 'wxAPP', appSecret: 'other', authorizeBaseUrl: base, apiBaseUrl: base });
    await expect(wrongSecret.exchange({ code: 'good-code', codeVerifier: 'v', nonce: 'n', redirectUri: request.redirectUri })).rejects.toMatchObject({ providerCode: 'wechat_40125' });
  });
});

describe('钉钉登录 (DingTalk)', () => {
  const adapter = () => createDingtalkAdapter({ clientId: 'dingCLIENT', clientSecret: 'ding-secret', authorizeBaseUrl: base, apiBaseUrl: base });

  beforeAll(() => {
    handler = ({ method, url, headers, body }) => {
      if (method === 'POST' && url.pathname === '/v1.0/oauth2/userAccessToken') {
        const json = JSON.parse(body) as Record<string, string>;
        if (headers['content-type'] !== 'application/json') return { status: 415, body: { code: 'badContentType' } };
        if (json.clientId !== 'dingCLIENT' || json.clientSecret !== 'ding-secret' || json.grantType !== 'authorization_code') {
          return { status: 400, body: { code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied', message: 'bad client', requestid: 'r1' } };
        }
        if (json.code !== 'ding-code') return { status: 400, body: { code: 'invalidAuthCode', message: '不合法的临时授权码', requestid: 'r2' } };
        return { body: { accessToken: 'DAT1', refreshToken: 'DRT1', expireIn: 7200, corpId: 'ding-corp' } };
      }
      if (method === 'GET' && url.pathname === '/v1.0/contact/users/me') {
        if (headers['x-acs-dingtalk-access-token'] !== 'DAT1') return { status: 401, body: { code: 'InvalidAuthentication', message: 'bad token', requestid: 'r3' } };
        return { body: { nick: '张华', avatarUrl: 'https://x/a', mobile: '13800138000', openId: 'dOpen1', unionId: 'dUnion1', email: 'z@example.com', stateCode: '86' } };
      }
      return { status: 404, body: { code: 'notFound' } };
    };
  });

  it('builds the login.dingtalk.com authorisation URL', async () => {
    const url = new URL(await adapter().authorizationUrl(request));
    expect(url.origin + url.pathname).toBe(`${base}/oauth2/auth`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ redirect_uri: request.redirectUri, response_type: 'code', client_id: 'dingCLIENT', scope: 'openid', state: 'state-1', prompt: 'consent' });
  });

  it('posts the code as JSON, reads users/me with the access token header: the person is the unionId, the mobile is not kept', async () => {
    const profile = await adapter().exchange({ code: 'ding-code', codeVerifier: 'v', nonce: 'n', redirectUri: request.redirectUri });
    expect(profile).toEqual({ subject: 'unionid:dUnion1', displayName: '张华' });
    expect(JSON.stringify(profile)).not.toContain('13800138000');
  });

  it('turns DingTalk error answers into provider errors', async () => {
    await expect(adapter().exchange({ code: 'stale', codeVerifier: 'v', nonce: 'n', redirectUri: request.redirectUri })).rejects.toMatchObject({ providerCode: 'dingtalk_invalidAuthCode' });
  });
});

describe('支付宝登录 (Alipay)', () => {
  const app = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = (key: { export(options: { type: 'pkcs8' | 'spki'; format: 'pem' }): string | Buffer }, type: 'pkcs8' | 'spki') => String(key.export({ type, format: 'pem' }));
  const adapter = (alipayPublicKey: string | null = pem(alipay.publicKey, 'spki')) =>
    createAlipayAdapter({ appId: '2021000000000001', appPrivateKey: pem(app.privateKey, 'pkcs8'), alipayPublicKey, authorizeBaseUrl: base, gatewayUrl: `${base}/gateway.do` });
  let forgeAnswers = false;

  /** Alipay's answer: the response node signed by Alipay over its exact JSON text. */
  const signed = (node: string, content: object) => {
    const text = JSON.stringify(content);
    const signature = createSign('RSA-SHA256').update(forgeAnswers ? `${text} ` : text).sign(alipay.privateKey, 'base64');
    return `{"${node}":${text},"sign":"${signature}"}`;
  };

  beforeAll(() => {
    handler = ({ url, body }) => {
      if (url.pathname !== '/gateway.do') return { status: 404, body: {} };
      const params = Object.fromEntries(new URLSearchParams(body));
      const signatureOk = createVerify('RSA-SHA256').update(alipaySigningContent(params)).verify(app.publicKey, params.sign ?? '', 'base64');
      if (!signatureOk || params.sign_type !== 'RSA2' || params.app_id !== '2021000000000001' || !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(params.timestamp ?? '')) {
        return { body: signed('error_response', { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature', sub_msg: '验签出错' }) };
      }
      if (params.method === 'alipay.system.oauth.token') {
        if (params.grant_type !== 'authorization_code' || params.code !== 'ali-code') {
          return { body: signed('error_response', { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.code-invalid', sub_msg: '授权码code无效' }) };
        }
        return { body: signed('alipay_system_oauth_token_response', { user_id: '2088102104794936', access_token: 'authusrB1', expires_in: 1296000, re_expires_in: 2592000, refresh_token: 'refresh1' }) };
      }
      if (params.method === 'alipay.user.info.share' && params.auth_token === 'authusrB1') {
        return { body: signed('alipay_user_info_share_response', { code: '10000', msg: 'Success', user_id: '2088102104794936', nick_name: '周律', avatar: 'https://x/b' }) };
      }
      return { body: signed('error_response', { code: '40004', msg: 'Business Failed', sub_code: 'isv.invalid-auth-token' }) };
    };
  });

  it('builds the publicAppAuthorize URL with app_id, auth_user scope and state', async () => {
    const url = new URL(await adapter().authorizationUrl(request));
    expect(url.origin + url.pathname).toBe(`${base}/oauth2/publicAppAuthorize.htm`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ app_id: '2021000000000001', scope: 'auth_user', redirect_uri: request.redirectUri, state: 'state-1' });
  });

  it('signs both gateway calls RSA2 with the app key and checks Alipay’s signatures on the answers', async () => {
    forgeAnswers = false;
    expect(await adapter().exchange({ code: 'ali-code', codeVerifier: 'v', nonce: 'n', redirectUri: request.redirectUri })).toEqual({ subject: 'user:2088102104794936', displayName: '周律' });
  });

  it('refuses answers whose signature does not verify', async () => {
    forgeAnswers = true;
    try {
      await expect(adapter().exchange({ code: 'ali-code', codeVerifier: 'v', nonce: 'n', redirectUri: request.redirectUri })).rejects.toThrow(/signature does not verify/);
    } finally {
      forgeAnswers = false;
    }
  });

  it('passes Alipay’s sub_code on for a bad auth code', async () => {
    await expect(adapter().exchange({ code: 'old', codeVerifier: 'v', nonce: 'n', redirectUri: request.redirectUri })).rejects.toMatchObject({ providerCode: 'alipay_isv.code-invalid' });
  });
});

describe('OpenID Connect ID token checks', () => {
  // A bare provider: discovery, JWKS and a token endpoint answering whatever ID token the test made.
  let signingKey: CryptoKey;
  let otherKey: CryptoKey;
  let idToken = '';
  const issuer = () => `${base}/idp`;

  beforeAll(async () => {
    const signing = await generateKeyPair('RS256', { extractable: true });
    signingKey = signing.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(signing.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    handler = ({ method, url, headers, body }) => {
      if (url.pathname === '/idp/.well-known/openid-configuration') {
        return { body: { issuer: issuer(), authorization_endpoint: `${issuer()}/auth`, token_endpoint: `${issuer()}/token`, jwks_uri: `${issuer()}/jwks` } };
      }
      if (url.pathname === '/idp/jwks') return { body: { keys: [jwk] } };
      if (method === 'POST' && url.pathname === '/idp/token') {
        const form = new URLSearchParams(body);
        const basic = Buffer.from(String(headers.authorization).replace(/^Basic /, ''), 'base64').toString('utf8');
        if (basic !== 'rp:rp-secret' || form.get('code_verifier') !== 'verifier-1' || form.get('grant_type') !== 'authorization_code') return { status: 400, body: { error: 'invalid_client' } };
        if (form.get('code') === 'used') return { status: 400, body: { error: 'invalid_grant' } };
        return { body: { access_token: 'x', token_type: 'Bearer', id_token: idToken } };
      }
      return { status: 404, body: {} };
    };
  });

  const token = (claims: Record<string, unknown>, options: { key?: CryptoKey; expiresIn?: string | number } = {}) =>
    new SignJWT({ nonce: 'nonce-1', name: 'Zhou', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(String(claims.iss ?? issuer()))
      .setAudience(String(claims.aud ?? 'rp'))
      .setSubject('person-1')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? signingKey);
  const exchange = (code = 'code-1') => createOidcAdapter({ issuer: issuer(), clientId: 'rp', clientSecret: 'rp-secret', scopes: ['openid'] }).exchange({ code, codeVerifier: 'verifier-1', nonce: 'nonce-1', redirectUri: 'https://court.example/cb' });

  it('accepts a token signed with the provider’s JWKS key for us, with our nonce', async () => {
    idToken = await token({});
    expect(await exchange()).toEqual({ subject: 'person-1', displayName: 'Zhou' });
  });

  it('refuses another signer, another issuer, another audience, an expired token and another nonce', async () => {
    idToken = await token({}, { key: otherKey });
    await expect(exchange()).rejects.toMatchObject({ providerCode: 'invalid_id_token' });
    idToken = await token({ iss: 'https://elsewhere.example' });
    await expect(exchange()).rejects.toMatchObject({ providerCode: 'invalid_id_token' });
    idToken = await token({ aud: 'another-client' });
    await expect(exchange()).rejects.toMatchObject({ providerCode: 'invalid_id_token' });
    idToken = await token({}, { expiresIn: Math.floor(Date.now() / 1000) - 3600 });
    await expect(exchange()).rejects.toMatchObject({ providerCode: 'invalid_id_token' });
    idToken = await token({ nonce: 'someone-elses' });
    await expect(exchange()).rejects.toBeInstanceOf(OAuthNonceMismatchError);
  });

  it('passes the token endpoint’s error code on', async () => {
    await expect(exchange('used')).rejects.toMatchObject({ providerCode: 'invalid_grant' });
  });
});
