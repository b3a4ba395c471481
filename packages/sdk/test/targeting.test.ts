import { describe, expect, test } from 'vitest';
import type { DisplayHistory, SurveyDefinition, SurveyHistory } from '@cxkit/protocol';
import {
  DAY_MS,
  decide,
  DEFAULT_RULES,
  inSample,
  mergeHistory,
  pickSurvey,
  urlMatches,
  type Audience,
  type Trigger,
} from '../src/targeting';
import { uuidv7 } from '../src/uuid';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const checkout: Trigger = { kind: 'event', event: 'checkout_completed', properties: { total: 120, plan: 'team' } };
const nps: SurveyDefinition = { id: 'nps', metric: 'nps', trigger: { event: 'checkout_completed' } };
const audience: Audience = { now: NOW, userKey: 'user-1', sessionId: 'session-2', traits: {}, firstSeenAt: NOW - 60 * DAY_MS };
const fresh: DisplayHistory = { surveys: {} };
const days = (n: number) => n * DAY_MS;
/** A survey's history entry: shown once, not answered, never postponed, unless told otherwise. */
const seen = (fields: Partial<SurveyHistory>): SurveyHistory => ({ displays: 1, answered: false, later: 0, ...fields });

describe('decide', () => {
  const cases: [string, Partial<SurveyDefinition>, Trigger, Partial<Audience>, DisplayHistory, ReturnType<typeof decide>][] = [
    ['shows on its event', {}, checkout, {}, fresh, { show: true, delayMs: 0 }],
    ['waits its delay', { delaySeconds: 3 }, checkout, {}, fresh, { show: true, delayMs: 3000 }],
    ['ignores other events', {}, { kind: 'event', event: 'export_done' }, {}, fresh, { show: false, reason: 'not-triggered' }],
    ['never shows when paused, even on its event', { status: 'paused' }, checkout, {}, fresh, { show: false, reason: 'paused' }],
    ['never shows when paused, even by showSurvey', { status: 'paused' }, { kind: 'manual' }, {}, fresh, { show: false, reason: 'paused' }],
    ['does not show before its start, even by showSurvey', { startsAt: '2026-11-25T12:00:01Z' }, { kind: 'manual' }, {}, fresh, { show: false, reason: 'not-started' }],
    ['shows from its start', { startsAt: '2026-11-25T12:00:00Z', endsAt: '2026-11-26T00:00:00Z' }, checkout, {}, fresh, { show: true, delayMs: 0 }],
    ['does not show from its end on, even by showSurvey', { endsAt: '2026-11-25T12:00:00Z' }, { kind: 'manual' }, {}, fresh, { show: false, reason: 'ended' }],
    ['shows by showSurvey whatever the rules', { trigger: undefined }, { kind: 'manual' }, {},
      { lastShownAt: NOW - 1000, surveys: { nps: seen({ displays: 9, dismissed: 'never' }) } }, { show: true, delayMs: 0 }],
    ['is not triggered by events when it has no trigger', { trigger: undefined }, checkout, {}, fresh, { show: false, reason: 'not-triggered' }],
    ['checks property filters: match', { trigger: { event: 'checkout_completed', where: [{ key: 'total', op: 'gte', value: 100 }] } },
      checkout, {}, fresh, { show: true, delayMs: 0 }],
    ['checks property filters: no match', { trigger: { event: 'checkout_completed', where: [{ key: 'total', op: 'gt', value: 500 }] } },
      checkout, {}, fresh, { show: false, reason: 'not-triggered' }],
    ['triggers on a URL pattern', { trigger: { url: '/settings*' } }, { kind: 'url', url: 'https://app.example.com/settings/billing' }, {}, fresh,
      { show: true, delayMs: 0 }],
    ['respects "don\'t ask again"', {}, checkout, {}, { surveys: { nps: seen({ displays: 1, dismissed: 'never' }) } }, { show: false, reason: 'never' }],
    ['does not remind later in the same session', {}, checkout, {},
      { lastShownAt: NOW - 60_000, surveys: { nps: seen({ displays: 1, dismissed: 'later', later: 1, session: 'session-2' }) } },
      { show: false, reason: 'later' }],
    ['reminds later in the next session, despite the cooldown', { delaySeconds: 2 }, checkout, {},
      { lastShownAt: NOW - 60_000, surveys: { nps: seen({ displays: 1, dismissed: 'later', later: 1, session: 'session-1' }) } },
      { show: true, delayMs: 2000 }],
    ['reminds later in the next session, despite maxDisplays: the user asked for it', { maxDisplays: 1 }, checkout, {},
      { lastShownAt: NOW - 60_000, surveys: { nps: seen({ displays: 1, dismissed: 'later', later: 1, session: 'session-1' }) } },
      { show: true, delayMs: 0 }],
    ['stops reminding after the allowed number of postponements', {}, checkout, {},
      { lastShownAt: NOW - 60_000, surveys: { nps: seen({ displays: 3, dismissed: 'later', later: DEFAULT_RULES.maxRemindLater + 1, session: 'session-1' }) } },
      { show: false, reason: 'shown-before' }],
    ['shows once when no recontact period is set', {}, checkout, {}, { lastShownAt: NOW - days(200), surveys: { nps: seen({ displays: 1, answered: true, lastShownAt: NOW - days(200) }) } },
      { show: false, reason: 'shown-before' }],
    ['waits out recontactDays', { recontactDays: 90 }, checkout, {},
      { lastShownAt: NOW - days(89.9), surveys: { nps: seen({ displays: 1, answered: true, lastShownAt: NOW - days(89.9) }) } },
      { show: false, reason: 'recontact' }],
    ['shows again after recontactDays', { recontactDays: 90 }, checkout, {},
      { lastShownAt: NOW - days(90), surveys: { nps: seen({ displays: 1, answered: true, lastShownAt: NOW - days(90) }) } },
      { show: true, delayMs: 0 }],
    ['caps displays at maxDisplays', { recontactDays: 1, maxDisplays: 2 }, checkout, {},
      { lastShownAt: NOW - days(30), surveys: { nps: seen({ displays: 2, lastShownAt: NOW - days(30) }) } },
      { show: false, reason: 'max-displays' }],
    ['keeps the global cooldown after another survey', {}, checkout, {}, { lastShownAt: NOW - days(13.99), surveys: { csat: seen({ displays: 1 }) } },
      { show: false, reason: 'cooldown' }],
    ['shows once the cooldown has passed', {}, checkout, {}, { lastShownAt: NOW - days(14), surveys: { csat: seen({ displays: 1 }) } },
      { show: true, delayMs: 0 }],
    ['filters the audience by traits: match', { audience: { traits: [{ key: 'plan', op: 'in', value: ['team', 'enterprise'] }] } },
      checkout, { traits: { plan: 'team' } }, fresh, { show: true, delayMs: 0 }],
    ['filters the audience by traits: no match', { audience: { traits: [{ key: 'plan', op: 'eq', value: 'enterprise' }] } },
      checkout, { traits: { plan: 'team' } }, fresh, { show: false, reason: 'audience' }],
    ['needs enough days since first seen', { audience: { minDaysSinceFirstSeen: 30 } }, checkout, { firstSeenAt: NOW - days(29.5) }, fresh,
      { show: false, reason: 'audience' }],
    ['allows at most maxDaysSinceFirstSeen', { audience: { maxDaysSinceFirstSeen: 7 } }, checkout, { firstSeenAt: NOW - days(8) }, fresh,
      { show: false, reason: 'audience' }],
    ['shows to nobody at sample rate 0', { sampleRate: 0 }, checkout, {}, fresh, { show: false, reason: 'sampled-out' }],
  ];

  test.each(cases)('%s', (_, overrides, trigger, who, history, expected) => {
    expect(decide({ ...nps, ...overrides }, trigger, { ...audience, ...who }, history)).toEqual(expected);
  });

  test('uses the project rules it is given', () => {
    const history = { lastShownAt: NOW - days(3), surveys: { csat: seen({ displays: 1 }) } };
    expect(decide(nps, checkout, audience, history, { cooldownDays: 2, maxRemindLater: 0 }).show).toBe(true);
    expect(decide(nps, checkout, audience, history, { cooldownDays: 4, maxRemindLater: 0 }).show).toBe(false);
  });
});

describe('clock edges: days are elapsed 24-hour periods', () => {
  // Europe/Berlin leaves summer time on 2026-10-25: that local day has 25 hours.
  test.each([
    ['across the end of summer time, a second short of 24 h', '2026-10-24T12:00:00+02:00', '2026-10-25T10:59:59+01:00', 'cooldown'],
    ['across the end of summer time, 24 h later (11:00 local)', '2026-10-24T12:00:00+02:00', '2026-10-25T11:00:00+01:00', undefined],
    ['across the start of summer time', '2026-03-28T12:00:00+01:00', '2026-03-29T12:00:00+02:00', 'cooldown'],
    ['across the start of summer time, one hour later', '2026-03-28T12:00:00+01:00', '2026-03-29T13:00:00+02:00', undefined],
    ['one second before UTC midnight to one second after the next', '2026-11-24T23:59:59Z', '2026-11-26T00:00:00Z', undefined],
    ['across UTC midnight but less than a day', '2026-11-24T23:59:59Z', '2026-11-25T23:59:58Z', 'cooldown'],
  ])('a one-day cooldown %s', (_, shown, now, reason) => {
    const decision = decide(nps, checkout, { ...audience, now: Date.parse(now) }, { lastShownAt: Date.parse(shown), surveys: {} }, {
      cooldownDays: 1,
      maxRemindLater: 2,
    });
    expect(decision.show ? undefined : decision.reason).toBe(reason);
  });

  test('days since first seen count from the first visit, not from calendar midnights', () => {
    const survey = { ...nps, audience: { minDaysSinceFirstSeen: 30 } };
    const firstSeenAt = Date.parse('2026-01-01T23:59:00Z');
    const at = (iso: string) => decide(survey, checkout, { ...audience, firstSeenAt, now: Date.parse(iso) }, fresh).show;
    expect(at('2026-01-31T00:00:00Z')).toBe(false);
    expect(at('2026-01-31T23:58:59Z')).toBe(false);
    expect(at('2026-01-31T23:59:00Z')).toBe(true);
  });
});

describe('sampling', () => {
  test('10% of 100,000 users fall in a 10% sample, within ±1.5 points', () => {
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (inSample('nps-q4', uuidv7(NOW + i), 0.1)) hits++;
    expect(Math.abs(hits / 100_000 - 0.1)).toBeLessThanOrEqual(0.015);
  });

  test('sequential user ids like "user-1", "user-2" are spread evenly too', () => {
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (inSample('nps-q4', `user-${i}`, 0.1)) hits++;
    expect(Math.abs(hits / 100_000 - 0.1)).toBeLessThanOrEqual(0.015);
  });

  test('the same user gets the same answer every time; other surveys sample other users', () => {
    const users = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
    const first = users.map((u) => inSample('a', u, 0.5));
    expect(users.map((u) => inSample('a', u, 0.5))).toEqual(first);
    const other = users.map((u) => inSample('b', u, 0.5));
    const agreement = first.filter((x, i) => x === other[i]).length / users.length;
    expect(agreement).toBeGreaterThan(0.45);
    expect(agreement).toBeLessThan(0.55);
  });

  test('a larger rate keeps everyone a smaller rate had', () => {
    for (let i = 0; i < 5000; i++) {
      if (inSample('s', `u${i}`, 0.1)) expect(inSample('s', `u${i}`, 0.3)).toBe(true);
    }
  });
});

describe('URL patterns', () => {
  test.each([
    ['https://app.example.com/settings*', 'https://app.example.com/settings/billing', true],
    ['https://app.example.com/settings', 'https://app.example.com/settings/billing', false],
    ['/reports/*/export', 'https://app.example.com/reports/42/export', true],
    ['/reports/*/export', 'https://app.example.com/reports/42/export/pdf', false],
    ['/search?q=*', 'https://app.example.com/search?q=books', true],
    ['/a.b', 'https://x.test/aXb', false],
    ['*', 'https://anything.test/', true],
  ])('%s matches %s: %s', (pattern, url, expected) => {
    expect(urlMatches(pattern, url)).toBe(expected);
  });
});

test('pickSurvey takes the first eligible survey in definition order, and says why it skipped the triggered ones', () => {
  const csat: SurveyDefinition = { id: 'csat', metric: 'csat', trigger: { event: 'checkout_completed' } };
  const ces: SurveyDefinition = { id: 'ces', metric: 'ces', trigger: { event: 'export_done' } };
  const history = { surveys: { nps: seen({ displays: 1, dismissed: 'never' as const }) } };
  const skipped: [string, string][] = [];
  const record = (id: string, reason: string) => void skipped.push([id, reason]);
  expect(pickSurvey([ces, nps, csat], checkout, audience, history, DEFAULT_RULES, record)?.survey.id).toBe('csat');
  expect(skipped).toEqual([['nps', 'never']]);
  expect(pickSurvey([nps, csat], checkout, audience, fresh, DEFAULT_RULES, record)?.survey.id).toBe('nps');
  expect(pickSurvey([nps, csat], { kind: 'event', event: 'other' }, audience, fresh, DEFAULT_RULES, record)).toBeUndefined();
  expect(skipped).toEqual([['nps', 'never']]);
});

test('mergeHistory keeps the latest display, the most displays, and any "never" or answer', () => {
  const device: DisplayHistory = { lastShownAt: 100, surveys: { nps: seen({ displays: 1, lastShownAt: 100, dismissed: 'later', later: 1 }) } };
  const server: DisplayHistory = {
    lastShownAt: 300,
    surveys: { nps: seen({ displays: 2, lastShownAt: 300, answered: true }), ces: seen({ displays: 1, lastShownAt: 200, dismissed: 'never' }) },
  };
  const merged = mergeHistory(device, server);
  expect(merged.lastShownAt).toBe(300);
  expect(merged.surveys.nps).toMatchObject({ displays: 2, lastShownAt: 300, answered: true, later: 1 });
  expect(merged.surveys.ces?.dismissed).toBe('never');
  expect(mergeHistory(device, undefined)).toBe(device);
});

test('mergeHistory keeps the device\'s session when the server\'s copy of the same display looks newer', () => {
  // The server corrected the device's clock by a few ms; it knows no sessions.
  const device: DisplayHistory = { lastShownAt: 1000, surveys: { nps: seen({ lastShownAt: 1000, dismissed: 'later', later: 1, session: 'session-2' }) } };
  const server: DisplayHistory = { lastShownAt: 1004, surveys: { nps: seen({ lastShownAt: 1004, dismissed: 'later', later: 1 }) } };
  const merged = mergeHistory(device, server);
  expect(merged.surveys.nps?.session).toBe('session-2');
  expect(decide(nps, checkout, audience, merged)).toEqual({ show: false, reason: 'later' });
});
