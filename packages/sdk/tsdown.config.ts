import { defineConfig } from 'tsdown';

// The npm build: ES module and CommonJS with bundled types; the targeting runtime and the widget
// stay behind import(), so app bundlers split them into chunks of their own. build.mjs adds the
// script-tag files under dist/cdn.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  platform: 'browser',
  target: 'es2020',
  dts: true,
  tsconfig: 'tsconfig.build.json',
  // The client is both the default export and its functions by name; CommonJS keeps both as properties.
  outputOptions: { exports: 'named' },
});
