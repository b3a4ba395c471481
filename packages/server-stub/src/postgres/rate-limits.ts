import type pg from 'pg';
import type { RateLimitsPort } from '../ports.js';
import { inTransaction } from './transaction.js';
import { whenAvailable } from './unavailable.js';

/**
 * Each project's bucket is one row, locked for the read-change-write: a process takes a lease of
 * tokens at a time (rate-limit.ts), so this runs about ten times a second per busy process.
 */
export function postgresRateLimits(pool: pg.Pool): RateLimitsPort {
  return {
    update: (projectId, change) =>
      whenAvailable(() =>
        inTransaction(pool, async (client) => {
          // Inserting a blank row or touching the existing one locks it until the commit.
          const { rows } = await client.query<{ tokens: number | null; at: number | null }>(
            `INSERT INTO rate_limit_buckets (project_id, tokens, at) VALUES ($1, NULL, NULL)
             ON CONFLICT (project_id) DO UPDATE SET project_id = excluded.project_id RETURNING tokens, at`,
            [projectId],
          );
          const row = rows[0]!;
          const { bucket, result } = change(row.tokens === null || row.at === null ? undefined : { tokens: row.tokens, at: row.at });
          await client.query('UPDATE rate_limit_buckets SET tokens = $2, at = $3 WHERE project_id = $1', [projectId, bucket.tokens, bucket.at]);
          return result;
        }),
      ),
  };
}
