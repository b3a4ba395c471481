import type pg from 'pg';
import type { ProjectRules } from '@cxkit/protocol';
import type { ProjectsPort } from '../ports.js';
import { hashKey } from '../key-hash.js';
import type { Project } from '../storage.js';
import { CHANGES_CHANNEL } from './change-feed.js';
import type { ProjectCache } from './project-cache.js';

type ProjectRow = { id: string; name: string; write_key: string; allowed_origins: string[]; read_origins: string[] };
const COLUMNS = 'id, name, write_key, allowed_origins, read_origins';
const toProject = (row: ProjectRow | undefined): Project | undefined =>
  row && { id: row.id, name: row.name, writeKey: row.write_key, allowedOrigins: row.allowed_origins, readOrigins: row.read_origins };

/**
 * An update of the project announced in the same statement, so the announcement is sent exactly
 * when the change commits; answers whether the project exists.
 */
async function updateAnnounced(pool: pg.Pool, set: string, projectId: string, ...values: unknown[]): Promise<boolean> {
  const { rowCount } = await pool.query(
    `WITH changed AS (UPDATE projects SET ${set} WHERE id = $1 RETURNING id)
     SELECT pg_notify('${CHANGES_CHANNEL}', id) FROM changed`,
    [projectId, ...values],
  );
  return rowCount === 1;
}

export function postgresProjects(pool: pg.Pool, cache: ProjectCache, now: () => number = Date.now): ProjectsPort {
  return {
    async ensure(project) {
      const { rowCount } = await pool.query(
        `WITH created AS (
           INSERT INTO projects (id, name, write_key, read_key_hash, allowed_origins, created_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id)
         SELECT pg_notify('${CHANGES_CHANNEL}', id) FROM created`,
        [project.id, project.name, project.writeKey, hashKey(project.readKey), project.allowedOrigins, now()],
      );
      return rowCount === 1;
    },
    async list() {
      const { rows } = await pool.query<ProjectRow & { created_at: number }>(
        `SELECT ${COLUMNS}, created_at FROM projects ORDER BY created_at, id`,
      );
      return rows.map((row) => ({ ...toProject(row)!, createdAt: row.created_at }));
    },
    async setAllowedOrigins(projectId, origins) {
      const done = await updateAnnounced(pool, 'allowed_origins = $2', projectId, origins);
      cache.forget(projectId);
      return done;
    },
    async setReadOrigins(projectId, origins) {
      const done = await updateAnnounced(pool, 'read_origins = $2', projectId, origins);
      cache.forget(projectId);
      return done;
    },
    async readOriginsInUse() {
      const { rows } = await pool.query<{ origin: string }>('SELECT DISTINCT unnest(read_origins) AS origin FROM projects');
      return rows.map((row) => row.origin);
    },
    async setReadKey(projectId, readKey) {
      return updateAnnounced(pool, 'read_key_hash = $2', projectId, hashKey(readKey));
    },
    rules: (projectId) =>
      cache.ofProject(projectId, 'rules', async () => {
        const { rows } = await pool.query<ProjectRules>(
          'SELECT cooldown_days AS "cooldownDays", max_remind_later AS "maxRemindLater" FROM projects WHERE id = $1',
          [projectId],
        );
        return rows[0];
      }),
    async setRules(projectId, rules) {
      const done = await updateAnnounced(pool, 'cooldown_days = $2, max_remind_later = $3', projectId, rules.cooldownDays, rules.maxRemindLater);
      cache.forget(projectId);
      return done;
    },
    byWriteKey: (writeKey) =>
      cache.byWriteKey(writeKey, async () => {
        const { rows } = await pool.query<ProjectRow>(`SELECT ${COLUMNS} FROM projects WHERE write_key = $1`, [writeKey]);
        return toProject(rows[0]);
      }),
    async byReadKey(readKey) {
      const { rows } = await pool.query<ProjectRow>(`SELECT ${COLUMNS} FROM projects WHERE read_key_hash = $1`, [hashKey(readKey)]);
      return toProject(rows[0]);
    },
  };
}
