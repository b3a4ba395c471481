// The changes to one calendar of user-days and day totals, planned over the stored days and the
// batch's own changes so far: each new user-day adds its DAU and the MAU coverage it adds
// (activity-math.ts); replacing a user's days takes back all their coverage and adds the new.
import { addedCoverage, coverage, type DayRange } from '../activity-math.js';
import type { ActivityReads, CalendarChanges, CalendarName, DayAround } from './reads.js';

export interface CalendarPlan {
  /** The user was active on the day. */
  add(user: string, day: number): void;
  /** The user's days are now exactly these (sorted, distinct): after an identify moved subjects between users. */
  replace(user: string, days: readonly number[]): void;
  changes(): CalendarChanges;
}

/** A user's days as the batch changed them: all of them once replaced, else those it added. */
type Touched = { replaced: Set<number> | undefined; added: Set<number> };

export function calendarPlan(calendar: CalendarName, reads: Pick<ActivityReads, 'userDayAround' | 'userDays'>): CalendarPlan {
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
      const { active, previous, next } = touched?.replaced
        ? dayAround(touched.replaced, day)
        : closest(reads.userDayAround(calendar, user, day), touched && dayAround(touched.added, day));
      if (active) return;
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

/** Whether `day` is among the days, and the nearest of them before and after it. */
export function dayAround(days: Iterable<number>, day: number): DayAround {
  const around: DayAround = { active: false, previous: undefined, next: undefined };
  for (const other of days) {
    if (other === day) around.active = true;
    else if (other < day && (around.previous === undefined || other > around.previous)) around.previous = other;
    else if (other > day && (around.next === undefined || other < around.next)) around.next = other;
  }
  return around;
}

/** The stored days around a day together with the batch's own. */
function closest(stored: DayAround, added: DayAround | undefined): DayAround {
  if (!added) return stored;
  const pick = (a: number | undefined, b: number | undefined, better: (a: number, b: number) => number) =>
    a === undefined ? b : b === undefined ? a : better(a, b);
  return {
    active: stored.active || added.active,
    previous: pick(stored.previous, added.previous, Math.max),
    next: pick(stored.next, added.next, Math.min),
  };
}
