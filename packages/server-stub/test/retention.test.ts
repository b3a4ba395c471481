import { beforeEach, expect, test } from 'vitest';
import type { MetricsReport } from '../src/metrics';
import { MIN_RETENTION_DAYS, retentionSweeps } from '../src/retention';
import { manualSchedule } from './fixtures';
import { commitItems, item, NOW, OTHER, PROJECT, response, shown, testServer } from './read-side-fixtures';

let steps: ReturnType<typeof manualSchedule>;
let server: Awaited<ReturnType<typeof testServer>>;
let stepping: Promise<boolean>;
beforeEach(async () => {
  steps = manualSchedule();
  stepping = Promise.resolve(false);
  const deleteExpired = (now: number, rows: number) => (stepping = server.storage.retention.deleteExpired(now, rows));
  server = await testServer({ retentionSweeps: retentionSweeps({ deleteExpired }, () => NOW, steps.schedule) });
});

/** Runs the sweep's steps until it finds nothing more to delete, each step's I/O awaited. */
async function sweep() {
  do {
    await steps.runAll();
    await stepping;
    await new Promise((resolve) => setImmediate(resolve));
  } while (steps.waiting > 0);
}

const putRetention = (body: unknown) => server.send('/v1/retention', 'PUT', body);
const storedIds = async (projectId = PROJECT.id) =>
  (await server.storage.rows<{ id: string }>(`SELECT id FROM items WHERE project_id = '${projectId}' ORDER BY id`)).map((row) => row.id);
const report = async () => (await (await server.get('/v1/metrics?from=2026-02-20&to=2026-03-31')).json()) as MetricsReport;
const responses = async () => (await server.get('/v1/responses?limit=100')).json();

/** A month of a project's life: raw events and survey items, old (1 March) and recent (30 March). */
async function monthOfItems(projectId = PROJECT.id) {
  const old = [
    item('2026-03-01T09:00:00Z', { type: 'session_start', anonymousId: 'a' }),
    item('2026-03-01T09:00:01Z', { type: 'active', anonymousId: 'a' }),
    item('2026-03-01T09:00:02Z', { type: 'identify', anonymousId: 'a', userId: 'u-1' }),
    item('2026-03-01T09:00:03Z', { type: 'track', event: 'checkout_completed', anonymousId: 'a', userId: 'u-1' }),
    item('2026-03-01T09:00:04Z', { type: 'active', anonymousId: 'b' }),
  ];
  const survey = [
    shown('2026-03-01T09:00:05Z', 'nps-main', { anonymousId: 'a', userId: 'u-1' }),
    response('2026-03-01T09:00:06Z', 'nps-main', 'nps', 9, { anonymousId: 'a', userId: 'u-1', comment: 'Quick' }),
    item('2026-03-01T09:00:07Z', { type: 'survey_dismissed', surveyId: 'csat-support', reason: 'later', anonymousId: 'b' }),
  ];
  const recent = [
    item('2026-03-30T09:00:00Z', { type: 'track', event: 'checkout_completed', anonymousId: 'a' }),
    item('2026-03-30T09:00:01Z', { type: 'active', anonymousId: 'c' }),
  ];
  await commitItems(server.storage, projectId, [...old, ...survey, ...recent]);
  const ids = (items: typeof old) => items.map((stored) => stored.item.id);
  return { old: ids(old), survey: ids(survey), recent: ids(recent) };
}

test('a project keeps its raw events for ever until it sets a retention', async () => {
  expect(await (await server.get('/v1/retention')).json()).toEqual({ rawEventRetentionDays: null });
  const { old, survey, recent } = await monthOfItems();
  expect(await server.storage.retention.deleteExpired(NOW, 100)).toBe(false);
  expect(await storedIds()).toEqual([...old, ...survey, ...recent].sort());
});

test('expired raw events are deleted; survey items, responses, displays and DAU/MAU stay as they were', async () => {
  const { survey, recent } = await monthOfItems();
  const before = {
    report: await report(),
    responses: await responses(),
    history: await server.storage.responses.displayHistory(PROJECT.id, 'u-1'),
    identities: await server.storage.activity.identities(PROJECT.id),
  };
  expect(before.report.series.find((point) => point.start === '2026-03-01')?.activity).toMatchObject({ dau: 2 });
  expect(before.report.total.nps?.n).toBe(1);
  expect(before.report.total.responseRate).toMatchObject({ shown: 1 });

  const answer = await putRetention({ rawEventRetentionDays: 7 });
  expect(answer.status).toBe(200);
  expect(await answer.json()).toEqual({ rawEventRetentionDays: 7 });
  await sweep();

  expect(await storedIds()).toEqual([...survey, ...recent].sort());
  expect(await report()).toEqual(before.report);
  expect(await responses()).toEqual(before.responses);
  expect(await server.storage.responses.displayHistory(PROJECT.id, 'u-1')).toEqual(before.history);
  expect(await server.storage.activity.identities(PROJECT.id)).toEqual(before.identities);
});

test("one project's retention leaves another's items alone", async () => {
  const other = await monthOfItems(OTHER.id);
  await monthOfItems();
  await putRetention({ rawEventRetentionDays: 7 });
  await sweep();
  expect(await storedIds(OTHER.id)).toEqual([...other.old, ...other.survey, ...other.recent].sort());
});

test('deletion goes in bounded steps, each answering whether there may be more', async () => {
  const { survey, recent } = await monthOfItems();
  await server.storage.retention.setRawEventDays(PROJECT.id, 7);
  expect(await server.storage.retention.deleteExpired(NOW, 2)).toBe(true);
  expect(await storedIds()).toHaveLength(8);
  expect(await server.storage.retention.deleteExpired(NOW, 2)).toBe(true);
  expect(await server.storage.retention.deleteExpired(NOW, 2)).toBe(false);
  expect(await storedIds()).toEqual([...survey, ...recent].sort());
});

test('going back to for ever keeps everything from then on', async () => {
  const { old, survey, recent } = await monthOfItems();
  await putRetention({ rawEventRetentionDays: 7 });
  const answer = await putRetention({ rawEventRetentionDays: null });
  expect(await answer.json()).toEqual({ rawEventRetentionDays: null });
  await sweep();
  expect(await storedIds()).toEqual([...old, ...survey, ...recent].sort());
});

test.each([
  [{ rawEventRetentionDays: MIN_RETENTION_DAYS - 1 }],
  [{ rawEventRetentionDays: 3651 }],
  [{ rawEventRetentionDays: 30.5 }],
  [{ rawEventRetentionDays: '90' }],
  [{ rawEventRetentionDays: 90, extra: true }],
  [{ days: 90 }],
  [[90]],
  ['not json'],
])('a retention of %j is refused with 400 and what a valid one looks like', async (body) => {
  const answer = await putRetention(body);
  expect(answer.status).toBe(400);
  expect((await answer.json()).error).toMatch(/send \{"rawEventRetentionDays": 90\}: a whole number of days from 7 to 3650, or null/);
  expect(await (await server.get('/v1/retention')).json()).toEqual({ rawEventRetentionDays: null });
});

test('retention is read and set with the read key only', async () => {
  expect((await server.get('/v1/retention', null)).status).toBe(401);
  expect((await server.get('/v1/retention', PROJECT.writeKey)).status).toBe(401);
  expect((await putRetention({ rawEventRetentionDays: 30 })).status).toBe(200);
  expect(await server.storage.retention.rawEventDays(PROJECT.id)).toBe(30);
  expect(await server.storage.retention.rawEventDays(OTHER.id)).toBeNull();
});
