import type Database from 'better-sqlite3';
import { createActivityRollup } from './activity-rollup.js';
import type { StoredItem } from './storage.js';

export interface Rollup {
  /** Called inside the ingest transaction with the items it newly stored. */
  record(projectId: string, items: readonly StoredItem[]): void;
}

/** What ingest maintains for the read side: activity for DAU/MAU, and survey displays and dismissals. */
export function createRollup(db: Database.Database): Rollup {
  const activity = createActivityRollup(db);
  const insertSurveyEvent = db.prepare(
    `INSERT INTO survey_events (project_id, item_id, survey_id, kind, at, anonymous_id, user_id)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  return {
    record(projectId, items) {
      activity.record(projectId, items);
      for (const { item, at } of items) {
        if (item.type !== 'survey_shown' && item.type !== 'survey_dismissed') continue;
        const kind = item.type === 'survey_shown' ? 'shown' : item.reason;
        insertSurveyEvent.run(projectId, item.id, item.surveyId, kind, at, item.anonymousId, item.userId ?? null);
      }
    },
  };
}
