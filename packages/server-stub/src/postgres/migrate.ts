import type pg from 'pg';
import { MIGRATIONS } from './migrations.js';
import { MIGRATION_LOCK } from './advisory-locks.js';

/**
 * Brings the database up to the last migration. Processes starting together queue on one
 * advisory lock, so each migration runs once; each runs in its own transaction with its record.
 */
export async function migrate(pool: pg.Pool, now: () => number = Date.now): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
      );
      const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
      for (let next = rows[0]?.version ?? 0; next < MIGRATIONS.length; next++) {
        await client.query('BEGIN');
        try {
          await client.query(MIGRATIONS[next]!);
          await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [next + 1, now()]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}
