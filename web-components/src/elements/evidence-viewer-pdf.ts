// pdf.js for the evidence viewer: the library is bundled into ecourt.js and its worker is a file
// beside it (components/pdf.worker.min.mjs), served by our hub, found from the bundle's own address
// so it also works when a court's page on another origin embeds the bundle. Nothing from a CDN.
import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = new URL(workerUrl, import.meta.url).href;

export type { PDFDocumentProxy };

/** Opens a PDF from its bytes (pdf.js takes ownership of the buffer). No scripts, no eval. */
export function openPdf(bytes: ArrayBuffer): Promise<PDFDocumentProxy> {
  return getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, enableXfa: false }).promise;
}

/**
 * Draws one page into `canvas` at `cssWidth` CSS pixels wide (sharp on high-density screens) and
 * returns its size in CSS pixels. A render still running on the canvas is cancelled first.
 */
export class PdfPageRenderer {
  private task: RenderTask | null = null;

  async render(document: PDFDocumentProxy, pageNumber: number, canvas: HTMLCanvasElement, cssWidth: number): Promise<{ width: number; height: number } | null> {
    this.cancel();
    const page = await document.getPage(pageNumber);
    const unscaled = page.getViewport({ scale: 1 });
    const scale = cssWidth / unscaled.width;
    const ratio = window.devicePixelRatio || 1;
    const viewport = page.getViewport({ scale: scale * ratio });
    const size = { width: Math.round(unscaled.width * scale), height: Math.round(unscaled.height * scale) };
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.style.width = `${size.width}px`;
    canvas.style.height = `${size.height}px`;
    const task = page.render({ canvas, viewport });
    this.task = task;
    try {
      await task.promise;
      return size;
    } catch (error) {
      // A newer render replaced this one: not a failure.
      if ((error as { name?: string }).name === 'RenderingCancelledException') return null;
      throw error;
    } finally {
      if (this.task === task) this.task = null;
    }
  }

  cancel(): void {
    this.task?.cancel();
    this.task = null;
  }
}
