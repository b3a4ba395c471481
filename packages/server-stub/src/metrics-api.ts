import { Hono } from 'hono';
import { requireReadKey, type ReadKeyEnv } from './auth.js';
import { PERIODS } from './calendar.js';
import { LIMITS } from '@cxkit/protocol';
import { METRIC_NAMES, type MetricName, type MetricsRequest } from './metrics.js';
import type { MetricsReader } from './metrics-reader.js';
import { answerErrors, BadRequest, parseChoice, parseDateRange, parseZone, rejectUnknown } from './query-params.js';
import type { Storage } from './ports.js';

const PARAMS = ['from', 'to', 'period', 'tz', 'survey', 'metrics', 'groupBy', 'compare'];

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
      ...breakdownParams(params.groupBy, c.req.queries('compare')),
    });
    c.header('Cache-Control', 'private, no-cache');
    return c.json(report);
  });
  return api;
}

/** `groupBy` (trait:<key>, event:<key>, locale, survey) and `compare`, given twice: two groups' keys. */
function breakdownParams(groupBy: string | undefined, compare: string[] | undefined): Pick<MetricsRequest, 'groupBy' | 'compare'> {
  if (compare !== undefined && groupBy === undefined) throw new BadRequest('compare needs groupBy');
  if (groupBy === undefined) return {};
  if (compare !== undefined && compare.length !== 2) throw new BadRequest(`compare must be given twice, once for each group, not ${compare.length} times`);
  const pair = compare && { compare: [compare[0]!, compare[1]!] as [string, string] };
  if (groupBy === 'locale' || groupBy === 'survey') return { groupBy: { kind: groupBy }, ...pair };
  const [, kind, key] = /^(trait|event):(.*)$/s.exec(groupBy) ?? [];
  if (kind === undefined || key === undefined) throw new BadRequest(`groupBy must be trait:<key>, event:<key>, locale or survey, not "${groupBy}"`);
  if (key === '' || key.length > LIMITS.snapshotKeyChars) throw new BadRequest(`groupBy ${kind}: needs a key of 1 to ${LIMITS.snapshotKeyChars} characters`);
  return { groupBy: { kind: kind as 'trait' | 'event', key }, ...pair };
}
