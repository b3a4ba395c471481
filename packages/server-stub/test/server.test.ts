import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, vi } from 'vitest';
import { parseDay } from '../src/calendar';
import { DEFAULT_RATE_LIMIT } from '../src/rate-limit';
import { startServer } from '../src/server';
import { openSqlite } from '../src/sqlite/open';
import { batch, track } from './fixtures';
import { commitItems, item } from './read-side-fixtures';

test('stopping answers the requests in flight and stores them, also when a second stop signal comes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxkit-server-'));
  const db = join(dir, 'cxkit.db');
  try {
    const server = await startServer({ port: 0, hostname: '127.0.0.1', db, demo: true, rateLimit: DEFAULT_RATE_LIMIT });
    const item = track();
    const body = JSON.stringify(batch([item], 'pk_demo', new Date().toISOString()));
    const sending = request(`${server.url}/v1/batch`, {
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) },
    });
    const answered = new Promise<number>((resolve, reject) => {
      sending.on('response', (response) => resolve(response.resume().statusCode!));
      sending.on('error', reject);
    });
    // Half the body: the server has the request, and is still waiting for the rest of it.
    sending.write(body.slice(0, 20));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Ctrl-C in a terminal reaches the whole process group, and a supervisor may send SIGTERM too.
    const stopped = Promise.all([server.close(), server.close()]);
    sending.end(body.slice(20));
    expect(await answered).toBe(200);
    await stopped;
    const storage = openSqlite(db);
    expect(storage.db.prepare('SELECT id FROM items').pluck().all()).toEqual([item.id]);
    await storage.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a build of a zone calendar that a stop interrupted goes on when the server starts again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxkit-server-'));
  const db = join(dir, 'cxkit.db');
  try {
    const before = openSqlite(db);
    await before.projects.ensure({ id: 'p', name: 'P', writeKey: 'pk_p', readKey: 'sk_p', allowedOrigins: ['*'] });
    // 00:30 on 2 March in Berlin.
    await commitItems(before, 'p', [item('2026-03-01T23:30:00Z', { anonymousId: 'a' })]);
    await before.activity.setTimeZone('p', 'Europe/Berlin');
    await before.close();

    const server = await startServer({ port: 0, hostname: '127.0.0.1', db, demo: false, rateLimit: DEFAULT_RATE_LIMIT });
    const storage = openSqlite(db);
    try {
      await vi.waitFor(async () => expect(await storage.activity.timeZone('p')).toEqual({ timeZone: 'Europe/Berlin', ready: true }), { timeout: 10_000, interval: 50 });
      const day = parseDay('2026-03-02')!;
      expect(await storage.activity.zoneTotals('p', day)).toEqual([{ day, dau: 1, mauDelta: 1 }]);
    } finally {
      await storage.close();
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
