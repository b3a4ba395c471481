import { WEBHOOK_LIMITS } from '@cxkit/protocol';
import { randomUUID } from 'node:crypto';
import type { OutboxRow, StoredItem, WebhookTarget } from './storage.js';
import { concerns } from './webhook-filter.js';

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
