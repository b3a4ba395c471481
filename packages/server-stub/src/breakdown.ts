// Breakdowns: NPS, CSAT and CES per group of answers (a trait, a trigger property, the locale, the
// survey), pure: answers with their group in, summaries out (docs/metrics.md#breakdowns). The
// scores and intervals are those of nps.ts, csat.ts and ces.ts; the differences those of interval.ts.
import type { Metric } from '@cxkit/protocol';
import { summarizeCes, type CesAnswer, type CesSummary } from './ces.js';
import { summarizeCsat, type CsatSummary } from './csat.js';
import { meanDifference, npsDifference, shareDifference, type Difference, type Moments } from './interval.js';
import { summarizeNps, type NpsSummary } from './nps.js';

/** Below this many answers a group is marked `tooFew`: its interval is too wide to read much from. */
export const MIN_GROUP_ANSWERS = 30;
/** Groups answered one by one, those with most answers; the rest are merged into `other`. */
export const MAX_GROUPS = 10;

export interface GroupedAnswer extends CesAnswer {
  /** The answer's value of what is grouped by; null when it has none. */
  group: string | null;
}

export interface Summaries {
  nps: NpsSummary;
  csat: CsatSummary;
  ces: CesSummary;
}

export type GroupSummary<M extends Metric> = Summaries[M] & { tooFew: boolean };

export interface Comparison extends Difference {
  /** The two groups' keys: the difference is a minus b. */
  a: string;
  b: string;
}

export interface MetricBreakdown<M extends Metric> {
  /** The MAX_GROUPS groups with most answers, most first (then by key). */
  groups: (GroupSummary<M> & { key: string })[];
  /** The answers without a value, null when every answer has one. */
  none: GroupSummary<M> | null;
  /** The groups past MAX_GROUPS as one, with how many they are; null when there are none. */
  other: (GroupSummary<M> & { groups: number }) | null;
  /** When two keys were asked for: null when either group has no answers (CES: fewer than two), or they are on different CES scales. */
  comparison?: Comparison | null;
}

const SUMMARIZE: { [M in Metric]: (answers: readonly CesAnswer[]) => Summaries[M] } = {
  nps: (answers) => summarizeNps(answers.map((a) => a.score)),
  csat: (answers) => summarizeCsat(answers.map((a) => a.score)),
  ces: (answers) => summarizeCes(answers),
};

function summarize<M extends Metric>(metric: M, answers: readonly CesAnswer[]): GroupSummary<M> {
  const summary = SUMMARIZE[metric](answers);
  return { ...summary, tooFew: summary.n < MIN_GROUP_ANSWERS };
}

/** One metric's answers per group; `compare` names two groups to tell apart. */
export function breakdown<M extends Metric>(metric: M, answers: Iterable<GroupedAnswer>, compare?: readonly [string, string]): MetricBreakdown<M> {
  const byKey = new Map<string, CesAnswer[]>();
  const none: CesAnswer[] = [];
  for (const answer of answers) {
    if (answer.group === null) {
      none.push(answer);
      continue;
    }
    let group = byKey.get(answer.group);
    if (!group) byKey.set(answer.group, (group = []));
    group.push(answer);
  }
  const ranked = [...byKey].sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : a > b ? 1 : 0));
  const rest = ranked.slice(MAX_GROUPS);
  return {
    groups: ranked.slice(0, MAX_GROUPS).map(([key, group]) => ({ key, ...summarize(metric, group) })),
    none: none.length === 0 ? null : summarize(metric, none),
    other: rest.length === 0 ? null : Object.assign(summarize(metric, rest.flatMap(([, group]) => group)), { groups: rest.length }),
    ...(compare && { comparison: comparison(metric, compare, byKey.get(compare[0]) ?? [], byKey.get(compare[1]) ?? []) }),
  };
}

function comparison(metric: Metric, [a, b]: readonly [string, string], first: CesAnswer[], second: CesAnswer[]): Comparison | null {
  let difference: Difference | null;
  if (metric === 'nps') difference = npsDifference(summarizeNps(first.map((x) => x.score)), summarizeNps(second.map((x) => x.score)));
  else if (metric === 'csat') {
    const share = (answers: CesAnswer[]) => {
      const { satisfied, n } = summarizeCsat(answers.map((x) => x.score));
      return { successes: satisfied, n };
    };
    difference = shareDifference(share(first), share(second));
  } else {
    // A mean of 1–5 answers and one of 1–7 answers have no common scale.
    const scales = new Set([...first, ...second].map((x) => x.scaleMax));
    difference = scales.size === 1 ? meanDifference(moments(first), moments(second)) : null;
  }
  return difference && { a, b, ...difference };
}

function moments(answers: CesAnswer[]): Moments {
  let sum = 0;
  let sumOfSquares = 0;
  for (const { score } of answers) {
    sum += score;
    sumOfSquares += score * score;
  }
  return { sum, sumOfSquares, n: answers.length };
}
