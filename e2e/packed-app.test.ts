// The packages as npm users get them: packed with npm, installed with npm into a fresh app, type
// checked under nodenext and bundler resolution without skipLibCheck, required from CommonJS,
// bundled with Vite, and run in Chromium against a server started with npx from its tarball in an
// empty directory, for a project that allows only the app's origin. Prints the tarball sizes and
// what the sdk adds to a Vite app.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { LOCALES } from '../packages/protocol/src/locales';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { npmEnv, PACKAGES, packPackage } from '../scripts/pack-packages.mjs';
import { freePort, launchChromium, tempDir } from './harness';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');
// Installing takes a minute on a busy machine; compiling better-sqlite3 from source, when its
// binary cannot be given, a minute or two more.
const INSTALL_MS = 8 * 60_000;

const work = tempDir();
const app = join(work, 'app');
const serverDir = join(work, 'server');
const prebuilds = join(work, 'prebuilds');
// npx installs the server into this cache, never into a project: each run starts from nothing.
// better-sqlite3's install script downloads its prebuilt binary from GitHub, as a user's npm does;
// with only the npm registry reachable here, it is handed the workspace's own build of that same
// version as a local prebuild (its documented *_local_prebuilds setting) instead of compiling it.
const npxEnv = {
  ...npmEnv,
  npm_config_cache: join(work, 'npx-cache'),
  npm_config_update_notifier: 'false',
  npm_config_better_sqlite3_local_prebuilds: prebuilds,
};
const tarballs: Record<string, { file: string; size: number }> = {};
let server: ChildProcess | undefined;
let serverUrl: string;
let writeKey: string;
let readKey: string;
let host: Server;
let appPort: number;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(app, { recursive: true });
  mkdirSync(serverDir);
  for (const name of PACKAGES) tarballs[name] = await packPackage(join(root, 'packages', name), work);
  await packSqlitePrebuild();
  appPort = await freePort();
  host = await serveApp();
  await Promise.all([installApp(), startServerWithNpx()]);
  browser = await launchChromium();
}, INSTALL_MS);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (host ? host.close(resolve) : resolve(undefined)));
  if (server?.pid && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    // npx runs the server as its child: end the whole group it leads.
    process.kill(-server.pid, 'SIGTERM');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
});

/**
 * better-sqlite3's binary as its release assets pack it (better-sqlite3-v<version>-node-v<abi>-
 * <platform>-<arch>.tar.gz holding build/Release/better_sqlite3.node), from the workspace's copy of
 * the version the server pins. Without it (another platform or libc) the install compiles as before.
 */
async function packSqlitePrebuild(): Promise<void> {
  const requireFromServer = createRequire(join(root, 'packages/server-stub/package.json'));
  const dir = dirname(requireFromServer.resolve('better-sqlite3/package.json'));
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  mkdirSync(prebuilds);
  const file = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await run('tar', ['-czf', join(prebuilds, file), '-C', dir, 'build/Release/better_sqlite3.node']);
}

/** The app's Vite build, as a static host serves it; on 127.0.0.1 and, as another origin, localhost. */
async function serveApp(): Promise<Server> {
  const files = createServer((request, response) => {
    const path = new URL(request.url!, 'http://app').pathname;
    const file = join(app, 'dist', path === '/' ? 'index.html' : path);
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      return response.writeHead(404).end();
    }
    response.writeHead(200, { 'Content-Type': extname(file) === '.js' ? 'text/javascript' : 'text/html' }).end(body);
  });
  await new Promise<void>((resolve) => files.listen(appPort, '127.0.0.1', resolve));
  return files;
}

/** The app depends on the four tarballs; npm resolves the packages' dependencies on each other to them. */
async function installApp(): Promise<void> {
  const dependencies = Object.fromEntries(PACKAGES.map((name) => [`@cxkit/${name}`, `file:${tarballs[name]!.file}`]));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true, type: 'module', dependencies }));
  // Without install scripts: the app only type checks and requires the server package, which loads
  // better-sqlite3's native part on first use; the server that runs is the one npx installs.
  await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: app, env: npmEnv });
}

/**
 * As docs/server.md says, `npx --package @cxkit/server-stub cxkit-server …`, with the tarball for the
 * name. Until the packages are on npm, the server's dependencies on the other three are given as
 * tarballs too; npm installs the four together, as it will from the registry.
 */
async function startServerWithNpx(): Promise<void> {
  const packages = PACKAGES.flatMap((name) => ['--package', tarballs[name]!.file]);
  const npx = (args: string[]) => ['--yes', ...packages, 'cxkit-server', ...args];
  const { stdout } = await run('npx', npx(['project', 'create', '--name', 'Fresh App', '--origin', `http://127.0.0.1:${appPort}`]), {
    cwd: serverDir,
    env: npxEnv,
  });
  writeKey = /write key\s+(pk_\w+)/.exec(stdout)![1]!;
  readKey = /read key\s+(sk_\w+)/.exec(stdout)![1]!;
  const port = await freePort();
  serverUrl = `http://127.0.0.1:${port}`;
  server = spawn('npx', npx(['--port', String(port)]), { cwd: serverDir, env: npxEnv, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    server!.once('exit', (code) => reject(new Error(`cxkit-server exited early with code ${code}`)));
    server!.stdout!.on('data', (chunk) => String(chunk).includes('listening') && resolve());
  });
}

const write = (file: string, text: string) => {
  mkdirSync(join(app, file, '..'), { recursive: true });
  writeFileSync(join(app, file), text);
};

test('the installed packages type check under nodenext (ESM and CommonJS files) and bundler resolution, libraries included', async () => {
  // Real uses of every package's types, and mistakes they must catch.
  const uses = `
import { init, track, showSurvey, on, type InitOptions, type SurveyDefinition, type RefusalResponse } from '@cxkit/sdk';
import { REFUSAL_REASONS, scaleOf, type Item } from '@cxkit/protocol';
import type { MountOptions, WidgetModule } from '@cxkit/widget';
import { createApp, openSqlite, type AppOptions } from '@cxkit/server-stub';

const options: InitOptions = { writeKey: 'pk_test', host: 'https://cx.example.com', theme: 'dark' };
init(options);
track('checkout_completed', { total: 90.5 });
const survey: SurveyDefinition = { id: 'nps-checkout', metric: 'nps', trigger: { event: 'checkout_completed' } };
showSurvey(survey);
on('dropped', ({ count, code }) => console.log(count, code));
// @ts-expect-error an event name is a string
track(42);
// @ts-expect-error there is no such theme
init({ writeKey: 'pk_test', theme: 'blue' });
// @ts-expect-error a metric is nps, csat or ces
const wrong: SurveyDefinition = { id: 'x', metric: 'stars' };
const reason: RefusalResponse['reason'] = REFUSAL_REASONS[1];
const item: Item['type'] = 'survey_response';
type Mount = WidgetModule['mount'];
const mountOptions: Partial<MountOptions> = {};
const appOptions: AppOptions = { storage: openSqlite(':memory:') };
export const values = { wrong, reason, item, mountOptions, scale: scaleOf('ces', 5).max, app: createApp(appOptions) };
export type { Mount };
`;
  const required = `
import sdk = require('@cxkit/sdk');
import protocol = require('@cxkit/protocol');
import widget = require('@cxkit/widget');
import server = require('@cxkit/server-stub');
sdk.init({ writeKey: 'pk_test' });
// @ts-expect-error an event name is a string
sdk.track(42);
export const values = { reasons: protocol.REFUSAL_REASONS, mount: widget.mount, createApp: server.createApp };
`;
  write('types/uses.ts', uses);
  write('types/required.cts', required);
  const compilerOptions = { strict: true, noEmit: true, skipLibCheck: false, target: 'ES2022', lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [] };
  write('tsconfig.nodenext.json', JSON.stringify({ compilerOptions: { ...compilerOptions, module: 'NodeNext', moduleResolution: 'NodeNext' }, include: ['types'] }));
  write('tsconfig.bundler.json', JSON.stringify({ compilerOptions: { ...compilerOptions, module: 'ESNext', moduleResolution: 'Bundler' }, include: ['types/uses.ts'] }));
  for (const config of ['tsconfig.nodenext.json', 'tsconfig.bundler.json']) {
    const result = await run(process.execPath, [tsc, '-p', config], { cwd: app }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    expect(result, config).toBe('');
  }
}, 120_000);

test('every package can be required from CommonJS, without import() in the browser packages, and the sdk does nothing where there is no DOM', async () => {
  write(
    'require.cjs',
    `
const assert = require('node:assert');
const { readdirSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const protocol = require('@cxkit/protocol');
const sdk = require('@cxkit/sdk');
const widget = require('@cxkit/widget');
const server = require('@cxkit/server-stub');
assert.deepStrictEqual(protocol.REFUSAL_REASONS, ['unknown_write_key', 'origin_not_allowed']);
assert.strictEqual(protocol.scaleOf('nps').max, 10);
for (const name of ['init', 'identify', 'track', 'showSurvey', 'flush', 'optOut', 'optIn', 'reset', 'on']) assert.strictEqual(typeof sdk[name], 'function', name);
assert.strictEqual(sdk.default.track, sdk.track);
sdk.init({ writeKey: 'pk_test' });
sdk.track('checkout_completed');
assert.strictEqual(typeof widget.mount, 'function');
for (const name of ['createApp', 'startServer', 'openSqlite', 'seedDemo']) assert.strictEqual(typeof server[name], 'function', name);
// Jest and other CommonJS runners cannot import(): the browser packages' CommonJS builds require their lazy parts.
for (const name of ['@cxkit/protocol', '@cxkit/sdk', '@cxkit/widget']) {
  const dir = dirname(require.resolve(name));
  for (const file of readdirSync(dir).filter((file) => file.endsWith('.cjs'))) assert(!readFileSync(join(dir, file), 'utf8').includes('import('), file);
}
console.log('required');
`,
  );
  const { stdout } = await run(process.execPath, ['require.cjs'], { cwd: app });
  expect(stdout.trim()).toBe('required');
});

/** gzip sizes of a Vite build's JS: the entry chunk, and the chunks loaded later. */
async function viteBuild(html: string, outDir: string) {
  await build({ root: app, configFile: false, logLevel: 'warn', build: { outDir, emptyOutDir: true, rolldownOptions: { input: join(app, html) } } });
  const assets = join(app, outDir, 'assets');
  const chunks = readdirSync(assets)
    .filter((file) => file.endsWith('.js'))
    .map((file) => ({ file, text: readFileSync(join(assets, file), 'utf8') }));
  const entry = /src="\/assets\/([^"]+\.js)"/.exec(readFileSync(join(app, outDir, html), 'utf8'))![1]!;
  const gzip = (text: string) => gzipSync(text, { level: 9 }).length;
  return {
    chunks,
    entryFile: entry,
    entry: gzip(chunks.find((chunk) => chunk.file === entry)!.text),
    lazy: chunks.filter((chunk) => chunk.file !== entry).map((chunk) => ({ file: chunk.file, gzip: gzip(chunk.text) })),
  };
}

test('a Vite app bundles the sdk, with the survey definitions, the targeting runtime and the widget in lazy chunks and one copy of Preact shared with the app', async () => {
  // The host app renders with Preact itself; with the sdk, its button also asks an NPS question.
  const page = (withSdk: boolean) => `
import { h, render } from 'preact';
${withSdk ? "import { init, showSurvey, track } from '@cxkit/sdk';" : ''}
${withSdk ? `init({ writeKey: ${JSON.stringify(writeKey)}, host: ${JSON.stringify(serverUrl)} });` : ''}
const checkout = () => {
  document.title = 'checked out';
  ${withSdk ? "track('checkout_completed'); showSurvey({ id: 'nps-checkout', metric: 'nps', comment: false });" : ''}
};
render(h('button', { id: 'checkout', onClick: checkout }, 'Complete checkout'), document.getElementById('app'));
`;
  write('src/main.ts', page(true));
  write('src/baseline.ts', page(false));
  const html = (script: string) => `<!doctype html><html lang="en"><title>Fresh app</title><div id="app"></div><script type="module" src="/src/${script}"></script>`;
  write('index.html', html('main.ts'));
  write('baseline.html', html('baseline.ts'));

  const withSdk = await viteBuild('index.html', 'dist');
  const baseline = await viteBuild('baseline.html', 'dist-baseline');
  const lazy = withSdk.lazy.reduce((sum, chunk) => sum + chunk.gzip, 0);
  const kB = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`;
  console.log(
    [
      'packed tarballs: ' + PACKAGES.map((name) => `@cxkit/${name} ${kB(tarballs[name]!.size)}`).join(', '),
      `the sdk adds to a Vite app (gzip): ${kB(withSdk.entry - baseline.entry)} up front (entry ${kB(withSdk.entry)} against ${kB(baseline.entry)} without it), ` +
        `and ${kB(lazy)} on demand: ${withSdk.lazy.map((chunk) => `${chunk.file} ${kB(chunk.gzip)}`).join(', ')}`,
    ].join('\n'),
  );

  // Up front the sdk is about the size of the script-tag core; the rest waits for a survey.
  expect(withSdk.entry - baseline.entry).toBeLessThan(8_500);
  // On demand: the survey definitions, the targeting runtime, the widget, and a file for each
  // language but English.
  expect(withSdk.lazy).toHaveLength(3 + LOCALES.length - 1);
  // Preact's attribute test, once per copy of Preact: the one copy is the app's, in its entry chunk,
  // and the widget's chunk uses it.
  const copies = withSdk.chunks.map((chunk) => chunk.text.split('ows|mnc|ntw|ine[ch]|zoo|^ord|itera').length - 1);
  expect(copies).toEqual(withSdk.chunks.map((chunk) => (chunk.file === withSdk.entryFile ? 1 : 0)));

}, 120_000);

/** The page, what cxkit said in its console, and every request it made to the cxkit server. */
async function openApp(origin: string) {
  const page: Page = await browser.newPage();
  const said: string[] = [];
  const requests: string[] = [];
  page.on('console', (message: ConsoleMessage) => message.text().includes('[cxkit]') && said.push(message.text()));
  page.on('request', (request) => request.url().startsWith(serverUrl) && requests.push(new URL(request.url()).pathname));
  await page.goto(`${origin}/`);
  return { page, said, requests };
}

async function responses(): Promise<{ surveyId: string; score: number }[]> {
  const answer = await fetch(`${serverUrl}/v1/responses`, { headers: { Authorization: `Bearer ${readKey}` } });
  return ((await answer.json()) as { responses: { surveyId: string; score: number }[] }).responses;
}

test('on the origin its project allows, the app sends, shows the prompt with the shared Preact, and the answer is stored', async () => {
  const { page, said } = await openApp(`http://127.0.0.1:${appPort}`);
  await page.click('#checkout');
  await page.getByRole('radio', { name: '9' }).click();
  const deadline = Date.now() + 15_000;
  let stored = await responses();
  while (!stored.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    stored = await responses();
  }
  expect(stored).toMatchObject([{ surveyId: 'nps-checkout', score: 9 }]);
  expect(said).toEqual([]);
  await page.close();
});

test('on an origin its project does not allow, the sdk says once which origin and how to allow it, and stops asking', async () => {
  const origin = `http://localhost:${appPort}`;
  const { page, said, requests } = await openApp(origin);
  const deadline = Date.now() + 10_000;
  while (!said.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  await page.click('#checkout');
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 3000)));
  const asked = requests.length;
  await page.click('#checkout');
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 3000)));

  expect(said).toHaveLength(1);
  expect(said[0]).toContain(`origin ${origin} is not allowed for project fresh-app`);
  expect(said[0]).toContain(`cxkit-server project set-origins fresh-app --origin ${origin}`);
  // The survey load and at most the first batch met the refusal; nothing went out after them.
  expect(asked).toBeLessThanOrEqual(2);
  expect(requests).toHaveLength(asked);
  await page.close();
});
