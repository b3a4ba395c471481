import { readdirSync } from 'node:fs';
import { defineConfig } from 'vite';

// Every language but English is a file of its own beside the widget chunk (cxkit-widget-de.js …).
const languageFiles = Object.fromEntries(
  readdirSync(new URL('src/locales', import.meta.url)).map((file) => [`cxkit-widget-${file.replace(/\.ts$/, '')}`, `src/locales/${file}`]),
);

// One self-contained ES module (Preact and signals inlined): the sdk imports it on demand, and the
// language file in parallel. The widget's tests extend this config, so they compile the JSX as the build does.
export default defineConfig({
  // Classic h() calls, so each .tsx file imports h (and Fragment): Preact's createElement is in the
  // chunk anyway, while the automatic runtime would ship a second vnode factory.
  oxc: { jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' } },
  build: {
    lib: { entry: { 'cxkit-widget': 'src/index.tsx', ...languageFiles }, formats: ['es'], fileName: (_, name) => `${name}.js` },
    target: 'es2020',
    minify: true,
    // Library builds keep whitespace and /* @__PURE__ */ annotations by default; this file ships to browsers as is.
    rolldownOptions: { output: { minify: true, comments: false } },
    emptyOutDir: true,
  },
});
