// The work a call the host makes often (track()) hands off, so that the call itself only notes the
// time and a snapshot: stamping ids, the session and the day, and the item's JSON happen after it,
// in call order, in slices that leave the main thread to the page between them.

/** Calls worked off in one go; the rest wait for a task of their own. */
export const BACKLOG_SLICE = 1000;

export interface Backlog<T> {
  add(entry: T): void;
  /** Works off everything now: before any call that must see the calls made so far (identify, reset, flush…). */
  drain(): void;
}

export function createBacklog<T>(work: (entry: T) => void, log: (...args: unknown[]) => void): Backlog<T> {
  let waiting: T[] = [];

  // A run may find nothing left (a drain came first): it does nothing then.
  function run(limit: number): void {
    const now = waiting.slice(0, limit);
    waiting = waiting.slice(limit);
    for (const entry of now) {
      // Outside any call of the host's: a failure here must not surface in its page.
      try {
        work(entry);
      } catch (error) {
        log('track failed', error);
      }
    }
    if (waiting.length) setTimeout(run, 0, BACKLOG_SLICE);
  }

  return {
    add(entry) {
      // A microtask: the first slice is done before the host's task ends, as the queue's write
      // that follows it is, which keeps the window in which a crash could lose the call small.
      // Later entries join the run already due.
      if (waiting.push(entry) === 1) queueMicrotask(() => run(BACKLOG_SLICE));
    },
    drain: () => run(Infinity),
  };
}
