// The lazily loaded half of targeting (cxkit-surveys.js): on a trigger it picks the survey, waits
// its delay, decides again, takes the prompt lock shared by the tabs, shows the survey and keeps
// the device's display history. The core passes in what it already has (ids, the queue, the clock,
// the user), so nothing is shipped twice.
import type { Draft } from './client';
import { parseHistory, recordItem, type PromptItem } from './history';
import type { Identity } from './identity';
import { createPrompter } from './prompt';
import type { PromptLock } from './prompt-lock';
import type { DisplayHistory, Item, ProjectRules, SurveyDefinition, SurveysResponse } from '@cxkit/protocol';
import { decide, DEFAULT_RULES, mergeHistory, pickSurvey, type Audience, type Trigger } from './targeting';
import type { LoadWidget } from './widget-loader';

/** The device's display history, shared by the origin's tabs; reset() keeps it, it is the device's. */
const HISTORY_KEY = 'cxkit.history';

export interface RuntimeDeps {
  /** The definitions known now (they may change while a survey waits), with this user's server history. */
  definitions(): SurveysResponse;
  loadWidget: LoadWidget;
  /** Stamps and queues an item; undefined when nothing is collected (opted out). */
  enqueue(draft: Draft): Item | undefined;
  newId(): string;
  now(): number;
  log(...args: unknown[]): void;
  identity: Identity;
  /** When cxkit first ran on this device (ms). */
  firstSeenAt(): number;
  /** The session going on now; '' when it has ended. */
  sessionId(): string;
  locale(): string;
  theme(): 'light' | 'dark' | 'auto' | undefined;
  optedOut(): boolean;
  /** A prompt is gone, answered or not. */
  closed(surveyId: string): void;
  /** Never two prompts at once, also across tabs (prompt-lock.ts; it comes with the definitions chunk). */
  lock: PromptLock;
}

export interface SurveyRuntime {
  trigger(trigger: Trigger): void;
  /** The host asked (showSurvey): no rule applies but a pause, and still never two prompts at once. */
  show(idOrDefinition: string | SurveyDefinition): void;
}

export function createSurveyRuntime(deps: RuntimeDeps): SurveyRuntime {
  const { definitions, log, now, lock } = deps;
  /** Surveys of this tab that wait for their delay or are open: triggering them again does nothing. */
  const busy = new Set<string>();
  let release = () => {};
  // Where localStorage is unavailable the history lives in memory, for as long as the page.
  let device: DisplayHistory = { surveys: {} };

  const prompter = createPrompter({
    loadWidget: deps.loadWidget,
    enqueue(draft) {
      const item = deps.enqueue(draft);
      if (item) record(item);
    },
    newId: deps.newId,
    locale: deps.locale,
    theme: deps.theme,
    log,
    onClosed(surveyId) {
      release();
      busy.delete(surveyId);
      deps.closed(surveyId);
    },
  });

  /** Read at each decision, not cached: another tab may have shown a prompt a moment ago. */
  function deviceHistory(): DisplayHistory {
    try {
      device = parseHistory(localStorage.getItem(HISTORY_KEY) ?? undefined);
    } catch {
      // Memory holds it.
    }
    return device;
  }

  /** The prompt queues only survey_shown, survey_response and survey_dismissed items. */
  function record(item: Item): void {
    device = recordItem(deviceHistory(), item as PromptItem);
    try {
      localStorage.setItem(HISTORY_KEY, JSON.stringify(device));
    } catch {
      // Memory holds it.
    }
  }

  /** Who is asked, what they were shown on this device and (when identified) elsewhere, and the project's rules. */
  function context(): [Audience, DisplayHistory, ProjectRules] {
    const { identity } = deps;
    const { history, rules } = definitions();
    const audience = {
      now: now(),
      userKey: identity.userId() ?? identity.anonymousId(),
      sessionId: deps.sessionId(),
      traits: identity.traits(),
      firstSeenAt: deps.firstSeenAt(),
    };
    return [audience, mergeHistory(deviceHistory(), history), { ...DEFAULT_RULES, ...rules }];
  }

  const notShown = (surveyId: string, reason: string) => log(`survey ${surveyId} not shown: ${reason}`);

  /** Shows the survey if it still may be shown, deciding under the lock with what is known now. */
  async function present(surveyId: string, trigger: Trigger, given?: SurveyDefinition): Promise<void> {
    let unlock: (() => void) | undefined;
    let shown = false;
    try {
      if (deps.optedOut()) return;
      unlock = await lock.acquire();
      if (!unlock) return notShown(surveyId, 'another prompt is open');
      // While it waited, another tab may have shown a survey, the survey was paused or changed, or a
      // single-page app left the page a URL trigger names.
      const survey = given ?? definitions().surveys.find((s) => s.id === surveyId);
      if (!survey) return notShown(surveyId, 'not active');
      const decision = decide(survey, trigger.kind === 'url' ? { kind: 'url', url: location.href } : trigger, ...context());
      if (!decision.show) return notShown(surveyId, decision.reason);
      release = unlock;
      shown = await prompter.show(survey, trigger);
    } finally {
      if (!shown) {
        unlock?.();
        busy.delete(surveyId);
      }
    }
  }

  function schedule(surveyId: string, delayMs: number, trigger: Trigger, given?: SurveyDefinition): void {
    if (busy.has(surveyId)) return;
    busy.add(surveyId);
    setTimeout(() => present(surveyId, trigger, given).catch((error) => log('could not show survey', surveyId, error)), delayMs);
  }

  return {
    trigger(trigger) {
      const picked = pickSurvey(definitions().surveys, trigger, ...context(), notShown);
      if (picked) schedule(picked.survey.id, picked.delayMs, trigger);
    },
    show(idOrDefinition) {
      if (typeof idOrDefinition === 'string') schedule(idOrDefinition, 0, { kind: 'manual' });
      else schedule(idOrDefinition?.id, 0, { kind: 'manual' }, idOrDefinition);
    },
  };
}
