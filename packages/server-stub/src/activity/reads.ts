// What the activity planner reads of the stored rollup, and what it hands back to be written.
import type { Item } from '@cxkit/protocol';
import type { DayTotals } from '../activity-math.js';
import type { Quarters } from './quarters.js';

/** The two calendars of user-days and day totals: UTC days, and the days of the project's time zone. */
export type CalendarName = 'utc' | 'zone';

/** What the rollup takes of a committed item (a StoredItem is one). */
export interface ActivityItem {
  item: Item;
  at: number;
}

/** Whose an anonymous id is: the user of its earliest identify (by `at`, then item id). */
export interface Identity {
  userId: string;
  at: number;
  itemId: string;
}

/** One row of activity_subject_days: a subject (userId, else anonymousId) on a UTC day. */
export interface SubjectDay {
  subject: string;
  day: number;
  quarters: Quarters;
}

/**
 * The stored rollup of one project as it was committed before the batch, read synchronously by
 * the planner. SQLite answers each call with a prepared statement; an engine that must batch its
 * queries loads the keys readsNeeded() names into maps and answers from them (loaded-reads.ts).
 */
export interface ActivityReads {
  /** The identity of an anonymous id; undefined when it never identified. */
  identity(anonymousId: string): Identity | undefined;
  /** The anonymous ids whose identity is this user. */
  anonymousIdsOf(userId: string): readonly string[];
  /** The quarter hours recorded for a subject on a UTC day; undefined when none. */
  subjectDay(subject: string, day: number): Quarters | undefined;
  /** Every recorded day of a subject, in any order. */
  subjectDaysOf(subject: string): readonly Omit<SubjectDay, 'subject'>[];
  /**
   * Whether the user was active on the day in the calendar, and if not, their nearest active days
   * before and after it; days more than 29 days away may be left out: they change no MAU coverage
   * (activity-math.ts), so an engine may load only the days from `day` − 29 to `day` + 29.
   */
  userDayAround(calendar: CalendarName, user: string, day: number): DayAround;
  /** All of the user's days in the calendar, in any order. */
  userDays(calendar: CalendarName, user: string): readonly number[];
}

export interface DayAround {
  active: boolean;
  previous: number | undefined;
  next: number | undefined;
}

/** What a batch changes in one calendar. Users in `added` and in `replaced` never overlap. */
export interface CalendarChanges {
  /** New user-days. */
  added: { user: string; day: number }[];
  /** Users whose days are now exactly these (sorted): delete theirs, insert these. */
  replaced: { user: string; days: number[] }[];
  /** Per day, what to add to the stored DAU and MAU change; only days that change, sorted. */
  totals: DayTotals[];
}

/** What a batch changes in the rollup; applying it in any order gives the same state. */
export interface ActivityChanges {
  /** Subject-days with all their quarter hours known after the batch: OR them into the stored ones. */
  subjectDays: SubjectDay[];
  /** Identities to insert or overwrite. */
  identities: ({ anonymousId: string } & Identity)[];
  utc: CalendarChanges;
  /** Empty when the project's zone calendar is not kept. */
  zone: CalendarChanges;
}
