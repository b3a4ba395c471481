import type { BatchResponse, RejectedItem } from '@cxkit/sdk/protocol';
import { LIMITS } from '@cxkit/sdk/protocol';
import type { Storage, StoredItem } from './storage.js';
import { validateItem } from './validate.js';

export type IngestOutcome =
  | { status: 200; body: BatchResponse }
  | { status: 400 | 401 | 413 | 503; body: { error: string } };

/**
 * One batch from parse to commit. Items are judged one by one: a bad item is named in
 * `rejected` and the rest of the batch is still stored.
 */
export function ingestBatch(storage: Storage, text: string, receivedAt: number): IngestOutcome {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { status: 400, body: { error: 'body is not valid JSON' } };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { status: 400, body: { error: 'body must be a JSON object' } };
  }
  const { writeKey, sentAt, batch } = body as Record<string, unknown>;
  if (typeof writeKey !== 'string') return { status: 400, body: { error: 'writeKey is missing' } };
  if (!Array.isArray(batch)) return { status: 400, body: { error: 'batch must be an array' } };
  const sentAtMs = typeof sentAt === 'string' ? Date.parse(sentAt) : NaN;
  if (Number.isNaN(sentAtMs)) return { status: 400, body: { error: 'sentAt must be an ISO-8601 time' } };
  if (batch.length > LIMITS.itemsPerBatch) {
    return { status: 413, body: { error: `batch has ${batch.length} items; the limit is ${LIMITS.itemsPerBatch}` } };
  }
  const project = storage.projectByWriteKey(writeKey);
  if (!project) return { status: 401, body: { error: 'unknown write key' } };

  // The device clock may be off: shift its times by how far its sentAt is from our clock.
  const skew = receivedAt - sentAtMs;
  const rejected: RejectedItem[] = [];
  const valid: StoredItem[] = [];
  batch.forEach((raw, index) => {
    const result = validateItem(raw);
    if (!result.ok) {
      rejected.push({ index, reason: result.reason });
      return;
    }
    const at = Math.min(Date.parse(result.item.timestamp) + skew, receivedAt);
    valid.push({ item: result.item, at, receivedAt });
  });

  try {
    const { accepted, duplicates } = storage.ingest(project.id, valid);
    return { status: 200, body: { accepted, duplicates, rejected } };
  } catch {
    return { status: 503, body: { error: 'storage could not commit; retry later' } };
  }
}
