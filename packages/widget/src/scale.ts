import type { Metric, ScoreBucket } from './types';

export interface Scale {
  min: number;
  max: number;
}

/** NPS is 0–10 and CSAT 1–5 whatever the survey says; CES is 1–7 unless the survey asks for 1–5. */
export function scaleOf(metric: Metric, scaleMax?: number): Scale {
  if (metric === 'nps') return { min: 0, max: 10 };
  return { min: 1, max: metric === 'ces' && scaleMax !== 5 ? 7 : 5 };
}

export function valuesOf({ min, max }: Scale): number[] {
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}

/** NPS detractor / passive / promoter; on 1–5 and 1–7 scales below, at and above the midpoint. */
export function bucketOf(metric: Metric, { min, max }: Scale, score: number): ScoreBucket {
  if (metric === 'nps') return score <= 6 ? 'negative' : score <= 8 ? 'neutral' : 'positive';
  const mid = (min + max) / 2;
  return score < mid ? 'negative' : score > mid ? 'positive' : 'neutral';
}
