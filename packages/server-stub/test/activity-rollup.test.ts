import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { dailyActivity } from '../src/activity-series';
import { DAY_MS, parseDay, UTC, zone } from '../src/calendar';
import { openTestStorage, type TestStorage } from './backend';
import { bruteForce, ingestShuffled, intlDayOf, randomHistory, stored } from './activity-fixtures';
import { commitItems } from './read-side-fixtures';

let storage: TestStorage;
beforeEach(async () => {
  storage = await openTestStorage();
  await storage.projects.ensure({ id: 'p', name: 'P', writeKey: 'pk_p', readKey: 'sk_p', allowedOrigins: ['*'] });
});
afterEach(async () => await storage.close());

const START = Date.parse('2026-02-20T00:00:00Z');
const FROM = parseDay('2026-03-01')!;
const TO = parseDay('2026-04-30')!;

describe('the activity rollup matches a brute-force count of the definitions', () => {
  const history = randomHistory(7, 4000, START, 72);

  test.each(['UTC', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham'])(
    'DAU and MAU for every day in %s, with identify merges and items arriving out of order',
    async (name) => {
      await ingestShuffled(storage, history, 11);
      const expected = bruteForce(history, name === 'UTC' ? (at) => Math.floor(at / DAY_MS) : intlDayOf(name), FROM, TO);
      const actual = await dailyActivity(storage.activity, 'p', name === 'UTC' ? UTC : zone(name), FROM, TO);
      expect(actual.map(({ day, dau, mau }) => ({ day, dau, mau }))).toEqual(expected);
      expect(expected.some((d) => d.dau > 0 && d.mau > d.dau)).toBe(true);
    },
  );

  test('the same items in another arrival order give the same rollup', async () => {
    await ingestShuffled(storage, history, 99);
    const first = await dailyActivity(storage.activity, 'p', UTC, FROM, TO);
    await storage.close();
    storage = await openTestStorage();
    await storage.projects.ensure({ id: 'p', name: 'P', writeKey: 'pk_p', readKey: 'sk_p', allowedOrigins: ['*'] });
    await ingestShuffled(storage, history, 3);
    expect(await dailyActivity(storage.activity, 'p', UTC, FROM, TO)).toEqual(first);
  });
});

describe('identity', () => {
  const day = (n: number) => START + n * DAY_MS + 10 * 3_600_000;

  test('a user who logs in mid-day counts once that day, and their anonymous days before count as theirs', async () => {
    await commitItems(storage, 'p', [
      stored(day(0), { anonymousId: 'a1' }),
      stored(day(1), { anonymousId: 'a1' }),
      stored(day(1) + 60_000, { type: 'identify', anonymousId: 'a1', userId: 'ada' } as never),
      stored(day(1) + 120_000, { anonymousId: 'a1', userId: 'ada' }),
    ]);
    const series = await dailyActivity(storage.activity, 'p', UTC, START / DAY_MS, START / DAY_MS + 1);
    expect(series.map((d) => [d.dau, d.mau])).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  test('an identify that arrives after the activity merges the two users', async () => {
    await commitItems(storage, 'p', [stored(day(0), { anonymousId: 'a1' }), stored(day(0), { anonymousId: 'a2', userId: 'ada' })]);
    expect((await dailyActivity(storage.activity, 'p', UTC, START / DAY_MS, START / DAY_MS))[0]!.dau).toBe(2);
    await commitItems(storage, 'p', [stored(day(3), { type: 'identify', anonymousId: 'a1', userId: 'ada' } as never)]);
    const [first] = await dailyActivity(storage.activity, 'p', UTC, START / DAY_MS, START / DAY_MS);
    expect(first).toMatchObject({ dau: 1, mau: 1, stickiness: 100 });
  });

  test('an anonymous id belongs to the user of its earliest identify, even when that arrives last', async () => {
    await commitItems(storage, 'p', [
      stored(day(0), { anonymousId: 'a1' }),
      stored(day(0), { anonymousId: 'x', userId: 'bob' }),
      stored(day(2), { type: 'identify', anonymousId: 'a1', userId: 'ada' } as never),
    ]);
    await commitItems(storage, 'p', [stored(day(1), { type: 'identify', anonymousId: 'a1', userId: 'bob' } as never)]);
    const series = await dailyActivity(storage.activity, 'p', UTC, START / DAY_MS, START / DAY_MS + 2);
    // Day 0: a1 is bob's, and bob was active: one user. Day 2: ada identified.
    expect(series.map((d) => d.dau)).toEqual([1, 1, 1]);
    expect(series[2]!.mau).toBe(2);
  });
});
