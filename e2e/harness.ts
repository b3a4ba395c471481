// Real processes for end-to-end tests: the cxkit server as its CLI runs it, the demo app on
// Vite, and the system Chromium driven by playwright-core. Everything listens on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { chromium, type Browser } from 'playwright-core';
import { createServer as createViteServer } from 'vite';

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
