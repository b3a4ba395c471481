import Database from 'better-sqlite3';
import type { ProjectRules, SurveyResponseItem } from '@cxkit/protocol';
import { answerContext } from '../answer-context.js';
import { hashKey } from '../key-hash.js';
import { sqliteAccounts } from './accounts.js';
import { createRollup } from './rollup.js';
import { MIGRATIONS } from './schema.js';
import { sqliteReadSide } from './read-side.js';
import { sqliteRetention } from './retention.js';
import { whenAvailable } from './unavailable.js';
import { sqliteWebhooks } from './webhooks.js';
import { alertRows } from '../webhook-rows.js';
import { zoneRollupBuild } from './zone-rollup-build.js';
import type { Storage } from '../ports.js';
import type { Project, ProjectWrite, StoredItem } from '../storage.js';

/** SQLite behind the storage ports; `db` is the connection, for tests and the one-time tools. */
export type SqliteStorage = Storage & { db: Database.Database };

/**
 * The embedded engine: one file, one process (WAL lets the read pool's threads read beside it).
 * Its ports answer without waiting: every statement is synchronous.
 */
export function openSqlite(file: string): SqliteStorage {
  const db = new Database(file);
  // WAL lets readers run beside the writer; FULL makes every commit survive power loss, and
  // is affordable because many requests share one commit.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  type ProjectRow = { id: string; name: string; write_key: string; allowed_origins: string; read_origins: string };
  const columns = 'id, name, write_key, allowed_origins, read_origins';
  const projectByWriteKey = db.prepare<[string], ProjectRow>(`SELECT ${columns} FROM projects WHERE write_key = ?`);
  const projectByReadKeyHash = db.prepare<[string], ProjectRow>(`SELECT ${columns} FROM projects WHERE read_key_hash = ?`);
  // Origin lists are stored space-separated; no read origins is the empty string.
  const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);
  const toProject = (row: ProjectRow | undefined): Project | undefined =>
    row && {
      id: row.id,
      name: row.name,
      writeKey: row.write_key,
      allowedOrigins: words(row.allowed_origins),
      readOrigins: words(row.read_origins),
    };
  const insertItem = db.prepare(
    `INSERT INTO items (project_id, id, type, at, received_at, anonymous_id, user_id, session_id, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  // A response arrives as several items sharing responseId (score first, comment later), maybe out
  // of order: the newest score wins, a comment is never erased, final only moves to true. An item
  // claiming another metric for the same responseId changes nothing: its score is on another
  // scale (an NPS 10 is no CSAT), and the row keeps the metric it was first stored with. The
  // answer's context (traits, trigger properties, locale) is the first item's, never updated.
  const upsertResponse = db.prepare(
    `INSERT INTO responses (project_id, response_id, survey_id, metric, score, comment, final, anonymous_id, user_id, at, updated_at,
                            traits, trigger_properties, locale)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, jsonb(?), jsonb(?), ?)
     ON CONFLICT (project_id, response_id) DO UPDATE SET
       score = CASE WHEN excluded.updated_at >= responses.updated_at THEN excluded.score ELSE responses.score END,
       comment = COALESCE(excluded.comment, responses.comment),
       final = MAX(responses.final, excluded.final),
       user_id = COALESCE(responses.user_id, excluded.user_id),
       at = MIN(responses.at, excluded.at),
       updated_at = MAX(responses.updated_at, excluded.updated_at)
     WHERE responses.metric = excluded.metric`,
  );
  const insertProject = db.prepare(
    `INSERT INTO projects (id, name, write_key, read_key_hash, allowed_origins, created_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const selectProjects = db.prepare<[], ProjectRow & { created_at: number }>(
    `SELECT ${columns}, created_at FROM projects ORDER BY created_at, id`,
  );
  const updateOrigins = db.prepare('UPDATE projects SET allowed_origins = ? WHERE id = ?');
  const updateReadOrigins = db.prepare('UPDATE projects SET read_origins = ? WHERE id = ?');
  const selectReadOrigins = db.prepare<[], { read_origins: string }>("SELECT read_origins FROM projects WHERE read_origins <> ''");
  const updateReadKey = db.prepare('UPDATE projects SET read_key_hash = ? WHERE id = ?');
  const selectRules = db.prepare<[string], ProjectRules>(
    'SELECT cooldown_days AS cooldownDays, max_remind_later AS maxRemindLater FROM projects WHERE id = ?',
  );
  const updateRules = db.prepare('UPDATE projects SET cooldown_days = ?, max_remind_later = ? WHERE id = ?');
  const selectSurveys = db.prepare<[string], { definition: string }>(
    'SELECT definition FROM surveys WHERE project_id = ? AND active = 1 AND deleted_at IS NULL ORDER BY id',
  );

  const insertDropReport = db.prepare('INSERT INTO drop_reports (project_id, id, at, counts) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');

  const accounts = sqliteAccounts(db);
  const rollup = createRollup(db);
  const zoneBuild = zoneRollupBuild(db, rollup);
  const webhooks = sqliteWebhooks(db);
  // The writes of many requests share one transaction (group commit: commit-queue.ts).
  const commit = db.transaction((writes: ProjectWrite[]) =>
    writes.map(({ projectId, items, dropped, webhooks: targets }) => {
      const inserted = insertNew(projectId, items);
      // Everything derived from the new items belongs here, inside the same transaction: an
      // acknowledged answer has its alerts queued.
      rollup.record(projectId, inserted);
      if (targets && targets.length > 0) webhooks.queue(projectId, alertRows(inserted, targets));
      if (dropped) insertDropReport.run(projectId, dropped.id, dropped.at, JSON.stringify(dropped.counts));
      return { accepted: inserted.length, duplicates: items.length - inserted.length };
    }),
  );

  /** Stores the items the project does not have yet and returns them; known ids are skipped. */
  function insertNew(projectId: string, items: StoredItem[]): StoredItem[] {
    const inserted: StoredItem[] = [];
    for (const stored of items) {
      const { item, json, at, receivedAt } = stored;
      const changes = insertItem.run(
        projectId,
        item.id,
        item.type,
        at,
        receivedAt,
        item.anonymousId,
        item.userId ?? null,
        item.sessionId,
        json,
      ).changes;
      if (changes === 0) continue;
      inserted.push(stored);
      if (item.type === 'survey_response') upsert(projectId, item, at);
      else if (item.type === 'group') accounts.record(projectId, item, at);
    }
    return inserted;
  }

  function upsert(projectId: string, item: SurveyResponseItem, at: number): void {
    const context = answerContext(item);
    upsertResponse.run(
      projectId,
      item.responseId,
      item.surveyId,
      item.metric,
      item.score,
      item.comment ?? null,
      item.final ? 1 : 0,
      item.anonymousId,
      item.userId ?? null,
      at,
      at,
      context.traits,
      context.triggerProperties,
      context.locale,
    );
  }

  const reads = sqliteReadSide(db);
  return {
    db,
    projects: {
      async ensure(project) {
        const { changes } = insertProject.run(
          project.id,
          project.name,
          project.writeKey,
          hashKey(project.readKey),
          project.allowedOrigins.join(' '),
          Date.now(),
        );
        return changes === 1;
      },
      list: async () => selectProjects.all().map((row) => ({ ...toProject(row)!, createdAt: row.created_at })),
      setAllowedOrigins: async (projectId, origins) => updateOrigins.run(origins.join(' '), projectId).changes === 1,
      setReadOrigins: async (projectId, origins) => updateReadOrigins.run(origins.join(' '), projectId).changes === 1,
      readOriginsInUse: async () => [...new Set(selectReadOrigins.all().flatMap((row) => words(row.read_origins)))],
      setReadKey: async (projectId, readKey) => updateReadKey.run(hashKey(readKey), projectId).changes === 1,
      rules: async (projectId) => selectRules.get(projectId),
      setRules: async (projectId, rules) => updateRules.run(rules.cooldownDays, rules.maxRemindLater, projectId).changes === 1,
      byWriteKey: async (writeKey) => toProject(projectByWriteKey.get(writeKey)),
      byReadKey: async (readKey) => toProject(projectByReadKeyHash.get(hashKey(readKey))),
    },
    ingest: {
      commit: async (writes) => whenAvailable(() => rollup.committing(() => commit.immediate(writes))),
    },
    surveys: {
      ...reads.surveys,
      active: async (projectId) => selectSurveys.all(projectId).map((row) => JSON.parse(row.definition)),
    },
    responses: reads.responses,
    reports: reads.reports,
    accounts: accounts.port,
    activity: {
      ...reads.activity,
      setTimeZone: async (projectId, timeZone) => zoneBuild.setTimeZone(projectId, timeZone),
      buildZoneStep: async (maxRows) => whenAvailable(() => zoneBuild.step(maxRows)),
    },
    retention: sqliteRetention(db),
    webhooks,
    close: async () => void db.close(),
  };
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let next = version; next < MIGRATIONS.length; next++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next]!);
      db.pragma(`user_version = ${next + 1}`);
    }).immediate();
  }
}
