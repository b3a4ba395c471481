import { DROP_REASONS, type DropReason } from '@cxkit/protocol';
import { MAU_DAYS, type DailyActivity } from './activity-math.js';
import { dailyActivity } from './activity-series.js';
import { DAY_MS, formatDay, periodsBetween, periodStart, zone as zoneNamed, type Period } from './calendar.js';
import { breakdown, MAX_GROUPS, MIN_GROUP_ANSWERS, type GroupedAnswer, type MetricBreakdown } from './breakdown.js';
import { summarizeCes, type CesAnswer, type CesSummary } from './ces.js';
import { summarizeCsat, type CsatSummary } from './csat.js';
import { summarizeNps, type NpsSummary } from './nps.js';
import type { Storage } from './ports.js';
import type { GroupSource } from './storage.js';
import { scalesOf } from './survey-scales.js';

export const METRIC_NAMES = ['nps', 'csat', 'ces', 'responseRate', 'activity', 'dropped'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** A metrics question as plain data, so that another thread can answer it (read-pool.ts). */
export interface MetricsRequest {
  projectId: string;
  /** First and last local day, inclusive. */
  from: number;
  to: number;
  period: Period;
  /** An IANA zone name that parseZone accepted. */
  tz: string;
  surveyId?: string;
  metrics: readonly MetricName[];
  /** Adds a breakdown of NPS, CSAT and CES over the whole range by this. */
  groupBy?: GroupSource;
  /** With groupBy: two groups' keys to compare. */
  compare?: [string, string];
}

/** What computing metrics reads. */
export interface MetricsStorage {
  surveys: Pick<Storage['surveys'], 'all'>;
  responses: Pick<Storage['responses'], 'scores' | 'shownTimes'>;
  activity: Pick<Storage['activity'], 'totals' | 'timeZone' | 'zoneTotals' | 'forEachSubjectDay' | 'identities'>;
  reports: Storage['reports'];
}

export interface ResponseRate {
  shown: number;
  responses: number;
  /** responses / shown × 100; null when nothing was shown. */
  rate: number | null;
}

/** Averages of the daily figures over the days of the period. */
export interface ActivitySummary {
  dau: number;
  mau: number;
  /** Mean of the daily DAU/MAU × 100 over days with any MAU. */
  stickiness: number | null;
}

export interface PeriodMetrics {
  start: string;
  end: string;
  nps?: NpsSummary;
  csat?: CsatSummary;
  ces?: CesSummary;
  responseRate?: ResponseRate;
  activity?: ActivitySummary;
  /** Items devices reported dropping unsent, by code (every code, 0 when none). */
  dropped?: Record<DropReason, number>;
}

export interface MetricsReport {
  from: string;
  to: string;
  period: Period;
  tz: string;
  survey: string | null;
  /** The whole range as one period. */
  total: PeriodMetrics;
  series: PeriodMetrics[];
  breakdown?: Breakdown;
}

/** NPS, CSAT and CES of the whole range per group (breakdown.ts), for those of them asked for. */
export interface Breakdown {
  /** As the request named it: trait:<key>, event:<key>, locale or survey. */
  groupBy: string;
  minAnswers: number;
  maxGroups: number;
  nps?: MetricBreakdown<'nps'>;
  csat?: MetricBreakdown<'csat'>;
  ces?: MetricBreakdown<'ces'>;
}

/** A GroupSource as the API names it. */
export const groupByName = (source: GroupSource): string => ('key' in source ? `${source.kind}:${source.key}` : source.kind);

interface Tally {
  nps: number[];
  csat: number[];
  ces: CesAnswer[];
  responses: number;
  shown: number;
  days: DailyActivity[];
  dropped: Record<DropReason, number>;
}

const emptyTally = (): Tally => ({
  nps: [],
  csat: [],
  ces: [],
  responses: 0,
  shown: 0,
  days: [],
  dropped: Object.fromEntries(DROP_REASONS.map((code) => [code, 0])) as Record<DropReason, number>,
});

export async function computeMetrics(storage: MetricsStorage, request: MetricsRequest): Promise<MetricsReport> {
  const { projectId, from, to, period, surveyId, groupBy } = request;
  const zone = zoneNamed(request.tz);
  const scaleMax = scalesOf(await storage.surveys.all(projectId));
  const wanted = new Set(request.metrics);
  const ranges = periodsBetween(from, to, period);
  const indexOf = new Map(ranges.map((range, index) => [periodStart(range.start, period), index]));
  const tallies = ranges.map(emptyTally);
  const total = emptyTally();
  const grouped: Record<'nps' | 'csat' | 'ces', GroupedAnswer[]> = { nps: [], csat: [], ces: [] };
  // Refuses, whatever data there is, a zone whose offsets in the range are not whole quarter hours.
  for (let day = from - MAU_DAYS; day <= to + 1; day++) zone.quarterDays(day);
  const tallyOf = (day: number) => (day < from || day > to ? undefined : tallies[indexOf.get(periodStart(day, period))!]);

  // Offsets are within ±14 h, so a day either side holds every instant of the local days.
  const fromAt = (from - 1) * DAY_MS;
  const toAt = (to + 2) * DAY_MS;
  if (wanted.has('nps') || wanted.has('csat') || wanted.has('ces') || wanted.has('responseRate')) {
    for (const row of await storage.responses.scores(projectId, fromAt, toAt, surveyId, groupBy)) {
      const tally = tallyOf(zone.dayOf(row.at));
      if (!tally) continue;
      const answer = { score: row.score, scaleMax: scaleMax(row.surveyId, row.metric) };
      for (const t of [tally, total]) {
        t.responses++;
        if (row.metric === 'ces') t.ces.push(answer);
        else t[row.metric].push(row.score);
      }
      if (groupBy) grouped[row.metric].push({ ...answer, group: row.group ?? null });
    }
  }
  if (wanted.has('responseRate')) {
    for (const at of await storage.responses.shownTimes(projectId, fromAt, toAt, surveyId)) {
      const tally = tallyOf(zone.dayOf(at));
      if (!tally) continue;
      tally.shown++;
      total.shown++;
    }
  }
  if (wanted.has('dropped')) {
    for (const { at, counts } of await storage.reports.dropped(projectId, fromAt, toAt)) {
      const tally = tallyOf(zone.dayOf(at));
      if (!tally) continue;
      for (const [code, n] of Object.entries(counts) as [DropReason, number][]) {
        // A code stored by an older sdk and since retired is not shown.
        if (!(code in total.dropped)) continue;
        tally.dropped[code] += n;
        total.dropped[code] += n;
      }
    }
  }
  if (wanted.has('activity')) {
    for (const day of await dailyActivity(storage.activity, projectId, zone, from, to)) {
      tallyOf(day.day)!.days.push(day);
      total.days.push(day);
    }
  }

  const summarize = (tally: Tally, start: number, end: number): PeriodMetrics => ({
    start: formatDay(start),
    end: formatDay(end),
    ...(wanted.has('nps') && { nps: summarizeNps(tally.nps) }),
    ...(wanted.has('csat') && { csat: summarizeCsat(tally.csat) }),
    ...(wanted.has('ces') && { ces: summarizeCes(tally.ces) }),
    ...(wanted.has('responseRate') && {
      responseRate: {
        shown: tally.shown,
        responses: tally.responses,
        rate: tally.shown === 0 ? null : (100 * tally.responses) / tally.shown,
      },
    }),
    ...(wanted.has('activity') && { activity: averageActivity(tally.days) }),
    ...(wanted.has('dropped') && { dropped: tally.dropped }),
  });

  return {
    from: formatDay(from),
    to: formatDay(to),
    period,
    tz: zone.name,
    survey: surveyId ?? null,
    total: summarize(total, from, to),
    series: ranges.map((range, index) => summarize(tallies[index]!, range.start, range.end)),
    ...(groupBy && {
      breakdown: {
        groupBy: groupByName(groupBy),
        minAnswers: MIN_GROUP_ANSWERS,
        maxGroups: MAX_GROUPS,
        ...(wanted.has('nps') && { nps: breakdown('nps', grouped.nps, request.compare) }),
        ...(wanted.has('csat') && { csat: breakdown('csat', grouped.csat, request.compare) }),
        ...(wanted.has('ces') && { ces: breakdown('ces', grouped.ces, request.compare) }),
      },
    }),
  };
}

function averageActivity(days: DailyActivity[]): ActivitySummary {
  const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length);
  const ratios = days.flatMap((d) => (d.stickiness === null ? [] : [d.stickiness]));
  return {
    dau: mean(days.map((d) => d.dau)),
    mau: mean(days.map((d) => d.mau)),
    stickiness: ratios.length === 0 ? null : mean(ratios),
  };
}
