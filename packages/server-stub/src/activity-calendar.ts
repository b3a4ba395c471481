import type Database from 'better-sqlite3';
import { addedCoverage, coverage, type DayRange } from './activity-math.js';

/** What one ingest transaction changes in a calendar for one project. */
export interface CalendarWrites {
  /** The user was active on the day: a new user-day adds its DAU and its share of MAU. */
  add(user: string, day: number): void;
  /** The user's days are now exactly these (sorted, distinct): after an identify moved subjects between users. */
  replace(user: string, days: readonly number[]): void;
  /** Writes the day totals changed since the writes began. */
  finish(): void;
}

export type Calendar = (projectId: string) => CalendarWrites;

/**
 * The days each user was active, and per day the DAU and the change in MAU (activity-math.ts),
 * in one calendar: UTC days (activity_user_days, activity_day_totals) or the project's time zone's
 * (activity_zone_user_days, activity_zone_day_totals). Table names are ours, never input.
 */
export function activityCalendar(db: Database.Database, tables: { userDays: string; totals: string }): Calendar {
  const { userDays, totals } = tables;
  const insertUserDay = db.prepare(`INSERT INTO ${userDays} (project_id, user_key, day) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`);
  const previousDay = db
    .prepare<[string, string, number], number | null>(`SELECT MAX(day) FROM ${userDays} WHERE project_id = ? AND user_key = ? AND day < ?`)
    .pluck();
  const nextDay = db
    .prepare<[string, string, number], number | null>(`SELECT MIN(day) FROM ${userDays} WHERE project_id = ? AND user_key = ? AND day > ?`)
    .pluck();
  const daysOf = db
    .prepare<[string, string], number>(`SELECT day FROM ${userDays} WHERE project_id = ? AND user_key = ? ORDER BY day`)
    .pluck();
  const deleteUserDays = db.prepare(`DELETE FROM ${userDays} WHERE project_id = ? AND user_key = ?`);
  const addTotals = db.prepare(
    `INSERT INTO ${totals} (project_id, day, dau, mau_delta) VALUES (?, ?, ?, ?)
     ON CONFLICT (project_id, day) DO UPDATE SET dau = ${totals}.dau + excluded.dau, mau_delta = ${totals}.mau_delta + excluded.mau_delta`,
  );

  return (projectId) => {
    const changes = new Map<number, { dau: number; mauDelta: number }>();
    const change = (day: number, dau: number, mauDelta: number) => {
      const entry = changes.get(day);
      if (entry) {
        entry.dau += dau;
        entry.mauDelta += mauDelta;
      } else changes.set(day, { dau, mauDelta });
    };
    const cover = ([start, end]: DayRange, sign: 1 | -1) => {
      change(start, 0, sign);
      change(end + 1, 0, -sign);
    };
    return {
      add(user, day) {
        if (insertUserDay.run(projectId, user, day).changes === 0) return;
        change(day, 1, 0);
        const added = addedCoverage(day, previousDay.get(projectId, user, day) ?? undefined, nextDay.get(projectId, user, day) ?? undefined);
        if (added) cover(added, 1);
      },
      replace(user, days) {
        const before = daysOf.all(projectId, user);
        for (const day of before) change(day, -1, 0);
        for (const range of coverage(before)) cover(range, -1);
        deleteUserDays.run(projectId, user);
        for (const day of days) {
          insertUserDay.run(projectId, user, day);
          change(day, 1, 0);
        }
        for (const range of coverage(days)) cover(range, 1);
      },
      finish() {
        for (const [day, { dau, mauDelta }] of changes) {
          if (dau !== 0 || mauDelta !== 0) addTotals.run(projectId, day, dau, mauDelta);
        }
        changes.clear();
      },
    };
  };
}
