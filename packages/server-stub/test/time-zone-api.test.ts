import { beforeEach, expect, test } from 'vitest';
import { zoneRollupBuilds } from '../src/app';
import type { MetricsReport } from '../src/metrics';
import type { ProjectTimeZone } from '../src/storage';
import { manualSchedule } from './fixtures';
import { commitItems, item, PROJECT, testServer } from './read-side-fixtures';

let steps: ReturnType<typeof manualSchedule>;
let server: Awaited<ReturnType<typeof testServer>>;
beforeEach(async () => {
  steps = manualSchedule();
  server = await testServer({ zoneBuilds: zoneRollupBuilds({ buildZoneStep: (rows) => server.storage.activity.buildZoneStep(rows) }, steps.schedule) });
});

const putZone = (body: unknown) => server.send('/v1/time-zone', 'PUT', body);
const zoneNow = async () => (await (await server.get('/v1/time-zone')).json()) as ProjectTimeZone;
const activity = async (tz: string) => {
  const answer = await server.get(`/v1/metrics?metrics=activity&from=2026-03-01&to=2026-03-03&tz=${tz}`);
  expect(answer.status).toBe(200);
  return ((await answer.json()) as MetricsReport).series.map((p) => p.activity!.dau);
};

test('a project reads in UTC until it sets its own zone', async () => {
  expect(await zoneNow()).toEqual({ timeZone: 'UTC', ready: true });
});

test("setting the zone builds its calendar in the background; until then the zone's series is computed, as exact", async () => {
  // 23:30 UTC on 1 March is 00:30 on 2 March in Berlin.
  await commitItems(server.storage, PROJECT.id, [
    item('2026-03-01T10:00:00Z', { anonymousId: 'a' }),
    item('2026-03-01T23:30:00Z', { anonymousId: 'b' }),
    item('2026-03-02T23:30:00Z', { anonymousId: 'b' }),
  ]);
  const answer = await putZone({ timeZone: 'Europe/Berlin' });
  expect(answer.status).toBe(200);
  expect(await answer.json()).toEqual({ timeZone: 'Europe/Berlin', ready: false });
  expect(await activity('Europe/Berlin')).toEqual([1, 1, 1]);

  await steps.runAll();
  expect(await zoneNow()).toEqual({ timeZone: 'Europe/Berlin', ready: true });
  server.storage.activity.forEachSubjectDay = async () => {
    throw new Error("the project's zone must be read from its calendar");
  };
  expect(await activity('Europe/Berlin')).toEqual([1, 1, 1]);
  // Items that arrive now are counted in the calendar at once.
  await commitItems(server.storage, PROJECT.id, [item('2026-03-03T22:59:00Z', { anonymousId: 'c' })]);
  expect(await activity('Europe/Berlin')).toEqual([1, 1, 2]);
  expect(await activity('UTC')).toEqual([2, 1, 1]);
});

test('any name of UTC is kept as UTC', async () => {
  await putZone({ timeZone: 'Europe/Berlin' });
  const answer = await putZone({ timeZone: 'Etc/UTC' });
  expect(await answer.json()).toEqual({ timeZone: 'UTC', ready: false });
  await steps.runAll();
  expect(await zoneNow()).toEqual({ timeZone: 'UTC', ready: true });
});

test.each([
  [{ timeZone: 'Mars/Olympus' }, /IANA time zone such as Europe\/Berlin, not "Mars\/Olympus"/],
  [{ timeZone: 5 }, /send \{"timeZone": "Europe\/Berlin"\}/],
  [{ timeZone: 'UTC', extra: true }, /send \{"timeZone": "Europe\/Berlin"\}/],
  ['not json', /send \{"timeZone": "Europe\/Berlin"\}/],
])('PUT %j is answered 400 with what to send, and changes nothing', async (body, reason) => {
  const answer = await putZone(body);
  expect(answer.status).toBe(400);
  expect(((await answer.json()) as { error: string }).error).toMatch(reason);
  expect(await zoneNow()).toEqual({ timeZone: 'UTC', ready: true });
  expect(steps.waiting).toBe(0);
});
