import { LIMITS, type SurveyResponseItem } from '@cxkit/protocol';

/** What a response keeps, besides its score, to be grouped by in breakdowns (docs/metrics.md#breakdowns). */
export interface AnswerContext {
  /** JSON of the traits kept (groupableEntries), null without any. */
  traits: string | null;
  /** JSON of the trigger event's properties kept, null without any. */
  triggerProperties: string | null;
  locale: string | null;
}

/**
 * The context of an answer, as the first stored item of its response carries it: the answer-time
 * snapshot, which later items (and later identify calls) never change.
 */
export const answerContext = (item: SurveyResponseItem): AnswerContext => ({
  traits: groupableEntries(item.traits),
  triggerProperties: groupableEntries(item.trigger?.kind === 'event' ? item.trigger.properties : undefined),
  locale: item.context?.locale || null,
});

/**
 * The first LIMITS.snapshotEntries entries with a scalar value, as text (12 and "12" are one group,
 * true is "true"), as JSON; empty strings, objects, lists, and keys or values over their limits are
 * left out. Text, so that both engines read a value back alike.
 */
export function groupableEntries(bag: Record<string, unknown> | undefined): string | null {
  if (!bag) return null;
  const kept: Record<string, string> = {};
  let count = 0;
  for (const [key, value] of Object.entries(bag)) {
    if (count === LIMITS.snapshotEntries) break;
    const text = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) ? String(value) : '';
    if (text === '' || text.length > LIMITS.snapshotValueChars || key === '' || key.length > LIMITS.snapshotKeyChars) continue;
    kept[key] = text;
    count++;
  }
  return count === 0 ? null : JSON.stringify(kept);
}
