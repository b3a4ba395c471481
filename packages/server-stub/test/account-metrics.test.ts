// Per-account metrics on every engine: each account's users, active users, user-days and last seen
// exact against a count straight from the items (users switching accounts, anonymous activity before
// identify), and through the API the health index, the accounts at risk with the revenue they
// carry, the churn signals and the project's own weights.
import { DEFAULT_HEALTH_WEIGHTS, HEALTH_WINDOW_DAYS, LAST_SEEN_DAYS } from '@cxkit/protocol';
import { expect, test } from 'vitest';
import { accountReport } from '../src/accounts/account-metrics';
import { healthComponents, healthIndex } from '../src/accounts/health';
import { DAY_MS } from '../src/calendar';
import { seededRandom } from '../src/seeded-random';
import type { StoredItem } from '../src/storage';
import { stored } from './activity-fixtures';
import { commitItems, NOW, PROJECT, testServer } from './read-side-fixtures';

const TODAY = Math.floor(NOW / DAY_MS);

/** Users' account and activity straight from the items, as docs/accounts.md defines them. */
function bruteForce(items: StoredItem[], asOf: number) {
  const alias = new Map<string, { user: string; at: number }>();
  for (const { item, at } of items) {
    if (item.type === 'identify' && (!alias.has(item.anonymousId) || at < alias.get(item.anonymousId)!.at)) alias.set(item.anonymousId, { user: item.userId, at });
  }
  const userOf = (anonymousId: string, userId?: string) => userId ?? alias.get(anonymousId)?.user ?? anonymousId;
  const latestGroup = new Map<string, { account: string; at: number; bySubject: boolean }>();
  for (const { item, at } of [...items].sort((a, b) => a.at - b.at)) {
    if (item.type !== 'group') continue;
    const subject = item.userId ?? item.anonymousId;
    const user = userOf(subject);
    const bySubject = user === subject;
    const known = latestGroup.get(user);
    // A membership under the user's own id beats one under an anonymous id they identified from.
    if (!known || (bySubject && (!known.bySubject || at >= known.at)) || (!bySubject && !known.bySubject && at >= known.at)) latestGroup.set(user, { account: item.accountId, at, bySubject });
  }
  const days = new Map<string, Set<number>>();
  for (const { item, at } of items) {
    const user = userOf(item.anonymousId, item.userId);
    if (!days.has(user)) days.set(user, new Set());
    days.get(user)!.add(Math.floor(at / DAY_MS));
  }
  const accounts = new Map<string, { users: number; activeUsers: number; activeDays: number; activeDaysBefore: number; lastSeenDay: number | null }>();
  for (const [user, { account }] of latestGroup) {
    const a = accounts.get(account) ?? { users: 0, activeUsers: 0, activeDays: 0, activeDaysBefore: 0, lastSeenDay: null };
    accounts.set(account, a);
    a.users++;
    let active = false;
    for (const day of days.get(user) ?? []) {
      if (day > asOf || day <= asOf - LAST_SEEN_DAYS) continue;
      a.lastSeenDay = Math.max(a.lastSeenDay ?? day, day);
      if (day > asOf - HEALTH_WINDOW_DAYS) (a.activeDays++, (active = true));
      else if (day > asOf - 2 * HEALTH_WINDOW_DAYS) a.activeDaysBefore++;
    }
    if (active) a.activeUsers++;
  }
  return accounts;
}

test("each account's users, active users, user-days and last seen match a count straight from the items", async () => {
  const server = await testServer();
  const random = seededRandom(11);
  const items: StoredItem[] = [];
  const start = NOW - 100 * DAY_MS;
  for (let u = 0; u < 60; u++) {
    const user = `u-${u}`;
    const anon = `anon-${u}`;
    const account = `acct-${u % 6}`;
    // Every third user is active anonymously for a while before identifying.
    const identifyAt = start + Math.floor(random() * 40) * DAY_MS + 3_600_000;
    const anonymousFirst = u % 3 === 0;
    const rate = [0.6, 0.3, 0.1, 0.8, 0.05, 0.5][u % 6]! * (u % 4 === 0 ? 0.3 : 1);
    // Some group as the anonymous id before identifying; a few move to another account later.
    items.push(stored(identifyAt - 1000, { type: 'group', accountId: account, anonymousId: anon, ...(anonymousFirst ? {} : { userId: user }) } as never));
    if (u % 7 === 0) items.push(stored(NOW - Math.floor(random() * 50) * DAY_MS, { type: 'group', accountId: 'acct-move', anonymousId: anon, userId: user } as never));
    items.push(stored(identifyAt, { type: 'identify', anonymousId: anon, userId: user } as never));
    for (let day = 0; day < 100; day++) {
      const at = start + day * DAY_MS + Math.floor(random() * DAY_MS);
      if (at > NOW || random() > rate * (day > 70 && u % 6 === 1 ? 0.2 : 1)) continue;
      items.push(stored(at, { type: 'active', anonymousId: anon, ...(at < identifyAt && anonymousFirst ? {} : { userId: user }) }));
    }
  }
  // One user active anonymously within the last 30 days, identified ten days ago.
  const lateAt = NOW - 10 * DAY_MS;
  items.push(stored(lateAt - 1000, { type: 'group', accountId: 'acct-1', anonymousId: 'anon-late' } as never));
  items.push(stored(lateAt, { type: 'identify', anonymousId: 'anon-late', userId: 'u-late' } as never));
  for (let day = 1; day <= 20; day++) items.push(stored(NOW - day * DAY_MS, { type: 'active', anonymousId: 'anon-late', ...(day < 10 && { userId: 'u-late' }) }));
  // Committed in shuffled batches, as devices deliver them.
  const shuffled = [...items].sort(() => random() - 0.5);
  for (let i = 0; i < shuffled.length; i += 200) await commitItems(server.storage, PROJECT.id, shuffled.slice(i, i + 200));

  for (const asOf of [TODAY, TODAY - 30]) {
    const history = asOf === TODAY ? [] : [asOf];
    const report = await accountReport(server.storage, { projectId: PROJECT.id, now: NOW, weights: DEFAULT_HEALTH_WEIGHTS, history });
    const expected = bruteForce(items, asOf);
    expect(expected.size).toBe(7);
    if (asOf === TODAY) {
      const got = new Map([...report.accounts].map(([id, m]) => [id, { users: m.usage.users, activeUsers: m.usage.activeUsers, activeDays: m.usage.activeDays, activeDaysBefore: m.usage.activeDaysBefore, lastSeenDay: m.usage.lastSeenDay }]));
      expect(got).toEqual(expected);
      for (const m of report.accounts.values()) expect(m.usage.meanDau).toBeCloseTo(m.usage.activeDays / HEALTH_WINDOW_DAYS, 10);
      // An account's own page reads only its users' days (their ids and anonymous ids), and counts the same.
      for (const [id, m] of report.accounts) {
        const alone = await accountReport(server.storage, { projectId: PROJECT.id, now: NOW, weights: DEFAULT_HEALTH_WEIGHTS, history, accountId: id });
        expect([...alone.accounts.keys()], id).toEqual([id]);
        expect(alone.accounts.get(id)!.usage, id).toEqual(m.usage);
        expect(alone.accounts.get(id)!.health, id).toEqual(m.health);
      }
    } else {
      // As of 30 days before: the same counts, one window earlier.
      for (const [id, m] of report.accounts) {
        const health = m.history[0]!.health;
        const want = expected.get(id)!;
        const days = want.lastSeenDay === null ? LAST_SEEN_DAYS : asOf - want.lastSeenDay;
        expect(health.components.recency, id).toBeCloseTo(Math.max(0, 100 - (100 * days) / HEALTH_WINDOW_DAYS), 10);
        expect(health.components.active, id).toBeCloseTo((100 * want.activeUsers) / want.users, 10);
      }
    }
  }
});

const at = (daysAgo: number) => new Date(NOW - daysAgo * DAY_MS).toISOString();
const group = (userId: string, accountId: string, daysAgo = 80) => stored(NOW - daysAgo * DAY_MS, { type: 'group', accountId, anonymousId: `a-${userId}`, userId } as never);
const active = (userId: string, daysAgo: number) => stored(NOW - daysAgo * DAY_MS, { type: 'active', anonymousId: `a-${userId}`, userId });
let responseSeq = 0;
const answer = (userId: string, surveyId: string, metric: 'nps' | 'csat' | 'ces', score: number, daysAgo: number, comment?: string) =>
  stored(Date.parse(at(daysAgo)), { type: 'survey_response', surveyId, responseId: `resp-${++responseSeq}`, metric, score, final: true, anonymousId: `a-${userId}`, userId, ...(comment && { comment }) } as never);

test('the health list: worst first, the accounts at risk and the revenue they carry, missing components said so, signals, the project\'s weights', async () => {
  const server = await testServer();
  const items: StoredItem[] = [
    // Globex: loyal and busy, all promoters.
    group('g1', 'globex'),
    group('g2', 'globex'),
    ...[1, 2, 3, 5, 8, 13, 21, 34, 40, 45, 50, 55].flatMap((d) => [active('g1', d), active('g2', d)]),
    answer('g1', 'nps-main', 'nps', 10, 20),
    answer('g2', 'nps-main', 'nps', 9, 10, 'Love the new reports'),
    // Acme: a promoter who turned detractor, usage fallen away, last seen 20 days ago.
    group('a1', 'acme'),
    group('a2', 'acme'),
    ...[31, 33, 35, 37, 39, 41, 43, 45, 47, 49, 51, 53].flatMap((d) => [active('a1', d), active('a2', d)]),
    active('a1', 20),
    answer('a1', 'nps-main', 'nps', 10, 100),
    answer('a1', 'nps-main', 'nps', 2, 25, 'Export broke again'),
    answer('a2', 'csat-support', 'csat', 2, 30),
    // Initech: a user, no answers yet.
    group('i1', 'initech'),
    active('i1', 2),
  ];
  await commitItems(server.storage, PROJECT.id, items);
  await server.send('/v1/accounts/import', 'POST', { accounts: [{ id: 'acme', traits: { name: 'Acme Corp', mrr: 1200 } }, { id: 'globex', traits: { mrr: 800 } }, { id: 'hooli', traits: { name: 'Hooli' } }] });

  const body = (await (await server.get('/v1/account-health')).json()) as any;
  expect(body.accounts.map((a: any) => a.id)).toEqual(['acme', 'initech', 'globex', 'hooli']);
  const [acme, initech, globex, hooli] = body.accounts;
  expect(acme).toMatchObject({ traits: { name: 'Acme Corp', mrr: 1200 }, users: 2, atRisk: true, health: { category: 'poor' }, signals: { usageDrop: true, promoterTurnedDetractor: ['a1'], risingEffort: false } });
  // Its index is the formula over what the account shows, worked by hand: NPS 2 (detractor) → 0;
  // CSAT 2 → 0; no CES; 1 of 2 users active in 30 days → 50; 1 user-day against 24 → trend 0;
  // seen 20 days ago → 33.3. (25 × 0 + 15 × 0 + 20 × 50 + 15 × 0 + 15 × 33.3) / 90 = 16.7 → 17.
  expect(acme.health).toMatchObject({ index: 17, missing: ['ces'], weakest: 'nps' });
  expect(acme.health.components).toEqual({ nps: 0, csat: 0, ces: null, active: 50, trend: 0, recency: 100 - (100 * 20) / 30 });
  expect(initech.health.missing).toEqual(['nps', 'csat', 'ces', 'trend']);
  expect(initech.health.index).toBe(healthIndex(healthComponents({ latestAnswers: [], users: 1, activeUsers: 1, activeDays: 1, activeDaysBefore: 0, daysSinceSeen: 2 }), DEFAULT_HEALTH_WEIGHTS).index);
  expect(globex.health).toMatchObject({ category: 'good', missing: ['csat', 'ces'] });
  expect(globex.atRisk).toBe(false);
  // An account no user joined yet: nothing known, no index, not at risk.
  expect(hooli).toMatchObject({ users: 0, health: { index: null, category: null }, atRisk: false });
  expect(body.atRisk).toEqual({ accounts: ['acme'], revenueAtRisk: 1200, withMrr: 1 });

  // The team weighs answers only: Acme's index becomes its answers' (0), kept at the floor of 1.
  const weights = { nps: 1, csat: 1, ces: 0, active: 0, trend: 0, recency: 0 };
  expect((await server.send('/v1/account-health/weights', 'PUT', weights)).status).toBe(200);
  const weighted = (await (await server.get('/v1/account-health')).json()) as any;
  expect(weighted.weights).toEqual(weights);
  expect(weighted.accounts.find((a: any) => a.id === 'acme').health.index).toBe(1);
  for (const bad of [{ ...weights, nps: -1 }, { nps: 1 }, { ...weights, nps: 0, csat: 0 }, { ...weights, extra: 1 }]) {
    expect((await server.send('/v1/account-health/weights', 'PUT', bad)).status).toBe(400);
  }
  expect((await server.get('/v1/account-health', 'pk_demo')).status).toBe(401);
});

test("an account's own page: its metrics with intervals, latest comments, and twelve weeks of health", async () => {
  const server = await testServer();
  await commitItems(server.storage, PROJECT.id, [
    group('a1', 'acme'),
    group('a2', 'acme'),
    group('a3', 'acme'),
    ...[1, 4, 9, 16, 25, 36, 49, 64].flatMap((d) => [active('a1', d), active('a2', d + 1)]),
    answer('a1', 'nps-main', 'nps', 9, 60, 'Great'),
    answer('a1', 'nps-main', 'nps', 6, 5, 'Slower lately'),
    answer('a2', 'nps-main', 'nps', 10, 40),
    answer('a3', 'nps-main', 'nps', 8, 300),
  ]);
  const page = (await (await server.get('/v1/accounts/acme/metrics')).json()) as any;
  // Each user's latest answer of the last 180 days: a1's 6 (not their 9), a2's 10; a3's is too old.
  expect(page.nps).toMatchObject({ n: 2, promoters: 1, detractors: 1, score: 0 });
  expect(page.nps.interval).not.toBeNull();
  expect(page.latestComments.map((c: any) => c.comment)).toEqual(['Slower lately', 'Great']);
  expect(page.usage).toMatchObject({ users: 3, activeUsers: 2 });
  expect(page.history).toHaveLength(12);
  expect(page.history.map((h: any) => h.day)).toEqual([...page.history.map((h: any) => h.day)].sort());
  expect(page.history.every((h: any) => h.health.index === null || (h.health.index >= 1 && h.health.index <= 100))).toBe(true);
  expect((await server.get('/v1/accounts/nobody/metrics')).status).toBe(404);
});
