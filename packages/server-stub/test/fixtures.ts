// An app on an in-memory database with two projects: the demo one (pk_demo, any origin) and
// Acme (pk_acme), which only accepts pages on https://app.acme.com and its subdomains.
import type { Item } from '@cxkit/protocol';
import { createApp, type AppOptions } from '../src/app';
import { seedDemo } from '../src/demo';
import { openTestStorage } from './backend';

export const NOW = Date.parse('2026-11-25T12:00:00.000Z');

export async function testApp(options: Partial<AppOptions> = {}, file?: string) {
  const storage = await openTestStorage(file);
  await seedDemo(storage);
  await storage.projects.ensure({
    id: 'acme',
    name: 'Acme',
    writeKey: 'pk_acme',
    readKey: 'sk_acme',
    allowedOrigins: ['https://app.acme.com', 'https://*.acme.dev'],
  });
  const clock = { now: NOW };
  const app = createApp({ storage, now: () => clock.now, ...options });

  function post(body: unknown, headers: Record<string, string> = {}) {
    return app.request('/v1/batch', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }
  const count = async (sql = 'SELECT COUNT(*) AS n FROM items') => Number((await storage.rows<{ n: unknown }>(sql))[0]!.n);
  return { app, storage, clock, post, count };
}

let counter = 0;
export function track(overrides: Record<string, unknown> = {}): Item {
  counter++;
  return {
    id: `0193-${counter}`,
    type: 'track',
    event: 'checkout_completed',
    timestamp: new Date(NOW - 1000).toISOString(),
    anonymousId: 'anon-1',
    sessionId: 'session-1',
    ...overrides,
  } as Item;
}

export const batch = (items: unknown[], writeKey = 'pk_demo', sentAt = new Date(NOW).toISOString()) => ({
  writeKey,
  sentAt,
  batch: items,
});

/** A scheduler for the group commit that the test runs by hand, so "the requests that arrived meanwhile" is exact. */
export function manualSchedule() {
  const tasks: (() => Promise<void>)[] = [];
  return {
    schedule: (run: () => Promise<void>) => void tasks.push(run),
    runNext: () => tasks.shift()!(),
    /** Runs what is scheduled, each to its end (its I/O included), and what that schedules, until nothing is left. */
    runAll: async () => {
      while (tasks.length > 0) await tasks.shift()!();
    },
    get waiting() {
      return tasks.length;
    },
  };
}
