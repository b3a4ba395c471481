import type { Metric, ScoreBucket } from '@cxkit/sdk/protocol';
import type { ScoreCondition, StoredSurvey } from './storage.js';
import { DEFAULT_SCALE_MAX } from './survey-scales.js';

export const BUCKETS: readonly ScoreBucket[] = ['negative', 'neutral', 'positive'];

/**
 * Scores of each bucket: NPS detractors 0–6, passives 7–8, promoters 9–10; CSAT 1–2, 3, 4–5;
 * CES on 1–7: 1–3, 4, 5–7; CES on 1–5: 1–2, 3, 4–5.
 */
export function bucketRange(metric: Metric, scaleMax: number, bucket: ScoreBucket): [min: number, max: number] {
  const ranges: Record<ScoreBucket, [number, number]> =
    metric === 'nps'
      ? { negative: [0, 6], neutral: [7, 8], positive: [9, 10] }
      : scaleMax === 7
        ? { negative: [1, 3], neutral: [4, 4], positive: [5, 7] }
        : { negative: [1, 2], neutral: [3, 3], positive: [4, 5] };
  return ranges[bucket];
}

export function bucketOf(metric: Metric, scaleMax: number, score: number): ScoreBucket {
  return BUCKETS.find((bucket) => score <= bucketRange(metric, scaleMax, bucket)[1]) ?? 'positive';
}

/** The score conditions that make up a bucket, across metrics (or one) and CES scales. */
export function bucketConditions(bucket: ScoreBucket, surveys: readonly StoredSurvey[], metric?: Metric): ScoreCondition[] {
  const fivePointCes = surveys.filter((s) => s.definition.metric === 'ces' && s.definition.scaleMax === 5).map((s) => s.definition.id);
  const range = (m: Metric, scaleMax: number) => {
    const [min, max] = bucketRange(m, scaleMax, bucket);
    return { metric: m, min, max };
  };
  const conditions: ScoreCondition[] = [
    range('nps', DEFAULT_SCALE_MAX.nps),
    range('csat', DEFAULT_SCALE_MAX.csat),
    { ...range('ces', 7), surveys: { only: false, ids: fivePointCes } },
    { ...range('ces', 5), surveys: { only: true, ids: fivePointCes } },
  ];
  return metric === undefined ? conditions : conditions.filter((c) => c.metric === metric);
}
