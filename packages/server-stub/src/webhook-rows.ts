import { WEBHOOK_LIMITS } from '@cxkit/protocol';
import { randomUUID } from 'node:crypto';
import type { DeliveryAttempt, DeliveryRow, OutboxRow, StoredItem, StoredWebhook, WebhookTarget } from './storage.js';
import { concerns } from './webhook-filter.js';

// The rows of alerts as both engines write and read them: the outbox rows a commit queues, a
// stored webhook, and the delivery log.

/**
 * Pure but for the ids: the outbox rows a commit's new items queue, one per (webhook, response) the
 * items' answers concern, with the earliest time any of them lets it go: at once for a final item,
 * after the settle time for a score alone. Each engine upserts them in the commit's transaction.
 */
export function alertRows(items: readonly StoredItem[], targets: readonly WebhookTarget[], newId: () => string = randomUUID): OutboxRow[] {
  const rows = new Map<string, OutboxRow>();
  for (const { item, receivedAt } of items) {
    if (item.type !== 'survey_response') continue;
    const readyAt = item.final ? receivedAt : receivedAt + WEBHOOK_LIMITS.settleMs;
    for (const target of targets) {
      if (!concerns(target, item)) continue;
      const key = `${target.id}\n${item.responseId}`;
      const known = rows.get(key);
      if (known) known.readyAt = Math.min(known.readyAt, readyAt);
      else rows.set(key, { id: `msg_${newId().replace(/-/g, '')}`, webhookId: target.id, responseId: item.responseId, readyAt, createdAt: receivedAt });
    }
  }
  return [...rows.values()];
}

/** An outbox row as both engines read it for the delivery log. */
export type OutboxLogRow = { id: string; response_id: string; state: DeliveryRow['state']; created_at: number; attempts: number; ready_at: number };

/** The delivery log from its outbox rows and their attempts (newest attempt first), as each engine read them. */
export function deliveryLog(rows: readonly OutboxLogRow[], attempts: readonly (DeliveryAttempt & { deliveryId: string })[]): DeliveryRow[] {
  return rows.map((row) => ({
    id: row.id,
    responseId: row.response_id,
    state: row.state,
    createdAt: row.created_at,
    attempts: row.attempts,
    nextAttemptAt: row.state === 'pending' ? row.ready_at : null,
    log: attempts.filter((a) => a.deliveryId === row.id).map(({ deliveryId: _id, ...a }) => a),
  }));
}

/** A webhooks row as both engines read it (active: SQLite's 1 or 0, PostgreSQL's boolean). */
export type WebhookRow = { id: string; url: string; secret: string; format: string; filter: string; active: boolean | number; created_at: number };

export const toWebhook = (row: WebhookRow): StoredWebhook => ({
  id: row.id,
  url: row.url,
  secret: row.secret,
  format: row.format as StoredWebhook['format'],
  filter: JSON.parse(row.filter),
  active: Boolean(row.active),
  createdAt: row.created_at,
});
