import { expect, test } from 'vitest';
import { createRateLimiter, createSharedRateLimiter, LEASE_SECONDS, type Bucket, type SharedBuckets } from '../src/rate-limit';

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

/** Buckets as a database shares them between processes, one update at a time, after an await like a query. */
function sharedBuckets() {
  const rows = new Map<string, Bucket>();
  let updates = 0;
  const shared: SharedBuckets = {
    async update(key, change) {
      updates++;
      await Promise.resolve();
      const { bucket, result } = change(rows.get(key) && { ...rows.get(key)! });
      rows.set(key, bucket);
      return result;
    },
  };
  return { shared, updates: () => updates };
}

test('processes sharing a bucket together pass no more than the limit, each holding at most a lease', async () => {
  let time = 1_000_000;
  const limit = { perSecond: 100, burst: 500 };
  const { shared } = sharedBuckets();
  const processes = [0, 1, 2].map(() => createSharedRateLimiter(limit, shared, () => time));
  let passed = 0;
  for (let round = 0; round < 40; round++) {
    for (const take of processes) if ((await take('acme', 20)) === 0) passed += 20;
  }
  expect(passed).toBeLessThanOrEqual(500);
  expect(passed).toBeGreaterThanOrEqual(500 - 3 * 100 * LEASE_SECONDS);
  time += 1000;
  let after = 0;
  for (const take of processes) if ((await take('acme', 50)) === 0) after += 50;
  expect(passed + after).toBeLessThanOrEqual(600);
});

test('a process spends its lease without asking the shared buckets, and asks again when it runs out', async () => {
  const { shared, updates } = sharedBuckets();
  const take = createSharedRateLimiter({ perSecond: 1000, burst: 10_000 }, shared, () => 0);
  expect(await take('acme', 10)).toBe(0);
  expect(updates()).toBe(1);
  // The first update took 10 events and a lease of 100 more: ten more batches of 10 pass locally.
  for (let i = 0; i < 10; i++) expect(await take('acme', 10)).toBe(0);
  expect(updates()).toBe(1);
  expect(await take('acme', 10)).toBe(0);
  expect(updates()).toBe(2);
});

test('requests of one process racing for a lease neither lose nor double-spend what it holds', async () => {
  const { shared } = sharedBuckets();
  const take = createSharedRateLimiter({ perSecond: 100, burst: 100 }, shared, () => 0);
  const raced = await Promise.all(Array.from({ length: 30 }, () => take('acme', 5)));
  let passed = raced.filter((wait) => wait === 0).length * 5;
  // What the racing requests leased ahead is held, not lost: later requests spend it, to the burst exactly.
  while ((await take('acme', 5)) === 0) passed += 5;
  expect(passed).toBe(100);
});

test('refused events leave the shared bucket and the lease as they were', async () => {
  const { shared } = sharedBuckets();
  let time = 0;
  const take = createSharedRateLimiter({ perSecond: 100, burst: 100 }, shared, () => time);
  expect(await take('acme', 100)).toBe(0);
  expect(await take('acme', 50)).toBe(1);
  time += 500;
  expect(await take('acme', 50)).toBe(0);
});
