// The breakdown math against hand-worked figures (docs/metrics.md#breakdowns): groups, the cap,
// answers without a value, the "too few" mark, and the difference of two groups with its interval.
import { describe, expect, test } from 'vitest';
import { breakdown, MAX_GROUPS, MIN_GROUP_ANSWERS, type GroupedAnswer } from '../src/breakdown';
import { meanDifference, npsDifference, shareDifference } from '../src/interval';
import { summarizeNps } from '../src/nps';
import { groupableEntries } from '../src/answer-context';
import { LIMITS } from '@cxkit/protocol';

const answers = (group: string | null, scores: number[], scaleMax = 10): GroupedAnswer[] => scores.map((score) => ({ group, score, scaleMax }));
const repeat = (score: number, times: number) => Array.from({ length: times }, () => score);

describe('differences of two groups', () => {
  test('NPS: 5 P, 3 D of 10 against 2 P, 6 D of 10 is 60 points, yet its interval holds 0', () => {
    // A: p = 5.75/13, d = 3.75/13, p − d = 0.153846, variance/n' = 0.707101/13 = 0.054392.
    // B: p = 2.75/13, d = 6.75/13, p − d = −0.307692, variance/n' = 0.636095/13 = 0.048930.
    // Difference 0.461538 ± 1.96 × √0.103322 = 0.461538 ± 0.630020 → −16.85 to 109.16.
    const difference = npsDifference({ promoters: 5, detractors: 3, n: 10 }, { promoters: 2, detractors: 6, n: 10 })!;
    expect(difference.difference).toBeCloseTo(60, 10);
    expect(difference.interval.low).toBeCloseTo(-16.848, 2);
    expect(difference.interval.high).toBeCloseTo(109.156, 2);
    expect(difference.significant).toBe(false);
  });

  test('NPS: the same split with ten times the answers is significant', () => {
    const difference = npsDifference({ promoters: 50, detractors: 30, n: 100 }, { promoters: 20, detractors: 60, n: 100 })!;
    expect(difference.difference).toBeCloseTo(60, 10);
    expect(difference.interval.low).toBeGreaterThan(0);
    expect(difference.significant).toBe(true);
  });

  test('CSAT: 45 of 50 against 30 of 50 by Agresti–Caffo is 30 points, 12.97 to 44.81', () => {
    // z²/4 = 0.9604 added to successes and failures: 45.9604/51.9208 = 0.885202, 30.9604/51.9208 = 0.596301.
    const difference = shareDifference({ successes: 45, n: 50 }, { successes: 30, n: 50 })!;
    expect(difference.difference).toBeCloseTo(30, 10);
    expect(difference.interval.low).toBeCloseTo(12.975, 2);
    expect(difference.interval.high).toBeCloseTo(44.806, 2);
    expect(difference.significant).toBe(true);
  });

  test('CES: 7 6 5 5 4 3 2 against 7 7 6 6 6 5 by Welch: −1.60, df 8.48 → t(8), −3.25 to 0.06', () => {
    const moments = (scores: number[]) => ({ sum: scores.reduce((a, b) => a + b, 0), sumOfSquares: scores.reduce((a, b) => a + b * b, 0), n: scores.length });
    const difference = meanDifference(moments([7, 6, 5, 5, 4, 3, 2]), moments([7, 7, 6, 6, 6, 5]))!;
    expect(difference.difference).toBeCloseTo(-1.5952, 4);
    expect(difference.interval.low).toBeCloseTo(-3.2521, 3);
    expect(difference.interval.high).toBeCloseTo(0.0616, 3);
    expect(difference.significant).toBe(false);
  });

  test('a group without answers, or a mean of one answer, has no difference', () => {
    expect(npsDifference({ promoters: 1, detractors: 0, n: 1 }, { promoters: 0, detractors: 0, n: 0 })).toBeNull();
    expect(shareDifference({ successes: 0, n: 0 }, { successes: 1, n: 2 })).toBeNull();
    expect(meanDifference({ sum: 5, sumOfSquares: 25, n: 1 }, { sum: 9, sumOfSquares: 41, n: 2 })).toBeNull();
  });
});

describe('breakdown', () => {
  test('each group gets the summary and interval its answers alone would get', () => {
    const team = [10, 10, 9, 9, 9, 8, 7, 6, 3, 0];
    const result = breakdown('nps', [...answers('team', team), ...answers('free', [0, 10])]);
    expect(result.groups.map((g) => g.key)).toEqual(['team', 'free']);
    expect(result.groups[0]).toEqual({ key: 'team', tooFew: true, ...summarizeNps(team) });
    expect(result.groups[0]).toMatchObject({ n: 10, score: 20, interval: { low: expect.closeTo(-30.33, 2), high: expect.closeTo(61.1, 1) } });
    expect(result.groups[1]).toMatchObject({ n: 2, promoters: 1, detractors: 1, score: 0 });
    expect(result.none).toBeNull();
    expect(result.other).toBeNull();
    expect(result).not.toHaveProperty('comparison');
  });

  test(`a group of ${MIN_GROUP_ANSWERS - 1} answers is too few, one of ${MIN_GROUP_ANSWERS} is not`, () => {
    const result = breakdown('csat', [...answers('a', repeat(5, MIN_GROUP_ANSWERS)), ...answers('b', repeat(4, MIN_GROUP_ANSWERS - 1))]);
    expect(result.groups.map((g) => [g.key, g.n, g.tooFew])).toEqual([
      ['a', MIN_GROUP_ANSWERS, false],
      ['b', MIN_GROUP_ANSWERS - 1, true],
    ]);
  });

  test(`the ${MAX_GROUPS} groups with most answers come one by one, most first, ties by key; the rest as other`, () => {
    const many = Array.from({ length: MAX_GROUPS + 3 }, (_, i) => answers(`g${String(i).padStart(2, '0')}`, repeat(5, i < 2 ? 1 : i))).flat();
    const result = breakdown('csat', many);
    // g12 has 12 answers … g02 two; g00 and g01 one each, and g00 sorts first.
    expect(result.groups.map((g) => g.key)).toEqual(['g12', 'g11', 'g10', 'g09', 'g08', 'g07', 'g06', 'g05', 'g04', 'g03']);
    expect(result.other).toMatchObject({ groups: 3, n: 4, satisfied: 4, score: 100 });
  });

  test('answers without a value are their own row, never merged into other', () => {
    const result = breakdown('nps', [...answers(null, [10, 9, 3]), ...answers('team', [10])]);
    expect(result.groups.map((g) => g.key)).toEqual(['team']);
    expect(result.none).toMatchObject({ n: 3, promoters: 2, detractors: 1, tooFew: true });
  });

  test('compares the two groups named, past the cap too; an unknown one gives null', () => {
    const result = breakdown('nps', [...answers('team', [10, 10, 10, 10, 10, 9, 9, 9, 0, 0]), ...answers('free', [0, 0, 0, 0, 3, 3, 10, 10, 7, 8])], ['team', 'free']);
    expect(result.comparison).toEqual({ a: 'team', b: 'free', ...npsDifference({ promoters: 8, detractors: 2, n: 10 }, { promoters: 2, detractors: 6, n: 10 }) });
    expect(breakdown('nps', answers('team', [10]), ['team', 'nobody']).comparison).toBeNull();
  });

  test('CES groups on different scales have no mean to compare', () => {
    const result = breakdown('ces', [...answers('a', [5, 4, 3], 5), ...answers('b', [7, 6, 2], 7)], ['a', 'b']);
    expect(result.comparison).toBeNull();
    const same = breakdown('ces', [...answers('a', [5, 4, 3], 7), ...answers('b', [7, 6, 2], 7)], ['a', 'b']);
    expect(same.comparison).toMatchObject({ a: 'a', b: 'b', difference: -1 });
  });
});

describe('what an answer keeps to be grouped by', () => {
  test('scalar values as text; objects, lists, empty text and oversized keys or values left out', () => {
    const kept = groupableEntries({
      plan: 'team',
      seats: 12,
      beta: true,
      nan: Number.NaN,
      address: { city: 'Köln' },
      tags: ['a'],
      empty: '',
      none: null,
      ['k'.repeat(LIMITS.snapshotKeyChars + 1)]: 'long key',
      long: 'v'.repeat(LIMITS.snapshotValueChars + 1),
      'Company "size"': 'big',
    });
    expect(JSON.parse(kept!)).toEqual({ plan: 'team', seats: '12', beta: 'true', 'Company "size"': 'big' });
    expect(groupableEntries({ address: {} })).toBeNull();
    expect(groupableEntries(undefined)).toBeNull();
  });

  test(`at most ${LIMITS.snapshotEntries} entries, the first ones`, () => {
    const many = Object.fromEntries(Array.from({ length: LIMITS.snapshotEntries + 5 }, (_, i) => [`t${i}`, i]));
    const kept = JSON.parse(groupableEntries(many)!);
    expect(Object.keys(kept)).toHaveLength(LIMITS.snapshotEntries);
    expect(kept.t0).toBe('0');
    expect(kept[`t${LIMITS.snapshotEntries}`]).toBeUndefined();
  });
});
