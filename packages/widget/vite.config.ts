import { defineConfig } from 'vite';

// One self-contained ES module (Preact inlined): the sdk imports it on demand. The widget's tests
// extend this config, so they compile the JSX as the build does.
export default defineConfig({
  // Classic h() calls, so each .tsx file imports h (and Fragment): Preact's createElement is in the
  // chunk anyway, while the automatic runtime would ship a second vnode factory.
  oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' } },
  build: {
    lib: { entry: 'src/index.tsx', formats: ['es'], fileName: () => 'cxkit-widget.js' },
    target: 'es2020',
    minify: true,
    // Library builds keep whitespace and /* @__PURE__ */ annotations by default; this file ships to browsers as is.
    rolldownOptions: { output: { minify: true, comments: false } },
    emptyOutDir: true,
  },
});
