import { isOnScale, scaleOf, type Metric, type SurveyResponseItem } from '@cxkit/protocol';
import type { StoredSurvey } from './storage.js';

export type ScaleOf = (surveyId: string, metric: Metric) => number;

/**
 * Highest score by survey id, deleted surveys included: their responses keep the scale they were
 * given on. An unknown survey gets its metric's default scale.
 */
export function scalesOf(surveys: readonly StoredSurvey[]): ScaleOf {
  const byId = new Map(surveys.map((s) => [s.definition.id, s.definition.scaleMax]));
  return (surveyId, metric) => scaleOf(metric, byId.get(surveyId)).max;
}

/** Whether a response's score is on its own survey's scale: a CES 6 is not, on a 1–5 survey. */
export function scoreCheck(scaleMax: ScaleOf): (item: SurveyResponseItem) => boolean {
  return (item) => isOnScale(item.metric, scaleMax(item.surveyId, item.metric), item.score);
}
