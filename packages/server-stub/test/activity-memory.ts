// The activity rollup kept in maps: the planner's reads answered from them and its changes applied
// to them, so the planner is tested without a database.
import { seriesFromTotals } from '../src/activity-math';
import { dayAround } from '../src/activity/calendar-plan';
import { unionOf, type Quarters } from '../src/activity/quarters';
import type { ActivityChanges, ActivityReads, CalendarChanges, CalendarName, Identity } from '../src/activity/reads';

export function memoryActivity() {
  const identities = new Map<string, Identity>();
  const subjectDays = new Map<string, Map<number, Quarters>>();
  const userDays = { utc: new Map<string, Set<number>>(), zone: new Map<string, Set<number>>() };
  const totals = { utc: new Map<number, { dau: number; mauDelta: number }>(), zone: new Map<number, { dau: number; mauDelta: number }>() };

  const reads: ActivityReads = {
    identity: (anonymousId) => identities.get(anonymousId),
    anonymousIdsOf: (userId) => [...identities].filter(([, identity]) => identity.userId === userId).map(([id]) => id),
    subjectDay: (subject, day) => subjectDays.get(subject)?.get(day),
    subjectDaysOf: (subject) => [...(subjectDays.get(subject) ?? [])].map(([day, quarters]) => ({ day, quarters })),
    userDayAround: (calendar, user, day) => dayAround(userDays[calendar].get(user) ?? [], day),
    userDays: (calendar, user) => [...(userDays[calendar].get(user) ?? [])],
  };

  function applyCalendar(calendar: CalendarName, changes: CalendarChanges): void {
    for (const { user, days } of changes.replaced) userDays[calendar].set(user, new Set(days));
    for (const { user, day } of changes.added) {
      if (!userDays[calendar].has(user)) userDays[calendar].set(user, new Set());
      userDays[calendar].get(user)!.add(day);
    }
    for (const { day, dau, mauDelta } of changes.totals) {
      const entry = totals[calendar].get(day) ?? { dau: 0, mauDelta: 0 };
      totals[calendar].set(day, { dau: entry.dau + dau, mauDelta: entry.mauDelta + mauDelta });
    }
  }

  return {
    reads,
    identities,
    userDays,
    apply(changes: ActivityChanges): void {
      for (const { subject, day, quarters } of changes.subjectDays) {
        if (!subjectDays.has(subject)) subjectDays.set(subject, new Map());
        const days = subjectDays.get(subject)!;
        days.set(day, unionOf(days.get(day) ?? [0, 0, 0], quarters));
      }
      for (const { anonymousId, ...identity } of changes.identities) identities.set(anonymousId, identity);
      applyCalendar('utc', changes.utc);
      applyCalendar('zone', changes.zone);
    },
    applyCalendar,
    /** DAU and MAU per day from the calendar's day totals. */
    series(calendar: CalendarName, from: number, to: number) {
      const sorted = [...totals[calendar]].map(([day, t]) => ({ day, ...t })).sort((a, b) => a.day - b.day);
      return seriesFromTotals(sorted, from, to).map(({ day, dau, mau }) => ({ day, dau, mau }));
    },
    allSubjectDays: () => [...subjectDays].flatMap(([subject, days]) => [...days].map(([day, quarters]) => ({ subject, day, quarters }))),
  };
}
