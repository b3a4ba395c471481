import { copyFile } from 'node:fs/promises';
import { packageBuild } from '../../scripts/package-build';

// CommonJS for require('@cxkit/server-stub'), and the public types bundled into one file for both
// formats (so they name no engine's types); the ES modules, the command and the read worker are
// tsc's output beside it in dist/, where the bundle finds the worker and the dashboard.
export default packageBuild({
  format: ['cjs'],
  platform: 'node',
  target: 'node20',
  shims: true,
  clean: false,
  hooks: { 'build:done': () => copyFile('dist/index.d.cts', 'dist/index.d.ts') },
});
