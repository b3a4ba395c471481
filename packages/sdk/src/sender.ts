import type { Queue } from './queue';
import type { Send } from './transport';

export const BATCH_MAX_ITEMS = 100;
export const FLUSH_DELAY_MS = 1000;

export interface SenderOptions {
  queue: Queue;
  send: Send;
  /** Full URL of POST /v1/batch. */
  url: () => string;
  writeKey: () => string;
  now: () => number;
  log: (...args: unknown[]) => void;
}

export interface Sender {
  /** Sends soon, coalescing the items queued meanwhile into one batch. */
  schedule(): void;
  /** Sends everything queued; resolves when the queue is empty or the server cannot take more now. */
  flush(): Promise<void>;
}

export function createSender({ queue, send, url, writeKey, now, log }: SenderOptions): Sender {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let flushing: Promise<void> | undefined;

  async function drain(): Promise<void> {
    for (;;) {
      const entries = await queue.peek(BATCH_MAX_ITEMS);
      if (entries.length === 0) return;
      const body = JSON.stringify({
        writeKey: writeKey(),
        sentAt: new Date(now()).toISOString(),
        batch: entries.map((e) => e[1]),
      });
      let result;
      try {
        result = await send(url(), body);
      } catch (error) {
        log('send failed, will retry', error);
        return;
      }
      if (result.status < 200 || result.status >= 300) {
        log('server answered', result.status, '- items kept');
        return;
      }
      // Rejected items would be rejected again: they leave the queue with the accepted ones.
      for (const rejected of result.body?.rejected ?? []) {
        log('server rejected', entries[rejected.index]?.[1].type, 'item:', rejected.reason);
      }
      await queue.remove(entries.map((e) => e[0]));
    }
  }

  function flush(): Promise<void> {
    flushing ??= drain().finally(() => (flushing = undefined));
    return flushing;
  }

  return {
    schedule() {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        void flush();
      }, FLUSH_DELAY_MS);
    },
    flush,
  };
}
