import type pg from 'pg';
import { displayHistoryOf, type SurveyEventCount } from '../display-history.js';
import type { ResponsesPort } from '../ports.js';
import { GROUP_COLUMNS, type ResponseQuery, type ResponseRow, type ScoreRow } from '../storage.js';

/** The queries behind metrics, the responses list and display history; those of sqlite/read-side.ts in PostgreSQL. */
export function postgresResponses(pool: pg.Pool): ResponsesPort {
  return {
    async scores(projectId, fromAt, toAt, surveyId, groupBy) {
      const values: unknown[] = [projectId, fromAt, toAt];
      const param = (value: unknown) => `$${values.push(value)}`;
      const survey = surveyId === undefined ? '' : `AND survey_id = ${param(surveyId)}`;
      const group = !groupBy ? '' : `, ${'key' in groupBy ? `${GROUP_COLUMNS[groupBy.kind]} ->> ${param(groupBy.key)}::text` : GROUP_COLUMNS[groupBy.kind]} AS "group"`;
      const { rows } = await pool.query<ScoreRow>(
        `SELECT survey_id AS "surveyId", metric, score, at ${group} FROM responses
         WHERE project_id = $1 AND at >= $2 AND at < $3 ${survey}`,
        values,
      );
      return rows;
    },
    async shownTimes(projectId, fromAt, toAt, surveyId) {
      const { rows } = await pool.query<[number]>({
        text: `SELECT at FROM survey_events WHERE project_id = $1 AND at >= $2 AND at < $3 AND kind = 'shown'
               ${surveyId === undefined ? '' : 'AND survey_id = $4'}`,
        values: surveyId === undefined ? [projectId, fromAt, toAt] : [projectId, fromAt, toAt, surveyId],
        rowMode: 'array',
      });
      return rows.map(([at]) => at);
    },
    async list(projectId, query) {
      const { rows } = await pool.query<ResponseRow>(responsesSql(projectId, query));
      return rows;
    },
    async displayHistory(projectId, userId) {
      const keys = [projectId, userId];
      // A user's rows are those carrying their userId, and those of anonymous ids that identified as them.
      const [events, answered] = await Promise.all([
        pool.query<SurveyEventCount>(
          `SELECT survey_id, kind, count(*) AS n, max(at) AS last FROM (
             SELECT survey_id, kind, at FROM survey_events WHERE project_id = $1 AND user_id = $2
             UNION ALL
             SELECT e.survey_id, e.kind, e.at FROM identities i
             JOIN survey_events e ON e.project_id = i.project_id AND e.anonymous_id = i.anonymous_id AND e.user_id IS NULL
             WHERE i.project_id = $1 AND i.user_id = $2
           ) AS events GROUP BY survey_id, kind`,
          keys,
        ),
        pool.query<{ survey_id: string }>(
          `SELECT survey_id FROM responses WHERE project_id = $1 AND user_id = $2
           UNION
           SELECT r.survey_id FROM identities i
           JOIN responses r ON r.project_id = i.project_id AND r.anonymous_id = i.anonymous_id AND r.user_id IS NULL
           WHERE i.project_id = $1 AND i.user_id = $2`,
          keys,
        ),
      ]);
      return displayHistoryOf(events.rows, answered.rows.map((row) => row.survey_id));
    },
    async counts(projectId, surveyIds) {
      const { rows } = await pool.query<{ survey_id: string; n: number }>(
        `SELECT survey_id, count(*)::int AS n FROM responses WHERE project_id = $1 AND survey_id = ANY($2) GROUP BY survey_id`,
        [projectId, surveyIds],
      );
      const counted = new Map(rows.map((row) => [row.survey_id, row.n]));
      return new Map(surveyIds.map((id) => [id, counted.get(id) ?? 0]));
    },
  };
}

function responsesSql(projectId: string, query: ResponseQuery): pg.QueryConfig {
  const values: unknown[] = [projectId];
  const param = (value: unknown) => `$${values.push(value)}`;
  const where = ['project_id = $1'];
  if (query.surveyId !== undefined) where.push(`survey_id = ${param(query.surveyId)}`);
  if (query.responseId !== undefined) where.push(`response_id = ${param(query.responseId)}`);
  if (query.metric !== undefined) where.push(`metric = ${param(query.metric)}`);
  if (query.anyOf) {
    const alternatives: string[] = [];
    for (const condition of query.anyOf) {
      const { surveys } = condition;
      if (surveys?.only && surveys.ids.length === 0) continue;
      let sql = `metric = ${param(condition.metric)} AND score BETWEEN ${param(condition.min)} AND ${param(condition.max)}`;
      if (surveys && surveys.ids.length > 0) {
        sql += surveys.only ? ` AND survey_id = ANY(${param(surveys.ids)}::text[])` : ` AND survey_id <> ALL(${param(surveys.ids)}::text[])`;
      }
      alternatives.push(`(${sql})`);
    }
    where.push(alternatives.length > 0 ? `(${alternatives.join(' OR ')})` : 'false');
  }
  if (query.minScore !== undefined) where.push(`score >= ${param(query.minScore)}`);
  if (query.maxScore !== undefined) where.push(`score <= ${param(query.maxScore)}`);
  if (query.fromAt !== undefined) where.push(`at >= ${param(query.fromAt)}`);
  if (query.toAt !== undefined) where.push(`at < ${param(query.toAt)}`);
  if (query.hasComment === true) where.push("comment IS NOT NULL AND comment <> ''");
  if (query.hasComment === false) where.push("(comment IS NULL OR comment = '')");
  // ILIKE: case-insensitive for ASCII letters as SQLite's LIKE, and for others too where the database's locale folds them.
  if (query.text) where.push(`comment ILIKE ${param(`%${query.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)} ESCAPE '\\'`);
  if (query.before) {
    const at = param(query.before.at);
    where.push(`(at < ${at} OR (at = ${at} AND response_id < ${param(query.before.responseId)}))`);
  }
  return {
    text: `SELECT response_id AS "responseId", survey_id AS "surveyId", metric, score, comment, final,
                  anonymous_id AS "anonymousId", user_id AS "userId", at
           FROM responses WHERE ${where.join(' AND ')} ORDER BY at DESC, response_id DESC LIMIT ${param(query.limit)}`,
    values,
  };
}
