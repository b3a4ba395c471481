import type { DismissReason, Item, SurveyDefinition, SurveysResponse } from './protocol';
import type { Queue } from './queue';
import { readValue, writeValue } from './identity';
import { touchSession, type Session } from './session';
import type { Send } from './transport';
import { uuidv7 } from './uuid';
import type { WidgetModule } from '@cxkit/widget';

export interface InitOptions {
  writeKey: string;
  /** Origin of the cxkit server; defaults to where the script was loaded from. */
  host?: string;
  /** Survey definitions given inline instead of fetched from the server. */
  surveys?: SurveyDefinition[];
  userId?: string;
  locale?: string;
  theme?: 'light' | 'dark' | 'auto';
  debug?: boolean;
}

export interface ClientDeps {
  queue: Queue;
  send: Send;
  loadWidget: () => Promise<WidgetModule>;
  /** Used when init() names no host. */
  defaultHost?: string;
  now?: () => number;
}

export interface Cxkit {
  init(options: InitOptions): void;
  identify(userId: string, traits?: Record<string, unknown>): void;
  track(event: string, properties?: Record<string, unknown>): void;
  showSurvey(idOrDefinition: string | SurveyDefinition): void;
  flush(): Promise<void>;
}

export const BATCH_MAX_ITEMS = 100;
export const FLUSH_DELAY_MS = 1000;

const KEYS = { anonymousId: 'cxkit.anonymousId', userId: 'cxkit.userId', session: 'cxkit.session' };

type Draft = DistributiveOmit<Item, 'id' | 'timestamp' | 'anonymousId' | 'sessionId'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export function createClient(deps: ClientDeps): Cxkit {
  const now = deps.now ?? Date.now;
  let options: InitOptions | undefined;
  let surveys: SurveyDefinition[] = [];
  let surveysLoaded: Promise<void> = Promise.resolve();
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let flushing: Promise<void> | undefined;
  let prompting = false;

  const log = (...args: unknown[]) => {
    if (options?.debug) console.warn('[cxkit]', ...args);
  };

  function anonymousId(): string {
    let id = readValue(KEYS.anonymousId);
    if (!id) writeValue(KEYS.anonymousId, (id = uuidv7()));
    return id;
  }

  function sessionId(at: number): string {
    let previous: Session | undefined;
    try {
      previous = JSON.parse(readValue(KEYS.session) ?? 'null') ?? undefined;
    } catch {
      previous = undefined;
    }
    const { session, started } = touchSession(previous, at, uuidv7);
    writeValue(KEYS.session, JSON.stringify(session));
    if (started) enqueueWith({ type: 'session_start' }, at, session.id);
    return session.id;
  }

  function enqueue(draft: Draft): void {
    const at = now();
    enqueueWith(draft, at, sessionId(at));
  }

  function enqueueWith(draft: Draft, at: number, session: string): void {
    const userId = readValue(KEYS.userId);
    const item = {
      ...draft,
      id: uuidv7(at),
      timestamp: new Date(at).toISOString(),
      anonymousId: anonymousId(),
      ...(userId && !('userId' in draft) ? { userId } : {}),
      sessionId: session,
      context: { url: location.href, locale: locale() },
    } as Item;
    deps.queue.add(item).then(scheduleFlush, (error) => log('could not queue', item.type, error));
  }

  function locale(): string {
    return options?.locale ?? document.documentElement.lang ?? navigator.language ?? 'en';
  }

  function host(): string {
    return (options?.host ?? deps.defaultHost ?? location.origin).replace(/\/$/, '');
  }

  function scheduleFlush(): void {
    if (!options || flushTimer) return;
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      void flush();
    }, FLUSH_DELAY_MS);
  }

  function flush(): Promise<void> {
    if (!options) return Promise.resolve();
    flushing ??= drain().finally(() => (flushing = undefined));
    return flushing;
  }

  async function drain(): Promise<void> {
    const writeKey = options!.writeKey;
    for (;;) {
      const entries = await deps.queue.peek(BATCH_MAX_ITEMS);
      if (entries.length === 0) return;
      const body = JSON.stringify({ writeKey, sentAt: new Date(now()).toISOString(), batch: entries.map((e) => e[1]) });
      let result;
      try {
        result = await deps.send(`${host()}/v1/batch`, body);
      } catch (error) {
        log('send failed, will retry', error);
        return;
      }
      if (result.status < 200 || result.status >= 300) {
        log('server answered', result.status, '- items kept');
        return;
      }
      for (const rejected of result.body?.rejected ?? []) {
        log('server rejected', entries[rejected.index]?.[1].type, 'item:', rejected.reason);
      }
      await deps.queue.remove(entries.map((e) => e[0]));
    }
  }

  async function loadSurveys(): Promise<void> {
    if (options?.surveys) {
      surveys = options.surveys;
      return;
    }
    try {
      const response = await fetch(`${host()}/v1/surveys?writeKey=${encodeURIComponent(options!.writeKey)}`, {
        credentials: 'omit',
      });
      if (response.ok) surveys = ((await response.json()) as SurveysResponse).surveys;
      else log('could not load surveys:', response.status);
    } catch (error) {
      log('could not load surveys', error);
    }
  }

  async function show(survey: SurveyDefinition): Promise<void> {
    if (prompting) return;
    prompting = true;
    let widget: WidgetModule;
    try {
      widget = await deps.loadWidget();
    } catch (error) {
      prompting = false;
      log('could not load the widget', error);
      return;
    }
    const responseId = uuidv7();
    let score: number | undefined;
    const respond = (final: boolean, comment?: string) =>
      enqueue({
        type: 'survey_response',
        surveyId: survey.id,
        responseId,
        metric: survey.metric,
        score: score!,
        final,
        ...(comment ? { comment } : {}),
      });
    enqueue({ type: 'survey_shown', surveyId: survey.id });
    widget.mount({
      survey: {
        id: survey.id,
        metric: survey.metric,
        scaleMax: survey.scaleMax,
        question: pickText(survey.question, locale()),
      },
      locale: locale(),
      theme: options?.theme,
      onScore: (value) => {
        score = value;
        respond(false);
      },
      onComment: (comment) => {
        if (score !== undefined) respond(true, comment);
      },
      onClose: (reason: DismissReason) => {
        prompting = false;
        if (score === undefined) enqueue({ type: 'survey_dismissed', surveyId: survey.id, reason });
        void flush();
      },
    });
  }

  const api: Cxkit = {
    init(init) {
      if (options) return log('init called twice; ignored');
      if (!init || typeof init.writeKey !== 'string' || !init.writeKey) {
        console.warn('[cxkit] init needs a writeKey');
        return;
      }
      options = init;
      if (init.userId) writeValue(KEYS.userId, init.userId);
      surveysLoaded = loadSurveys();
      scheduleFlush();
    },
    identify(userId, traits) {
      if (typeof userId !== 'string' || !userId) return log('identify needs a userId');
      writeValue(KEYS.userId, userId);
      enqueue({ type: 'identify', userId, ...(traits ? { traits } : {}) });
    },
    track(event, properties) {
      if (typeof event !== 'string' || !event) return log('track needs an event name');
      enqueue({ type: 'track', event, ...(properties ? { properties } : {}) });
      void surveysLoaded.then(() => {
        const survey = surveys.find((s) => s.trigger?.event === event);
        if (survey) return show(survey);
      });
    },
    showSurvey(idOrDefinition) {
      void surveysLoaded.then(() => {
        const survey =
          typeof idOrDefinition === 'string' ? surveys.find((s) => s.id === idOrDefinition) : idOrDefinition;
        if (survey) return show(survey);
        log('no survey', idOrDefinition);
      });
    },
    flush,
  };
  return guarded(api, log);
}

function pickText(texts: Record<string, string> | undefined, locale: string): string | undefined {
  if (!texts) return undefined;
  return texts[locale] ?? texts[locale.split('-')[0]!] ?? texts.en;
}

/** The host page never sees an exception from cxkit: every public call is wrapped. */
function guarded<T extends object>(api: T, log: (...args: unknown[]) => void): T {
  const safe = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(api) as [string, (...args: unknown[]) => unknown][]) {
    safe[name] = (...args: unknown[]) => {
      try {
        const result = fn(...args);
        return result instanceof Promise ? result.catch((error) => log(name, 'failed', error)) : result;
      } catch (error) {
        log(name, 'failed', error);
      }
    };
  }
  return safe as T;
}
