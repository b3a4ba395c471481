import type pg from 'pg';
import type { WebhooksPort } from '../ports.js';
import type { ClaimedDelivery, DeliveryAttempt, OutboxRow, StoredWebhook } from '../storage.js';
import { deliveryLog, toWebhook, type OutboxLogRow, type WebhookRow } from '../webhook-rows.js';
import { targetOf } from '../webhook-filter.js';
import { bigintArray, textArray } from './binary-arrays.js';
import { announceChange } from './change-feed.js';
import type { ProjectCache } from './project-cache.js';
import { inTransaction } from './transaction.js';


const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Queues a commit's alerts in its transaction, sorted by key as every other table of the commit
 * (postgres/ingest.ts). A later item of a response only brings the time forward, before the first
 * attempt fixed the body.
 */
export async function queueAlerts(client: pg.ClientBase, rows: (OutboxRow & { projectId: string })[]): Promise<void> {
  if (rows.length === 0) return;
  rows.sort((a, b) => byKey(a.projectId, b.projectId) || byKey(a.webhookId, b.webhookId) || byKey(a.responseId, b.responseId));
  await client.query({
    name: 'cxkit_queue_alerts',
    text: `INSERT INTO webhook_outbox (project_id, id, webhook_id, response_id, state, ready_at, created_at)
     SELECT unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), unnest($4::text[]), 'pending', unnest($5::bigint[]), unnest($6::bigint[])
     ON CONFLICT (project_id, webhook_id, response_id) DO UPDATE SET ready_at = LEAST(webhook_outbox.ready_at, excluded.ready_at)
     WHERE webhook_outbox.state = 'pending' AND webhook_outbox.body IS NULL`,
    values: [
      textArray(rows.map((r) => r.projectId)),
      textArray(rows.map((r) => r.id)),
      textArray(rows.map((r) => r.webhookId)),
      textArray(rows.map((r) => r.responseId)),
      bigintArray(rows.map((r) => r.readyAt)),
      bigintArray(rows.map((r) => r.createdAt)),
    ],
  });
}

/**
 * Webhooks and their outbox on PostgreSQL. Every process caches each project's targets until a
 * change is announced (change-feed.ts); every process runs a delivery worker, and a claim takes
 * due rows with FOR UPDATE SKIP LOCKED and leases them, so two processes never send one at once.
 */
export function postgresWebhooks(pool: pg.Pool, cache: ProjectCache): WebhooksPort {
  /** Runs a change to the project's webhooks and announces it in the same transaction. */
  async function change<T>(projectId: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const result = await inTransaction(pool, async (client) => {
      const answer = await work(client);
      await announceChange(client, projectId);
      return answer;
    });
    cache.forget(projectId);
    return result;
  }
  const list = async (projectId: string) =>
    (await pool.query<WebhookRow>('SELECT * FROM webhooks WHERE project_id = $1 ORDER BY created_at, id', [projectId])).rows.map(toWebhook);

  return {
    list,
    create: (projectId, w) =>
      change(projectId, async (client) => {
        await client.query(
          'INSERT INTO webhooks (project_id, id, url, secret, format, filter, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
          [projectId, w.id, w.url, w.secret, w.format, JSON.stringify(w.filter), w.active, w.createdAt],
        );
      }),
    update: (projectId, id, c) =>
      change(projectId, async (client) => {
        const { rowCount } = await client.query(
          `UPDATE webhooks SET url = COALESCE($3, url), format = COALESCE($4, format), filter = COALESCE($5, filter), active = COALESCE($6, active)
           WHERE project_id = $1 AND id = $2`,
          [projectId, id, c.url ?? null, c.format ?? null, c.filter ? JSON.stringify(c.filter) : null, c.active ?? null],
        );
        return rowCount === 1;
      }),
    delete: (projectId, id) =>
      change(projectId, async (client) => {
        const { rowCount } = await client.query('DELETE FROM webhooks WHERE project_id = $1 AND id = $2', [projectId, id]);
        await client.query(
          'DELETE FROM webhook_attempts WHERE project_id = $1 AND delivery_id IN (SELECT id FROM webhook_outbox WHERE project_id = $1 AND webhook_id = $2)',
          [projectId, id],
        );
        await client.query('DELETE FROM webhook_outbox WHERE project_id = $1 AND webhook_id = $2', [projectId, id]);
        return rowCount === 1;
      }),
    targets: (projectId) => cache.ofProject(projectId, 'webhooks', async () => (await list(projectId)).filter((w) => w.active).map(targetOf)),
    async enqueue(projectId, row, body) {
      await pool.query(
        `INSERT INTO webhook_outbox (project_id, id, webhook_id, response_id, state, ready_at, created_at, body)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7) ON CONFLICT (project_id, webhook_id, response_id) DO NOTHING`,
        [projectId, row.id, row.webhookId, row.responseId, row.readyAt, row.createdAt, body],
      );
    },
    async deliveries(projectId, webhookId, limit) {
      const { rows } = await pool.query<OutboxLogRow>(
        `SELECT id, response_id, state, created_at, attempts, ready_at FROM webhook_outbox
         WHERE project_id = $1 AND webhook_id = $2 AND state <> 'skipped' ORDER BY created_at DESC, id DESC LIMIT $3`,
        [projectId, webhookId, limit],
      );
      const { rows: attempts } = await pool.query<DeliveryAttempt & { deliveryId: string }>(
        `SELECT delivery_id AS "deliveryId", attempt, at, status, duration_ms AS "durationMs", error FROM webhook_attempts
         WHERE project_id = $1 AND delivery_id = ANY ($2::text[]) ORDER BY attempt DESC`,
        [projectId, rows.map((row) => row.id)],
      );
      return deliveryLog(rows, attempts);
    },
    async claim(now, max, leaseMs) {
      // Rows another process holds are skipped, not waited for; the lease outlives the commit of the claim.
      const { rows } = await pool.query<{
        project_id: string; id: string; webhook_id: string; response_id: string; created_at: number; attempts: number; body: string | null;
        url: string; secret: string; format: string; filter: string;
        r_survey_id: string | null; r_metric: string; r_score: number; r_comment: string | null; r_final: boolean; r_anonymous_id: string; r_user_id: string | null; r_at: number;
      }>(
        `WITH due AS (
           SELECT o.project_id, o.id, o.webhook_id, o.response_id FROM webhook_outbox o
           JOIN webhooks w ON w.project_id = o.project_id AND w.id = o.webhook_id
           WHERE o.state = 'pending' AND o.ready_at <= $1 AND (o.lease_until IS NULL OR o.lease_until <= $1) AND w.active
           ORDER BY o.ready_at LIMIT $2
           FOR UPDATE OF o SKIP LOCKED)
         UPDATE webhook_outbox o SET lease_until = $3, attempts = o.attempts + 1
         FROM due JOIN webhooks w ON w.project_id = due.project_id AND w.id = due.webhook_id
           LEFT JOIN responses r ON r.project_id = due.project_id AND r.response_id = due.response_id
         WHERE o.project_id = due.project_id AND o.id = due.id
         RETURNING o.project_id, o.id, o.webhook_id, o.response_id, o.created_at, o.attempts, o.body, w.url, w.secret, w.format, w.filter,
           r.survey_id AS r_survey_id, r.metric AS r_metric, r.score AS r_score, r.comment AS r_comment, r.final AS r_final,
           r.anonymous_id AS r_anonymous_id, r.user_id AS r_user_id, r.at AS r_at`,
        [now, max, now + leaseMs],
      );
      return rows.map(
        (row): ClaimedDelivery => ({
          projectId: row.project_id,
          id: row.id,
          responseId: row.response_id,
          createdAt: row.created_at,
          attempt: row.attempts,
          body: row.body,
          webhook: { id: row.webhook_id, url: row.url, secret: row.secret, format: row.format as StoredWebhook['format'], filter: JSON.parse(row.filter) },
          ...(row.body === null &&
            row.r_survey_id !== null && {
              response: {
                responseId: row.response_id,
                surveyId: row.r_survey_id,
                metric: row.r_metric,
                score: row.r_score,
                comment: row.r_comment,
                final: row.r_final,
                anonymousId: row.r_anonymous_id,
                userId: row.r_user_id,
                at: row.r_at,
              },
            }),
        }),
      );
    },
    async finish({ projectId, id, attempt }, outcome, keep) {
      await inTransaction(pool, async (client) => {
        const { rowCount } = await client.query(
          `UPDATE webhook_outbox SET state = $4, ready_at = $5, body = COALESCE(body, $6), lease_until = NULL, finished_at = $7
           WHERE project_id = $1 AND id = $2 AND attempts = $3`,
          [projectId, id, attempt, outcome.state, outcome.readyAt, outcome.body ?? null, outcome.state === 'pending' ? null : outcome.readyAt],
        );
        const a = outcome.attempt;
        if (rowCount !== 1 || !a) return;
        await client.query(
          'INSERT INTO webhook_attempts (project_id, delivery_id, attempt, at, status, duration_ms, error) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [projectId, id, a.attempt, a.at, a.status, a.durationMs, a.error],
        );
        await client.query('DELETE FROM webhook_attempts WHERE project_id = $1 AND delivery_id = $2 AND attempt <= $3', [projectId, id, a.attempt - keep]);
      });
    },
    async prune(before) {
      await pool.query(
        `DELETE FROM webhook_outbox o WHERE (o.state <> 'pending' AND o.finished_at < $1)
           OR NOT EXISTS (SELECT 1 FROM webhooks w WHERE w.project_id = o.project_id AND w.id = o.webhook_id)`,
        [before],
      );
      await pool.query(
        'DELETE FROM webhook_attempts a WHERE NOT EXISTS (SELECT 1 FROM webhook_outbox o WHERE o.project_id = a.project_id AND o.id = a.delivery_id)',
      );
    },
  };
}
