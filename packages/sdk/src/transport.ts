import { abortAfter } from './abort-after';
import { retryAfterMs } from './backoff';
import type { BatchResponse, DroppedReport, RejectedItem } from '@cxkit/protocol';
import type { QueueEntry } from './storage';

export interface RawResponse {
  status: number;
  retryAfter?: string | null;
  /** The parsed JSON body, if it had one. */
  body?: unknown;
}

/** Posts one body: the only network I/O of sending. Injected, so tests answer with fakes. */
export type MakeRequest = (url: string, body: string, keepalive: boolean) => Promise<RawResponse>;

/** What a send means for the items in it. */
export type Outcome =
  /** The server has them, except `rejected` (indexes into the batch), which it will never take. */
  | { kind: 'sent'; rejected: RejectedItem[] }
  /** Try again later: not before `after` ms when the server said so. */
  | { kind: 'retry'; after?: number }
  /** 413: the batch is too large. */
  | { kind: 'split' }
  /** 401/403: the write key or the page's origin is refused; sending again will not help. `body` says why. */
  | { kind: 'stop'; status: number; body?: unknown };

export interface Transport {
  /** `dropped`: the drop report the batch carries, if any. */
  send(entries: QueueEntry[], keepalive: boolean, dropped?: DroppedReport): Promise<Outcome>;
}

export interface TransportOptions {
  /** Full URL of POST /v1/batch. */
  url: string;
  writeKey: string;
  now: () => number;
}

/** Turns queue entries into a request and the answer into an outcome; makeRequest does the I/O. */
export function createTransport({ url, writeKey, now }: TransportOptions, makeRequest: MakeRequest): Transport {
  return {
    async send(entries, keepalive, dropped) {
      // Items are queued as JSON already: the batch is spliced, not serialized again.
      const report = dropped ? `,"dropped":${JSON.stringify(dropped)}` : '';
      const body = `{"writeKey":${JSON.stringify(writeKey)},"sentAt":"${new Date(now()).toISOString()}"${report},"batch":[${entries.map((e) => e[1]).join()}]}`;
      try {
        return outcomeOf(await makeRequest(url, body, keepalive), now());
      } catch {
        return { kind: 'retry' };
      }
    },
  };
}

export function outcomeOf({ status, retryAfter, body }: RawResponse, now: number): Outcome {
  if (status >= 200 && status < 300) {
    // Only the server's own answer proves the items are stored; a 200 from a captive portal or
    // a proxy's error page is no such proof, and deleting on it would lose them.
    const answer = body as Partial<BatchResponse> | undefined;
    if (typeof answer?.accepted !== 'number') return { kind: 'retry' };
    return { kind: 'sent', rejected: Array.isArray(answer.rejected) ? answer.rejected : [] };
  }
  if (status === 413) return { kind: 'split' };
  if (status === 401 || status === 403) return { kind: 'stop', status, body };
  return { kind: 'retry', after: retryAfterMs(retryAfter, now) };
}

/** How long a request may go unanswered (headers and body) before it counts as failed and is retried. */
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The browser's request: text/plain keeps it "simple" (no CORS preflight, one round trip a batch);
 * keepalive lets it outlive the page. Where the browser refuses a keepalive fetch, a beacon still
 * goes out; its answer is unknown, so the items stay queued (status 0) and the server dedupes them.
 * Any other request gives up after REQUEST_TIMEOUT_MS: a connection that is accepted and never
 * answered would otherwise hold the sender, and every item after it, for good.
 */
export const fetchRequest: MakeRequest = async (url, body, keepalive) => {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body,
      keepalive,
      headers: { 'Content-Type': 'text/plain' },
      credentials: 'omit',
      signal: keepalive ? undefined : abortAfter(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    if (keepalive && navigator.sendBeacon?.(url, body)) return { status: 0 };
    throw error;
  }
  return {
    status: response.status,
    retryAfter: response.headers.get('Retry-After'),
    // A 401/403 says why too (a refused origin's answer is readable: the server allows any origin to read it).
    body: await response.json().catch(() => undefined),
  };
};
