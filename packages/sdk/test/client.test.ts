import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createClient } from '../src/client';
import type { Item } from '../src/protocol';
import { FLUSH_DELAY_MS } from '../src/sender';
import { memoryStorage, type QueueStorage } from '../src/storage';
import { fakeServer, type Answer, type FakeServer } from './fakes';

const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);

function openTab(server: FakeServer, storage: QueueStorage = memoryStorage()) {
  return createClient({
    loadWidget: () => Promise.reject(new Error('no widget in this test')),
    storage: () => storage,
    makeRequest: server.makeRequest,
    random: () => 1,
  });
}

const types = (items: Item[]) => items.map((i) => i.type);
const init = { writeKey: 'pk_test', host: 'https://cx.example.com/', surveys: [] };

beforeEach(() => {
  localStorage.clear();
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

test('flush sends queued items to /v1/batch with the write key and deletes them after the 200', async () => {
  const server = fakeServer();
  const storage = memoryStorage();
  const client = openTab(server, storage);
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
  const client = openTab(fakeServer(answer as Answer), storage);
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
