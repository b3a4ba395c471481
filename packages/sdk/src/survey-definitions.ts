// The definitions chunk (cxkit-definitions.js), imported by the core after start: loading, caching and
// revalidating the survey definitions, watching the page for what may trigger a survey, and the
// widget's loader (the script-tag build's: a prompt needs this chunk first anyway) and the prompt
// lock the tabs share. Pages
// without surveys load it once the page is idle; nothing in it is needed to send events.
import { sessionIdAt } from './activity';
import type { ClientDeps, Draft, InitOptions } from './client';
import type { Identity } from './identity';
import { KEYS, type LocalValues } from './local-values';
import type { Item } from '@cxkit/protocol';
import { createPromptLock } from './prompt-lock';
import type { Refusal } from './refusal';
import type { SurveyRuntime } from './survey-runtime';
import { createSurveyTriggers, type SurveyTriggers } from './survey-triggers';
import { createSurveySource } from './surveys';

export { widgetLoader } from './widget-loader';

/** What the core hands the chunk: its dependencies, the init() options, and what it already has. */
export interface SurveyCore {
  deps: Pick<ClientDeps, 'loadWidget' | 'loadRuntime' | 'fetch'>;
  options: InitOptions;
  /** The server's origin, without a trailing slash. */
  host: string;
  values: LocalValues;
  identity: Identity;
  /** Shared with sending: a refused key or origin is not asked again until the next page load. */
  refusal: Refusal;
  /** Stamps and queues an item; undefined when nothing is collected (opted out). */
  enqueue(draft: Draft): Item | undefined;
  newId(): string;
  now(): number;
  log(...args: unknown[]): void;
  locale(): string;
  optedOut(): boolean;
  /** A prompt is gone, answered or not. */
  closed(surveyId: string): void;
}

/** The definitions of init()'s write key, loaded now for whoever is signed in, and the triggers over them. */
export function startSurveys(core: SurveyCore): SurveyTriggers {
  const { deps, options, values, identity, log, now } = core;
  const source = createSurveySource({
    inline: options.surveys,
    url: `${core.host}/v1/surveys?writeKey=${encodeURIComponent(options.writeKey)}`,
    writeKey: options.writeKey,
    values,
    fetch: deps.fetch ?? fetch,
    log,
    refusal: core.refusal,
    accountId: identity.accountId,
  });
  let runtime: Promise<SurveyRuntime> | undefined;
  // Loaded once, when a survey may be shown; a failed load is tried again at the next trigger.
  const loadRuntime = () =>
    (runtime ??= deps.loadRuntime().then(
      ({ createSurveyRuntime }) =>
        createSurveyRuntime({
          ...core,
          definitions: () => source.current(identity.userId()),
          loadWidget: deps.loadWidget,
          firstSeenAt: () => Number(values.read(KEYS.firstSeen)) || now(),
          sessionId: () => sessionIdAt(values, now()),
          theme: () => options.theme,
          lock: createPromptLock(now),
        }),
      (error) => {
        runtime = undefined;
        throw error;
      },
    ));
  const triggers = createSurveyTriggers(loadRuntime, () => !core.optedOut(), log);
  triggers.start(source, identity.userId());
  return {
    ...triggers,
    show(idOrDefinition) {
      // A prompt is all but certain: the widget is fetched beside the targeting chunk, not after it.
      if (!core.optedOut()) Promise.resolve(core.locale()).then(deps.loadWidget).catch(() => undefined);
      triggers.show(idOrDefinition);
    },
  };
}
