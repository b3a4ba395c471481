import { expect, test, vi } from 'vitest';
import type { Cxkit } from '../src/client';

test('a host that kept the loader stub still reaches the client after cxkit.js took over', async () => {
  // What the inline loader leaves on window before cxkit.js arrives.
  const q: unknown[] = [];
  const stub: Record<string, unknown> = { q };
  for (const method of ['init', 'identify', 'track', 'showSurvey', 'flush', 'optOut', 'optIn', 'reset', 'on']) {
    stub[method] = (...args: unknown[]) => void q.push([method, args]);
  }
  (window as unknown as { cxkit: unknown }).cxkit = stub;
  const kept = stub as unknown as Cxkit;

  await import('../src/cdn');
  const client = (window as unknown as { cxkit: Cxkit }).cxkit;
  expect(client).not.toBe(kept);
  const track = vi.spyOn(client, 'track');
  kept.track('checkout_completed', { total: 90.5 });
  expect(track).toHaveBeenCalledWith('checkout_completed', { total: 90.5 });
  expect(q).toEqual([]);
});

test('a second copy of cxkit.js leaves the client already running in charge', async () => {
  vi.resetModules();
  await import('../src/cdn');
  const first = (window as unknown as { cxkit: Cxkit }).cxkit;
  expect(typeof first.track).toBe('function');
  vi.resetModules();
  await import('../src/cdn');
  expect((window as unknown as { cxkit: Cxkit }).cxkit).toBe(first);
});
