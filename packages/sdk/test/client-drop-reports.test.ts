// What the sdk dropped reaches the server as counts per code with the next batch, once.
import { expect, test, vi } from 'vitest';
import { createDropReports } from '../src/drop-report';
import { createLocalValues } from '../src/local-values';
import { QUEUE_MAX_ITEMS } from '../src/queue';
import { fail500, init, openTab } from './client-page';
import { accept, fakeServer, freshPageEachTest } from './fakes';

freshPageEachTest(Date.UTC(2026, 2, 1, 10, 0, 0));

const cyclic = () => {
  const properties: Record<string, unknown> = {};
  properties.self = properties;
  return properties;
};
const reportsOf = (server: ReturnType<typeof fakeServer>) => server.requests.map((request) => request.body.dropped);

test('a drop is reported with the next batch, and not again once that batch was answered 2xx', async () => {
  const server = fakeServer();
  const client = openTab(server);
  client.init(init);
  client.track('cannot be sent', cyclic());
  client.track('fine');
  await client.flush();
  client.track('later');
  await client.flush();

  const [first, second] = reportsOf(server);
  expect(first).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), counts: { not_serializable: 1 } });
  expect(second).toBeUndefined();
  expect(localStorage.getItem('cxkit.dropped')).toBeNull();
});

test('a failed send keeps the report: it goes again with the same id and counts, and drops made meanwhile wait for the next one', async () => {
  const server = fakeServer(fail500);
  const client = openTab(server);
  client.init(init);
  client.track('dropped first', cyclic());
  await client.flush();
  client.track('dropped meanwhile', cyclic());
  client.track('dropped meanwhile too', cyclic());
  server.answer = accept;
  await client.flush();
  client.track('next');
  await client.flush();
  client.track('after that');
  await client.flush();

  const reports = reportsOf(server);
  expect(reports).toHaveLength(4);
  expect(reports[0]).toEqual({ id: expect.any(String), counts: { not_serializable: 1 } });
  expect(reports[1]).toEqual(reports[0]);
  expect(reports[2]).toEqual({ id: expect.any(String), counts: { not_serializable: 2 } });
  expect(reports[2]!.id).not.toBe(reports[0]!.id);
  expect(reports[3]).toBeUndefined();
});

test('the counts survive a reload and leave with the next page’s first batch', async () => {
  const server = fakeServer(fail500);
  const before = openTab(server);
  before.init(init);
  before.track('dropped before the reload', cyclic());
  await before.flush();
  // Over the server's item limit: dropped after the report above was made, so it waits for the next.
  before.track('too large', { text: 'x'.repeat(40 * 1024) });

  server.answer = accept;
  const after = openTab(server);
  after.init(init);
  after.track('first after the reload');
  await after.flush();
  after.track('next');
  await after.flush();
  const [sentBefore, ...sentAfter] = reportsOf(server);
  expect(sentAfter).toEqual([sentBefore, { id: expect.any(String), counts: { too_large: 1 } }]);
  expect(localStorage.getItem('cxkit.dropped')).toBeNull();
});

test('counts add up per code, capped at what the server accepts', () => {
  let n = 0;
  const reports = createDropReports(createLocalValues(), () => `report-${++n}`);
  expect(reports.next()).toBeUndefined();
  reports.add(3, 'queue_full');
  reports.add(1, 'expired');
  reports.add(999_999, 'queue_full');
  expect(reports.next()).toEqual({ id: 'report-1', counts: { queue_full: 1_000_000, expired: 1 } });
  reports.add(2, 'expired');
  expect(reports.next()).toEqual({ id: 'report-1', counts: { queue_full: 1_000_000, expired: 1 } });
  reports.delivered('report-0');
  expect(reports.next()?.id).toBe('report-1');
  reports.delivered('report-1');
  expect(reports.next()).toEqual({ id: 'report-2', counts: { expired: 2 } });
});

test('three bursts of 10,000 track() 300 ms apart: the dropped events and the drop report count exactly what never reached the server', async () => {
  const server = fakeServer();
  const client = openTab(server);
  let dropped = 0;
  client.on('dropped', ({ count, code }) => {
    expect(code).toBe('queue_full');
    dropped += count;
  });
  client.init(init);
  const bursts = 3;
  const perBurst = 10_000;
  for (let burst = 0; burst < bursts; burst++) {
    for (let n = 0; n < perBurst; n++) client.track(`burst ${burst} ${n}`);
    await vi.advanceTimersByTimeAsync(300);
  }
  await client.flush();
  // The report of those drops travels with the next batch.
  client.track('after the bursts');
  await client.flush();

  const tracked = server.events().filter((event) => event.startsWith('burst '));
  // session_start and active came with the page load, before the bursts.
  const made = bursts * perBurst + 2;
  const reachedServer = tracked.length + server.received.filter((item) => item.type !== 'track').length;
  expect(dropped).toBe(made - reachedServer);
  expect(dropped).toBeGreaterThanOrEqual(made - bursts * QUEUE_MAX_ITEMS);
  const reported = reportsOf(server).reduce((sum, report) => sum + (report?.counts.queue_full ?? 0), 0);
  expect(reported).toBe(dropped);
  expect(new Set(tracked).size).toBe(tracked.length);
});
