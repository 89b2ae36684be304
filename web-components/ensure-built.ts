// Builds the portal bundle when it is missing or older than its sources, so `npm start` on a
// fresh clone serves the site without a separate build step (and a rebuilt source is picked up).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB_DIR = fileURLToPath(new URL('.', import.meta.url));
export const COMPONENT_BUNDLE = join(WEB_DIR, 'dist', 'components', 'ecourt.js');

function newestIn(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestIn(join(path, entry)));
  return newest;
}

/** Resolves 'fresh' when the bundle is up to date, 'built' after building it. */
export async function ensureComponentsBuilt(): Promise<'fresh' | 'built'> {
  // The bundle also takes a few modules from outside web-components/ (names, roles).
  const sources = ['src', 'index.html', 'vite.config.ts', '../hub/collab/doc-names.ts', '../hub/collab/transcript-model.ts', '../platform/roles.ts'];
  const sourcesChanged = Math.max(...sources.map((name) => newestIn(join(WEB_DIR, name))));
  if (existsSync(COMPONENT_BUNDLE) && statSync(COMPONENT_BUNDLE).mtimeMs >= sourcesChanged) return 'fresh';
  const { build } = await import('vite');
  await build({ configFile: join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn' });
  return 'built';
}
