// Outputs: the ES module for npm (the targeting runtime split into its own chunk), and for script
// tags the loader snippet and the core as IIFE files, with the targeting runtime (an ES module), the
// widget chunk and its language files beside the core, which imports them relative to itself.
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const shared = { configFile: false, logLevel: 'warn' };
const minified = { minify: true, rolldownOptions: { output: { minify: true } } };

await build({
  ...shared,
  build: {
    lib: { entry: { index: 'src/index.ts' }, formats: ['es'] },
    rolldownOptions: { external: ['idb-keyval', '@cxkit/protocol', /^@cxkit\/widget(\/|$)/] },
    target: 'es2020',
    outDir: 'dist',
    emptyOutDir: true,
  },
});

for (const [entry, fileName] of [
  ['src/cdn.ts', 'cxkit.js'],
  ['src/loader.ts', 'loader.js'],
]) {
  await build({
    ...shared,
    build: {
      lib: { entry, formats: ['iife'], name: 'cxkitBundle', fileName: () => fileName },
      target: 'es2020',
      outDir: 'dist/cdn',
      emptyOutDir: false,
      ...minified,
    },
  });
}

await build({
  ...shared,
  build: {
    lib: { entry: 'src/survey-runtime.ts', formats: ['es'], fileName: () => 'cxkit-surveys.js' },
    target: 'es2020',
    outDir: 'dist/cdn',
    emptyOutDir: false,
    ...minified,
  },
});

await mkdir('dist/cdn', { recursive: true });
// The widget chunk and its language files (cxkit-widget-de.js …).
const widgetDir = dirname(fileURLToPath(import.meta.resolve('@cxkit/widget')));
for (const file of await readdir(widgetDir)) {
  if (/^cxkit-widget.*\.js$/.test(file)) await copyFile(join(widgetDir, file), join('dist/cdn', file));
}
