import type { Handler } from 'hono';
import { LIMITS, type DroppedReport, type RejectedItem, type SurveyResponseItem } from '@cxkit/protocol';
import { projectForWriteKey } from './auth.js';
import { OverloadedError } from './commit-queue.js';
import { readDroppedReport } from './drop-reports.js';
import type { ProjectsPort, SurveysPort, WebhooksPort } from './ports.js';
import type { RateLimiter } from './rate-limit.js';
import type { IngestResult, ProjectWrite, StoredItem } from './storage.js';
import { scoreCheck } from './survey-scales.js';
import { validateItem } from './validate.js';

export interface IngestDeps {
  projects: Pick<ProjectsPort, 'byWriteKey'>;
  surveys: Pick<SurveysPort, 'scales'>;
  webhooks: Pick<WebhooksPort, 'targets'>;
  /** Queues the write for the next group commit; settles once it is durable. */
  submit(write: ProjectWrite): Promise<IngestResult>;
  /** The rate limiter, by project: 0 to go ahead, else the seconds to wait. */
  takeTokens: RateLimiter;
  now(): number;
}

interface Envelope {
  writeKey: string;
  sentAt: number;
  batch: unknown[];
  dropped?: DroppedReport;
}

type Refusal = { status: 400 | 413; error: string };

/**
 * POST /v1/batch after the content type and body size were checked: parse, key, origin, rate
 * limit, then each item on its own. A bad item is named in `rejected` and the rest is still
 * stored; the answer is sent only once the commit is durable.
 */
export function ingest({ projects, surveys, webhooks, submit, takeTokens, now }: IngestDeps): Handler {
  return async (c) => {
    const receivedAt = now();
    const envelope = readEnvelope(await c.req.text());
    if ('error' in envelope) return c.json({ error: envelope.error }, envelope.status);
    const project = await projectForWriteKey(c, projects, envelope.writeKey);
    if (project instanceof Response) return project;
    const wait = await takeTokens(project.id, envelope.batch.length);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return c.json({ error: 'too many events for this write key; retry later' }, 429);
    }

    // The project's surveys and webhooks (both kept in memory) are read only for a batch with
    // answers: scores are checked against the surveys, and answers may raise alerts.
    const answers = envelope.batch.some((raw) => (raw as { type?: unknown } | null)?.type === 'survey_response');
    const [scales, targets] = answers ? await Promise.all([surveys.scales(project.id), webhooks.targets(project.id)]) : [];
    const onScale = scales ? scoreCheck(scales) : () => true;
    const { valid, rejected } = validateBatch(envelope, receivedAt, onScale);
    const dropped = envelope.dropped && { ...envelope.dropped, at: receivedAt };
    if (valid.length === 0 && !dropped) return c.json({ accepted: 0, duplicates: 0, rejected });
    try {
      const write = { projectId: project.id, items: valid, ...(dropped && { dropped }), ...(targets && targets.length > 0 && { webhooks: targets }) };
      const { accepted, duplicates } = await submit(write);
      return c.json({ accepted, duplicates, rejected });
    } catch (error) {
      c.header('Retry-After', error instanceof OverloadedError ? '1' : '5');
      return c.json({ error: 'storage could not commit; retry later' }, 503);
    }
  };
}

function readEnvelope(text: string): Envelope | Refusal {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { status: 400, error: 'body is not valid JSON' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { status: 400, error: 'body must be a JSON object' };
  }
  const { writeKey, sentAt, batch, dropped } = body as Record<string, unknown>;
  if (typeof writeKey !== 'string') return { status: 400, error: 'writeKey is missing' };
  if (!Array.isArray(batch)) return { status: 400, error: 'batch must be an array' };
  const sentAtMs = typeof sentAt === 'string' ? Date.parse(sentAt) : NaN;
  if (Number.isNaN(sentAtMs)) return { status: 400, error: 'sentAt must be an ISO-8601 time' };
  if (batch.length > LIMITS.itemsPerBatch) {
    return { status: 413, error: `batch has ${batch.length} items; the limit is ${LIMITS.itemsPerBatch}` };
  }
  const report = readDroppedReport(dropped);
  return { writeKey, sentAt: sentAtMs, batch, ...(report && { dropped: report }) };
}

function validateBatch({ sentAt, batch }: Envelope, receivedAt: number, onScale: (item: SurveyResponseItem) => boolean) {
  // The device clock may be off: shift its times by how far its sentAt is from our clock.
  const skew = receivedAt - sentAt;
  const rejected: RejectedItem[] = [];
  const valid: StoredItem[] = [];
  batch.forEach((raw, index) => {
    const result = validateItem(raw);
    if (!result.ok) {
      rejected.push({ index, reason: result.reason, ...(result.detail !== undefined && { detail: result.detail }) });
      return;
    }
    if (result.item.type === 'survey_response' && !onScale(result.item)) {
      rejected.push({ index, reason: 'score_out_of_scale', detail: 'score' });
      return;
    }
    const at = Math.min(Date.parse(result.item.timestamp) + skew, receivedAt);
    valid.push({ item: result.item, json: result.payload, at, receivedAt });
  });
  return { valid, rejected };
}
