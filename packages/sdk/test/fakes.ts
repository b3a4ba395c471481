// Fakes for the sdk's injected I/O: the server behind makeRequest, Web Locks, BroadcastChannel.
import { afterEach, beforeEach, vi } from 'vitest';
import type { TabChannel, TabMessage } from '../src/leader';
import type { BatchRequest, Item, SurveyResponseItem, TrackItem } from '@cxkit/protocol';
import type { MakeRequest, RawResponse } from '../src/transport';
import { uuidv7 } from '../src/uuid';

export interface Request {
  url: string;
  body: BatchRequest;
  keepalive: boolean;
}

export type Answer = (request: Request) => RawResponse | Promise<RawResponse>;

/** A 200 as the server sends it: everything accepted. */
export const accept: Answer = ({ body }) => ({
  status: 200,
  body: { accepted: body.batch.length, duplicates: 0, rejected: [] },
});

export interface FakeServer {
  requests: Request[];
  /** How the server answers; tests change it as they go. */
  answer: Answer;
  /** Items of every request answered 2xx, in arrival order (duplicates included). */
  received: Item[];
  makeRequest: MakeRequest;
  /** Event names of the received track items. */
  events(): string[];
}

/** A server: records every request, answers with `answer`, keeps what it accepted. */
export function fakeServer(answer: Answer = accept): FakeServer {
  const server: FakeServer = {
    requests: [],
    answer,
    received: [],
    makeRequest: async (url, body, keepalive) => {
      const request = { url, body: JSON.parse(body) as BatchRequest, keepalive };
      server.requests.push(request);
      const response = await server.answer(request);
      if (response.status >= 200 && response.status < 300) server.received.push(...request.body.batch);
      return response;
    },
    events: () => server.received.flatMap((item) => (item.type === 'track' ? [item.event] : [])),
  };
  return server;
}

/** Web Locks as the browser grants them: one holder per name, waiters in order, abortable. */
export function fakeLocks(): LockManager {
  const queues = new Map<string, (() => void)[]>();
  return {
    request(name: string, options: LockOptions, callback: LockGrantedCallback<unknown>) {
      return new Promise((resolve, reject) => {
        const waiting = queues.get(name) ?? [];
        queues.set(name, waiting);
        const grant = () => {
          Promise.resolve(callback({ name, mode: 'exclusive' } as Lock))
            .then((value) => resolve(value as never), reject)
            .finally(() => {
              waiting.shift();
              waiting[0]?.();
            });
        };
        options.signal?.addEventListener('abort', () => {
          const index = waiting.indexOf(grant);
          if (index > 0) {
            waiting.splice(index, 1);
            reject(new DOMException('aborted', 'AbortError'));
          }
        });
        waiting.push(grant);
        if (waiting.length === 1) queueMicrotask(grant);
      });
    },
  } as LockManager;
}

/** BroadcastChannel between "tabs" in one process: delivered to every other open channel, asynchronously. */
export function fakeBus() {
  const open = new Set<TabChannel>();
  return (): TabChannel => {
    const channel: TabChannel = {
      onmessage: null,
      postMessage(message: TabMessage) {
        for (const other of open) {
          if (other !== channel) setTimeout(() => other.onmessage?.({ data: message } as MessageEvent));
        }
      },
      close: () => void open.delete(channel),
    };
    open.add(channel);
    return channel;
  };
}

/** A stamped item, made at `at`: a track item (event `e${n}`) or a survey response (responseId `r${n}`). */
export function item<T extends 'track' | 'survey_response'>(
  type: T,
  n: number,
  at = Date.now(),
): T extends 'track' ? TrackItem : SurveyResponseItem {
  const base = { id: uuidv7(at), timestamp: new Date(at).toISOString(), anonymousId: 'a', sessionId: 's' };
  const made: TrackItem | SurveyResponseItem =
    type === 'track'
      ? { ...base, type: 'track', event: `e${n}` }
      : { ...base, type: 'survey_response', surveyId: 's1', responseId: `r${n}`, metric: 'nps', score: 9, final: false };
  return made as T extends 'track' ? TrackItem : SurveyResponseItem;
}

/** What the page's document reports as its visibility. */
export function setVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
}

/**
 * Each test of the file starts as a new page load at `now` on the fake clock: localStorage empty,
 * the page visible. After it, the clients it made (they still listen to this window) are hidden
 * and left, so they write what they hold now and nothing of theirs lands in the next test.
 */
export function freshPageEachTest(now: number): void {
  beforeEach(() => {
    localStorage.clear();
    setVisibility('visible');
    vi.useFakeTimers({ now });
  });
  afterEach(() => {
    setVisibility('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new Event('pagehide'));
    vi.useRealTimers();
    vi.restoreAllMocks();
  });
}

/** Lets pending promise callbacks and microtasks run. */
export const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
