import pg from 'pg';
import { postgresAccounts } from './accounts.js';
import type { Storage } from '../ports.js';
import { postgresActivity } from './activity.js';
import { postgresRollup } from './activity-rollup.js';
import { listenForChanges } from './change-feed.js';
import { postgresIngest } from './ingest.js';
import { migrate } from './migrate.js';
import { projectCache } from './project-cache.js';
import { postgresProjects } from './projects.js';
import { postgresRateLimits } from './rate-limits.js';
import { postgresReports } from './reports.js';
import { postgresResponses } from './responses.js';
import { postgresRetention } from './retention.js';
import { postgresSurveys } from './surveys.js';
import { postgresWebhooks } from './webhooks.js';

export interface PostgresOptions {
  /** Connections this process keeps open at most (default 10): a server's workers share the database's max_connections. */
  poolSize?: number;
}

// BIGINT columns (times in ms, quarter-hour words, counts) read as numbers: all stay far below 2^53.
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Opens the PostgreSQL database at `url` (postgres://…) as the server's storage: migrates it (once,
 * however many processes open it together), then serves every port from one connection pool, with
 * one more connection listening for changes other processes make.
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Storage & { pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types });
  // An idle connection the server dropped must not take the process down; the next query reconnects.
  pool.on('error', () => {});
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const cache = projectCache();
  const rollup = postgresRollup();
  const changes = await listenForChanges({ connectionString: url, types }, { changed: cache.forget, listening: cache.listening });
  return {
    pool,
    projects: postgresProjects(pool, cache),
    ingest: postgresIngest(pool, rollup),
    surveys: postgresSurveys(pool, cache),
    responses: postgresResponses(pool),
    activity: postgresActivity(pool, rollup),
    rateLimits: postgresRateLimits(pool),
    reports: postgresReports(pool),
    accounts: postgresAccounts(pool),
    retention: postgresRetention(pool),
    webhooks: postgresWebhooks(pool, cache),
    async close() {
      await changes.close();
      await pool.end();
    },
  };
}
