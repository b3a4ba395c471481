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
