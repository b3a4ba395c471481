import { afterEach, expect, test } from 'vitest';
import { LIMITS, REJECT_REASONS, type BatchResponse } from '@cxkit/protocol';
import { storedItem, type ItemRow } from '../src/item-encoding';
import { batch, manualSchedule, NOW, testApp, track } from './fixtures';

let server: Awaited<ReturnType<typeof testApp>>;
afterEach(() => server.storage.close());

test('a valid batch is committed and answered 200 with counts', async () => {
  server = await testApp();
  const response = await server.post(batch([track(), track()]));
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  expect(await server.count()).toBe(2);
});

test('an item sent twice is stored once and counted as a duplicate', async () => {
  server = await testApp();
  const item = track();
  await server.post(batch([item]));
  const response = await server.post(batch([item, track()]));
  expect(await response.json()).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
  expect(await server.count()).toBe(2);
});

test('the same item id in two projects is two items', async () => {
  server = await testApp();
  const item = track();
  await server.post(batch([item], 'pk_demo'));
  const response = await server.post(batch([item], 'pk_acme'));
  expect(await response.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  expect(await server.count("SELECT COUNT(DISTINCT project_id) AS n FROM items")).toBe(2);
});

test('bad items are rejected one by one with a reason code and the field concerned; the good ones are kept', async () => {
  server = await testApp();
  const response = await server.post(
    batch([
      track(),
      { ...track(), event: undefined },
      track({ type: 'survey_response', surveyId: 's', responseId: 'r', metric: 'nps', score: 11, final: false }),
      { ...track(), type: 'nonsense' },
      'not an object',
      { ...track(), event: '' },
    ]),
  );
  expect(response.status).toBe(200);
  const body = (await response.json()) as BatchResponse;
  expect(body.accepted).toBe(1);
  expect(body.rejected).toEqual([
    { index: 1, reason: 'missing_field', detail: 'event' },
    { index: 2, reason: 'score_out_of_scale', detail: 'score' },
    { index: 3, reason: 'unknown_type', detail: 'type' },
    { index: 4, reason: 'invalid_field' },
    { index: 5, reason: 'invalid_field', detail: 'event' },
  ]);
  for (const { reason } of body.rejected) expect(REJECT_REASONS).toContain(reason);
  expect(await server.count()).toBe(1);
});

test.each([
  ['__proto__', '{"__proto__": {"admin": true}}', 'properties.__proto__'],
  ['constructor', '{"cart": {"constructor": {"prototype": 1}}}', 'properties.cart.constructor'],
  ['prototype', '{"list": [{"prototype": 1}]}', 'properties.list.0.prototype'],
])('a %s key at any depth rejects the item and names where it is', async (_, properties, where) => {
  server = await testApp();
  const response = await server.post(batch([{ ...track(), properties: JSON.parse(properties) }]));
  expect(await response.json()).toEqual({ accepted: 0, duplicates: 0, rejected: [{ index: 0, reason: 'forbidden_key', detail: where }] });
  expect(await server.count()).toBe(0);
});

test('an item nested deeper than 32 levels is rejected with where it is; a few KiB of brackets do not fail the batch', async () => {
  server = await testApp();
  const nested = (levels: number): unknown => (levels === 0 ? 1 : [nested(levels - 1)]);
  // The item and its properties are two levels: 30 arrays more is the limit, 31 is over it.
  const atLimit = JSON.stringify(track({ properties: { list: nested(30) } }));
  const overLimit = JSON.stringify(track({ properties: { list: nested(31) } }));
  // 40 KB of brackets inside the body limit, written as text: as a value it would overflow this test's stack too.
  const brackets = JSON.stringify(track({ properties: { list: 0 } })).replace('"list":0', `"list":${'['.repeat(20_000)}${']'.repeat(20_000)}`);
  const response = await server.post(`{"writeKey":"pk_demo","sentAt":"${new Date(NOW).toISOString()}","batch":[${overLimit},${atLimit},${brackets}]}`);
  expect(response.status).toBe(200);
  const tooDeep = { reason: 'too_deep', detail: `properties.list${'.0'.repeat(LIMITS.itemDepth - 2)}` };
  expect(await response.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [{ index: 0, ...tooDeep }, { index: 2, ...tooDeep }] });
  expect(await server.count()).toBe(1);
});

test('properties, traits and context sent as an array are rejected, not stored as if they were named values', async () => {
  server = await testApp();
  const response = await server.post(
    batch([
      track({ properties: ['a', 'b'] }),
      track({ type: 'identify', userId: 'u-1', traits: [] }),
      track({ context: ['https://app.example.com'] }),
      track({ properties: { list: ['a'] } }),
    ]),
  );
  expect(await response.json()).toEqual({
    accepted: 1,
    duplicates: 0,
    rejected: ['properties', 'traits', 'context'].map((field, index) => ({ index, reason: 'invalid_field', detail: field })),
  });
  expect(await server.count()).toBe(1);
});

test('an item over 32 KiB and a comment over 2,000 characters are rejected as too_large and comment_too_long', async () => {
  server = await testApp();
  const answer = { type: 'survey_response', surveyId: 's', responseId: 'r', metric: 'nps', score: 9, final: true };
  const response = await server.post(
    batch([
      track({ properties: { blob: 'x'.repeat(32 * 1024) } }),
      track({ ...answer, comment: 'y'.repeat(2001) }),
      track({ ...answer, comment: 'z'.repeat(2000) }),
    ]),
  );
  const body = (await response.json()) as BatchResponse;
  expect(body.accepted).toBe(1);
  expect(body.rejected).toEqual([
    { index: 0, reason: 'too_large' },
    { index: 1, reason: 'comment_too_long', detail: 'comment' },
  ]);
});

const answer = (surveyId: string, metric: string, score: number) =>
  track({ type: 'survey_response', surveyId, responseId: `r-${surveyId}-${score}`, metric, score, final: false });

test("a score off its survey's own scale is rejected as score_out_of_scale; the rest of the batch is stored", async () => {
  server = await testApp();
  await server.storage.surveys.put('demo', { id: 'ces-five', metric: 'ces', scaleMax: 5 }, true);
  const response = await server.post(
    batch([answer('ces-five', 'ces', 6), answer('ces-five', 'ces', 5), answer('unknown', 'nps', 11), track(), answer('ces-five', 'ces', 1)]),
  );
  expect(await response.json()).toEqual({
    accepted: 3,
    duplicates: 0,
    rejected: [
      { index: 0, reason: 'score_out_of_scale', detail: 'score' },
      { index: 2, reason: 'score_out_of_scale', detail: 'score' },
    ],
  });
  expect((await server.storage.responses.list('demo', { limit: 10 })).map((r) => [r.surveyId, r.score]).sort()).toEqual([
    ['ces-five', 1],
    ['ces-five', 5],
  ]);
});

test("a survey's scale changed after answers were checked against it applies to the next batch", async () => {
  server = await testApp();
  await server.storage.surveys.put('demo', { id: 'ces-five', metric: 'ces', scaleMax: 5 }, true);
  const rejected = [{ index: 0, reason: 'score_out_of_scale', detail: 'score' }];
  expect(await (await server.post(batch([answer('ces-five', 'ces', 6)]))).json()).toEqual({ accepted: 0, duplicates: 0, rejected });
  await server.storage.surveys.put('demo', { id: 'ces-five', metric: 'ces', scaleMax: 7 }, true);
  expect(await (await server.post(batch([answer('ces-five', 'ces', 6)]))).json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  await server.storage.surveys.put('demo', { id: 'ces-five', metric: 'ces', scaleMax: 5 }, true);
  await server.storage.surveys.delete('demo', 'ces-five');
  // A deleted survey keeps its scale: a late answer to it is still checked against 1–5.
  expect(await (await server.post(batch([answer('ces-five', 'ces', 7)]))).json()).toEqual({ accepted: 0, duplicates: 0, rejected });
});

test('a survey the server does not know takes its metric\'s default scale: CES 1–7, CSAT 1–5', async () => {
  server = await testApp();
  const response = await server.post(batch([answer('gone', 'ces', 7), answer('gone', 'ces', 8), answer('gone', 'csat', 0), answer('gone', 'csat', 5)]));
  expect(await response.json()).toEqual({
    accepted: 2,
    duplicates: 0,
    rejected: [1, 2].map((index) => ({ index, reason: 'score_out_of_scale', detail: 'score' })),
  });
});

test('an item is stored as it was sent, fields the server does not know included', async () => {
  server = await testApp();
  const item = track({ properties: { total: 90.5 }, futureField: { nested: true } });
  await server.post(batch([item]));
  const [row] = await server.storage.rows<ItemRow>('SELECT * FROM items');
  expect(storedItem(row!)).toEqual(item);
});

test('the score and a later comment with the same responseId make one response row', async () => {
  server = await testApp();
  const base = { type: 'survey_response', surveyId: 'nps-checkout', responseId: 'resp-1', metric: 'nps' } as const;
  await server.post(batch([track({ ...base, score: 9, final: false })]));
  await server.post(batch([track({ ...base, score: 9, final: true, comment: 'Great' })]));
  const rows = await server.storage.responses.list('demo', { limit: 10 });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ responseId: 'resp-1', score: 9, comment: 'Great', final: true });
});

test('a later item claiming another metric for a responseId leaves the response as it was, on its own scale', async () => {
  server = await testApp();
  const base = { type: 'survey_response', surveyId: 'csat-support', responseId: 'resp-1', final: false } as const;
  await server.post(batch([track({ ...base, metric: 'csat', score: 1 })]));
  server.clock.now += 1000;
  const later = await server.post(batch([track({ ...base, metric: 'nps', score: 10, final: true, comment: 'x', timestamp: new Date(server.clock.now).toISOString() })]));
  expect(await later.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  expect(await server.storage.responses.list('demo', { limit: 10 })).toEqual([
    expect.objectContaining({ responseId: 'resp-1', metric: 'csat', score: 1, comment: null, final: false }),
  ]);
});

test('timestamps are corrected by the device clock skew measured with sentAt', async () => {
  server = await testApp();
  // The device clock runs 1 hour behind: it says the batch left at 11:00 when it is 12:00 here.
  const skewed = new Date(NOW - 3_600_000);
  await server.post(batch([track({ timestamp: new Date(skewed.getTime() - 5000).toISOString() })], 'pk_demo', skewed.toISOString()));
  expect((await server.storage.rows('SELECT at, received_at FROM items'))[0]).toEqual({ at: NOW - 5000, received_at: NOW });
});

test('a timestamp the ISO pattern allows but no clock can read is rejected, and does not fail its group', async () => {
  server = await testApp();
  const [odd, good] = await Promise.all([
    server.post(batch([track({ timestamp: '2026-11-25T11:59:00+01' }), track({ timestamp: '2026-11-25T11:59:00 +01:00' })])),
    server.post(batch([track()])),
  ]);
  expect(await odd.json()).toEqual({
    accepted: 0,
    duplicates: 0,
    rejected: [0, 1].map((index) => ({ index, reason: 'invalid_field', detail: 'timestamp' })),
  });
  expect(await good.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
});

test('no item is stored with a time later than its receipt', async () => {
  server = await testApp();
  await server.post(batch([track({ timestamp: new Date(NOW + 60_000).toISOString() })]));
  expect((await server.storage.rows('SELECT at FROM items'))[0]).toEqual({ at: NOW });
});

test('concurrent requests share one transaction and each gets its own counts', async () => {
  const commits: number[] = [];
  const clock = manualSchedule();
  server = await testApp({ commits: { schedule: clock.schedule } });
  const commit = server.storage.ingest.commit;
  server.storage.ingest.commit = async (writes) => {
    commits.push(writes.length);
    return commit(writes);
  };
  const shared = track();
  const sent = Promise.all([
    server.post(batch([shared, track()])),
    server.post(batch([shared])),
    server.post(batch([track(), track(), track()], 'pk_acme')),
  ]);
  // Requests that arrive while a group forms join it (a networked engine looks their keys up first).
  await new Promise((resolve) => setTimeout(resolve, 100));
  await clock.runAll();
  const answers = await sent;
  expect(await Promise.all(answers.map((r) => r.json()))).toEqual([
    { accepted: 2, duplicates: 0, rejected: [] },
    { accepted: 0, duplicates: 1, rejected: [] },
    { accepted: 3, duplicates: 0, rejected: [] },
  ]);
  expect(commits).toEqual([3]);
});

test('the answer waits for the commit: nothing is acknowledged that is not stored', async () => {
  const clock = manualSchedule();
  server = await testApp({ commits: { schedule: clock.schedule } });
  let answered = false;
  const answer = Promise.resolve(server.post(batch([track()]))).then((response) => {
    answered = true;
    return response;
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(answered).toBe(false);
  expect(await server.count()).toBe(0);
  await clock.runAll();
  expect((await answer).status).toBe(200);
  expect(await server.count()).toBe(1);
});

test('a batch with only bad items is answered without touching storage', async () => {
  server = await testApp();
  server.storage.ingest.commit = async () => {
    throw new Error('storage must not be called');
  };
  const response = await server.post(batch([{ id: 'x' }]));
  expect(response.status).toBe(200);
  expect(((await response.json()) as BatchResponse).rejected).toHaveLength(1);
});
