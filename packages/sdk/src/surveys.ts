import type { SurveyDefinition, SurveysResponse } from './protocol';

export interface SurveySource {
  /** Loads the definitions (inline ones, or GET /v1/surveys). Never rejects. */
  load(): Promise<void>;
  /** The survey an event triggers, if any. */
  forEvent(event: string): SurveyDefinition | undefined;
  byId(id: string): SurveyDefinition | undefined;
}

export function createSurveySource(
  inline: SurveyDefinition[] | undefined,
  url: () => string,
  log: (...args: unknown[]) => void,
): SurveySource {
  let surveys: SurveyDefinition[] = inline ?? [];
  return {
    async load() {
      if (inline) return;
      try {
        const response = await fetch(url(), { credentials: 'omit' });
        if (response.ok) surveys = ((await response.json()) as SurveysResponse).surveys;
        else log('could not load surveys:', response.status);
      } catch (error) {
        log('could not load surveys', error);
      }
    },
    forEvent: (event) => surveys.find((s) => s.trigger?.event === event),
    byId: (id) => surveys.find((s) => s.id === id),
  };
}
