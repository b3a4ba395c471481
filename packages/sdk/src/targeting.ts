// Which survey to show, and when: pure functions of the survey definitions, what just happened,
// the user and the display history. No clock, storage or DOM here: callers pass them in.
import {
  matchesFilter,
  outsideSchedule,
  type DisplayHistory,
  type ProjectRules,
  type PromptTrigger,
  type SurveyDefinition,
  type SurveyHistory,
} from '@cxkit/protocol';

export const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_RULES: ProjectRules = { cooldownDays: 14, maxRemindLater: 2 };

export type Trigger = PromptTrigger;

export interface Audience {
  now: number;
  /** userId when identified, else anonymousId: sampling is stable for it. */
  userKey: string;
  sessionId: string;
  traits: Record<string, unknown>;
  firstSeenAt: number;
}

export type SkipReason =
  | 'paused'
  | 'not-started'
  | 'ended'
  | 'not-triggered'
  | 'never'
  | 'later'
  | 'shown-before'
  | 'recontact'
  | 'max-displays'
  | 'cooldown'
  | 'audience'
  | 'sampled-out';

export type Decision = { show: true; delayMs: number } | { show: false; reason: SkipReason };

export function decide(
  survey: SurveyDefinition,
  trigger: Trigger,
  audience: Audience,
  history: DisplayHistory,
  rules: ProjectRules = DEFAULT_RULES,
): Decision {
  if (survey.status === 'paused') return skip('paused');
  // Definitions cached on the device outlive the server's schedule: the device keeps it too.
  const outside = outsideSchedule(survey, audience.now);
  if (outside) return skip(outside);
  // An explicit showSurvey() is the host's decision (a "Give feedback" button): no rule overrides it.
  if (trigger.kind === 'manual') return { show: true, delayMs: 0 };
  if (!triggers(survey, trigger)) return skip('not-triggered');

  const past = history.surveys[survey.id];
  if (past?.dismissed === 'never') return skip('never');
  const delayMs = Math.max(0, (survey.delaySeconds ?? 0) * 1000);
  if (past?.dismissed === 'later' && !past.answered) {
    // Asked to be reminded: again in a later session, without waiting out the cooldown it caused.
    if (past.session === audience.sessionId) return skip('later');
    if (past.later <= rules.maxRemindLater) return { show: true, delayMs };
  }
  if (past && past.displays > 0) {
    if (survey.recontactDays === undefined) return skip('shown-before');
    if (elapsedDays(past.lastShownAt, audience.now) < survey.recontactDays) return skip('recontact');
  }
  if (survey.maxDisplays !== undefined && (past?.displays ?? 0) >= survey.maxDisplays) return skip('max-displays');
  if (elapsedDays(history.lastShownAt, audience.now) < rules.cooldownDays) return skip('cooldown');
  if (!inAudience(survey, audience)) return skip('audience');
  if (!inSample(survey.id, audience.userKey, survey.sampleRate ?? 1)) return skip('sampled-out');
  return { show: true, delayMs };
}

/** The first survey, in definition order, that the trigger may show now; `skipped` hears why the others it triggered may not. */
export function pickSurvey(
  surveys: SurveyDefinition[],
  trigger: Trigger,
  audience: Audience,
  history: DisplayHistory,
  rules: ProjectRules,
  skipped: (surveyId: string, reason: SkipReason) => void,
): { survey: SurveyDefinition; delayMs: number } | undefined {
  for (const survey of surveys) {
    const decision = decide(survey, trigger, audience, history, rules);
    if (decision.show) return { survey, delayMs: decision.delayMs };
    if (decision.reason !== 'not-triggered') skipped(survey.id, decision.reason);
  }
  return undefined;
}

function skip(reason: SkipReason): Decision {
  return { show: false, reason };
}

/** Whole days are elapsed time (24 h each), so DST changes and UTC midnight move nothing. */
function elapsedDays(since: number | undefined, now: number): number {
  return since === undefined ? Infinity : (now - since) / DAY_MS;
}

export function triggers(survey: SurveyDefinition, trigger: Trigger): boolean {
  const on = survey.trigger;
  if (!on) return false;
  if (trigger.kind === 'event') {
    return on.event === trigger.event && (on.where ?? []).every((f) => matchesFilter(f, trigger.properties ?? {}));
  }
  return trigger.kind === 'url' && on.url !== undefined && !on.event && urlMatches(on.url, trigger.url);
}

function inAudience(survey: SurveyDefinition, audience: Audience): boolean {
  const rules = survey.audience;
  if (!rules) return true;
  const days = (audience.now - audience.firstSeenAt) / DAY_MS;
  if (rules.minDaysSinceFirstSeen !== undefined && days < rules.minDaysSinceFirstSeen) return false;
  if (rules.maxDaysSinceFirstSeen !== undefined && days > rules.maxDaysSinceFirstSeen) return false;
  return (rules.traits ?? []).every((f) => matchesFilter(f, audience.traits));
}

/**
 * `*` matches any run of characters; everything else is literal and the whole URL must match.
 * A pattern starting with "/" is matched against path and query only.
 */
export function urlMatches(pattern: string, url: string): boolean {
  let target = url;
  if (pattern.startsWith('/')) {
    try {
      const parsed = new URL(url);
      target = parsed.pathname + parsed.search;
    } catch {
      return false;
    }
  }
  const parts = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`).test(target);
}

/**
 * Stable sampling: the same user gets the same answer for a survey on every device and load.
 * FNV-1a over "surveyId:userKey", scaled to [0, 1).
 */
export function inSample(surveyId: string, userKey: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  return sampleBucket(`${surveyId}:${userKey}`) < rate;
}

export function sampleBucket(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // FNV's low bits mix poorly for keys that differ only at the end; a final avalanche fixes that.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 0x100000000;
}

/** Device and server history together: an identified user's prompts on other devices count too. */
export function mergeHistory(device: DisplayHistory, server: DisplayHistory | undefined): DisplayHistory {
  if (!server) return device;
  const surveys: Record<string, SurveyHistory> = { ...device.surveys };
  for (const [id, theirs] of Object.entries(server.surveys)) {
    const ours = surveys[id];
    if (!ours) {
      surveys[id] = theirs;
      continue;
    }
    const newer = (theirs.lastShownAt ?? 0) > (ours.lastShownAt ?? 0) ? theirs : ours;
    surveys[id] = {
      ...newer,
      displays: Math.max(ours.displays, theirs.displays),
      lastShownAt: latest(ours.lastShownAt, theirs.lastShownAt),
      answered: ours.answered || theirs.answered,
      dismissed: ours.dismissed === 'never' || theirs.dismissed === 'never' ? 'never' : newer.dismissed,
      later: Math.max(ours.later, theirs.later),
      // The server knows no sessions, and its copy of this device's last display may look a few ms
      // newer (it corrects device clocks): the device's session still says whether it was this one.
      session: newer.session ?? ours.session,
    };
  }
  return { lastShownAt: latest(device.lastShownAt, server.lastShownAt), surveys };
}

function latest(x: number | undefined, y: number | undefined): number | undefined {
  return x === undefined ? y : y === undefined ? x : Math.max(x, y);
}
