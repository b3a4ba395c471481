import { readdirSync } from 'node:fs';
import { packageBuild } from '../../scripts/package-build';

// Preact and signals are peer dependencies, left to the app, so an app that already uses Preact
// bundles one copy of it, not two. Each language but English is an entry of its own
// (@cxkit/widget/locales/de …), so the app's bundler gives it a chunk of its own that the sdk loads
// beside the widget. vite.config.ts builds the script tag's self-contained copy.
const locales = Object.fromEntries(
  readdirSync(new URL('src/locales', import.meta.url)).map((file) => [`locales/${file.replace(/\.ts$/, '')}`, `src/locales/${file}`]),
);

export default packageBuild({ entry: { index: 'src/index.tsx', ...locales }, platform: 'browser' });
