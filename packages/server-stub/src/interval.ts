// 95% confidence intervals for the dashboard's headline numbers. The formulas, with their
// sources, are in docs/metrics.md; the tests recompute them by hand.

/** The 97.5th percentile of the standard normal distribution, rounded as the sources use it. */
const Z95 = 1.96;

export interface Interval {
  low: number;
  high: number;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * Adjusted Wald (Agresti & Coull 1998) interval of the share `successes / n`, in percent:
 * add z²/2 successes and z² trials, then take the Wald interval of the adjusted share.
 */
export function shareInterval(successes: number, n: number): Interval | null {
  if (n === 0) return null;
  const z2 = Z95 * Z95;
  const trials = n + z2;
  const p = (successes + z2 / 2) / trials;
  const half = Z95 * Math.sqrt((p * (1 - p)) / trials);
  return { low: clamp(100 * (p - half), 0, 100), high: clamp(100 * (p + half), 0, 100) };
}

/**
 * Adjusted Wald interval of NPS (Rocks 2016; Sauro & Lewis, MeasuringU 2021): n+3 answers,
 * promoters+¾, detractors+¾; variance of the adjusted difference p − d is p + d − (p − d)².
 */
export function npsInterval(promoters: number, detractors: number, n: number): Interval | null {
  if (n === 0) return null;
  const trials = n + 3;
  const p = (promoters + 0.75) / trials;
  const d = (detractors + 0.75) / trials;
  const half = Z95 * Math.sqrt((p + d - (p - d) ** 2) / trials);
  return { low: clamp(100 * (p - d - half), -100, 100), high: clamp(100 * (p - d + half), -100, 100) };
}

/** Student's t interval of a mean; null below two answers, where no spread can be measured. */
export function meanInterval(sum: number, sumOfSquares: number, n: number): Interval | null {
  if (n < 2) return null;
  const mean = sum / n;
  const variance = Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
  const half = tQuantile975(n - 1) * Math.sqrt(variance / n);
  return { low: mean - half, high: mean + half };
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
