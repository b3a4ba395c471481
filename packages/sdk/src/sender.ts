import type { DropReason, RejectReason } from '@cxkit/protocol';
import { backoffDelay } from './backoff';
import { BATCH_MAX_BYTES, BATCH_MAX_ITEMS, KEEPALIVE_MAX_BYTES, takeBatch } from './batching';
import type { DropReports } from './drop-report';
import type { Queue } from './queue';
import type { Refusal } from './refusal';
import type { QueueEntry } from './storage';
import type { Outcome, Transport } from './transport';

/** How long after an item is stored the batch leaves, so items queued meanwhile travel together. */
export const FLUSH_DELAY_MS = 1000;
/** Room kept in a batch for what surrounds the items (writeKey, sentAt). */
const ENVELOPE_BYTES = 1024;

export interface SenderOptions {
  queue: Queue;
  transport: Transport;
  /** Whether this tab sends now: it leads, or its storage is its own. */
  active: () => boolean;
  now: () => number;
  /** Dice for the backoff jitter. */
  random: () => number;
  log: (...args: unknown[]) => void;
  /** The server confirmed this many items. */
  onSent: (count: number) => void;
  /** Items the server will never take, and why; for `rejected`, the server's own reason too. */
  onDropped: (count: number, code: DropReason, serverReason?: RejectReason) => void;
  /** What was dropped before, reported with the next batch. */
  reports: Pick<DropReports, 'next' | 'delivered'>;
  /** Shared with survey loads: once either is refused, nothing is sent until the next page load. */
  refusal: Refusal;
}

export interface Sender {
  /** Sends after `delay` (FLUSH_DELAY_MS), with whatever is queued by then; never before a backoff ends. */
  schedule(delay?: number): void;
  /** Sends now; resolves when the queue is empty or the server cannot take more now. */
  flush(): Promise<void>;
  /** The network is back: retry at once, unless the server asked for a pause (Retry-After). */
  retryNow(): void;
  /** The page is hidden and may be gone soon: this tab's own items go first, from memory, with keepalive (not during a Retry-After pause). */
  hide(): void;
}

export function createSender({ queue, transport, active, now, random, log, onSent, onDropped, reports, refusal }: SenderOptions): Sender {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dueAt = 0;
  let attempt = 0;
  let backoffUntil = 0;
  let retryAfterUntil = 0;
  const stopped = refusal.refused;
  let running: Promise<void> | undefined;
  const inFlight = queue.sending;

  function schedule(delay = FLUSH_DELAY_MS): void {
    if (stopped()) return;
    const at = Math.max(now() + delay, backoffUntil, retryAfterUntil);
    if (timer !== undefined && dueAt <= at) return;
    clearTimeout(timer);
    dueAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, at - now());
  }

  function flush(): Promise<void> {
    return (running ??= drain().finally(() => (running = undefined)));
  }

  async function drain(): Promise<void> {
    while (!stopped() && active() && now() >= retryAfterUntil) {
      let entries: QueueEntry[];
      try {
        entries = (await queue.entries()).filter(([key]) => !inFlight.has(key));
      } catch (error) {
        return log('queue read failed', error);
      }
      // A hidden page may be closed at any moment: only keepalive requests outlive it.
      if (!entries.length || !(await sendAll(entries, document.visibilityState === 'hidden'))) return;
    }
  }

  /** Sends entries batch by batch, in order; false when the server cannot take more now (a retry is scheduled). */
  async function sendAll(entries: QueueEntry[], keepalive: boolean): Promise<boolean> {
    const keys = entries.map(([key]) => key);
    for (const key of keys) inFlight.add(key);
    try {
      let limit = BATCH_MAX_ITEMS;
      while (entries.length) {
        const batch = takeBatch(entries, limit, (keepalive ? KEEPALIVE_MAX_BYTES : BATCH_MAX_BYTES) - ENVELOPE_BYTES);
        const report = reports.next();
        const outcome = await transport.send(batch, keepalive, report);
        if (outcome.kind === 'retry') return retryLater(outcome.after);
        if (outcome.kind === 'stop') return stop(outcome.status, outcome.body);
        if (outcome.kind === 'split' && batch.length > 1) {
          limit = Math.ceil(batch.length / 2);
          continue;
        }
        attempt = 0;
        backoffUntil = 0;
        if (report && outcome.kind === 'sent') reports.delivered(report.id);
        await settle(batch, outcome);
        entries = entries.slice(batch.length);
      }
      return true;
    } catch (error) {
      log('sending failed', error);
      return retryLater();
    } finally {
      for (const key of keys) inFlight.delete(key);
    }
  }

  /** The server answered for the batch: remove it, naming what is dropped unsent. */
  async function settle(batch: QueueEntry[], outcome: Outcome): Promise<void> {
    const refused: { index: number; reason?: RejectReason }[] = outcome.kind === 'sent' ? outcome.rejected.filter(({ index }) => batch[index]) : [{ index: 0 }];
    // Each refused item is counted only if it was still stored: where every tab sends (no Web
    // Locks), two tabs may have sent it and been refused it both.
    for (const { index, reason } of refused) {
      if (await queue.remove([batch[index]![0]])) onDropped(1, reason ? 'rejected' : 'payload_too_large', reason);
    }
    await queue.remove(batch.map(([key]) => key));
    if (batch.length > refused.length) onSent(batch.length - refused.length);
  }

  function retryLater(after?: number): false {
    attempt++;
    if (after !== undefined) retryAfterUntil = now() + after;
    backoffUntil = now() + (after ?? backoffDelay(attempt, random));
    clearTimeout(timer);
    timer = undefined;
    schedule(0);
    log('retry in', Math.round(backoffUntil - now()), 'ms');
    return false;
  }

  function stop(status: number, body: unknown): false {
    // Two requests may come back refused (a drain and a hidden page's send): the refusal says it once.
    refusal.refuse(status, body);
    clearTimeout(timer);
    return false;
  }

  return {
    schedule,
    flush,
    retryNow() {
      attempt = 0;
      backoffUntil = 0;
      schedule(0);
    },
    hide() {
      // A server that asked for a pause would refuse these too; the items are stored meanwhile.
      if (stopped() || now() < retryAfterUntil) return;
      // Reading storage takes a task or two the closing page may not get: send from memory. The
      // sending tab sends all of its own; another tab only what is not stored yet, the rest is the sender's.
      const leading = active();
      const own = queue.own(!leading).filter(([key]) => !inFlight.has(key));
      void (own.length ? sendAll(own, true) : Promise.resolve(true)).then((ok) => {
        if (ok && leading) return flush();
      });
    },
  };
}
