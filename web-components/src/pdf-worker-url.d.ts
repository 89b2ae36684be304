// Vite's `?url` import of pdf.js's worker: the address of the worker file it emits beside the bundle.
declare module 'pdfjs-dist/build/pdf.worker.min.mjs?url' {
  const url: string;
  export default url;
}
