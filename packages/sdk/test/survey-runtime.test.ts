import type { MountOptions, WidgetModule } from '@cxkit/widget';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { Draft } from '../src/client';
import { createIdentity } from '../src/identity';
import { createLocalValues } from '../src/local-values';
import { createPromptLock, LEASE_MS } from '../src/prompt-lock';
import type { Item, SurveyDefinition, SurveysResponse } from '@cxkit/protocol';
import { createSurveyRuntime } from '../src/survey-runtime';
import { DAY_MS } from '../src/targeting';
import { uuidv7 } from '../src/uuid';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const nps: SurveyDefinition = { id: 'nps', metric: 'nps', trigger: { event: 'checkout_completed' }, delaySeconds: 2 };
const csat: SurveyDefinition = { id: 'csat', metric: 'csat', trigger: { event: 'chat_closed' } };
const settings: SurveyDefinition = { id: 'ces-settings', metric: 'ces', trigger: { url: '/settings*' } };
const checkout = { kind: 'event', event: 'checkout_completed' } as const;

beforeEach(() => {
  localStorage.clear();
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => vi.useRealTimers());

/**
 * One tab's runtime with fakes around it: a widget the test plays the user in, a queue that stamps
 * items as the core does, and the tab's session. Tabs opened in one test share localStorage, as
 * the tabs of one origin do (the prompt lock is its lease there: happy-dom has no Web Locks).
 */
function openTab(definitions: SurveysResponse = { surveys: [nps, csat, settings] }) {
  const tab = {
    definitions,
    session: 'session-1',
    optedOut: false,
    items: [] as Item[],
    mounted: [] as MountOptions[],
    closed: [] as string[],
    log: vi.fn(),
    identity: createIdentity(createLocalValues()),
    /** The user closes the open prompt, or answers it. */
    user: () => tab.mounted.at(-1)!,
  };
  const widget: WidgetModule = { mount: (options) => (tab.mounted.push(options), { unmount: () => undefined }) };
  const runtime = createSurveyRuntime({
    definitions: () => tab.definitions,
    loadWidget: async () => widget,
    enqueue(draft: Draft) {
      const item = { ...draft, id: uuidv7(), timestamp: new Date(Date.now()).toISOString(), anonymousId: 'anon', sessionId: tab.session } as Item;
      tab.items.push(item);
      return item;
    },
    newId: uuidv7,
    now: Date.now,
    log: tab.log,
    identity: tab.identity,
    firstSeenAt: () => T0 - 60 * DAY_MS,
    sessionId: () => tab.session,
    locale: () => 'en',
    theme: () => undefined,
    optedOut: () => tab.optedOut,
    closed: (surveyId) => void tab.closed.push(surveyId),
    lock: createPromptLock(Date.now),
  });
  return Object.assign(tab, { runtime, shown: () => tab.mounted.map((m) => m.survey.id) });
}

/** The device's display history, as the tabs share it. */
const stored = () => JSON.parse(localStorage.getItem('cxkit.history') ?? '{"surveys":{}}') as { lastShownAt?: number; surveys: Record<string, unknown> };
const reasons = (log: ReturnType<typeof vi.fn>) => log.mock.calls.map((call) => String(call[0]));

test('a key action shows its survey only after its delay, and records the display', async () => {
  const tab = openTab();
  tab.runtime.trigger(checkout);
  await vi.advanceTimersByTimeAsync(1999);
  expect(tab.shown()).toEqual([]);
  await vi.advanceTimersByTimeAsync(1);
  expect(tab.shown()).toEqual(['nps']);
  expect(tab.items.map((i) => i.type)).toEqual(['survey_shown']);
  expect(stored()).toEqual({ lastShownAt: T0 + 2000, surveys: { nps: { displays: 1, answered: false, later: 0, lastShownAt: T0 + 2000, session: 'session-1' } } });
});

test('the history follows what the prompt queued: an answer, "remind me later", "don\'t ask again"', async () => {
  const tab = openTab({ surveys: [{ ...nps, delaySeconds: 0 }, csat] });
  tab.runtime.trigger(checkout);
  await vi.advanceTimersByTimeAsync(0);
  tab.user().onScore(9);
  tab.user().onClose('close');
  expect(stored().surveys.nps).toMatchObject({ displays: 1, answered: true });
  expect(tab.closed).toEqual(['nps']);

  tab.runtime.show('csat');
  await vi.advanceTimersByTimeAsync(0);
  tab.user().onClose('never');
  expect(stored().surveys.csat).toMatchObject({ displays: 1, answered: false, dismissed: 'never' });
  tab.runtime.trigger({ kind: 'event', event: 'chat_closed' });
  await vi.advanceTimersByTimeAsync(0);
  expect(tab.shown()).toEqual(['nps', 'csat']);
  expect(reasons(tab.log)).toContain('survey csat not shown: never');
});

test('"remind me later" brings the survey back in the next session, not in this one', async () => {
  const tab = openTab();
  tab.runtime.trigger(checkout);
  await vi.advanceTimersByTimeAsync(2000);
  tab.user().onClose('later');
  tab.runtime.trigger(checkout);
  await vi.advanceTimersByTimeAsync(5000);
  expect(tab.shown()).toEqual(['nps']);
  expect(reasons(tab.log)).toContain('survey nps not shown: later');

  tab.session = 'session-2';
  tab.runtime.trigger(checkout);
  await vi.advanceTimersByTimeAsync(2000);
  expect(tab.shown()).toEqual(['nps', 'nps']);
  expect(stored().surveys.nps).toMatchObject({ displays: 2, later: 1, session: 'session-2' });
});

test('decides again after the delay: a survey another tab showed meanwhile starts the cooldown', async () => {
  const waiting = openTab();
  const other = openTab();
  waiting.runtime.trigger(checkout);
  await vi.advanceTimersByTimeAsync(1000);
  other.runtime.trigger({ kind: 'event', event: 'chat_closed' });
  await vi.advanceTimersByTimeAsync(0);
  other.user().onClose('close');
  await vi.advanceTimersByTimeAsync(1000);
  expect(other.shown()).toEqual(['csat']);
  expect(waiting.shown()).toEqual([]);
  expect(reasons(waiting.log)).toContain('survey nps not shown: cooldown');
});

test('a survey paused (so no longer served) or changed while it waits follows the new definitions', async () => {
  const tab = openTab();
  tab.runtime.trigger(checkout);
  tab.definitions = { surveys: [csat] };
  await vi.advanceTimersByTimeAsync(2000);
  expect(reasons(tab.log)).toContain('survey nps not shown: not active');

  tab.definitions = { surveys: [nps] };
  tab.runtime.trigger(checkout);
  tab.definitions = { surveys: [{ ...nps, status: 'paused' }] };
  await vi.advanceTimersByTimeAsync(2000);
  expect(reasons(tab.log)).toContain('survey nps not shown: paused');
  expect(tab.shown()).toEqual([]);
});

test('two tabs triggering at the same moment open exactly one prompt', async () => {
  const tabs = [openTab(), openTab()];
  for (const tab of tabs) tab.runtime.trigger({ kind: 'event', event: 'chat_closed' });
  await vi.advanceTimersByTimeAsync(0);
  expect(tabs.flatMap((t) => t.shown())).toEqual(['csat']);
  expect(tabs.flatMap((t) => reasons(t.log))).toContain('survey csat not shown: another prompt is open');
});

test('while another tab has a prompt open nothing opens, not even by showSurvey; once it closes, showSurvey can', async () => {
  const first = openTab();
  const second = openTab();
  first.runtime.show('csat');
  await vi.advanceTimersByTimeAsync(0);
  second.runtime.show('nps');
  await vi.advanceTimersByTimeAsync(0);
  expect(second.shown()).toEqual([]);
  first.user().onClose('close');
  second.runtime.show('nps');
  await vi.advanceTimersByTimeAsync(0);
  expect(second.shown()).toEqual(['nps']);
});

test('a prompt lease left by a tab that crashed expires', async () => {
  localStorage.setItem('cxkit:prompt', `crashed-tab ${T0 + LEASE_MS}`);
  const tab = openTab();
  tab.runtime.show('csat');
  await vi.advanceTimersByTimeAsync(0);
  expect(tab.shown()).toEqual([]);
  vi.setSystemTime(T0 + LEASE_MS + 1);
  tab.runtime.show('csat');
  await vi.advanceTimersByTimeAsync(0);
  expect(tab.shown()).toEqual(['csat']);
});

test('a trigger while the same survey waits or is open does nothing', async () => {
  // Rules that would let it show again at once: only "already waiting or open" stops the repeats.
  const tab = openTab({ surveys: [{ ...nps, recontactDays: 0 }], rules: { cooldownDays: 0, maxRemindLater: 2 } });
  tab.runtime.trigger(checkout);
  await vi.advanceTimersByTimeAsync(1000);
  tab.runtime.trigger(checkout);
  await vi.advanceTimersByTimeAsync(1000);
  expect(tab.shown()).toEqual(['nps']);
  tab.runtime.trigger(checkout);
  tab.runtime.show('nps');
  tab.user().onClose('close');
  await vi.advanceTimersByTimeAsync(5000);
  expect(tab.shown()).toEqual(['nps']);
  expect(tab.items.filter((i) => i.type === 'survey_shown')).toHaveLength(1);
  // Once it is closed, the rules decide again.
  tab.runtime.trigger(checkout);
  await vi.advanceTimersByTimeAsync(2000);
  expect(tab.shown()).toEqual(['nps', 'nps']);
});

test('showSurvey bypasses the rules (cooldown, shown before, "don\'t ask again") but not a pause', async () => {
  const tab = openTab();
  tab.runtime.show('csat');
  await vi.advanceTimersByTimeAsync(0);
  tab.user().onClose('never');
  tab.runtime.show('csat');
  await vi.advanceTimersByTimeAsync(0);
  expect(tab.shown()).toEqual(['csat', 'csat']);
  tab.user().onClose('close');

  tab.runtime.show({ id: 'inline-paused', metric: 'nps', status: 'paused' });
  tab.runtime.show('no-such-survey');
  await vi.advanceTimersByTimeAsync(0);
  expect(tab.shown()).toEqual(['csat', 'csat']);
  expect(reasons(tab.log)).toEqual(
    expect.arrayContaining(['survey inline-paused not shown: paused', 'survey no-such-survey not shown: not active']),
  );
  tab.runtime.show({ id: 'given', metric: 'ces' });
  await vi.advanceTimersByTimeAsync(0);
  expect(tab.shown()).toEqual(['csat', 'csat', 'given']);
});

test('an identified user\'s history from other devices counts: shown elsewhere 3 days ago is within the cooldown', async () => {
  const tab = openTab({
    surveys: [csat],
    history: { lastShownAt: T0 - 3 * DAY_MS, surveys: { nps: { displays: 1, answered: true, later: 0, lastShownAt: T0 - 3 * DAY_MS } } },
  });
  tab.runtime.trigger({ kind: 'event', event: 'chat_closed' });
  await vi.advanceTimersByTimeAsync(0);
  expect(tab.shown()).toEqual([]);
  expect(reasons(tab.log)).toContain('survey csat not shown: cooldown');
});

test('the project\'s rules from the server replace the defaults', async () => {
  const tab = openTab({ surveys: [csat, { ...nps, delaySeconds: 0 }], rules: { cooldownDays: 0, maxRemindLater: 1 } });
  tab.runtime.trigger(checkout);
  await vi.advanceTimersByTimeAsync(0);
  tab.user().onClose('later');
  // No cooldown: another survey at once.
  tab.runtime.trigger({ kind: 'event', event: 'chat_closed' });
  await vi.advanceTimersByTimeAsync(0);
  tab.user().onClose('close');
  // One reminder: NPS comes back in the next session, but not after a second "later".
  tab.session = 'session-2';
  tab.runtime.trigger(checkout);
  await vi.advanceTimersByTimeAsync(0);
  tab.user().onClose('later');
  tab.session = 'session-3';
  tab.runtime.trigger(checkout);
  await vi.advanceTimersByTimeAsync(0);
  expect(tab.shown()).toEqual(['nps', 'csat', 'nps']);
  expect(reasons(tab.log)).toContain('survey nps not shown: shown-before');
});

/** The single-page app navigates to `path`, and the core passes the new address on. */
function navigate(tab: ReturnType<typeof openTab>, path: string): void {
  history.pushState(null, '', path);
  tab.runtime.trigger({ kind: 'url', url: location.href });
}

test('a URL trigger shows the survey whose pattern matches', async () => {
  const tab = openTab();
  navigate(tab, '/reports');
  await vi.advanceTimersByTimeAsync(0);
  navigate(tab, '/settings/billing');
  await vi.advanceTimersByTimeAsync(0);
  expect(tab.shown()).toEqual(['ces-settings']);
});

test('a URL-triggered survey is not shown when the user left its page during the delay', async () => {
  const tab = openTab({ surveys: [{ ...settings, delaySeconds: 5 }] });
  navigate(tab, '/settings/billing');
  await vi.advanceTimersByTimeAsync(1000);
  navigate(tab, '/reports');
  await vi.advanceTimersByTimeAsync(4000);
  expect(tab.shown()).toEqual([]);
  expect(reasons(tab.log)).toContain('survey ces-settings not shown: not-triggered');
  // Back on a matching page: it is triggered anew, and shows after its delay.
  navigate(tab, '/settings/profile');
  await vi.advanceTimersByTimeAsync(5000);
  expect(tab.shown()).toEqual(['ces-settings']);
});

test('the audience is the user: traits from identify(), days since first seen, sampling by user id', async () => {
  const team: SurveyDefinition = { ...csat, audience: { traits: [{ key: 'plan', op: 'eq', value: 'team' }], minDaysSinceFirstSeen: 30 } };
  const tab = openTab({ surveys: [team] });
  tab.runtime.trigger({ kind: 'event', event: 'chat_closed' });
  await vi.advanceTimersByTimeAsync(0);
  expect(reasons(tab.log)).toContain('survey csat not shown: audience');
  tab.identity.addTraits({ plan: 'team' });
  tab.runtime.trigger({ kind: 'event', event: 'chat_closed' });
  await vi.advanceTimersByTimeAsync(0);
  expect(tab.shown()).toEqual(['csat']);
});

test('opted out: nothing shows, not even a survey that was already waiting', async () => {
  const tab = openTab();
  tab.runtime.trigger(checkout);
  tab.optedOut = true;
  await vi.advanceTimersByTimeAsync(2000);
  tab.runtime.show('csat');
  await vi.advanceTimersByTimeAsync(0);
  expect(tab.shown()).toEqual([]);
});

test('where localStorage fails, the history is kept in memory for the page', async () => {
  vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
    throw new DOMException('denied', 'SecurityError');
  });
  vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
    throw new DOMException('denied', 'SecurityError');
  });
  try {
    const tab = openTab({ surveys: [{ ...nps, delaySeconds: 0 }] });
    tab.runtime.trigger(checkout);
    await vi.advanceTimersByTimeAsync(0);
    tab.user().onClose('close');
    tab.runtime.trigger(checkout);
    await vi.advanceTimersByTimeAsync(0);
    expect(tab.shown()).toEqual(['nps']);
    expect(reasons(tab.log)).toContain('survey nps not shown: shown-before');
  } finally {
    vi.restoreAllMocks();
  }
});
