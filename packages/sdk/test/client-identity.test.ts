// Who the items are about, and the user's consent: identify, reset on logout, opting out and in.
import type { MountOptions, WidgetModule } from '@cxkit/widget';
import { expect, test, vi } from 'vitest';
import { createClient } from '../src/client';
import { KEYS } from '../src/local-values';
import { memoryStorage } from '../src/storage';
import { fail500, init, loadDefinitions, loadRuntime, openTab, types } from './client-page';
import { accept, fakeServer, freshPageEachTest } from './fakes';

const HOUR = 60 * 60 * 1000;

freshPageEachTest(Date.UTC(2026, 2, 1, 10, 0, 0));

test('identify links the anonymous id to the user id; later items carry both; the same identify again sends nothing', async () => {
  const server = fakeServer();
  const client = openTab(server);
  client.init(init);
  client.track('before login');
  client.identify('user-1');
  client.track('after login');
  client.identify('user-1');
  await client.flush();
  const [before, identify, after] = server.received.slice(2);
  expect(identify).toMatchObject({ type: 'identify', userId: 'user-1', anonymousId: before!.anonymousId });
  expect(before!.userId).toBeUndefined();
  expect(after).toMatchObject({ userId: 'user-1', anonymousId: before!.anonymousId, sessionId: before!.sessionId });
  expect(types(server.received).filter((t) => t === 'identify')).toHaveLength(1);
});


test('someone else signing in without reset() gets a new anonymous id and session, so the two are never merged', async () => {
  const server = fakeServer();
  const client = openTab(server);
  client.init(init);
  client.identify('ada');
  client.identify('bob');
  await client.flush();
  const [ada, bob] = server.received.filter((i) => i.type === 'identify');
  expect(ada!.anonymousId).not.toBe(bob!.anonymousId);
  expect(ada!.sessionId).not.toBe(bob!.sessionId);
  expect(types(server.received)).toEqual(['session_start', 'active', 'identify', 'session_start', 'active', 'identify']);
});


test('reset() on logout: a new anonymous id and session, no user id; what was queued before still goes out', async () => {
  const server = fakeServer(fail500);
  const client = openTab(server);
  client.init({ ...init, userId: 'user-1' });
  client.track('as user-1');
  client.reset();
  client.track('anonymous again');
  server.answer = accept;
  await client.flush();
  const user = server.received.find((i) => i.type === 'track' && i.event === 'as user-1')!;
  const anonymous = server.received.find((i) => i.type === 'track' && i.event === 'anonymous again')!;
  expect(user.userId).toBe('user-1');
  expect(anonymous.userId).toBeUndefined();
  expect(anonymous.anonymousId).not.toBe(user.anonymousId);
  expect(anonymous.sessionId).not.toBe(user.sessionId);
});


test('optOut() empties the queue, collects nothing more, survives a reload; optIn() starts afresh', async () => {
  const server = fakeServer(fail500);
  const storage = memoryStorage();
  const client = openTab(server, { storage });
  client.init(init);
  client.track('before opt-out');
  await client.flush();
  client.optOut();
  client.track('while opted out');
  client.identify('user-1');
  await client.flush();
  expect(await storage.list()).toEqual([]);
  expect(localStorage.getItem(KEYS.anonymousId)).toBeNull();

  server.answer = accept;
  const reloaded = openTab(server, { storage });
  reloaded.init(init);
  reloaded.track('after reload');
  await reloaded.flush();
  await vi.advanceTimersByTimeAsync(HOUR);
  expect(server.received).toEqual([]);

  reloaded.optIn();
  reloaded.track('opted in');
  await reloaded.flush();
  expect(server.events()).toEqual(['opted in']);
});


test('an answer given after opting out, in a prompt that was already open, is not collected', async () => {
  let mounted!: MountOptions;
  const widget: WidgetModule = { mount: (options) => ((mounted = options), { unmount: () => undefined }) };
  const server = fakeServer();
  const storage = memoryStorage();
  const client = createClient({ storage: () => storage, makeRequest: server.makeRequest, loadWidget: async () => widget, loadDefinitions, loadRuntime });
  client.init(init);
  client.showSurvey({ id: 'nps-1', metric: 'nps' });
  await vi.advanceTimersByTimeAsync(0);
  client.optOut();
  mounted.onScore(3);
  mounted.onClose('close');
  await client.flush();
  client.optIn();
  await client.flush();
  expect(await storage.list()).toEqual([]);
  expect(types(server.received)).not.toContain('survey_response');
});


test('opting out in another tab empties what this tab still holds', async () => {
  const server = fakeServer(fail500);
  const storage = memoryStorage();
  const tab = openTab(server, { storage });
  tab.init(init);
  tab.track('queued');
  await tab.flush();
  localStorage.setItem(KEYS.optOut, '1');
  window.dispatchEvent(new StorageEvent('storage', { key: KEYS.optOut, newValue: '1' }));
  await vi.advanceTimersByTimeAsync(0);
  tab.track('after the other tab opted out');
  await tab.flush();
  expect(await storage.list()).toEqual([]);
});


test('an opted-out device does not even ask for the survey definitions; optIn() loads them', async () => {
  localStorage.setItem(KEYS.optOut, '1');
  const asked: string[] = [];
  const fetch = vi.fn(async (url: string) => {
    asked.push(url);
    return new Response(JSON.stringify({ surveys: [] }), { headers: { 'Content-Type': 'application/json' } });
  });
  const client = openTab(fakeServer(), { fetch: fetch as unknown as typeof globalThis.fetch });
  client.init({ writeKey: 'pk_test', host: 'https://cx.example.com' });
  await vi.advanceTimersByTimeAsync(100);
  expect(asked).toEqual([]);
  client.optIn();
  await vi.advanceTimersByTimeAsync(100);
  expect(asked).toEqual(['https://cx.example.com/v1/surveys?writeKey=pk_test']);
});

test('optOut({ analytics: true }) stops sessions, activity, track() and identify items, drops those queued, and keeps survey display and answers', async () => {
  let mounted: MountOptions | undefined;
  const widget: WidgetModule = { mount: (options) => ((mounted = options), { unmount: () => undefined }) };
  const server = fakeServer(fail500);
  const storage = memoryStorage();
  const tab = (deps = {}) =>
    createClient({ storage: () => storage, makeRequest: server.makeRequest, loadWidget: async () => widget, loadDefinitions, loadRuntime, random: () => 1, ...deps });
  const client = tab();
  const survey = { id: 'nps-1', metric: 'nps' as const, trigger: { event: 'checkout_completed' } };
  client.init({ ...init, surveys: [survey] });
  client.track('queued before');
  await client.flush();
  client.optOut({ analytics: true });
  await client.flush();
  // What was queued for analytics is gone; nothing of the kind is queued any more.
  expect(await storage.list()).toEqual([]);
  client.identify('user-1');
  client.track('checkout_completed');
  await vi.advanceTimersByTimeAsync(0);
  expect(mounted).toBeDefined();
  mounted!.onScore(9);
  mounted!.onComment('Great');
  mounted!.onClose('close');
  server.answer = accept;
  await client.flush();
  expect(types(server.received).sort()).toEqual(['survey_response', 'survey_response', 'survey_shown']);
  expect(server.received.every((item) => item.userId === 'user-1' && item.sessionId)).toBe(true);

  // Remembered across a reload, a day later: no session, no activity.
  vi.advanceTimersByTime(24 * HOUR);
  server.received.length = 0;
  const reloaded = tab();
  reloaded.init({ ...init, surveys: [] });
  reloaded.track('after reload');
  await reloaded.flush();
  expect(server.received).toEqual([]);

  reloaded.optIn();
  reloaded.track('opted in');
  await reloaded.flush();
  expect(types(server.received)).toEqual(['session_start', 'active', 'track']);
});

test('opting out of analytics in another tab drops the events this tab still holds; this tab tracks nothing more', async () => {
  const server = fakeServer(fail500);
  const storage = memoryStorage();
  const client = openTab(server, { storage });
  client.init(init);
  client.track('queued');
  await client.flush();
  localStorage.setItem(KEYS.optOut, 'analytics');
  window.dispatchEvent(new StorageEvent('storage', { key: KEYS.optOut, newValue: 'analytics' }));
  await vi.advanceTimersByTimeAsync(0);
  expect(await storage.list()).toEqual([]);
  client.track('nothing');
  await client.flush();
  expect(await storage.list()).toEqual([]);
});

test('group() names the account: later items carry it, a new tab and a reload keep it, reset() forgets it', async () => {
  const server = fakeServer();
  const client = openTab(server);
  client.init(init);
  client.identify('ada');
  client.track('before group');
  client.group('acme', { name: 'Acme Corp', plan: 'team' });
  client.track('after group');
  await client.flush();
  const [before, group, after] = server.received.slice(-3);
  expect(before!.accountId).toBeUndefined();
  expect(group).toMatchObject({ type: 'group', accountId: 'acme', traits: { name: 'Acme Corp', plan: 'team' }, userId: 'ada' });
  expect(after).toMatchObject({ accountId: 'acme', userId: 'ada' });

  const reloaded = openTab(server);
  reloaded.init(init);
  reloaded.track('after reload');
  await reloaded.flush();
  expect(server.received.at(-1)).toMatchObject({ event: 'after reload', accountId: 'acme' });

  reloaded.reset();
  reloaded.track('after reset');
  await reloaded.flush();
  expect(server.received.at(-1)!.accountId).toBeUndefined();

  // A call without an account id is logged and sends nothing.
  const count = server.received.length;
  reloaded.group('' as string);
  reloaded.group(7 as unknown as string);
  await reloaded.flush();
  expect(server.received.length).toBe(count);
});
