// The client as a page uses it: sending, sessions and activity, tabs, events, and never an
// exception for the host. Identity and consent are in client-identity.test.ts.
import type { MountOptions, WidgetModule } from '@cxkit/widget';
import { expect, test, vi } from 'vitest';
import { createClient } from '../src/client';
import { BACKLOG_SLICE } from '../src/backlog';
import { QUEUE_MAX_ITEMS } from '../src/queue';
import { FLUSH_DELAY_MS } from '../src/sender';
import { memoryStorage, type QueueStorage } from '../src/storage';
import { fail500, init, loadDefinitions, loadRuntime, openTab, types } from './client-page';
import { accept, fakeBus, fakeLocks, fakeServer, freshPageEachTest, setVisibility, type Answer, type FakeServer } from './fakes';

const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);
const HOUR = 60 * 60 * 1000;

/** Three initialised tabs of one origin: they share storage (as IndexedDB), Web Locks and BroadcastChannel. */
function openThreeTabs(server: FakeServer) {
  const shared = { storage: { ...memoryStorage(), shared: true }, locks: fakeLocks(), openChannel: fakeBus() };
  const tabs = [0, 1, 2].map(() => openTab(server, shared));
  for (const tab of tabs) tab.init(init);
  return { tabs, storage: shared.storage };
}

function fire(target: EventTarget, type: string): void {
  target.dispatchEvent(new Event(type));
}

freshPageEachTest(T0);

test('flush sends to /v1/batch with the write key: session_start and active first, then the items; then deletes them', async () => {
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
  expect(types(body.batch)).toEqual(['session_start', 'active', 'identify', 'track']);
  expect(body.batch[3]).toMatchObject({ event: 'checkout_completed', properties: { total: 3 }, userId: 'user-1' });
  expect(new Set(body.batch.map((i) => i.sessionId)).size).toBe(1);
  expect(new Set(body.batch.map((i) => i.anonymousId)).size).toBe(1);
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
  ['a 500', fail500],
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
  expect(await storage.list()).toHaveLength(4);
});

test('track() costs no storage write during the call: 200 calls make one queue write and no localStorage write', async () => {
  const storage = memoryStorage();
  const put = vi.spyOn(storage, 'put');
  const client = openTab(fakeServer(), { storage });
  client.init(init);
  await vi.advanceTimersByTimeAsync(0);
  put.mockClear();
  const setItem = vi.spyOn(localStorage, 'setItem');
  const getItem = vi.spyOn(localStorage, 'getItem');
  for (let n = 0; n < 200; n++) client.track(`event ${n}`, { n });
  expect(put).not.toHaveBeenCalled();
  expect(setItem).not.toHaveBeenCalled();
  expect(getItem).not.toHaveBeenCalled();
  await Promise.resolve();
  await client.flush();
  expect(put).toHaveBeenCalledOnce();
  expect(put.mock.calls[0]![0]).toHaveLength(200);
});

test('track() only notes the call: ids, the session, the day and the item’s JSON are made after it, from what held at the call', async () => {
  const server = fakeServer();
  const client = openTab(server);
  client.init(init);
  await client.flush();
  const random = vi.spyOn(crypto, 'getRandomValues');
  const stringify = vi.spyOn(JSON, 'stringify');
  const cart = { items: ['book'] };
  const calledAt = Date.now();
  client.track('checkout', cart);
  // The whole item is never serialized within the call, nor an id made: only the properties' snapshot.
  expect(stringify.mock.calls).toEqual([[cart]]);
  expect(random).not.toHaveBeenCalled();
  cart.items.push('pen');
  history.replaceState(null, '', '/elsewhere');
  vi.setSystemTime(calledAt + 5000);
  await client.flush();
  const [tracked] = server.received.filter((item) => item.type === 'track');
  expect(tracked).toMatchObject({ event: 'checkout', properties: { items: ['book'] }, timestamp: new Date(calledAt).toISOString() });
  expect(tracked!.context!.url).not.toContain('/elsewhere');
  history.replaceState(null, '', '/');
});

test('calls after track() that change who (identify, reset) see every track() before them made already', async () => {
  const server = fakeServer();
  const client = openTab(server);
  client.init(init);
  client.track('anonymous');
  client.identify('user-1');
  client.track('signed in');
  client.reset();
  client.track('after logout');
  await client.flush();
  const tracked = server.received.filter((item) => item.type === 'track');
  expect(tracked.map((item) => [item.event, item.userId])).toEqual([
    ['anonymous', undefined],
    ['signed in', 'user-1'],
    ['after logout', undefined],
  ]);
  expect(tracked[0]!.anonymousId).toBe(tracked[1]!.anonymousId);
  expect(tracked[2]!.anonymousId).not.toBe(tracked[1]!.anonymousId);
});

test('a burst is made into items in slices of BACKLOG_SLICE calls, each in a task of its own, all in call order', async () => {
  const storage = memoryStorage();
  const put = vi.spyOn(storage, 'put');
  const server = fakeServer();
  const client = openTab(server, { storage });
  client.init(init);
  await client.flush();
  // The send init scheduled for items of earlier pages is done with.
  await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
  put.mockClear();
  let dropped = 0;
  client.on('dropped', ({ count }) => (dropped += count));
  for (let n = 0; n < 2 * BACKLOG_SLICE + 10; n++) client.track(`burst ${n}`);
  // Microtasks only: the first slice, and its write, come before the host's task ends.
  for (let tick = 0; tick < 20; tick++) await Promise.resolve();
  expect(put.mock.calls.map(([entries]) => entries.length)).toEqual([BACKLOG_SLICE]);
  await vi.advanceTimersByTimeAsync(0);
  expect(put.mock.calls.map(([entries]) => entries.length)).toEqual([BACKLOG_SLICE, BACKLOG_SLICE]);
  await vi.advanceTimersByTimeAsync(10);
  expect(put.mock.calls.map(([entries]) => entries.length)).toEqual([BACKLOG_SLICE, BACKLOG_SLICE, 10]);
  await client.flush();
  const events = server.events();
  expect(events).toHaveLength(QUEUE_MAX_ITEMS);
  expect(dropped).toBe(2 * BACKLOG_SLICE + 10 - QUEUE_MAX_ITEMS);
  expect(events).toEqual([...events].sort((a, b) => Number(a.split(' ')[1]) - Number(b.split(' ')[1])));
});

test('one active item per device per UTC day, across page loads', async () => {
  const server = fakeServer();
  openTab(server).init(init);
  await vi.advanceTimersByTimeAsync(0);
  vi.setSystemTime(T0 + HOUR);
  const reloaded = openTab(server);
  reloaded.init(init);
  reloaded.track('a');
  await reloaded.flush();
  expect(types(server.received).filter((t) => t === 'active')).toHaveLength(1);
  vi.setSystemTime(Date.UTC(2026, 2, 2, 0, 0, 5));
  reloaded.track('b');
  reloaded.track('c');
  await reloaded.flush();
  expect(types(server.received).filter((t) => t === 'active')).toHaveLength(2);
  // An hour idle between the page loads, and again before midnight: new sessions, but one active item a day.
  expect(types(server.received)).toEqual(['session_start', 'active', 'session_start', 'track', 'session_start', 'active', 'track', 'track']);
});

test('tabs share the session: one session_start, and every tab’s items carry its id', async () => {
  const server = fakeServer();
  const { tabs } = openThreeTabs(server);
  tabs.forEach((tab, n) => tab.track(`from tab ${n}`));
  await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
  await tabs[0]!.flush();
  expect(types(server.received).sort()).toEqual(['active', 'session_start', 'track', 'track', 'track']);
  expect(new Set(server.received.map((i) => i.sessionId)).size).toBe(1);
});

test('three tabs tracking at once: one tab sends, and every item arrives exactly once', async () => {
  const server = fakeServer();
  const { tabs, storage } = openThreeTabs(server);
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

test('on(): the host hears of prompts, answers and what was sent; a failing listener breaks nothing; the returned function stops it', async () => {
  let mounted!: MountOptions;
  const widget: WidgetModule = { mount: (options) => ((mounted = options), { unmount: () => undefined }) };
  const server = fakeServer();
  const client = createClient({ storage: () => memoryStorage(), makeRequest: server.makeRequest, loadWidget: async () => widget, loadDefinitions, loadRuntime });
  const heard: [string, unknown][] = [];
  for (const event of ['survey_shown', 'survey_response', 'survey_dismissed', 'survey_closed', 'sent'] as const) {
    client.on(event, (data) => heard.push([event, data]));
  }
  client.on('survey_shown', () => {
    throw new Error('the host’s listener is broken');
  });
  const off = client.on('survey_response', () => heard.push(['removed listener', null]));
  off();
  client.init({ ...init, surveys: [{ id: 'nps-1', metric: 'nps', trigger: { event: 'checkout' } }] });
  client.track('checkout');
  await vi.advanceTimersByTimeAsync(0);
  mounted.onScore(9);
  mounted.onComment('great');
  mounted.onClose('close');
  await vi.advanceTimersByTimeAsync(0);

  const prompt = heard.filter(([event]) => event !== 'sent');
  expect(prompt.map(([event]) => event)).toEqual(['survey_shown', 'survey_response', 'survey_response', 'survey_closed']);
  expect(prompt[0]![1]).toMatchObject({ type: 'survey_shown', surveyId: 'nps-1' });
  expect(prompt[1]![1]).toMatchObject({ surveyId: 'nps-1', metric: 'nps', score: 9, final: false });
  expect(prompt[2]![1]).toMatchObject({ score: 9, comment: 'great', final: true });
  expect(prompt[3]![1]).toEqual({ surveyId: 'nps-1' });
  const sentCounts = heard.filter(([event]) => event === 'sent').map(([, data]) => (data as { count: number }).count);
  expect(sentCounts.reduce((a, b) => a + b)).toBe(server.received.length);
  expect(types(server.received).sort()).toEqual(['active', 'session_start', 'survey_response', 'survey_response', 'survey_shown', 'track']);
});

test('on("dropped") names what was given up and why', async () => {
  const server = fakeServer(({ body }) => ({
    status: 200,
    body: { accepted: body.batch.length - 1, duplicates: 0, rejected: [{ index: body.batch.length - 1, reason: 'invalid_field', detail: 'event' }] },
  }));
  const client = openTab(server);
  const dropped: unknown[] = [];
  client.on('dropped', (data) => dropped.push(data));
  client.init(init);
  client.track('x');
  await client.flush();
  expect(dropped).toEqual([{ count: 1, code: 'rejected', serverReason: 'invalid_field' }]);
});

test('bad arguments never throw into the host page, and nothing is queued for them', async () => {
  const server = fakeServer();
  const client = openTab(server);
  expect(() => client.init(undefined as never)).not.toThrow();
  client.init(init);
  expect(() => client.track(42 as never)).not.toThrow();
  expect(() => client.track('ok', 'not an object' as never)).not.toThrow();
  expect(() => client.identify(null as never)).not.toThrow();
  expect(() => client.identify('user', [] as never)).not.toThrow();
  expect(() => client.on('nonsense' as never, null as never)).not.toThrow();
  await client.flush();
  expect(types(server.received)).toEqual(['session_start', 'active']);
});

test('when storage, network and listeners all fail, the host still sees no exception', async () => {
  const broken = new Error('broken');
  const storage: QueueStorage = {
    shared: true,
    put: () => Promise.reject(broken),
    list: () => Promise.reject(broken),
    remove: () => Promise.reject(broken),
    clear: () => Promise.reject(broken),
  };
  const client = createClient({
    storage: () => storage,
    makeRequest: () => {
      throw broken;
    },
    loadWidget: () => Promise.reject(broken),
    loadDefinitions,
    loadRuntime: () => Promise.reject(broken),
  });
  client.on('sent', () => {
    throw broken;
  });
  expect(() => {
    client.init(init);
    client.track('a', { b: 1 });
    client.identify('c');
    client.showSurvey('missing');
    client.reset();
    client.optOut();
    client.optIn();
  }).not.toThrow();
  await expect(client.flush()).resolves.toBeUndefined();
  setVisibility('hidden');
  expect(() => fire(document, 'visibilitychange')).not.toThrow();
  await vi.advanceTimersByTimeAsync(HOUR);
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
  expect(server.requests.map((r) => r.body.batch.map((i) => i.type))).toEqual([['session_start', 'active'], ['track']]);
  expect(server.requests[1]!.keepalive).toBe(true);
});

test('the online event retries at once', async () => {
  const server = fakeServer(fail500);
  const client = openTab(server);
  client.init(init);
  await client.flush();
  for (let n = 0; n < 6; n++) await client.flush();
  server.answer = accept;
  await vi.advanceTimersByTimeAsync(10_000);
  expect(server.received).toEqual([]);
  fire(window, 'online');
  await vi.advanceTimersByTimeAsync(0);
  expect(types(server.received)).toEqual(['session_start', 'active']);
});
