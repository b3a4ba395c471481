// The activity planner alone: committed items and the rollup as stored before them in, changes
// out, with the rollup kept in maps (activity-memory.ts) instead of a database.
import { describe, expect, test } from 'vitest';
import { emptyKeys, isEmpty, loadedActivity, loadedReads, readsNeeded, type ActivityKeys, type LoadedActivity } from '../src/activity/loaded-reads';
import { planActivity, planZoneReplay } from '../src/activity/plan';
import type { ActivityReads } from '../src/activity/reads';
import { seenCache } from '../src/activity/seen-cache';
import { DAY_MS, parseDay, zone as zoneNamed, type Zone } from '../src/calendar';
import { seededRandom } from '../src/seeded-random';
import type { StoredItem } from '../src/storage';
import { memoryActivity } from './activity-memory';
import { bruteForce, intlDayOf, randomHistory, stored } from './activity-fixtures';

const D = parseDay('2026-03-02')!;
const at = (day: number, hours = 10) => day * DAY_MS + hours * 3_600_000;
const active = (time: number, anonymousId: string, userId?: string) => stored(time, { anonymousId, ...(userId ? { userId } : {}) });
const identify = (time: number, anonymousId: string, userId: string) =>
  stored(time, { type: 'identify', anonymousId, userId } as Parameters<typeof stored>[1]);

/** Plans and applies each batch in turn; the changes of the last. */
function run(memory: ReturnType<typeof memoryActivity>, batches: StoredItem[][], zone?: Zone) {
  let changes = planActivity([], memory.reads, zone);
  for (const batch of batches) {
    changes = planActivity(batch, memory.reads, zone);
    memory.apply(changes);
  }
  return changes;
}

describe('a new user-day', () => {
  test('adds DAU on the day and MAU for the 30 days from it', () => {
    const changes = run(memoryActivity(), [[active(at(D), 'a', 'u')]]);
    expect(changes.subjectDays).toEqual([{ subject: 'u', day: D, quarters: [0, 1 << 8, 0] }]);
    expect(changes.utc).toEqual({
      added: [{ user: 'u', day: D }],
      replaced: [],
      totals: [
        { day: D, dau: 1, mauDelta: 1 },
        { day: D + 30, dau: 0, mauDelta: -1 },
      ],
    });
    expect(changes.zone).toEqual({ added: [], replaced: [], totals: [] });
    expect(changes.identities).toEqual([]);
  });

  test('a quarter hour already recorded changes nothing', () => {
    const memory = memoryActivity();
    run(memory, [[active(at(D), 'a', 'u')]]);
    const again = run(memory, [[active(at(D) + 60_000, 'a', 'u')]]);
    expect(again).toEqual({
      subjectDays: [],
      identities: [],
      utc: { added: [], replaced: [], totals: [] },
      zone: { added: [], replaced: [], totals: [] },
    });
  });

  test('the same day twice in one batch is one user-day; both quarter hours are recorded', () => {
    const changes = run(memoryActivity(), [[active(at(D, 1), 'a', 'u'), active(at(D, 9), 'a', 'u'), active(at(D, 9), 'b', 'u')]]);
    expect(changes.subjectDays).toEqual([{ subject: 'u', day: D, quarters: [1 << 4, 1 << 4, 0] }]);
    expect(changes.utc.added).toEqual([{ user: 'u', day: D }]);
    expect(changes.utc.totals).toEqual([
      { day: D, dau: 1, mauDelta: 1 },
      { day: D + 30, dau: 0, mauDelta: -1 },
    ]);
  });

  test.each([
    ['no days around', [], [D, D + 29]],
    ['a day 40 before (covering nothing of it)', [D - 40], [D, D + 29]],
    ['a day 10 before', [D - 10], [D + 20, D + 29]],
    ['a day 5 after', [D + 5], [D, D + 4]],
    ['days 10 before and 5 after', [D - 10, D + 5], undefined],
    ['days 29 before and 29 after', [D - 29, D + 29], [D + 1, D + 28]],
  ])('MAU coverage next to the user’s other days: %s', (_name, days: number[], added: number[] | undefined) => {
    const memory = memoryActivity();
    run(memory, [days.map((day) => active(at(day), 'a', 'u'))]);
    const changes = run(memory, [[active(at(D), 'a', 'u')]]);
    const mau = changes.utc.totals.filter((t) => t.mauDelta !== 0).map((t) => [t.day, t.mauDelta]);
    expect(mau).toEqual(added ? [[added[0]!, 1], [added[1]! + 1, -1]] : []);
    expect(changes.utc.totals.find((t) => t.day === D)?.dau).toBe(1);
  });
});

describe('identify', () => {
  test("merges an anonymous id's days into the user's: days replaced, totals exact", () => {
    const memory = memoryActivity();
    run(memory, [[active(at(D), 'a1'), active(at(D + 1), 'a1'), active(at(D + 1), 'x', 'ada')]]);
    expect(memory.series('utc', D, D + 1)).toEqual([
      { day: D, dau: 1, mau: 1 },
      { day: D + 1, dau: 2, mau: 2 },
    ]);
    const changes = run(memory, [[identify(at(D + 3), 'a1', 'ada')]]);
    expect(changes.identities).toEqual([{ anonymousId: 'a1', userId: 'ada', at: at(D + 3), itemId: expect.any(String) }]);
    expect(changes.utc.replaced).toEqual([
      { user: 'a1', days: [] },
      { user: 'ada', days: [D, D + 1, D + 3] },
    ]);
    expect(changes.utc.added).toEqual([]);
    expect(memory.series('utc', D, D + 3)).toEqual([
      { day: D, dau: 1, mau: 1 },
      { day: D + 1, dau: 1, mau: 1 },
      { day: D + 2, dau: 0, mau: 1 },
      { day: D + 3, dau: 1, mau: 1 },
    ]);
  });

  test('activity after the identify in the same batch counts for the user, not the anonymous id', () => {
    const memory = memoryActivity();
    const changes = run(memory, [[active(at(D), 'a1'), identify(at(D, 11), 'a1', 'ada'), active(at(D + 2), 'a1')]]);
    expect(changes.utc.replaced).toEqual([
      { user: 'a1', days: [] },
      { user: 'ada', days: [D, D + 2] },
    ]);
    expect(memory.userDays.utc.get('ada')).toEqual(new Set([D, D + 2]));
    expect(memory.series('utc', D, D + 2).map((d) => d.mau)).toEqual([1, 1, 1]);
  });

  test.each([
    ['in one batch', (first: StoredItem, second: StoredItem) => [[first, second]]],
    ['in two batches', (first: StoredItem, second: StoredItem) => [[first], [second]]],
  ])('out of order, the earliest identify wins (%s)', (_name, batches) => {
    const memory = memoryActivity();
    run(memory, [[active(at(D), 'a1'), active(at(D), 'x', 'bob'), active(at(D), 'y', 'ada')]]);
    run(memory, batches(identify(at(D + 2), 'a1', 'ada'), identify(at(D + 1), 'a1', 'bob')));
    expect(memory.identities.get('a1')?.userId).toBe('bob');
    // Day D: a1 is bob's, so bob and ada were active.
    expect(memory.series('utc', D, D)).toEqual([{ day: D, dau: 2, mau: 2 }]);
    expect(memory.userDays.utc.get('a1') ?? new Set()).toEqual(new Set());
    expect(memory.userDays.utc.get('ada')).toEqual(new Set([D, D + 2]));
  });
});

describe('the zone calendar', () => {
  const newYork = zoneNamed('America/New_York');
  const march8 = parseDay('2026-03-08')!;

  test.each([
    // 8 March 2026 in New York is 23 hours long: midnight is 05:00 UTC before it, 04:00 UTC after.
    ['04:45 and 05:15 UTC on 8 March fall on 7 and 8 March', march8, [4.75, 5.25], ['2026-03-07', '2026-03-08']],
    ['03:30 UTC on 9 March is still 8 March, 04:00 is 9 March', march8 + 1, [3.5, 4], ['2026-03-08', '2026-03-09']],
    ['two quarter hours of one local day are one user-day', march8 + 1, [10, 11], ['2026-03-09']],
  ])('%s', (_name, utcDay, hours, localDays) => {
    const memory = memoryActivity();
    const changes = run(memory, hours.map((h) => [active(at(utcDay, h), 'a')]), newYork);
    expect(memory.userDays.utc.get('a')).toEqual(new Set([utcDay]));
    expect([...memory.userDays.zone.get('a')!].sort()).toEqual(localDays.map((d) => parseDay(d)));
    expect(changes.utc.added).toEqual([]);
  });

  test('no zone kept, no zone changes', () => {
    const changes = run(memoryActivity(), [[active(at(D), 'a')]], undefined);
    expect(changes.zone).toEqual({ added: [], replaced: [], totals: [] });
  });
});

describe('planner and maps together match a brute-force count', () => {
  const START = Date.parse('2026-02-20T00:00:00Z');
  const FROM = parseDay('2026-03-01')!;
  const TO = parseDay('2026-04-30')!;
  const history = randomHistory(21, 3000, START, 72);

  function batchesOf(items: StoredItem[], seed: number): StoredItem[][] {
    const next = seededRandom(seed);
    const shuffled = [...items];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const batches: StoredItem[][] = [];
    for (let i = 0; i < shuffled.length; ) {
      const size = 1 + Math.floor(next() * 120);
      batches.push(shuffled.slice(i, i + size));
      i += size;
    }
    return batches;
  }

  test.each(['America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'])(
    'in UTC and in %s, in random batches, each planned twice as a retry would be',
    (name) => {
      const memory = memoryActivity();
      const zone = zoneNamed(name);
      for (const batch of batchesOf(history, 4)) {
        memory.apply(planActivity(batch, memory.reads, zone));
        const retry = planActivity(batch, memory.reads, zone);
        expect(retry.subjectDays.length + retry.identities.length + retry.utc.totals.length + retry.zone.totals.length).toBe(0);
      }
      expect(memory.series('utc', FROM, TO)).toEqual(bruteForce(history, (t) => Math.floor(t / DAY_MS), FROM, TO));
      expect(memory.series('zone', FROM, TO)).toEqual(bruteForce(history, intlDayOf(name), FROM, TO));
    },
  );

  test('a zone calendar replayed from the subject-days while items keep arriving', () => {
    const memory = memoryActivity();
    const zone = zoneNamed('Pacific/Chatham');
    const batches = batchesOf(history, 9);
    const split = Math.floor(batches.length / 2);
    for (const batch of batches.slice(0, split)) memory.apply(planActivity(batch, memory.reads, undefined));
    const earlier = memory.allSubjectDays();
    // Ingest keeps the zone from here on; the replay goes behind it, a few subject-days at a time.
    for (const [index, batch] of batches.slice(split).entries()) {
      memory.apply(planActivity(batch, memory.reads, zone));
      const rows = earlier.slice(index * 50, index * 50 + 50);
      memory.applyCalendar('zone', planZoneReplay(rows, memory.reads, zone));
    }
    for (let i = (batches.length - split) * 50; i < earlier.length; i += 50) {
      memory.applyCalendar('zone', planZoneReplay(earlier.slice(i, i + 50), memory.reads, zone));
    }
    expect(memory.series('zone', FROM, TO)).toEqual(bruteForce(history, intlDayOf('Pacific/Chatham'), FROM, TO));
  });
});

describe('the seen-cache', () => {
  test('skips activity in a quarter hour it learnt was recorded, never identifies, and is bounded', () => {
    const cache = seenCache(2);
    const items = [active(at(D), 'a', 'u'), active(at(D, 11), 'a', 'u'), identify(at(D), 'a', 'u')];
    expect(cache.unseen('p', items)).toEqual(items);
    cache.learn('p', [{ subject: 'u', day: D, quarters: [0, 1 << 8, 0] }]);
    expect(cache.unseen('p', items)).toEqual(items.slice(1));
    expect(cache.unseen('other', items)).toEqual(items);
    cache.learn('p', [
      { subject: 'v', day: D, quarters: [1, 0, 0] },
      { subject: 'w', day: D, quarters: [1, 0, 0] },
    ]);
    // The oldest subject-day made room: its activity is planned again (and changes nothing).
    expect(cache.unseen('p', items)).toEqual(items);
  });
});

describe('planning over loaded maps, as an engine that batches its queries does', () => {
  /** Loads the keys from the stored rollup, one pass a kind, as one query a kind would. */
  function load(stored: ActivityReads, keys: ActivityKeys, loaded: LoadedActivity): void {
    for (const id of keys.identities) loaded.identities.set(id, stored.identity(id));
    for (const user of keys.anonymousIdsOf) loaded.anonymousIdsOf.set(user, stored.anonymousIdsOf(user));
    for (const [subject, days] of keys.subjectDays) {
      if (!loaded.subjectDays.has(subject)) loaded.subjectDays.set(subject, new Map());
      for (const day of days) loaded.subjectDays.get(subject)!.set(day, stored.subjectDay(subject, day));
    }
    for (const subject of keys.allSubjectDays) {
      loaded.subjectDays.set(subject, new Map(stored.subjectDaysOf(subject).map(({ day, quarters }) => [day, quarters])));
      loaded.allSubjectDays.add(subject);
    }
    for (const calendar of ['utc', 'zone'] as const) {
      for (const [user, { from, to }] of keys.userDaysBetween[calendar]) {
        const days = stored.userDays(calendar, user).filter((day) => day >= from && day <= to);
        loaded.userDays[calendar].set(user, { from, to, days });
      }
      for (const user of keys.allUserDays[calendar]) {
        loaded.userDays[calendar].set(user, { from: -Infinity, to: Infinity, days: stored.userDays(calendar, user) });
      }
    }
  }

  test('gives the changes planning over the stored rollup gives, in a few rounds of loading', () => {
    const history = randomHistory(33, 2500, Date.parse('2026-02-20T00:00:00Z'), 72);
    const zone = zoneNamed('Europe/Berlin');
    const memory = memoryActivity();
    let mostRounds = 0;
    for (let i = 0; i < history.length; i += 40) {
      const items = history.slice(i, i + 40);
      const loaded = loadedActivity();
      load(memory.reads, readsNeeded(items), loaded);
      let rounds = 1;
      for (;;) {
        const missing = emptyKeys();
        const changes = planActivity(items, loadedReads(loaded, missing), zone);
        if (isEmpty(missing)) {
          expect(changes).toEqual(planActivity(items, memory.reads, zone));
          memory.apply(changes);
          break;
        }
        load(memory.reads, missing, loaded);
        rounds++;
      }
      mostRounds = Math.max(mostRounds, rounds);
    }
    // The items' identities and subject-days, then the user-days around them and the subjects an
    // identify moves, then all the days of the users it moves them between.
    expect(mostRounds).toBeLessThanOrEqual(3);
    expect(memory.series('zone', parseDay('2026-03-01')!, parseDay('2026-04-30')!)).toEqual(
      bruteForce(history, intlDayOf('Europe/Berlin'), parseDay('2026-03-01')!, parseDay('2026-04-30')!),
    );
  });
});
