// Worker thread of PdfPageCounter: parses uploaded PDFs with pdf.js off the hub's event loop.
// Plain JavaScript so that it starts without the TypeScript loader (workers do not inherit it).
import { parentPort } from 'node:worker_threads';
import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';

parentPort.on('message', async ({ id, bytes }) => {
  // pdf.js parses the file (cross-reference table, catalogue, page tree) exactly as the viewer will.
  const task = getDocument({ data: bytes, isEvalSupported: false, disableFontFace: true, stopAtErrors: true, verbosity: VerbosityLevel.ERRORS });
  try {
    const document = await task.promise;
    parentPort.postMessage({ id, pageCount: document.numPages });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  } finally {
    await task.destroy().catch(() => undefined);
  }
});
