import { afterEach, describe, expect, test, vi } from 'vitest';
import type { BatchRequest } from '@cxkit/protocol';
import { createTransport, fetchRequest, outcomeOf, REQUEST_TIMEOUT_MS } from '../src/transport';
import { item } from './fakes';

test('a batch goes to the url as JSON with the write key, the device clock and the items in order', async () => {
  const calls: { url: string; body: string; keepalive: boolean }[] = [];
  const transport = createTransport(
    { url: 'https://cx.example.com/v1/batch', writeKey: 'pk_"quoted"', now: () => Date.UTC(2026, 4, 1) },
    async (url, body, keepalive) => {
      calls.push({ url, body, keepalive });
      return { status: 200, body: { accepted: 2, duplicates: 0, rejected: [] } };
    },
  );
  const items = [item('survey_response', 1), item('track', 2)];
  const outcome = await transport.send(items.map((i) => [i.id, JSON.stringify(i)]), true);

  expect(outcome).toEqual({ kind: 'sent', rejected: [] });
  expect(calls[0]!.url).toBe('https://cx.example.com/v1/batch');
  expect(calls[0]!.keepalive).toBe(true);
  const body = JSON.parse(calls[0]!.body) as BatchRequest;
  expect(body).toEqual({ writeKey: 'pk_"quoted"', sentAt: '2026-05-01T00:00:00.000Z', batch: items });
});

test('a network error is a retry, not an exception', async () => {
  const transport = createTransport({ url: 'u', writeKey: 'k', now: Date.now }, () => Promise.reject(new TypeError('Failed to fetch')));
  expect(await transport.send([['b:1', '{}']], false)).toEqual({ kind: 'retry' });
});

test.each([
  ['200 with the server answer', { status: 200, body: { accepted: 1, duplicates: 1, rejected: [{ index: 1, reason: 'bad score' }] } }, { kind: 'sent', rejected: [{ index: 1, reason: 'bad score' }] }],
  ['200 without rejected', { status: 200, body: { accepted: 1, duplicates: 0 } }, { kind: 'sent', rejected: [] }],
  ['200 from a captive portal (HTML, no answer)', { status: 200 }, { kind: 'retry' }],
  ['204 without a body', { status: 204 }, { kind: 'retry' }],
  ['413', { status: 413 }, { kind: 'split' }],
  ['401', { status: 401 }, { kind: 'stop', status: 401 }],
  ['403', { status: 403 }, { kind: 'stop', status: 403 }],
  ['429 with Retry-After', { status: 429, retryAfter: '30' }, { kind: 'retry', after: 30_000 }],
  ['503 with Retry-After', { status: 503, retryAfter: '5' }, { kind: 'retry', after: 5_000 }],
  ['500', { status: 500 }, { kind: 'retry', after: undefined }],
  ['400', { status: 400 }, { kind: 'retry', after: undefined }],
  ['status 0 (a beacon: answer unknown)', { status: 0 }, { kind: 'retry', after: undefined }],
])('%s', (_, response, outcome) => {
  expect(outcomeOf(response, 0)).toEqual(outcome);
});

describe('a request that is accepted and never answered', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  /** A fetch whose server never answers: it settles only when its signal aborts it. */
  function hangingFetch() {
    const calls: RequestInit[] = [];
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) => {
      calls.push(init);
      return new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    });
    return calls;
  }

  test('gives up after REQUEST_TIMEOUT_MS by AbortSignal.timeout, and the transport makes it a retry', async () => {
    const abort = new AbortController();
    const timeout = vi.spyOn(AbortSignal, 'timeout').mockReturnValue(abort.signal);
    hangingFetch();
    const transport = createTransport({ url: 'https://cx.example.com/v1/batch', writeKey: 'k', now: Date.now }, fetchRequest);
    const outcome = transport.send([['b:1', '{}']], false);
    expect(timeout).toHaveBeenCalledWith(REQUEST_TIMEOUT_MS);
    abort.abort(new DOMException('timed out', 'TimeoutError'));
    expect(await outcome).toEqual({ kind: 'retry' });
  });

  test('without AbortSignal.timeout (before Chrome 103, Safari 16) a request is still sent, without a time limit', async () => {
    vi.stubGlobal('AbortSignal', Object.assign(Object.create(AbortSignal), { timeout: undefined }));
    const calls = hangingFetch();
    void fetchRequest('https://cx.example.com/v1/batch', '{}', false);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.signal).toBeUndefined();
  });

  test('a keepalive request (the page is closing) has no timeout: nothing would be left to retry it', async () => {
    const calls = hangingFetch();
    void fetchRequest('https://cx.example.com/v1/batch', '{}', true);
    expect(calls[0]!.signal).toBeUndefined();
  });
});
