import { describe, expect, test } from 'vitest';
import { BUCKETS, bucketOf, bucketRange, isOnScale, METRICS, scaleOf, SCALES, type Metric, type ScoreBucket } from '../src/index';

const [N, M, P] = BUCKETS;

// Every score of every scale, in order, with the bucket it belongs to.
const TABLE: [metric: Metric, scaleMax: number, buckets: ScoreBucket[]][] = [
  ['nps', 10, [N, N, N, N, N, N, N, M, M, P, P]],
  ['csat', 5, [N, N, M, P, P]],
  ['ces', 7, [N, N, N, M, P, P, P]],
  ['ces', 5, [N, N, M, P, P]],
];

describe.each(TABLE)('%s on a scale up to %i', (metric, scaleMax, buckets) => {
  const { min, max } = scaleOf(metric, scaleMax);
  const scores = Array.from({ length: max - min + 1 }, (_, i) => min + i);

  test('has one bucket for each of its scores', () => {
    expect(max).toBe(scaleMax);
    expect(scores.map((score) => bucketOf(metric, scaleMax, score))).toEqual(buckets);
  });

  test('bucket ranges cover the scale without gaps or overlaps and agree with bucketOf', () => {
    const ranges = BUCKETS.map((bucket) => bucketRange(metric, scaleMax, bucket));
    expect(ranges[0]![0]).toBe(min);
    expect(ranges[2]![1]).toBe(max);
    expect(ranges[1]![0]).toBe(ranges[0]![1] + 1);
    expect(ranges[2]![0]).toBe(ranges[1]![1] + 1);
    for (const [index, bucket] of BUCKETS.entries()) {
      const [low, high] = ranges[index]!;
      for (let score = low; score <= high; score++) expect(bucketOf(metric, scaleMax, score)).toBe(bucket);
    }
  });

  test('takes every whole score from min to max and nothing else', () => {
    for (const score of scores) expect(isOnScale(metric, scaleMax, score)).toBe(true);
    for (const score of [min - 1, max + 1, min + 0.5, Number.NaN, Infinity]) expect(isOnScale(metric, scaleMax, score)).toBe(false);
  });
});

test('every metric and allowed scaleMax is in the table', () => {
  const listed = TABLE.map(([metric, scaleMax]) => `${metric}/${scaleMax}`).sort();
  const allowed = METRICS.flatMap((metric) => SCALES[metric].maxima.map((max) => `${metric}/${max}`)).sort();
  expect(listed).toEqual(allowed);
});

test('a survey without scaleMax, or with one its metric does not allow, gets the metric default', () => {
  expect(scaleOf('nps')).toEqual({ min: 0, max: 10 });
  expect(scaleOf('nps', 5)).toEqual({ min: 0, max: 10 });
  expect(scaleOf('csat', 7)).toEqual({ min: 1, max: 5 });
  expect(scaleOf('ces')).toEqual({ min: 1, max: 7 });
  expect(scaleOf('ces', 10)).toEqual({ min: 1, max: 7 });
  expect(scaleOf('ces', 5)).toEqual({ min: 1, max: 5 });
});

test('a CES 6 is on the default 1–7 scale but not on a 1–5 survey; NPS stops at 10', () => {
  expect(isOnScale('ces', undefined, 6)).toBe(true);
  expect(isOnScale('ces', 5, 6)).toBe(false);
  expect(isOnScale('ces', 5, 5)).toBe(true);
  expect(isOnScale('nps', undefined, 11)).toBe(false);
  expect(isOnScale('nps', undefined, 0)).toBe(true);
  expect(isOnScale('csat', undefined, 0)).toBe(false);
});
