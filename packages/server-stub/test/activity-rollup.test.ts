import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { addedCoverage, coverage, dayCounter } from '../src/activity-math';
import { dailyActivity } from '../src/activity-series';
import { DAY_MS, parseDay, UTC, zone } from '../src/calendar';
import { openSqlite } from '../src/sqlite';
import { bruteForce, ingestShuffled, intlDayOf, randomHistory, stored } from './activity-fixtures';
import { commitItems } from './read-side-fixtures';

let storage: ReturnType<typeof openSqlite>;
beforeEach(() => {
  storage = openSqlite(':memory:');
  storage.ensureProject({ id: 'p', name: 'P', writeKey: 'pk_p', readKey: 'sk_p', allowedOrigins: ['*'] });
});
afterEach(() => storage.close());

const START = Date.parse('2026-02-20T00:00:00Z');
const FROM = parseDay('2026-03-01')!;
const TO = parseDay('2026-04-30')!;

describe('the activity rollup matches a brute-force count of the definitions', () => {
  const history = randomHistory(7, 4000, START, 72);

  test.each(['UTC', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham'])(
    'DAU and MAU for every day in %s, with identify merges and items arriving out of order',
    (name) => {
      ingestShuffled(storage, history, 11);
      const expected = bruteForce(history, name === 'UTC' ? (at) => Math.floor(at / DAY_MS) : intlDayOf(name), FROM, TO);
      const actual = dailyActivity(storage, 'p', name === 'UTC' ? UTC : zone(name), FROM, TO);
      expect(actual.map(({ day, dau, mau }) => ({ day, dau, mau }))).toEqual(expected);
      expect(expected.some((d) => d.dau > 0 && d.mau > d.dau)).toBe(true);
    },
  );

  test('the same items in another arrival order give the same rollup', () => {
    ingestShuffled(storage, history, 99);
    const first = dailyActivity(storage, 'p', UTC, FROM, TO);
    storage.close();
    storage = openSqlite(':memory:');
    storage.ensureProject({ id: 'p', name: 'P', writeKey: 'pk_p', readKey: 'sk_p', allowedOrigins: ['*'] });
    ingestShuffled(storage, history, 3);
    expect(dailyActivity(storage, 'p', UTC, FROM, TO)).toEqual(first);
  });
});

describe('identity', () => {
  const day = (n: number) => START + n * DAY_MS + 10 * 3_600_000;

  test('a user who logs in mid-day counts once that day, and their anonymous days before count as theirs', () => {
    commitItems(storage, 'p', [
      stored(day(0), { anonymousId: 'a1' }),
      stored(day(1), { anonymousId: 'a1' }),
      stored(day(1) + 60_000, { type: 'identify', anonymousId: 'a1', userId: 'ada' } as never),
      stored(day(1) + 120_000, { anonymousId: 'a1', userId: 'ada' }),
    ]);
    const series = dailyActivity(storage, 'p', UTC, START / DAY_MS, START / DAY_MS + 1);
    expect(series.map((d) => [d.dau, d.mau])).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  test('an identify that arrives after the activity merges the two users', () => {
    commitItems(storage, 'p', [stored(day(0), { anonymousId: 'a1' }), stored(day(0), { anonymousId: 'a2', userId: 'ada' })]);
    expect(dailyActivity(storage, 'p', UTC, START / DAY_MS, START / DAY_MS)[0]!.dau).toBe(2);
    commitItems(storage, 'p', [stored(day(3), { type: 'identify', anonymousId: 'a1', userId: 'ada' } as never)]);
    const [first] = dailyActivity(storage, 'p', UTC, START / DAY_MS, START / DAY_MS);
    expect(first).toMatchObject({ dau: 1, mau: 1, stickiness: 100 });
  });

  test('an anonymous id belongs to the user of its earliest identify, even when that arrives last', () => {
    commitItems(storage, 'p', [
      stored(day(0), { anonymousId: 'a1' }),
      stored(day(0), { anonymousId: 'x', userId: 'bob' }),
      stored(day(2), { type: 'identify', anonymousId: 'a1', userId: 'ada' } as never),
    ]);
    commitItems(storage, 'p', [stored(day(1), { type: 'identify', anonymousId: 'a1', userId: 'bob' } as never)]);
    const series = dailyActivity(storage, 'p', UTC, START / DAY_MS, START / DAY_MS + 2);
    // Day 0: a1 is bob's, and bob was active: one user. Day 2: ada identified.
    expect(series.map((d) => d.dau)).toEqual([1, 1, 1]);
    expect(series[2]!.mau).toBe(2);
  });
});

describe('the seen-cache', () => {
  test.each(['UTC', 'Asia/Kolkata'])('repeat activity in a quarter hour already counted is skipped without a write (project in %s)', (name) => {
    storage.setTimeZone('p', name);
    while (storage.buildZoneRollup(100));
    commitItems(storage, 'p', [stored(START, { anonymousId: 'a', userId: 'u' })]);
    const changes = () => storage.db.prepare('SELECT total_changes() AS n').get() as { n: number };
    const before = changes().n;
    commitItems(storage, 'p', Array.from({ length: 50 }, (_, i) => stored(START + i * 1000, { anonymousId: 'a', userId: 'u' })));
    // The 50 item rows: nothing else was written, in either calendar.
    expect(changes().n - before).toBe(50);
  });

  test('a transaction that rolls back leaves nothing cached that would hide its activity', () => {
    storage.db.exec(
      "CREATE TRIGGER fail BEFORE INSERT ON activity_day_totals BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    const items = [stored(START, { anonymousId: 'a', userId: 'u' })];
    expect(() => commitItems(storage, 'p', items)).toThrow('disk full');
    storage.db.exec('DROP TRIGGER fail');
    commitItems(storage, 'p', items);
    expect(dailyActivity(storage, 'p', UTC, START / DAY_MS, START / DAY_MS)[0]!.dau).toBe(1);
  });
});

describe('activity math', () => {
  test('a new active day adds the part of [d, d+29] not covered by the days around it', () => {
    expect(addedCoverage(10, undefined, undefined)).toEqual([10, 39]);
    // Covered until 5+29 = 34 by the day before; the next active day 20 covers from 20 on.
    expect(addedCoverage(10, 5, 20)).toBeUndefined();
    expect(addedCoverage(40, 5, 50)).toEqual([40, 49]);
    expect(addedCoverage(40, 20, undefined)).toEqual([50, 69]);
  });

  test('coverage merges overlapping and touching windows', () => {
    // [0,29] [10,39] [40,69] [70,99] chain into one range; 120 stands apart.
    expect(coverage([0, 10, 40, 70, 120])).toEqual([
      [0, 99],
      [120, 149],
    ]);
    expect(coverage([0, 31])).toEqual([
      [0, 29],
      [31, 60],
    ]);
  });

  test('MAU counts a user on the 30 days from each active day and drops them on the 31st', () => {
    const counter = dayCounter(99, 140);
    counter.add(0, 100);
    counter.add(1, 100);
    counter.add(1, 100);
    counter.add(1, 110);
    const series = counter.series();
    const at = (day: number) => series.find((d) => d.day === day)!;
    expect(at(99)).toMatchObject({ dau: 0, mau: 0, stickiness: null });
    expect(at(100)).toMatchObject({ dau: 2, mau: 2, stickiness: 100 });
    expect(at(129)).toMatchObject({ dau: 0, mau: 2 });
    expect(at(130).mau).toBe(1);
    expect(at(139).mau).toBe(1);
    expect(at(140).mau).toBe(0);
  });

  test("the day counter refuses a user's days out of order rather than miscount", () => {
    const counter = dayCounter(0, 10);
    counter.add(0, 5);
    expect(() => counter.add(0, 4)).toThrow(RangeError);
  });
});

describe('local days', () => {
  test('Kathmandu (+5:45) starts its day at 18:15 UTC', () => {
    const kathmandu = zone('Asia/Kathmandu');
    expect(kathmandu.dayOf(Date.parse('2026-03-01T18:14:59Z'))).toBe(parseDay('2026-03-01'));
    expect(kathmandu.dayOf(Date.parse('2026-03-01T18:15:00Z'))).toBe(parseDay('2026-03-02'));
  });

  test('New York days follow daylight saving time', () => {
    const newYork = zone('America/New_York');
    // 8 March 2026 is 23 hours long: midnight is 05:00 UTC before it and 04:00 UTC after it.
    expect(newYork.dayOf(Date.parse('2026-03-08T04:59:00Z'))).toBe(parseDay('2026-03-07'));
    expect(newYork.dayOf(Date.parse('2026-03-08T05:00:00Z'))).toBe(parseDay('2026-03-08'));
    expect(newYork.dayOf(Date.parse('2026-03-09T03:59:00Z'))).toBe(parseDay('2026-03-08'));
    expect(newYork.dayOf(Date.parse('2026-03-09T04:00:00Z'))).toBe(parseDay('2026-03-09'));
  });

  test('an offset that is not whole quarter hours is refused rather than rounded', () => {
    // Liberia kept −0:44:30 until 1972.
    expect(() => zone('Africa/Monrovia').quarterDays(parseDay('1970-06-01')!)).toThrow(/quarter hours/);
  });
});

test('a database with items from before the rollup existed gets it built from them on open', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'cxkit-backfill-')), 'cxkit.db');
  storage.close();
  storage = openSqlite(file);
  storage.ensureProject({ id: 'p', name: 'P', writeKey: 'pk_p', readKey: 'sk_p', allowedOrigins: ['*'] });
  const history = randomHistory(5, 12_000, START, 72);
  history.push(stored(START + DAY_MS, { type: 'survey_shown', surveyId: 's1', anonymousId: 'anon-1' } as never));
  ingestShuffled(storage, history, 8);
  const before = dailyActivity(storage, 'p', UTC, FROM, TO);
  // As the database was before this release: items, and no rollup.
  storage.db.exec(`DELETE FROM activity_subject_days; DELETE FROM activity_user_days; DELETE FROM activity_day_totals;
    DELETE FROM identities; DELETE FROM survey_events; UPDATE rollup_state SET generation = 0`);
  storage.close();

  storage = openSqlite(file);
  expect(dailyActivity(storage, 'p', UTC, FROM, TO)).toEqual(before);
  expect(storage.shownTimes('p', 0, Date.now())).toEqual([START + DAY_MS]);
  expect(before.some((d) => d.dau > 0)).toBe(true);
});
