import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requireReadKey, type ReadKeyEnv } from './auth.js';
import { readJson } from './json-body.js';
import { answerErrors, parseZone } from './query-params.js';
import type { Storage } from './ports.js';

const MAX_BODY = 1024;

/**
 * GET and PUT /v1/time-zone (read key): the project's own time zone, the dashboard's default, in
 * which DAU/MAU are kept ready as in UTC (docs/metrics.md). A change starts a build of its calendar:
 * `onChange` runs it in the background.
 */
export function timeZoneApi(storage: Storage, onChange: () => void): Hono<ReadKeyEnv> {
  const api = new Hono<ReadKeyEnv>();
  api.onError(answerErrors);
  const guard = requireReadKey(storage.projects);

  api.get('/time-zone', guard, async (c) => {
    c.header('Cache-Control', 'private, no-cache');
    return c.json(await storage.activity.timeZone(c.get('project').id));
  });

  api.put(
    '/time-zone',
    guard,
    bodyLimit({ maxSize: MAX_BODY, onError: (c) => c.json({ error: `body is over ${MAX_BODY} bytes` }, 413) }),
    async (c) => {
      const body = await readJson(c);
      const timeZone = (body as { timeZone?: unknown } | undefined)?.timeZone;
      if (typeof body !== 'object' || body === null || Object.keys(body).length !== 1 || typeof timeZone !== 'string') {
        return c.json({ error: 'send {"timeZone": "Europe/Berlin"}, an IANA time zone or "UTC"' }, 400);
      }
      const projectId = c.get('project').id;
      await storage.activity.setTimeZone(projectId, parseZone(timeZone).name);
      onChange();
      return c.json(await storage.activity.timeZone(projectId));
    },
  );
  return api;
}
