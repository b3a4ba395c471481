// The changes to one calendar of user-days and day totals, planned over the stored days and the
// batch's own changes so far: each new user-day adds its DAU and the MAU coverage it adds
// (activity-math.ts); replacing a user's days takes back all their coverage and adds the new.
import { addedCoverage, coverage, MAU_DAYS, type DayRange } from '../activity-math.js';
import type { ActivityReads, CalendarChanges, CalendarName } from './reads.js';

export interface CalendarPlan {
  /** The user was active on the day. */
  add(user: string, day: number): void;
  /** The user's days are now exactly these (sorted, distinct): after an identify moved subjects between users. */
  replace(user: string, days: readonly number[]): void;
  changes(): CalendarChanges;
}

/** A user's days as the batch changed them: all of them once replaced, else those it added. */
type Touched = { replaced: Set<number> | undefined; added: Set<number> };

export function calendarPlan(calendar: CalendarName, reads: Pick<ActivityReads, 'userDaysNear' | 'userDays'>): CalendarPlan {
  const users = new Map<string, Touched>();
  const totals = new Map<number, { dau: number; mauDelta: number }>();
  const change = (day: number, dau: number, mauDelta: number) => {
    const entry = totals.get(day);
    if (entry) {
      entry.dau += dau;
      entry.mauDelta += mauDelta;
    } else totals.set(day, { dau, mauDelta });
  };
  const cover = ([start, end]: DayRange, sign: 1 | -1) => {
    change(start, 0, sign);
    change(end + 1, 0, -sign);
  };

  return {
    add(user, day) {
      const touched = users.get(user);
      const near = touched?.replaced ?? [...reads.userDaysNear(calendar, user, day), ...(touched?.added ?? [])];
      let previous: number | undefined;
      let next: number | undefined;
      for (const other of near) {
        if (other === day) return;
        if (other < day && other >= day - (MAU_DAYS - 1) && (previous === undefined || other > previous)) previous = other;
        if (other > day && other <= day + (MAU_DAYS - 1) && (next === undefined || other < next)) next = other;
      }
      if (touched) (touched.replaced ?? touched.added).add(day);
      else users.set(user, { replaced: undefined, added: new Set([day]) });
      change(day, 1, 0);
      const added = addedCoverage(day, previous, next);
      if (added) cover(added, 1);
    },
    replace(user, days) {
      const touched = users.get(user);
      const before = touched?.replaced
        ? [...touched.replaced]
        : [...new Set([...reads.userDays(calendar, user), ...(touched?.added ?? [])])];
      before.sort((a, b) => a - b);
      for (const day of before) change(day, -1, 0);
      for (const range of coverage(before)) cover(range, -1);
      for (const day of days) change(day, 1, 0);
      for (const range of coverage(days)) cover(range, 1);
      users.set(user, { replaced: new Set(days), added: new Set() });
    },
    changes() {
      const result: CalendarChanges = { added: [], replaced: [], totals: [] };
      for (const [user, { replaced, added }] of users) {
        if (replaced) result.replaced.push({ user, days: [...replaced].sort((a, b) => a - b) });
        else for (const day of added) result.added.push({ user, day });
      }
      for (const [day, { dau, mauDelta }] of totals) if (dau !== 0 || mauDelta !== 0) result.totals.push({ day, dau, mauDelta });
      result.totals.sort((a, b) => a.day - b.day);
      return result;
    },
  };
}
