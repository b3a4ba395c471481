import { WEBHOOK_LIMITS } from '@cxkit/protocol';
import type { ClaimedDelivery, DeliveryAttempt, DeliveryOutcome } from './storage.js';

// Pure: what an attempt's answer means for its delivery (docs/alerts.md#retries).

export interface RetrySchedule {
  retryBaseMs: number;
  retryCapMs: number;
  giveUpAfterMs: number;
}

export const RETRY_SCHEDULE: RetrySchedule = {
  retryBaseMs: WEBHOOK_LIMITS.retryBaseMs,
  retryCapMs: WEBHOOK_LIMITS.retryCapMs,
  giveUpAfterMs: WEBHOOK_LIMITS.giveUpAfterMs,
};

/**
 * The wait after failed attempt `attempt` (1 for the first): exponential up to the cap, its upper
 * half random, so receivers coming back from an outage are not met by every sender at once.
 */
export function retryDelay(attempt: number, random: () => number, { retryBaseMs, retryCapMs }: RetrySchedule): number {
  const ceiling = Math.min(retryCapMs, retryBaseMs * 2 ** Math.min(attempt - 1, 30));
  return ceiling / 2 + (random() * ceiling) / 2;
}

/** A 2xx delivers; anything else is retried until the give-up horizon after the event was made, then fails. */
export function afterAttempt(
  delivery: Pick<ClaimedDelivery, 'attempt' | 'createdAt'>,
  attempt: DeliveryAttempt,
  random: () => number,
  schedule: RetrySchedule,
): DeliveryOutcome {
  const done = attempt.status !== null && attempt.status >= 200 && attempt.status < 300;
  if (done) return { state: 'delivered', readyAt: attempt.at, attempt };
  const next = attempt.at + attempt.durationMs + retryDelay(delivery.attempt, random, schedule);
  if (next > delivery.createdAt + schedule.giveUpAfterMs) return { state: 'failed', readyAt: attempt.at, attempt };
  return { state: 'pending', readyAt: Math.round(next), attempt };
}
