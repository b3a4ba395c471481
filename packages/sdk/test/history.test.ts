import { expect, test } from 'vitest';
import { EMPTY_HISTORY, parseHistory, recordAnswered, recordDismissed, recordShown } from '../src/history';
import { decide, type Audience } from '../src/targeting';

const survey = { id: 'nps', metric: 'nps' as const, trigger: { event: 'done' } };
const done = { kind: 'event' as const, event: 'done' };
const who = (now: number, sessionId: string): Audience => ({ now, userKey: 'u', sessionId, traits: {}, firstSeenAt: 0 });

test('a shown survey is not shown again; its display starts the cooldown for others', () => {
  const shown = recordShown(EMPTY_HISTORY, 'nps', 1000, 's1');
  expect(shown).toEqual({ lastShownAt: 1000, surveys: { nps: { displays: 1, answered: false, later: 0, lastShownAt: 1000, session: 's1' } } });
  expect(decide(survey, done, who(2000, 's1'), shown)).toEqual({ show: false, reason: 'shown-before' });
  expect(decide({ ...survey, id: 'csat' }, done, who(2000, 's1'), shown)).toEqual({ show: false, reason: 'cooldown' });
});

test('"remind me later" brings the survey back in the next session only', () => {
  const later = recordDismissed(recordShown(EMPTY_HISTORY, 'nps', 1000, 's1'), 'nps', 'later');
  expect(later.surveys.nps?.later).toBe(1);
  expect(decide(survey, done, who(5000, 's1'), later).show).toBe(false);
  expect(decide(survey, done, who(5000, 's2'), later).show).toBe(true);
  // Shown again in s2 and answered: it does not come back.
  const answered = recordAnswered(recordShown(later, 'nps', 6000, 's2'), 'nps');
  expect(answered.surveys.nps).toMatchObject({ displays: 2, answered: true, later: 1 });
  expect(decide(survey, done, who(9000, 's3'), answered).show).toBe(false);
});

test('"don\'t ask again" is kept', () => {
  const never = recordDismissed(recordShown(EMPTY_HISTORY, 'nps', 1000, 's1'), 'nps', 'never');
  expect(decide({ ...survey, recontactDays: 0 }, done, who(10 ** 12, 's9'), never)).toEqual({ show: false, reason: 'never' });
});

test('an answer or dismissal whose display was not recorded counts that display', () => {
  expect(recordAnswered(EMPTY_HISTORY, 'nps').surveys.nps).toEqual({ displays: 1, answered: true, later: 0 });
  expect(recordDismissed(EMPTY_HISTORY, 'nps', 'later').surveys.nps).toEqual({ displays: 1, answered: false, dismissed: 'later', later: 1 });
});

test('unreadable stored history counts as none', () => {
  expect(parseHistory(undefined)).toBe(EMPTY_HISTORY);
  expect(parseHistory('{oops')).toBe(EMPTY_HISTORY);
  expect(parseHistory('null')).toBe(EMPTY_HISTORY);
  expect(parseHistory('{"surveys":5}')).toBe(EMPTY_HISTORY);
  const stored = recordShown(EMPTY_HISTORY, 'nps', 1, 's');
  expect(parseHistory(JSON.stringify(stored)).surveys.nps?.displays).toBe(1);
});
