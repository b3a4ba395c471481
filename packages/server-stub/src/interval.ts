// 95% confidence intervals for the dashboard's headline numbers. The formulas, with their
// sources, are in docs/metrics.md; the tests recompute them by hand.

/** The 97.5th percentile of the standard normal distribution, rounded as the sources use it. */
const Z95 = 1.96;

export interface Interval {
  low: number;
  high: number;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** An estimate and its standard error: its interval is the estimate ± a quantile × the error. */
interface Estimate {
  value: number;
  error: number;
}

/** The share of successes with `added` successes and as many failures added (adjusted Wald). */
function adjustedShare(successes: number, n: number, added: number): Estimate {
  const trials = n + 2 * added;
  const p = (successes + added) / trials;
  return { value: p, error: Math.sqrt((p * (1 - p)) / trials) };
}

/**
 * NPS as a share, adjusted (Rocks 2016; Sauro & Lewis, MeasuringU 2021): n+3 answers, promoters+¾,
 * detractors+¾; the variance of the adjusted −1/0/+1 scores is p + d − (p − d)².
 */
function adjustedNps(promoters: number, detractors: number, n: number): Estimate {
  const trials = n + 3;
  const p = (promoters + 0.75) / trials;
  const d = (detractors + 0.75) / trials;
  return { value: p - d, error: Math.sqrt((p + d - (p - d) ** 2) / trials) };
}

/** The mean and its standard error s/√n, s the sample standard deviation. */
function meanEstimate({ sum, sumOfSquares, n }: Moments): Estimate {
  const mean = sum / n;
  const variance = Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
  return { value: mean, error: Math.sqrt(variance / n) };
}

const around = ({ value, error }: Estimate, quantile: number, scale: number, min: number, max: number): Interval => ({
  low: clamp(scale * (value - quantile * error), min, max),
  high: clamp(scale * (value + quantile * error), min, max),
});

/**
 * Adjusted Wald (Agresti & Coull 1998) interval of the share `successes / n`, in percent:
 * add z²/2 successes and z² trials, then take the Wald interval of the adjusted share.
 */
export function shareInterval(successes: number, n: number): Interval | null {
  if (n === 0) return null;
  return around(adjustedShare(successes, n, (Z95 * Z95) / 2), Z95, 100, 0, 100);
}

/** Adjusted Wald interval of NPS, in points. */
export function npsInterval(promoters: number, detractors: number, n: number): Interval | null {
  if (n === 0) return null;
  return around(adjustedNps(promoters, detractors, n), Z95, 100, -100, 100);
}

/** Sums a mean and its spread are computed from. */
export interface Moments {
  sum: number;
  sumOfSquares: number;
  n: number;
}

/** Student's t interval of a mean; null below two answers, where no spread can be measured. */
export function meanInterval(sum: number, sumOfSquares: number, n: number): Interval | null {
  if (n < 2) return null;
  return around(meanEstimate({ sum, sumOfSquares, n }), tQuantile975(n - 1), 1, -Infinity, Infinity);
}

/** Group a minus group b, with the 95% interval of that difference. */
export interface Difference {
  /** In the metric's own unit: NPS points, percentage points, or points of a mean. */
  difference: number;
  interval: Interval;
  /** The interval leaves out 0: at the 95% level, the two groups differ. */
  significant: boolean;
}

const differenceOf = (difference: number, a: Estimate, b: Estimate, quantile: number, scale: number, bound: number): Difference => {
  const interval = around({ value: a.value - b.value, error: Math.hypot(a.error, b.error) }, quantile, scale, -bound, bound);
  return { difference, interval, significant: interval.low > 0 || interval.high < 0 };
};

/**
 * NPS of a minus NPS of b: each group's adjusted estimate and variance as for its own interval,
 * the two independent, so the variance of the difference is the sum of theirs.
 */
export function npsDifference(a: { promoters: number; detractors: number; n: number }, b: typeof a): Difference | null {
  if (a.n === 0 || b.n === 0) return null;
  const nps = (g: typeof a) => (100 * (g.promoters - g.detractors)) / g.n;
  return differenceOf(nps(a) - nps(b), adjustedNps(a.promoters, a.detractors, a.n), adjustedNps(b.promoters, b.detractors, b.n), Z95, 100, 200);
}

/**
 * Share of a minus share of b, in percentage points: Agresti & Caffo (2000), z²/4 successes and
 * as many failures added to each group (about one of each), then the Wald interval of the difference.
 */
export function shareDifference(a: { successes: number; n: number }, b: typeof a): Difference | null {
  if (a.n === 0 || b.n === 0) return null;
  const added = (Z95 * Z95) / 4;
  const share = (g: typeof a) => (100 * g.successes) / g.n;
  return differenceOf(share(a) - share(b), adjustedShare(a.successes, a.n, added), adjustedShare(b.successes, b.n, added), Z95, 100, 100);
}

/**
 * Mean of a minus mean of b: Welch's t interval, the degrees of freedom by Welch–Satterthwaite
 * rounded down (a wider interval, never a narrower one). Needs two answers in each group.
 */
export function meanDifference(a: Moments, b: Moments): Difference | null {
  if (a.n < 2 || b.n < 2) return null;
  const ea = meanEstimate(a);
  const eb = meanEstimate(b);
  const va = ea.error ** 2;
  const vb = eb.error ** 2;
  const df = va + vb === 0 ? a.n + b.n - 2 : (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  return differenceOf(ea.value - eb.value, ea, eb, tQuantile975(Math.max(1, Math.floor(df))), 1, Infinity);
}

// t(0.975, df) for df 1–30 from the standard table; beyond it the Cornish–Fisher expansion
// around Z95 is within 0.0005 of the exact value.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(df: number): number {
  const tabled = T975[df - 1];
  if (tabled !== undefined) return tabled;
  const z = Z95;
  return (
    z +
    (z ** 3 + z) / (4 * df) +
    (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2) +
    (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3)
  );
}
