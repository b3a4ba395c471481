import type pg from 'pg';
import type { SubjectDay } from '../activity/reads.js';
import { lockProjects, ZONE_BUILD_LOCK } from './advisory-locks.js';
import type { PostgresRollup } from './activity-rollup.js';

type Build = { phase: 'clearing' | 'replaying'; after_day: number | null; after_subject: string | null; time_zone: string };

/**
 * One step of a pending build of a project's zone calendar, in the caller's transaction; false
 * when none is pending here. The steps are those of ../zone-rollup-build.ts (clear the calendar
 * of the zone before, then replay the subject-days behind a cursor). One process builds at a time:
 * a step that finds another process holding the build lock leaves the work to it. The project's
 * own lock keeps ingest's rollup and the step from writing the zone calendar at once.
 */
export async function buildZoneStep(client: pg.ClientBase, rollup: PostgresRollup, maxRows: number): Promise<boolean> {
  const { rows: locked } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
    ZONE_BUILD_LOCK.toString(),
  ]);
  if (!locked[0]?.locked) return false;
  const { rows: next } = await client.query<{ project_id: string }>('SELECT project_id FROM zone_rollup_builds ORDER BY project_id LIMIT 1');
  const projectId = next[0]?.project_id;
  if (projectId === undefined) return false;
  // Read under the project's lock: a new zone set meanwhile restarts the build it would otherwise continue.
  await lockProjects(client, [projectId]);
  const { rows: builds } = await client.query<Build>(
    `SELECT b.phase, b.after_day, b.after_subject, p.time_zone
     FROM zone_rollup_builds b JOIN projects p ON p.id = b.project_id WHERE b.project_id = $1`,
    [projectId],
  );
  const build = builds[0];
  if (!build) return true;
  if (build.phase === 'clearing') {
    const { rowCount } = await client.query(
      `DELETE FROM activity_zone_user_days WHERE (project_id, user_key, day) IN
         (SELECT project_id, user_key, day FROM activity_zone_user_days WHERE project_id = $1 LIMIT $2)`,
      [projectId, maxRows],
    );
    if ((rowCount ?? 0) > 0) return true;
    await client.query('DELETE FROM activity_zone_day_totals WHERE project_id = $1', [projectId]);
    // UTC days are the UTC calendar's: nothing to build.
    if (build.time_zone === 'UTC') await client.query('DELETE FROM zone_rollup_builds WHERE project_id = $1', [projectId]);
    else await client.query("UPDATE zone_rollup_builds SET phase = 'replaying' WHERE project_id = $1", [projectId]);
    return true;
  }
  const columns = 'SELECT day, subject, quarters_0, quarters_1, quarters_2 FROM activity_subject_days';
  const { rows } = await client.query<[number, string, number, number, number]>({
    text:
      build.after_day === null
        ? `${columns} WHERE project_id = $1 ORDER BY day, subject LIMIT $2`
        : `${columns} WHERE project_id = $1 AND (day, subject) > ($3, $4) ORDER BY day, subject LIMIT $2`,
    values: build.after_day === null ? [projectId, maxRows] : [projectId, maxRows, build.after_day, build.after_subject],
    rowMode: 'array',
  });
  await rollup.replayIntoZone(
    client,
    projectId,
    rows.map(([day, subject, q0, q1, q2]): SubjectDay => ({ day, subject, quarters: [q0, q1, q2] })),
  );
  const last = rows[rows.length - 1];
  if (rows.length < maxRows || !last) await client.query('DELETE FROM zone_rollup_builds WHERE project_id = $1', [projectId]);
  else await client.query('UPDATE zone_rollup_builds SET after_day = $2, after_subject = $3 WHERE project_id = $1', [projectId, last[0], last[1]]);
  return true;
}
