// The device's record of past prompts, as the targeting engine reads it. Updates are pure;
// the caller stores the result (localStorage, shared by the origin's tabs).
import type { DismissReason, DisplayHistory, SurveyHistory } from './protocol';

export const EMPTY_HISTORY: DisplayHistory = { surveys: {} };

export function recordShown(history: DisplayHistory, surveyId: string, at: number, sessionId: string): DisplayHistory {
  const past = entry(history, surveyId);
  return update(history, surveyId, {
    ...past,
    displays: past.displays + 1,
    lastShownAt: at,
    session: sessionId,
    dismissed: undefined,
  }, at);
}

export function recordAnswered(history: DisplayHistory, surveyId: string): DisplayHistory {
  return update(history, surveyId, { ...entry(history, surveyId, 1), answered: true });
}

export function recordDismissed(history: DisplayHistory, surveyId: string, reason: DismissReason): DisplayHistory {
  const past = entry(history, surveyId, 1);
  return update(history, surveyId, { ...past, dismissed: reason, later: past.later + (reason === 'later' ? 1 : 0) });
}

/** The survey's record so far; an answer or dismissal without a recorded display implies one. */
function entry(history: DisplayHistory, surveyId: string, displays = 0): SurveyHistory {
  return history.surveys[surveyId] ?? { displays, answered: false, later: 0 };
}

function update(history: DisplayHistory, surveyId: string, entry: SurveyHistory, shownAt?: number): DisplayHistory {
  return {
    lastShownAt: shownAt ?? history.lastShownAt,
    surveys: { ...history.surveys, [surveyId]: entry },
  };
}

/** Reads stored history defensively: anything unreadable counts as no history, never an error. */
export function parseHistory(text: string | undefined): DisplayHistory {
  if (!text) return EMPTY_HISTORY;
  try {
    const value = JSON.parse(text) as DisplayHistory;
    return value && typeof value === 'object' && value.surveys && typeof value.surveys === 'object' ? value : EMPTY_HISTORY;
  } catch {
    return EMPTY_HISTORY;
  }
}
