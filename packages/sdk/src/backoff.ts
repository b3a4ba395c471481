// When to try again after a failed send. Pure: the sender passes the attempt, the clock and the dice.

export const RETRY_BASE_MS = 1000;
export const RETRY_CAP_MS = 5 * 60 * 1000;
/** A Retry-After beyond this is read as a broken header, not as an instruction to stay silent for days. */
export const RETRY_AFTER_MAX_MS = 60 * 60 * 1000;

/**
 * Full jitter: a random wait up to min(cap, base × 2^(attempt−1)). Devices and tabs that failed
 * together (a server restart) spread out instead of coming back in step.
 */
export function backoffDelay(attempt: number, random: () => number): number {
  return random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
}

/** A Retry-After header (delay-seconds or an HTTP date) in ms from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isNaN(seconds) ? Date.parse(header) - now : seconds * 1000;
  return Number.isNaN(ms) ? undefined : Math.min(Math.max(ms, 0), RETRY_AFTER_MAX_MS);
}
