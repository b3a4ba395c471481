import type { SurveyDefinition } from '@cxkit/protocol';

/** What the editor sends its preview frame: the survey as edited, and how to look at it. */
export interface PreviewRequest {
  survey: SurveyDefinition;
  locale: string;
  /** What the survey's "auto" theme (or none) shows as. */
  theme: 'light' | 'dark';
}

/** The frame's answer: it listens. */
export type PreviewAnswer = { ready: true };

// Other scripts post messages to these windows too (an extension, an accessibility checker walking
// into frames), in shapes of their own: each side acts only on the shapes above.

export function isPreviewRequest(data: unknown): data is PreviewRequest {
  const request = data as PreviewRequest | null;
  return typeof request === 'object' && request !== null && typeof request.survey === 'object' && request.survey !== null && typeof request.locale === 'string';
}

export function isPreviewAnswer(data: unknown): data is PreviewAnswer {
  const answer = data as Record<string, unknown> | null;
  return typeof answer === 'object' && answer !== null && answer.ready === true;
}
