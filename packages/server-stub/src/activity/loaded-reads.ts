// The planner's reads for an engine that loads state in a few batched queries instead of one
// query a read (PostgreSQL): answered from maps of what was loaded, recording every read the maps
// cannot answer. Planning is pure and cheap, so an adapter plans, loads what was missing in one
// query per kind, and plans again until nothing is missing:
//
//   const loaded = loadedActivity();
//   await load(readsNeeded(items), loaded);   // fills the maps below, absent keys included
//   for (;;) {
//     const missing = emptyKeys();
//     const changes = planActivity(items, loadedReads(loaded, missing), zone);
//     if (isEmpty(missing)) return changes;
//     await load(missing, loaded);
//   }
//
// readsNeeded() names what any batch reads first (identities and subject-days of its items); the
// user-days around the days of the users they resolve to, and for an identify that moves an
// anonymous id, the two users' subjects and all their days, come in the next round or two.
import { MAU_DAYS } from '../activity-math.js';
import { quarterOf, type Quarters } from './quarters.js';
import { dayAround } from './calendar-plan.js';
import type { ActivityItem, ActivityReads, CalendarName, DayAround, Identity } from './reads.js';

/** Keys to load, by kind; each kind is one query with `= ANY($2)` over the project. */
export interface ActivityKeys {
  /** Identities by anonymous id. */
  identities: Set<string>;
  /** The anonymous ids of these users (identities by user id). */
  anonymousIdsOf: Set<string>;
  /** Subject-days by subject and day. */
  subjectDays: Map<string, Set<number>>;
  /** Every subject-day of these subjects. */
  allSubjectDays: Set<string>;
  /** Per calendar, user-days by user from and to a day. */
  userDaysBetween: Record<CalendarName, Map<string, { from: number; to: number }>>;
  /** Per calendar, every user-day of these users. */
  allUserDays: Record<CalendarName, Set<string>>;
}

/** What was loaded; a key present with nothing (undefined, empty) was loaded and found absent. */
export interface LoadedActivity {
  identities: Map<string, Identity | undefined>;
  anonymousIdsOf: Map<string, readonly string[]>;
  /** Subject → day → quarters. */
  subjectDays: Map<string, Map<number, Quarters | undefined>>;
  /** Subjects whose every day is in subjectDays. */
  allSubjectDays: Set<string>;
  /** Per calendar, user → their days from `from` to `to` (−Infinity to Infinity: all of them). */
  userDays: Record<CalendarName, Map<string, { from: number; to: number; days: readonly number[] }>>;
}

export const emptyKeys = (): ActivityKeys => ({
  identities: new Set(),
  anonymousIdsOf: new Set(),
  subjectDays: new Map(),
  allSubjectDays: new Set(),
  userDaysBetween: { utc: new Map(), zone: new Map() },
  allUserDays: { utc: new Set(), zone: new Set() },
});

export const loadedActivity = (): LoadedActivity => ({
  identities: new Map(),
  anonymousIdsOf: new Map(),
  subjectDays: new Map(),
  allSubjectDays: new Set(),
  userDays: { utc: new Map(), zone: new Map() },
});

export const isEmpty = (keys: ActivityKeys): boolean =>
  keys.identities.size + keys.anonymousIdsOf.size + keys.subjectDays.size + keys.allSubjectDays.size === 0 &&
  (['utc', 'zone'] as const).every((calendar) => keys.userDaysBetween[calendar].size + keys.allUserDays[calendar].size === 0);

/** What planning these items reads first: the identities of their ids and their subject-days. */
export function readsNeeded(items: readonly ActivityItem[]): ActivityKeys {
  const keys = emptyKeys();
  for (const { item, at } of items) {
    keys.identities.add(item.anonymousId);
    if (item.type === 'identify') keys.identities.add(item.userId);
    addDay(keys.subjectDays, item.userId ?? item.anonymousId, quarterOf(at).day);
  }
  return keys;
}

/** The reads answered from `loaded`; what it cannot answer is added to `missing` and read as absent. */
export function loadedReads(loaded: LoadedActivity, missing: ActivityKeys): ActivityReads {
  const around = (calendar: CalendarName, user: string, day: number): DayAround => {
    const from = day - (MAU_DAYS - 1);
    const to = day + (MAU_DAYS - 1);
    const span = loaded.userDays[calendar].get(user);
    if (span && span.from <= from && span.to >= to) return dayAround(span.days, day);
    const wanted = missing.userDaysBetween[calendar].get(user);
    missing.userDaysBetween[calendar].set(user, {
      from: Math.min(from, wanted?.from ?? from, span?.from ?? from),
      to: Math.max(to, wanted?.to ?? to, span?.to ?? to),
    });
    return { active: false, previous: undefined, next: undefined };
  };
  return {
    identity(anonymousId) {
      if (!loaded.identities.has(anonymousId)) missing.identities.add(anonymousId);
      return loaded.identities.get(anonymousId);
    },
    anonymousIdsOf(userId) {
      const ids = loaded.anonymousIdsOf.get(userId);
      if (!ids) missing.anonymousIdsOf.add(userId);
      return ids ?? [];
    },
    subjectDay(subject, day) {
      const days = loaded.subjectDays.get(subject);
      if (!days?.has(day) && !loaded.allSubjectDays.has(subject)) addDay(missing.subjectDays, subject, day);
      return days?.get(day);
    },
    subjectDaysOf(subject) {
      if (!loaded.allSubjectDays.has(subject)) missing.allSubjectDays.add(subject);
      return [...(loaded.subjectDays.get(subject) ?? [])].flatMap(([day, quarters]) => (quarters ? [{ day, quarters }] : []));
    },
    userDayAround: around,
    userDays(calendar, user) {
      const span = loaded.userDays[calendar].get(user);
      if (span && span.from === -Infinity && span.to === Infinity) return span.days;
      missing.allUserDays[calendar].add(user);
      return [];
    },
  };
}

function addDay(map: Map<string, Set<number>>, subject: string, day: number): void {
  let days = map.get(subject);
  if (!days) map.set(subject, (days = new Set()));
  days.add(day);
}

