import type { SurveyResponseItem } from '@cxkit/protocol';
import { answerContext, type AnswerContext } from '../answer-context.js';
import type { ResponseRow } from '../storage.js';

/** One row of responses, as ingest writes it: as it is read, with its project, its latest item's time and its answer's context. */
export interface ResponseWrite extends ResponseRow, AnswerContext {
  projectId: string;
  updatedAt: number;
}

export function responseWrite(projectId: string, item: SurveyResponseItem, at: number): ResponseWrite {
  return {
    projectId,
    responseId: item.responseId,
    surveyId: item.surveyId,
    metric: item.metric,
    score: item.score,
    comment: item.comment ?? null,
    final: item.final,
    anonymousId: item.anonymousId,
    userId: item.userId ?? null,
    at,
    updatedAt: at,
    ...answerContext(item),
  };
}

/**
 * A later item of the same response merged into an earlier one, by the rule the upsert applies to
 * the stored row (ingest.ts): the newest score wins, a comment is never erased, final only moves to
 * true, the first user id and the first item's context stay, `at` is the earliest. Merging items first and upserting the result
 * once stores what upserting them one by one would.
 */
export function mergeResponse(earlier: ResponseWrite, later: ResponseWrite): ResponseWrite {
  return {
    ...earlier,
    score: later.updatedAt >= earlier.updatedAt ? later.score : earlier.score,
    comment: later.comment ?? earlier.comment,
    final: earlier.final || later.final,
    userId: earlier.userId ?? later.userId,
    at: Math.min(earlier.at, later.at),
    updatedAt: Math.max(earlier.updatedAt, later.updatedAt),
  };
}
