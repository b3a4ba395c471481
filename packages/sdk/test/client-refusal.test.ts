// A page on an origin its project does not allow, or with an unknown write key: the server's 401/403
// is readable, so the client stops asking and says once what to do, instead of retrying for ever.
import { expect, test, vi } from 'vitest';
import type { RefusalResponse } from '@cxkit/protocol';
import { memoryStorage } from '../src/storage';
import { openTab } from './client-page';
import { fakeServer, freshPageEachTest } from './fakes';

freshPageEachTest(Date.UTC(2026, 2, 1, 10, 0, 0));

const ORIGIN = 'http://localhost:5173';
const refusal: RefusalResponse = {
  error: `origin ${ORIGIN} is not allowed for project acme; allow it with cxkit-server project set-origins acme --origin ${ORIGIN}`,
  reason: 'origin_not_allowed',
  origin: ORIGIN,
};
const init = { writeKey: 'pk_test', host: 'https://cx.example.com' };
const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function refusedPage(surveys: () => Response, storage = memoryStorage()) {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const server = fakeServer(() => ({ status: 403, body: refusal }));
  const fetch = vi.fn(async () => surveys());
  const client = openTab(server, { fetch: fetch as typeof globalThis.fetch, storage });
  return { client, server, fetch, warn };
}

test('a refused origin is said once, naming the origin and the command that allows it; nothing is asked again until the next page load', async () => {
  const { client, server, fetch, warn } = refusedPage(() => answer(403, refusal));
  client.init(init);
  client.track('checkout_completed');
  await client.flush();
  await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
  client.track('report_exported');
  client.identify('user-1');
  await client.flush();

  expect(warn).toHaveBeenCalledOnce();
  const [message] = warn.mock.calls[0]!;
  expect(message).toContain(`origin ${ORIGIN} is not allowed`);
  expect(message).toContain(`cxkit-server project set-origins acme --origin ${ORIGIN}`);
  // The first request to meet the refusal (the batch; the survey definitions load once the page is
  // idle) was the last: neither the definitions, nor identify(), nor the next batch asked again.
  expect(fetch.mock.calls.length + server.requests.length).toBe(1);
});

test('a refused batch stops sending and survey loads alike, and keeps the items for the next page load', async () => {
  const storage = memoryStorage();
  const { client, server, fetch, warn } = refusedPage(() => answer(200, { surveys: [] }), storage);
  client.init(init);
  await vi.advanceTimersByTimeAsync(0);
  client.track('checkout_completed');
  await client.flush();
  await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
  client.identify('user-1');
  client.track('report_exported');
  await client.flush();

  expect(server.requests).toHaveLength(1);
  expect(fetch).toHaveBeenCalledOnce();
  expect(warn).toHaveBeenCalledOnce();
  expect(warn.mock.calls[0]![0]).toContain(refusal.error);

  // Once the project allows the origin, the next page load sends what was kept.
  const allowed = fakeServer();
  const next = openTab(allowed, { fetch: (async () => answer(200, { surveys: [] })) as typeof globalThis.fetch, storage });
  next.init(init);
  await next.flush();
  expect(allowed.events()).toEqual(['checkout_completed', 'report_exported']);
});

test('a 403 that is not the protocol’s answer (a proxy’s page) is named by its status, not quoted', async () => {
  const { client, warn } = refusedPage(() => answer(403, { error: 'Forbidden by proxy' }));
  client.init(init);
  await vi.advanceTimersByTimeAsync(0);
  expect(warn).toHaveBeenCalledOnce();
  expect(warn.mock.calls[0]![0]).toBe('[cxkit] write key refused (403): sending stopped until the next page load, items kept');
});
