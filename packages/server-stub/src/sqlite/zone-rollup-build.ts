import type Database from 'better-sqlite3';
import type { SubjectDay } from '../activity/reads.js';
import type { Rollup } from './rollup.js';

export interface ZoneRollupBuild {
  /** Sets the project's time zone; a new zone starts a build of its calendar. False for no such project. */
  setTimeZone(projectId: string, timeZone: string): boolean;
  /** Does one step (at most about `maxRows` rows) of a pending build, in its own transaction; false when none is pending. */
  step(maxRows: number): boolean;
}

type Build = { project_id: string; phase: 'clearing' | 'replaying'; after_day: number | null; after_subject: string | null; time_zone: string };

/**
 * The calendar of a project's time zone is built after the zone changes, a step at a time, so that
 * ingest commits between steps: first the calendar of the zone before is cleared (ingest leaves the
 * calendar alone meanwhile), then every subject-day recorded so far is replayed into it, in
 * (day, subject) order behind a cursor. From the replay's start ingest keeps the calendar for what
 * arrives; a user-day both add is written once (activity/calendar-plan.ts), so the two meet exactly.
 * Until the build is done, series in the zone are computed from the subject-days (activity-series.ts).
 */
export function zoneRollupBuild(db: Database.Database, rollup: Pick<Rollup, 'replayIntoZone'>): ZoneRollupBuild {
  const currentZone = db.prepare<[string], string>('SELECT time_zone FROM projects WHERE id = ?').pluck();
  const updateZone = db.prepare('UPDATE projects SET time_zone = ? WHERE id = ?');
  const startClearing = db.prepare(
    `INSERT INTO zone_rollup_builds (project_id, phase, after_day, after_subject) VALUES (?, 'clearing', NULL, NULL)
     ON CONFLICT (project_id) DO UPDATE SET phase = 'clearing', after_day = NULL, after_subject = NULL`,
  );
  const nextBuild = db.prepare<[], Build>(
    `SELECT b.project_id, b.phase, b.after_day, b.after_subject, p.time_zone
     FROM zone_rollup_builds b JOIN projects p ON p.id = b.project_id ORDER BY b.project_id LIMIT 1`,
  );
  const clearUserDays = db.prepare(
    `DELETE FROM activity_zone_user_days WHERE project_id = ? AND (user_key, day) IN
       (SELECT user_key, day FROM activity_zone_user_days WHERE project_id = ? LIMIT ?)`,
  );
  const clearTotals = db.prepare('DELETE FROM activity_zone_day_totals WHERE project_id = ?');
  const startReplay = db.prepare("UPDATE zone_rollup_builds SET phase = 'replaying' WHERE project_id = ?");
  const advance = db.prepare('UPDATE zone_rollup_builds SET after_day = ?, after_subject = ? WHERE project_id = ?');
  const finish = db.prepare('DELETE FROM zone_rollup_builds WHERE project_id = ?');
  const columns = 'SELECT day, subject, quarters_0, quarters_1, quarters_2 FROM activity_subject_days';
  const firstRows = db
    .prepare<[string, number], [number, string, number, number, number]>(`${columns} WHERE project_id = ? ORDER BY day, subject LIMIT ?`)
    .raw();
  // A row value, so the index seeks to the cursor instead of scanning the project from its start.
  const rowsAfter = db
    .prepare<[string, number, string, number], [number, string, number, number, number]>(
      `${columns} WHERE project_id = ? AND (day, subject) > (?, ?) ORDER BY day, subject LIMIT ?`,
    )
    .raw();

  const setTimeZone = db.transaction((projectId: string, timeZone: string): boolean => {
    const current = currentZone.get(projectId);
    if (current === undefined) return false;
    if (current === timeZone) return true;
    updateZone.run(timeZone, projectId);
    startClearing.run(projectId);
    return true;
  });

  const step = db.transaction((maxRows: number): boolean => {
    const build = nextBuild.get();
    if (!build) return false;
    const projectId = build.project_id;
    if (build.phase === 'clearing') {
      if (clearUserDays.run(projectId, projectId, maxRows).changes > 0) return true;
      clearTotals.run(projectId);
      // UTC days are the UTC calendar's: nothing to build.
      if (build.time_zone === 'UTC') finish.run(projectId);
      else startReplay.run(projectId);
      return true;
    }
    const rows =
      build.after_day === null
        ? firstRows.all(projectId, maxRows)
        : rowsAfter.all(projectId, build.after_day, build.after_subject!, maxRows);
    rollup.replayIntoZone(
      projectId,
      rows.map(([day, subject, q0, q1, q2]): SubjectDay => ({ day, subject, quarters: [q0, q1, q2] })),
    );
    const last = rows[rows.length - 1];
    if (rows.length < maxRows || !last) finish.run(projectId);
    else advance.run(last[0], last[1], projectId);
    return true;
  });

  return {
    setTimeZone: (projectId, timeZone) => setTimeZone.immediate(projectId, timeZone),
    step: (maxRows) => step.immediate(maxRows),
  };
}
