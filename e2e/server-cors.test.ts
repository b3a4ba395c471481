// Allowed origins as a browser meets them. The batch goes out as text/plain, a "simple" request
// with no preflight, so the server itself must refuse a page on another origin. The read key works
// from a page on another origin only once the project allows it for reading. The project is created
// and changed with the real CLI while the server runs, as a self-hoster would.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium, startCxkitServer, type CxkitServer } from './harness';

const root = fileURLToPath(new URL('..', import.meta.url));

let server: CxkitServer;
let browser: Browser;
let host: Server;
let hostPort: number;
let writeKey: string;
let readKey: string;

beforeAll(async () => {
  server = await startCxkitServer();
  // Two origins for the same host page: 127.0.0.1 is allowed, localhost is not.
  host = createServer((_, res) => res.end('<!doctype html><title>Host app</title>'));
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostPort = (host.address() as AddressInfo).port;
  const created = projectCommand('create', '--name', 'Acme', '--origin', `http://127.0.0.1:${hostPort}`);
  writeKey = /write key\s+(pk_\w+)/.exec(created)![1]!;
  readKey = /read key\s+(sk_\w+)/.exec(created)![1]!;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => host?.close(resolve));
  await server?.stop();
});

const projectCommand = (...args: string[]) =>
  execFileSync(process.execPath, ['packages/server-stub/dist/cli.js', 'project', ...args, '--db', server.db], { cwd: root, encoding: 'utf8' });

async function pageOn(origin: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  return page;
}

/** Sends one item from the page; answers the status the page could read, or the fetch error. */
function sendFrom(page: Page, id: string, contentType: string) {
  return page.evaluate(
    async ({ url, writeKey, id, contentType }) => {
      const now = new Date().toISOString();
      const body = JSON.stringify({
        writeKey,
        sentAt: now,
        batch: [{ id, type: 'track', event: 'checkout_completed', timestamp: now, anonymousId: 'a', sessionId: 's' }],
      });
      try {
        const response = await fetch(`${url}/v1/batch`, { method: 'POST', headers: { 'Content-Type': contentType }, body });
        return { status: response.status, body: await response.json() };
      } catch (error) {
        return { error: String(error) };
      }
    },
    { url: server.url, writeKey, id, contentType },
  );
}

const stored = (id: string) => server.query<{ id: string }>('SELECT id FROM items WHERE id = ?', id).length;

test('a page on an allowed origin sends text/plain and reads the answer', async () => {
  const page = await pageOn(`http://127.0.0.1:${hostPort}`);
  expect(await sendFrom(page, 'allowed-plain', 'text/plain')).toEqual({
    status: 200,
    body: { accepted: 1, duplicates: 0, rejected: [] },
  });
  expect(stored('allowed-plain')).toBe(1);
  await page.close();
});

test('a page on an allowed origin may also send application/json through a preflight', async () => {
  const page = await pageOn(`http://127.0.0.1:${hostPort}`);
  expect(await sendFrom(page, 'allowed-json', 'application/json')).toMatchObject({ status: 200 });
  expect(stored('allowed-json')).toBe(1);
  await page.close();
});

test('a page on another origin is refused by the server, and can read why', async () => {
  const page = await pageOn(`http://localhost:${hostPort}`);
  const result = await sendFrom(page, 'refused-plain', 'text/plain');
  // Readable, not a bare "Failed to fetch": the sdk tells a refused origin from a network failure.
  expect(result).toEqual({
    status: 403,
    body: {
      reason: 'origin_not_allowed',
      origin: `http://localhost:${hostPort}`,
      error: expect.stringContaining(`cxkit-server project set-origins acme --origin http://localhost:${hostPort}`),
    },
  });
  // The request did reach the server (no preflight guards text/plain): it must not have stored it.
  expect(stored('refused-plain')).toBe(0);
  await page.close();
});

/** Reads the project's rules from the page with the read key; answers what the page could read, or the fetch error. */
function readRulesFrom(page: Page) {
  return page.evaluate(
    async ({ url, readKey }) => {
      try {
        const response = await fetch(`${url}/v1/rules`, { headers: { Authorization: `Bearer ${readKey}` } });
        return { status: response.status, body: await response.json() };
      } catch (error) {
        return { error: String(error) };
      }
    },
    { url: server.url, readKey },
  );
}

test('the read key works from a page on another origin only once the project allows it for reading', async () => {
  // Allowed to send is not allowed to read: the preflight is refused.
  const page = await pageOn(`http://127.0.0.1:${hostPort}`);
  expect(await readRulesFrom(page)).toEqual({ error: expect.stringContaining('Failed to fetch') });

  projectCommand('set-read-origins', 'acme', '--origin', `http://127.0.0.1:${hostPort}`);
  // The refused preflight was not cached; the next one asks again.
  expect(await readRulesFrom(page)).toEqual({ status: 200, body: { cooldownDays: 14, maxRemindLater: 2 } });

  const other = await pageOn(`http://localhost:${hostPort}`);
  expect(await readRulesFrom(other)).toEqual({ error: expect.stringContaining('Failed to fetch') });
  await other.close();
  await page.close();
});
