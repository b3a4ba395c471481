import { packageBuild } from '../../scripts/package-build';

// The targeting runtime and the widget stay behind import(), so app bundlers split them into chunks
// of their own. build.mjs adds the script-tag files under dist/cdn.
export default packageBuild({
  platform: 'browser',
  // The client is both the default export and its functions by name; CommonJS keeps both as
  // properties. In CommonJS the widget is required when a survey shows: Jest and other CommonJS
  // runners cannot import() a package.
  outputOptions: { exports: 'named', dynamicImportInCjs: false },
});
