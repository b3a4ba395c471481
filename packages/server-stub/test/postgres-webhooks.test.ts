// Alerts with several server processes on one PostgreSQL database: each event is sent by one of
// them, a lease is never taken over while live, and every process learns of webhook changes.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openPostgres } from '../src/postgres/open';
import type { StoredItem } from '../src/storage';
import { deliveryWorker } from '../src/webhook-delivery';
import { testDatabase } from './postgres-database';
import { item, PROJECT, SURVEYS } from './read-side-fixtures';
import { startReceiver, until } from './webhook-receiver';

type Opened = Awaited<ReturnType<typeof openPostgres>>;
let a: Opened;
let b: Opened;
let url: string;
beforeAll(async () => {
  url = await testDatabase();
  [a, b] = [await openPostgres(url, { poolSize: 4 }), await openPostgres(url, { poolSize: 4 })];
  await a.projects.ensure(PROJECT);
  for (const survey of SURVEYS) await a.surveys.put(PROJECT.id, survey, true);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
});

const answer = (responseId: string, at: number): StoredItem =>
  item(at, { type: 'survey_response', surveyId: 'nps-main', metric: 'nps', score: 4, responseId, final: true });

/** Commits through `storage` as its ingest would, with its own cached targets. */
async function commit(storage: Opened, items: StoredItem[]) {
  await storage.ingest.commit([{ projectId: PROJECT.id, items, webhooks: await storage.webhooks.targets(PROJECT.id) }]);
}

const webhook = (id: string, url: string) => ({ id, url, secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0', format: 'json' as const, filter: {}, active: true, createdAt: Date.now() });

test('a webhook created by one process is matched by the other, whose cache the change feed cleared', async () => {
  expect(await b.webhooks.targets(PROJECT.id)).toEqual([]);
  await a.webhooks.create(PROJECT.id, webhook('wh_feed', 'http://127.0.0.1:9/none'));
  await until(async () => (await b.webhooks.targets(PROJECT.id)).length === 1);
  await b.webhooks.update(PROJECT.id, 'wh_feed', { active: false });
  await until(async () => (await a.webhooks.targets(PROJECT.id)).length === 0);
  await a.webhooks.delete(PROJECT.id, 'wh_feed');
});

test('two processes with a worker each deliver every event exactly once', async () => {
  const receiver = await startReceiver('ok', 15);
  await a.webhooks.create(PROJECT.id, webhook('wh_once', receiver.url));
  await until(async () => (await b.webhooks.targets(PROJECT.id)).length === 1);
  const options = { publicUrl: 'http://cx.test', pollMs: 5, concurrency: 4, attemptTimeoutMs: 2000 };
  const workers = [deliveryWorker(a, options), deliveryWorker(b, options)];
  const at = Date.now();
  // Both processes take answers, as behind a load balancer, while both workers poll.
  workers.forEach((w) => w.start());
  for (let n = 0; n < 20; n++) await commit(n % 2 ? a : b, [answer(`r-${n}a`, at), answer(`r-${n}b`, at)]);
  try {
    await until(() => receiver.received.length >= 40, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(40);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(40);
    const { rows } = await a.pool.query("SELECT state, COUNT(*)::int AS n FROM webhook_outbox WHERE webhook_id = 'wh_once' GROUP BY state");
    expect(rows).toEqual([{ state: 'delivered', n: 40 }]);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await receiver.close();
    await a.webhooks.delete(PROJECT.id, 'wh_once');
  }
}, 30_000);

test('a leased row is not claimed by another process until the lease ends; then the late answer of the first is ignored', async () => {
  await a.webhooks.create(PROJECT.id, webhook('wh_lease', 'http://127.0.0.1:9/none'));
  await until(async () => (await a.webhooks.targets(PROJECT.id)).length === 1);
  const at = Date.now();
  await commit(a, [answer('r-lease', at)]);
  const [first] = await a.webhooks.claim(at, 10, 1000);
  expect(first).toMatchObject({ responseId: 'r-lease', attempt: 1, body: null, response: { score: 4 } });
  expect(await b.webhooks.claim(at + 999, 10, 1000)).toEqual([]);
  const [second] = await b.webhooks.claim(at + 1000, 10, 1000);
  expect(second).toMatchObject({ id: first!.id, attempt: 2 });
  // The first process comes back from a stall: its outcome no longer counts.
  await a.webhooks.finish(first!, { state: 'delivered', readyAt: at, body: 'stale', attempt: { attempt: 1, at, status: 200, durationMs: 1, error: null } }, 10);
  const [row] = (await a.pool.query("SELECT state, body, attempts FROM webhook_outbox WHERE webhook_id = 'wh_lease'")).rows;
  expect(row).toEqual({ state: 'pending', body: null, attempts: 2 });
  await b.webhooks.finish(second!, { state: 'delivered', readyAt: at, body: 'sent', attempt: { attempt: 2, at, status: 200, durationMs: 1, error: null } }, 10);
  expect((await a.webhooks.deliveries(PROJECT.id, 'wh_lease', 10))[0]).toMatchObject({ state: 'delivered', attempts: 2, log: [{ attempt: 2, status: 200 }] });
  await a.webhooks.delete(PROJECT.id, 'wh_lease');
});

test('an answer acknowledged by a process that stops at once is delivered by another', async () => {
  const receiver = await startReceiver();
  const c = await openPostgres(url, { poolSize: 2 });
  await a.webhooks.create(PROJECT.id, webhook('wh_handover', receiver.url));
  await until(async () => (await c.webhooks.targets(PROJECT.id)).length === 1);
  await commit(c, [answer('r-handover', Date.now())]);
  // The committing process is gone before it sent anything; the outbox row is in the database.
  await c.close();
  const worker = deliveryWorker(b, { publicUrl: 'http://cx.test', pollMs: 5 });
  worker.start();
  try {
    await until(() => receiver.delivered().length === 1);
    expect(JSON.parse(receiver.received[0]!.body).response.responseId).toBe('r-handover');
  } finally {
    await worker.stop();
    await receiver.close();
    await a.webhooks.delete(PROJECT.id, 'wh_handover');
  }
});
