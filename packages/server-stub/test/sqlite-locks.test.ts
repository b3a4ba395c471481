// What only SQLite does: another writer on the same file holds its lock, and the server must
// answer 503 rather than hang or fail the group one request at a time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import { batch, testApp, track } from './fixtures';

let server: Awaited<ReturnType<typeof testApp>>;
afterEach(() => server.storage.close());

test('a database locked by another writer beyond its busy timeout is answered 503; once free, the retry is stored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxkit-lock-'));
  server = await testApp({}, join(dir, 'cxkit.db'));
  server.storage.db!.pragma('busy_timeout = 50');
  const other = new Database(join(dir, 'cxkit.db'));
  try {
    other.exec('BEGIN IMMEDIATE');
    const item = track();
    const locked = await server.post(batch([item]));
    expect(locked.status).toBe(503);
    expect(locked.headers.get('Retry-After')).toBe('5');
    other.exec('ROLLBACK');
    expect(await (await server.post(batch([item]))).json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  } finally {
    other.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a locked database is tried once for all the requests of a transaction, not again for each', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxkit-lock-'));
  server = await testApp({}, join(dir, 'cxkit.db'));
  server.storage.db!.pragma('busy_timeout = 50');
  // Each try waits out the busy timeout (5 s by default) with the event loop blocked.
  let tries = 0;
  const commit = server.storage.ingest.commit;
  server.storage.ingest.commit = async (writes) => {
    tries++;
    return commit(writes);
  };
  const other = new Database(join(dir, 'cxkit.db'));
  try {
    other.exec('BEGIN IMMEDIATE');
    const answers = await Promise.all([server.post(batch([track()])), server.post(batch([track()])), server.post(batch([track()], 'pk_acme'))]);
    expect(answers.map((answer) => answer.status)).toEqual([503, 503, 503]);
    expect(tries).toBe(1);
  } finally {
    other.exec('ROLLBACK');
    other.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
