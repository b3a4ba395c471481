import { expect, test } from 'vitest';
import { EMPTY_HISTORY, parseHistory, recordItem, type PromptItem } from '../src/history';
import type { DismissReason } from '@cxkit/protocol';
import { decide, type Audience } from '../src/targeting';

const survey = { id: 'nps', metric: 'nps' as const, trigger: { event: 'done' } };
const done = { kind: 'event' as const, event: 'done' };
const who = (now: number, sessionId: string): Audience => ({ now, userKey: 'u', sessionId, traits: {}, firstSeenAt: 0 });
const base = (surveyId: string, at: number, sessionId: string) => ({
  id: `item-${at}`,
  surveyId,
  timestamp: new Date(at).toISOString(),
  anonymousId: 'a',
  sessionId,
});
const shown = (surveyId: string, at: number, sessionId: string): PromptItem => ({ ...base(surveyId, at, sessionId), type: 'survey_shown' });
const answered = (surveyId: string, at: number): PromptItem => ({
  ...base(surveyId, at, 's'),
  type: 'survey_response',
  responseId: 'r',
  metric: 'nps',
  score: 9,
  final: false,
});
const dismissed = (surveyId: string, at: number, reason: DismissReason): PromptItem => ({ ...base(surveyId, at, 's'), type: 'survey_dismissed', reason });

test('a shown survey is not shown again; its display starts the cooldown for others', () => {
  const history = recordItem(EMPTY_HISTORY, shown('nps', 1000, 's1'));
  expect(history).toEqual({ lastShownAt: 1000, surveys: { nps: { displays: 1, answered: false, later: 0, lastShownAt: 1000, session: 's1' } } });
  expect(decide(survey, done, who(2000, 's1'), history)).toEqual({ show: false, reason: 'shown-before' });
  expect(decide({ ...survey, id: 'csat' }, done, who(2000, 's1'), history)).toEqual({ show: false, reason: 'cooldown' });
});

test('"remind me later" brings the survey back in the next session only', () => {
  const later = recordItem(recordItem(EMPTY_HISTORY, shown('nps', 1000, 's1')), dismissed('nps', 1500, 'later'));
  expect(later.surveys.nps).toMatchObject({ dismissed: 'later', later: 1 });
  expect(later.lastShownAt).toBe(1000);
  expect(decide(survey, done, who(5000, 's1'), later).show).toBe(false);
  expect(decide(survey, done, who(5000, 's2'), later).show).toBe(true);
  // Shown again in s2 (which clears how the last display ended) and answered: it does not come back.
  const again = recordItem(later, shown('nps', 6000, 's2'));
  expect(again.surveys.nps).not.toHaveProperty('dismissed');
  const answer = recordItem(again, answered('nps', 6500));
  expect(answer.surveys.nps).toMatchObject({ displays: 2, answered: true, later: 1 });
  expect(decide(survey, done, who(9000, 's3'), answer).show).toBe(false);
});

test('"don\'t ask again" is kept, also after the host showed the survey once more (showSurvey)', () => {
  const never = recordItem(recordItem(EMPTY_HISTORY, shown('nps', 1000, 's1')), dismissed('nps', 1200, 'never'));
  expect(decide({ ...survey, recontactDays: 0 }, done, who(10 ** 12, 's9'), never)).toEqual({ show: false, reason: 'never' });
  const shownAgain = recordItem(recordItem(never, shown('nps', 5000, 's2')), dismissed('nps', 5200, 'close'));
  expect(shownAgain.surveys.nps).toMatchObject({ displays: 2, dismissed: 'never' });
  expect(decide({ ...survey, recontactDays: 0 }, done, who(10 ** 12, 's9'), shownAgain)).toEqual({ show: false, reason: 'never' });
});

test('an answer or dismissal whose display was not recorded counts that display', () => {
  expect(recordItem(EMPTY_HISTORY, answered('nps', 1)).surveys.nps).toEqual({ displays: 1, answered: true, later: 0 });
  expect(recordItem(EMPTY_HISTORY, dismissed('nps', 1, 'later')).surveys.nps).toEqual({ displays: 1, answered: false, dismissed: 'later', later: 1 });
});

test('unreadable stored history counts as none', () => {
  expect(parseHistory(undefined)).toBe(EMPTY_HISTORY);
  expect(parseHistory('{oops')).toBe(EMPTY_HISTORY);
  expect(parseHistory('null')).toBe(EMPTY_HISTORY);
  expect(parseHistory('{"surveys":5}')).toBe(EMPTY_HISTORY);
  const stored = recordItem(EMPTY_HISTORY, shown('nps', 1, 's'));
  expect(parseHistory(JSON.stringify(stored)).surveys.nps?.displays).toBe(1);
});
