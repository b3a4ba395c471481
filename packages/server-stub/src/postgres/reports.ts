import type pg from 'pg';
import type { ReportsPort } from '../ports.js';

/** Drop reports, as the metric `dropped` reads them. */
export function postgresReports(pool: pg.Pool): ReportsPort {
  return {
    async dropped(projectId, fromAt, toAt) {
      const { rows } = await pool.query<{ at: number; counts: string }>(
        'SELECT at, counts FROM drop_reports WHERE project_id = $1 AND at >= $2 AND at < $3',
        [projectId, fromAt, toAt],
      );
      return rows.map((row) => ({ at: row.at, counts: JSON.parse(row.counts) }));
    },
  };
}
