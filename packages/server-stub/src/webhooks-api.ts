import { randomBytes, randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { bucketOf, scaleOf, WEBHOOK_LIMITS, type ListedResponse, type Webhook } from '@cxkit/protocol';
import { requireReadKey, type ReadKeyEnv } from './auth.js';
import { readJson } from './json-body.js';
import { answerErrors, parseIntegerParam, rejectUnknown } from './query-params.js';
import type { Storage } from './ports.js';
import type { DeliveryRow, StoredWebhook } from './storage.js';
import { webhookBody, webhookEvent } from './webhook-payload.js';
import { validateWebhook } from './webhook-schema.js';
import { newWebhookSecret } from './webhook-signature.js';

/** A delivery as the API shows it: times as ISO-8601. */
export type DeliveryView = Omit<DeliveryRow, 'createdAt' | 'nextAttemptAt' | 'log'> & {
  createdAt: string;
  nextAttemptAt: string | null;
  log: (Omit<DeliveryRow['log'][number], 'at'> & { at: string })[];
};

const iso = (ms: number) => new Date(ms).toISOString();
const view = ({ secret: _secret, active, createdAt, ...rest }: StoredWebhook): Webhook => ({ ...rest, status: active ? 'active' : 'paused', createdAt: iso(createdAt) });

/**
 * Alerts with the read key (docs/alerts.md): webhooks listed, created (the secret answered once),
 * changed, paused, deleted, tested, and their delivery log. A write key is no read key: refused.
 */
export function webhooksApi(storage: Storage, now: () => number, wake: () => void, publicUrl?: string): Hono<ReadKeyEnv> {
  const api = new Hono<ReadKeyEnv>();
  api.onError(answerErrors);
  const guard = requireReadKey(storage.projects);
  const limit = bodyLimit({ maxSize: WEBHOOK_LIMITS.apiBodyBytes, onError: (c) => c.json({ error: `body is over ${WEBHOOK_LIMITS.apiBodyBytes} bytes` }, 413) });
  const find = async (c: Context<ReadKeyEnv>) => (await storage.webhooks.list(c.get('project').id)).find((w) => w.id === c.req.param('id'));
  const notFound = (c: Context) => c.json({ error: `no webhook has the id "${c.req.param('id')}"` }, 404);
  const invalid = (c: Context, issues: { path: string; message: string }[]) => c.json({ error: 'the webhook is not valid', issues }, 400);

  api.get('/webhooks', guard, async (c) => {
    c.header('Cache-Control', 'private, no-store');
    return c.json({ webhooks: (await storage.webhooks.list(c.get('project').id)).map(view) });
  });

  api.post('/webhooks', guard, limit, async (c) => {
    const body = await readJson(c);
    if (body === undefined) return c.json({ error: 'body is not valid JSON' }, 400);
    const result = validateWebhook(body, false);
    if (!result.ok) return invalid(c, result.issues);
    const projectId = c.get('project').id;
    if ((await storage.webhooks.list(projectId)).length >= WEBHOOK_LIMITS.perProject) {
      return c.json({ error: `a project has at most ${WEBHOOK_LIMITS.perProject} webhooks; delete one first` }, 409);
    }
    const { url, format = 'json', filter = {}, status } = result.webhook;
    const webhook: StoredWebhook = { id: `wh_${randomBytes(9).toString('base64url')}`, url: url!, secret: newWebhookSecret(), format, filter, active: status !== 'paused', createdAt: now() };
    await storage.webhooks.create(projectId, webhook);
    c.header('Location', `/v1/webhooks/${webhook.id}`);
    // The only answer that holds the secret: it is not shown again.
    c.header('Cache-Control', 'no-store');
    return c.json({ ...view(webhook), secret: webhook.secret }, 201);
  });

  api.patch('/webhooks/:id', guard, limit, async (c) => {
    const body = await readJson(c);
    if (body === undefined) return c.json({ error: 'body is not valid JSON' }, 400);
    const result = validateWebhook(body, true);
    if (!(await find(c))) return notFound(c);
    if (!result.ok) return invalid(c, result.issues);
    const { status, ...change } = result.webhook;
    await storage.webhooks.update(c.get('project').id, c.req.param('id'), { ...change, ...(status && { active: status === 'active' }) });
    return c.json(view((await find(c))!));
  });

  api.delete('/webhooks/:id', guard, async (c) => {
    if (!(await storage.webhooks.delete(c.get('project').id, c.req.param('id')))) return notFound(c);
    return c.body(null, 204);
  });

  api.get('/webhooks/:id/deliveries', guard, async (c) => {
    rejectUnknown(c.req.query(), ['limit']);
    const count = parseIntegerParam('limit', c.req.query('limit'), 1, 200) ?? 50;
    if (!(await find(c))) return notFound(c);
    const rows = await storage.webhooks.deliveries(c.get('project').id, c.req.param('id'), count);
    c.header('Cache-Control', 'private, no-store');
    const deliveries: DeliveryView[] = rows.map((row) => ({
      ...row,
      createdAt: iso(row.createdAt),
      nextAttemptAt: row.nextAttemptAt === null ? null : iso(row.nextAttemptAt),
      log: row.log.map((a) => ({ ...a, at: iso(a.at) })),
    }));
    return c.json({ deliveries });
  });

  // A made-up response through the outbox like any other: signed, retried, and in the log.
  api.post('/webhooks/:id/test', guard, async (c) => {
    const webhook = await find(c);
    if (!webhook) return notFound(c);
    const projectId = c.get('project').id;
    const id = `msg_${randomUUID().replace(/-/g, '')}`;
    const metric = webhook.filter.metrics?.[0] ?? 'nps';
    const at = now();
    const responseId = `test_${id.slice(4, 16)}`;
    const score = webhook.filter.minScore ?? scaleOf(metric).min;
    const response: ListedResponse = {
      responseId,
      surveyId: webhook.filter.surveys?.[0] ?? 'test-survey',
      surveyName: 'Test survey',
      metric,
      score,
      bucket: bucketOf(metric, undefined, score),
      comment: webhook.filter.hasComment === false ? null : 'A test event from cxkit: your webhook is set up.',
      final: true,
      anonymousId: 'test',
      userId: null,
      at: new Date(at).toISOString(),
    };
    const base = publicUrl ?? new URL(c.req.url).origin;
    const event = webhookEvent({ id, type: 'webhook.test', createdAt: at, projectId, webhookId: webhook.id, response, dashboardUrl: `${base}/dashboard` });
    await storage.webhooks.enqueue(projectId, { id, webhookId: webhook.id, responseId, readyAt: at, createdAt: at }, webhookBody(webhook.format, event));
    wake();
    return c.json({ id }, 202);
  });

  return api;
}
