import { describe, expect, test } from 'vitest';
import { addedCoverage, coverage, dayCounter } from '../src/activity-math';
import { parseDay, zone } from '../src/calendar';

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
