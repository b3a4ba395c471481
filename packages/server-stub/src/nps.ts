import { bucketOf } from '@cxkit/protocol';
import { npsInterval, type Interval } from './interval.js';

export interface NpsSummary {
  /** Answers counted. */
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** %promoters − %detractors, −100…100; null without answers. */
  score: number | null;
  interval: Interval | null;
}

/** NPS of 0–10 answers: promoters are the positive bucket (9–10), passives neutral (7–8), detractors negative (0–6). */
export function summarizeNps(scores: Iterable<number>): NpsSummary {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const score of scores) {
    const bucket = bucketOf('nps', undefined, score);
    if (bucket === 'positive') promoters++;
    else if (bucket === 'neutral') passives++;
    else detractors++;
  }
  const n = promoters + passives + detractors;
  return {
    n,
    promoters,
    passives,
    detractors,
    score: n === 0 ? null : (100 * (promoters - detractors)) / n,
    interval: npsInterval(promoters, detractors, n),
  };
}
