// Alerts end to end on the engine under test: the API with the read key, answers through
// POST /v1/batch, the outbox delivered to a receiver on 127.0.0.1 that fails, hangs, loses its
// answers and comes back (short retry waits by options, real time).
import { WEBHOOK_LIMITS, type Webhook, type WebhookEvent } from '@cxkit/protocol';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { deliveryWorker, type DeliveryWorker } from '../src/webhook-delivery';
import type { DeliveryView } from '../src/webhooks-api';
import { NOW, PROJECT, testServer } from './read-side-fixtures';
import { startReceiver, until, verifySignature } from './webhook-receiver';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
let server: Awaited<ReturnType<typeof testServer>>;
let receiver: Receiver;
let worker: DeliveryWorker | undefined;
/** The server's clock: real time from NOW on, plus what a test skips ahead. */
const clock = { skipped: 0, start: Date.now() };
const now = () => NOW + clock.skipped + (Date.now() - clock.start);

beforeEach(async () => {
  clock.skipped = 0;
  clock.start = Date.now();
  server = await testServer({ now, deliveries: { wake: () => worker?.wake() } });
  receiver = await startReceiver();
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await receiver.close();
});

function startWorker(options: Partial<Parameters<typeof deliveryWorker>[1]> = {}) {
  worker = deliveryWorker(server.storage, {
    publicUrl: 'https://cx.example.com',
    attemptTimeoutMs: 300,
    retryBaseMs: 20,
    retryCapMs: 100,
    pollMs: 10,
    now,
    ...options,
  });
  worker.start();
  return worker;
}

async function createWebhook(body: Record<string, unknown> = {}) {
  const answer = await server.send('/v1/webhooks', 'POST', { url: receiver.url, ...body });
  expect(answer.status).toBe(201);
  return (await answer.json()) as Webhook & { secret: string };
}

let sequence = 0;
/** One answer item as the sdk sends it. */
function answerItem(responseId: string, score: number, extra: Record<string, unknown> = {}) {
  sequence++;
  return {
    id: `item-${sequence}`,
    type: 'survey_response',
    timestamp: new Date(NOW).toISOString(),
    anonymousId: 'anon-1',
    sessionId: 'session-1',
    surveyId: 'nps-main',
    metric: 'nps',
    responseId,
    score,
    final: true,
    ...extra,
  };
}
async function post(items: unknown[], writeKey = PROJECT.writeKey) {
  const answer = await server.app.request('/v1/batch', {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain' },
    body: JSON.stringify({ writeKey, sentAt: new Date(NOW).toISOString(), batch: items }),
  });
  expect(answer.status).toBe(200);
  return answer.json();
}
const events = () => receiver.received.map((r) => JSON.parse(r.body) as WebhookEvent);
const deliveries = async (id: string) => ((await (await server.get(`/v1/webhooks/${id}/deliveries`)).json()) as { deliveries: DeliveryView[] }).deliveries;
const outbox = () => server.storage.rows<{ n: unknown }>('SELECT COUNT(*) AS n FROM webhook_outbox').then((rows) => Number(rows[0]!.n));

describe('managing webhooks', () => {
  test('with the read key: created with a generated secret shown once, listed, paused, deleted', async () => {
    const created = await createWebhook({ format: 'slack', filter: { metrics: ['nps'], buckets: ['negative'], hasComment: true } });
    expect(created).toMatchObject({ url: receiver.url, format: 'slack', status: 'active', filter: { metrics: ['nps'], buckets: ['negative'], hasComment: true } });
    expect(created.secret).toMatch(/^whsec_/);
    const listed = (await (await server.get('/v1/webhooks')).json()) as { webhooks: Webhook[] };
    expect(listed.webhooks).toEqual([{ id: created.id, url: receiver.url, format: 'slack', filter: created.filter, status: 'active', createdAt: created.createdAt }]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    const paused = await server.send(`/v1/webhooks/${created.id}`, 'PATCH', { status: 'paused', filter: {} });
    expect(await paused.json()).toMatchObject({ status: 'paused', filter: {} });
    expect((await server.send(`/v1/webhooks/${created.id}`, 'DELETE', undefined)).status).toBe(204);
    expect((await server.send(`/v1/webhooks/${created.id}`, 'DELETE', undefined)).status).toBe(404);
    expect(((await (await server.get('/v1/webhooks')).json()) as { webhooks: Webhook[] }).webhooks).toEqual([]);
  });

  test('a write key, another project\'s key or none cannot list, create, change, test or delete them', async () => {
    const { id } = await createWebhook();
    const tries: [string, string, unknown][] = [
      ['/v1/webhooks', 'GET', undefined],
      ['/v1/webhooks', 'POST', { url: 'https://x.example/hook' }],
      [`/v1/webhooks/${id}`, 'PATCH', { status: 'paused' }],
      [`/v1/webhooks/${id}`, 'DELETE', undefined],
      [`/v1/webhooks/${id}/deliveries`, 'GET', undefined],
      [`/v1/webhooks/${id}/test`, 'POST', undefined],
    ];
    for (const [path, method, body] of tries) {
      const init = (key: string) => ({ method, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });
      expect((await server.app.request(path, init(PROJECT.writeKey))).status, `${method} ${path} with the write key`).toBe(401);
      expect((await server.app.request(path, { method })).status, `${method} ${path} without a key`).toBe(401);
      // The other project's read key finds no such webhook.
      if (path !== '/v1/webhooks') expect((await server.app.request(path, init('sk_other'))).status, `${method} ${path} of another project`).toBe(404);
    }
    expect((await server.app.request('/v1/webhooks', { headers: { Authorization: 'Bearer sk_other' } })).status).toBe(200);
    const list = (await (await server.get('/v1/webhooks')).json()) as { webhooks: Webhook[] };
    expect(list.webhooks.map((w) => [w.id, w.status])).toEqual([[id, 'active']]);
  });

  test('refuses what is not an http(s) URL, and wrong filters, by field; at most the limit per project', async () => {
    const refused = await server.send('/v1/webhooks', 'POST', { url: 'ftp://files.example/hook', filter: { buckets: ['angry'] } });
    expect(refused.status).toBe(400);
    const { issues } = (await refused.json()) as { issues: { path: string }[] };
    expect(issues.map((i) => i.path).sort()).toEqual(['filter.buckets.0', 'url']);
    for (let i = 0; i < WEBHOOK_LIMITS.perProject; i++) await createWebhook();
    const over = await server.send('/v1/webhooks', 'POST', { url: receiver.url });
    expect(over.status).toBe(409);
  });
});

describe('delivery', () => {
  test('an answer reaches the receiver signed, with the response and its dashboard link', async () => {
    const { id: webhookId, secret } = await createWebhook();
    startWorker();
    await post([answerItem('r-1', 3, { comment: 'Checkout was slow', userId: 'u-1' })]);
    await until(() => receiver.received.length === 1);
    const [request] = receiver.received;
    const headers = { 'webhook-id': request!.id, 'webhook-timestamp': String(request!.timestamp), 'webhook-signature': request!.signature };
    expect(verifySignature(secret, headers, request!.body, Math.floor(now() / 1000))).toBe(true);
    expect(verifySignature(secret, headers, request!.body.replace('slow', 'fast'), Math.floor(now() / 1000))).toBe(false);
    expect(events()[0]).toMatchObject({
      type: 'response.completed',
      id: request!.id,
      projectId: PROJECT.id,
      webhookId,
      response: { responseId: 'r-1', surveyId: 'nps-main', metric: 'nps', score: 3, bucket: 'negative', comment: 'Checkout was slow', final: true, userId: 'u-1', dashboardUrl: 'https://cx.example.com/dashboard#response=r-1' },
    });
    // The link's response is one the responses API finds by id.
    const linked = (await (await server.get('/v1/responses?response=r-1')).json()) as { responses: { responseId: string; comment: string }[] };
    expect(linked.responses.map((r) => [r.responseId, r.comment])).toEqual([['r-1', 'Checkout was slow']]);
    await until(async () => (await deliveries(webhookId))[0]?.state === 'delivered');
    const [logged] = await deliveries(webhookId);
    expect(logged).toMatchObject({ id: request!.id, responseId: 'r-1', attempts: 1, nextAttemptAt: null, log: [{ attempt: 1, status: 200, error: null }] });
  });

  test('a receiver that fails (500), then times out, then comes back gets every event, each acknowledged once', async () => {
    const { id: webhookId } = await createWebhook();
    receiver.answer('fail');
    startWorker();
    const ids = Array.from({ length: 12 }, (_, n) => `r-${n}`);
    await post(ids.slice(0, 6).map((id, n) => answerItem(id, n)));
    await until(() => new Set(receiver.received.map((r) => r.id)).size === 6 && receiver.received.length >= 12);
    receiver.answer('hang');
    await post(ids.slice(6).map((id, n) => answerItem(id, n)));
    await until(() => receiver.received.filter((r) => r.mode === 'hang').length >= 12);
    const logged = await deliveries(webhookId);
    expect(logged).toHaveLength(12);
    expect(logged.every((d) => d.state === 'pending')).toBe(true);
    expect(logged.flatMap((d) => d.log).some((a) => a.status === 500 && a.error?.startsWith('HTTP 500'))).toBe(true);
    expect(logged.flatMap((d) => d.log).some((a) => a.status === null && a.error === 'timeout after 300 ms')).toBe(true);

    receiver.answer('ok');
    await until(() => new Set(receiver.delivered()).size === 12);
    await until(async () => (await deliveries(webhookId)).every((d) => d.state === 'delivered'));
    // A 200 ends the event: none is acknowledged twice, and every attempt of one event carried one id.
    const delivered = receiver.delivered();
    expect(delivered).toHaveLength(12);
    expect(new Set(events().filter((_, i) => receiver.received[i]!.mode === 'ok').map((e) => e.response.responseId))).toEqual(new Set(ids));
    for (const id of new Set(receiver.received.map((r) => r.id))) {
      expect(new Set(events().filter((e) => e.id === id).map((e) => e.response.responseId)).size).toBe(1);
    }
    const latest = await deliveries(webhookId);
    expect(latest.every((d) => d.log.length <= WEBHOOK_LIMITS.attemptsLogged && d.log[0]!.status === 200)).toBe(true);
  }, 30_000);

  test('a process has at most `concurrency` attempts in flight', async () => {
    const slow = await startReceiver('ok', 60);
    try {
      await createWebhook({ url: slow.url });
      startWorker({ concurrency: 3 });
      await post(Array.from({ length: 12 }, (_, n) => answerItem(`r-${n}`, n % 11)));
      await until(() => slow.delivered().length === 12);
      expect(slow.mostAtOnce()).toBe(3);
    } finally {
      await slow.close();
    }
  });

  test('an event is sent again only when its answer was lost, with the same id and body', async () => {
    await createWebhook();
    // The receiver takes r-lost, but the connection drops before its 200 arrives, once.
    let dropped = false;
    receiver.answer((request) => (request.body.includes('"r-lost"') && !dropped ? ((dropped = true), 'drop') : 'ok'));
    startWorker();
    await post([answerItem('r-kept', 9), answerItem('r-lost', 2)]);
    await until(() => receiver.delivered().length === 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lost = receiver.received.filter((r) => r.body.includes('"r-lost"'));
    expect(lost.map((r) => r.mode)).toEqual(['drop', 'ok']);
    expect(lost[0]!.id).toBe(lost[1]!.id);
    expect(lost[0]!.body).toBe(lost[1]!.body);
    expect(receiver.received.filter((r) => r.body.includes('"r-kept"')).map((r) => r.mode)).toEqual(['ok']);
  });

  test('a score first and its comment later make one alert, with the comment; a score alone goes after the settle time', async () => {
    await createWebhook({ filter: { hasComment: true } });
    const { id: without } = await createWebhook({ filter: { hasComment: false } });
    startWorker();
    await post([answerItem('r-1', 4, { final: false }), answerItem('r-2', 8, { final: false })]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toEqual([]);
    await post([answerItem('r-1', 4, { final: true, comment: 'Too many steps' })]);
    await until(() => receiver.received.length === 1);
    expect(events()[0]!.response).toMatchObject({ responseId: 'r-1', comment: 'Too many steps', final: true });

    // r-2 never gets its follow-up: after the settle time it goes as it stands, to the webhook for answers without one.
    clock.skipped = WEBHOOK_LIMITS.settleMs;
    await until(() => receiver.received.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events().map((e) => [e.webhookId, e.response.responseId, e.response.final])).toEqual([
      [expect.any(String), 'r-1', true],
      [without, 'r-2', false],
    ]);
    expect(receiver.received).toHaveLength(2);
  });

  test('only answers the filter takes; a paused webhook is told of no answer given meanwhile; a resent item adds none', async () => {
    const { id } = await createWebhook({ filter: { surveys: ['nps-main'], buckets: ['negative'] } });
    startWorker();
    const first = answerItem('r-neg', 2);
    await post([first, answerItem('r-pos', 10), answerItem('r-csat', 1, { surveyId: 'csat-support', metric: 'csat' })]);
    await until(() => receiver.received.length === 1);
    await post([first]);
    await server.send(`/v1/webhooks/${id}`, 'PATCH', { status: 'paused' });
    await post([answerItem('r-while-paused', 0)]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events().map((e) => e.response.responseId)).toEqual(['r-neg']);
    await server.send(`/v1/webhooks/${id}`, 'PATCH', { status: 'active' });
    await post([answerItem('r-after', 1)]);
    await until(() => receiver.received.length === 2);
    // Paused, it was not among the targets: the answer given meanwhile raised no alert.
    expect(events().map((e) => e.response.responseId)).toEqual(['r-neg', 'r-after']);
    expect((await deliveries(id)).map((d) => d.responseId)).toEqual(['r-after', 'r-neg']);
  });

  test('a batch without a webhook to match queues nothing; a test event goes through the outbox and the log', async () => {
    await post([answerItem('r-1', 3)]);
    expect(await outbox()).toBe(0);
    const { id, secret } = await createWebhook({ format: 'slack' });
    startWorker();
    const answer = await server.send(`/v1/webhooks/${id}/test`, 'POST', undefined);
    expect(answer.status).toBe(202);
    await until(() => receiver.received.length === 1);
    const [request] = receiver.received;
    expect(JSON.parse(request!.body).text).toMatch(/^\[test\] \*NPS 0\* \(negative\)/);
    expect(verifySignature(secret, { 'webhook-id': request!.id, 'webhook-timestamp': String(request!.timestamp), 'webhook-signature': request!.signature }, request!.body, Math.floor(now() / 1000))).toBe(true);
    await until(async () => (await deliveries(id))[0]?.state === 'delivered');
  });

  test('an answer committed before the server stopped is delivered after it starts again', async () => {
    // On PostgreSQL another process taking over is in postgres-webhooks.test.ts too.
    const file = join(mkdtempSync(join(tmpdir(), 'cxkit-alerts-')), 'cxkit.db');
    const before = await testServer({ now }, file);
    await before.send('/v1/webhooks', 'POST', { url: receiver.url });
    const answer = await before.app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify({ writeKey: PROJECT.writeKey, sentAt: new Date(NOW).toISOString(), batch: [answerItem('r-restart', 2)] }),
    });
    expect(answer.status).toBe(200);
    await before.storage.close();
    const after = await before.storage.reopen();
    worker = deliveryWorker(after, { publicUrl: 'https://cx.example.com', pollMs: 10, now });
    worker.start();
    await until(() => receiver.delivered().length === 1);
    expect(events()[0]!.response.responseId).toBe('r-restart');
  });

  test('gives up after the horizon and marks the delivery failed; a deleted webhook takes its outbox along', async () => {
    const { id } = await createWebhook();
    receiver.answer('fail');
    startWorker({ giveUpAfterMs: 600 });
    await post([answerItem('r-1', 3)]);
    await until(async () => (await deliveries(id))[0]?.state === 'failed');
    const [failed] = await deliveries(id);
    expect(failed!.attempts).toBeGreaterThan(1);
    expect(failed!.nextAttemptAt).toBeNull();
    const tries = receiver.received.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received.length).toBe(tries);
    await server.send(`/v1/webhooks/${id}`, 'DELETE', undefined);
    expect(await outbox()).toBe(0);
  });
});
