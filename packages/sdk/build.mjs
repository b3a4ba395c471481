// The script-tag files (the npm build is tsdown's, run before): the loader snippet and the core as
// IIFE files, with the survey definitions and the targeting runtime (ES modules), the widget's
// self-contained copy and its language files beside the core, which imports them relative to itself.
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';
import { build } from 'vite';

const shared = { configFile: false, logLevel: 'warn' };
const minified = { minify: true, rolldownOptions: { output: { minify: true } } };

const files = [
  ['src/cdn.ts', 'cxkit.js', 'iife'],
  ['src/loader.ts', 'loader.js', 'iife'],
  ['src/survey-definitions.ts', 'cxkit-definitions.js', 'es'],
  ['src/survey-runtime.ts', 'cxkit-surveys.js', 'es'],
];
for (const [entry, fileName, format] of files) {
  await build({
    ...shared,
    build: {
      lib: { entry, formats: [format], name: 'cxkitBundle', fileName: () => fileName },
      target: 'es2020',
      outDir: 'dist/cdn',
      emptyOutDir: false,
      ...minified,
    },
  });
}

// Script-tag files pay for every byte: a second, multi-pass minification takes 3-4 % more off than
// the bundler's alone (measured with size-limit), with the same code.
for (const [, file, format] of files) {
  const path = `dist/cdn/${file}`;
  const { code } = await minify(await readFile(path, 'utf8'), { module: format === 'es', toplevel: true, compress: { passes: 3 } });
  await writeFile(path, code);
}

await mkdir('dist/cdn', { recursive: true });
// The widget's script-tag copy and its language files (cxkit-widget-de.js …).
const widgetDir = fileURLToPath(new URL('dist/cdn/', import.meta.resolve('@cxkit/widget/package.json')));
for (const file of await readdir(widgetDir)) {
  if (/^cxkit-widget.*\.js$/.test(file)) await copyFile(join(widgetDir, file), join('dist/cdn', file));
}
