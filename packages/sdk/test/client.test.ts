import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createClient, type ClientDeps } from '../src/client';
import type { Item } from '../src/protocol';
import { FLUSH_DELAY_MS } from '../src/sender';
import { memoryStorage, type QueueStorage } from '../src/storage';
import { accept, fakeBus, fakeLocks, fakeServer, setVisibility, type Answer, type FakeServer } from './fakes';

const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);

type TabDeps = Partial<Omit<ClientDeps, 'storage'>> & { storage?: QueueStorage };

function openTab(server: FakeServer, deps: TabDeps = {}) {
  const storage = deps.storage ?? memoryStorage();
  return createClient({
    loadWidget: () => Promise.reject(new Error('no widget in this test')),
    ...deps,
    storage: () => storage,
    makeRequest: server.makeRequest,
    random: () => 1,
  });
}

/** Storage every "tab" of a test shares, as IndexedDB is shared by the tabs of an origin. */
const sharedStorage = (): QueueStorage => ({ ...memoryStorage(), shared: true });

function fire(target: EventTarget, type: string): void {
  target.dispatchEvent(new Event(type));
}

const types = (items: Item[]) => items.map((i) => i.type);
const fail500: Answer = () => ({ status: 500 });
const init = { writeKey: 'pk_test', host: 'https://cx.example.com/', surveys: [] };

beforeEach(() => {
  localStorage.clear();
  setVisibility('visible');
  vi.useFakeTimers({ now: T0 });
});

afterEach(() => {
  // Clients of earlier tests still listen to this window: let them write what they hold and leave
  // now, so nothing of theirs lands in the next test.
  setVisibility('hidden');
  fire(document, 'visibilitychange');
  fire(window, 'pagehide');
  vi.useRealTimers();
  vi.restoreAllMocks();
});

test('flush sends queued items to /v1/batch with the write key and deletes them after the 200', async () => {
  const server = fakeServer();
  const storage = memoryStorage();
  const client = openTab(server, { storage });
  client.init(init);
  client.identify('user-1', { plan: 'team' });
  client.track('checkout_completed', { total: 3 });
  await client.flush();

  expect(server.requests).toHaveLength(1);
  const { url, body } = server.requests[0]!;
  expect(url).toBe('https://cx.example.com/v1/batch');
  expect(body.writeKey).toBe('pk_test');
  expect(body.sentAt).toBe(new Date(T0).toISOString());
  expect(types(body.batch)).toEqual(['session_start', 'identify', 'track']);
  expect(body.batch[2]).toMatchObject({ event: 'checkout_completed', properties: { total: 3 }, userId: 'user-1' });
  expect(new Set(body.batch.map((i) => i.sessionId)).size).toBe(1);
  expect(await storage.list()).toEqual([]);
});

test('items tracked before init are kept and sent once init names the server', async () => {
  const server = fakeServer();
  const client = openTab(server);
  client.track('early');
  await vi.advanceTimersByTimeAsync(10 * FLUSH_DELAY_MS);
  expect(server.requests).toEqual([]);
  client.init(init);
  await vi.advanceTimersByTimeAsync(0);
  expect(server.events()).toEqual(['early']);
});

test.each([
  ['a 500', () => ({ status: 500 })],
  ['a 401', () => ({ status: 401 })],
  ['a network error', () => Promise.reject(new TypeError('Failed to fetch'))],
])('after %s every item stays queued', async (_, answer) => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const storage = memoryStorage();
  const client = openTab(fakeServer(answer as Answer), { storage });
  client.init(init);
  client.track('a');
  client.track('b');
  await client.flush();
  expect(await storage.list()).toHaveLength(3);
});

test('bad arguments never throw into the host page', async () => {
  const server = fakeServer();
  const client = openTab(server);
  expect(() => client.init(undefined as never)).not.toThrow();
  client.init(init);
  expect(() => client.track(42 as never)).not.toThrow();
  expect(() => client.identify(null as never)).not.toThrow();
  await client.flush();
  expect(server.requests).toHaveLength(0);
});

test('three tabs tracking at once: one tab sends, and every item arrives exactly once', async () => {
  const server = fakeServer();
  const storage = sharedStorage();
  const locks = fakeLocks();
  const openChannel = fakeBus();
  const tabs = [0, 1, 2].map(() => openTab(server, { storage, locks, openChannel }));
  for (const tab of tabs) tab.init(init);
  const sent: string[] = [];
  for (let n = 0; n < 60; n++) {
    const event = `tab ${n % 3} event ${n}`;
    tabs[n % 3]!.track(event);
    sent.push(event);
    if (n % 7 === 0) await vi.advanceTimersByTimeAsync(300);
  }
  await vi.advanceTimersByTimeAsync(5 * FLUSH_DELAY_MS);
  expect(server.events().sort()).toEqual(sent.sort());
  const ids = server.requests.flatMap((r) => r.body.batch.map((i) => i.id));
  expect(new Set(ids).size).toBe(ids.length);
  expect(await storage.list()).toEqual([]);
});

test('a page being hidden sends its items at once with keepalive, without waiting for the flush delay', async () => {
  const server = fakeServer();
  const client = openTab(server);
  client.init(init);
  client.track('answered, then switched tabs');
  await Promise.resolve();
  setVisibility('hidden');
  fire(document, 'visibilitychange');
  await vi.advanceTimersByTimeAsync(0);
  expect(server.requests).toHaveLength(1);
  expect(server.requests[0]!.keepalive).toBe(true);
  expect(server.events()).toEqual(['answered, then switched tabs']);
});

test('what is tracked after pagehide (a host’s own unload handler) leaves at once', async () => {
  const server = fakeServer();
  const client = openTab(server);
  client.init(init);
  await client.flush();
  setVisibility('hidden');
  fire(window, 'pagehide');
  client.track('tab closing');
  // Within the call: the page may get no further task.
  expect(server.requests.map((r) => r.body.batch.map((i) => i.type))).toEqual([['session_start', 'track']]);
  expect(server.requests[0]!.keepalive).toBe(true);
});

test('the online event retries at once', async () => {
  const server = fakeServer(fail500);
  const client = openTab(server);
  client.init(init);
  client.track('x');
  await client.flush();
  for (let n = 0; n < 6; n++) await client.flush();
  server.answer = accept;
  await vi.advanceTimersByTimeAsync(10_000);
  expect(server.received).toEqual([]);
  fire(window, 'online');
  await vi.advanceTimersByTimeAsync(0);
  expect(types(server.received)).toEqual(['session_start', 'track']);
});
