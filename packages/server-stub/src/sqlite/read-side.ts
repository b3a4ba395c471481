import type Database from 'better-sqlite3';
import type { DisplayHistory, SurveyDefinition } from '@cxkit/protocol';
import type { DayTotals } from '../activity-math.js';
import { displayHistoryOf, type SurveyEventCount } from '../display-history.js';
import type { ActivityPort, ReportsPort, ResponsesPort, SurveysPort } from '../ports.js';
import { GROUP_COLUMNS, type GroupSource, type ResponseQuery, type ResponseRow, type ScoreRow, type StoredSurvey, type UserWindow } from '../storage.js';
import { scalesOf, type ScaleOf } from '../survey-scales.js';

export interface ReadSide {
  surveys: Omit<SurveysPort, 'active'>;
  responses: ResponsesPort;
  activity: Omit<ActivityPort, 'setTimeZone' | 'buildZoneStep'>;
  reports: ReportsPort;
}

/** The SQLite queries behind metrics, the responses list, display history and survey admin. */
export function sqliteReadSide(db: Database.Database, now: () => number = Date.now): ReadSide {
  const totals = db.prepare<[string, number], DayTotals>(
    'SELECT day, dau, mau_delta AS mauDelta FROM activity_day_totals WHERE project_id = ? AND day <= ? ORDER BY day',
  );
  const zoneTotals = db.prepare<[string, number], DayTotals>(
    'SELECT day, dau, mau_delta AS mauDelta FROM activity_zone_day_totals WHERE project_id = ? AND day <= ? ORDER BY day',
  );
  const timeZone = db.prepare<[string], { timeZone: string; building: number }>(
    `SELECT time_zone AS timeZone, EXISTS (SELECT 1 FROM zone_rollup_builds WHERE project_id = projects.id) AS building
     FROM projects WHERE id = ?`,
  );
  const subjectDays = db
    .prepare<[string, number], [string, number, number, number]>(
      'SELECT subject, quarters_0, quarters_1, quarters_2 FROM activity_subject_days WHERE project_id = ? AND day = ?',
    )
    .raw();
  const identities = db.prepare<[string], [string, string]>('SELECT anonymous_id, user_id FROM identities WHERE project_id = ?').raw();
  const windowsSql = (some: boolean) =>
    `SELECT user_key AS user, SUM(day > @asOf - @window) AS days, SUM(day <= @asOf - @window AND day > @asOf - 2 * @window) AS daysBefore, MAX(day) AS lastDay
     FROM activity_user_days WHERE project_id = @projectId AND day > @asOf - @lookback AND day <= @asOf
     ${some ? 'AND user_key IN (SELECT value FROM json_each(@users))' : ''} GROUP BY user_key`;
  const allWindows = db.prepare<[Record<string, unknown>], UserWindow>(windowsSql(false));
  const someWindows = db.prepare<[Record<string, unknown>], UserWindow>(windowsSql(true));
  const scores = db.prepare<[string, number, number], ScoreRow>(
    'SELECT survey_id AS surveyId, metric, score, at FROM responses WHERE project_id = ? AND at >= ? AND at < ?',
  );
  const surveyScores = db.prepare<[string, number, number, string], ScoreRow>(
    `SELECT survey_id AS surveyId, metric, score, at FROM responses
     WHERE project_id = ? AND at >= ? AND at < ? AND survey_id = ?`,
  );
  const groupedScores = (projectId: string, fromAt: number, toAt: number, surveyId: string | undefined, by: GroupSource) => {
    const group = 'key' in by ? `json_extract(${GROUP_COLUMNS[by.kind]}, @path)` : GROUP_COLUMNS[by.kind];
    const statement = db.prepare<Record<string, unknown>, ScoreRow>(
      `SELECT survey_id AS surveyId, metric, score, at, ${group} AS "group" FROM responses
       WHERE project_id = @projectId AND at >= @fromAt AND at < @toAt ${surveyId === undefined ? '' : 'AND survey_id = @surveyId'}`,
    );
    // The key as a quoted label of a JSON path, which may hold any character once " and \ are escaped.
    const path = 'key' in by ? `$."${by.key.replace(/["\\]/g, '\\$&')}"` : undefined;
    return statement.all({ projectId, fromAt, toAt, ...(surveyId !== undefined && { surveyId }), ...(path !== undefined && { path }) });
  };
  const shown = db
    .prepare<[string, number, number], number>(
      "SELECT at FROM survey_events WHERE project_id = ? AND at >= ? AND at < ? AND kind = 'shown'",
    )
    .pluck();
  const surveyShown = db
    .prepare<[string, number, number, string], number>(
      "SELECT at FROM survey_events WHERE project_id = ? AND at >= ? AND at < ? AND kind = 'shown' AND survey_id = ?",
    )
    .pluck();
  // A user's rows are those carrying their userId, and those of anonymous ids that identified as them.
  const historyEvents = db.prepare<{ project: string; user: string }, SurveyEventCount>(
    `SELECT survey_id, kind, COUNT(*) AS n, MAX(at) AS last FROM (
       SELECT survey_id, kind, at FROM survey_events WHERE project_id = @project AND user_id = @user
       UNION ALL
       SELECT e.survey_id, e.kind, e.at FROM identities i
       JOIN survey_events e ON e.project_id = i.project_id AND e.anonymous_id = i.anonymous_id AND e.user_id IS NULL
       WHERE i.project_id = @project AND i.user_id = @user
     ) AS events GROUP BY survey_id, kind`,
  );
  const answered = db
    .prepare<{ project: string; user: string }, string>(
      `SELECT survey_id FROM responses WHERE project_id = @project AND user_id = @user
       UNION
       SELECT r.survey_id FROM identities i
       JOIN responses r ON r.project_id = i.project_id AND r.anonymous_id = i.anonymous_id AND r.user_id IS NULL
       WHERE i.project_id = @project AND i.user_id = @user`,
    )
    .pluck();
  const surveys = db.prepare<[string], { definition: string; active: number; deleted_at: number | null }>(
    'SELECT definition, active, deleted_at FROM surveys WHERE project_id = ? ORDER BY id',
  );
  const putSurvey = db.prepare(
    `INSERT INTO surveys (project_id, id, definition, active, updated_at, deleted_at) VALUES (?, ?, ?, ?, ?, NULL)
     ON CONFLICT (project_id, id) DO UPDATE SET
       definition = excluded.definition, active = excluded.active, updated_at = excluded.updated_at, deleted_at = NULL`,
  );
  const setActive = db.prepare(
    'UPDATE surveys SET active = ?, updated_at = ? WHERE project_id = ? AND id = ? AND deleted_at IS NULL',
  );
  const markDeleted = db.prepare(
    'UPDATE surveys SET active = 0, deleted_at = ?, updated_at = ? WHERE project_id = ? AND id = ? AND deleted_at IS NULL',
  );

  const responseCount = db.prepare<[string, string], number>('SELECT count(*) FROM responses WHERE project_id = ? AND survey_id = ?').pluck();

  const allSurveys = (projectId: string) =>
    surveys.all(projectId).map(
      (row): StoredSurvey => ({
        definition: JSON.parse(row.definition) as SurveyDefinition,
        active: row.active === 1,
        deleted: row.deleted_at !== null,
      }),
    );
  // Only this process writes the file: forgetting a project's scales on each change of its surveys keeps them true.
  const scales = new Map<string, ScaleOf>();

  const dropReports = db.prepare<[string, number, number], { at: number; counts: string }>(
    'SELECT at, counts FROM drop_reports WHERE project_id = ? AND at >= ? AND at < ?',
  );

  function displayHistory(projectId: string, userId: string): DisplayHistory {
    const keys = { project: projectId, user: userId };
    return displayHistoryOf(historyEvents.all(keys), answered.all(keys));
  }

  return {
    reports: {
      dropped: async (projectId, fromAt, toAt) => dropReports.all(projectId, fromAt, toAt).map((row) => ({ at: row.at, counts: JSON.parse(row.counts) })),
    },
    activity: {
      totals: async (projectId, toDay) => totals.all(projectId, toDay),
      async timeZone(projectId) {
        const row = timeZone.get(projectId);
        return row && { timeZone: row.timeZone, ready: row.building === 0 };
      },
      zoneTotals: async (projectId, toDay) => zoneTotals.all(projectId, toDay),
      async forEachSubjectDay(projectId, fromDay, toDay, visit) {
        // A day at a time with all(): far less work a row than one long iterate().
        for (let day = fromDay; day <= toDay; day++) {
          for (const [subject, q0, q1, q2] of subjectDays.all(projectId, day)) visit(day, subject, q0, q1, q2);
        }
      },
      identities: async (projectId) => new Map(identities.all(projectId)),
      async userWindows(projectId, asOf, window, lookback, users) {
        const params = { projectId, asOf, window, lookback };
        return users ? someWindows.all({ ...params, users: JSON.stringify(users) }) : allWindows.all(params);
      },
    },
    responses: {
      async scores(projectId, fromAt, toAt, surveyId, groupBy) {
        if (groupBy) return groupedScores(projectId, fromAt, toAt, surveyId, groupBy);
        return surveyId === undefined ? scores.all(projectId, fromAt, toAt) : surveyScores.all(projectId, fromAt, toAt, surveyId);
      },
      shownTimes: async (projectId, fromAt, toAt, surveyId) =>
        surveyId === undefined ? shown.all(projectId, fromAt, toAt) : surveyShown.all(projectId, fromAt, toAt, surveyId),
      async list(projectId, query) {
        const { sql, params } = responsesSql(projectId, query);
        return (db.prepare(sql).all(...params) as (Omit<ResponseRow, 'final'> & { final: number })[]).map((row) => ({
          ...row,
          final: row.final === 1,
        }));
      },
      displayHistory: async (projectId, userId) => displayHistory(projectId, userId),
      counts: async (projectId, surveyIds) => new Map(surveyIds.map((id) => [id, responseCount.get(projectId, id)!])),
    },
    surveys: {
      all: async (projectId) => allSurveys(projectId),
      async scales(projectId) {
        let known = scales.get(projectId);
        if (!known) scales.set(projectId, (known = scalesOf(allSurveys(projectId))));
        return known;
      },
      async put(projectId, survey, active) {
        putSurvey.run(projectId, survey.id, JSON.stringify(survey), active ? 1 : 0, now());
        scales.delete(projectId);
      },
      async setActive(projectId, id, active) {
        setActive.run(active ? 1 : 0, now(), projectId, id);
        scales.delete(projectId);
      },
      async delete(projectId, id) {
        markDeleted.run(now(), now(), projectId, id);
        scales.delete(projectId);
      },
    },
  };
}

function responsesSql(projectId: string, query: ResponseQuery): { sql: string; params: unknown[] } {
  const where = ['project_id = ?'];
  const params: unknown[] = [projectId];
  const add = (condition: string, ...values: unknown[]) => {
    where.push(condition);
    params.push(...values);
  };
  if (query.surveyId !== undefined) add('survey_id = ?', query.surveyId);
  if (query.responseId !== undefined) add('response_id = ?', query.responseId);
  if (query.metric !== undefined) add('metric = ?', query.metric);
  if (query.anyOf) {
    const alternatives: string[] = [];
    for (const condition of query.anyOf) {
      const { surveys } = condition;
      if (surveys?.only && surveys.ids.length === 0) continue;
      let sql = 'metric = ? AND score BETWEEN ? AND ?';
      params.push(condition.metric, condition.min, condition.max);
      if (surveys && surveys.ids.length > 0) {
        sql += ` AND survey_id ${surveys.only ? '' : 'NOT '}IN (${surveys.ids.map(() => '?').join(', ')})`;
        params.push(...surveys.ids);
      }
      alternatives.push(`(${sql})`);
    }
    where.push(alternatives.length > 0 ? `(${alternatives.join(' OR ')})` : '1 = 0');
  }
  if (query.minScore !== undefined) add('score >= ?', query.minScore);
  if (query.maxScore !== undefined) add('score <= ?', query.maxScore);
  if (query.fromAt !== undefined) add('at >= ?', query.fromAt);
  if (query.toAt !== undefined) add('at < ?', query.toAt);
  if (query.hasComment === true) add("comment IS NOT NULL AND comment <> ''");
  if (query.hasComment === false) add("(comment IS NULL OR comment = '')");
  if (query.text) add("comment LIKE ? ESCAPE '\\'", `%${query.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (query.before) add('(at < ? OR (at = ? AND response_id < ?))', query.before.at, query.before.at, query.before.responseId);
  params.push(query.limit);
  return {
    sql: `SELECT response_id AS responseId, survey_id AS surveyId, metric, score, comment, final,
                 anonymous_id AS anonymousId, user_id AS userId, at
          FROM responses WHERE ${where.join(' AND ')} ORDER BY at DESC, response_id DESC LIMIT ?`,
    params,
  };
}
