// Drop reports (docs/protocol.md#drop-reports): stored with the batch, once per report id, summed
// by GET /v1/metrics as `dropped`. Runs on every engine.
import { afterEach, expect, test } from 'vitest';
import { DROP_REASONS, type DroppedReport } from '@cxkit/protocol';
import type { MetricsReport } from '../src/metrics';
import { batch, NOW, testApp, track } from './fixtures';

let server: Awaited<ReturnType<typeof testApp>>;
afterEach(() => server.storage.close());

const DAY = 24 * 60 * 60 * 1000;
const report = (id: string, counts: DroppedReport['counts']): DroppedReport => ({ id, counts });
const withReport = (items: unknown[], dropped: unknown, writeKey = 'pk_demo') => ({ ...batch(items, writeKey), dropped });
const reportCount = () => server.count('SELECT COUNT(*) AS n FROM drop_reports');

async function dropped(query: string, readKey = 'sk_demo'): Promise<MetricsReport> {
  const answer = await server.app.request(`/v1/metrics?metrics=dropped&${query}`, { headers: { Authorization: `Bearer ${readKey}` } });
  expect(answer.status).toBe(200);
  return (await answer.json()) as MetricsReport;
}
const zeros = Object.fromEntries(DROP_REASONS.map((code) => [code, 0]));

test('a report sent twice (a retried batch) is counted once, and its items once', async () => {
  server = await testApp();
  const sent = withReport([track(), track()], report('0193-report-1', { queue_full: 3, expired: 1 }));
  expect(await (await server.post(sent)).json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  expect(await (await server.post(sent)).json()).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
  expect(await reportCount()).toBe(1);
  const { total } = await dropped('from=2026-11-25&to=2026-11-25');
  expect(total.dropped).toEqual({ ...zeros, queue_full: 3, expired: 1 });
});

test('the same report in two requests committed together is counted once', async () => {
  server = await testApp();
  const twice = [withReport([track()], report('r-together', { too_large: 2 })), withReport([track()], report('r-together', { too_large: 2 }))];
  const answers = await Promise.all(twice.map((body) => server.post(body)));
  expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
  expect(await reportCount()).toBe(1);
  expect((await dropped('from=2026-11-25&to=2026-11-25')).total.dropped).toEqual({ ...zeros, too_large: 2 });
});

test('a report is stored even when every item of its batch is rejected', async () => {
  server = await testApp();
  const response = await server.post(withReport([{ ...track(), event: '' }], report('r-rejected', { rejected: 1 })));
  expect(await response.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0, reason: 'invalid_field' }] });
  expect(await reportCount()).toBe(1);
});

test.each([
  ['null', null],
  ['an array', [{ id: 'r', counts: {} }]],
  ['a string', 'queue_full'],
  ['no id', { counts: { expired: 1 } }],
  ['an empty id', { id: '', counts: { expired: 1 } }],
  ['an id over 64 characters', { id: 'r'.repeat(65), counts: { expired: 1 } }],
  ['a number as id', { id: 7, counts: { expired: 1 } }],
  ['no counts', { id: 'r' }],
  ['counts as an array', { id: 'r', counts: [1] }],
  ['an unknown code', { id: 'r', counts: { expired: 1, lost_in_space: 1 } }],
  ['a negative count', { id: 'r', counts: { expired: -1 } }],
  ['a fraction', { id: 'r', counts: { expired: 1.5 } }],
  ['a count over 1,000,000', { id: 'r', counts: { expired: 1_000_001 } }],
  ['a count as a string', { id: 'r', counts: { expired: '3' } }],
])('a malformed report (%s) is ignored whole; the batch and its items are stored as without it', async (_, malformed) => {
  server = await testApp();
  const response = await server.post(withReport([track()], malformed));
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  expect(await server.count()).toBe(1);
  expect(await reportCount()).toBe(0);
});

test('a report whose counts hold the key __proto__ is ignored', async () => {
  server = await testApp();
  const body = JSON.stringify(batch([track()])).replace(/}$/, ',"dropped":{"id":"r","counts":{"__proto__":1}}}');
  expect(await (await server.post(body)).json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  expect(await reportCount()).toBe(0);
});

test('metrics sum the reports per day and over the range, of the project asked for only', async () => {
  server = await testApp();
  await server.post(withReport([track()], report('a', { queue_full: 2 })));
  await server.post(withReport([track()], report('b', { queue_full: 1, not_serializable: 4 })));
  server.clock.now = NOW + DAY;
  await server.post(withReport([track()], report('c', { expired: 5 })));
  // The same id in another project is another report.
  await server.post(withReport([track()], report('a', { queue_full: 100 }), 'pk_acme'));
  server.clock.now = NOW + 2 * DAY;

  const { total, series } = await dropped('from=2026-11-24&to=2026-11-26&period=day');
  expect(total.dropped).toEqual({ ...zeros, queue_full: 3, not_serializable: 4, expired: 5 });
  expect(series.map((period) => [period.start, period.dropped])).toEqual([
    ['2026-11-24', zeros],
    ['2026-11-25', { ...zeros, queue_full: 3, not_serializable: 4 }],
    ['2026-11-26', { ...zeros, expired: 5 }],
  ]);
  expect((await dropped('from=2026-11-25&to=2026-11-26', 'sk_acme')).total.dropped).toEqual({ ...zeros, queue_full: 100 });
});
