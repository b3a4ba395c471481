import { Hono } from 'hono';
import { requireReadKey, type ReadKeyEnv } from './auth.js';
import { PERIODS } from './calendar.js';
import { computeMetrics, METRIC_NAMES, type MetricName } from './metrics.js';
import { answerErrors, BadRequest, parseChoice, parseDateRange, parseZone, rejectUnknown } from './query-params.js';
import type { Storage } from './storage.js';
import { scalesOf } from './survey-scales.js';

const PARAMS = ['from', 'to', 'period', 'tz', 'survey', 'metrics'];

/** GET /v1/metrics (read key): NPS, CSAT, CES, response rate and DAU/MAU over a range; docs/metrics.md. */
export function metricsApi(storage: Storage, now: () => number): Hono<ReadKeyEnv> {
  const api = new Hono<ReadKeyEnv>();
  api.onError(answerErrors);
  api.get('/metrics', requireReadKey(storage), (c) => {
    const project = c.get('project');
    const params = c.req.query();
    rejectUnknown(params, PARAMS);
    const zone = parseZone(params.tz);
    const range = parseDateRange(params, zone, now(), 30);
    const surveys = storage.allSurveys(project.id);
    if (params.survey !== undefined && !surveys.some((s) => s.definition.id === params.survey)) {
      throw new BadRequest(`no survey has the id "${params.survey}"`);
    }
    const metrics: readonly MetricName[] =
      params.metrics === undefined ? METRIC_NAMES : params.metrics.split(',').map((name) => parseChoice('metrics', name.trim(), METRIC_NAMES)!);
    c.header('Cache-Control', 'private, no-cache');
    return c.json(
      computeMetrics(storage, project.id, {
        ...range,
        period: parseChoice('period', params.period, PERIODS) ?? 'day',
        zone,
        surveyId: params.survey,
        metrics,
        scaleMax: scalesOf(surveys),
      }),
    );
  });
  return api;
}
