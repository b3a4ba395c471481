export interface RateLimit {
  /** Events a second a write key may send on average; 0 turns the limit off. */
  perSecond: number;
  /** Events a key may send at once after being quiet, e.g. queues flushed after an outage. */
  burst: number;
}

/** Sustained 20,000 events/s a key, with room for a million at once. */
export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 20_000, burst: 1_000_000 };

/**
 * A token bucket per write key, in memory. `take` answers 0 when the events may pass (and takes
 * their tokens), else the whole seconds to wait before trying again (the Retry-After).
 */
export function createRateLimiter(
  { perSecond, burst }: RateLimit,
  now: () => number = Date.now,
): (key: string, events: number) => number {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (key, events) => {
    if (perSecond === 0) return 0;
    const time = now();
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { tokens: burst, at: time };
      buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(burst, bucket.tokens + ((time - bucket.at) / 1000) * perSecond);
    bucket.at = time;
    // A batch bigger than the whole burst passes once the bucket is full and leaves it in debt;
    // otherwise it could never pass at all.
    const needed = Math.min(events, burst);
    if (bucket.tokens >= needed) {
      bucket.tokens -= events;
      return 0;
    }
    return Math.max(1, Math.ceil((needed - bucket.tokens) / perSecond));
  };
}
