// Surveys through the whole client: definitions, triggers, the lazily loaded runtime and the widget.
import type { MountOptions, WidgetModule } from '@cxkit/widget';
import { expect, test, vi } from 'vitest';
import { createClient, type InitOptions } from '../src/client';
import { KEYS } from '../src/local-values';
import type { SurveyDefinition } from '@cxkit/protocol';
import { memoryStorage } from '../src/storage';
import * as definitionsModule from '../src/survey-definitions';
import * as runtimeModule from '../src/survey-runtime';
import { fakeServer, freshPageEachTest } from './fakes';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const nps: SurveyDefinition = { id: 'nps', metric: 'nps', trigger: { event: 'checkout_completed' }, delaySeconds: 2 };
const teamOnly: SurveyDefinition = { id: 'csat', metric: 'csat', trigger: { event: 'chat_closed' }, audience: { traits: [{ key: 'plan', op: 'eq', value: 'team' }] } };

freshPageEachTest(T0);

/** A page load with a widget that records what it shows, and the server's survey answer. */
function openPage(
  init: Partial<InitOptions> = {},
  surveysAnswer: (url: string) => unknown = () => ({ surveys: [nps, teamOnly] }),
  loadRuntime = vi.fn(async () => runtimeModule),
) {
  const mounted: MountOptions[] = [];
  const widget: WidgetModule = { mount: (options) => (mounted.push(options), { unmount: () => undefined }) };
  const loadWidget = vi.fn(async () => widget);
  const fetch = vi.fn(async (url: string) => new Response(JSON.stringify(surveysAnswer(url))));
  const server = fakeServer();
  const client = createClient({
    storage: () => memoryStorage(),
    makeRequest: server.makeRequest,
    loadWidget,
    loadDefinitions: async () => definitionsModule,
    loadRuntime,
    fetch: fetch as unknown as typeof globalThis.fetch,
  });
  client.init({ writeKey: 'pk_test', host: 'https://cx.example.com', ...init });
  return { client, server, mounted, loadRuntime, loadWidget, fetch, shown: () => mounted.map((m) => m.survey.id) };
}

test('the survey targeted at an event appears after its delay, once; the targeting chunk loads only when an event may show one', async () => {
  const page = openPage();
  page.client.track('page_viewed');
  await vi.advanceTimersByTimeAsync(0);
  expect(page.loadRuntime).not.toHaveBeenCalled();

  page.client.track('checkout_completed');
  await vi.advanceTimersByTimeAsync(1999);
  expect(page.shown()).toEqual([]);
  await vi.advanceTimersByTimeAsync(1);
  expect(page.shown()).toEqual(['nps']);
  page.mounted[0]!.onScore(10);
  page.mounted[0]!.onClose('close');
  page.client.track('checkout_completed');
  await vi.advanceTimersByTimeAsync(5000);
  expect(page.shown()).toEqual(['nps']);
  expect(page.loadRuntime).toHaveBeenCalledOnce();

  // Reloaded: the device remembers.
  const reloaded = openPage();
  reloaded.client.track('checkout_completed');
  await vi.advanceTimersByTimeAsync(5000);
  expect(reloaded.shown()).toEqual([]);
});

test('a targeting chunk that failed to load is loaded again at the next trigger', async () => {
  const page = openPage();
  page.loadRuntime.mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'));
  page.client.track('checkout_completed');
  await vi.advanceTimersByTimeAsync(5000);
  expect(page.shown()).toEqual([]);
  page.client.track('checkout_completed');
  await vi.advanceTimersByTimeAsync(2000);
  expect(page.shown()).toEqual(['nps']);
  expect(page.loadRuntime).toHaveBeenCalledTimes(2);
});

test('definitions come from GET /v1/surveys; a user who signs in brings their history from other devices', async () => {
  const shownElsewhere = { lastShownAt: T0 - 86_400_000, surveys: { other: { displays: 1, answered: true, later: 0, lastShownAt: T0 - 86_400_000 } } };
  const page = openPage({}, (url) => ({ surveys: [nps], ...(url.includes('userId=ada') ? { history: shownElsewhere } : {}) }));
  // The definitions chunk comes once the page is idle.
  expect(page.fetch).not.toHaveBeenCalled();
  await vi.advanceTimersByTimeAsync(0);
  expect(page.fetch).toHaveBeenCalledWith('https://cx.example.com/v1/surveys?writeKey=pk_test', expect.anything());
  page.client.identify('ada');
  expect(page.fetch).toHaveBeenLastCalledWith('https://cx.example.com/v1/surveys?writeKey=pk_test&userId=ada', expect.anything());
  page.client.identify('ada', { plan: 'team' });
  expect(page.fetch).toHaveBeenCalledTimes(2);
  page.client.track('checkout_completed');
  await vi.advanceTimersByTimeAsync(5000);
  // Shown another survey on another device yesterday: the 14-day cooldown holds here too.
  expect(page.shown()).toEqual([]);
});

test("group() asks for the new account's surveys; a survey for accounts on a plan shows only once the server picked it for this one", async () => {
  const forTeams: SurveyDefinition = { id: 'team-nps', metric: 'nps', trigger: { event: 'report_exported' }, audience: { account: [{ key: 'plan', op: 'eq', value: 'team' }] } };
  // The server's pick: acme is on the plan, globex is not.
  const page = openPage({}, (url) => ({ surveys: url.includes('accountId=acme') ? [forTeams] : [] }));
  await vi.advanceTimersByTimeAsync(0);
  page.client.group('globex');
  expect(page.fetch).toHaveBeenLastCalledWith('https://cx.example.com/v1/surveys?writeKey=pk_test&accountId=globex', expect.anything());
  page.client.track('report_exported');
  await vi.advanceTimersByTimeAsync(0);
  expect(page.shown()).toEqual([]);
  page.client.group('acme', { plan: 'team' });
  page.client.group('acme');
  expect(page.fetch).toHaveBeenCalledTimes(3);
  expect(page.fetch).toHaveBeenLastCalledWith('https://cx.example.com/v1/surveys?writeKey=pk_test&accountId=acme', expect.anything());
  page.client.track('report_exported');
  await vi.advanceTimersByTimeAsync(0);
  expect(page.shown()).toEqual(['team-nps']);
  // reset(): someone else, with no account, is not served the account's survey from the stored copy.
  page.mounted[0]!.onClose('close');
  page.client.reset();
  const reloaded = openPage({}, () => {
    throw new TypeError('Failed to fetch');
  });
  reloaded.client.track('report_exported');
  await vi.advanceTimersByTimeAsync(0);
  expect(reloaded.shown()).toEqual([]);
});

test('traits from identify() are kept and merged for targeting; someone else signing in starts without them', async () => {
  const page = openPage();
  page.client.identify('ada', { plan: 'team' });
  page.client.identify('ada', { seats: 12 });
  expect(JSON.parse(localStorage.getItem(KEYS.traits)!)).toEqual({ plan: 'team', seats: 12 });
  page.client.identify('bob');
  expect(localStorage.getItem(KEYS.traits)).toBeNull();
  page.client.track('chat_closed');
  await vi.advanceTimersByTimeAsync(0);
  expect(page.shown()).toEqual([]);
  page.client.identify('bob', { plan: 'team' });
  page.client.track('chat_closed');
  await vi.advanceTimersByTimeAsync(0);
  expect(page.shown()).toEqual(['csat']);
});

test('an answer carries the traits it was given with and what triggered its prompt; a later identify() does not change it', async () => {
  const page = openPage();
  page.client.identify('ada', { plan: 'free' });
  page.client.track('checkout_completed', { total: 90.5 });
  await vi.advanceTimersByTimeAsync(2000);
  page.mounted[0]!.onScore(9);
  await page.client.flush();
  page.client.identify('ada', { plan: 'team' });
  await page.client.flush();
  const answer = page.server.received.find((item) => item.type === 'survey_response');
  expect(answer).toMatchObject({ traits: { plan: 'free' }, trigger: { kind: 'event', event: 'checkout_completed', properties: { total: 90.5 } } });

  page.mounted[0]!.onClose('close');
  vi.setSystemTime(T0 + 30 * 86_400_000);
  page.client.showSurvey('csat');
  await vi.advanceTimersByTimeAsync(0);
  page.mounted[1]!.onScore(5);
  await page.client.flush();
  const manual = page.server.received.filter((item) => item.type === 'survey_response').at(-1);
  expect(manual).toMatchObject({ surveyId: 'csat', traits: { plan: 'team' }, trigger: { kind: 'manual' } });
});

test('a user who declined analytics answers without their traits, as their identify() is not sent', async () => {
  const page = openPage();
  page.client.identify('ada', { plan: 'free' });
  page.client.optOut({ analytics: true });
  page.client.showSurvey('nps');
  await vi.advanceTimersByTimeAsync(0);
  page.mounted[0]!.onScore(9);
  await page.client.flush();
  const answer = page.server.received.find((item) => item.type === 'survey_response');
  expect(answer).toMatchObject({ score: 9, trigger: { kind: 'manual' } });
  expect(answer).not.toHaveProperty('traits');
});

test('the device history and first visit belong to the device: reset() keeps them', async () => {
  const page = openPage({ userId: 'ada' });
  expect(localStorage.getItem(KEYS.firstSeen)).toBe(String(T0));
  page.client.track('checkout_completed');
  await vi.advanceTimersByTimeAsync(2000);
  page.mounted[0]!.onClose('close');
  page.client.reset();
  vi.setSystemTime(T0 + 60_000);
  page.client.track('checkout_completed');
  await vi.advanceTimersByTimeAsync(5000);
  expect(page.shown()).toEqual(['nps']);
  expect(localStorage.getItem(KEYS.firstSeen)).toBe(String(T0));
  openPage();
  expect(localStorage.getItem(KEYS.firstSeen)).toBe(String(T0));
});

test('optOut() shows nothing', async () => {
  const page = openPage();
  page.client.optOut();
  page.client.track('checkout_completed');
  page.client.showSurvey('nps');
  await vi.advanceTimersByTimeAsync(5000);
  expect(page.shown()).toEqual([]);
  expect(page.loadRuntime).not.toHaveBeenCalled();
  expect(page.loadWidget).not.toHaveBeenCalled();
});

test('showSurvey() fetches the widget beside the targeting chunk, not after it', async () => {
  let release!: () => void;
  const runtimeLoaded = new Promise<typeof runtimeModule>((resolve) => (release = () => resolve(runtimeModule)));
  const page = openPage({ locale: 'de' }, undefined, vi.fn(() => runtimeLoaded));
  await vi.advanceTimersByTimeAsync(0);
  page.client.showSurvey('nps');
  await vi.advanceTimersByTimeAsync(0);
  expect(page.loadRuntime).toHaveBeenCalledOnce();
  // The targeting chunk is still on its way; the widget (and its German texts) already too.
  expect(page.loadWidget).toHaveBeenCalledWith('de');
  release();
  await vi.advanceTimersByTimeAsync(0);
  expect(page.shown()).toEqual(['nps']);
});

test('showSurvey() shows a stored survey without waiting for the revalidation; once the server has removed it, it is not shown', async () => {
  localStorage.setItem('cxkit.surveys.pk_test', JSON.stringify({ surveys: [nps] }));
  let answer!: (response: Response) => void;
  const page = openPage();
  page.fetch.mockImplementationOnce(() => new Promise<Response>((resolve) => (answer = resolve)));
  await vi.advanceTimersByTimeAsync(0);
  expect(page.fetch).toHaveBeenCalledOnce();
  // The window: the server has not answered yet, the stored copy stands.
  page.client.showSurvey('nps');
  await vi.advanceTimersByTimeAsync(0);
  expect(page.shown()).toEqual(['nps']);
  page.mounted[0]!.onClose('close');

  // The server answers that the survey is gone (paused or deleted): from then on it is not shown.
  answer(new Response(JSON.stringify({ surveys: [] })));
  await vi.advanceTimersByTimeAsync(0);
  page.client.showSurvey('nps');
  await vi.advanceTimersByTimeAsync(5000);
  expect(page.shown()).toEqual(['nps']);
});
