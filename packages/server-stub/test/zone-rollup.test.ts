// The calendar of the project's own time zone: kept by ingest, built after a change while ingest
// goes on, and read like the UTC one. Every day is checked against a brute-force count in zones
// with daylight saving time, half and three-quarter hour offsets, and a 30-minute DST shift.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { dailyActivity } from '../src/activity-series';
import { DAY_MS, parseDay, zone } from '../src/calendar';
import type { DailyActivity } from '../src/activity-math';
import { openTestStorage, type TestStorage } from './backend';
import { bruteForce, ingestShuffled, intlDayOf, randomHistory, stored } from './activity-fixtures';
import { commitItems } from './read-side-fixtures';

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham'];
// The range holds the spring DST changes of Europe and North America and the autumn ones of the
// southern hemisphere.
const START = Date.parse('2026-02-20T00:00:00Z');
const FROM = parseDay('2026-03-01')!;
const TO = parseDay('2026-04-30')!;
const history = randomHistory(7, 4000, START, 72);

let storage: TestStorage;
beforeEach(async () => {
  storage = await openTestStorage();
  await storage.projects.ensure({ id: 'p', name: 'P', writeKey: 'pk_p', readKey: 'sk_p', allowedOrigins: ['*'] });
});
afterEach(async () => await storage.close());

/** Runs the pending build to its end in steps of `rows`; the number of steps. */
async function build(rows = 25): Promise<number> {
  let steps = 0;
  while (await storage.activity.buildZoneStep(rows)) steps++;
  return steps;
}

const plain = (series: DailyActivity[]) => series.map(({ day, dau, mau }) => ({ day, dau, mau }));

/** The series read from the zone's calendar: reading the subject-days instead fails. */
async function keptSeries(name: string) {
  const reads = {
    ...storage.activity,
    forEachSubjectDay: async () => {
      throw new Error('read from the subject-days, not from the calendar');
    },
  };
  return plain(await dailyActivity(reads, 'p', zone(name), FROM, TO));
}

const expected = (items: typeof history, name: string) => bruteForce(items, intlDayOf(name), FROM, TO);

describe('the calendar of the project zone matches a brute-force count', () => {
  test.each(ZONES)('kept by ingest from the start, in %s', async (name) => {
    await storage.activity.setTimeZone('p', name);
    await build();
    await ingestShuffled(storage, history, 11);
    expect(await storage.activity.timeZone('p')).toEqual({ timeZone: name, ready: true });
    expect(await keptSeries(name)).toEqual(expected(history, name));
  });

  test.each(ZONES)('built after a change while items keep arriving, in %s', async (name) => {
    const split = Math.floor(history.length * 0.6);
    await ingestShuffled(storage, history.slice(0, split), 5);
    await storage.activity.setTimeZone('p', name);
    expect(await storage.activity.timeZone('p')).toEqual({ timeZone: name, ready: false });
    // Until the build is done, the series is computed from the subject-days, and exact.
    expect(plain(await dailyActivity(storage.activity, 'p', zone(name), FROM, TO))).toEqual(expected(history.slice(0, split), name));
    // One build step after each batch, until the build is done, then the rest of the batches.
    await ingestShuffled(storage, history.slice(split), 6, () => storage.activity.buildZoneStep(7));
    expect((await storage.activity.timeZone('p'))!.ready).toBe(false);
    expect(await build()).toBeGreaterThan(0);
    expect((await storage.activity.timeZone('p'))!.ready).toBe(true);
    expect(await keptSeries(name)).toEqual(expected(history, name));
  });
});

describe('changing the zone', () => {
  const calendarRows = async () =>
    Number((await storage.rows<{ n: unknown }>('SELECT (SELECT COUNT(*) FROM activity_zone_user_days) + (SELECT COUNT(*) FROM activity_zone_day_totals) AS n'))[0]!.n);

  test('a change during a build starts it over for the new zone; the zone before is cleared first', async () => {
    await ingestShuffled(storage, history.slice(0, 2000), 1);
    await storage.activity.setTimeZone('p', 'Asia/Kolkata');
    for (let i = 0; i < 20; i++) await storage.activity.buildZoneStep(25);
    await storage.activity.setTimeZone('p', 'America/New_York');
    await ingestShuffled(storage, history.slice(2000), 2);
    await build();
    expect(await keptSeries('America/New_York')).toEqual(expected(history, 'America/New_York'));

    await storage.activity.setTimeZone('p', 'Asia/Kathmandu');
    expect((await storage.activity.timeZone('p'))!.ready).toBe(false);
    await build();
    expect(await keptSeries('Asia/Kathmandu')).toEqual(expected(history, 'Asia/Kathmandu'));
  });

  test('back to UTC: the calendar is cleared and ingest writes no zone days', async () => {
    await storage.activity.setTimeZone('p', 'Europe/Berlin');
    await build();
    await ingestShuffled(storage, history, 3);
    expect(await calendarRows()).toBeGreaterThan(0);
    await storage.activity.setTimeZone('p', 'UTC');
    await build();
    expect(await storage.activity.timeZone('p')).toEqual({ timeZone: 'UTC', ready: true });
    await commitItems(storage, 'p', [stored(START, { anonymousId: 'late' })]);
    expect(await calendarRows()).toBe(0);
  });

  test('setting the zone it has already does not rebuild; an unknown project is refused', async () => {
    await storage.activity.setTimeZone('p', 'Europe/Berlin');
    await build();
    expect(await storage.activity.setTimeZone('p', 'Europe/Berlin')).toBe(true);
    expect((await storage.activity.timeZone('p'))!.ready).toBe(true);
    expect(await storage.activity.setTimeZone('nope', 'Europe/Berlin')).toBe(false);
  });

  test('a name for the same zone is read from its calendar: Asia/Calcutta is Asia/Kolkata', async () => {
    await storage.activity.setTimeZone('p', 'Asia/Kolkata');
    await build();
    await ingestShuffled(storage, history, 4);
    expect(await keptSeries('Asia/Calcutta')).toEqual(expected(history, 'Asia/Kolkata'));
  });
});

describe('ingest', () => {
  test('a quarter hour that starts a new local day within a known UTC day counts that day', async () => {
    await storage.activity.setTimeZone('p', 'America/New_York');
    await build();
    const utcDay = Date.parse('2026-03-10T00:00:00Z');
    // 03:00 UTC is 23:00 on 9 March in New York, 05:00 UTC is 01:00 on 10 March.
    await commitItems(storage, 'p', [stored(utcDay + 3 * 3_600_000, { anonymousId: 'a' })]);
    await commitItems(storage, 'p', [stored(utcDay + 3 * 3_600_000 + 60_000, { anonymousId: 'a' })]);
    await commitItems(storage, 'p', [stored(utcDay + 5 * 3_600_000, { anonymousId: 'a' })]);
    const days = (await storage.rows<{ day: number }>('SELECT day FROM activity_zone_user_days ORDER BY day')).map((row) => row.day);
    expect(days).toEqual([parseDay('2026-03-09'), parseDay('2026-03-10')]);
  });

  test('activity from before the zone had whole quarter-hour offsets is stored, not refused', async () => {
    // Liberia kept −0:44:30 until 1972; a device clock can claim any date.
    await storage.activity.setTimeZone('p', 'Africa/Monrovia');
    await build();
    const result = await commitItems(storage, 'p', [stored(Date.parse('1971-06-01T12:00:00Z'), { anonymousId: 'a' }), stored(START, { anonymousId: 'a' })]);
    expect(result.accepted).toBe(2);
    expect(await storage.activity.zoneTotals('p', START / DAY_MS + 30)).toEqual([
      { day: START / DAY_MS, dau: 1, mauDelta: 1 },
      { day: START / DAY_MS + 30, dau: 0, mauDelta: -1 },
    ]);
  });
});
