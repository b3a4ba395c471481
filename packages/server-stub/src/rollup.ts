import type Database from 'better-sqlite3';
import { createActivityRollup, type ActivityRollup } from './activity-rollup.js';
import { storedItem, type ItemRow } from './item-encoding.js';
import type { StoredItem } from './storage.js';

/** What the rollup reads of a stored item: the item and its times (not its raw JSON). */
export type RolledItem = Omit<StoredItem, 'json'>;

export interface Rollup {
  /** Called inside the ingest transaction with the items it newly stored. */
  record(projectId: string, items: readonly RolledItem[]): void;
  /** Adds earlier subject-days to the calendar of the project's zone while it is built (zone-rollup-build.ts). */
  replayIntoZone: ActivityRollup['replayIntoZone'];
}

const BACKFILL_PAGE = 5000;

/**
 * What ingest maintains for the read side: activity for DAU/MAU, and survey displays and
 * dismissals. A database with items from before the rollup existed gets it built from them once.
 */
export function createRollup(db: Database.Database): Rollup {
  const activity = createActivityRollup(db);
  const insertSurveyEvent = db.prepare(
    `INSERT INTO survey_events (project_id, item_id, survey_id, kind, at, anonymous_id, user_id)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const rollup: Rollup = {
    record(projectId, items) {
      activity.record(projectId, items);
      for (const { item, at } of items) {
        if (item.type !== 'survey_shown' && item.type !== 'survey_dismissed') continue;
        const kind = item.type === 'survey_shown' ? 'shown' : item.reason;
        insertSurveyEvent.run(projectId, item.id, item.surveyId, kind, at, item.anonymousId, item.userId ?? null);
      }
    },
    replayIntoZone: activity.replayIntoZone,
  };
  const neverRan = (db.prepare('SELECT generation FROM rollup_state WHERE id = 1').pluck().get() as number) === 0;
  if (neverRan) backfill(db, rollup);
  return rollup;
}

function backfill(db: Database.Database, rollup: Rollup): void {
  const page = db.prepare<[number, number], ItemRow & { rowid: number; project_id: string; at: number; received_at: number }>(
    'SELECT rowid, * FROM items WHERE rowid > ? ORDER BY rowid LIMIT ?',
  );
  const recordPage = db.transaction((rows: ReturnType<typeof page.all>) => {
    const byProject = new Map<string, RolledItem[]>();
    for (const row of rows) {
      const items = byProject.get(row.project_id) ?? [];
      items.push({ item: storedItem(row), at: row.at, receivedAt: row.received_at });
      byProject.set(row.project_id, items);
    }
    for (const [projectId, items] of byProject) rollup.record(projectId, items);
  });
  for (let after = 0; ; ) {
    const rows = page.all(after, BACKFILL_PAGE);
    if (rows.length === 0) return;
    recordPage.immediate(rows);
    after = rows[rows.length - 1]!.rowid;
  }
}
