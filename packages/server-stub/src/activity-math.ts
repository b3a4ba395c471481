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

/** The daily series from each user's active days (sorted, distinct). */
export function seriesFromUserDays(users: Iterable<readonly number[]>, from: number, to: number): DailyActivity[] {
  const totals = new Map<number, DayTotals>();
  const at = (day: number) => {
    let entry = totals.get(day);
    if (!entry) totals.set(day, (entry = { day, dau: 0, mauDelta: 0 }));
    return entry;
  };
  for (const days of users) {
    for (const day of days) at(day).dau++;
    for (const [start, end] of coverage(days)) {
      at(start).mauDelta++;
      at(end + 1).mauDelta--;
    }
  }
  return seriesFromTotals([...totals.values()].sort((a, b) => a.day - b.day), from, to);
}
