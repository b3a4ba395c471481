import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { RETRY_BASE_MS, RETRY_CAP_MS } from '../src/backoff';
import { BATCH_MAX_BYTES, BATCH_MAX_ITEMS, KEEPALIVE_MAX_BYTES } from '../src/batching';
import { createQueue } from '../src/queue';
import { createRefusal } from '../src/refusal';
import { createSender, FLUSH_DELAY_MS, type Sender, type SenderOptions } from '../src/sender';
import { memoryStorage, type QueueStorage } from '../src/storage';
import { createTransport } from '../src/transport';
import { accept, fakeServer, item, setVisibility, type Answer } from './fakes';

interface Options {
  answer?: Answer;
  active?: () => boolean;
  storage?: QueueStorage;
  reports?: SenderOptions['reports'];
}

function setup({ answer = accept, active = () => true, storage = memoryStorage(), reports = { next: () => undefined, delivered: () => undefined } }: Options = {}) {
  const server = fakeServer(answer);
  const dropped: string[] = [];
  const record = (_: number, code: string, serverReason?: string) => dropped.push(serverReason ? `${code}: ${serverReason}` : code);
  const sent: number[] = [];
  let sender: Sender | undefined;
  const queue = createQueue({
    storage,
    now: Date.now,
    onStored: () => sender?.schedule(),
    onRemoved: () => undefined,
    onDropped: record,
    log: () => undefined,
  });
  sender = createSender({
    queue,
    transport: createTransport({ url: 'https://cx.example.com/v1/batch', writeKey: 'pk_test', now: Date.now }, server.makeRequest),
    active,
    now: Date.now,
    // The longest wait full jitter allows, so the schedule is exact.
    random: () => 1,
    log: () => undefined,
    onSent: (count) => sent.push(count),
    onDropped: record,
    reports,
    refusal: createRefusal(),
  });
  const track = (n: number, properties?: Record<string, unknown>) => queue.add({ ...item('track', n), ...(properties && { properties }) });
  return { queue, sender, server, dropped, sent, track };
}

/** Advances the clock; true when a request went out meanwhile. */
async function requestWithin(server: ReturnType<typeof fakeServer>, ms: number): Promise<boolean> {
  const before = server.requests.length;
  await vi.advanceTimersByTimeAsync(ms);
  return server.requests.length > before;
}

const fail500: Answer = () => ({ status: 500 });

/** Stores what was tracked, then sends it `times` times in a row, each failing, without waiting for the backoff. */
async function failRepeatedly(sender: Sender, times: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
  for (let n = 0; n < times; n++) await sender.flush();
}

beforeEach(() => {
  vi.useFakeTimers();
  setVisibility('visible');
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

test('stored items leave FLUSH_DELAY_MS later in one batch, responses first, and are deleted after the 200', async () => {
  const { queue, server, sent, track } = setup();
  track(1);
  queue.add(item('survey_response', 2));
  track(3);
  expect(await requestWithin(server, FLUSH_DELAY_MS - 1)).toBe(false);
  expect(await requestWithin(server, 1)).toBe(true);
  expect(server.requests).toHaveLength(1);
  expect(server.requests[0]!.body.batch.map((i) => i.type)).toEqual(['survey_response', 'track', 'track']);
  expect(server.requests[0]!.keepalive).toBe(false);
  expect(await queue.entries()).toEqual([]);
  expect(sent).toEqual([3]);
});

test(`a backlog leaves in batches of at most ${BATCH_MAX_ITEMS} items, in order, each item once`, async () => {
  const { sender, server, track } = setup();
  for (let n = 0; n < 250; n++) track(n);
  await vi.advanceTimersByTimeAsync(0);
  await sender.flush();
  expect(server.requests.map((r) => r.body.batch.length)).toEqual([100, 100, 50]);
  expect(server.events()).toEqual(Array.from({ length: 250 }, (_, n) => `e${n}`));
});

test('batches stay under 256 KiB', async () => {
  const { sender, server, track } = setup();
  for (let n = 0; n < 40; n++) track(n, { text: 'x'.repeat(20_000) });
  await vi.advanceTimersByTimeAsync(0);
  await sender.flush();
  expect(server.requests.length).toBeGreaterThan(3);
  for (const request of server.requests) expect(JSON.stringify(request.body).length).toBeLessThanOrEqual(BATCH_MAX_BYTES);
  expect(server.events()).toHaveLength(40);
});

test('after each failure the wait doubles from 1 s up to the 5 min cap (full jitter, at its longest here)', async () => {
  const { server, track } = setup({ answer: fail500 });
  track(1);
  await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
  expect(server.requests).toHaveLength(1);
  const waits = [1, 2, 4, 8, 16, 32, 64, 128, 256].map((s) => s * RETRY_BASE_MS).concat(RETRY_CAP_MS, RETRY_CAP_MS);
  for (const wait of waits) {
    expect(await requestWithin(server, wait - 1)).toBe(false);
    expect(await requestWithin(server, 1)).toBe(true);
  }
});

test('a success resets the backoff: the next failure waits 1 s again', async () => {
  const { sender, server, track } = setup({ answer: fail500 });
  track(1);
  await failRepeatedly(sender, 5);
  server.answer = accept;
  await sender.flush();
  server.answer = fail500;
  track(2);
  await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
  expect(await requestWithin(server, RETRY_BASE_MS - 1)).toBe(false);
  expect(await requestWithin(server, 1)).toBe(true);
});

test('items queued during a backoff do not cut it short', async () => {
  const { sender, server, track } = setup({ answer: fail500 });
  track(1);
  await failRepeatedly(sender, 4);
  // Four failures: the next try is 8 s away.
  track(2);
  expect(await requestWithin(server, 8 * RETRY_BASE_MS - 1)).toBe(false);
  server.answer = accept;
  expect(await requestWithin(server, 1)).toBe(true);
  expect(server.events()).toEqual(['e1', 'e2']);
});

test('Retry-After is honoured: no request before it, not even when the network comes back', async () => {
  const { sender, server, track } = setup({ answer: () => ({ status: 429, retryAfter: '30' }) });
  track(1);
  await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
  expect(server.requests).toHaveLength(1);
  server.answer = accept;
  await vi.advanceTimersByTimeAsync(10_000);
  sender.retryNow();
  await sender.flush();
  expect(await requestWithin(server, 20_000 - 1)).toBe(false);
  expect(await requestWithin(server, 1)).toBe(true);
  expect(server.events()).toEqual(['e1']);
});

test('a page hidden during a Retry-After pause sends nothing before the pause ends', async () => {
  const { sender, server, track } = setup({ answer: () => ({ status: 429, retryAfter: '30' }) });
  track(1);
  await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
  expect(server.requests).toHaveLength(1);
  server.answer = accept;
  track(2);
  await vi.advanceTimersByTimeAsync(0);
  setVisibility('hidden');
  sender.hide();
  expect(server.requests).toHaveLength(1);
  expect(await requestWithin(server, 30_000 - 1)).toBe(false);
  expect(await requestWithin(server, 1)).toBe(true);
  expect(server.events()).toEqual(['e1', 'e2']);
});

test('the network coming back (online) retries at once, cutting a backoff short', async () => {
  const { sender, server, track } = setup({ answer: fail500 });
  track(1);
  await failRepeatedly(sender, 8);
  server.answer = accept;
  expect(await requestWithin(server, 60_000)).toBe(false);
  sender.retryNow();
  expect(await requestWithin(server, 0)).toBe(true);
  expect(server.events()).toEqual(['e1']);
});

test('413 splits the batch until the server takes it: nothing lost, nothing twice, order kept', async () => {
  const { sender, server, dropped, track } = setup({
    answer: (request) => (request.body.batch.length > 7 ? { status: 413 } : accept(request)),
  });
  for (let n = 0; n < 30; n++) track(n);
  await vi.advanceTimersByTimeAsync(0);
  await sender.flush();
  expect(server.events()).toEqual(Array.from({ length: 30 }, (_, n) => `e${n}`));
  expect(dropped).toEqual([]);
});

test('an item the server refuses as too large even alone is dropped as payload_too_large; the others go', async () => {
  const tooLarge = (request: { body: { batch: { type: string; event?: string }[] } }) => request.body.batch.some((i) => i.event === 'e1');
  const { sender, server, dropped, track } = setup({
    answer: (request) => (tooLarge(request) ? { status: 413 } : accept(request)),
  });
  for (let n = 0; n < 3; n++) track(n);
  await vi.advanceTimersByTimeAsync(0);
  await sender.flush();
  expect(server.events()).toEqual(['e0', 'e2']);
  expect(dropped).toEqual(['payload_too_large']);
});

test('the drop report rides with each batch and counts as delivered only on a 2xx answer', async () => {
  const delivered: string[] = [];
  const report = { id: 'report-1', counts: { expired: 2 } };
  const { sender, server, track } = setup({
    // A lone item refused as too large: the batch is given up, but nothing says the report was stored.
    answer: () => ({ status: 413 }),
    reports: { next: () => report, delivered: (id) => void delivered.push(id) },
  });
  track(1);
  await vi.advanceTimersByTimeAsync(0);
  await sender.flush();
  server.answer = fail500;
  track(2);
  await vi.advanceTimersByTimeAsync(0);
  await sender.flush();
  expect(delivered).toEqual([]);
  server.answer = accept;
  await sender.flush();
  expect(server.requests.map((request) => request.body.dropped)).toEqual([report, report, report]);
  expect(delivered).toEqual(['report-1']);
});

test.each([401, 403])('%i stops sending for this page and keeps every item', async (status) => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const { queue, sender, server, track } = setup({ answer: () => ({ status }) });
  track(1);
  await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
  track(2);
  await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
  sender.retryNow();
  await sender.flush();
  expect(server.requests).toHaveLength(1);
  expect((await queue.entries()).length).toBe(2);
  expect(warn).toHaveBeenCalledOnce();
});

test('items the server rejects are dropped with its reason; the rest of the batch counts as sent', async () => {
  const { queue, sender, server, dropped, sent, track } = setup({
    answer: ({ body }) => ({
      status: 200,
      body: { accepted: body.batch.length - 1, duplicates: 0, rejected: [{ index: 1, reason: 'forbidden_key', detail: 'properties.__proto__' }] },
    }),
  });
  for (let n = 0; n < 3; n++) track(n);
  await vi.advanceTimersByTimeAsync(0);
  await sender.flush();
  expect(server.requests).toHaveLength(1);
  expect(await queue.entries()).toEqual([]);
  expect(dropped).toEqual(['rejected: forbidden_key']);
  expect(sent).toEqual([2]);
});

test('a 200 that is not the server’s answer (a captive portal) deletes nothing', async () => {
  const { queue, sender, server, track } = setup({ answer: () => ({ status: 200 }) });
  track(1);
  await vi.advanceTimersByTimeAsync(0);
  await sender.flush();
  expect((await queue.entries()).length).toBe(1);
  server.answer = accept;
  await vi.advanceTimersByTimeAsync(RETRY_BASE_MS);
  expect(server.events()).toEqual(['e1', 'e1']);
  expect(await queue.entries()).toEqual([]);
});

test('when the page is hidden, the sending tab sends its own items at once from memory, with keepalive', async () => {
  const storage = memoryStorage();
  const { queue, sender, server, track } = setup({ storage });
  track(1);
  queue.add(item('survey_response', 2));
  await queue.persist();
  // From now on storage never answers a read: what goes out must come from memory.
  storage.list = () => new Promise<never>(() => undefined);
  setVisibility('hidden');
  sender.hide();
  // Sent within the call: the page may not get another task.
  expect(server.requests).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(0);
  expect(server.requests[0]!.keepalive).toBe(true);
  expect(server.requests[0]!.body.batch.map((i) => i.type)).toEqual(['survey_response', 'track']);
  expect(queue.own()).toEqual([]);
});

test('when the page is hidden, a tab that does not send sends only what it has not stored yet', async () => {
  const { queue, sender, server, track } = setup({ active: () => false });
  track(1);
  await queue.persist();
  track(2);
  sender.hide();
  await vi.advanceTimersByTimeAsync(0);
  expect(server.requests.map((r) => r.body.batch.map((i) => (i as { event: string }).event))).toEqual([['e2']]);
});

test('a tab that does not send never sends on its own', async () => {
  const { sender, server, track } = setup({ active: () => false });
  track(1);
  await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
  await sender.flush();
  expect(server.requests).toEqual([]);
});

test('an item in a request that has not answered yet is not sent again meanwhile', async () => {
  let answerFirst!: () => void;
  const { queue, sender, server, track } = setup({
    answer: (request) =>
      server.requests.length === 1 ? new Promise((resolve) => (answerFirst = () => resolve(accept(request)))) : accept(request),
  });
  track(1);
  await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
  expect(server.requests).toHaveLength(1);
  track(2);
  await queue.persist();
  sender.hide();
  await vi.advanceTimersByTimeAsync(0);
  answerFirst();
  await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
  await sender.flush();
  expect(server.events().sort()).toEqual(['e1', 'e2']);
});

test('while the page is hidden every request is keepalive and under 64 KiB', async () => {
  const { sender, server, track } = setup();
  for (let n = 0; n < 12; n++) track(n, { text: 'x'.repeat(10_000) });
  await vi.advanceTimersByTimeAsync(0);
  setVisibility('hidden');
  await sender.flush();
  expect(server.requests.length).toBeGreaterThan(1);
  for (const request of server.requests) {
    expect(request.keepalive).toBe(true);
    expect(JSON.stringify(request.body).length).toBeLessThanOrEqual(KEEPALIVE_MAX_BYTES);
  }
  expect(server.events()).toHaveLength(12);
});
