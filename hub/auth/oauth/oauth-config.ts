// The OAuth providers a court offers (第三方登录), from ECOURT_OAUTH_PROVIDERS: JSON, or the path of
// a JSON file (better for secrets and PEM keys). Secrets stay in here and the adapters: the
// providers list the portal gets carries only id, kind and names.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../../../platform/config.ts';

const names = z.object({ zh: z.string().trim().min(1).max(40), en: z.string().trim().min(1).max(60) });
const url = z.url({ protocol: /^https?$/ });
const common = {
  /** In our URLs (/auth/oauth/{id}/start): letters, digits and dashes. */
  id: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'lower-case letters, digits and -'),
  name: names,
  /** Court codes (e.g. "京0105") offering this provider; absent: every court. */
  courts: z.array(z.string().trim().min(1)).optional(),
};

export const providerConfigSchema = z.discriminatedUnion('kind', [
  z.object({
    ...common,
    kind: z.literal('oidc'),
    issuer: url,
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    scopes: z.array(z.string().min(1)).default(['openid', 'profile']),
  }),
  z.object({ ...common, kind: z.literal('wechat'), appId: z.string().min(1), appSecret: z.string().min(1), authorizeBaseUrl: url.optional(), apiBaseUrl: url.optional() }),
  z.object({ ...common, kind: z.literal('dingtalk'), clientId: z.string().min(1), clientSecret: z.string().min(1), authorizeBaseUrl: url.optional(), apiBaseUrl: url.optional() }),
  z.object({
    ...common,
    kind: z.literal('alipay'),
    appId: z.string().min(1),
    appPrivateKey: z.string().includes('PRIVATE KEY'),
    alipayPublicKey: z.string().includes('PUBLIC KEY').optional(),
    authorizeBaseUrl: url.optional(),
    gatewayUrl: url.optional(),
  }),
]);

export type ProviderConfig = z.infer<typeof providerConfigSchema>;
export type ProviderKind = ProviderConfig['kind'];

export const oauthConfigSchema = z
  .object({
    /**
     * The address browsers reach the hub at (https://court.example); our redirect_uri is built on
     * it. Absent: taken from the request's Host header, for single-host installs and tests.
     */
    publicUrl: url.optional(),
    providers: z.array(providerConfigSchema).max(20),
  })
  .refine((config) => new Set(config.providers.map((p) => p.id)).size === config.providers.length, { message: 'provider ids must be unique' });

export type OAuthConfig = z.infer<typeof oauthConfigSchema>;

export const NO_OAUTH: OAuthConfig = { providers: [] };

/** A ConfigError: the CLI reports it like any bad variable (exit code 2). */
export class OAuthConfigError extends ConfigError {
  constructor(message: string) {
    super([{ variable: 'ECOURT_OAUTH_PROVIDERS', message }]);
    this.name = 'OAuthConfigError';
  }
}

/** The variable's value (JSON text, or a file path) → the checked configuration. Messages never quote secrets. */
export function parseOAuthConfig(value: string | undefined): OAuthConfig {
  if (value === undefined || value.trim() === '') return NO_OAUTH;
  let text = value.trim();
  if (!text.startsWith('{')) {
    try {
      text = readFileSync(text, 'utf8');
    } catch (error) {
      throw new OAuthConfigError(`cannot read the file ${value} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new OAuthConfigError('is not valid JSON');
  }
  const result = oauthConfigSchema.safeParse(json);
  if (!result.success) {
    throw new OAuthConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '));
  }
  return result.data;
}
