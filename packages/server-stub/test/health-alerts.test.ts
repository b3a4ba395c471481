// Alerts for accounts entering poor health, on every engine: an account in poor health now that was
// not at the end of the day before is told of once that day, to the webhooks that asked for it
// (never to those for responses only), with what the dashboard shows of it.
import type { AccountHealthEvent } from '@cxkit/protocol';
import { expect, test } from 'vitest';
import { alertKey, enteredPoor, healthAlerts } from '../src/accounts/health-alerts';
import type { AccountReport } from '../src/accounts/account-metrics';
import { DAY_MS } from '../src/calendar';
import { inProcessAccounts } from '../src/metrics-reader';
import { commitItems, item, NOW, PROJECT, response, testServer } from './read-side-fixtures';

const at = (daysAgo: number, hour = 0) => new Date(NOW - daysAgo * DAY_MS + hour * 3_600_000).toISOString();
const user = (userId: string, accountId: string, daysAgo: number) => item(at(daysAgo), { type: 'group', accountId, userId, anonymousId: `anon-${userId}` });
const nps = (userId: string, score: number, daysAgo: number, hour = 0) => response(at(daysAgo, hour), 'nps-main', 'nps', score, { userId, anonymousId: `anon-${userId}` });

test('an account that fell into poor health today is told of once, to the webhooks that asked, with its index before and its MRR', async () => {
  const server = await testServer();
  // NPS alone decides the index here: a promoter is 100 (good), a detractor 0 (poor).
  expect((await server.send('/v1/account-health/weights', 'PUT', { nps: 1, csat: 0, ces: 0, active: 0, trend: 0, recency: 0 })).status).toBe(200);
  const created = async (filter: Record<string, unknown>) => ((await (await server.send('/v1/webhooks', 'POST', { url: 'https://hooks.example.com/cx', filter })).json()) as { id: string }).id;
  const forAccounts = await created({ events: ['account.poor_health'] });
  const both = await created({ events: ['response.completed', 'account.poor_health'], metrics: ['csat'] });
  const forResponses = await created({});
  await commitItems(server.storage, PROJECT.id, [
    // Globex's user was a promoter yesterday and is a detractor this morning: it entered poor health.
    user('ada', 'globex', 3),
    nps('ada', 10, 1),
    nps('ada', 0, 0, -2),
    // Initech was poor yesterday already; Hooli is good.
    user('bob', 'initech', 3),
    nps('bob', 1, 2),
    user('cy', 'hooli', 3),
    nps('cy', 9, 0, -1),
  ]);
  expect((await server.send('/v1/accounts/globex', 'PUT', { traits: { name: 'Globex', mrr: 1200 } })).status).toBe(200);

  let woken = 0;
  const alerts = healthAlerts(server.storage, { reader: inProcessAccounts(server.storage), publicUrl: 'https://cx.example.com', now: () => NOW, wake: () => woken++ });
  expect(await alerts.check()).toBe(2);
  expect(woken).toBe(1);
  // Checked again (by this process or another one): nothing more is queued that day.
  await alerts.check();
  const claimed = await server.storage.webhooks.claim(NOW, 50, 60_000);
  const events = claimed.filter((d) => d.responseId.startsWith('account:'));
  expect(events.map((d) => [d.webhook.id, d.responseId]).sort()).toEqual([
    [both, alertKey('globex', Math.floor(NOW / DAY_MS))],
    [forAccounts, 'account:globex:2026-03-31'],
  ].sort());
  expect(claimed.some((d) => d.webhook.id === forResponses && d.responseId.startsWith('account:'))).toBe(false);
  const body = JSON.parse(events.find((d) => d.webhook.id === forAccounts)!.body!) as AccountHealthEvent;
  expect(body).toEqual({
    type: 'account.poor_health',
    id: events.find((d) => d.webhook.id === forAccounts)!.id,
    createdAt: new Date(NOW).toISOString(),
    projectId: PROJECT.id,
    webhookId: forAccounts,
    account: { id: 'globex', name: 'Globex', index: 1, weakest: 'nps', indexBefore: 100, categoryBefore: 'good', mrr: 1200, dashboardUrl: 'https://cx.example.com/dashboard#account=globex' },
  });
});

test('a webhook with events names only what the protocol has, with the field', async () => {
  const server = await testServer();
  const answer = await server.send('/v1/webhooks', 'POST', { url: 'https://hooks.example.com/cx', filter: { events: ['account.churned'] } });
  expect(answer.status).toBe(400);
  expect(JSON.stringify(await answer.json())).toMatch(/filter\.events.*must be response\.completed or account\.poor_health/);
});

test('enteredPoor: poor now and not at the end of the day before, an account new since counting as entered', () => {
  const health = (index: number | null, category: 'good' | 'medium' | 'poor' | null) => ({ index, category, components: {} as never, missing: [], weakest: null });
  const metrics = (now: ReturnType<typeof health>, before: ReturnType<typeof health> | undefined) =>
    ({ health: now, history: before ? [{ day: '2026-03-30', health: before }] : [] }) as never;
  const report: AccountReport = {
    day: '2026-03-31',
    accounts: new Map([
      ['fell', metrics(health(39, 'poor'), health(40, 'medium'))],
      ['stayed', metrics(health(10, 'poor'), health(39, 'poor'))],
      ['unknown-before', metrics(health(20, 'poor'), health(null, null))],
      ['edge', metrics(health(40, 'medium'), health(90, 'good'))],
      ['nothing', metrics(health(null, null), health(null, null))],
    ]),
  };
  expect(enteredPoor(report).map((e) => [e.accountId, e.index, e.indexBefore, e.categoryBefore])).toEqual([
    ['fell', 39, 40, 'medium'],
    ['unknown-before', 20, null, null],
  ]);
});
