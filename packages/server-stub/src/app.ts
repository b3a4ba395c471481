import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { etag } from 'hono/etag';
import { LIMITS, type SurveysResponse } from '@cxkit/sdk/protocol';
import { dashboardFiles } from './dashboard-files.js';
import { ingestBatch } from './ingest.js';
import { metricsApi } from './metrics-api.js';
import { responsesApi } from './responses-api.js';
import { sdkFiles } from './sdk-files.js';
import { surveyAdminApi } from './survey-admin.js';
import type { Storage } from './storage.js';

export interface AppOptions {
  storage: Storage;
  /** Directory of the sdk's script-tag build, served under /sdk/. */
  sdkDir?: string;
  /** Directory of the built dashboard, served at /dashboard. */
  dashboardDir?: string;
  now?: () => number;
}

const ACCEPTED_TYPES = ['text/plain', 'application/json'];

/** The whole HTTP surface as a value: tests call app.request() without opening a port. */
export function createApp({ storage, sdkDir, dashboardDir, now = Date.now }: AppOptions): Hono {
  const app = new Hono();
  app.use('/v1/*', cors({ origin: '*', allowMethods: ['GET', 'POST', 'OPTIONS'], maxAge: 86400 }));
  app.route('/v1', metricsApi(storage, now));
  app.route('/v1', responsesApi(storage));

  app.post(
    '/v1/batch',
    async (c, next) => {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!ACCEPTED_TYPES.includes(type)) {
        return c.json({ error: 'send the batch as text/plain or application/json' }, 415);
      }
      await next();
    },
    bodyLimit({
      maxSize: LIMITS.bodyBytes,
      onError: (c) => c.json({ error: `body is over ${LIMITS.bodyBytes} bytes` }, 413),
    }),
    async (c) => {
      const outcome = ingestBatch(storage, await c.req.text(), now());
      if (outcome.status === 503) c.header('Retry-After', '5');
      return c.json(outcome.body, outcome.status);
    },
  );

  app.get('/v1/surveys', etag(), async (c, next) => {
    if (c.req.query('writeKey') === undefined) return next();
    const project = storage.projectByWriteKey(c.req.query('writeKey') ?? '');
    if (!project) return c.json({ error: 'unknown write key' }, 401);
    const userId = c.req.query('userId');
    // Revalidated on every load (304 while unchanged), so a change made on the dashboard reaches
    // each sdk on its next load; private when it carries a user's history.
    c.header('Cache-Control', userId ? 'private, no-cache' : 'public, no-cache');
    const history = userId ? storage.displayHistory(project.id, userId) : undefined;
    return c.json({ surveys: storage.surveys(project.id), ...(history && { history }) } satisfies SurveysResponse);
  });
  app.route('/v1', surveyAdminApi(storage));

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
