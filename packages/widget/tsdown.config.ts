import { packageBuild } from '../../scripts/package-build';

// Preact and signals are peer dependencies, left to the app, so an app that already uses Preact
// bundles one copy of it, not two. vite.config.ts builds the script tag's self-contained copy.
export default packageBuild({ entry: { index: 'src/index.tsx' }, platform: 'browser' });
