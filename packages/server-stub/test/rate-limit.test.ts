import { expect, test } from 'vitest';
import { createRateLimiter } from '../src/rate-limit';

function limiter(perSecond: number, burst: number) {
  let time = 1_000_000;
  const take = createRateLimiter({ perSecond, burst }, () => time);
  return { take, advance: (ms: number) => (time += ms) };
}

test('a key may send its whole burst at once, then waits for tokens to refill', () => {
  const { take, advance } = limiter(100, 500);
  expect(take('pk_a', 500)).toBe(0);
  expect(take('pk_a', 50)).toBe(1);
  advance(500);
  expect(take('pk_a', 50)).toBe(0);
  expect(take('pk_a', 50)).toBe(1);
});

test('Retry-After is the whole seconds until enough tokens are back', () => {
  const { take } = limiter(100, 1000);
  expect(take('pk_a', 1000)).toBe(0);
  expect(take('pk_a', 250)).toBe(3);
  expect(take('pk_a', 1)).toBe(1);
});

test('refused events take no tokens', () => {
  const { take, advance } = limiter(100, 100);
  expect(take('pk_a', 100)).toBe(0);
  advance(500);
  expect(take('pk_a', 80)).toBe(1);
  expect(take('pk_a', 50)).toBe(0);
});

test('the bucket never holds more than the burst, however long the key was quiet', () => {
  const { take, advance } = limiter(100, 200);
  advance(3_600_000);
  expect(take('pk_a', 200)).toBe(0);
  expect(take('pk_a', 1)).toBe(1);
});

test('each write key has its own bucket', () => {
  const { take } = limiter(10, 10);
  expect(take('pk_a', 10)).toBe(0);
  expect(take('pk_a', 1)).toBe(1);
  expect(take('pk_b', 10)).toBe(0);
});

test('a batch larger than the burst passes when the bucket is full and leaves it in debt', () => {
  const { take, advance } = limiter(100, 100);
  expect(take('pk_a', 300)).toBe(0);
  advance(1000);
  expect(take('pk_a', 1)).toBe(2);
  advance(2000);
  expect(take('pk_a', 1)).toBe(0);
});

test('a limit of 0 events a second turns the limiter off', () => {
  const { take } = limiter(0, 0);
  for (let i = 0; i < 100; i++) expect(take('pk_a', 500)).toBe(0);
});
