import type { Metric, ScoreBucket } from './scales.js';

/** A response as the API lists it (GET /v1/responses) and as an alert carries it (docs/metrics.md). */
export interface ListedResponse {
  responseId: string;
  surveyId: string;
  surveyName: string | null;
  metric: Metric;
  score: number;
  bucket: ScoreBucket;
  comment: string | null;
  final: boolean;
  userId: string | null;
  anonymousId: string;
  /** When the score was given (ISO-8601). */
  at: string;
}
