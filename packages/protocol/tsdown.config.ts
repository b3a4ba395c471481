import { defineConfig } from 'tsdown';

// ES module and CommonJS with bundled types: one .d.ts per format, so every resolver finds them.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  platform: 'neutral',
  target: 'es2020',
  dts: true,
  tsconfig: 'tsconfig.build.json',
});
