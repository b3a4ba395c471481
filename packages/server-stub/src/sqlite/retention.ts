import type Database from 'better-sqlite3';
import { DAY_MS } from '../calendar.js';
import type { RetentionPort } from '../ports.js';
import { whenAvailable } from './unavailable.js';

/** Retention on SQLite: the setting on the project, deletions through the partial index items_raw_received. */
export function sqliteRetention(db: Database.Database): RetentionPort {
  const selectDays = db.prepare<[string], { days: number | null }>('SELECT raw_event_retention_days AS days FROM projects WHERE id = ?');
  const updateDays = db.prepare('UPDATE projects SET raw_event_retention_days = ? WHERE id = ?');
  const retaining = db.prepare<[], { id: string; days: number }>(
    'SELECT id, raw_event_retention_days AS days FROM projects WHERE raw_event_retention_days IS NOT NULL ORDER BY id',
  );
  // The type test is written as in the index's WHERE, which is what lets SQLite use that index.
  const deleteExpired = db.prepare(
    `DELETE FROM items WHERE rowid IN (
       SELECT rowid FROM items
       WHERE project_id = ? AND (type = 'track' OR type = 'session_start' OR type = 'active' OR type = 'identify') AND received_at < ?
       LIMIT ?)`,
  );
  const step = db.transaction((now: number, maxRows: number) => {
    let left = maxRows;
    for (const { id, days } of retaining.all()) {
      if (left === 0) break;
      left -= deleteExpired.run(id, now - days * DAY_MS, left).changes;
    }
    return left === 0;
  });
  return {
    rawEventDays: async (projectId) => selectDays.get(projectId)?.days,
    setRawEventDays: async (projectId, days) => updateDays.run(days, projectId).changes === 1,
    deleteExpired: async (now, maxRows) => whenAvailable(() => step.immediate(now, maxRows)),
  };
}
