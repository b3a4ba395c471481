export interface RateLimit {
  /** Events a second a project may send on average; 0 turns the limit off. */
  perSecond: number;
  /** Events a project may send at once after being quiet, e.g. queues flushed after an outage. */
  burst: number;
}

/** Sustained 20,000 events/s a project, with room for a million at once. */
export const DEFAULT_RATE_LIMIT: RateLimit = { perSecond: 20_000, burst: 1_000_000 };

/**
 * How far ahead a process takes tokens from a bucket it shares with other processes: a tenth of a
 * second's worth, so it asks the database about ten times a second under load instead of on
 * every request, and the processes together exceed the limit by at most that much each.
 */
export const LEASE_SECONDS = 0.1;

export interface Bucket {
  tokens: number;
  /** When it was last refilled, ms. */
  at: number;
}

/** A token bucket's answer: the tokens it gave, or the whole seconds to wait (the Retry-After). */
export type Take = { taken: number; wait: 0 } | { taken: 0; wait: number };

/** The bucket refilled up to `time`: perSecond tokens a second, never above the burst. A new key starts full. */
export function refilled(bucket: Bucket | undefined, { perSecond, burst }: RateLimit, time: number): Bucket {
  if (!bucket) return { tokens: burst, at: time };
  return { tokens: Math.min(burst, bucket.tokens + ((time - bucket.at) / 1000) * perSecond), at: time };
}

/**
 * Takes `events` tokens, and up to `ahead` more while there are any; refused events take none. A
 * batch bigger than the whole burst passes once the bucket is full and leaves it in debt;
 * otherwise it could never pass at all.
 */
export function take(bucket: Bucket, events: number, { perSecond, burst }: RateLimit, ahead = 0): Take {
  const needed = Math.min(events, burst);
  if (bucket.tokens < needed) return { taken: 0, wait: Math.max(1, Math.ceil((needed - bucket.tokens) / perSecond)) };
  const taken = events + Math.max(0, Math.min(ahead, bucket.tokens - events));
  bucket.tokens -= taken;
  return { taken, wait: 0 };
}

/** Answers 0 when the events may pass (and takes their tokens), else the seconds to wait. */
export type RateLimiter = (key: string, events: number) => number | Promise<number>;

/** A token bucket per key, in this process's memory: exact, for a server that is one process. */
export function createRateLimiter(limit: RateLimit, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, Bucket>();
  return (key, events) => {
    if (limit.perSecond === 0) return 0;
    const bucket = refilled(buckets.get(key), limit, now());
    buckets.set(key, bucket);
    return take(bucket, events, limit).wait;
  };
}

/** Buckets every process on one database sees (ports.ts RateLimitsPort). */
export interface SharedBuckets {
  /** Reads the key's bucket, applies `change` and stores the bucket it gives, atomically across processes. */
  update<T>(key: string, change: (bucket: Bucket | undefined) => { bucket: Bucket; result: T }): Promise<T>;
}

/**
 * Token buckets shared by several processes. Each process takes tokens from the shared bucket a
 * lease ahead (LEASE_SECONDS) and spends them locally, so the limit holds for a key across
 * processes while the database is asked only when a lease runs out.
 */
export function createSharedRateLimiter(limit: RateLimit, shared: SharedBuckets, now: () => number = Date.now): RateLimiter {
  const held = new Map<string, number>();
  const ahead = Math.ceil(limit.perSecond * LEASE_SECONDS);
  return async (key, events) => {
    if (limit.perSecond === 0) return 0;
    const have = held.get(key) ?? 0;
    if (have >= events) {
      held.set(key, have - events);
      return 0;
    }
    // What this process holds is spent on these events; requests meanwhile lease their own.
    held.set(key, 0);
    const answer = await shared.update(key, (stored) => {
      const bucket = refilled(stored, limit, now());
      return { bucket, result: take(bucket, events - have, limit, ahead) };
    });
    const left = answer.wait > 0 ? have : have + answer.taken - events;
    held.set(key, (held.get(key) ?? 0) + left);
    return answer.wait;
  };
}
