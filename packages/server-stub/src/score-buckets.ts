import { bucketRange, type Metric, type ScoreBucket } from '@cxkit/protocol';
import type { ScoreCondition, StoredSurvey } from './storage.js';

/**
 * The score conditions that make up a bucket (its ranges are the protocol's), across metrics (or
 * one) and CES scales: the default 1–7 unless the response's survey is one on 1–5.
 */
export function bucketConditions(bucket: ScoreBucket, surveys: readonly StoredSurvey[], metric?: Metric): ScoreCondition[] {
  const fivePointCes = surveys.filter((s) => s.definition.metric === 'ces' && s.definition.scaleMax === 5).map((s) => s.definition.id);
  const range = (m: Metric, scaleMax?: number) => {
    const [min, max] = bucketRange(m, scaleMax, bucket);
    return { metric: m, min, max };
  };
  const conditions: ScoreCondition[] = [
    range('nps'),
    range('csat'),
    { ...range('ces'), surveys: { only: false, ids: fivePointCes } },
    { ...range('ces', 5), surveys: { only: true, ids: fivePointCes } },
  ];
  return metric === undefined ? conditions : conditions.filter((c) => c.metric === metric);
}
