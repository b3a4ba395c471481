// The Customer Health Index against hand-worked fixtures (docs/metrics.md#customer-health-index):
// every component's normalisation, missing components, weights, bands at their edges, the
// component that pulls the index down most.
import { DEFAULT_HEALTH_WEIGHTS, HEALTH_COMPONENTS, healthCategory, type HealthWeights } from '@cxkit/protocol';
import { describe, expect, test } from 'vitest';
import { healthComponents, healthIndex, type HealthComponents, type HealthInputs } from '../src/accounts/health';

const nothing: HealthInputs = { latestAnswers: [], users: 0, activeUsers: 0, activeDays: 0, activeDaysBefore: 0, daysSinceSeen: null };
const none: HealthComponents = { nps: null, csat: null, ces: null, active: null, trend: null, recency: null };
const equal: HealthWeights = { nps: 1, csat: 1, ces: 1, active: 1, trend: 1, recency: 1 };

describe('components', () => {
  test('the worked example of docs/metrics.md', () => {
    const components = healthComponents({
      latestAnswers: [
        ...[10, 9, 7, 3].map((score) => ({ metric: 'nps' as const, score })),
        ...[5, 4, 2].map((score) => ({ metric: 'csat' as const, score })),
        ...[6, 3].map((score) => ({ metric: 'ces' as const, score })),
      ],
      users: 10,
      activeUsers: 6,
      activeDays: 90,
      activeDaysBefore: 120,
      daysSinceSeen: 3,
    });
    // NPS 25 → 62.5; CSAT 2 of 3 satisfied; CES 1 of 2 easy; 6 of 10 active; 90/120 = 0.75 of the
    // usage before → halfway from 0.5 to 1; seen 3 days ago → 100 − 3 × 100/30.
    expect(components).toEqual({ nps: 62.5, csat: (100 * 2) / 3, ces: 50, active: 60, trend: 50, recency: 90 });
    const health = healthIndex(components, DEFAULT_HEALTH_WEIGHTS);
    // (25 × 62.5 + 15 × 66.67 + 10 × 50 + 20 × 60 + 15 × 50 + 15 × 90) / 100 = 63.625
    expect(health).toMatchObject({ index: 64, category: 'medium', missing: [], weakest: 'nps' });
  });

  test.each([
    ['all promoters', [{ metric: 'nps', score: 9 }], { nps: 100 }],
    ['all detractors', [{ metric: 'nps', score: 0 }, { metric: 'nps', score: 6 }], { nps: 0 }],
    ['passives only', [{ metric: 'nps', score: 8 }], { nps: 50 }],
    ['CSAT 3 is not satisfied', [{ metric: 'csat', score: 3 }, { metric: 'csat', score: 4 }], { csat: 50 }],
    ['CES on 1–5: 4 is easy, 3 is not', [{ metric: 'ces', score: 4, scaleMax: 5 }, { metric: 'ces', score: 3, scaleMax: 5 }], { ces: 50 }],
    ['CES on 1–7: 5 is easy, 4 is not', [{ metric: 'ces', score: 5 }, { metric: 'ces', score: 4 }], { ces: 50 }],
    ['CES mixing scales counts each on its own', [{ metric: 'ces', score: 7 }, { metric: 'ces', score: 2, scaleMax: 5 }, { metric: 'ces', score: 5, scaleMax: 5 }], { ces: (100 * 2) / 3 }],
  ] as const)('%s', (_, latestAnswers, expected) => {
    expect(healthComponents({ ...nothing, latestAnswers })).toEqual({ ...none, ...expected });
  });

  test.each([
    [100, 100, 100],
    [150, 100, 100],
    [75, 100, 50],
    [60, 100, 20],
    [50, 100, 0],
    [10, 100, 0],
    [0, 100, 0],
  ])('usage trend: %i user-days against %i before → %d', (activeDays, activeDaysBefore, trend) => {
    expect(healthComponents({ ...nothing, activeDays, activeDaysBefore }).trend).toBeCloseTo(trend, 10);
  });

  test.each([
    [0, 100],
    [15, 50],
    [29, 100 / 30],
    [30, 0],
    [400, 0],
  ])('recency: last seen %i days ago → %d', (daysSinceSeen, recency) => {
    expect(healthComponents({ ...nothing, daysSinceSeen }).recency).toBeCloseTo(recency, 10);
  });

  test('an account with no answers, no users and no usage before has those components missing, not zero', () => {
    expect(healthComponents(nothing)).toEqual(none);
    // Usage this month but none the month before (a new account): no trend yet.
    expect(healthComponents({ ...nothing, users: 3, activeUsers: 0, activeDays: 12, daysSinceSeen: 40 })).toEqual({
      ...none,
      active: 0,
      recency: 0,
    });
  });
});

describe('index', () => {
  test('missing components are left out of the mean and named', () => {
    const health = healthIndex({ ...none, active: 100, trend: 100, recency: 100 }, DEFAULT_HEALTH_WEIGHTS);
    expect(health).toMatchObject({ index: 100, category: 'good', missing: ['nps', 'csat', 'ces'], weakest: null });
    // Were they counted as zero, the same account would be in poor health: (20 + 15 + 15) × 100 / 100 = 50.
    expect(healthIndex({ ...none, nps: 0, csat: 0, ces: 0, active: 100, trend: 100, recency: 100 }, DEFAULT_HEALTH_WEIGHTS).index).toBe(50);
  });

  test('with nothing known there is no index and no band', () => {
    expect(healthIndex(none, DEFAULT_HEALTH_WEIGHTS)).toEqual({ index: null, category: null, components: none, missing: [...HEALTH_COMPONENTS], weakest: null });
  });

  test('a component weighted 0 does not count, but is not called missing', () => {
    const health = healthIndex({ ...none, nps: 0, active: 80 }, { ...DEFAULT_HEALTH_WEIGHTS, nps: 0 });
    expect(health).toMatchObject({ index: 80, weakest: 'active' });
    expect(health.missing).toEqual(['csat', 'ces', 'trend', 'recency']);
  });

  test('the index runs 1–100: an account at 0 everywhere is 1, poor', () => {
    const zero = Object.fromEntries(HEALTH_COMPONENTS.map((c) => [c, 0])) as HealthComponents;
    expect(healthIndex(zero, DEFAULT_HEALTH_WEIGHTS)).toMatchObject({ index: 1, category: 'poor', weakest: 'nps' });
  });

  test.each([
    [70, 70, 'good'],
    [69.5, 70, 'good'],
    [69.49, 69, 'medium'],
    [40, 40, 'medium'],
    [39.5, 40, 'medium'],
    [39.4, 39, 'poor'],
  ] as const)('bands at their edges: a mean of %d rounds to %d, %s', (mean, index, category) => {
    expect(healthIndex({ ...none, nps: mean }, equal)).toMatchObject({ index, category });
    expect(healthCategory(index)).toBe(category);
  });

  test('the weakest component is the largest weighted shortfall; a tie goes to the one listed first', () => {
    // Shortfalls by weight: nps 25 × 20 = 500 against active 20 × 30 = 600.
    expect(healthIndex({ ...none, nps: 80, active: 70 }, DEFAULT_HEALTH_WEIGHTS).weakest).toBe('active');
    // A lower component with a small weight costs less: ces 10 × 60 = 600 against trend 15 × 50 = 750.
    expect(healthIndex({ ...none, ces: 40, trend: 50 }, DEFAULT_HEALTH_WEIGHTS).weakest).toBe('trend');
    expect(healthIndex({ ...none, nps: 50, recency: 50 }, equal).weakest).toBe('nps');
    expect(healthIndex({ ...none, recency: 50, nps: 50 }, equal).weakest).toBe('nps');
  });
});
