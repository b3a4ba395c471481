export interface Session {
  id: string;
  startedAt: number;
  lastActivityAt: number;
}

export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_MAX_MS = 24 * 60 * 60 * 1000;

/** The session after activity at `now`: the same one, touched, or a new one when it went idle or grew too old. */
export function touchSession(
  previous: Session | undefined,
  now: number,
  newId: () => string,
): { session: Session; started: boolean } {
  if (
    previous &&
    now - previous.lastActivityAt < SESSION_IDLE_MS &&
    now - previous.startedAt < SESSION_MAX_MS
  ) {
    return { session: { ...previous, lastActivityAt: Math.max(now, previous.lastActivityAt) }, started: false };
  }
  return { session: { id: newId(), startedAt: now, lastActivityAt: now }, started: true };
}
