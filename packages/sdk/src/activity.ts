import { KEYS, parseJson, type LocalValues } from './local-values';
import { touchSession, type Session } from './session';

export interface Activity {
  sessionId: string;
  /** A session began with this activity: a session_start item is due. */
  sessionStarted: boolean;
  /** The first activity of this UTC day on this device (for this anonymous id): an active item is due. */
  firstToday: boolean;
}

/**
 * What activity at `at` means for the session and the day, both shared by every tab through
 * localStorage (read from memory; another tab's changes arrive by storage event). The session's
 * last activity changes on every call, so its write waits; a new session or day is written at once,
 * for other tabs to see it and not start their own.
 */
export function recordActivity(values: LocalValues, at: number, newId: () => string): Activity {
  const { session, started } = touchSession(parse(values.read(KEYS.session)), at, newId);
  values.write(KEYS.session, JSON.stringify(session), !started);
  const day = new Date(at).toISOString().slice(0, 10);
  const firstToday = values.read(KEYS.activeDay) !== day;
  if (firstToday) values.write(KEYS.activeDay, day);
  return { sessionId: session.id, sessionStarted: started, firstToday };
}

/** The session going on at `at`, left as it is; '' when it has ended, since the next activity starts another. */
export function sessionIdAt(values: LocalValues, at: number): string {
  return touchSession(parse(values.read(KEYS.session)), at, () => '').session.id;
}

const parse = (json: string | undefined) => parseJson<Session>(json, (session) => typeof session?.id === 'string');
