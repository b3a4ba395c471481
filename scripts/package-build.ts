import { defineConfig, type UserConfig } from 'tsdown';

/**
 * What the published packages' builds share: src/index as an ES module and as CommonJS, each with
 * its types bundled into one .d.ts/.d.cts (no relative imports left for nodenext or node10 to miss).
 */
export function packageBuild(config: UserConfig): UserConfig {
  return defineConfig({
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    target: 'es2020',
    dts: true,
    tsconfig: 'tsconfig.build.json',
    // Type generation is slow next to bundling by nature; the warning saying so on every build is noise.
    inputOptions: { checks: { pluginTimings: false } },
    ...config,
  });
}
