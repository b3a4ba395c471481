import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createClient } from '../src/client';
import { FLUSH_DELAY_MS } from '../src/sender';
import type { BatchRequest } from '../src/protocol';
import { createQueue } from '../src/queue';
import { memoryStorage } from '../src/storage';
import type { Send, SendResult } from '../src/transport';

function setup(answer: (request: BatchRequest) => SendResult | Promise<SendResult>) {
  const sent: { url: string; request: BatchRequest }[] = [];
  const send: Send = async (url, body) => {
    const request = JSON.parse(body) as BatchRequest;
    sent.push({ url, request });
    return answer(request);
  };
  const queue = createQueue(memoryStorage());
  const client = createClient({ queue, send, loadWidget: () => Promise.reject(new Error('no widget in this test')) });
  return { client, queue, sent };
}

const ok = (request: BatchRequest): SendResult => ({
  status: 200,
  body: { accepted: request.batch.length, duplicates: 0, rejected: [] },
});

beforeEach(() => localStorage.clear());
afterEach(() => vi.useRealTimers());

test('flush sends queued items to /v1/batch with the write key and deletes them after a 200', async () => {
  const { client, queue, sent } = setup(ok);
  client.init({ writeKey: 'pk_test', host: 'https://cx.example.com/', surveys: [] });
  client.identify('user-1', { plan: 'team' });
  client.track('checkout_completed', { total: 3 });
  await client.flush();

  expect(sent).toHaveLength(1);
  expect(sent[0]!.url).toBe('https://cx.example.com/v1/batch');
  const { writeKey, batch, sentAt } = sent[0]!.request;
  expect(writeKey).toBe('pk_test');
  expect(Number.isNaN(Date.parse(sentAt))).toBe(false);
  expect(batch.map((i) => i.type)).toEqual(['session_start', 'identify', 'track']);
  const track = batch[2]!;
  expect(track).toMatchObject({ event: 'checkout_completed', properties: { total: 3 }, userId: 'user-1' });
  expect(new Set(batch.map((i) => i.sessionId)).size).toBe(1);
  expect(await queue.peek(10)).toEqual([]);
});

test.each([
  ['a 500', () => ({ status: 500 })],
  ['a 401', () => ({ status: 401 })],
  ['a network error', () => Promise.reject(new TypeError('Failed to fetch'))],
])('after %s every item stays queued', async (_, answer) => {
  const { client, queue } = setup(answer as () => Promise<SendResult>);
  client.init({ writeKey: 'pk_test', surveys: [] });
  client.track('a');
  client.track('b');
  await client.flush();
  expect((await queue.peek(10)).map(([, i]) => i.type)).toEqual(['session_start', 'track', 'track']);
});

test('items the server rejects are dropped, not retried forever', async () => {
  const { client, queue } = setup((request) => ({
    status: 200,
    body: { accepted: request.batch.length - 1, duplicates: 0, rejected: [{ index: 1, reason: 'event: too long' }] },
  }));
  client.init({ writeKey: 'pk_test', surveys: [] });
  client.track('a');
  await client.flush();
  expect(await queue.peek(10)).toEqual([]);
});

test('items tracked after init are sent without an explicit flush', async () => {
  vi.useFakeTimers();
  const { client, sent } = setup(ok);
  client.init({ writeKey: 'pk_test', surveys: [] });
  client.track('a');
  await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS + 10);
  expect(sent.flatMap((s) => s.request.batch.map((i) => i.type))).toEqual(['session_start', 'track']);
});

test('bad arguments never throw into the host page', async () => {
  const { client, sent } = setup(ok);
  expect(() => client.init(undefined as never)).not.toThrow();
  client.init({ writeKey: 'pk_test', surveys: [] });
  expect(() => client.track(42 as never)).not.toThrow();
  expect(() => client.identify(null as never)).not.toThrow();
  await client.flush();
  expect(sent).toHaveLength(0);
});
