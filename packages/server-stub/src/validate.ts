import * as v from 'valibot';
import { DISMISS_REASONS, LIMITS, METRICS, type Item, type RejectReason } from '@cxkit/protocol';
import { accountIdSchema, accountTraitsSchema } from './accounts/traits.js';
import { encodeItem } from './item-encoding.js';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const name = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
// The ISO pattern also lets through forms Date.parse cannot read ("+01", " +01:00"); such an
// item must be rejected here, or its NaN time would fail the whole group's transaction.
const timestamp = v.pipe(
  v.string(),
  v.isoTimestamp(),
  v.check((text) => !Number.isNaN(Date.parse(text)), 'not a time the server can read'),
);
// valibot's record and object let an array through (they only ask for typeof 'object') and output
// a copy, so an array is refused before them: properties, traits and context are read by name
// (targeting filters on properties and traits), and a list has none.
const notAnArray = v.custom<unknown>((value) => !Array.isArray(value), 'an object is expected, not an array');
const bag = v.pipe(notAnArray, v.record(v.string(), v.unknown()));

const url = v.pipe(v.string(), v.maxLength(2048));

const base = {
  id,
  timestamp,
  anonymousId: name,
  userId: v.optional(name),
  sessionId: name,
  accountId: v.optional(accountIdSchema),
  context: v.optional(
    v.pipe(
      notAnArray,
      v.object({
        url: v.optional(url),
        locale: v.optional(v.pipe(v.string(), v.maxLength(35))),
      }),
    ),
  ),
};

const itemSchema = v.variant('type', [
  v.object({ ...base, type: v.literal('session_start') }),
  v.object({ ...base, type: v.literal('active') }),
  v.object({ ...base, type: v.literal('track'), event: name, properties: v.optional(bag) }),
  v.object({ ...base, type: v.literal('identify'), userId: name, traits: v.optional(bag) }),
  v.object({ ...base, type: v.literal('group'), accountId: accountIdSchema, traits: v.optional(accountTraitsSchema) }),
  v.object({ ...base, type: v.literal('survey_shown'), surveyId: id }),
  v.object({
    ...base,
    type: v.literal('survey_dismissed'),
    surveyId: id,
    reason: v.picklist(DISMISS_REASONS),
  }),
  // Whether the score is on the scale depends on the survey: ingest checks it (survey-scales.ts).
  v.object({
    ...base,
    type: v.literal('survey_response'),
    surveyId: id,
    responseId: id,
    metric: v.picklist(METRICS),
    score: v.pipe(v.number(), v.integer()),
    comment: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.commentChars))),
    final: v.boolean(),
    traits: v.optional(bag),
    trigger: v.optional(
      v.pipe(
        notAnArray,
        v.variant('kind', [
          v.object({ kind: v.literal('event'), event: name, properties: v.optional(bag) }),
          v.object({ kind: v.literal('url'), url }),
          v.object({ kind: v.literal('manual') }),
        ]),
      ),
    ),
  }),
]);

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Text every engine stores as it was sent: PostgreSQL refuses U+0000 in text, and a lone surrogate
 * has no UTF-8 form, so it would be stored as U+FFFD and two different ids would become one.
 */
export const isStorableText = (text: string): boolean => text.isWellFormed() && !text.includes('\0');
export interface Refusal {
  reason: RejectReason;
  /** The dot path of the field concerned, when there is one. */
  detail?: string;
}

export type Validation = { ok: true; item: Item; payload: string } | ({ ok: false } & Refusal);

/**
 * Checks one item of a batch; the reason is sent back to the sdk, so it names what is wrong and where.
 * Its payload (item-encoding.ts), made for its size anyway, is returned to be stored.
 */
export function validateItem(raw: unknown): Validation {
  // Before anything recurses into the item without a bound: a few KiB of brackets would overflow JSON.stringify's stack.
  const unsafe = findUnsafeShape(raw);
  if (unsafe) return { ok: false, ...unsafe };
  const { payload, bytes } = encodeItem(raw);
  if (bytes > LIMITS.itemBytes) return { ok: false, reason: 'too_large' };
  const result = v.safeParse(itemSchema, raw);
  if (result.success) return { ok: true, item: result.output as Item, payload };
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  if (!path) return { ok: false, reason: 'invalid_field' };
  if (issue.received === 'undefined') return { ok: false, reason: 'missing_field', detail: path };
  if (path === 'type') return { ok: false, reason: 'unknown_type', detail: path };
  if (path === 'comment' && issue.type === 'max_length') return { ok: false, reason: 'comment_too_long', detail: path };
  return { ok: false, reason: 'invalid_field', detail: path };
}

/**
 * A forbidden key, a character no engine stores, or nesting deeper than the limit, named by where
 * it is. The depth is checked before descending, so recursion stops at the limit however deep the
 * item; the path is written only for the item refused, as the answer unwinds.
 */
function findUnsafeShape(value: unknown, depth = 1): Refusal | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : { reason: 'invalid_text' };
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > LIMITS.itemDepth) return { reason: 'too_deep' };
  const keys = Object.keys(value);
  const forbidden = keys.find((key) => FORBIDDEN_KEYS.has(key));
  if (forbidden !== undefined) return { reason: 'forbidden_key', detail: forbidden };
  const badKey = keys.find((key) => !isStorableText(key));
  if (badKey !== undefined) return { reason: 'invalid_text', detail: badKey };
  for (const key of keys) {
    const unsafe = findUnsafeShape((value as Record<string, unknown>)[key], depth + 1);
    if (unsafe) return { reason: unsafe.reason, detail: unsafe.detail === undefined ? key : `${key}.${unsafe.detail}` };
  }
  return undefined;
}
