import type pg from 'pg';
import type { SurveyDefinition } from '@cxkit/protocol';
import type { SurveysPort } from '../ports.js';
import type { StoredSurvey } from '../storage.js';
import { CHANGES_CHANNEL } from './change-feed.js';
import type { ProjectCache } from './project-cache.js';
import { scalesOf } from '../survey-scales.js';

// Every change announces the project in the same statement, whether or not a row changed: a
// spurious announcement only costs one reload.
const announced = (change: string) => `WITH changed AS (${change}) SELECT pg_notify('${CHANGES_CHANNEL}', $1::text)`;

export function postgresSurveys(pool: pg.Pool, cache: ProjectCache, now: () => number = Date.now): SurveysPort {
  async function change(projectId: string, sql: string, values: unknown[]): Promise<void> {
    await pool.query(announced(sql), [projectId, ...values]);
    cache.forget(projectId);
  }
  async function all(projectId: string): Promise<StoredSurvey[]> {
    const { rows } = await pool.query<{ definition: string; active: boolean; deleted_at: number | null }>(
      'SELECT definition, active, deleted_at FROM surveys WHERE project_id = $1 ORDER BY id',
      [projectId],
    );
    return rows.map(
      (row): StoredSurvey => ({
        definition: JSON.parse(row.definition) as SurveyDefinition,
        active: row.active,
        deleted: row.deleted_at !== null,
      }),
    );
  }
  return {
    active: (projectId) =>
      cache.ofProject(projectId, 'surveys', async () => {
        const { rows } = await pool.query<{ definition: string }>(
          'SELECT definition FROM surveys WHERE project_id = $1 AND active AND deleted_at IS NULL ORDER BY id',
          [projectId],
        );
        return rows.map((row) => JSON.parse(row.definition) as SurveyDefinition);
      }),
    all,
    // Forgotten with the project's other entries when any process announces a change to its surveys.
    scales: (projectId) => cache.ofProject(projectId, 'scales', async () => scalesOf(await all(projectId))),
    put: (projectId, survey, active) =>
      change(
        projectId,
        `INSERT INTO surveys (project_id, id, definition, active, updated_at, deleted_at) VALUES ($1, $2, $3, $4, $5, NULL)
         ON CONFLICT (project_id, id) DO UPDATE SET
           definition = excluded.definition, active = excluded.active, updated_at = excluded.updated_at, deleted_at = NULL`,
        [survey.id, JSON.stringify(survey), active, now()],
      ),
    setActive: (projectId, id, active) =>
      change(
        projectId,
        'UPDATE surveys SET active = $3, updated_at = $4 WHERE project_id = $1 AND id = $2 AND deleted_at IS NULL',
        [id, active, now()],
      ),
    delete: (projectId, id) =>
      change(
        projectId,
        'UPDATE surveys SET active = false, deleted_at = $3, updated_at = $3 WHERE project_id = $1 AND id = $2 AND deleted_at IS NULL',
        [id, now()],
      ),
  };
}
