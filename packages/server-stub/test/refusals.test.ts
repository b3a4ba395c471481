import { afterEach, expect, test } from 'vitest';
import { batch, manualSchedule, NOW, testApp, track } from './fixtures';

let server: Awaited<ReturnType<typeof testApp>>;
afterEach(() => server.storage.close());

async function expectRefused(response: Response, status: number) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { error: string };
  expect(body.error).toEqual(expect.any(String));
  expect(await server.count()).toBe(0);
  return body.error;
}

/** A body sent in chunks with no Content-Length, as a proxy or a streaming client may. */
function chunked(text: string) {
  const bytes = new TextEncoder().encode(text);
  const stream = new ReadableStream({
    start(controller) {
      for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.subarray(at, at + 64 * 1024));
      controller.close();
    },
  });
  return server.app.request('/v1/batch', {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain' },
    body: stream,
    duplex: 'half',
  } as RequestInit);
}

test.each([
  ['unreadable JSON', '{not json', 'body is not valid JSON'],
  ['a JSON array', '[]', 'body must be a JSON object'],
  ['a missing writeKey', { sentAt: new Date(NOW).toISOString(), batch: [] }, 'writeKey is missing'],
  ['a missing batch', { writeKey: 'pk_demo', sentAt: new Date(NOW).toISOString() }, 'batch must be an array'],
  ['a missing sentAt', { writeKey: 'pk_demo', batch: [] }, 'sentAt must be an ISO-8601 time'],
  ['an unreadable sentAt', { writeKey: 'pk_demo', sentAt: 'yesterday', batch: [] }, 'sentAt must be an ISO-8601 time'],
])('%s is answered 400 with the reason', async (_, body, reason) => {
  server = await testApp();
  expect(await expectRefused(await server.post(body), 400)).toBe(reason);
});

test('an unknown write key is answered 401', async () => {
  server = await testApp();
  expect(await expectRefused(await server.post(batch([track()], 'pk_nope')), 401)).toBe('unknown write key');
});

test('a read key is not a write key: 401', async () => {
  server = await testApp();
  await expectRefused(await server.post(batch([track()], 'sk_demo')), 401);
});

test('more than 500 items is answered 413', async () => {
  server = await testApp();
  const error = await expectRefused(await server.post(batch(Array.from({ length: 501 }, () => track()))), 413);
  expect(error).toBe('batch has 501 items; the limit is 500');
});

test('500 items is within the limit', async () => {
  server = await testApp();
  const response = await server.post(batch(Array.from({ length: 500 }, () => track())));
  expect(response.status).toBe(200);
  expect(await server.count()).toBe(500);
});

test('a body over 1 MiB is answered 413 from its Content-Length, before it is read', async () => {
  server = await testApp();
  const body = JSON.stringify(batch([{ ...track(), pad: 'x'.repeat(1024 * 1024) }]));
  await expectRefused(await server.post(body, { 'Content-Length': String(Buffer.byteLength(body)) }), 413);
});

test('a chunked body is counted as it streams and refused once it passes 1 MiB', async () => {
  server = await testApp();
  await expectRefused(await chunked(JSON.stringify(batch([{ ...track(), pad: 'x'.repeat(1024 * 1024) }]))), 413);
});

test('a chunked body within 1 MiB is read and stored', async () => {
  server = await testApp();
  expect((await chunked(JSON.stringify(batch([track(), track()])))).status).toBe(200);
  expect(await server.count()).toBe(2);
});

test.each(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''])(
  'content type "%s" is answered 415',
  async (type) => {
    server = await testApp();
    await expectRefused(await server.post(batch([track()]), { 'Content-Type': type }), 415);
  },
);

test('application/json with a charset is accepted like text/plain', async () => {
  server = await testApp();
  const response = await server.post(batch([track()]), { 'Content-Type': 'application/json; charset=utf-8' });
  expect(response.status).toBe(200);
});

test('a write key over its rate limit is answered 429 with Retry-After, and passes again once tokens refill', async () => {
  server = await testApp({ rateLimit: { perSecond: 100, burst: 100 } });
  const full = Array.from({ length: 100 }, () => track());
  expect((await server.post(batch(full))).status).toBe(200);

  const refused = await server.post(batch([track(), track()]));
  expect(refused.status).toBe(429);
  expect(refused.headers.get('Retry-After')).toBe('1');
  expect(refused.headers.get('Access-Control-Expose-Headers')).toContain('Retry-After');
  expect(await server.count()).toBe(100);

  // Another project's key has its own bucket.
  expect((await server.post(batch([track()], 'pk_acme'))).status).toBe(200);

  server.clock.now += 1000;
  expect((await server.post(batch([track(), track()]))).status).toBe(200);
  expect(await server.count()).toBe(103);
});

test('storage that cannot commit is answered 503 with Retry-After, for every request of the transaction', async () => {
  server = await testApp();
  await server.storage.rows('DROP TABLE items');
  const responses = await Promise.all([server.post(batch([track()])), server.post(batch([track()], 'pk_acme'))]);
  for (const response of responses) {
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('5');
    expect(await response.json()).toEqual({ error: 'storage could not commit; retry later' });
  }
});

test('when the commit queue is full a request is answered 503 at once with a short Retry-After', async () => {
  const clock = manualSchedule();
  server = await testApp({ commits: { schedule: clock.schedule, maxPendingItems: 3 } });
  const queued = server.post(batch([track(), track(), track()]));
  await new Promise((resolve) => setTimeout(resolve, 10));
  const refused = await server.post(batch([track()]));
  expect(refused.status).toBe(503);
  expect(refused.headers.get('Retry-After')).toBe('1');
  await clock.runAll();
  expect((await queued).status).toBe(200);
  expect(await server.count()).toBe(3);
});
