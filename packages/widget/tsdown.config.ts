import { defineConfig } from 'tsdown';

// The npm build: ES module and CommonJS with bundled types. Preact and signals are peer
// dependencies, so an app that already uses Preact bundles one copy of it, not two.
export default defineConfig({
  entry: { index: 'src/index.tsx' },
  format: ['esm', 'cjs'],
  platform: 'browser',
  target: 'es2020',
  dts: true,
  tsconfig: 'tsconfig.build.json',
  clean: false,
});
