import type { Metric } from '@cxkit/sdk/protocol';
import type { StoredSurvey } from './storage.js';

/** The highest score of each metric unless a survey says otherwise (CES may use 1–5). */
export const DEFAULT_SCALE_MAX: Record<Metric, number> = { nps: 10, csat: 5, ces: 7 };

export type ScaleOf = (surveyId: string, metric: Metric) => number;

/** Scales by survey id, deleted surveys included: their responses keep the scale they were given on. */
export function scalesOf(surveys: readonly StoredSurvey[]): ScaleOf {
  const byId = new Map(surveys.map((s) => [s.definition.id, s.definition.scaleMax]));
  return (surveyId, metric) => byId.get(surveyId) ?? DEFAULT_SCALE_MAX[metric];
}
