import { bucketRange, scaleOf } from '@cxkit/protocol';
import { meanInterval, type Interval } from './interval.js';

export interface CesAnswer {
  score: number;
  /** 7 (default scale 1–7) or 5 (1–5), from the survey's scaleMax. */
  scaleMax: number;
}

export interface CesSummary {
  n: number;
  /** The scale all answers share; null when they mix 1–5 and 1–7 surveys. */
  scaleMax: number | null;
  /** Mean answer: the headline CES. Null when scales are mixed, where a mean means nothing. */
  score: number | null;
  interval: Interval | null;
  /** Answers in the top three of seven or the top two of five ("easy"). */
  easy: number;
  /** Share of easy answers in percent. */
  easyShare: number | null;
}

/** The lowest score counted as easy, the positive bucket: 5–7 on a 1–7 scale, 4–5 on 1–5. */
const easyFrom = (scaleMax: number) => bucketRange('ces', scaleMax, 'positive')[0];

export function summarizeCes(answers: Iterable<CesAnswer>): CesSummary {
  let n = 0;
  let easy = 0;
  let sum = 0;
  let sumOfSquares = 0;
  let scaleMax: number | null | undefined;
  for (const answer of answers) {
    n++;
    sum += answer.score;
    sumOfSquares += answer.score * answer.score;
    if (answer.score >= easyFrom(answer.scaleMax)) easy++;
    scaleMax = scaleMax === undefined || scaleMax === answer.scaleMax ? answer.scaleMax : null;
  }
  const scale = n > 0 ? scaleMax : null;
  const interval = scale ? meanInterval(sum, sumOfSquares, n) : null;
  return {
    n,
    scaleMax: scaleMax ?? null,
    score: scale ? sum / n : null,
    // A mean cannot leave its scale, and neither does its interval.
    interval: scale && interval ? { low: Math.max(scaleOf('ces', scale).min, interval.low), high: Math.min(scale, interval.high) } : null,
    easy,
    easyShare: n === 0 ? null : (100 * easy) / n,
  };
}
