// The pure rules of alerts: which responses a webhook is told of, when an alert may go, the retry
// schedule, the signature and the Slack text.
import { WEBHOOK_LIMITS, type AccountHealthEvent, type WebhookFilter } from '@cxkit/protocol';
import { describe, expect, test } from 'vitest';
import { alertRows } from '../src/webhook-rows';
import { concerns, matchesFilter, targetOf } from '../src/webhook-filter';
import { accountAlertBody, webhookBody, webhookEvent } from '../src/webhook-payload';
import { afterAttempt, retryDelay, RETRY_SCHEDULE } from '../src/webhook-retry';
import { validateWebhook } from '../src/webhook-schema';
import { newWebhookSecret, signedHeaders } from '../src/webhook-signature';
import { lister } from '../src/responses-api';
import { item, SURVEYS } from './read-side-fixtures';
import { verifySignature } from './webhook-receiver';

// Listed as the worker lists a response before the filter: its bucket on its own survey's scale.
const list = lister(SURVEYS.map((definition) => ({ definition, active: true, deleted: false })));
const SURVEY_OF = { nps: 'nps-main', csat: 'csat-support', ces: 'ces-setup', ces5: 'ces-export' } as const;
const answer = (metric: keyof typeof SURVEY_OF, score: number, comment: string | null = null) =>
  list({ responseId: 'r', surveyId: SURVEY_OF[metric], metric: metric === 'ces5' ? 'ces' : metric, score, comment, final: true, anonymousId: 'a', userId: null, at: 0 });

describe('matchesFilter', () => {
  const cases: [string, WebhookFilter, ReturnType<typeof answer>, boolean][] = [
    ['an empty filter takes everything', {}, answer('nps', 3), true],
    ['by survey', { surveys: ['csat-support'] }, answer('nps', 3), false],
    ['by survey, listed', { surveys: ['csat-support', 'nps-main'] }, answer('nps', 3), true],
    ['by metric', { metrics: ['csat'] }, answer('nps', 3), false],
    ['NPS 6 is negative', { buckets: ['negative'] }, answer('nps', 6), true],
    ['NPS 7 is neutral, not negative', { buckets: ['negative'] }, answer('nps', 7), false],
    ['NPS 9 is positive', { buckets: ['positive'] }, answer('nps', 9), true],
    ['CSAT 3 is neutral', { buckets: ['neutral'] }, answer('csat', 3), true],
    ['CES 4 is neutral on 1–7', { buckets: ['neutral'] }, answer('ces', 4), true],
    ['CES 4 is positive on a 1–5 survey', { buckets: ['positive'] }, answer('ces5', 4), true],
    ['CES 4 is not neutral on a 1–5 survey', { buckets: ['neutral'] }, answer('ces5', 4), false],
    ['score range: inside', { minScore: 2, maxScore: 4 }, answer('nps', 4), true],
    ['score range: below', { minScore: 2, maxScore: 4 }, answer('nps', 1), false],
    ['score range: above', { maxScore: 4 }, answer('nps', 5), false],
    ['with a comment: has one', { hasComment: true }, answer('nps', 5, 'slow'), true],
    ['with a comment: has none', { hasComment: true }, answer('nps', 5), false],
    ['with a comment: an empty one is none', { hasComment: true }, answer('nps', 5, ''), false],
    ['without a comment: has one', { hasComment: false }, answer('nps', 5, 'slow'), false],
    ['without a comment: has none', { hasComment: false }, answer('nps', 5), true],
    ['every field must hold', { metrics: ['nps'], buckets: ['negative'], hasComment: true }, answer('nps', 2), false],
    ['every field holds', { metrics: ['nps'], buckets: ['negative'], hasComment: true, surveys: ['nps-main'] }, answer('nps', 2, 'bad'), true],
    ['a webhook for accounts entering poor health only is told of no response', { events: ['account.poor_health'] }, answer('nps', 2), false],
    ['one for both is told of responses too', { events: ['account.poor_health', 'response.completed'] }, answer('nps', 2), true],
  ];
  test.each(cases)('%s', (_name, filter, response, expected) => {
    expect(matchesFilter(filter, response)).toBe(expected);
  });

  test('ingest queues no answer for a webhook that takes accounts only', () => {
    const answerItem = { surveyId: 'nps-main', metric: 'nps' as const };
    expect(concerns(targetOf({ id: 'wh', filter: { events: ['account.poor_health'] } }), answerItem)).toBe(false);
    expect(concerns(targetOf({ id: 'wh', filter: {} }), answerItem)).toBe(true);
  });

  test('ingest matches by survey and metric alone: the rest may change before the response is final', () => {
    const target = targetOf({ id: 'wh', filter: { surveys: ['s1'], metrics: ['nps'], buckets: ['negative'], hasComment: true } });
    expect(target).toEqual({ id: 'wh', surveys: ['s1'], metrics: ['nps'] });
    expect(concerns(target, { surveyId: 's1', metric: 'nps' })).toBe(true);
    expect(concerns(target, { surveyId: 's1', metric: 'csat' })).toBe(false);
  });
});

describe('alertRows', () => {
  const response = (responseId: string, final: boolean, at = 1_000_000, extra = {}) =>
    item(at, { type: 'survey_response', surveyId: 's1', metric: 'nps', score: 3, responseId, final, ...extra });
  let n = 0;
  const ids = () => `id-${++n}`;

  test('a final answer may go at once, a score alone after the settle time; one row per webhook and response', () => {
    const rows = alertRows([response('r1', false), response('r2', true), item(1_000_000, { type: 'track', event: 'x' })], [{ id: 'a' }, { id: 'b', metrics: ['csat'] }], ids);
    expect(rows.map(({ webhookId, responseId, readyAt }) => ({ webhookId, responseId, readyAt }))).toEqual([
      { webhookId: 'a', responseId: 'r1', readyAt: 1_000_000 + WEBHOOK_LIMITS.settleMs },
      { webhookId: 'a', responseId: 'r2', readyAt: 1_000_000 },
    ]);
  });

  test('score and comment in one commit make one row, ready when the comment came', () => {
    const rows = alertRows([response('r1', false, 1_000_000), response('r1', true, 1_000_500, { comment: 'late' })], [{ id: 'a' }], ids);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ responseId: 'r1', readyAt: 1_000_500, createdAt: 1_000_000 });
    expect(rows[0]!.id).toMatch(/^msg_/);
  });
});

describe('retries', () => {
  test('the wait doubles from the base up to the cap, its upper half random', () => {
    const low = (n: number) => retryDelay(n, () => 0, RETRY_SCHEDULE);
    const high = (n: number) => retryDelay(n, () => 1, RETRY_SCHEDULE);
    expect([1, 2, 3].map(high)).toEqual([30_000, 60_000, 120_000]);
    expect(low(1)).toBe(15_000);
    expect(high(20)).toBe(WEBHOOK_LIMITS.retryCapMs);
    expect(low(20)).toBe(WEBHOOK_LIMITS.retryCapMs / 2);
  });

  test('2xx delivers; any other answer or none is retried until the horizon after the event, then fails', () => {
    const attempt = (status: number | null, at: number) => ({ attempt: 1, at, status, durationMs: 5, error: status === 200 ? null : 'x' });
    const delivery = { attempt: 1, createdAt: 0 };
    expect(afterAttempt(delivery, attempt(204, 100), () => 0.5, RETRY_SCHEDULE).state).toBe('delivered');
    expect(afterAttempt(delivery, attempt(500, 100), () => 0.5, RETRY_SCHEDULE)).toMatchObject({ state: 'pending', readyAt: 100 + 5 + 22_500 });
    expect(afterAttempt(delivery, attempt(null, 100), () => 0.5, RETRY_SCHEDULE).state).toBe('pending');
    expect(afterAttempt(delivery, attempt(301, 100), () => 0.5, RETRY_SCHEDULE).state).toBe('pending');
    expect(afterAttempt(delivery, attempt(500, WEBHOOK_LIMITS.giveUpAfterMs - 1000), () => 0.5, RETRY_SCHEDULE).state).toBe('failed');
  });

  test('a receiver down for an hour is tried again within the cap of its return, well inside the horizon', () => {
    let at = 0;
    let attempt = 1;
    while (at < 60 * 60 * 1000) at += retryDelay(attempt++, () => 1, RETRY_SCHEDULE);
    expect(at).toBeLessThan(60 * 60 * 1000 + WEBHOOK_LIMITS.retryCapMs);
    // Every attempt to the horizon, at the shortest waits: what the log and the receiver may see.
    let count = 0;
    for (let t = 0, n = 1; t < WEBHOOK_LIMITS.giveUpAfterMs; n++, count++) t += retryDelay(n, () => 0, RETRY_SCHEDULE);
    expect(count).toBeLessThan(160);
  });
});

test('signatures verify as docs/alerts.md shows, and fail for another body, secret or an old timestamp', () => {
  const secret = newWebhookSecret();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
  const body = '{"a":1}';
  const headers = signedHeaders(secret, 'msg_1', 1_700_000_000, body);
  expect(verifySignature(secret, headers, body, 1_700_000_010)).toBe(true);
  expect(verifySignature(secret, headers, '{"a":2}', 1_700_000_010)).toBe(false);
  expect(verifySignature(newWebhookSecret(), headers, body, 1_700_000_010)).toBe(false);
  expect(verifySignature(secret, headers, body, 1_700_001_000)).toBe(false);
});

test('the Slack format is an incoming-webhook message with score, comment and the dashboard link, markup escaped', () => {
  const event = webhookEvent({
    id: 'msg_1',
    type: 'response.completed',
    createdAt: 0,
    projectId: 'acme',
    webhookId: 'wh_1',
    response: list({ responseId: 'r1', surveyId: 'nps-main', metric: 'nps', score: 2, comment: 'a <b> & c\nline two', final: true, anonymousId: 'a', userId: 'u-1', at: 0 }),
    dashboardUrl: 'https://cx.example.com/dashboard#response=r1',
  });
  expect(event.response.bucket).toBe('negative');
  const slack = JSON.parse(webhookBody('slack', event)) as { text: string };
  expect(Object.keys(slack)).toEqual(['text']);
  expect(slack.text).toBe('*NPS 2* (negative) on NPS from u-1\n>a &lt;b&gt; &amp; c\n>line two\n<https://cx.example.com/dashboard#response=r1|Open on the dashboard>');
  expect(JSON.parse(webhookBody('json', event))).toEqual(event);
});

test('an account entering poor health, as a Slack message: name, index, the day before, weakest component, MRR', () => {
  const event: AccountHealthEvent = {
    type: 'account.poor_health',
    id: 'msg_2',
    createdAt: '2026-03-31T12:00:00.000Z',
    projectId: 'acme',
    webhookId: 'wh_1',
    account: { id: 'globex', name: 'Globex <EU>', index: 34, weakest: 'nps', indexBefore: 52, categoryBefore: 'medium', mrr: 1200, dashboardUrl: 'https://cx.example.com/dashboard#account=globex' },
  };
  expect(JSON.parse(accountAlertBody('slack', event))).toEqual({
    text: '*Globex &lt;EU&gt;* entered poor health: 34 (52, medium, the day before); pulled down most by nps; MRR 1200\n<https://cx.example.com/dashboard#account=globex|Open on the dashboard>',
  });
  const unnamed = { ...event, account: { ...event.account, name: null, indexBefore: null, categoryBefore: null, weakest: null, mrr: null } };
  expect(JSON.parse(accountAlertBody('slack', unnamed)).text).toBe('*globex* entered poor health: 34\n<https://cx.example.com/dashboard#account=globex|Open on the dashboard>');
  expect(JSON.parse(accountAlertBody('json', event))).toEqual(event);
});

describe('validateWebhook', () => {
  const paths = (raw: unknown, change = false) => {
    const result = validateWebhook(raw, change);
    return result.ok ? [] : result.issues.map((i) => i.path);
  };
  test.each([
    ['ftp://x.example/hook'],
    ['javascript:alert(1)'],
    ['file:///etc/passwd'],
    ['not a url'],
    ['https://user:pw@x.example/hook'],
  ])('refuses %s as the url, by field', (url) => {
    expect(paths({ url })).toEqual(['url']);
  });
  test('names each wrong field', () => {
    expect(paths({ url: 'https://x.example', format: 'xml', filter: { buckets: ['bad'], minScore: 5, maxScore: 2, hasComent: true } })).toEqual(
      expect.arrayContaining(['format', 'filter.buckets.0', 'filter.hasComent']),
    );
    expect(paths({ url: 'https://x.example', filter: { minScore: 5, maxScore: 2 } })).toEqual(['filter.maxScore']);
    expect(paths({})).toEqual(['url']);
    expect(paths({}, true)).toEqual([]);
    expect(paths({ url: 'https://hooks.slack.com/services/T/B/X', format: 'slack', filter: { metrics: ['nps'], hasComment: true } })).toEqual([]);
  });
});
