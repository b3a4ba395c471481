import type Database from 'better-sqlite3';
import { planActivity, planZoneReplay } from '../activity/plan.js';
import type { ActivityItem, SubjectDay } from '../activity/reads.js';
import { seenCache } from '../activity/seen-cache.js';
import { storedItem, type ItemRow } from '../item-encoding.js';
import { sqliteActivityStore } from './activity-store.js';

export interface Rollup {
  /** Called inside the ingest transaction with the items it newly stored. */
  record(projectId: string, items: readonly ActivityItem[]): void;
  /** Adds subject-days recorded before the project's zone calendar was kept to it (zone-rollup-build.ts). */
  replayIntoZone(projectId: string, subjectDays: readonly SubjectDay[]): void;
  /**
   * Runs a transaction (a better-sqlite3 transaction function, not nested in another) that records
   * items: the seen-cache learns what it recorded only once it has committed, never after a rollback.
   */
  committing<T>(transaction: () => T): T;
}

const BACKFILL_PAGE = 5000;

/**
 * What ingest maintains for the read side: the activity rollup for DAU/MAU (activity/plan.ts),
 * and survey displays and dismissals. A database with items from before the rollup existed gets
 * it built from them once.
 */
export function createRollup(db: Database.Database): Rollup {
  const store = sqliteActivityStore(db);
  const seen = seenCache();
  const insertSurveyEvent = db.prepare(
    `INSERT INTO survey_events (project_id, item_id, survey_id, kind, at, anonymous_id, user_id)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  // What the running transaction recorded, for the seen-cache once it commits.
  let recorded: { projectId: string; subjectDays: SubjectDay[] }[] = [];

  const rollup: Rollup = {
    record(projectId, items) {
      const unseen = seen.unseen(projectId, items);
      if (unseen.length > 0) {
        const changes = planActivity(unseen, store.reads(projectId), store.keptZone(projectId));
        store.apply(projectId, changes);
        recorded.push({ projectId, subjectDays: changes.subjectDays });
      }
      for (const { item, at } of items) {
        if (item.type !== 'survey_shown' && item.type !== 'survey_dismissed') continue;
        const kind = item.type === 'survey_shown' ? 'shown' : item.reason;
        insertSurveyEvent.run(projectId, item.id, item.surveyId, kind, at, item.anonymousId, item.userId ?? null);
      }
    },
    replayIntoZone(projectId, subjectDays) {
      const zone = store.keptZone(projectId);
      if (zone) store.applyCalendar(projectId, 'zone', planZoneReplay(subjectDays, store.reads(projectId), zone));
    },
    committing(transaction) {
      recorded = [];
      try {
        const result = transaction();
        for (const { projectId, subjectDays } of recorded) seen.learn(projectId, subjectDays);
        return result;
      } finally {
        recorded = [];
      }
    },
  };
  backfillOnce(db, rollup);
  return rollup;
}

/**
 * Records the items stored before the rollup existed. rollup_state.generation is 0 until that is
 * done (a fresh database is done at once), then 1 for good: recording items again changes nothing,
 * so a backfill cut short starts over on the next open.
 */
function backfillOnce(db: Database.Database, rollup: Rollup): void {
  if ((db.prepare('SELECT generation FROM rollup_state WHERE id = 1').pluck().get() as number) !== 0) return;
  const page = db.prepare<[number, number], ItemRow & { rowid: number; project_id: string; at: number }>(
    'SELECT rowid, project_id, id, type, anonymous_id, user_id, session_id, payload, at FROM items WHERE rowid > ? ORDER BY rowid LIMIT ?',
  );
  const markDone = db.prepare('UPDATE rollup_state SET generation = 1 WHERE id = 1');
  const recordPage = db.transaction((rows: ReturnType<typeof page.all>, last: boolean) => {
    const byProject = new Map<string, ActivityItem[]>();
    for (const row of rows) {
      const items = byProject.get(row.project_id) ?? [];
      items.push({ item: storedItem(row), at: row.at });
      byProject.set(row.project_id, items);
    }
    for (const [projectId, items] of byProject) rollup.record(projectId, items);
    if (last) markDone.run();
  });
  for (let after = 0; ; ) {
    const rows = page.all(after, BACKFILL_PAGE);
    const last = rows.length < BACKFILL_PAGE;
    rollup.committing(() => recordPage.immediate(rows, last));
    if (last) return;
    after = rows[rows.length - 1]!.rowid;
  }
}
