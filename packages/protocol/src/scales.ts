// The one place that says which scores each metric takes and which bucket a score falls in.
// The widget draws these scales, the server checks answers against them and counts by them.

export const METRICS = ['nps', 'csat', 'ces'] as const;
export type Metric = (typeof METRICS)[number];

export interface Scale {
  min: number;
  max: number;
}

/** Each metric's lowest score and the highest scores a survey may choose, its default first. */
export const SCALES: Record<Metric, { min: number; maxima: readonly number[] }> = {
  nps: { min: 0, maxima: [10] },
  csat: { min: 1, maxima: [5] },
  ces: { min: 1, maxima: [7, 5] },
};

/**
 * negative / neutral / positive: NPS detractors 0–6, passives 7–8, promoters 9–10; CSAT 1–2, 3, 4–5;
 * CES on 1–7: 1–3, 4, 5–7; CES on 1–5: 1–2, 3, 4–5.
 */
export const BUCKETS = ['negative', 'neutral', 'positive'] as const;
export type ScoreBucket = (typeof BUCKETS)[number];

/** A survey's scale: its scaleMax where the metric allows that one, else the metric's default. */
export function scaleOf(metric: Metric, scaleMax?: number): Scale {
  const { min, maxima } = SCALES[metric];
  return { min, max: scaleMax !== undefined && maxima.includes(scaleMax) ? scaleMax : maxima[0]! };
}

export function isOnScale(metric: Metric, scaleMax: number | undefined, score: number): boolean {
  const { min, max } = scaleOf(metric, scaleMax);
  return Number.isInteger(score) && score >= min && score <= max;
}

/** Where the buckets start and end: min, highest negative, highest neutral, max. */
function bounds(metric: Metric, scaleMax: number | undefined): [number, number, number, number] {
  const { min, max } = scaleOf(metric, scaleMax);
  // NPS has its own cut-offs; the 1–5 and 1–7 scales have one neutral score, at their midpoint.
  const mid = (min + max) / 2;
  return metric === 'nps' ? [min, 6, 8, max] : [min, mid - 1, mid, max];
}

/** The lowest and highest score of a bucket. */
export function bucketRange(metric: Metric, scaleMax: number | undefined, bucket: ScoreBucket): [min: number, max: number] {
  const ends = bounds(metric, scaleMax);
  const index = BUCKETS.indexOf(bucket);
  return [index === 0 ? ends[0] : ends[index]! + 1, ends[index + 1]!];
}

export function bucketOf(metric: Metric, scaleMax: number | undefined, score: number): ScoreBucket {
  const [, negative, neutral] = bounds(metric, scaleMax);
  return score <= negative ? 'negative' : score <= neutral ? 'neutral' : 'positive';
}
