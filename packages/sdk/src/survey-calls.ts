// The core's side of surveys: the definitions chunk (cxkit-definitions.js) does the work; until it is
// in, the calls for it wait here.
import type { SurveyTriggers } from './survey-triggers';

/** Events kept while the chunk loads: a page that tracks more before it is in keeps the first ones. */
export const WAITING_CALLS_MAX = 100;

export interface SurveyCalls {
  /** Imports the chunk (once; again after a failed import) and hands it the calls that waited. */
  open(): void;
  load(userId: string | undefined): void;
  event(event: string, properties?: Record<string, unknown>): void;
  show: SurveyTriggers['show'];
}

/** `open` imports the chunk and starts its triggers with the definitions of the user signed in then. */
export function deferSurveyCalls(open: () => Promise<SurveyTriggers>, log: (...args: unknown[]) => void): SurveyCalls {
  let triggers: SurveyTriggers | undefined;
  let opening: Promise<void> | undefined;
  // Opened once already (the page went idle, or a survey was asked for): a failed import is tried again.
  let tried = false;
  let waiting: ((triggers: SurveyTriggers) => void)[] = [];
  // showSurvey() calls are few and asked for by the host: they always wait, events up to the bound.
  const use = (call: (triggers: SurveyTriggers) => void, event?: boolean) => {
    if (triggers) call(triggers);
    else if (!event || waiting.length < WAITING_CALLS_MAX) waiting.push(call);
  };

  function start(): void {
    tried = true;
    // A then(), not a call: an import that throws at once fails like one that rejects.
    opening ??= Promise.resolve().then(open).then(
      (opened) => {
        triggers = opened;
        for (const call of waiting) call(opened);
        waiting = [];
      },
      (error) => {
        // Tried again at the next event or showSurvey(), as the targeting chunk is.
        opening = undefined;
        log('surveys failed', error);
      },
    );
  }

  return {
    open: start,
    // Before the chunk is in there is nothing to load again: it starts with whoever is signed in then.
    load: (userId) => triggers?.load(userId),
    event(event, properties) {
      use((t) => t.event(event, properties), true);
      if (tried) start();
    },
    show: (idOrDefinition) => use((t) => t.show(idOrDefinition)),
  };
}
