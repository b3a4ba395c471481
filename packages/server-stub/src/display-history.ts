import type { DismissReason, DisplayHistory } from '@cxkit/protocol';

/** Displays and dismissals of one survey of one kind, as every engine counts them for a user. */
export interface SurveyEventCount {
  survey_id: string;
  /** `shown`, or the dismissal's reason. */
  kind: string;
  n: number;
  /** Time of the latest. */
  last: number;
}

/** A user's display history from their counted survey events and the surveys they answered. */
export function displayHistoryOf(events: Iterable<SurveyEventCount>, answered: Iterable<string>): DisplayHistory {
  const history: DisplayHistory = { surveys: {} };
  const entry = (surveyId: string) => (history.surveys[surveyId] ??= { displays: 0, answered: false, later: 0 });
  const lastDismissal = new Map<string, { reason: DismissReason; at: number }>();
  for (const row of events) {
    const survey = entry(row.survey_id);
    if (row.kind === 'shown') {
      survey.displays = row.n;
      survey.lastShownAt = row.last;
      history.lastShownAt = Math.max(history.lastShownAt ?? 0, row.last);
      continue;
    }
    const reason = row.kind as DismissReason;
    if (reason === 'later') survey.later = row.n;
    const known = lastDismissal.get(row.survey_id);
    if (known?.reason !== 'never' && (reason === 'never' || !known || row.last > known.at)) {
      lastDismissal.set(row.survey_id, { reason, at: row.last });
    }
  }
  // A dismissal describes the last display only if no display came after it; "never" is for good.
  for (const [surveyId, { reason, at }] of lastDismissal) {
    const survey = entry(surveyId);
    if (reason === 'never' || at >= (survey.lastShownAt ?? 0)) survey.dismissed = reason;
  }
  for (const surveyId of answered) entry(surveyId).answered = true;
  return history;
}
