// Pure: the changes a batch of committed items makes to a project's activity rollup, from what the
// rollup held before it (ActivityReads). No I/O; each engine loads what the plan reads and applies
// what it returns in the transaction that stores the items.
import type { IdentifyItem } from '@cxkit/protocol';
import type { Zone } from '../calendar.js';
import { calendarPlan } from './calendar-plan.js';
import { hasQuarter, localDaysOf, NO_QUARTERS, onSameLocalDay, quarterDays, quarterOf, withQuarter, type Quarters } from './quarters.js';
import type { ActivityChanges, ActivityItem, ActivityReads, CalendarChanges, Identity, SubjectDay } from './reads.js';

/**
 * The rollup DAU/MAU are read from:
 * - subject-days: per UTC day and subject (the item's userId, else its anonymousId), the quarter
 *   hours with activity, so local days are exact in any zone;
 * - identities: anonymous id → user id, from the earliest identify of that anonymous id;
 * - two calendars of user-days and day totals: UTC days, and the days of the project's time zone
 *   (`zone`, given only while its calendar is kept: not UTC, not being cleared for a new zone).
 * Items later in the batch see the changes of earlier ones. A quarter hour already recorded
 * changes nothing, so planning the same items twice changes nothing the second time.
 */
export function planActivity(items: readonly ActivityItem[], reads: ActivityReads, zone: Zone | undefined): ActivityChanges {
  const batch = overlay(reads);
  const utc = calendarPlan('utc', reads);
  const local = calendarPlan('zone', reads);

  // An anonymous id belongs to the user of its earliest identify, whatever order items arrive in.
  function identify(item: IdentifyItem, at: number): void {
    if (item.anonymousId === item.userId) return;
    const known = batch.identity(item.anonymousId);
    if (known && (known.at < at || (known.at === at && known.itemId <= item.id))) return;
    batch.setIdentity(item.anonymousId, { userId: item.userId, at, itemId: item.id });
    if (known?.userId === item.userId) return;
    for (const user of [known?.userId ?? item.anonymousId, item.userId]) {
      // A user's days come from the subjects that are theirs now: their own, and the anonymous ids
      // that identified as them; a user who is an alias themselves has none.
      const aliased = batch.identity(user) !== undefined;
      const rows = aliased ? [] : [user, ...batch.anonymousIdsOf(user)].flatMap((subject) => batch.subjectDaysOf(subject));
      utc.replace(user, distinctSorted(rows.map(({ day }) => day)));
      if (zone) local.replace(user, distinctSorted(rows.flatMap(({ day, quarters }) => localDaysOf(zone, day, quarters))));
    }
  }

  for (const { item, at } of items) {
    if (item.type === 'identify') identify(item, at);
    const subject = item.userId ?? item.anonymousId;
    const { day, quarter } = quarterOf(at);
    const known = batch.subjectDay(subject, day);
    if (known && hasQuarter(known, quarter)) continue;
    batch.setSubjectDay(subject, day, withQuarter(known ?? NO_QUARTERS, quarter));
    const user = item.userId ?? batch.identity(item.anonymousId)?.userId ?? item.anonymousId;
    // A recorded subject-day has its UTC day in its user's days; in the zone, the local days of
    // its quarter hours.
    if (!known) utc.add(user, day);
    const localDays = zone && quarterDays(zone, day);
    if (localDays && !(known && onSameLocalDay(known, localDays, quarter))) local.add(user, localDays[quarter]!);
  }

  return { ...batch.changes(), utc: utc.changes(), zone: local.changes() };
}

/**
 * The zone calendar's share of subject-days recorded before it was kept, replayed into it while it
 * is built after a zone change: each subject-day's local days become user-days of its user.
 */
export function planZoneReplay(subjectDays: readonly SubjectDay[], reads: ActivityReads, zone: Zone): CalendarChanges {
  const local = calendarPlan('zone', reads);
  for (const { day, subject, quarters } of subjectDays) {
    const user = reads.identity(subject)?.userId ?? subject;
    for (const localDay of localDaysOf(zone, day, quarters)) local.add(user, localDay);
  }
  return local.changes();
}

/** The reads as the batch has changed them so far, and those changes. */
function overlay(reads: ActivityReads) {
  const identities = new Map<string, Identity>();
  const subjectDays = new Map<string, Map<number, Quarters>>();
  return {
    identity: (anonymousId: string) => identities.get(anonymousId) ?? reads.identity(anonymousId),
    setIdentity: (anonymousId: string, identity: Identity) => identities.set(anonymousId, identity),
    anonymousIdsOf(userId: string): string[] {
      const ids = reads.anonymousIdsOf(userId).filter((id) => !identities.has(id));
      for (const [id, identity] of identities) if (identity.userId === userId) ids.push(id);
      return ids;
    },
    subjectDay: (subject: string, day: number) => subjectDays.get(subject)?.get(day) ?? reads.subjectDay(subject, day),
    setSubjectDay(subject: string, day: number, quarters: Quarters): void {
      let days = subjectDays.get(subject);
      if (!days) subjectDays.set(subject, (days = new Map()));
      days.set(day, quarters);
    },
    subjectDaysOf(subject: string): Omit<SubjectDay, 'subject'>[] {
      const changed = subjectDays.get(subject);
      const rows = reads.subjectDaysOf(subject).filter(({ day }) => !changed?.has(day));
      for (const [day, quarters] of changed ?? []) rows.push({ day, quarters });
      return rows;
    },
    changes: (): Pick<ActivityChanges, 'subjectDays' | 'identities'> => ({
      subjectDays: [...subjectDays].flatMap(([subject, days]) => [...days].map(([day, quarters]) => ({ subject, day, quarters }))),
      identities: [...identities].map(([anonymousId, identity]) => ({ anonymousId, ...identity })),
    }),
  };
}

const distinctSorted = (days: number[]): number[] => [...new Set(days)].sort((a, b) => a - b);
