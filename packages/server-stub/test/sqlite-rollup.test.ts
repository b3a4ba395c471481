// What the SQLite rollup adds to the shared planner: its cache spares writes, a rolled-back
// transaction teaches the cache nothing, and a database from before the rollup is backfilled.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { dailyActivity } from '../src/activity-series';
import { DAY_MS, parseDay, UTC, zone } from '../src/calendar';
import { openSqlite } from '../src/sqlite/open';
import { bruteForce, ingestShuffled, intlDayOf, randomHistory, stored } from './activity-fixtures';
import { commitItems } from './read-side-fixtures';

let storage: ReturnType<typeof openSqlite>;
beforeEach(async () => {
  storage = openSqlite(':memory:');
  await storage.projects.ensure({ id: 'p', name: 'P', writeKey: 'pk_p', readKey: 'sk_p', allowedOrigins: ['*'] });
});
afterEach(async () => await storage.close());

const START = Date.parse('2026-02-20T00:00:00Z');
const FROM = parseDay('2026-03-01')!;
const TO = parseDay('2026-04-30')!;

describe('the seen-cache', () => {
  test.each(['UTC', 'Asia/Kolkata'])('repeat activity in a quarter hour already counted is skipped without a write (project in %s)', async (name) => {
    await storage.activity.setTimeZone('p', name);
    while (await storage.activity.buildZoneStep(100));
    await commitItems(storage, 'p', [stored(START, { anonymousId: 'a', userId: 'u' })]);
    const changes = () => storage.db.prepare('SELECT total_changes() AS n').get() as { n: number };
    const before = changes().n;
    await commitItems(storage, 'p', Array.from({ length: 50 }, (_, i) => stored(START + i * 1000, { anonymousId: 'a', userId: 'u' })));
    // The 50 item rows: nothing else was written, in either calendar.
    expect(changes().n - before).toBe(50);
  });

  test('a transaction that rolls back leaves nothing cached that would hide its activity', async () => {
    storage.db.exec(
      "CREATE TRIGGER fail BEFORE INSERT ON activity_day_totals BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    const items = [stored(START, { anonymousId: 'a', userId: 'u' })];
    await expect(commitItems(storage, 'p', items)).rejects.toThrow('disk full');
    storage.db.exec('DROP TRIGGER fail');
    await commitItems(storage, 'p', items);
    expect((await dailyActivity(storage.activity, 'p', UTC, START / DAY_MS, START / DAY_MS))[0]!.dau).toBe(1);
  });
});

// 12,000 items committed, then the rollup rebuilt from them: seconds on a loaded machine.
test('a database with items from before the rollup existed gets it built from them on open', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'cxkit-backfill-')), 'cxkit.db');
  await storage.close();
  storage = openSqlite(file);
  await storage.projects.ensure({ id: 'p', name: 'P', writeKey: 'pk_p', readKey: 'sk_p', allowedOrigins: ['*'] });
  const history = randomHistory(5, 12_000, START, 72);
  history.push(stored(START + DAY_MS, { type: 'survey_shown', surveyId: 's1', anonymousId: 'anon-1' } as never));
  await ingestShuffled(storage, history, 8);
  const before = await dailyActivity(storage.activity, 'p', UTC, FROM, TO);
  // As the database was before this release: items, and no rollup.
  storage.db.exec(`DELETE FROM activity_subject_days; DELETE FROM activity_user_days; DELETE FROM activity_day_totals;
    DELETE FROM identities; DELETE FROM survey_events; UPDATE rollup_state SET generation = 0`);
  await storage.close();

  storage = openSqlite(file);
  expect(await dailyActivity(storage.activity, 'p', UTC, FROM, TO)).toEqual(before);
  expect(await storage.responses.shownTimes('p', 0, Date.now())).toEqual([START + DAY_MS]);
  expect(before.some((d) => d.dau > 0)).toBe(true);
}, 30_000);
