// The Customer Health Index of one account, as pure arithmetic over what is known of it: each
// component normalised to 0–100, missing ones left out rather than counted as zero, a weighted mean
// clamped to 1–100, its band, and the component that pulls it down most
// (docs/metrics.md#customer-health-index; table-tested in test/account-health.test.ts).
import {
  HEALTH_COMPONENTS,
  HEALTH_WINDOW_DAYS,
  healthCategory,
  type HealthCategory,
  type HealthComponent,
  type HealthWeights,
  type Metric,
} from '@cxkit/protocol';
import { summarizeCes } from '../ces.js';
import { summarizeCsat } from '../csat.js';
import { summarizeNps } from '../nps.js';

/** What the index reads of an account, gathered by whoever holds the data. */
export interface HealthInputs {
  /** Each of the account's users' latest answer per metric, within HEALTH_ANSWER_DAYS. */
  latestAnswers: readonly { metric: Metric; score: number; scaleMax?: number }[];
  /** Users the account is known to have. */
  users: number;
  /** Of them, those active on any of the last HEALTH_WINDOW_DAYS days. */
  activeUsers: number;
  /** User-days of activity in the last HEALTH_WINDOW_DAYS days, and in as many days before them. */
  activeDays: number;
  activeDaysBefore: number;
  /** Whole days since any of its users was last seen; null when none ever was. */
  daysSinceSeen: number | null;
}

export type HealthComponents = Record<HealthComponent, number | null>;

export interface HealthIndex {
  /** 1–100; null when no component is known. */
  index: number | null;
  category: HealthCategory | null;
  components: HealthComponents;
  /** Components with nothing to read yet (no answers, no earlier usage): left out of the mean. */
  missing: HealthComponent[];
  /** The known component whose shortfall from 100 costs the index most, by weight; null when all are 100 or none is known. */
  weakest: HealthComponent | null;
}

/** A usage ratio (last days / days before) of 1 or more is 100; half or less is 0; linear between. */
export const TREND_FLOOR = 0.5;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** Each component on 0–100, or null where the account gives nothing to read. */
export function healthComponents(inputs: HealthInputs): HealthComponents {
  const scores = (metric: Metric) => inputs.latestAnswers.filter((a) => a.metric === metric);
  const nps = summarizeNps(scores('nps').map((a) => a.score)).score;
  const csat = summarizeCsat(scores('csat').map((a) => a.score)).score;
  const ces = summarizeCes(scores('ces').map((a) => ({ score: a.score, scaleMax: a.scaleMax ?? 7 }))).easyShare;
  const ratio = inputs.activeDaysBefore > 0 ? inputs.activeDays / inputs.activeDaysBefore : null;
  return {
    // NPS runs −100…100; CSAT and CES are already shares in percent (satisfied, easy).
    nps: nps === null ? null : (nps + 100) / 2,
    csat,
    ces,
    active: inputs.users > 0 ? (100 * inputs.activeUsers) / inputs.users : null,
    trend: ratio === null ? null : clamp((100 * (ratio - TREND_FLOOR)) / (1 - TREND_FLOOR), 0, 100),
    // Seen today is 100, falling by equal steps to 0 at HEALTH_WINDOW_DAYS days and beyond.
    recency: inputs.daysSinceSeen === null ? null : clamp(100 - (100 * inputs.daysSinceSeen) / HEALTH_WINDOW_DAYS, 0, 100),
  };
}

/** The weighted mean of the known components, 1–100, its band and what pulls it down most. */
export function healthIndex(components: HealthComponents, weights: HealthWeights): HealthIndex {
  const known = HEALTH_COMPONENTS.filter((c) => components[c] !== null && weights[c] > 0);
  const missing = HEALTH_COMPONENTS.filter((c) => components[c] === null);
  const total = known.reduce((sum, c) => sum + weights[c], 0);
  if (total === 0) return { index: null, category: null, components, missing, weakest: null };
  const mean = known.reduce((sum, c) => sum + weights[c] * components[c]!, 0) / total;
  const index = clamp(Math.round(mean), 1, 100);
  let weakest: HealthComponent | null = null;
  let cost = 0;
  // Ties go to the component listed first in HEALTH_COMPONENTS: answers before usage.
  for (const c of known) {
    const shortfall = weights[c] * (100 - components[c]!);
    if (shortfall > cost) [weakest, cost] = [c, shortfall];
  }
  return { index, category: healthCategory(index), components, missing, weakest };
}
