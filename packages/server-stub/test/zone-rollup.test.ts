// The calendar of the project's own time zone: kept by ingest, built after a change while ingest
// goes on, and read like the UTC one. Every day is checked against a brute-force count in zones
// with daylight saving time, half and three-quarter hour offsets, and a 30-minute DST shift.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { dailyActivity } from '../src/activity-series';
import { DAY_MS, parseDay, zone } from '../src/calendar';
import { openSqlite } from '../src/sqlite';
import { bruteForce, ingestShuffled, intlDayOf, randomHistory, stored } from './activity-fixtures';
import { commitItems } from './read-side-fixtures';

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham'];
// The range holds the spring DST changes of Europe and North America and the autumn ones of the
// southern hemisphere.
const START = Date.parse('2026-02-20T00:00:00Z');
const FROM = parseDay('2026-03-01')!;
const TO = parseDay('2026-04-30')!;
const history = randomHistory(7, 4000, START, 72);

let storage: ReturnType<typeof openSqlite>;
beforeEach(() => {
  storage = openSqlite(':memory:');
  storage.ensureProject({ id: 'p', name: 'P', writeKey: 'pk_p', readKey: 'sk_p', allowedOrigins: ['*'] });
});
afterEach(() => storage.close());

/** Runs the pending build to its end in steps of `rows`; the number of steps. */
function build(rows = 25): number {
  let steps = 0;
  while (storage.buildZoneRollup(rows)) steps++;
  return steps;
}

const plain = (series: ReturnType<typeof dailyActivity>) => series.map(({ day, dau, mau }) => ({ day, dau, mau }));

/** The series read from the zone's calendar: reading the subject-days instead fails. */
function keptSeries(name: string) {
  const reads = {
    ...storage,
    forEachSubjectDay: () => {
      throw new Error('read from the subject-days, not from the calendar');
    },
  };
  return plain(dailyActivity(reads, 'p', zone(name), FROM, TO));
}

const expected = (items: typeof history, name: string) => bruteForce(items, intlDayOf(name), FROM, TO);

describe('the calendar of the project zone matches a brute-force count', () => {
  test.each(ZONES)('kept by ingest from the start, in %s', (name) => {
    storage.setTimeZone('p', name);
    build();
    ingestShuffled(storage, history, 11);
    expect(storage.timeZone('p')).toEqual({ timeZone: name, ready: true });
    expect(keptSeries(name)).toEqual(expected(history, name));
  });

  test.each(ZONES)('built after a change while items keep arriving, in %s', (name) => {
    const split = Math.floor(history.length * 0.6);
    ingestShuffled(storage, history.slice(0, split), 5);
    storage.setTimeZone('p', name);
    expect(storage.timeZone('p')).toEqual({ timeZone: name, ready: false });
    // Until the build is done, the series is computed from the subject-days, and exact.
    expect(plain(dailyActivity(storage, 'p', zone(name), FROM, TO))).toEqual(expected(history.slice(0, split), name));
    // One build step after each batch, until the build is done, then the rest of the batches.
    ingestShuffled(storage, history.slice(split), 6, () => storage.buildZoneRollup(7));
    expect(storage.timeZone('p')!.ready).toBe(false);
    expect(build()).toBeGreaterThan(0);
    expect(storage.timeZone('p')!.ready).toBe(true);
    expect(keptSeries(name)).toEqual(expected(history, name));
  });
});

describe('changing the zone', () => {
  const calendarRows = () =>
    storage.db.prepare("SELECT (SELECT COUNT(*) FROM activity_zone_user_days) + (SELECT COUNT(*) FROM activity_zone_day_totals)").pluck().get();

  test('a change during a build starts it over for the new zone; the zone before is cleared first', () => {
    ingestShuffled(storage, history.slice(0, 2000), 1);
    storage.setTimeZone('p', 'Asia/Kolkata');
    for (let i = 0; i < 20; i++) storage.buildZoneRollup(25);
    storage.setTimeZone('p', 'America/New_York');
    ingestShuffled(storage, history.slice(2000), 2);
    build();
    expect(keptSeries('America/New_York')).toEqual(expected(history, 'America/New_York'));

    storage.setTimeZone('p', 'Asia/Kathmandu');
    expect(storage.timeZone('p')!.ready).toBe(false);
    build();
    expect(keptSeries('Asia/Kathmandu')).toEqual(expected(history, 'Asia/Kathmandu'));
  });

  test('back to UTC: the calendar is cleared and ingest writes no zone days', () => {
    storage.setTimeZone('p', 'Europe/Berlin');
    build();
    ingestShuffled(storage, history, 3);
    expect(calendarRows()).toBeGreaterThan(0);
    storage.setTimeZone('p', 'UTC');
    build();
    expect(storage.timeZone('p')).toEqual({ timeZone: 'UTC', ready: true });
    commitItems(storage, 'p', [stored(START, { anonymousId: 'late' })]);
    expect(calendarRows()).toBe(0);
  });

  test('setting the zone it has already does not rebuild; an unknown project is refused', () => {
    storage.setTimeZone('p', 'Europe/Berlin');
    build();
    expect(storage.setTimeZone('p', 'Europe/Berlin')).toBe(true);
    expect(storage.timeZone('p')!.ready).toBe(true);
    expect(storage.setTimeZone('nope', 'Europe/Berlin')).toBe(false);
  });

  test('a name for the same zone is read from its calendar: Asia/Calcutta is Asia/Kolkata', () => {
    storage.setTimeZone('p', 'Asia/Kolkata');
    build();
    ingestShuffled(storage, history, 4);
    expect(keptSeries('Asia/Calcutta')).toEqual(expected(history, 'Asia/Kolkata'));
  });
});

describe('ingest', () => {
  test('a quarter hour that starts a new local day within a known UTC day counts that day', () => {
    storage.setTimeZone('p', 'America/New_York');
    build();
    const utcDay = Date.parse('2026-03-10T00:00:00Z');
    // 03:00 UTC is 23:00 on 9 March in New York, 05:00 UTC is 01:00 on 10 March.
    commitItems(storage, 'p', [stored(utcDay + 3 * 3_600_000, { anonymousId: 'a' })]);
    commitItems(storage, 'p', [stored(utcDay + 3 * 3_600_000 + 60_000, { anonymousId: 'a' })]);
    commitItems(storage, 'p', [stored(utcDay + 5 * 3_600_000, { anonymousId: 'a' })]);
    const days = storage.db.prepare('SELECT day FROM activity_zone_user_days ORDER BY day').pluck().all();
    expect(days).toEqual([parseDay('2026-03-09'), parseDay('2026-03-10')]);
  });

  test('activity from before the zone had whole quarter-hour offsets is stored, not refused', () => {
    // Liberia kept −0:44:30 until 1972; a device clock can claim any date.
    storage.setTimeZone('p', 'Africa/Monrovia');
    build();
    const result = commitItems(storage, 'p', [stored(Date.parse('1971-06-01T12:00:00Z'), { anonymousId: 'a' }), stored(START, { anonymousId: 'a' })]);
    expect(result.accepted).toBe(2);
    expect(storage.zoneActivityTotals('p', START / DAY_MS + 30)).toEqual([
      { day: START / DAY_MS, dau: 1, mauDelta: 1 },
      { day: START / DAY_MS + 30, dau: 0, mauDelta: -1 },
    ]);
  });
});
