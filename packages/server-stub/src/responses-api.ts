import { Hono } from 'hono';
import { bucketOf, BUCKETS, METRICS, type ListedResponse, type Metric } from '@cxkit/protocol';
import { requireReadKey, type ReadKeyEnv } from './auth.js';
import { dayStart } from './calendar.js';
import { csvRow } from './csv.js';
import {
  answerErrors,
  BadRequest,
  parseChoice,
  parseDayParam,
  parseIntegerParam,
  parseZone,
  rejectUnknown,
} from './query-params.js';
import { bucketConditions } from './score-buckets.js';
import type { Storage } from './ports.js';
import type { ResponseQuery, ResponseRow, StoredSurvey } from './storage.js';
import { scalesOf } from './survey-scales.js';
import { isStorableText } from './validate.js';

/** The filters the responses list, its export and comment themes all take. */
export const FILTERS = ['survey', 'metric', 'bucket', 'minScore', 'maxScore', 'from', 'to', 'tz', 'hasComment', 'q', 'response'];
const CSV_PAGE = 1000;

/** A response as the API lists it (and as an alert carries it). */
export type { ListedResponse };

export interface ResponsesPage {
  responses: ListedResponse[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** GET /v1/responses (paged JSON) and GET /v1/responses.csv (everything matching), read key. */
export function responsesApi(storage: Storage): Hono<ReadKeyEnv> {
  const api = new Hono<ReadKeyEnv>();
  api.onError(answerErrors);

  api.get('/responses', requireReadKey(storage.projects), async (c) => {
    const project = c.get('project');
    const params = c.req.query();
    rejectUnknown(params, [...FILTERS, 'limit', 'cursor']);
    const surveys = await storage.surveys.all(project.id);
    const query: ResponseQuery = {
      ...filters(params, surveys),
      limit: parseIntegerParam('limit', params.limit, 1, 500) ?? 50,
      before: params.cursor === undefined ? undefined : decodeCursor(params.cursor),
    };
    const rows = await storage.responses.list(project.id, query);
    const last = rows[rows.length - 1];
    c.header('Cache-Control', 'private, no-cache');
    return c.json({
      responses: rows.map(lister(surveys)),
      nextCursor: rows.length === query.limit && last ? encodeCursor(last) : null,
    } satisfies ResponsesPage);
  });

  api.get('/responses.csv', requireReadKey(storage.projects), async (c) => {
    const project = c.get('project');
    const params = c.req.query();
    rejectUnknown(params, FILTERS);
    const surveys = await storage.surveys.all(project.id);
    const query: ResponseQuery = { ...filters(params, surveys), limit: CSV_PAGE };
    const list = lister(surveys);
    const encoder = new TextEncoder();
    // Page by page, so an export of any size neither fills memory nor holds the database.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // A byte order mark, so spreadsheet apps read the comments as UTF-8.
        controller.enqueue(encoder.encode(`\ufeff${csvRow(CSV_COLUMNS)}`));
      },
      async pull(controller) {
        const rows = await storage.responses.list(project.id, query);
        controller.enqueue(encoder.encode(rows.map((row) => csvRow(csvCells(list(row)))).join('')));
        const last = rows[rows.length - 1];
        if (rows.length < CSV_PAGE || !last) controller.close();
        else query.before = { at: last.at, responseId: last.responseId };
      },
    });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${project.id}-responses.csv"`);
    c.header('Cache-Control', 'private, no-store');
    return c.body(body);
  });

  return api;
}

export function filters(params: Record<string, string>, surveys: readonly StoredSurvey[]): Omit<ResponseQuery, 'limit'> {
  const metric = parseChoice('metric', params.metric, METRICS);
  const bucket = parseChoice('bucket', params.bucket, BUCKETS);
  const hasComment = parseChoice('hasComment', params.hasComment, ['true', 'false'] as const);
  const zone = parseZone(params.tz);
  const from = parseDayParam('from', params.from);
  const to = parseDayParam('to', params.to);
  if (from !== undefined && to !== undefined && from > to) throw new BadRequest('from is after to');
  return {
    surveyId: params.survey,
    metric,
    anyOf: bucket === undefined ? undefined : bucketConditions(bucket, surveys, metric),
    minScore: parseIntegerParam('minScore', params.minScore, 0, 10),
    maxScore: parseIntegerParam('maxScore', params.maxScore, 0, 10),
    fromAt: from === undefined ? undefined : dayStart(zone, from),
    toAt: to === undefined ? undefined : dayStart(zone, to + 1),
    hasComment: hasComment === undefined ? undefined : hasComment === 'true',
    text: params.q?.trim() || undefined,
    responseId: params.response,
  };
}

/** Turns stored rows into listed responses, with their survey's name and their bucket on its scale. */
export function lister(surveys: readonly StoredSurvey[]): (row: ResponseRow) => ListedResponse {
  const names = new Map(surveys.map((s) => [s.definition.id, s.definition.name ?? null]));
  const scaleMax = scalesOf(surveys);
  return (row) => ({
    responseId: row.responseId,
    surveyId: row.surveyId,
    surveyName: names.get(row.surveyId) ?? null,
    metric: row.metric as Metric,
    score: row.score,
    bucket: bucketOf(row.metric as Metric, scaleMax(row.surveyId, row.metric as Metric), row.score),
    comment: row.comment,
    final: row.final,
    userId: row.userId,
    anonymousId: row.anonymousId,
    at: new Date(row.at).toISOString(),
  });
}

const CSV_COLUMNS = ['response_id', 'survey_id', 'survey_name', 'metric', 'score', 'bucket', 'comment', 'final', 'user_id', 'anonymous_id', 'answered_at'];

const csvCells = (r: ListedResponse) => [
  r.responseId, r.surveyId, r.surveyName, r.metric, r.score, r.bucket, r.comment, r.final, r.userId, r.anonymousId, r.at,
];

function encodeCursor(row: ResponseRow): string {
  return Buffer.from(JSON.stringify([row.at, row.responseId])).toString('base64url');
}

function decodeCursor(cursor: string): { at: number; responseId: string } {
  try {
    const [at, responseId] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof at === 'number' && typeof responseId === 'string' && isStorableText(responseId)) return { at, responseId };
  } catch {
    // Answered below like any other cursor we did not give out.
  }
  throw new BadRequest('cursor is not one this server gave out; pass nextCursor from the previous page');
}
