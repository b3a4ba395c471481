// The activity rollup's tables in SQLite: the reads the planner asks (activity/reads.ts), each a
// prepared statement, and the writes that apply its changes inside the ingest transaction.
import type Database from 'better-sqlite3';
import type { Quarters } from '../activity/quarters.js';
import type { ActivityChanges, ActivityReads, CalendarChanges, CalendarName, Identity } from '../activity/reads.js';
import { zone as zoneNamed, type Zone } from '../calendar.js';

export interface ActivityStore {
  reads(projectId: string): ActivityReads;
  /** The project's zone when its calendar is kept: not UTC (the UTC calendar serves), not being cleared. */
  keptZone(projectId: string): Zone | undefined;
  apply(projectId: string, changes: ActivityChanges): void;
  applyCalendar(projectId: string, calendar: CalendarName, changes: CalendarChanges): void;
}

// Table names are ours, never input.
const TABLES: Record<CalendarName, { userDays: string; totals: string }> = {
  utc: { userDays: 'activity_user_days', totals: 'activity_day_totals' },
  zone: { userDays: 'activity_zone_user_days', totals: 'activity_zone_day_totals' },
};

export function sqliteActivityStore(db: Database.Database): ActivityStore {
  const identity = db.prepare<[string, string], { user_id: string; at: number; item_id: string }>(
    'SELECT user_id, at, item_id FROM identities WHERE project_id = ? AND anonymous_id = ?',
  );
  const anonymousIdsOf = db.prepare<[string, string], string>('SELECT anonymous_id FROM identities WHERE project_id = ? AND user_id = ?').pluck();
  const subjectDay = db
    .prepare<[string, number, string], [number, number, number]>(
      'SELECT quarters_0, quarters_1, quarters_2 FROM activity_subject_days WHERE project_id = ? AND day = ? AND subject = ?',
    )
    .raw();
  const subjectDaysOf = db
    .prepare<[string, string], [number, number, number, number]>(
      'SELECT day, quarters_0, quarters_1, quarters_2 FROM activity_subject_days WHERE project_id = ? AND subject = ?',
    )
    .raw();
  const upsertSubjectDay = db.prepare(
    `INSERT INTO activity_subject_days (project_id, day, subject, quarters_0, quarters_1, quarters_2) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (project_id, day, subject) DO UPDATE SET quarters_0 = activity_subject_days.quarters_0 | excluded.quarters_0,
       quarters_1 = activity_subject_days.quarters_1 | excluded.quarters_1, quarters_2 = activity_subject_days.quarters_2 | excluded.quarters_2`,
  );
  const saveIdentity = db.prepare(
    `INSERT INTO identities (project_id, anonymous_id, user_id, at, item_id) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (project_id, anonymous_id) DO UPDATE SET user_id = excluded.user_id, at = excluded.at, item_id = excluded.item_id`,
  );
  const keptZone = db
    .prepare<[string], string>(
      `SELECT time_zone FROM projects WHERE id = ? AND time_zone <> 'UTC'
       AND NOT EXISTS (SELECT 1 FROM zone_rollup_builds WHERE project_id = projects.id AND phase = 'clearing')`,
    )
    .pluck();
  const calendars = { utc: calendarStatements(db, TABLES.utc), zone: calendarStatements(db, TABLES.zone) };
  const zones = new Map<string, Zone>();

  function applyCalendar(projectId: string, calendar: CalendarName, { added, replaced, totals }: CalendarChanges): void {
    const statements = calendars[calendar];
    for (const { user, days } of replaced) {
      statements.deleteUserDays.run(projectId, user);
      for (const day of days) statements.insertUserDay.run(projectId, user, day);
    }
    for (const { user, day } of added) statements.insertUserDay.run(projectId, user, day);
    for (const { day, dau, mauDelta } of totals) statements.addTotals.run(projectId, day, dau, mauDelta);
  }

  return {
    reads: (projectId) => ({
      identity(anonymousId): Identity | undefined {
        const row = identity.get(projectId, anonymousId);
        return row && { userId: row.user_id, at: row.at, itemId: row.item_id };
      },
      anonymousIdsOf: (userId) => anonymousIdsOf.all(projectId, userId),
      subjectDay: (subject, day) => subjectDay.get(projectId, day, subject),
      subjectDaysOf: (subject) => subjectDaysOf.all(projectId, subject).map(([day, q0, q1, q2]) => ({ day, quarters: [q0, q1, q2] as Quarters })),
      userDayAround(calendar, user, day) {
        // Index seeks: the last day up to this one, and unless that is the day, the first after it.
        const upTo = calendars[calendar].lastDayUpTo.get(projectId, user, day) ?? undefined;
        if (upTo === day) return { active: true, previous: undefined, next: undefined };
        return { active: false, previous: upTo, next: calendars[calendar].firstDayAfter.get(projectId, user, day) ?? undefined };
      },
      userDays: (calendar, user) => calendars[calendar].daysOf.all(projectId, user),
    }),
    keptZone(projectId) {
      const name = keptZone.get(projectId);
      if (name === undefined) return undefined;
      let zone = zones.get(name);
      if (!zone) zones.set(name, (zone = zoneNamed(name)));
      return zone;
    },
    apply(projectId, changes) {
      for (const { subject, day, quarters } of changes.subjectDays) upsertSubjectDay.run(projectId, day, subject, ...quarters);
      for (const { anonymousId, userId, at, itemId } of changes.identities) saveIdentity.run(projectId, anonymousId, userId, at, itemId);
      applyCalendar(projectId, 'utc', changes.utc);
      applyCalendar(projectId, 'zone', changes.zone);
    },
    applyCalendar,
  };
}

function calendarStatements(db: Database.Database, { userDays, totals }: { userDays: string; totals: string }) {
  return {
    lastDayUpTo: db
      .prepare<[string, string, number], number | null>(`SELECT MAX(day) FROM ${userDays} WHERE project_id = ? AND user_key = ? AND day <= ?`)
      .pluck(),
    firstDayAfter: db
      .prepare<[string, string, number], number | null>(`SELECT MIN(day) FROM ${userDays} WHERE project_id = ? AND user_key = ? AND day > ?`)
      .pluck(),
    daysOf: db.prepare<[string, string], number>(`SELECT day FROM ${userDays} WHERE project_id = ? AND user_key = ?`).pluck(),
    insertUserDay: db.prepare(`INSERT INTO ${userDays} (project_id, user_key, day) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`),
    deleteUserDays: db.prepare(`DELETE FROM ${userDays} WHERE project_id = ? AND user_key = ?`),
    addTotals: db.prepare(
      `INSERT INTO ${totals} (project_id, day, dau, mau_delta) VALUES (?, ?, ?, ?)
       ON CONFLICT (project_id, day) DO UPDATE SET dau = ${totals}.dau + excluded.dau, mau_delta = ${totals}.mau_delta + excluded.mau_delta`,
    ),
  };
}
