import { Hono } from 'hono';
import { requireReadKey, type ReadKeyEnv } from './auth.js';
import { PERIODS } from './calendar.js';
import { METRIC_NAMES, type MetricName } from './metrics.js';
import type { MetricsReader } from './metrics-reader.js';
import { answerErrors, BadRequest, parseChoice, parseDateRange, parseZone, rejectUnknown } from './query-params.js';
import type { Storage } from './ports.js';

const PARAMS = ['from', 'to', 'period', 'tz', 'survey', 'metrics'];

/** GET /v1/metrics (read key): NPS, CSAT, CES, response rate and DAU/MAU over a range; docs/metrics.md. */
export function metricsApi(storage: Storage, now: () => number, read: MetricsReader): Hono<ReadKeyEnv> {
  const api = new Hono<ReadKeyEnv>();
  api.onError(answerErrors);
  api.get('/metrics', requireReadKey(storage.projects), async (c) => {
    const project = c.get('project');
    const params = c.req.query();
    rejectUnknown(params, PARAMS);
    const zone = parseZone(params.tz);
    const range = parseDateRange(params, zone, now(), 30);
    if (params.survey !== undefined && !(await storage.surveys.all(project.id)).some((s) => s.definition.id === params.survey)) {
      throw new BadRequest(`no survey has the id "${params.survey}"`);
    }
    const metrics: readonly MetricName[] =
      params.metrics === undefined ? METRIC_NAMES : params.metrics.split(',').map((name) => parseChoice('metrics', name.trim(), METRIC_NAMES)!);
    const report = await read({
      projectId: project.id,
      ...range,
      period: parseChoice('period', params.period, PERIODS) ?? 'day',
      tz: zone.name,
      surveyId: params.survey,
      metrics,
    });
    c.header('Cache-Control', 'private, no-cache');
    return c.json(report);
  });
  return api;
}
