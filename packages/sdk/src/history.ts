// The device's record of past prompts, as the targeting engine reads it, kept up to date from the
// items a prompt queues, so that it says what the server will be told. Updates are pure; the
// caller stores the result (localStorage, shared by the origin's tabs).
import type { DisplayHistory, SurveyDismissedItem, SurveyResponseItem, SurveyShownItem } from '@cxkit/protocol';

/** The items a prompt queues. */
export type PromptItem = SurveyShownItem | SurveyResponseItem | SurveyDismissedItem;

export const EMPTY_HISTORY: DisplayHistory = { surveys: {} };

/** The history after a prompt queued this item: a display, an answer, or a dismissal. */
export function recordItem(history: DisplayHistory, item: PromptItem): DisplayHistory {
  const { surveyId } = item;
  // An answer or dismissal whose display was not recorded implies one.
  const past = history.surveys[surveyId] ?? { displays: item.type === 'survey_shown' ? 0 : 1, answered: false, later: 0 };
  // "Don't ask again" is for good (as on the server), also past a display the host asked for (showSurvey).
  const never = past.dismissed === 'never' ? { dismissed: past.dismissed } : {};
  if (item.type === 'survey_shown') {
    const at = Date.parse(item.timestamp);
    // A new display: how the last one was dismissed no longer holds.
    const { dismissed: _, ...kept } = past;
    return {
      lastShownAt: at,
      surveys: { ...history.surveys, [surveyId]: { ...kept, ...never, displays: past.displays + 1, lastShownAt: at, session: item.sessionId } },
    };
  }
  const entry =
    item.type === 'survey_response'
      ? { ...past, answered: true }
      : { ...past, dismissed: item.reason, ...never, later: past.later + (item.reason === 'later' ? 1 : 0) };
  return { ...history, surveys: { ...history.surveys, [surveyId]: entry } };
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
