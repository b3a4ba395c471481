import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requireReadKey, type ReadKeyEnv } from './auth.js';
import { readJson } from './json-body.js';
import { answerErrors } from './query-params.js';
import type { Storage } from './ports.js';
import { parseRetentionDays, RETENTION_RULE } from './retention.js';

const MAX_BODY = 1024;

/**
 * GET and PUT /v1/retention (read key): how many days the project keeps its raw events (null: for
 * ever). A change may make items expire at once: `onChange` starts their deletion.
 */
export function retentionApi(storage: Storage, onChange: () => void): Hono<ReadKeyEnv> {
  const api = new Hono<ReadKeyEnv>();
  api.onError(answerErrors);
  const guard = requireReadKey(storage.projects);
  const answer = async (projectId: string) => ({ rawEventRetentionDays: (await storage.retention.rawEventDays(projectId)) ?? null });

  api.get('/retention', guard, async (c) => {
    c.header('Cache-Control', 'private, no-cache');
    return c.json(await answer(c.get('project').id));
  });

  api.put(
    '/retention',
    guard,
    bodyLimit({ maxSize: MAX_BODY, onError: (c) => c.json({ error: `body is over ${MAX_BODY} bytes` }, 413) }),
    async (c) => {
      const body = await readJson(c);
      const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body) : [];
      const days = fields.length === 1 && fields[0] === 'rawEventRetentionDays' ? parseRetentionDays((body as { rawEventRetentionDays: unknown }).rawEventRetentionDays) : undefined;
      if (days === undefined) return c.json({ error: `send {"rawEventRetentionDays": 90}: ${RETENTION_RULE}` }, 400);
      const projectId = c.get('project').id;
      await storage.retention.setRawEventDays(projectId, days);
      onChange();
      return c.json(await answer(projectId));
    },
  );
  return api;
}
