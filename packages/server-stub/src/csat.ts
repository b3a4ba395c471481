import { bucketRange, scaleOf } from '@cxkit/protocol';
import { shareInterval, type Interval } from './interval.js';

export interface CsatSummary {
  n: number;
  /** Answers in the positive bucket, 4 or 5. */
  satisfied: number;
  /** Share of satisfied answers in percent: the headline CSAT. */
  score: number | null;
  interval: Interval | null;
  /** Mean answer, 1–5. */
  mean: number | null;
  /** Sum of answers / highest possible sum × 100 (the "total given / total possible" form). */
  sumOverMax: number | null;
}

const CSAT_MAX = scaleOf('csat').max;
const SATISFIED_FROM = bucketRange('csat', CSAT_MAX, 'positive')[0];

/** CSAT of 1–5 answers. */
export function summarizeCsat(scores: Iterable<number>): CsatSummary {
  let n = 0;
  let satisfied = 0;
  let sum = 0;
  for (const score of scores) {
    n++;
    sum += score;
    if (score >= SATISFIED_FROM) satisfied++;
  }
  return {
    n,
    satisfied,
    score: n === 0 ? null : (100 * satisfied) / n,
    interval: shareInterval(satisfied, n),
    mean: n === 0 ? null : sum / n,
    sumOverMax: n === 0 ? null : (100 * sum) / (n * CSAT_MAX),
  };
}
