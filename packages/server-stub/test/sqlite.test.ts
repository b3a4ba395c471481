import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Item } from '@cxkit/protocol';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../src/sqlite/schema';
import { openSqlite } from '../src/sqlite/open';
import type { StoredItem } from '../src/storage';
import { NOW, track } from './fixtures';

let storage: ReturnType<typeof openSqlite>;
beforeEach(async () => {
  storage = openSqlite(':memory:');
  for (const id of ['a', 'b']) {
    await storage.projects.ensure({ id, name: id, writeKey: `pk_${id}`, readKey: `sk_${id}`, allowedOrigins: ['*'] });
  }
});
afterEach(async () => await storage.close());

const stored = (item: Item): StoredItem => ({ item, json: JSON.stringify(item), at: NOW, receivedAt: NOW });
const ids = () => storage.db.prepare("SELECT project_id || ':' || id AS key FROM items ORDER BY key").pluck().all();

test('one commit stores the writes of several requests and projects, with counts per write', async () => {
  const shared = track();
  const results = await storage.ingest.commit([
    { projectId: 'a', items: [stored(shared), stored(track())] },
    { projectId: 'b', items: [stored(shared)] },
    { projectId: 'a', items: [stored(shared)] },
  ]);
  expect(results).toEqual([
    { accepted: 2, duplicates: 0 },
    { accepted: 1, duplicates: 0 },
    { accepted: 0, duplicates: 1 },
  ]);
  expect(ids()).toHaveLength(3);
});

test('a commit is all or none: one write that cannot be stored undoes the whole transaction', async () => {
  const broken = { ...track(), anonymousId: null } as unknown as Item;
  await expect(
    storage.ingest.commit([
      { projectId: 'a', items: [stored(track())] },
      { projectId: 'b', items: [stored(track()), stored(broken)] },
    ]),
  ).rejects.toThrow(/NOT NULL/);
  expect(ids()).toEqual([]);
});

test('a file database commits through the WAL with synchronous=FULL, so a 200 survives a crash and a power cut', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxkit-sqlite-'));
  const file = openSqlite(join(dir, 'cxkit.db'));
  try {
    expect(file.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(file.db.pragma('synchronous', { simple: true })).toBe(2);
  } finally {
    await file.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('projects are listed with their origins and creation time, never their read key', async () => {
  const [a] = await storage.projects.list();
  expect(a).toEqual({ id: 'a', name: 'a', writeKey: 'pk_a', allowedOrigins: ['*'], readOrigins: [], createdAt: expect.any(Number) });
  expect(await storage.projects.setAllowedOrigins('a', ['https://a.example', 'https://*.a.example'])).toBe(true);
  expect((await storage.projects.byWriteKey('pk_a'))?.allowedOrigins).toEqual(['https://a.example', 'https://*.a.example']);
  expect(await storage.projects.setAllowedOrigins('nope', ['*'])).toBe(false);
});

test('a project id or write key that exists already is left as it is', async () => {
  expect(await storage.projects.ensure({ id: 'a', name: 'other', writeKey: 'pk_new', readKey: 'sk_x', allowedOrigins: ['*'] })).toBe(false);
  expect(await storage.projects.ensure({ id: 'c', name: 'c', writeKey: 'pk_a', readKey: 'sk_x', allowedOrigins: ['*'] })).toBe(false);
  expect((await storage.projects.list()).map((p) => [p.id, p.name])).toEqual([['a', 'a'], ['b', 'b']]);
});

test('project rules default to a 14-day cooldown and 2 reminders, also for projects made before rules existed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxkit-sqlite-'));
  const path = join(dir, 'cxkit.db');
  const old = new Database(path);
  for (const migration of MIGRATIONS.slice(0, 2)) old.exec(migration);
  old.pragma('user_version = 2');
  old.prepare("INSERT INTO projects (id, name, write_key, read_key_hash, created_at) VALUES ('old', 'Old', 'pk_old', 'x', 0)").run();
  old.close();
  const upgraded = openSqlite(path);
  try {
    expect(await upgraded.projects.rules('old')).toEqual({ cooldownDays: 14, maxRemindLater: 2 });
    expect(await upgraded.projects.setRules('old', { cooldownDays: 30, maxRemindLater: 0 })).toBe(true);
    expect(await upgraded.projects.rules('old')).toEqual({ cooldownDays: 30, maxRemindLater: 0 });
    expect(await upgraded.projects.setRules('nope', { cooldownDays: 1, maxRemindLater: 1 })).toBe(false);
    expect(await upgraded.projects.rules('nope')).toBeUndefined();
  } finally {
    await upgraded.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
