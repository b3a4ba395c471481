// DAU and MAU from days of activity. A user counts towards MAU on day D when they were active
// on any of the 30 days ending with D: each active day d "covers" [d, d + 29]. MAU over time is
// then a running sum of +1 where a user's coverage starts and −1 the day after it ends.

export const MAU_DAYS = 30;

export type DayRange = [start: number, end: number];

/**
 * The coverage a new active day adds for a user whose nearest active days before and after it
 * are `previous` and `next`: [max(d, previous + 30), min(d + 29, next − 1)], or nothing.
 */
export function addedCoverage(day: number, previous: number | undefined, next: number | undefined): DayRange | undefined {
  const start = previous === undefined ? day : Math.max(day, previous + MAU_DAYS);
  const end = next === undefined ? day + MAU_DAYS - 1 : Math.min(day + MAU_DAYS - 1, next - 1);
  return start <= end ? [start, end] : undefined;
}

/** The days covered by a user's active days (sorted, distinct), as disjoint ranges. */
export function coverage(days: readonly number[]): DayRange[] {
  const ranges: DayRange[] = [];
  for (const day of days) {
    const last = ranges[ranges.length - 1];
    if (last && day <= last[1] + 1) last[1] = day + MAU_DAYS - 1;
    else ranges.push([day, day + MAU_DAYS - 1]);
  }
  return ranges;
}

/** Per day: how many users were active, and the change in MAU from the day before. */
export interface DayTotals {
  day: number;
  dau: number;
  mauDelta: number;
}

export interface DailyActivity {
  day: number;
  dau: number;
  mau: number;
  /** DAU / MAU × 100; null when nobody was active in the 30 days. */
  stickiness: number | null;
}

/** The daily series from `from` to `to` out of day totals sorted by day (all days up to `to`). */
export function seriesFromTotals(totals: readonly DayTotals[], from: number, to: number): DailyActivity[] {
  const series: DailyActivity[] = [];
  let mau = 0;
  let index = 0;
  for (let day = from; day <= to; day++) {
    let dau = 0;
    for (; index < totals.length && totals[index]!.day <= day; index++) {
      mau += totals[index]!.mauDelta;
      if (totals[index]!.day === day) dau = totals[index]!.dau;
    }
    series.push({ day, dau, mau, stickiness: mau === 0 ? null : (100 * dau) / mau });
  }
  return series;
}

export interface DayCounter {
  /** A day a user (numbered from 0) was active; each user's days must come in order. */
  add(user: number, day: number): void;
  series(): DailyActivity[];
}

/** Counts DAU and MAU from `from` to `to` out of users' active days, without keeping the days. */
export function dayCounter(from: number, to: number): DayCounter {
  const first = from - (MAU_DAYS - 1);
  const totals = new Map<number, DayTotals>();
  const at = (day: number) => {
    let entry = totals.get(day);
    if (!entry) totals.set(day, (entry = { day, dau: 0, mauDelta: 0 }));
    return entry;
  };
  const last: number[] = [];
  return {
    add(user, day) {
      if (day < first || day > to) return;
      const previous = last[user];
      if (previous !== undefined && day <= previous) {
        if (day < previous) throw new RangeError(`user ${user}: day ${day} came after day ${previous}`);
        return;
      }
      at(day).dau++;
      const added = addedCoverage(day, previous, undefined);
      if (added) {
        at(added[0]).mauDelta++;
        at(added[1] + 1).mauDelta--;
      }
      last[user] = day;
    },
    series: () => seriesFromTotals([...totals.values()].sort((a, b) => a.day - b.day), from, to),
  };
}
