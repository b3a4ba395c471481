import * as v from 'valibot';
import { LIMITS, type Item } from '@cxkit/sdk/protocol';

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

const base = {
  id,
  timestamp,
  anonymousId: name,
  userId: v.optional(name),
  sessionId: name,
  context: v.optional(
    v.pipe(
      notAnArray,
      v.object({
        url: v.optional(v.pipe(v.string(), v.maxLength(2048))),
        locale: v.optional(v.pipe(v.string(), v.maxLength(35))),
      }),
    ),
  ),
};

const SCALES = { nps: [0, 10], csat: [1, 5], ces: [1, 7] } as const;

const itemSchema = v.variant('type', [
  v.object({ ...base, type: v.literal('session_start') }),
  v.object({ ...base, type: v.literal('active') }),
  v.object({ ...base, type: v.literal('track'), event: name, properties: v.optional(bag) }),
  v.object({ ...base, type: v.literal('identify'), userId: name, traits: v.optional(bag) }),
  v.object({ ...base, type: v.literal('survey_shown'), surveyId: id }),
  v.object({
    ...base,
    type: v.literal('survey_dismissed'),
    surveyId: id,
    reason: v.picklist(['close', 'later', 'never']),
  }),
  v.pipe(
    v.object({
      ...base,
      type: v.literal('survey_response'),
      surveyId: id,
      responseId: id,
      metric: v.picklist(['nps', 'csat', 'ces']),
      score: v.pipe(v.number(), v.integer()),
      comment: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.commentChars, `comment is over ${LIMITS.commentChars} characters`))),
      final: v.boolean(),
    }),
    v.check((item) => {
      const [min, max] = SCALES[item.metric];
      return item.score >= min && item.score <= max;
    }, 'score is outside the metric\'s scale'),
  ),
]);

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Levels of objects and arrays an item may have, the item itself the first. */
export const MAX_DEPTH = 32;

export type Validation = { ok: true; item: Item; json: string } | { ok: false; reason: string };

/**
 * Checks one item of a batch; the reason is sent back to the sdk, so it names what is wrong.
 * The item's JSON, needed for its size anyway, is returned to be stored as it was sent.
 */
export function validateItem(raw: unknown): Validation {
  // Before anything recurses into the item: a few KiB of brackets would overflow JSON.stringify's stack.
  const unsafe = findUnsafeShape(raw);
  if (unsafe) return { ok: false, reason: unsafe };
  const json = JSON.stringify(raw) ?? '';
  const bytes = Buffer.byteLength(json);
  if (bytes > LIMITS.itemBytes) return { ok: false, reason: `item is ${bytes} bytes; the limit is ${LIMITS.itemBytes}` };
  const result = v.safeParse(itemSchema, raw);
  if (result.success) return { ok: true, item: result.output as Item, json };
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  if (path && issue.received === 'undefined') return { ok: false, reason: `${path} is missing` };
  return { ok: false, reason: path ? `${path}: ${issue.message}` : issue.message };
}

/** A forbidden key, or nesting deeper than MAX_DEPTH, named by where it is; walked without recursion. */
function findUnsafeShape(item: unknown): string | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: item, path: '', depth: 1 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DEPTH) return `${path} is nested deeper than ${MAX_DEPTH} levels`;
    const keys = Object.keys(value);
    const at = (key: string) => (path ? `${path}.${key}` : key);
    const forbidden = keys.find((key) => FORBIDDEN_KEYS.has(key));
    if (forbidden !== undefined) return `forbidden key ${at(forbidden)}`;
    // Pushed last to first, so nested values are walked in the order they were sent.
    for (let index = keys.length - 1; index >= 0; index--) {
      pending.push({ value: (value as Record<string, unknown>)[keys[index]!], path: at(keys[index]!), depth: depth + 1 });
    }
  }
  return undefined;
}
