import { afterEach, expect, test } from 'vitest';
import type { BatchResponse } from '@cxkit/sdk/protocol';
import { MAX_DEPTH } from '../src/validate';
import { batch, manualSchedule, NOW, testApp, track } from './fixtures';

let server: ReturnType<typeof testApp>;
afterEach(() => server.storage.close());

test('a valid batch is committed and answered 200 with counts', async () => {
  server = testApp();
  const response = await server.post(batch([track(), track()]));
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  expect(server.count()).toBe(2);
});

test('an item sent twice is stored once and counted as a duplicate', async () => {
  server = testApp();
  const item = track();
  await server.post(batch([item]));
  const response = await server.post(batch([item, track()]));
  expect(await response.json()).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
  expect(server.count()).toBe(2);
});

test('the same item id in two projects is two items', async () => {
  server = testApp();
  const item = track();
  await server.post(batch([item], 'pk_demo'));
  const response = await server.post(batch([item], 'pk_acme'));
  expect(await response.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  expect(server.count("SELECT COUNT(DISTINCT project_id) AS n FROM items")).toBe(2);
});

test('bad items are rejected one by one with a reason; the good ones are kept', async () => {
  server = testApp();
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
  expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 5]);
  expect(body.rejected[0]!.reason).toBe('event is missing');
  expect(body.rejected[1]!.reason).toMatch(/scale/);
  expect(body.rejected[2]!.reason).toMatch(/^type: /);
  expect(body.rejected[3]!.reason).toEqual(expect.any(String));
  expect(body.rejected[4]!.reason).toBe('event: Invalid length: Expected >=1 but received 0');
  expect(server.count()).toBe(1);
});

test.each([
  ['__proto__', '{"__proto__": {"admin": true}}', 'properties.__proto__'],
  ['constructor', '{"cart": {"constructor": {"prototype": 1}}}', 'properties.cart.constructor'],
  ['prototype', '{"list": [{"prototype": 1}]}', 'properties.list.0.prototype'],
])('a %s key at any depth rejects the item and names where it is', async (_, properties, where) => {
  server = testApp();
  const response = await server.post(batch([{ ...track(), properties: JSON.parse(properties) }]));
  expect(await response.json()).toEqual({ accepted: 0, duplicates: 0, rejected: [{ index: 0, reason: `forbidden key ${where}` }] });
  expect(server.count()).toBe(0);
});

test('an item nested deeper than 32 levels is rejected with where it is; a few KiB of brackets do not fail the batch', async () => {
  server = testApp();
  const nested = (levels: number): unknown => (levels === 0 ? 1 : [nested(levels - 1)]);
  // The item and its properties are two levels: 30 arrays more is the limit, 31 is over it.
  const atLimit = JSON.stringify(track({ properties: { list: nested(30) } }));
  const overLimit = JSON.stringify(track({ properties: { list: nested(31) } }));
  // 40 KB of brackets inside the body limit, written as text: as a value it would overflow this test's stack too.
  const brackets = JSON.stringify(track({ properties: { list: 0 } })).replace('"list":0', `"list":${'['.repeat(20_000)}${']'.repeat(20_000)}`);
  const response = await server.post(`{"writeKey":"pk_demo","sentAt":"${new Date(NOW).toISOString()}","batch":[${overLimit},${atLimit},${brackets}]}`);
  expect(response.status).toBe(200);
  const tooDeep = { reason: `properties.list${'.0'.repeat(30)} is nested deeper than ${MAX_DEPTH} levels` };
  expect(await response.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [{ index: 0, ...tooDeep }, { index: 2, ...tooDeep }] });
  expect(server.count()).toBe(1);
});

test('properties, traits and context sent as an array are rejected, not stored as if they were named values', async () => {
  server = testApp();
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
    rejected: ['properties', 'traits', 'context'].map((field, index) => ({ index, reason: `${field}: an object is expected, not an array` })),
  });
  expect(server.count()).toBe(1);
});

test('an item over 32 KiB and a comment over 2,000 characters are rejected with the limit in the reason', async () => {
  server = testApp();
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
  expect(body.rejected[0]).toEqual({ index: 0, reason: expect.stringMatching(/^item is \d+ bytes; the limit is 32768$/) });
  expect(body.rejected[1]).toEqual({ index: 1, reason: 'comment: comment is over 2000 characters' });
});

test('an item is stored as it was sent, fields the server does not know included', async () => {
  server = testApp();
  const item = track({ properties: { total: 90.5 }, futureField: { nested: true } });
  await server.post(batch([item]));
  const { payload } = server.storage.db.prepare('SELECT payload FROM items').get() as { payload: string };
  expect(JSON.parse(payload)).toEqual(item);
});

test('the score and a later comment with the same responseId make one response row', async () => {
  server = testApp();
  const base = { type: 'survey_response', surveyId: 'nps-checkout', responseId: 'resp-1', metric: 'nps' } as const;
  await server.post(batch([track({ ...base, score: 9, final: false })]));
  await server.post(batch([track({ ...base, score: 9, final: true, comment: 'Great' })]));
  const rows = server.storage.listResponses('demo', { limit: 10 });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ responseId: 'resp-1', score: 9, comment: 'Great', final: true });
});

test('a later item claiming another metric for a responseId leaves the response as it was, on its own scale', async () => {
  server = testApp();
  const base = { type: 'survey_response', surveyId: 'csat-support', responseId: 'resp-1', final: false } as const;
  await server.post(batch([track({ ...base, metric: 'csat', score: 1 })]));
  server.clock.now += 1000;
  const later = await server.post(batch([track({ ...base, metric: 'nps', score: 10, final: true, comment: 'x', timestamp: new Date(server.clock.now).toISOString() })]));
  expect(await later.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  expect(server.storage.listResponses('demo', { limit: 10 })).toEqual([
    expect.objectContaining({ responseId: 'resp-1', metric: 'csat', score: 1, comment: null, final: false }),
  ]);
});

test('timestamps are corrected by the device clock skew measured with sentAt', async () => {
  server = testApp();
  // The device clock runs 1 hour behind: it says the batch left at 11:00 when it is 12:00 here.
  const skewed = new Date(NOW - 3_600_000);
  await server.post(batch([track({ timestamp: new Date(skewed.getTime() - 5000).toISOString() })], 'pk_demo', skewed.toISOString()));
  expect(server.storage.db.prepare('SELECT at, received_at FROM items').get()).toEqual({ at: NOW - 5000, received_at: NOW });
});

test('a timestamp the ISO pattern allows but no clock can read is rejected, and does not fail its group', async () => {
  server = testApp();
  const [odd, good] = await Promise.all([
    server.post(batch([track({ timestamp: '2026-11-25T11:59:00+01' }), track({ timestamp: '2026-11-25T11:59:00 +01:00' })])),
    server.post(batch([track()])),
  ]);
  expect(await odd.json()).toEqual({
    accepted: 0,
    duplicates: 0,
    rejected: [0, 1].map((index) => ({ index, reason: 'timestamp: not a time the server can read' })),
  });
  expect(await good.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
});

test('no item is stored with a time later than its receipt', async () => {
  server = testApp();
  await server.post(batch([track({ timestamp: new Date(NOW + 60_000).toISOString() })]));
  expect(server.storage.db.prepare('SELECT at FROM items').get()).toEqual({ at: NOW });
});

test('concurrent requests share one transaction and each gets its own counts', async () => {
  const commits: number[] = [];
  server = testApp();
  const commit = server.storage.commit;
  server.storage.commit = (writes) => {
    commits.push(writes.length);
    return commit(writes);
  };
  const shared = track();
  const answers = await Promise.all([
    server.post(batch([shared, track()])),
    server.post(batch([shared])),
    server.post(batch([track(), track(), track()], 'pk_acme')),
  ]);
  expect(await Promise.all(answers.map((r) => r.json()))).toEqual([
    { accepted: 2, duplicates: 0, rejected: [] },
    { accepted: 0, duplicates: 1, rejected: [] },
    { accepted: 3, duplicates: 0, rejected: [] },
  ]);
  expect(commits).toEqual([3]);
});

test('the answer waits for the commit: nothing is acknowledged that is not stored', async () => {
  const clock = manualSchedule();
  server = testApp({ commits: { schedule: clock.schedule } });
  let answered = false;
  const answer = Promise.resolve(server.post(batch([track()]))).then((response) => {
    answered = true;
    return response;
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(answered).toBe(false);
  expect(server.count()).toBe(0);
  clock.runAll();
  expect((await answer).status).toBe(200);
  expect(server.count()).toBe(1);
});

test('a batch with only bad items is answered without touching storage', async () => {
  server = testApp();
  server.storage.commit = () => {
    throw new Error('storage must not be called');
  };
  const response = await server.post(batch([{ id: 'x' }]));
  expect(response.status).toBe(200);
  expect(((await response.json()) as BatchResponse).rejected).toHaveLength(1);
});
