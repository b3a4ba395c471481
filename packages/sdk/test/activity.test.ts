import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { recordActivity } from '../src/activity';
import { createLocalValues, KEYS, VALUE_WRITE_DELAY_MS } from '../src/local-values';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../src/session';

const MIN = 60 * 1000;
const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);
let ids = 0;
const newId = () => `session-${++ids}`;

beforeEach(() => localStorage.clear());
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

test('activity within 30 minutes continues the session; after 30 idle minutes a new one starts', () => {
  const values = createLocalValues();
  const first = recordActivity(values, T0, newId);
  expect(first.sessionStarted).toBe(true);
  const second = recordActivity(values, T0 + 29 * MIN, newId);
  expect(second).toMatchObject({ sessionId: first.sessionId, sessionStarted: false });
  expect(recordActivity(values, T0 + 29 * MIN + SESSION_IDLE_MS - 1, newId).sessionId).toBe(first.sessionId);
  const third = recordActivity(values, T0 + 29 * MIN + 2 * SESSION_IDLE_MS, newId);
  expect(third.sessionStarted).toBe(true);
  expect(third.sessionId).not.toBe(first.sessionId);
});

test('a session ends after 24 hours even when it never went idle', () => {
  const values = createLocalValues();
  const first = recordActivity(values, T0, newId);
  for (let at = T0; at < T0 + SESSION_MAX_MS; at += 20 * MIN) expect(recordActivity(values, at, newId).sessionId).toBe(first.sessionId);
  expect(recordActivity(values, T0 + SESSION_MAX_MS, newId).sessionStarted).toBe(true);
});

test('a tab opened later joins the session that is running', () => {
  const tabA = createLocalValues();
  const started = recordActivity(tabA, T0, newId);
  const tabB = createLocalValues();
  expect(recordActivity(tabB, T0 + 5 * MIN, newId)).toMatchObject({ sessionId: started.sessionId, sessionStarted: false, firstToday: false });
});

test('activity in another tab (seen through its storage event) keeps the session alive here', () => {
  const tabA = createLocalValues();
  const tabB = createLocalValues();
  const started = recordActivity(tabA, T0, newId);
  recordActivity(tabB, T0 + 20 * MIN, newId);
  tabB.persist();
  tabA.changed(KEYS.session);
  expect(recordActivity(tabA, T0 + 40 * MIN, newId)).toMatchObject({ sessionId: started.sessionId, sessionStarted: false });
});

test('the first activity of each UTC day is marked once, whatever the local time zone', () => {
  const values = createLocalValues();
  const lateEvening = Date.UTC(2026, 2, 1, 23, 59, 0);
  expect(recordActivity(values, lateEvening, newId).firstToday).toBe(true);
  expect(recordActivity(values, lateEvening + 30_000, newId).firstToday).toBe(false);
  expect(recordActivity(values, Date.UTC(2026, 2, 2, 0, 0, 1), newId).firstToday).toBe(true);
  expect(recordActivity(values, Date.UTC(2026, 2, 2, 18, 0, 0), newId).firstToday).toBe(false);
});

test('a day another tab already marked is not marked again here', () => {
  const tabA = createLocalValues();
  const tabB = createLocalValues();
  recordActivity(tabA, T0, newId);
  expect(recordActivity(tabB, T0 + 24 * 60 * MIN, newId).firstToday).toBe(true);
  tabA.changed(KEYS.activeDay);
  expect(recordActivity(tabA, T0 + 24 * 60 * MIN + 1, newId).firstToday).toBe(false);
});

test('the session’s last activity reaches localStorage at most once a second; a new session or day at once', () => {
  vi.useFakeTimers();
  const setItem = vi.spyOn(localStorage, 'setItem');
  const values = createLocalValues();
  for (let n = 0; n < 100; n++) recordActivity(values, T0 + n, newId);
  // The new session and the new day, written when they began.
  expect(setItem.mock.calls.map(([key]) => key)).toEqual([KEYS.session, KEYS.activeDay]);
  vi.advanceTimersByTime(VALUE_WRITE_DELAY_MS);
  expect(setItem).toHaveBeenCalledTimes(3);
  expect(JSON.parse(localStorage.getItem(KEYS.session)!).lastActivityAt).toBe(T0 + 99);
});

test('persist() writes what waits at once (the page is being hidden)', () => {
  const values = createLocalValues();
  recordActivity(values, T0, newId);
  recordActivity(values, T0 + MIN, newId);
  values.persist();
  expect(JSON.parse(localStorage.getItem(KEYS.session)!).lastActivityAt).toBe(T0 + MIN);
});

test('where localStorage throws, values live in memory for the page', () => {
  vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
    throw new DOMException('disabled', 'SecurityError');
  });
  const values = createLocalValues();
  const first = recordActivity(values, T0, newId);
  expect(recordActivity(values, T0 + MIN, newId)).toMatchObject({ sessionId: first.sessionId, sessionStarted: false, firstToday: false });
  values.persist();
});

test('a corrupt stored session is replaced, not trusted', () => {
  localStorage.setItem(KEYS.session, '{"id": 42');
  expect(recordActivity(createLocalValues(), T0, newId).sessionStarted).toBe(true);
});

test('the host’s own localStorage changes in other tabs do not cost this tab its pending session write', () => {
  vi.useFakeTimers();
  const values = createLocalValues();
  recordActivity(values, T0, newId);
  recordActivity(values, T0 + 10 * MIN, newId);
  for (let n = 0; n < 5; n++) {
    values.changed('host.state');
    vi.advanceTimersByTime(VALUE_WRITE_DELAY_MS / 5);
  }
  expect(JSON.parse(localStorage.getItem(KEYS.session)!).lastActivityAt).toBe(T0 + 10 * MIN);
});

test('localStorage cleared in another tab: everything is read again', () => {
  const values = createLocalValues();
  const first = recordActivity(values, T0, newId);
  localStorage.clear();
  values.changed(null);
  expect(recordActivity(values, T0 + MIN, newId)).toMatchObject({ sessionStarted: true, firstToday: true });
  expect(recordActivity(values, T0 + 2 * MIN, newId).sessionId).not.toBe(first.sessionId);
});
