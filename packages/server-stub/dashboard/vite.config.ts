import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard is built into the server's dist/ and served by it at /dashboard.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/dashboard',
    emptyOutDir: true,
    target: 'es2022',
    // One script and one stylesheet: nothing inline, so the page runs under a strict CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // The survey editor's preview is a page of its own, drawn in a frame.
    rolldownOptions: { input: { index: 'index.html', preview: 'preview.html' } },
  },
  logLevel: 'warn',
});
