// The configured providers as adapters, built once per configuration value.
import type { Config } from '../../../platform/config.ts';
import { ALIPAY_DEFAULTS, createAlipayAdapter } from './alipay-adapter.ts';
import { createDingtalkAdapter, DINGTALK_DEFAULTS } from './dingtalk-adapter.ts';
import { OAuthConfigError, parseOAuthConfig, type OAuthConfig, type ProviderConfig } from './oauth-config.ts';
import { createOidcAdapter } from './oidc-adapter.ts';
import type { OAuthProviderAdapter } from './provider.ts';
import { createWechatAdapter, WECHAT_DEFAULTS } from './wechat-adapter.ts';

export interface OAuthProvider {
  config: ProviderConfig;
  adapter: OAuthProviderAdapter;
}

export interface OAuthProviders {
  publicUrl: string | undefined;
  list: readonly OAuthProvider[];
  get(id: string): OAuthProvider | undefined;
}

export function createAdapter(config: ProviderConfig): OAuthProviderAdapter {
  switch (config.kind) {
    case 'oidc':
      return createOidcAdapter(config);
    case 'wechat':
      return createWechatAdapter({ ...WECHAT_DEFAULTS, ...definedOnly({ authorizeBaseUrl: config.authorizeBaseUrl, apiBaseUrl: config.apiBaseUrl }), appId: config.appId, appSecret: config.appSecret });
    case 'dingtalk':
      return createDingtalkAdapter({ ...DINGTALK_DEFAULTS, ...definedOnly({ authorizeBaseUrl: config.authorizeBaseUrl, apiBaseUrl: config.apiBaseUrl }), clientId: config.clientId, clientSecret: config.clientSecret });
    case 'alipay':
      return createAlipayAdapter({
        ...ALIPAY_DEFAULTS,
        ...definedOnly({ authorizeBaseUrl: config.authorizeBaseUrl, gatewayUrl: config.gatewayUrl }),
        appId: config.appId,
        appPrivateKey: config.appPrivateKey,
        alipayPublicKey: config.alipayPublicKey ?? null,
      });
  }
}

function definedOnly<T extends Record<string, string | undefined>>(values: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<Record<keyof T, string>>;
}

export function createOAuthProviders(config: OAuthConfig): OAuthProviders {
  const list = config.providers.map((provider, index) => {
    try {
      return { config: provider, adapter: createAdapter(provider) };
    } catch (error) {
      // A PEM key that does not parse (Alipay): named by position, never quoted.
      throw new OAuthConfigError(`providers.${index} (${provider.id}): ${(error as NodeJS.ErrnoException).code ?? 'unusable key'}`);
    }
  });
  const byId = new Map(list.map((provider) => [provider.config.id, provider]));
  return { publicUrl: config.publicUrl, list, get: (id) => byId.get(id) };
}

const built = new WeakMap<Config, OAuthProviders>();

/** The providers of this hub's configuration (parsed and built on first use, then kept). */
export function oauthProvidersOf(config: Config): OAuthProviders {
  let providers = built.get(config);
  if (!providers) {
    providers = createOAuthProviders(parseOAuthConfig(config.ECOURT_OAUTH_PROVIDERS));
    built.set(config, providers);
  }
  return providers;
}
