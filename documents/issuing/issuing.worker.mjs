// Worker thread of the issuing pool (issuing-pool.ts): renders and seals documents (render-and-seal.ts)
// off the hub's event loop. Plain JavaScript because a worker does not inherit the TypeScript loader:
// it registers tsx itself (as bin/ecourt.mjs does), then loads the TypeScript modules.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { renderAndSeal } = await import('./render-and-seal.ts');
const { cachingFontkit, cjkFontBytes } = await import('../seal/cjk-font.ts');
// Parse the CJK font now, while the thread is idle, rather than in its first document.
cachingFontkit.create(cjkFontBytes());

parentPort.on('message', async ({ id, job }) => {
  try {
    const result = await renderAndSeal(job);
    // Copied, not transferred: a Buffer may be a view into a shared pool.
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({
      id,
      error: {
        message: error instanceof Error ? error.message : String(error),
        code: error && typeof error === 'object' && 'code' in error ? error.code : undefined,
        details: error && typeof error === 'object' && 'details' in error ? error.details : undefined,
      },
    });
  }
});
parentPort.postMessage({ ready: true });
