import { defineConfig } from 'vite';

// One self-contained ES module (Preact and signals inlined): the sdk imports it on demand.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    lib: { entry: 'src/index.tsx', formats: ['es'], fileName: () => 'cxkit-widget.js' },
    target: 'es2020',
    minify: true,
    // Library builds keep whitespace and /* @__PURE__ */ annotations by default; this file ships to browsers as is.
    rolldownOptions: { output: { minify: true, comments: false } },
    emptyOutDir: true,
  },
});
