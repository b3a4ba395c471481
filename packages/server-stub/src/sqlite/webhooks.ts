import type Database from 'better-sqlite3';
import type { WebhooksPort } from '../ports.js';
import type { ClaimedDelivery, DeliveryAttempt, OutboxRow, ResponseRow, StoredWebhook, WebhookTarget } from '../storage.js';
import { deliveryLog, toWebhook, type OutboxLogRow, type WebhookRow } from '../webhook-rows.js';
import { targetOf } from '../webhook-filter.js';


type AttemptRow = DeliveryAttempt & { deliveryId: string };
const ATTEMPT_COLUMNS = 'delivery_id AS deliveryId, attempt, at, status, duration_ms AS durationMs, error';

/**
 * Webhooks and their outbox on SQLite. One process owns the file, so the targets cache is told of
 * every change by the changes themselves; a lease still guards a claim, for the process that
 * stopped mid-attempt and starts again.
 */
export function sqliteWebhooks(db: Database.Database): WebhooksPort & { queue(projectId: string, rows: OutboxRow[]): void } {
  const selectWebhooks = db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE project_id = ? ORDER BY created_at, id');
  const insertWebhook = db.prepare(
    'INSERT INTO webhooks (project_id, id, url, secret, format, filter, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  // A later item of the response may only bring its time forward, and only before the first attempt fixed its body.
  const upsertOutbox = db.prepare(
    `INSERT INTO webhook_outbox (project_id, id, webhook_id, response_id, state, ready_at, created_at, body)
     VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)
     ON CONFLICT (project_id, webhook_id, response_id) DO UPDATE SET ready_at = MIN(webhook_outbox.ready_at, excluded.ready_at)
     WHERE webhook_outbox.state = 'pending' AND webhook_outbox.body IS NULL`,
  );
  const enqueueOutbox = db.prepare(
    `INSERT INTO webhook_outbox (project_id, id, webhook_id, response_id, state, ready_at, created_at, body)
     VALUES (?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (project_id, webhook_id, response_id) DO NOTHING`,
  );
  type DueRow = { project_id: string; id: string; webhook_id: string; response_id: string; created_at: number; attempts: number; body: string | null } & Pick<WebhookRow, 'url' | 'secret' | 'format' | 'filter'>;
  const due = db.prepare<[number, number, number], DueRow>(
    `SELECT o.project_id, o.id, o.webhook_id, o.response_id, o.created_at, o.attempts, o.body, w.url, w.secret, w.format, w.filter
     FROM webhook_outbox o JOIN webhooks w ON w.project_id = o.project_id AND w.id = o.webhook_id
     WHERE o.state = 'pending' AND o.ready_at <= ? AND (o.lease_until IS NULL OR o.lease_until <= ?) AND w.active = 1
     ORDER BY o.ready_at LIMIT ?`,
  );
  const lease = db.prepare('UPDATE webhook_outbox SET lease_until = ?, attempts = attempts + 1 WHERE project_id = ? AND id = ?');
  const response = db.prepare(
    `SELECT response_id AS responseId, survey_id AS surveyId, metric, score, comment, final, anonymous_id AS anonymousId, user_id AS userId, at
     FROM responses WHERE project_id = ? AND response_id = ?`,
  );
  const finishRow = db.prepare(
    `UPDATE webhook_outbox SET state = ?, ready_at = ?, body = COALESCE(body, ?), lease_until = NULL, finished_at = ?
     WHERE project_id = ? AND id = ? AND attempts = ?`,
  );
  const insertAttempt = db.prepare(
    'INSERT INTO webhook_attempts (project_id, delivery_id, attempt, at, status, duration_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const trimAttempts = db.prepare('DELETE FROM webhook_attempts WHERE project_id = ? AND delivery_id = ? AND attempt <= ?');
  const selectDeliveries = db.prepare<[string, string, number], OutboxLogRow>(
    `SELECT id, response_id, state, created_at, attempts, ready_at FROM webhook_outbox
     WHERE project_id = ? AND webhook_id = ? AND state <> 'skipped' ORDER BY created_at DESC, id DESC LIMIT ?`,
  );
  const selectAttempts = db.prepare<[string, string], AttemptRow>(
    `SELECT ${ATTEMPT_COLUMNS} FROM webhook_attempts WHERE project_id = ? AND delivery_id IN (SELECT value FROM json_each(?)) ORDER BY attempt DESC`,
  );

  const targets = new Map<string, WebhookTarget[]>();
  const changed = (projectId: string) => targets.delete(projectId);

  const claim = db.transaction((now: number, max: number, leaseMs: number): ClaimedDelivery[] =>
    due.all(now, now, max).map((row) => {
      lease.run(now + leaseMs, row.project_id, row.id);
      const stored = row.body === null ? (response.get(row.project_id, row.response_id) as (Omit<ResponseRow, 'final'> & { final: number }) | undefined) : undefined;
      return {
        projectId: row.project_id,
        id: row.id,
        responseId: row.response_id,
        createdAt: row.created_at,
        attempt: row.attempts + 1,
        body: row.body,
        webhook: { id: row.webhook_id, url: row.url, secret: row.secret, format: row.format as StoredWebhook['format'], filter: JSON.parse(row.filter) },
        ...(stored && { response: { ...stored, final: stored.final === 1 } }),
      };
    }),
  );
  const finish = db.transaction((delivery: ClaimedDelivery, outcome: Parameters<WebhooksPort['finish']>[1], keep: number) => {
    const { projectId, id, attempt } = delivery;
    const finishedAt = outcome.state === 'pending' ? null : outcome.readyAt;
    if (finishRow.run(outcome.state, outcome.readyAt, outcome.body ?? null, finishedAt, projectId, id, attempt).changes === 0) return;
    const a = outcome.attempt;
    if (!a) return;
    insertAttempt.run(projectId, id, a.attempt, a.at, a.status, a.durationMs, a.error);
    trimAttempts.run(projectId, id, a.attempt - keep);
  });
  const remove = db.transaction((projectId: string, id: string) => {
    const gone = db.prepare('DELETE FROM webhooks WHERE project_id = ? AND id = ?').run(projectId, id).changes === 1;
    db.prepare(
      'DELETE FROM webhook_attempts WHERE project_id = ? AND delivery_id IN (SELECT id FROM webhook_outbox WHERE project_id = ? AND webhook_id = ?)',
    ).run(projectId, projectId, id);
    db.prepare('DELETE FROM webhook_outbox WHERE project_id = ? AND webhook_id = ?').run(projectId, id);
    return gone;
  });
  const prune = db.transaction((before: number) => {
    db.prepare(
      `DELETE FROM webhook_outbox WHERE (state <> 'pending' AND finished_at < ?)
         OR NOT EXISTS (SELECT 1 FROM webhooks w WHERE w.project_id = webhook_outbox.project_id AND w.id = webhook_outbox.webhook_id)`,
    ).run(before);
    db.prepare(
      `DELETE FROM webhook_attempts WHERE NOT EXISTS
         (SELECT 1 FROM webhook_outbox o WHERE o.project_id = webhook_attempts.project_id AND o.id = webhook_attempts.delivery_id)`,
    ).run();
  });

  return {
    queue(projectId, rows) {
      for (const row of rows) upsertOutbox.run(projectId, row.id, row.webhookId, row.responseId, row.readyAt, row.createdAt, null);
    },
    list: async (projectId) => selectWebhooks.all(projectId).map(toWebhook),
    async create(projectId, w) {
      insertWebhook.run(projectId, w.id, w.url, w.secret, w.format, JSON.stringify(w.filter), w.active ? 1 : 0, w.createdAt);
      changed(projectId);
    },
    async update(projectId, id, change) {
      const sets = Object.entries({ url: change.url, format: change.format, filter: change.filter && JSON.stringify(change.filter), active: change.active === undefined ? undefined : change.active ? 1 : 0 }).filter(([, v]) => v !== undefined);
      const found = db.prepare('SELECT 1 FROM webhooks WHERE project_id = ? AND id = ?').get(projectId, id) !== undefined;
      if (found && sets.length > 0) {
        db.prepare(`UPDATE webhooks SET ${sets.map(([k]) => `${k} = ?`).join(', ')} WHERE project_id = ? AND id = ?`).run(...sets.map(([, v]) => v), projectId, id);
      }
      changed(projectId);
      return found;
    },
    async delete(projectId, id) {
      const gone = remove(projectId, id);
      changed(projectId);
      return gone;
    },
    async targets(projectId) {
      let known = targets.get(projectId);
      if (!known) targets.set(projectId, (known = selectWebhooks.all(projectId).map(toWebhook).filter((w) => w.active).map(targetOf)));
      return known;
    },
    enqueue: async (projectId, row, body) => void enqueueOutbox.run(projectId, row.id, row.webhookId, row.responseId, row.readyAt, row.createdAt, body),
    async deliveries(projectId, webhookId, limit) {
      const rows = selectDeliveries.all(projectId, webhookId, limit);
      const attempts = selectAttempts.all(projectId, JSON.stringify(rows.map((row) => row.id)));
      return deliveryLog(rows, attempts);
    },
    claim: async (now, max, leaseMs) => claim.immediate(now, max, leaseMs),
    finish: async (delivery, outcome, keep) => void finish.immediate(delivery, outcome, keep),
    prune: async (before) => void prune.immediate(before),
  };
}
