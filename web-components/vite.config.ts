// Builds the embeddable component bundle (dist/components/ecourt.js, Lit included, one file)
// and the demo court site (dist/index.html) that loads it. Nothing is fetched from a CDN.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  resolve: {
    // Lit ships a development build under the "development" condition, which Vite picks whenever
    // NODE_ENV is not "production" (e.g. a build started from vitest). Courts always get production.
    conditions: ['module', 'browser', 'production'],
  },
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The hub serves the bundle at a fixed address that court websites embed, so no hashes
    // and no split chunks: one module a court can copy.
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    assetsInlineLimit: 100_000,
    // One bundle by design, pdf.js (the evidence viewer) included: ~630 KB, ~450 KB of it pdf.js.
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      input: { index: fileURLToPath(new URL('./index.html', import.meta.url)) },
      output: {
        entryFileNames: 'components/ecourt.js',
        chunkFileNames: 'components/ecourt-[name].js',
        assetFileNames: 'components/[name][extname]',
        inlineDynamicImports: true,
      },
    },
  },
  server: {
    // `vite --config web-components/vite.config.ts` proxies the API to a running platform.
    proxy: {
      '/api': process.env.ECOURT_DEV_API ?? 'http://127.0.0.1:8080',
      '/rt': { target: (process.env.ECOURT_DEV_API ?? 'http://127.0.0.1:8080').replace(/^http/, 'ws'), ws: true },
    },
  },
});
