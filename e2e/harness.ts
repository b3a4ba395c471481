// Real processes for end-to-end tests: the cxkit server as its CLI runs it, the demo app on
// Vite, and the system Chromium driven by playwright-core. Everything listens on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createServer as createViteServer } from 'vite';
import { afterAll, afterEach, beforeAll } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cxkit-e2e-'));
}

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface CxkitServer {
  url: string;
  port: number;
  db: string;
  /** Ends the process with the signal (SIGKILL for a crash) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same port and database. */
  start(): Promise<void>;
  /** Opens the database read-only, runs the query, closes it. */
  query<T>(sql: string, ...params: unknown[]): T[];
}

export async function startCxkitServer(): Promise<CxkitServer> {
  const port = await freePort();
  const db = join(tempDir(), 'cxkit.db');
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    child = spawn(process.execPath, ['packages/server-stub/dist/cli.js', '--port', String(port), '--db', db, '--demo'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child!.once('exit', (code) => reject(new Error(`cxkit server exited early with code ${code}`)));
      child!.stdout!.on('data', (chunk) => {
        if (String(chunk).includes('listening')) resolve();
      });
    });
  }

  async function stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  }

  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    db,
    stop,
    start,
    query<T>(sql: string, ...params: unknown[]): T[] {
      const database = new Database(db, { readonly: true, fileMustExist: true });
      try {
        return database.prepare(sql).all(...params) as T[];
      } finally {
        database.close();
      }
    },
  };
}

export interface Demo {
  url: string;
  close(): Promise<void>;
}

/** The demo app on Vite's dev server, embedding cxkit from the given server. */
export async function startDemo(serverUrl: string): Promise<Demo> {
  process.env.CXKIT_SERVER = serverUrl;
  const vite = await createViteServer({
    configFile: join(root, 'demo/vite.config.ts'),
    server: { port: await freePort(), strictPort: true },
    logLevel: 'error',
  });
  await vite.listen();
  return { url: vite.resolvedUrls!.local[0]!, close: () => vite.close() };
}

export interface DemoSetup {
  server: CxkitServer;
  demo: Demo;
  browser: Browser;
}

/** The cxkit server (with --demo), the demo app and a Chromium for the tests of one file, stopped after them. */
export function useDemo(): DemoSetup {
  const setup = {} as DemoSetup;
  beforeAll(async () => {
    setup.server = await startCxkitServer();
    setup.demo = await startDemo(setup.server.url);
    setup.browser = await launchChromium();
  });
  afterAll(async () => {
    await setup.browser?.close();
    await setup.demo?.close();
    await setup.server?.stop();
  });
  return setup;
}

export interface FaultProxySetup {
  server: CxkitServer;
  proxy: FaultProxy;
  browser: Browser;
}

/** The cxkit server (with --demo), a fault proxy in front of it and a Chromium for the tests of one file, stopped after them. */
export function useFaultProxy(): FaultProxySetup {
  const setup = {} as FaultProxySetup;
  beforeAll(async () => {
    setup.server = await startCxkitServer();
    setup.proxy = await startFaultProxy(setup.server.url);
    setup.browser = await launchChromium();
  });
  afterAll(async () => {
    await setup.browser?.close();
    await setup.proxy?.close();
    await setup.server?.stop();
  });
  return setup;
}

/**
 * Opens the page behind the fault proxy once cxkit has started, each test in one browser context
 * of its own (a reload keeps its storage), closed after the test.
 */
export function proxiedPages(setup: FaultProxySetup): () => Promise<Page> {
  let context: BrowserContext | undefined;
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  return async () => {
    context ??= await setup.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${setup.proxy.url}/`);
    await cxkitStarted(page);
    return page;
  };
}

/** Waits until the script tag's queue has been replayed into the running sdk. */
export const cxkitStarted = (page: Page) => page.waitForFunction(() => !('q' in (window as unknown as { cxkit: object }).cxkit));

/** Runs `fn` with the page's cxkit, written as source so it runs in the page. */
export const callCxkit = <C>(page: Page, fn: (cxkit: C) => unknown) => page.evaluate(`(${fn.toString()})(window.cxkit)`) as Promise<unknown>;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Polls until check() returns a value that is not undefined, or fails after timeoutMs. */
export async function waitFor<T>(check: () => T | undefined, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What the proxy does with POST /v1/batch instead of passing it on: answer, drop the connection, or hold it open unanswered. */
export type Fault = { status: number; retryAfter?: string } | 'drop' | 'hang';

export interface FaultProxy {
  /** Origin of the proxy; `${url}/` is a host page embedding cxkit through it. */
  url: string;
  /** Set to make /v1/batch fail; undefined passes requests to the server. */
  fault: Fault | undefined;
  /** Milliseconds each batch is held before it goes on: a slow server, so that senders overlap. */
  latency: number;
  /** Ids of the items in every batch the server answered 2xx, in order: an id twice is a double send. */
  delivered: string[];
  /** Batches that did not reach the server or that it did not take (fault, server down, non-2xx). */
  failed: number;
  close(): Promise<void>;
}

/**
 * A proxy in front of the cxkit server, on 127.0.0.1, that injects faults into POST /v1/batch and
 * records what the server accepted. It also serves a host page (GET /) that embeds cxkit with the
 * loader snippet and sends to the proxy; the page may be cached, so it reloads while offline. Like
 * many hosts, the page keeps what window.cxkit was at startup (the loader's stub) as cxkitAtStartup.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const loader = readFileSync(join(root, 'packages/sdk/dist/cdn/loader.js'), 'utf8').trim().replace('__CXKIT_SRC__', '/sdk/cxkit.js');
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>cxkit delivery</title>
<script>${loader}
cxkit.init({ writeKey: 'pk_demo', host: location.origin, debug: true });
window.cxkitAtStartup = cxkit;</script></head><body><h1>Delivery test page</h1></body></html>`;
  const upstream = new URL(target);

  const server = createHttpServer((request, response) => {
    if (request.method === 'GET' && request.url === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'max-age=600' });
      return response.end(page);
    }
    const isBatch = request.method === 'POST' && request.url === '/v1/batch';
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks);
      if (isBatch && proxy.latency) await new Promise((resolve) => setTimeout(resolve, proxy.latency));
      const fault = isBatch ? proxy.fault : undefined;
      if (fault === 'drop' || fault === 'hang') {
        proxy.failed++;
        // A hung request stays open until the browser gives up on it (or the proxy closes).
        return fault === 'drop' ? request.socket.destroy() : undefined;
      }
      if (fault) {
        proxy.failed++;
        response.writeHead(fault.status, { 'Content-Type': 'application/json', ...(fault.retryAfter && { 'Retry-After': fault.retryAfter }) });
        return response.end('{"error":"injected fault"}');
      }
      const forwarded = httpRequest(
        { host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: request.headers },
        (answer) => {
          if (isBatch) {
            if (answer.statusCode! >= 200 && answer.statusCode! < 300) {
              proxy.delivered.push(...(JSON.parse(body.toString()) as { batch: { id: string }[] }).batch.map((item) => item.id));
            } else proxy.failed++;
          }
          response.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(response);
        },
      );
      // The server is down (killed): the browser sees what it would see, a connection that fails.
      forwarded.on('error', () => {
        if (isBatch) proxy.failed++;
        request.socket.destroy();
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fault: undefined,
    latency: 0,
    delivered: [],
    failed: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return proxy;
}
