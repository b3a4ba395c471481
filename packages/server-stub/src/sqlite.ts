import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { SurveyResponseItem } from '@cxkit/sdk/protocol';
import { createRollup } from './rollup.js';
import { MIGRATIONS } from './schema.js';
import { sqliteReadSide } from './sqlite-read-side.js';
import type { Project, ResponseRow, Storage, StoredItem } from './storage.js';

export function openSqlite(file: string): Storage & { db: Database.Database } {
  const db = new Database(file);
  // WAL lets readers run beside the writer; FULL makes every commit survive power loss, and
  // is affordable because many requests share one commit.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  type ProjectRow = { id: string; name: string; write_key: string; allowed_origins: string };
  const projectByWriteKey = db.prepare<[string], ProjectRow>(
    'SELECT id, name, write_key, allowed_origins FROM projects WHERE write_key = ?',
  );
  const projectByReadKeyHash = db.prepare<[string], ProjectRow>(
    'SELECT id, name, write_key, allowed_origins FROM projects WHERE read_key_hash = ?',
  );
  const toProject = (row: ProjectRow | undefined): Project | undefined =>
    row && { id: row.id, name: row.name, writeKey: row.write_key, allowedOrigins: row.allowed_origins.split(/\s+/) };
  const insertItem = db.prepare(
    `INSERT INTO items (project_id, id, type, at, received_at, anonymous_id, user_id, session_id, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  // A response arrives as several items sharing responseId (score first, comment later), maybe out
  // of order: the newest score wins, a comment is never erased, final only moves to true.
  const upsertResponse = db.prepare(
    `INSERT INTO responses (project_id, response_id, survey_id, metric, score, comment, final, anonymous_id, user_id, at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (project_id, response_id) DO UPDATE SET
       score = CASE WHEN excluded.updated_at >= responses.updated_at THEN excluded.score ELSE responses.score END,
       comment = COALESCE(excluded.comment, responses.comment),
       final = MAX(responses.final, excluded.final),
       user_id = COALESCE(responses.user_id, excluded.user_id),
       at = MIN(responses.at, excluded.at),
       updated_at = MAX(responses.updated_at, excluded.updated_at)`,
  );
  const insertProject = db.prepare(
    `INSERT INTO projects (id, name, write_key, read_key_hash, allowed_origins, created_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const upsertSurvey = db.prepare(
    `INSERT INTO surveys (project_id, id, definition, active, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (project_id, id) DO UPDATE SET
       definition = excluded.definition, active = excluded.active, updated_at = excluded.updated_at`,
  );
  const selectSurveys = db.prepare<[string], { definition: string }>(
    'SELECT definition FROM surveys WHERE project_id = ? AND active = 1 AND deleted_at IS NULL ORDER BY id',
  );
  const selectResponses = db.prepare(
    `SELECT response_id AS responseId, survey_id AS surveyId, metric, score, comment, final,
            anonymous_id AS anonymousId, user_id AS userId, at
     FROM responses WHERE project_id = ? ORDER BY at DESC`,
  );

  const rollup = createRollup(db);
  const ingest = db.transaction((projectId: string, items: StoredItem[]) => {
    let accepted = 0;
    const stored: StoredItem[] = [];
    for (const { item, at, receivedAt } of items) {
      const inserted = insertItem.run(
        projectId,
        item.id,
        item.type,
        at,
        receivedAt,
        item.anonymousId,
        item.userId ?? null,
        item.sessionId,
        JSON.stringify(item),
      ).changes;
      if (inserted === 0) continue;
      accepted++;
      stored.push({ item, at, receivedAt });
      if (item.type === 'survey_response') upsert(projectId, item, at);
    }
    rollup.record(projectId, stored);
    return { accepted, duplicates: items.length - accepted };
  });

  function upsert(projectId: string, item: SurveyResponseItem, at: number): void {
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
    );
  }

  return {
    db,
    ...sqliteReadSide(db),
    ensureProject(project) {
      insertProject.run(
        project.id,
        project.name,
        project.writeKey,
        hashKey(project.readKey),
        project.allowedOrigins.join(' '),
        Date.now(),
      );
    },
    saveSurvey(projectId, survey, active) {
      upsertSurvey.run(projectId, survey.id, JSON.stringify(survey), active ? 1 : 0, Date.now());
    },
    projectByWriteKey: (writeKey) => toProject(projectByWriteKey.get(writeKey)),
    projectByReadKey: (readKey) => toProject(projectByReadKeyHash.get(hashKey(readKey))),
    ingest: (projectId, items) => ingest.immediate(projectId, items),
    surveys: (projectId) => selectSurveys.all(projectId).map((row) => JSON.parse(row.definition)),
    responses: (projectId) =>
      (selectResponses.all(projectId) as (Omit<ResponseRow, 'final'> & { final: number })[]).map((row) => ({
        ...row,
        final: row.final === 1,
      })),
    close: () => db.close(),
  };
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
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
