import { defineConfig } from 'vite';

// The script-tag copy: one self-contained ES module (Preact and signals inlined) that the sdk's cdn
// build serves beside cxkit.js. The npm build (tsdown.config.ts) leaves Preact to the host app. The
// widget's tests extend this config, so they compile the JSX as the build does.
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
    outDir: 'dist/cdn',
    emptyOutDir: true,
  },
});
