import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { SurveyDefinition } from '@cxkit/protocol';
import type { SurveyRuntime } from '../src/survey-runtime';
import { createSurveyTriggers, URL_CHECK_MS } from '../src/survey-triggers';
import type { SurveySource } from '../src/surveys';

const nps: SurveyDefinition = { id: 'nps', metric: 'nps', trigger: { event: 'checkout_completed' } };
const settings: SurveyDefinition = { id: 'ces-settings', metric: 'ces', trigger: { url: '/settings*' } };

beforeEach(() => {
  vi.useFakeTimers();
  history.replaceState(null, '', '/');
});
afterEach(() => vi.useRealTimers());

/** Triggers over definitions the test hands out when it likes, and a runtime that records its calls. */
function setup(surveys: SurveyDefinition[]) {
  const runtime: SurveyRuntime = { trigger: vi.fn(), show: vi.fn() };
  const loadRuntime = vi.fn(async () => runtime);
  // ready() is the load in flight, which the test finishes with loaded().
  let inFlight = Promise.resolve();
  let loaded!: () => void;
  const source: SurveySource = {
    load: vi.fn(() => (inFlight = new Promise<void>((resolve) => (loaded = resolve)))),
    ready: () => inFlight,
    current: () => ({ surveys }),
  };
  const state = { active: true };
  const triggers = createSurveyTriggers(loadRuntime, () => state.active, vi.fn());
  return { triggers, source, runtime, loadRuntime, state, loaded: () => loaded() };
}

test('an event no survey names never loads the runtime; one that does is passed on with its properties', async () => {
  const { triggers, source, runtime, loadRuntime, loaded } = setup([nps]);
  triggers.start(source, undefined);
  loaded();
  triggers.event('page_viewed');
  await vi.advanceTimersByTimeAsync(0);
  expect(loadRuntime).not.toHaveBeenCalled();
  triggers.event('checkout_completed', { total: 3 });
  await vi.advanceTimersByTimeAsync(0);
  expect(runtime.trigger).toHaveBeenCalledExactlyOnceWith({ kind: 'event', event: 'checkout_completed', properties: { total: 3 } });
});

test('once the definitions are in, an event no survey names is settled within the call: nothing waits for the definitions', async () => {
  const { triggers, source, loaded } = setup([nps]);
  const ready = vi.spyOn(source, 'ready');
  triggers.start(source, undefined);
  loaded();
  await vi.advanceTimersByTimeAsync(0);
  ready.mockClear();
  triggers.event('page_viewed');
  await vi.advanceTimersByTimeAsync(0);
  expect(ready).not.toHaveBeenCalled();
  // A new load (someone signed in): events wait for it again.
  triggers.load('user-1');
  triggers.event('page_viewed');
  await vi.advanceTimersByTimeAsync(0);
  expect(ready).toHaveBeenCalledOnce();
});

test('triggers before init, or while the definitions load, wait for them', async () => {
  const { triggers, source, runtime, loaded } = setup([nps]);
  triggers.event('checkout_completed');
  triggers.show('nps');
  await vi.advanceTimersByTimeAsync(0);
  triggers.start(source, 'ada');
  expect(source.load).toHaveBeenCalledWith('ada');
  await vi.advanceTimersByTimeAsync(0);
  expect(runtime.trigger).not.toHaveBeenCalled();
  loaded();
  await vi.advanceTimersByTimeAsync(0);
  expect(runtime.trigger).toHaveBeenCalledOnce();
  expect(runtime.show).toHaveBeenCalledWith('nps');
});

test('URL triggers: the address on load, then each change, by back/forward, hash, or pushState within a second', async () => {
  history.replaceState(null, '', '/settings/profile');
  const { triggers, source, runtime, loaded } = setup([nps, settings]);
  triggers.start(source, undefined);
  loaded();
  await vi.advanceTimersByTimeAsync(0);
  const urls = () => vi.mocked(runtime.trigger).mock.calls.map(([t]) => (t.kind === 'url' ? new URL(t.url).pathname + new URL(t.url).hash : t.kind));
  expect(urls()).toEqual(['/settings/profile']);

  // A single-page app navigates: pushState fires no event, so the address is compared every second.
  history.pushState(null, '', '/settings/billing');
  await vi.advanceTimersByTimeAsync(URL_CHECK_MS);
  expect(urls()).toEqual(['/settings/profile', '/settings/billing']);
  await vi.advanceTimersByTimeAsync(5 * URL_CHECK_MS);
  expect(urls()).toHaveLength(2);

  history.pushState(null, '', '/reports');
  dispatchEvent(new PopStateEvent('popstate'));
  await vi.advanceTimersByTimeAsync(0);
  location.hash = '#export';
  dispatchEvent(new HashChangeEvent('hashchange'));
  await vi.advanceTimersByTimeAsync(0);
  expect(urls()).toEqual(['/settings/profile', '/settings/billing', '/reports', '/reports#export']);
});

test('without a URL-triggered survey the address is not watched', async () => {
  const { triggers, source, runtime, loaded } = setup([nps]);
  triggers.start(source, undefined);
  loaded();
  await vi.advanceTimersByTimeAsync(0);
  expect(vi.getTimerCount()).toBe(0);
  history.pushState(null, '', '/settings');
  await vi.advanceTimersByTimeAsync(5 * URL_CHECK_MS);
  expect(runtime.trigger).not.toHaveBeenCalled();
});

test('opted out, the definitions are not asked for, nothing reaches the runtime and it is not even loaded', async () => {
  const { triggers, source, loadRuntime, state } = setup([nps]);
  state.active = false;
  triggers.start(source, undefined);
  expect(source.load).not.toHaveBeenCalled();
  triggers.event('checkout_completed');
  triggers.show('nps');
  await vi.advanceTimersByTimeAsync(0);
  expect(loadRuntime).not.toHaveBeenCalled();
});

test('showSurvey() of a stored survey, or of a definition, does not wait for the revalidation; an unknown id does', async () => {
  const { triggers, source, runtime, loaded } = setup([nps]);
  triggers.start(source, undefined);
  triggers.show('nps');
  triggers.show({ id: 'given', metric: 'csat' });
  triggers.show('new-on-the-server');
  await vi.advanceTimersByTimeAsync(0);
  expect(vi.mocked(runtime.show).mock.calls.map(([s]) => s)).toEqual(['nps', { id: 'given', metric: 'csat' }]);
  loaded();
  await vi.advanceTimersByTimeAsync(0);
  expect(runtime.show).toHaveBeenLastCalledWith('new-on-the-server');
});
