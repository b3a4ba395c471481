import type pg from 'pg';
import { DAY_MS } from '../calendar.js';
import type { RetentionPort } from '../ports.js';
import { RETENTION_LOCK } from './advisory-locks.js';
import { inTransaction } from './transaction.js';
import { whenAvailable } from './unavailable.js';

/**
 * Retention on PostgreSQL: the setting on the project; deletions through the partial index
 * items_raw_received, done by one process at a time (the others' steps find the lock taken and stop
 * until their next sweep).
 */
export function postgresRetention(pool: pg.Pool): RetentionPort {
  return {
    async rawEventDays(projectId) {
      const { rows } = await pool.query<{ days: number | null }>('SELECT raw_event_retention_days AS days FROM projects WHERE id = $1', [projectId]);
      return rows[0]?.days;
    },
    async setRawEventDays(projectId, days) {
      const { rowCount } = await pool.query('UPDATE projects SET raw_event_retention_days = $2 WHERE id = $1', [projectId, days]);
      return rowCount === 1;
    },
    deleteExpired: (now, maxRows) =>
      whenAvailable(() =>
        inTransaction(pool, async (client) => {
          const { rows: lock } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [RETENTION_LOCK.toString()]);
          if (!lock[0]!.locked) return false;
          const { rows: projects } = await client.query<{ id: string; days: number }>(
            'SELECT id, raw_event_retention_days AS days FROM projects WHERE raw_event_retention_days IS NOT NULL ORDER BY id',
          );
          let left = maxRows;
          for (const { id, days } of projects) {
            if (left === 0) break;
            const { rowCount } = await client.query(
              // By ctid, so the rows found along the index are deleted where they lie (a TID scan):
              // matched by key instead, the planner scans the whole table to join them.
              `DELETE FROM items WHERE ctid = ANY (ARRAY (
                 SELECT ctid FROM items
                 WHERE project_id = $1 AND type IN ('track', 'session_start', 'active', 'identify') AND received_at < $2
                 LIMIT $3))`,
              [id, now - days * DAY_MS, left],
            );
            left -= rowCount ?? 0;
          }
          return left === 0;
        }),
      ),
  };
}
