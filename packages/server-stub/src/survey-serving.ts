import { matchesFilter, outsideSchedule, type AccountTraits, type SurveyDefinition } from '@cxkit/protocol';
import type { ResponsesPort } from './ports.js';

/** Why a survey the team keeps is not served to devices now; undefined while it is. */
export type NotServing = 'paused' | 'not-started' | 'ended' | 'cap-reached';

/** How long a survey's response count is taken as known when serving devices: every page load asks. */
export const COUNT_TTL_MS = 5000;

export interface ServingSurvey {
  definition: SurveyDefinition;
  active: boolean;
}

/**
 * Why each survey is not served now: paused, outside its schedule, or its responses at its cap.
 * `counts` answers the stored responses of the surveys with a cap (only those are counted).
 */
export async function notServing(
  surveys: readonly ServingSurvey[],
  now: number,
  counts: (surveyIds: string[]) => Promise<Map<string, number>>,
): Promise<Map<string, NotServing | undefined>> {
  const capped = surveys.filter((s) => s.active && s.definition.maxResponses !== undefined && !outsideSchedule(s.definition, now));
  const counted = capped.length === 0 ? new Map<string, number>() : await counts(capped.map((s) => s.definition.id));
  return new Map(
    surveys.map(({ definition, active }) => {
      if (!active) return [definition.id, 'paused'];
      const outside = outsideSchedule(definition, now);
      if (outside) return [definition.id, outside];
      const cap = definition.maxResponses;
      return [definition.id, cap !== undefined && (counted.get(definition.id) ?? 0) >= cap ? 'cap-reached' : undefined];
    }),
  );
}

/** Response counts for serving devices, each kept COUNT_TTL_MS: a cap may be passed by the responses of those seconds. */
export function cachedCounts(responses: Pick<ResponsesPort, 'counts'>, now: () => number) {
  const known = new Map<string, { n: number; at: number }>();
  return async (projectId: string, surveyIds: string[]): Promise<Map<string, number>> => {
    const key = (id: string) => `${projectId}\u0000${id}`;
    const stale = surveyIds.filter((id) => !(now() - (known.get(key(id))?.at ?? -Infinity) < COUNT_TTL_MS));
    if (stale.length > 0) {
      const fresh = await responses.counts(projectId, stale);
      for (const [id, n] of fresh) known.set(key(id), { n, at: now() });
    }
    return new Map(surveyIds.map((id) => [id, known.get(key(id))?.n ?? 0]));
  };
}

/**
 * Whether a survey is for a device of this account: one without account conditions is for every
 * device; one with them only for an account the server knows whose traits meet them all.
 */
export function forAccount(survey: SurveyDefinition, traits: AccountTraits | undefined): boolean {
  const conditions = survey.audience?.account;
  if (!conditions?.length) return true;
  return traits !== undefined && conditions.every((condition) => matchesFilter(condition, traits));
}
