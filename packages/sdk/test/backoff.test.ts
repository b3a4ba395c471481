import { expect, test } from 'vitest';
import { backoffDelay, RETRY_AFTER_MAX_MS, RETRY_BASE_MS, RETRY_CAP_MS, retryAfterMs } from '../src/backoff';

test('the longest wait doubles from the base with each failed attempt, up to the cap', () => {
  const longest = (attempt: number) => backoffDelay(attempt, () => 1);
  expect([1, 2, 3, 4].map(longest)).toEqual([RETRY_BASE_MS, 2 * RETRY_BASE_MS, 4 * RETRY_BASE_MS, 8 * RETRY_BASE_MS]);
  expect(longest(9)).toBe(256 * RETRY_BASE_MS);
  expect(longest(10)).toBe(RETRY_CAP_MS);
  expect(longest(60)).toBe(RETRY_CAP_MS);
});

test('full jitter: the wait is spread over the whole range from zero', () => {
  expect(backoffDelay(3, () => 0)).toBe(0);
  expect(backoffDelay(3, () => 0.25)).toBe(RETRY_BASE_MS);
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  expect(retryAfterMs('120', now)).toBe(120_000);
  expect(retryAfterMs(new Date(now + 90_000).toUTCString(), now)).toBe(90_000);
  expect(retryAfterMs(new Date(now - 5_000).toUTCString(), now)).toBe(0);
});

test('a missing or unreadable Retry-After gives no wait, and an absurd one is capped', () => {
  expect(retryAfterMs(null, 0)).toBeUndefined();
  expect(retryAfterMs(undefined, 0)).toBeUndefined();
  expect(retryAfterMs('soon', 0)).toBeUndefined();
  expect(retryAfterMs('99999999', 0)).toBe(RETRY_AFTER_MAX_MS);
});
