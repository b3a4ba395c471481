import * as v from 'valibot';
import { BUCKETS, METRICS, WEBHOOK_EVENTS, WEBHOOK_FORMATS, WEBHOOK_LIMITS, type WebhookFilter, type WebhookFormat } from '@cxkit/protocol';
import { fieldIssues, type FieldIssue } from './survey-schema.js';

// The server's check of a webhook as the API takes it (docs/alerts.md#managing-webhooks). Unknown
// keys are refused, as for surveys.

const url = v.pipe(
  v.string('must be a URL'),
  v.maxLength(WEBHOOK_LIMITS.urlChars, `must be at most ${WEBHOOK_LIMITS.urlChars} characters`),
  v.check((text) => {
    try {
      const parsed = new URL(text);
      return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.username === '' && parsed.password === '';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL, without a user name or password'),
);
const score = v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(0, 'must be at least 0'), v.maxValue(10, 'must be at most 10'));
const nonEmpty = <T extends v.GenericSchema>(item: T, max: number) =>
  v.pipe(v.array(item), v.minLength(1, 'must list at least one, or be left out for all'), v.maxLength(max, `must list at most ${max}`));
const filter = v.pipe(
  v.strictObject({
    events: v.optional(nonEmpty(v.picklist(WEBHOOK_EVENTS, `must be ${WEBHOOK_EVENTS.join(' or ')}`), WEBHOOK_EVENTS.length)),
    surveys: v.optional(nonEmpty(v.pipe(v.string(), v.minLength(1), v.maxLength(64)), WEBHOOK_LIMITS.surveysPerFilter)),
    metrics: v.optional(nonEmpty(v.picklist(METRICS, `must be ${METRICS.join(', ')}`), METRICS.length)),
    buckets: v.optional(nonEmpty(v.picklist(BUCKETS, `must be ${BUCKETS.join(', ')}`), BUCKETS.length)),
    minScore: v.optional(score),
    maxScore: v.optional(score),
    hasComment: v.optional(v.boolean('must be true, false, or left out for either')),
  }),
  v.forward(
    v.check((f) => f.minScore === undefined || f.maxScore === undefined || f.minScore <= f.maxScore, 'must be at least minScore'),
    ['maxScore'],
  ),
);
const fields = {
  url,
  format: v.optional(v.picklist(WEBHOOK_FORMATS, `must be ${WEBHOOK_FORMATS.join(' or ')}`)),
  filter: v.optional(filter),
  status: v.optional(v.picklist(['active', 'paused'], 'must be active or paused')),
};
const createSchema = v.strictObject(fields);
const changeSchema = v.strictObject({ ...fields, url: v.optional(url) });

export interface WebhookInput {
  url?: string;
  format?: WebhookFormat;
  filter?: WebhookFilter;
  status?: 'active' | 'paused';
}

export type WebhookValidation = { ok: true; webhook: WebhookInput } | { ok: false; issues: FieldIssue[] };

/** Checks a new webhook (`url` required) or a change to one (every field optional), naming each wrong field. */
export function validateWebhook(raw: unknown, change: boolean): WebhookValidation {
  const result = v.safeParse(change ? changeSchema : createSchema, raw);
  return result.success ? { ok: true, webhook: result.output } : { ok: false, issues: fieldIssues(result.issues, 'a webhook field', 'docs/alerts.md') };
}
