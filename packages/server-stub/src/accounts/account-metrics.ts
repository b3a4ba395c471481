// What each account is, read from its users: their latest answers (NPS, CSAT, CES with intervals),
// their activity (mean DAU, MAU, the usage trend, last seen), its Customer Health Index as of a
// day, and the churn signals cxkit can see in its own data (docs/accounts.md#per-account-metrics).
// Days are UTC days. A user is their user id, their anonymous ids counting as them once identified,
// as everywhere in cxkit; each user counts in the account of their latest group().
import {
  bucketOf,
  HEALTH_ANSWER_DAYS,
  HEALTH_WINDOW_DAYS,
  CHURN_SIGNALS,
  LAST_SEEN_DAYS,
  type HealthWeights,
  type Metric,
} from '@cxkit/protocol';
import { DAY_MS, formatDay } from '../calendar.js';
import { summarizeCes, type CesSummary } from '../ces.js';
import { summarizeCsat, type CsatSummary } from '../csat.js';
import { summarizeNps, type NpsSummary } from '../nps.js';
import { scalesOf } from '../survey-scales.js';
import type { AccountsPort, ActivityPort, SurveysPort } from '../ports.js';
import type { AccountAnswer } from './changes.js';
import { healthComponents, healthIndex, type HealthIndex, type HealthInputs } from './health.js';


export interface AccountReads {
  accounts: Pick<AccountsPort, 'members' | 'answers'>;
  activity: Pick<ActivityPort, 'userWindows' | 'identities'>;
  surveys: Pick<SurveysPort, 'all'>;
}

/** An accounts question as plain data, so that another thread can answer it (read-pool.ts). */
export interface AccountsRequest {
  kind: 'accounts';
  projectId: string;
  /** The time the report is as of (ms). */
  now: number;
  weights: HealthWeights;
  /** Earlier UTC days to give each account's health at too. */
  history: readonly number[];
  /** Only this account (an account's own page), not every one. */
  accountId?: string;
}

/** One account's activity as of a day. */
export interface AccountUsage {
  users: number;
  /** Users active on any of the HEALTH_WINDOW_DAYS days to the day. */
  activeUsers: number;
  /** User-days in those days, and in as many days before them. */
  activeDays: number;
  activeDaysBefore: number;
  /** The last day any of its users was active, within LAST_SEEN_DAYS; null if none was. */
  lastSeenDay: number | null;
}

export interface ChurnSignals {
  /** Usage fell below CHURN_SIGNALS.usageDropRatio of the 30 days before. */
  usageDrop: boolean;
  /** Users whose latest NPS answer is a detractor's after an earlier promoter's. */
  promoterTurnedDetractor: string[];
  /** The CES easy share of the answer window's second half fell CHURN_SIGNALS.risingEffortPoints below its first's. */
  risingEffort: boolean;
}

export interface AccountMetrics {
  nps: NpsSummary;
  csat: CsatSummary;
  ces: CesSummary;
  usage: AccountUsage & { meanDau: number; stickiness: number | null };
  health: HealthIndex;
  /** Its health HEALTH_WINDOW_DAYS days before. */
  healthBefore: HealthIndex;
  /** Its health at each day the report was asked for, oldest first. */
  history: { day: string; health: HealthIndex }[];
  signals: ChurnSignals;
  latestComments: { responseId: string; metric: Metric; score: number; comment: string; at: number; user: string }[];
}

/** Each user's account: memberships resolved through identities; one under the user id itself wins. */
function accountOfUser(members: Map<string, string>, identities: Map<string, string>): Map<string, string> {
  const accounts = new Map<string, string>();
  for (const [subject, account] of members) {
    const user = identities.get(subject) ?? subject;
    if (user === subject || !accounts.has(user)) accounts.set(user, account);
  }
  return accounts;
}

/**
 * Per account, its usage as of each of `days` (ascending UTC days), from each user's active days as
 * the engine counts them in the UTC calendar (a user's anonymous ids and user id are one user on a
 * day there already). `users`: only these users (one account's page).
 */
async function usageAsOf(reads: AccountReads, projectId: string, userAccount: Map<string, string>, days: readonly number[], users?: readonly string[]) {
  const usage = new Map<string, AccountUsage[]>();
  for (const account of userAccount.values()) {
    let entries = usage.get(account);
    if (!entries) usage.set(account, (entries = days.map(() => ({ users: 0, activeUsers: 0, activeDays: 0, activeDaysBefore: 0, lastSeenDay: null }))));
    for (const entry of entries) entry.users++;
  }
  const windows = await Promise.all(days.map((asOf) => reads.activity.userWindows(projectId, asOf, HEALTH_WINDOW_DAYS, LAST_SEEN_DAYS, users)));
  windows.forEach((rows, index) => {
    for (const { user, days: active, daysBefore, lastDay } of rows) {
      const account = userAccount.get(user);
      if (account === undefined) continue;
      const u = usage.get(account)![index]!;
      u.lastSeenDay = Math.max(u.lastSeenDay ?? lastDay, lastDay);
      u.activeDays += active;
      u.activeDaysBefore += daysBefore;
      if (active > 0) u.activeUsers++;
    }
  });
  return usage;
}

/** Per account, each user's answers (oldest first) given up to `toAt`, within the health window. */
function answersByAccount(answers: readonly AccountAnswer[], userAccount: Map<string, string>, identities: Map<string, string>) {
  const byAccount = new Map<string, { user: string; answer: AccountAnswer }[]>();
  for (const answer of answers) {
    const user = identities.get(answer.anonymousId) ?? answer.subject;
    const account = userAccount.get(user);
    if (account === undefined) continue;
    let list = byAccount.get(account);
    if (!list) byAccount.set(account, (list = []));
    list.push({ user, answer });
  }
  return byAccount;
}

/** Each user's latest answer per metric given by `toAt` and after `toAt` − HEALTH_ANSWER_DAYS. */
function latestPerUser(answers: readonly { user: string; answer: AccountAnswer }[], toAt: number) {
  const latest = new Map<string, { user: string; answer: AccountAnswer }>();
  for (const entry of answers) {
    const { at, metric } = entry.answer;
    if (at <= toAt && at > toAt - HEALTH_ANSWER_DAYS * DAY_MS) latest.set(`${metric}\n${entry.user}`, entry);
  }
  return [...latest.values()];
}

export interface AccountReport {
  /** The UTC day the report is as of. */
  day: string;
  /** Accounts with at least one user; one without any has nothing to read. */
  accounts: Map<string, AccountMetrics>;
}

/**
 * Every account's metrics as of `now`, and its health HEALTH_WINDOW_DAYS days before (for the
 * accounts at risk), or, with `history`, its health at each of these earlier days too.
 */
export async function accountReport(reads: AccountReads, { projectId, now, weights, history, accountId }: Omit<AccountsRequest, 'kind'>): Promise<AccountReport> {
  const day = Math.floor(now / DAY_MS);
  const [members, identities, surveys] = await Promise.all([reads.accounts.members(projectId), reads.activity.identities(projectId), reads.surveys.all(projectId)]);
  const scaleOf = scalesOf(surveys);
  const userAccount = accountOfUser(members, identities);
  if (accountId !== undefined) for (const [user, account] of userAccount) if (account !== accountId) userAccount.delete(user);
  const before = day - HEALTH_WINDOW_DAYS;
  const days = [...new Set([...history, before, day])].sort((a, b) => a - b);
  // One account's page reads only its users' days.
  const usage = await usageAsOf(reads, projectId, userAccount, days, accountId === undefined ? undefined : [...userAccount.keys()]);
  const firstAt = (days[0]! + 1) * DAY_MS - HEALTH_ANSWER_DAYS * DAY_MS;
  const answers = answersByAccount(await reads.accounts.answers(projectId, firstAt, now + 1), userAccount, identities);

  const healthAsOf = (account: string, index: number): HealthIndex => {
    const asOf = days[index]!;
    const endAt = asOf === day ? now : (asOf + 1) * DAY_MS - 1;
    const latest = latestPerUser(answers.get(account) ?? [], endAt);
    return healthIndex(healthComponents(healthInputs(usage.get(account)![index]!, latest, asOf, scaleOf)), weights);
  };

  const report = new Map<string, AccountMetrics>();
  for (const account of usage.keys()) {
    const own = answers.get(account) ?? [];
    const latest = latestPerUser(own, now);
    const current = usage.get(account)![days.indexOf(day)]!;
    const scores = (metric: Metric) => latest.filter((e) => e.answer.metric === metric).map((e) => e.answer);
    report.set(account, {
      nps: summarizeNps(scores('nps').map((a) => a.score)),
      csat: summarizeCsat(scores('csat').map((a) => a.score)),
      ces: summarizeCes(scores('ces').map((a) => ({ score: a.score, scaleMax: scaleOf(a.surveyId, 'ces') }))),
      usage: { ...current, meanDau: current.activeDays / HEALTH_WINDOW_DAYS, stickiness: current.activeUsers > 0 ? (100 * current.activeDays) / HEALTH_WINDOW_DAYS / current.activeUsers : null },
      health: healthAsOf(account, days.indexOf(day)),
      healthBefore: healthAsOf(account, days.indexOf(before)),
      history: history.map((d) => ({ day: formatDay(d), health: healthAsOf(account, days.indexOf(d)) })),
      signals: signals(own, current, now, scaleOf),
      latestComments: own
        .filter((e) => e.answer.comment)
        .slice(-5)
        .reverse()
        .map(({ user, answer }) => ({ responseId: answer.responseId, metric: answer.metric, score: answer.score, comment: answer.comment!, at: answer.at, user })),
    });
  }
  return { day: formatDay(day), accounts: report };
}

function healthInputs(usage: AccountUsage, latest: readonly { answer: AccountAnswer }[], asOf: number, scaleOf: (surveyId: string, metric: Metric) => number): HealthInputs {
  return {
    latestAnswers: latest.map(({ answer }) => ({ metric: answer.metric, score: answer.score, scaleMax: scaleOf(answer.surveyId, answer.metric) })),
    users: usage.users,
    activeUsers: usage.activeUsers,
    activeDays: usage.activeDays,
    activeDaysBefore: usage.activeDaysBefore,
    // Users, but none seen within LAST_SEEN_DAYS: as long ago as that, which is past recency's 30.
    daysSinceSeen: usage.lastSeenDay !== null ? asOf - usage.lastSeenDay : usage.users > 0 ? LAST_SEEN_DAYS : null,
  };
}

function signals(answers: readonly { user: string; answer: AccountAnswer }[], usage: AccountUsage, now: number, scaleOf: (surveyId: string, metric: Metric) => number): ChurnSignals {
  const recent = answers.filter(({ answer }) => answer.at > now - HEALTH_ANSWER_DAYS * DAY_MS);
  // Oldest first: a user whose last answer is a detractor's and who was a promoter at some point was one before it.
  const nps = new Map<string, { promoter: boolean; latest: string }>();
  for (const { user, answer } of recent) {
    if (answer.metric !== 'nps') continue;
    const bucket = bucketOf('nps', undefined, answer.score);
    nps.set(user, { promoter: (nps.get(user)?.promoter ?? false) || bucket === 'positive', latest: bucket });
  }
  const turned = [...nps].filter(([, n]) => n.promoter && n.latest === 'negative').map(([user]) => user);
  // Rising effort: the easy share of the window's second half against its first.
  const half = now - (HEALTH_ANSWER_DAYS / 2) * DAY_MS;
  const easy = (list: typeof recent) => summarizeCes(list.map(({ answer }) => ({ score: answer.score, scaleMax: scaleOf(answer.surveyId, 'ces') })));
  const ces = recent.filter(({ answer }) => answer.metric === 'ces');
  const early = easy(ces.filter(({ answer }) => answer.at <= half));
  const late = easy(ces.filter(({ answer }) => answer.at > half));
  return {
    usageDrop: usage.activeDaysBefore >= CHURN_SIGNALS.usageDropMinDays && usage.activeDays < CHURN_SIGNALS.usageDropRatio * usage.activeDaysBefore,
    promoterTurnedDetractor: turned,
    risingEffort: early.n >= CHURN_SIGNALS.cesMinAnswers && late.n >= CHURN_SIGNALS.cesMinAnswers && early.easyShare! - late.easyShare! >= CHURN_SIGNALS.risingEffortPoints,
  };
}

