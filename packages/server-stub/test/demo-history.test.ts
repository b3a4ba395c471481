import { expect, test } from 'vitest';
import type { AccountHealthAnswer } from '../src/accounts-api';
import { createApp } from '../src/app';
import { dailyActivity } from '../src/activity-series';
import { DAY_MS, UTC } from '../src/calendar';
import { DEMO_PROJECT, DEMO_SURVEYS, seedDemo } from '../src/demo';
import { seedDemoHistory } from '../src/demo-history';
import { openSqlite } from '../src/sqlite/open';
import { commitItems, item, SURVEYS } from './read-side-fixtures';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const TODAY = Math.floor(NOW / DAY_MS);
const count = (storage: ReturnType<typeof openSqlite>, table: string) =>
  (storage.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

test('a new demo database (cxkit-server --demo) gets 90 days of activity and answers to every triggered survey, with comments', async () => {
  const storage = openSqlite(':memory:');
  await storage.projects.ensure(DEMO_PROJECT);
  const started = performance.now();
  await seedDemoHistory(storage, DEMO_PROJECT.id, SURVEYS, NOW);
  // The demo server writes this before it listens: it must stay quick.
  expect(performance.now() - started).toBeLessThan(10_000);

  const days = await dailyActivity(storage.activity, DEMO_PROJECT.id, UTC, TODAY - 89, TODAY);
  expect(days.every((d) => d.dau > 0)).toBe(true);
  expect(days[days.length - 1]!.mau).toBeGreaterThan(200);
  const scores = await storage.responses.scores(DEMO_PROJECT.id, (TODAY - 90) * DAY_MS, NOW + 1);
  expect(new Set(scores.map((s) => s.surveyId))).toEqual(new Set(SURVEYS.map((s) => s.id)));
  expect(scores.every((s) => s.at <= NOW)).toBe(true);
  expect((await storage.responses.list(DEMO_PROJECT.id, { hasComment: true, limit: 500 })).length).toBeGreaterThan(50);
  expect(count(storage, 'identities')).toBeGreaterThan(100);
  // Answers carry the plan and country they were given with, and checkout's payment method, for breakdowns.
  const byPlan = await storage.responses.scores(DEMO_PROJECT.id, (TODAY - 90) * DAY_MS, NOW + 1, undefined, { kind: 'trait', key: 'plan' });
  expect(new Set(byPlan.map((s) => s.group))).toEqual(new Set(['free', 'team', 'business', null]));
  const byPayment = await storage.responses.scores(DEMO_PROJECT.id, (TODAY - 90) * DAY_MS, NOW + 1, 'nps-main', { kind: 'event', key: 'payment' });
  expect(new Set(byPayment.map((s) => s.group))).toEqual(new Set(['card', 'paypal', 'invoice']));
  await storage.close();
});

test('is written once: not again on the next start, and never into a database that has activity', async () => {
  const storage = openSqlite(':memory:');
  await seedDemo(storage);
  await seedDemoHistory(storage, DEMO_PROJECT.id, DEMO_SURVEYS);
  const items = count(storage, 'items');
  expect(items).toBeGreaterThan(1000);
  await seedDemoHistory(storage, DEMO_PROJECT.id, DEMO_SURVEYS);
  expect(count(storage, 'items')).toBe(items);

  const used = openSqlite(':memory:');
  await seedDemo(used);
  await commitItems(used, DEMO_PROJECT.id, [item(Date.now() - 1000, { anonymousId: 'real-visitor' })]);
  await seedDemoHistory(used, DEMO_PROJECT.id, DEMO_SURVEYS);
  expect(count(used, 'items')).toBe(1);
  await storage.close();
  used.close();
});

test('the demo surveys are saved once: a restart keeps what the dashboard changed, and adds only a missing one', async () => {
  const storage = openSqlite(':memory:');
  await seedDemo(storage);
  const [nps, csat, ces] = DEMO_SURVEYS.map((s) => s.id);
  await storage.surveys.put(DEMO_PROJECT.id, { ...DEMO_SURVEYS[0]!, delaySeconds: 10 }, true);
  await storage.surveys.setActive(DEMO_PROJECT.id, csat!, false);
  await storage.surveys.delete(DEMO_PROJECT.id, ces!);
  await seedDemo(storage);
  const byId = new Map((await storage.surveys.all(DEMO_PROJECT.id)).map((s) => [s.definition.id, s]));
  expect(byId.get(nps!)).toMatchObject({ active: true, definition: { delaySeconds: 10 } });
  expect(byId.get(csat!)).toMatchObject({ active: false, deleted: false });
  expect(byId.get(ces!)?.deleted).toBe(true);

  // A database from a demo that had only the NPS survey.
  const older = openSqlite(':memory:');
  await older.projects.ensure(DEMO_PROJECT);
  await older.surveys.put(DEMO_PROJECT.id, { id: nps!, metric: 'nps', name: 'Edited NPS' }, true);
  await seedDemo(older);
  expect((await older.surveys.all(DEMO_PROJECT.id)).map((s) => s.definition.name)).toEqual(['CES after a report export', 'CSAT after a support chat', 'Edited NPS']);
  await storage.close();
  await older.close();
});

test('a new demo project lets surveys follow each other; a restart keeps rules changed on the dashboard', async () => {
  const storage = openSqlite(':memory:');
  await seedDemo(storage);
  expect(await storage.projects.rules(DEMO_PROJECT.id)).toEqual({ cooldownDays: 0, maxRemindLater: 2 });
  await storage.projects.setRules(DEMO_PROJECT.id, { cooldownDays: 14, maxRemindLater: 1 });
  await seedDemo(storage);
  expect(await storage.projects.rules(DEMO_PROJECT.id)).toEqual({ cooldownDays: 14, maxRemindLater: 1 });
  await storage.close();
});

test('the demo has accounts of several sizes and healths: a real at-risk list, with the revenue it carries', async () => {
  const storage = openSqlite(':memory:');
  await storage.projects.ensure(DEMO_PROJECT);
  await seedDemoHistory(storage, DEMO_PROJECT.id, SURVEYS, NOW);
  const app = createApp({ storage, now: () => NOW });
  const answer = (await (await app.request('/v1/account-health', { headers: { Authorization: `Bearer ${DEMO_PROJECT.readKey}` } })).json()) as AccountHealthAnswer;
  const sizes = answer.accounts.map((a) => a.users);
  expect(answer.accounts).toHaveLength(12);
  expect(Math.max(...sizes)).toBeGreaterThan(3 * Math.min(...sizes));
  const categories = new Set(answer.accounts.map((a) => a.health.category));
  expect(categories).toEqual(new Set(['good', 'medium', 'poor']));
  // The slipping and quiet accounts are the ones at risk; the healthy ones are not.
  expect(answer.atRisk.accounts.length).toBeGreaterThanOrEqual(3);
  for (const id of answer.atRisk.accounts) expect(['acme', 'hooli', 'soylent', 'initech', 'wonka']).toContain(id);
  expect(answer.atRisk.revenueAtRisk).toBeGreaterThan(0);
  await storage.close();
});
