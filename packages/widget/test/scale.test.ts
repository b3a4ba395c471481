import { expect, test } from 'vitest';
import { bucketOf, scaleOf, valuesOf } from '../src/scale';
import type { Metric } from '../src/types';

test('NPS is 0–10 and CSAT 1–5 whatever scaleMax says; CES is 1–7 unless the survey asks for 1–5', () => {
  expect(scaleOf('nps', 5)).toEqual({ min: 0, max: 10 });
  expect(scaleOf('csat', 7)).toEqual({ min: 1, max: 5 });
  expect(scaleOf('ces')).toEqual({ min: 1, max: 7 });
  expect(scaleOf('ces', 5)).toEqual({ min: 1, max: 5 });
  expect(scaleOf('ces', 10)).toEqual({ min: 1, max: 7 });
  expect(valuesOf(scaleOf('ces', 5))).toEqual([1, 2, 3, 4, 5]);
});

function bucketsOf(metric: Metric, scaleMax?: number) {
  const scale = scaleOf(metric, scaleMax);
  return valuesOf(scale).map((score) => bucketOf(metric, scale, score));
}

test('score buckets: NPS 0–6 / 7–8 / 9–10, CSAT 1–2 / 3 / 4–5, CES 1–3 / 4 / 5–7 and on 1–5 1–2 / 3 / 4–5', () => {
  const [neg, mid, pos] = ['negative', 'neutral', 'positive'];
  expect(bucketsOf('nps')).toEqual([neg, neg, neg, neg, neg, neg, neg, mid, mid, pos, pos]);
  expect(bucketsOf('csat')).toEqual([neg, neg, mid, pos, pos]);
  expect(bucketsOf('ces')).toEqual([neg, neg, neg, mid, pos, pos, pos]);
  expect(bucketsOf('ces', 5)).toEqual([neg, neg, mid, pos, pos]);
});
