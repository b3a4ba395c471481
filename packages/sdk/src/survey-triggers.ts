// Part of the definitions chunk (cxkit-definitions.js): a cheap check whether anything may trigger a
// survey, the page's address watched for URL triggers, and the call into the targeting runtime
// (cxkit-surveys.js), which is loaded the first time it is needed.
import type { SurveyDefinition } from '@cxkit/protocol';
import type { SurveyRuntime } from './survey-runtime';
import type { SurveySource } from './surveys';

/** How often the address is compared while a survey has a URL trigger: history.pushState fires no event. */
export const URL_CHECK_MS = 1000;

export interface SurveyTriggers {
  /** init(): the definitions to use, loaded now for this user. */
  start(source: SurveySource, userId: string | undefined): void;
  /** Loads the definitions again, e.g. with the history of a user who just signed in. */
  load(userId: string | undefined): void;
  event(event: string, properties?: Record<string, unknown>): void;
  show(idOrDefinition: string | SurveyDefinition): void;
}

export function createSurveyTriggers(
  runtime: () => Promise<SurveyRuntime>,
  active: () => boolean,
  log: (...args: unknown[]) => void,
): SurveyTriggers {
  let source: SurveySource | undefined;
  let started!: () => void;
  const initialised = new Promise<void>((resolve) => (started = resolve));
  let url: string | undefined;
  let watching: ReturnType<typeof setInterval> | undefined;
  // The latest load has settled: what the definitions want is known now, without waiting.
  let known = false;
  let loads = 0;

  /**
   * After init, once the definitions are as fresh as they get: calls the runtime when `wanted` holds
   * for them. When `stale` holds for the stored definitions, it goes at once while the load in flight
   * revalidates them: the runtime looks the survey up again as it shows, so one the load removed is not shown.
   */
  function when(wanted: (surveys: SurveyDefinition[]) => boolean, use: (runtime: SurveyRuntime) => void, stale?: (surveys: SurveyDefinition[]) => boolean): void {
    // The common case, on every track(): no survey wants this, and nothing is left to wait for.
    if (known && !wanted(source!.current().surveys)) return;
    initialised
      .then(() => (stale?.(source!.current().surveys) ? undefined : source!.ready()))
      .then(async () => {
        if (active() && wanted(source!.current().surveys)) use(await runtime());
      })
      .catch((error) => log('surveys failed', error));
  }

  function checkUrl(): void {
    if (location.href === url) return;
    const at = (url = location.href);
    when(hasUrlTrigger, (r) => r.trigger({ kind: 'url', url: at }));
  }

  function load(userId: string | undefined): void {
    // Opted out: not even the definitions are asked for (optIn() loads them).
    if (!active()) return;
    const load = ++loads;
    known = false;
    void source?.load(userId).then(() => {
      known = load === loads;
      clearInterval(watching);
      watching = hasUrlTrigger(source!.current().surveys) ? setInterval(checkUrl, URL_CHECK_MS) : undefined;
      checkUrl();
    });
  }

  return {
    start(given, userId) {
      source = given;
      started();
      // Single-page apps navigate without a load: URL triggers are evaluated again on each change.
      addEventListener('popstate', checkUrl);
      addEventListener('hashchange', checkUrl);
      load(userId);
    },
    load,
    event: (event, properties) => when((surveys) => surveys.some((s) => s.trigger?.event === event), (r) => r.trigger({ kind: 'event', event, properties })),
    // A definition given, or an id the stored definitions know, shows without waiting for the server.
    show: (idOrDefinition) =>
      when(() => true, (r) => r.show(idOrDefinition), (surveys) => typeof idOrDefinition !== 'string' || surveys.some((s) => s.id === idOrDefinition)),
  };
}

const hasUrlTrigger = (surveys: SurveyDefinition[]) => surveys.some((s) => s.trigger?.url !== undefined);
