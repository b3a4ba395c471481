import { readdirSync } from 'node:fs';
import { defineConfig } from 'vite';

// Every language but English is a file of its own beside the widget chunk (cxkit-widget-de.js …).
const languageFiles = Object.fromEntries(
  readdirSync(new URL('src/locales', import.meta.url)).map((file) => [`cxkit-widget-${file.replace(/\.ts$/, '')}`, `src/locales/${file}`]),
);

// The script-tag copy: one self-contained ES module (Preact and signals inlined) that the sdk's cdn
// build serves beside cxkit.js and imports on demand, with the language file in parallel. The npm
// build (tsdown.config.ts) leaves Preact to the host app. The widget's tests extend this config, so
// they compile the JSX as the build does.
export default defineConfig({
  // Without the "browser" condition @preact/signals resolves to its modern build (signals.mjs) instead
  // of the ES5 one, 0.02 kB smaller in the chunk; Preact's two builds are the same file.
  resolve: { conditions: ['module', 'production'] },
  // Classic h() calls, so each .tsx file imports h (and Fragment): Preact's createElement is in the
  // chunk anyway, while the automatic runtime would ship a second vnode factory.
  oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' } },
  build: {
    lib: { entry: { 'cxkit-widget': 'src/index.tsx', ...languageFiles }, formats: ['es'], fileName: (_, name) => `${name}.js` },
    target: 'es2020',
    // terser's compressor first (it folds what oxc leaves, 0.13 kB of the chunk), then rolldown's own
    // minifier mangles and prints. No unsafe options: signals' .value getters must stay calls.
    minify: 'terser',
    terserOptions: { module: true, compress: { passes: 2 }, mangle: false },
    // Library builds keep whitespace and /* @__PURE__ */ annotations by default; this file ships to browsers as is.
    rolldownOptions: { output: { minify: true, comments: false } },
    outDir: 'dist/cdn',
    emptyOutDir: true,
  },
});
