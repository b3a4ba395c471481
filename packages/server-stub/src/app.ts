import { Hono } from 'hono';
import * as v from 'valibot';
import { etag } from 'hono/etag';
import { LIMITS, type SurveyDefinition, type SurveysResponse } from '@cxkit/protocol';
import { projectForWriteKey } from './auth.js';
import { backgroundSteps } from './background-steps.js';
import { accountsApi } from './accounts-api.js';
import { accountIdSchema } from './accounts/traits.js';
import { commentThemesApi } from './comment-themes-api.js';
import { createCommitQueue, type CommitQueueOptions } from './commit-queue.js';
import { dashboardFiles } from './dashboard-files.js';
import { ingest } from './ingest.js';
import { metricsApi } from './metrics-api.js';
import { inProcessAccounts, inProcessReader, type AccountsReader, type MetricsReader } from './metrics-reader.js';
import { openCors } from './origins.js';
import { answerErrors } from './query-params.js';
import { createRateLimiter, createSharedRateLimiter, DEFAULT_RATE_LIMIT, type RateLimit } from './rate-limit.js';
import { limitBody, requireBatchType } from './request-limits.js';
import { responsesApi } from './responses-api.js';
import { retentionSweeps } from './retention.js';
import { retentionApi } from './retention-api.js';
import { sdkFiles } from './sdk-files.js';
import { surveyAdminApi } from './survey-admin.js';
import { cachedCounts, forAccount, notServing } from './survey-serving.js';
import type { Storage } from './ports.js';
import { timeZoneApi } from './time-zone-api.js';
import { isStorableText } from './validate.js';
import { webhooksApi } from './webhooks-api.js';

/** Subject-days a step of a zone calendar's build replays: tens of milliseconds, between commits. */
export const ZONE_BUILD_STEP_ROWS = 2000;

/** Builds the calendar of a project's zone after a change, in the background (zone-rollup-build.ts). */
export const zoneRollupBuilds = (activity: Pick<Storage['activity'], 'buildZoneStep'>, schedule?: (run: () => Promise<void>) => void) =>
  backgroundSteps(() => activity.buildZoneStep(ZONE_BUILD_STEP_ROWS), schedule);

export interface AppOptions {
  storage: Storage;
  /** Directory of the sdk's script-tag build, served under /sdk/. */
  sdkDir?: string;
  /** Directory of the built dashboard, served at /dashboard. */
  dashboardDir?: string;
  now?: () => number;
  /** Per project, across every process on the database; defaults to DEFAULT_RATE_LIMIT. */
  rateLimit?: RateLimit;
  /** Bounds and scheduling of the group commit (commit-queue.ts). */
  commits?: Omit<CommitQueueOptions, 'commit'>;
  /** Where metrics are computed; in-process unless given (the server passes its read pool). */
  metricsReader?: MetricsReader;
  /** Answers every account's metrics; the server passes its read pool's, off the event loop. */
  accountsReader?: AccountsReader;
  /** Started when a project's zone changes; the server passes the one it also resumes interrupted builds with. */
  zoneBuilds?: { start(): void };
  /** Started when a project's retention changes; the server passes the one it also runs every so often. */
  retentionSweeps?: { start(): void };
  /** Woken when an event is queued outside ingest (a test event); the server passes its delivery worker. */
  deliveries?: { wake(): void };
  /** The address users reach the dashboard at, for links in alerts; the request's origin when not given. */
  publicUrl?: string;
}

/** The whole HTTP surface as a value: tests call app.request() without opening a port. */
export function createApp({
  storage,
  sdkDir,
  dashboardDir,
  now = Date.now,
  rateLimit = DEFAULT_RATE_LIMIT,
  commits,
  metricsReader = inProcessReader(storage),
  accountsReader = inProcessAccounts(storage),
  zoneBuilds = zoneRollupBuilds(storage.activity),
  retentionSweeps: sweeps = retentionSweeps(storage.retention, now),
  deliveries,
  publicUrl,
}: AppOptions): Hono {
  const app = new Hono();
  // A database that cannot answer now (PostgreSQL restarting, SQLite locked) is a 503 to retry, never a 500.
  app.onError(answerErrors);
  app.use('/v1/*', openCors(storage.projects));
  app.route('/v1', metricsApi(storage, now, metricsReader));
  app.route('/v1', responsesApi(storage));
  app.route('/v1', commentThemesApi(storage));

  app.post(
    '/v1/batch',
    requireBatchType,
    limitBody(LIMITS.bodyBytes),
    ingest({
      projects: storage.projects,
      surveys: storage.surveys,
      webhooks: storage.webhooks,
      submit: createCommitQueue({ ...commits, commit: (writes) => storage.ingest.commit(writes) }),
      takeTokens: storage.rateLimits ? createSharedRateLimiter(rateLimit, storage.rateLimits, now) : createRateLimiter(rateLimit, now),
      now,
    }),
  );

  // Devices are served the active surveys inside their schedule and below their cap.
  const counts = cachedCounts(storage.responses, now);
  async function servedSurveys(projectId: string): Promise<SurveyDefinition[]> {
    const active = await storage.surveys.active(projectId);
    const why = await notServing(active.map((definition) => ({ definition, active: true })), now(), (ids) => counts(projectId, ids));
    return active.filter((survey) => why.get(survey.id) === undefined);
  }

  app.get('/v1/surveys', etag(), async (c, next) => {
    if (c.req.query('writeKey') === undefined) return next();
    const project = await projectForWriteKey(c, storage.projects, c.req.query('writeKey') ?? '');
    if (project instanceof Response) return project;
    const userId = c.req.query('userId');
    if (userId !== undefined && !isStorableText(userId)) return c.json({ error: 'userId holds a character no user id has (U+0000 or a lone surrogate)' }, 400);
    const accountId = c.req.query('accountId');
    if (accountId !== undefined && (!v.is(accountIdSchema, accountId) || !isStorableText(accountId))) {
      return c.json({ error: `accountId must be 1 to ${LIMITS.accountIdChars} characters with no U+0000 or lone surrogate` }, 400);
    }
    // Revalidated on every load (304 while unchanged), so a change made on the dashboard reaches
    // each sdk on its next load; private when it carries a user's history or is an account's own.
    c.header('Cache-Control', userId || accountId ? 'private, no-cache' : 'public, no-cache');
    const [served, rules, history, account] = await Promise.all([
      servedSurveys(project.id),
      storage.projects.rules(project.id),
      userId ? storage.responses.displayHistory(project.id, userId) : undefined,
      accountId ? storage.accounts.get(project.id, accountId) : undefined,
    ]);
    // The account's traits stay here: the device learns only which surveys are for it.
    const surveys = served.filter((survey) => forAccount(survey, account?.traits));
    return c.json({ surveys, rules, ...(history && { history }) } satisfies SurveysResponse);
  });
  app.route('/v1', surveyAdminApi(storage, now));
  app.route('/v1', timeZoneApi(storage, zoneBuilds.start));
  app.route('/v1', retentionApi(storage, sweeps.start));
  app.route('/v1', accountsApi(storage, now, accountsReader));
  app.route('/v1', webhooksApi(storage, now, () => deliveries?.wake(), publicUrl));

  if (sdkDir) {
    const read = sdkFiles(sdkDir);
    app.get('/sdk/:file', async (c) => {
      const text = await read(c.req.param('file'));
      if (text === undefined) return c.notFound();
      // Module scripts are fetched with CORS: the widget chunk must be importable from any host page.
      c.header('Access-Control-Allow-Origin', '*');
      c.header('Cache-Control', 'public, max-age=300');
      c.header('Content-Type', 'text/javascript; charset=utf-8');
      return c.body(text);
    });
  }

  if (dashboardDir) app.route('/', dashboardFiles(dashboardDir));

  app.get('/health', (c) => c.json({ ok: true }));
  return app;
}
