import { WEBHOOK_LIMITS } from '@cxkit/protocol';
import type { Storage } from './ports.js';
import { lister } from './responses-api.js';
import type { ClaimedDelivery, DeliveryAttempt, DeliveryOutcome } from './storage.js';
import { matchesFilter } from './webhook-filter.js';
import { webhookBody, webhookEvent } from './webhook-payload.js';
import { afterAttempt, RETRY_SCHEDULE, type RetrySchedule } from './webhook-retry.js';
import { signedHeaders } from './webhook-signature.js';

/** One POST to a receiver: its status, or why none came. */
export type SendWebhook = (url: string, headers: Record<string, string>, body: string, timeoutMs: number) => Promise<{ status: number; answer: string } | { error: string }>;

export interface DeliveryOptions extends Partial<RetrySchedule> {
  /** Where the dashboard is served, for the link to each response (e.g. https://cx.example.com). */
  publicUrl: string;
  /** Attempts in flight at once in this process. */
  concurrency?: number;
  attemptTimeoutMs?: number;
  /** How often the outbox is looked at for due deliveries (also those other processes queued). */
  pollMs?: number;
  send?: SendWebhook;
  now?: () => number;
  random?: () => number;
}

/** How long a claim holds its row: past the attempt's timeout, so a live attempt is never taken over. */
const leaseFor = (timeoutMs: number) => timeoutMs * 3;
/** How often finished deliveries past the log's days are deleted. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** POST with fetch: redirects are not followed (a 3xx is an answer to retry, not a new address). */
export const fetchWebhook: SendWebhook = async (url, headers, body, timeoutMs) => {
  try {
    const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text().catch(() => '');
    return { status: response.status, answer: text.slice(0, WEBHOOK_LIMITS.answerChars) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const name = (error as Error).name;
    return { error: name === 'TimeoutError' || name === 'AbortError' ? `timeout after ${timeoutMs} ms` : `network error${cause ? ` (${cause})` : ''}` };
  }
};

/**
 * Sends what the outbox holds, in the background: claims due deliveries (at most `concurrency` in
 * flight), fixes each event's body at its first attempt (the filter is applied then, on the
 * response as it stands), signs and posts it, and records the answer. Every process may run one:
 * claims are leased, so each attempt is made by one of them.
 */
export function deliveryWorker(storage: Pick<Storage, 'webhooks' | 'surveys'>, options: DeliveryOptions) {
  const {
    publicUrl,
    concurrency = WEBHOOK_LIMITS.concurrency,
    attemptTimeoutMs = WEBHOOK_LIMITS.attemptTimeoutMs,
    pollMs = WEBHOOK_LIMITS.pollMs,
    send = fetchWebhook,
    now = Date.now,
    random = Math.random,
  } = options;
  const schedule: RetrySchedule = { ...RETRY_SCHEDULE, ...pickDefined(options) };
  const inFlight = new Set<Promise<void>>();
  let stopped = true;
  let pumping = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let prunedAt = 0;

  async function pump(): Promise<void> {
    if (stopped) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    clearTimeout(timer);
    try {
      do {
        again = false;
        while (!stopped && inFlight.size < concurrency) {
          const claimed = await storage.webhooks.claim(now(), concurrency - inFlight.size, leaseFor(attemptTimeoutMs));
          for (const delivery of claimed) {
            const running: Promise<void> = deliver(delivery)
              .catch((error) => console.error(error))
              .finally(() => {
                inFlight.delete(running);
                void pump();
              });
            inFlight.add(running);
          }
          if (claimed.length === 0) break;
        }
      } while (again && !stopped);
      if (now() - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = now();
        await storage.webhooks.prune(now() - WEBHOOK_LIMITS.logDays * 24 * 60 * 60 * 1000);
      }
    } catch (error) {
      // Storage that cannot answer now (PostgreSQL restarting) is asked again at the next poll.
      console.error(error);
    } finally {
      pumping = false;
      if (!stopped) timer = setTimeout(() => void pump(), pollMs);
      timer?.unref?.();
    }
  }

  async function deliver(delivery: ClaimedDelivery): Promise<void> {
    const body = delivery.body ?? (await firstBody(delivery));
    if (body === undefined) {
      await storage.webhooks.finish(delivery, { state: 'skipped', readyAt: now() }, WEBHOOK_LIMITS.attemptsLogged);
      return;
    }
    const at = now();
    const started = performance.now();
    const answer = await send(delivery.webhook.url, { 'content-type': 'application/json', 'user-agent': 'cxkit-webhooks/1', ...signedHeaders(delivery.webhook.secret, delivery.id, Math.floor(at / 1000), body) }, body, attemptTimeoutMs);
    const attempt: DeliveryAttempt = {
      attempt: delivery.attempt,
      at,
      status: 'status' in answer ? answer.status : null,
      durationMs: Math.round(performance.now() - started),
      error: 'error' in answer ? answer.error : answer.status >= 200 && answer.status < 300 ? null : `HTTP ${answer.status}${answer.answer ? `: ${answer.answer}` : ''}`,
    };
    const outcome: DeliveryOutcome = { ...afterAttempt(delivery, attempt, random, schedule), ...(delivery.body === null && { body }) };
    await storage.webhooks.finish(delivery, outcome, WEBHOOK_LIMITS.attemptsLogged);
  }

  /** The event's body as it will be sent on every attempt; undefined when the filter does not take the response. */
  async function firstBody({ projectId, id, createdAt, webhook, response }: ClaimedDelivery): Promise<string | undefined> {
    if (!response) return undefined;
    // The response as the responses list shows it: its bucket on its own survey's scale.
    const listed = lister(await storage.surveys.all(projectId))(response);
    if (!matchesFilter(webhook.filter, listed)) return undefined;
    const dashboardUrl = `${publicUrl}/dashboard#response=${encodeURIComponent(response.responseId)}`;
    return webhookBody(webhook.format, webhookEvent({ id, type: 'response.completed', createdAt, projectId, webhookId: webhook.id, response: listed, dashboardUrl }));
  }

  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      void pump();
    },
    /** Looks at the outbox now rather than at the next poll (a test event was queued). */
    wake: () => void pump(),
    /** Claims no more; resolves once the attempts in flight (each bounded by its timeout) are recorded. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await Promise.all(inFlight);
    },
  };
}

export type DeliveryWorker = ReturnType<typeof deliveryWorker>;

function pickDefined({ retryBaseMs, retryCapMs, giveUpAfterMs }: Partial<RetrySchedule>): Partial<RetrySchedule> {
  return Object.fromEntries(Object.entries({ retryBaseMs, retryCapMs, giveUpAfterMs }).filter(([, v]) => v !== undefined));
}
