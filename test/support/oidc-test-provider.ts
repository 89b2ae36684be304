// A real OpenID Connect provider (the `oidc-provider` package) on loopback for OAuth login tests.
// Its login and consent interactions are completed programmatically (the account of `signInAs`),
// through its own interaction API, so the rest — authorisation, code, PKCE, ID token signing,
// JWKS, discovery — is the real provider's.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who "signs in" at the provider on the next interaction. */
  signInAs: { accountId: string; name: string };
  /** Starts serving, once the relying party's redirect URI is known. */
  configure(redirectUri: string): void;
  close(): Promise<void>;
}

/** Listens first (so the issuer URL is known before the hub starts); serves once configured. */
export async function startTestOidcProvider(): Promise<TestOidcProvider> {
  let provider: Provider | null = null;
  const server: Server = createServer((req, res) => {
    if (!provider) {
      res.writeHead(503).end();
      return;
    }
    const current = provider;
    if (req.url?.startsWith('/interaction/')) {
      void interact(current, req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
      return;
    }
    void current.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The provider's own signing key (not its development default): our side must fetch it from the JWKS.
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-signing-key', alg: 'RS256', use: 'sig' };

  const handle: TestOidcProvider = {
    issuer,
    clientId: 'ecourt-test',
    clientSecret: 'test-client-secret-that-is-long-enough-0123456789',
    signInAs: { accountId: 'alice-0001', name: 'Alice Chen' },
    configure(redirectUri) {
      provider = new Provider(issuer, {
        clients: [
          {
            client_id: handle.clientId,
            client_secret: handle.clientSecret,
            redirect_uris: [redirectUri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
        pkce: { required: () => true },
        claims: { openid: ['sub'], profile: ['name'] },
        findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, name: sub === handle.signInAs.accountId ? handle.signInAs.name : sub }) }),
        interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
        features: { devInteractions: { enabled: false } },
        // The granted profile claims (the name) in the ID token itself, as many court IdPs do.
        conformIdTokenClaims: false,
        cookies: { keys: ['oidc-test-cookie-key'] },
        jwks: { keys: [signingKey] },
        ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  async function interact(current: Provider, req: Parameters<Provider['interactionDetails']>[0], res: Parameters<Provider['interactionDetails']>[1]) {
    const details = await current.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      await current.interactionFinished(req, res, { login: { accountId: handle.signInAs.accountId } }, { mergeWithLastSubmission: false });
      return;
    }
    const grant = new current.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    await current.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  }

  return handle;
}
