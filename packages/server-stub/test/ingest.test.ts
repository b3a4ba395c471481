import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Item } from '@cxkit/sdk/protocol';
import { createApp } from '../src/app';
import { seedDemo } from '../src/demo';
import { openSqlite } from '../src/sqlite';

const NOW = Date.parse('2026-11-25T12:00:00.000Z');
let storage: ReturnType<typeof openSqlite>;
let app: ReturnType<typeof createApp>;

beforeEach(() => {
  storage = openSqlite(':memory:');
  seedDemo(storage);
  app = createApp({ storage, now: () => NOW });
});
afterEach(() => storage.close());

let counter = 0;
function track(overrides: Partial<Item> = {}): Item {
  counter++;
  return {
    id: `0193-${counter}`,
    type: 'track',
    event: 'checkout_completed',
    timestamp: new Date(NOW - 1000).toISOString(),
    anonymousId: 'anon-1',
    sessionId: 'session-1',
    ...overrides,
  } as Item;
}

function post(body: unknown, contentType = 'text/plain') {
  return app.request('/v1/batch', {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const batch = (items: unknown[], sentAt = new Date(NOW).toISOString()) => ({ writeKey: 'pk_demo', sentAt, batch: items });

test('a valid batch is committed and answered 200 with counts', async () => {
  const response = await post(batch([track(), track()]));
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
  expect(storage.db.prepare('SELECT COUNT(*) AS n FROM items').get()).toEqual({ n: 2 });
});

test('an item sent twice is stored once and counted as a duplicate', async () => {
  const item = track();
  await post(batch([item]));
  const response = await post(batch([item, track()]));
  expect(await response.json()).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
  expect(storage.db.prepare('SELECT COUNT(*) AS n FROM items').get()).toEqual({ n: 2 });
});

test('bad items are rejected one by one with a reason; the good ones are kept', async () => {
  const response = await post(
    batch([
      track(),
      { ...track(), event: undefined },
      track({ type: 'survey_response', surveyId: 's', responseId: 'r', metric: 'nps', score: 11, final: false } as never),
      { ...track(), properties: JSON.parse('{"__proto__": {"admin": true}}') },
      { ...track(), type: 'nonsense' },
    ]),
  );
  expect(response.status).toBe(200);
  const body = (await response.json()) as { accepted: number; rejected: { index: number; reason: string }[] };
  expect(body.accepted).toBe(1);
  expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 3, 4]);
  expect(body.rejected[0]!.reason).toMatch(/^event: /);
  expect(body.rejected[1]!.reason).toMatch(/scale/);
  expect(body.rejected[2]!.reason).toBe('forbidden key properties.__proto__');
  expect(body.rejected[3]!.reason).toMatch(/^type: /);
});

test('the score and a later comment with the same responseId make one response row', async () => {
  const base = { type: 'survey_response', surveyId: 'nps-checkout', responseId: 'resp-1', metric: 'nps' } as const;
  await post(batch([track({ ...base, score: 9, final: false } as never)]));
  await post(batch([track({ ...base, score: 9, final: true, comment: 'Great' } as never)]));
  const rows = storage.responses('demo');
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ responseId: 'resp-1', score: 9, comment: 'Great', final: true });
});

test('timestamps are corrected by the device clock skew measured with sentAt', async () => {
  // The device clock runs 1 hour behind: it says the batch left at 11:00 when it is 12:00 here.
  const skewed = new Date(NOW - 3_600_000);
  await post(batch([track({ timestamp: new Date(skewed.getTime() - 5000).toISOString() })], skewed.toISOString()));
  expect(storage.db.prepare('SELECT at FROM items').get()).toEqual({ at: NOW - 5000 });
});

test.each([
  ['unreadable JSON', () => post('{not json'), 400],
  ['a missing batch', () => post({ writeKey: 'pk_demo', sentAt: new Date(NOW).toISOString() }), 400],
  ['a missing sentAt', () => post({ writeKey: 'pk_demo', batch: [] }), 400],
  ['an unknown write key', () => post({ ...batch([track()]), writeKey: 'pk_nope' }), 401],
  ['more than 500 items', () => post(batch(Array.from({ length: 501 }, () => track()))), 413],
  ['a body over 1 MiB', () => post(batch([{ ...track(), pad: 'x'.repeat(1024 * 1024) }])), 413],
  ['a form content type', () => post(batch([track()]), 'application/x-www-form-urlencoded'), 415],
])('%s is answered %i and nothing is stored', async (_, send, status) => {
  const response = await send();
  expect(response.status).toBe(status);
  expect(((await response.json()) as { error: string }).error).toEqual(expect.any(String));
  expect(storage.db.prepare('SELECT COUNT(*) AS n FROM items').get()).toEqual({ n: 0 });
});

test('storage that cannot commit is answered 503 with Retry-After', async () => {
  storage.db.exec('DROP TABLE items');
  const response = await post(batch([track()]));
  expect(response.status).toBe(503);
  expect(response.headers.get('Retry-After')).toBe('5');
});

test('GET /v1/surveys serves the project\'s active surveys for its write key only', async () => {
  const ok = await app.request('/v1/surveys?writeKey=pk_demo');
  expect(ok.status).toBe(200);
  const { surveys } = (await ok.json()) as { surveys: { id: string }[] };
  expect(surveys.map((s) => s.id)).toContain('nps-checkout');
  expect((await app.request('/v1/surveys?writeKey=pk_other')).status).toBe(401);
});

test('the read key is stored hashed and finds its project; a write key is not a read key', () => {
  const row = storage.db.prepare("SELECT read_key_hash FROM projects WHERE id = 'demo'").get() as { read_key_hash: string };
  expect(row.read_key_hash).not.toContain('sk_demo');
  expect(storage.projectByReadKey('sk_demo')?.id).toBe('demo');
  expect(storage.projectByReadKey('pk_demo')).toBeUndefined();
});
