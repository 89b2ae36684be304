// A worker thread of the documents benchmark's batch row: opens the court CA's seal signer itself
// (key objects do not cross threads), warms up, says "ready", and on "go" seals its share of one-page
// documents back to back — so the measured time excludes loading modules in the thread.
import { parentPort, workerData } from 'node:worker_threads';
import { CourtCa } from '../../documents/ca/court-ca.ts';
import { applySeal } from '../../documents/seal/apply-seal.ts';

const { caDir, dataKey, pdf, count } = workerData as { caDir: string; dataKey: Uint8Array; pdf: Uint8Array; count: number };
const signer = new CourtCa(caDir, Buffer.from(dataKey)).signer('court');
const bytes = Buffer.from(pdf);
const seal = () => applySeal({ pdf: bytes, signer, placement: { mode: 'fixed', page: 1, x: 380, y: 80 } });
for (let warm = 0; warm < 5; warm++) await seal();
parentPort!.once('message', async () => {
  for (let index = 0; index < count; index++) await seal();
  parentPort!.postMessage('done');
});
parentPort!.postMessage('ready');
