// The end-to-end tests' shared set-up: Debian's Chromium (a missing browser fails in CI and skips
// elsewhere, with the reason in the suite's name), the whole platform in-process with the demo
// court, browser contexts that collect page errors, the demo login, and README screenshots.
import { expect } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inCI } from './services.ts';
import { DEFAULT_STATIC_DIR, type RunningPlatform } from '../../platform/node.ts';
import { ensureComponentsBuilt } from '../../web-components/ensure-built.ts';
import { DEMO_PASSWORD, startDemoPlatform } from './demo-platform.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export { DEMO_PASSWORD };
export const LIVE_TIMEOUT_MS = 15_000;
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
/** The README's screenshots are rewritten only when missing or asked for, so test runs leave git clean. */
const UPDATE_SCREENSHOTS = process.env.ECOURT_UPDATE_SCREENSHOTS === '1';

export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && inCI) throw new Error(`Chromium is required in CI but missing at ${CHROMIUM} (apt-get install chromium)`);
export const chromiumSkipReason = hasChromium ? '' : ` (skipped: Chromium not found at ${CHROMIUM})`;

export interface PortalBrowser {
  platform: RunningPlatform;
  baseUrl: string;
  /** Page errors of every page opened, to assert there were none. */
  pageErrors: string[];
  openPage(viewport?: { width: number; height: number }, timezoneId?: string): Promise<Page>;
  /**
   * Pages of a second Chromium on the same platform, with its own arguments: e.g. a participant whose
   * fake microphone plays another file (Chromium's fake capture is one file per browser).
   */
  otherBrowser(chromiumArgs: readonly string[]): Promise<{ openPage(viewport?: { width: number; height: number }): Promise<Page> }>;
  logIn(page: Page, username: string): Promise<void>;
  close(): Promise<void>;
}

/** Chromium's fake camera (a test pattern) and microphone (a beep), granted without a prompt. */
export const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'];

export async function startPortalBrowser(tempPrefix: string, options: { chromiumArgs?: readonly string[]; env?: Record<string, string> } = {}): Promise<PortalBrowser> {
  await ensureComponentsBuilt();
  const demo = await startDemoPlatform({ tempPrefix, staticDir: () => DEFAULT_STATIC_DIR, logLevel: 'warn', ...(options.env ? { env: options.env } : {}) });
  const { platform, base: baseUrl } = demo;
  const launch = (args: readonly string[]): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...args] });
  const browser = await launch(options.chromiumArgs ?? []);
  const others: Browser[] = [];
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const pageOf = async (from: Browser, viewport = { width: 1280, height: 900 }, timezoneId = 'Asia/Shanghai') => {
    const context = await from.newContext({ viewport, locale: 'zh-CN', timezoneId });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(LIVE_TIMEOUT_MS);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  };
  return {
    platform,
    baseUrl,
    pageErrors,
    openPage: (viewport, timezoneId) => pageOf(browser, viewport, timezoneId),
    async otherBrowser(chromiumArgs) {
      const other = await launch(chromiumArgs);
      others.push(other);
      return { openPage: (viewport) => pageOf(other, viewport) };
    },
    async logIn(page, username) {
      await page.goto(`${baseUrl}/#/login`);
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('signed-in-user').waitFor();
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      for (const other of others) await other.close().catch(() => undefined);
      await browser.close();
      await demo.stop();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const image = await page.screenshot({ fullPage: true });
  expect(image.length).toBeGreaterThan(10_000);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, name);
  if (UPDATE_SCREENSHOTS || !existsSync(path)) writeFileSync(path, image);
}
