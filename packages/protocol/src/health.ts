// The Customer Health Index (docs/metrics.md#customer-health-index): its components, their default
// weights, and where good, medium and poor health begin. The server computes it; the dashboard
// shows the same names and bands.

/** What an account's health is made of, each normalised to 0–100 where 100 is healthiest. */
export const HEALTH_COMPONENTS = ['nps', 'csat', 'ces', 'active', 'trend', 'recency'] as const;
export type HealthComponent = (typeof HEALTH_COMPONENTS)[number];

export type HealthWeights = Record<HealthComponent, number>;

/** Relationship first (answers: 50), then use (active users, trend and recency: 50). */
export const DEFAULT_HEALTH_WEIGHTS: HealthWeights = { nps: 25, csat: 15, ces: 10, active: 20, trend: 15, recency: 15 };

export const HEALTH_CATEGORIES = ['good', 'medium', 'poor'] as const;
export type HealthCategory = (typeof HEALTH_CATEGORIES)[number];

/** An index of `good` or more is good health, of `medium` or more medium, anything lower poor. */
export const HEALTH_BANDS = { good: 70, medium: 40 } as const;

/** Answers older than this many days say nothing of the account's health today. */
export const HEALTH_ANSWER_DAYS = 180;
/** Days over which "active", the usage trend (against the as many days before) and recency are read. */
export const HEALTH_WINDOW_DAYS = 30;

/** An account is at risk in poor health, or when its index fell by this much or more in HEALTH_WINDOW_DAYS days. */
export const HEALTH_AT_RISK_DROP = 15;

/** The trait whose number is an account's monthly recurring revenue: what the accounts at risk add up. */
export const MRR_TRAIT = 'mrr';

export function healthCategory(index: number): HealthCategory {
  return index >= HEALTH_BANDS.good ? 'good' : index >= HEALTH_BANDS.medium ? 'medium' : 'poor';
}

/** How far back "last seen" looks: an account quiet for longer reads as this many days ago. */
export const LAST_SEEN_DAYS = 90;

/** When cxkit calls out a churn signal it can see in its own data (docs/accounts.md#churn-signals). */
export const CHURN_SIGNALS = {
  /** Usage drop: user-days of the last 30 days under this share of the 30 before… */
  usageDropRatio: 0.7,
  /** …when those were at least this many. */
  usageDropMinDays: 10,
  /** Rising effort: the CES easy share of the answer window's second half this many points below its first's… */
  risingEffortPoints: 20,
  /** …with at least this many CES answers in each half. */
  cesMinAnswers: 3,
} as const;

/**
 * The traits the article's business formulas read (docs/accounts.md#formulas-from-your-traits):
 * cxkit holds no contracts, invoices or tickets, so a formula is computed only over the accounts
 * whose traits carry its inputs, and left out otherwise.
 */
export const FORMULA_TRAITS = {
  renewalDue: 'renewalDue',
  renewed: 'renewed',
  upsellEligible: 'upsellEligible',
  upsold: 'upsold',
  mrrAtMonthStart: 'mrrAtMonthStart',
  cancelledMrr: 'cancelledMrr',
  averageOrderValue: 'averageOrderValue',
  purchasesPerYear: 'purchasesPerYear',
  retentionYears: 'retentionYears',
  retentionCost: 'retentionCost',
  churned: 'churned',
  tickets: 'tickets',
  ticketsResolvedFirstContact: 'ticketsResolvedFirstContact',
  responseMinutes: 'responseMinutes',
} as const;
