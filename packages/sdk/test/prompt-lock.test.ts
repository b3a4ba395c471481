import { beforeEach, expect, test } from 'vitest';
import { createPromptLock, LEASE_MS } from '../src/prompt-lock';

beforeEach(() => localStorage.clear());

test('without Web Locks, a second tab cannot open a prompt while the first holds the lease', async () => {
  let now = 1_000_000;
  const tabA = createPromptLock(() => now);
  const tabB = createPromptLock(() => now);
  const release = await tabA.acquire();
  expect(release).toBeTypeOf('function');
  expect(await tabB.acquire()).toBeUndefined();
  // Like a Web Lock asked for ifAvailable: the holder itself cannot open a second prompt either.
  expect(await tabA.acquire()).toBeUndefined();
  release!();
  expect(await tabB.acquire()).toBeTypeOf('function');
});

test('a lease left by a crashed tab expires', async () => {
  let now = 1_000_000;
  const crashed = createPromptLock(() => now);
  await crashed.acquire();
  const other = createPromptLock(() => now);
  expect(await other.acquire()).toBeUndefined();
  now += LEASE_MS + 1;
  expect(await other.acquire()).toBeTypeOf('function');
});
