import { describe, expect, test } from 'vitest';
import { summarizeCes } from '../src/ces';
import { summarizeCsat } from '../src/csat';
import { meanInterval, npsInterval, shareInterval, tQuantile975 } from '../src/interval';
import { summarizeNps } from '../src/nps';

// Every expected number below was worked out by hand from the formulas in docs/metrics.md
// (z = 1.96); the comments show the steps.

describe('NPS', () => {
  test('counts promoters 9–10, passives 7–8, detractors 0–6 and scores %P − %D', () => {
    // 10,10,9,9,9 → 5 promoters; 8,7 → 2 passives; 6,3,0 → 3 detractors. NPS = 50% − 30% = 20.
    const nps = summarizeNps([10, 10, 9, 9, 9, 8, 7, 6, 3, 0]);
    expect(nps).toMatchObject({ n: 10, promoters: 5, passives: 2, detractors: 3, score: 20 });
  });

  test('has the adjusted Wald 95% interval (n+3, P+¾, D+¾)', () => {
    // p = 5.75/13 = 0.442308, d = 3.75/13 = 0.288462, p − d = 0.153846
    // var = p + d − (p − d)² = 0.730769 − 0.023669 = 0.707101
    // half = 1.96 × √(0.707101 / 13) = 1.96 × 0.233221 = 0.457113
    // → [0.153846 − 0.457113, 0.153846 + 0.457113] = [−30.33, 61.10]
    const { interval } = summarizeNps([10, 10, 9, 9, 9, 8, 7, 6, 3, 0]);
    expect(interval!.low).toBeCloseTo(-30.3268, 3);
    expect(interval!.high).toBeCloseTo(61.0961, 3);
  });

  test('keeps the interval inside −100…100', () => {
    // 4 promoters: p = 4.75/7, d = 0.75/7; p − d = 0.571429, var = 0.785714 − 0.326531 = 0.459184,
    // half = 1.96 × √(0.459184/7) = 0.502002 → [6.94, 107.34], clamped to [6.94, 100].
    const { score, interval } = summarizeNps([9, 10, 10, 9]);
    expect(score).toBe(100);
    expect(interval!.low).toBeCloseTo(6.9433, 3);
    expect(interval!.high).toBe(100);
    expect(npsInterval(0, 4, 4)!.low).toBe(-100);
  });

  test('has no score and no interval without answers', () => {
    expect(summarizeNps([])).toEqual({ n: 0, promoters: 0, passives: 0, detractors: 0, score: null, interval: null });
  });
});

describe('CSAT', () => {
  test('headline is the share of 4–5 answers, with mean and the sum/max × 100 form', () => {
    // 5,5,4,4,4 satisfied of 8 → 62.5%. Sum 28: mean 3.5; the seed article's
    // "total scores given / total possible scores × 100" = 28 / (8 × 5) × 100 = 70.
    const csat = summarizeCsat([5, 5, 4, 4, 4, 3, 2, 1]);
    expect(csat).toMatchObject({ n: 8, satisfied: 5, score: 62.5, mean: 3.5, sumOverMax: 70 });
  });

  test('has the adjusted Wald (Agresti–Coull) interval of the share', () => {
    // z² = 3.8416: p = (5 + 1.9208) / (8 + 3.8416) = 6.9208 / 11.8416 = 0.584448
    // half = 1.96 × √(0.584448 × 0.415552 / 11.8416) = 0.280696 → [30.38, 86.51]
    const { interval } = summarizeCsat([5, 5, 4, 4, 4, 3, 2, 1]);
    expect(interval!.low).toBeCloseTo(30.3752, 3);
    expect(interval!.high).toBeCloseTo(86.5144, 3);
  });

  test('a share interval stays inside 0…100', () => {
    expect(shareInterval(0, 3)!.low).toBe(0);
    expect(shareInterval(3, 3)!.high).toBe(100);
    expect(shareInterval(0, 0)).toBeNull();
  });
});

describe('CES', () => {
  test('headline is the mean (the seed formula: sum / number of answers), plus the share of easy 5–7', () => {
    // 7+6+5+5+4+3+2 = 32 over 7 → 4.571429; easy: 7,6,5,5 → 4 of 7 = 57.14%.
    const ces = summarizeCes([7, 6, 5, 5, 4, 3, 2].map((score) => ({ score, scaleMax: 7 })));
    expect(ces.n).toBe(7);
    expect(ces.scaleMax).toBe(7);
    expect(ces.score).toBeCloseTo(4.571429, 5);
    expect(ces.easy).toBe(4);
    expect(ces.easyShare).toBeCloseTo(57.142857, 5);
  });

  test('has a Student t interval of the mean', () => {
    // s² = Σ(x − 4.571429)² / 6 = 17.714286 / 6 = 2.952381; se = √(2.952381 / 7) = 0.649437
    // t(0.975, 6) = 2.447 → half = 1.589173 → [2.9823, 6.1606]
    const { interval } = summarizeCes([7, 6, 5, 5, 4, 3, 2].map((score) => ({ score, scaleMax: 7 })));
    expect(interval!.low).toBeCloseTo(2.98226, 4);
    expect(interval!.high).toBeCloseTo(6.1606, 4);
  });

  test('the interval of the mean stays on the scale', () => {
    // 5, 4, 2: mean 3.667, s² = 2.333, t(2) = 4.303 → 3.667 ± 3.795 = [−0.13, 7.46] → [1, 5].
    expect(summarizeCes([5, 4, 2].map((score) => ({ score, scaleMax: 5 }))).interval).toEqual({ low: 1, high: 5 });
  });

  test('on a 1–5 scale easy means 4–5', () => {
    const ces = summarizeCes([5, 4, 3, 2].map((score) => ({ score, scaleMax: 5 })));
    expect(ces).toMatchObject({ n: 4, scaleMax: 5, score: 3.5, easy: 2, easyShare: 50 });
  });

  test('mixing 1–5 and 1–7 surveys counts easy answers per scale but gives no mean', () => {
    const ces = summarizeCes([
      { score: 4, scaleMax: 5 },
      { score: 4, scaleMax: 7 },
      { score: 6, scaleMax: 7 },
    ]);
    expect(ces).toMatchObject({ n: 3, scaleMax: null, score: null, interval: null, easy: 2 });
  });
});

describe('t quantiles', () => {
  test.each([
    [1, 12.706],
    [6, 2.447],
    [30, 2.042],
    [31, 2.0395],
    [40, 2.0211],
    [60, 2.0003],
    [120, 1.9799],
  ])('t(0.975, %i) ≈ %f', (df, expected) => {
    expect(Math.abs(tQuantile975(df) - expected)).toBeLessThan(0.0006);
  });

  test('no mean interval below two answers', () => {
    expect(meanInterval(5, 25, 1)).toBeNull();
  });
});
