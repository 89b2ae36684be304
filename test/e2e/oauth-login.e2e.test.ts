// 第三方登录 in the portal, in headless Chromium: the login page's provider button, the round trip
// through a real OpenID Connect provider (oidc-provider on loopback), 账号绑定 with a password
// sign-in the first time, and a direct sign-in the next time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason as skipReason, DEMO_PASSWORD, hasChromium, startPortalBrowser, type PortalBrowser } from '../support/portal-browser.ts';
import { startTestOidcProvider, type TestOidcProvider } from '../support/oidc-test-provider.ts';

describe.skipIf(!hasChromium)(`external sign-in in the portal${skipReason}`, () => {
  let oidc: TestOidcProvider;
  let portal: PortalBrowser;

  beforeAll(async () => {
    oidc = await startTestOidcProvider();
    oidc.signInAs = { accountId: 'lawyer-zhou', name: '周律' };
    portal = await startPortalBrowser('ecourt-e2e-oauth-', {
      env: {
        ECOURT_OAUTH_PROVIDERS: JSON.stringify({
          providers: [{ id: 'court-idp', kind: 'oidc', name: { zh: '法院统一身份认证', en: 'Court single sign-on' }, issuer: oidc.issuer, clientId: oidc.clientId, clientSecret: oidc.clientSecret }],
        }),
      },
    });
    oidc.configure(`${portal.baseUrl}/api/v1/auth/oauth/court-idp/callback`);
  }, 180_000);

  afterAll(async () => {
    await portal?.close();
    await oidc?.close();
  });

  it('links the external identity after one password sign-in, then signs in with it directly', async () => {
    const first = await portal.openPage();
    await first.goto(`${portal.baseUrl}/#/login`);
    await first.getByTestId('oauth-court-idp').first().click();
    await first.getByTestId('oauth-pending').waitFor();
    expect(first.url()).toBe(`${portal.baseUrl}/#/oauth`);
    await first.getByTestId('login-username').fill('lawyer1');
    await first.getByTestId('login-password').fill(DEMO_PASSWORD);
    await first.getByTestId('login-submit').click();
    await first.getByTestId('oauth-linked').waitFor();

    // Another browser (no session): the same provider account now signs in as lawyer1.
    const second = await portal.openPage();
    await second.goto(`${portal.baseUrl}/#/login`);
    await second.getByTestId('oauth-court-idp').first().click();
    await expect.poll(() => second.getByTestId('signed-in-user').textContent()).toContain('周律');
    expect(second.url()).toBe(`${portal.baseUrl}/#/cases`);
    expect(portal.pageErrors).toEqual([]);
  });

  it('shows a refused callback’s coded error in the chosen language', async () => {
    const page = await portal.openPage();
    await page.goto(`${portal.baseUrl}/#/oauth?provider=court-idp&ticket=forged`);
    await expect.poll(() => page.getByTestId('oauth-error').textContent()).toBe('登录已失效，请重新登录');
  });
});
