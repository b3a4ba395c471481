import type pg from 'pg';
import type { DayTotals } from '../activity-math.js';
import type { ActivityPort } from '../ports.js';
import type { UserWindow } from '../storage.js';
import { lockProjects } from './advisory-locks.js';
import type { PostgresRollup } from './activity-rollup.js';
import { buildZoneStep } from './zone-build.js';
import { inTransaction } from './transaction.js';
import { whenAvailable } from './unavailable.js';

/** Rows of activity_subject_days read at a time while visiting them. */
export const SUBJECT_DAYS_PAGE = 5000;

/** DAU/MAU reads from the activity rollup, and the project's time zone it is kept in. */
export function postgresActivity(pool: pg.Pool, rollup: PostgresRollup): ActivityPort {
  const totals = async (table: string, projectId: string, toDay: number) =>
    (
      await pool.query<DayTotals>(`SELECT day, dau, mau_delta AS "mauDelta" FROM ${table} WHERE project_id = $1 AND day <= $2 ORDER BY day`, [
        projectId,
        toDay,
      ])
    ).rows;
  return {
    totals: (projectId, toDay) => totals('activity_day_totals', projectId, toDay),
    zoneTotals: (projectId, toDay) => totals('activity_zone_day_totals', projectId, toDay),
    async timeZone(projectId) {
      const { rows } = await pool.query<{ time_zone: string; building: boolean }>(
        `SELECT time_zone, EXISTS (SELECT 1 FROM zone_rollup_builds WHERE project_id = projects.id) AS building
         FROM projects WHERE id = $1`,
        [projectId],
      );
      const row = rows[0];
      return row && { timeZone: row.time_zone, ready: !row.building };
    },
    setTimeZone: (projectId, timeZone) =>
      inTransaction(pool, async (client) => {
        // Ingest applies the rollup under the same lock, so it sees the zone and its build change together.
        await lockProjects(client, [projectId]);
        const { rows } = await client.query<{ time_zone: string }>('SELECT time_zone FROM projects WHERE id = $1', [projectId]);
        const current = rows[0]?.time_zone;
        if (current === undefined) return false;
        if (current === timeZone) return true;
        await client.query('UPDATE projects SET time_zone = $2 WHERE id = $1', [projectId, timeZone]);
        await client.query(
          `INSERT INTO zone_rollup_builds (project_id, phase, after_day, after_subject) VALUES ($1, 'clearing', NULL, NULL)
           ON CONFLICT (project_id) DO UPDATE SET phase = 'clearing', after_day = NULL, after_subject = NULL`,
          [projectId],
        );
        return true;
      }),
    buildZoneStep: (maxRows) => whenAvailable(() => inTransaction(pool, (client) => buildZoneStep(client, rollup, maxRows))),
    async forEachSubjectDay(projectId, fromDay, toDay, visit) {
      // Pages behind a (day, subject) cursor on the primary key: bounded memory, few round trips.
      let after: [number, string] | undefined;
      for (;;) {
        const { rows } = await pool.query<[number, string, number, number, number]>({
          text: `SELECT day, subject, quarters_0, quarters_1, quarters_2 FROM activity_subject_days
                 WHERE project_id = $1 AND day <= $3 AND ${after ? '(day, subject) > ($2, $5)' : 'day >= $2'}
                 ORDER BY day, subject LIMIT $4`,
          values: after ? [projectId, after[0], toDay, SUBJECT_DAYS_PAGE, after[1]] : [projectId, fromDay, toDay, SUBJECT_DAYS_PAGE],
          rowMode: 'array',
        });
        for (const [day, subject, q0, q1, q2] of rows) visit(day, subject, q0, q1, q2);
        const last = rows[rows.length - 1];
        if (rows.length < SUBJECT_DAYS_PAGE || !last) return;
        after = [last[0], last[1]];
      }
    },
    async userWindows(projectId, asOf, window, lookback, users) {
      const { rows } = await pool.query<UserWindow>({
        text: `SELECT user_key AS "user", COUNT(*) FILTER (WHERE day > $2::int - $3::int)::int AS days,
                 COUNT(*) FILTER (WHERE day <= $2::int - $3::int AND day > $2::int - 2 * $3::int)::int AS "daysBefore", MAX(day)::int AS "lastDay"
               FROM activity_user_days WHERE project_id = $1 AND day > $2::int - $4::int AND day <= $2::int
               ${users ? 'AND user_key = ANY($5::text[])' : ''} GROUP BY user_key`,
        values: users ? [projectId, asOf, window, lookback, users] : [projectId, asOf, window, lookback],
      });
      return rows;
    },
    async identities(projectId) {
      const { rows } = await pool.query<[string, string]>({
        text: 'SELECT anonymous_id, user_id FROM identities WHERE project_id = $1',
        values: [projectId],
        rowMode: 'array',
      });
      return new Map(rows);
    },
  };
}
