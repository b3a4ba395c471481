import type { SurveyDefinition } from '@cxkit/protocol';

/** What the editor sends its preview frame: the survey as edited, and how to look at it. */
export interface PreviewRequest {
  survey: SurveyDefinition;
  locale: string;
  /** What the survey's "auto" theme (or none) shows as. */
  theme: 'light' | 'dark';
}

/** The frame's answers: it listens, or it has drawn the last request. */
export type PreviewAnswer = { ready: true } | { drawn: true };
