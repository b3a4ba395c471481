// Small values every tab of the origin shares, kept in localStorage and mirrored in memory so that
// reading them costs no storage access. Where localStorage throws (storage disabled, sandboxed
// iframes) they live in memory only, for as long as the page.

/** The values cxkit keeps, by localStorage key. */
export const KEYS = {
  anonymousId: 'cxkit.anonymousId',
  userId: 'cxkit.userId',
  session: 'cxkit.session',
  activeDay: 'cxkit.activeDay',
  optOut: 'cxkit.optOut',
  traits: 'cxkit.traits',
  /** The account group() named, until reset(). */
  accountId: 'cxkit.accountId',
  /** When cxkit first ran on this device (ms): surveys may target days since first seen. */
  firstSeen: 'cxkit.firstSeen',
  /** Counts of items dropped unsent, until the server has them (drop-report.ts). */
  dropped: 'cxkit.dropped',
} as const;

/** A stored JSON value if it parses and `valid` accepts it: anything unreadable counts as none, never an error. */
export function parseJson<T>(text: string | undefined, valid: (value: T | null | undefined) => unknown): T | undefined {
  try {
    const value = JSON.parse(text ?? '') as T;
    return valid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** How long a value written with `later` may wait in memory before it reaches localStorage. */
export const VALUE_WRITE_DELAY_MS = 1000;

export interface LocalValues {
  read(key: string): string | undefined;
  /**
   * undefined removes the key. `later`: for values rewritten on every call (the session's last
   * activity), which reach localStorage within VALUE_WRITE_DELAY_MS, or on persist().
   */
  write(key: string, value: string | undefined, later?: boolean): void;
  /** Writes what waits now: the page is being hidden. */
  persist(): void;
  /** Another tab changed the key (a storage event; null: it cleared everything): its value wins. */
  changed(key: string | null): void;
}

export function createLocalValues(): LocalValues {
  const cache = new Map<string, string | undefined>();
  const waiting = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  function store(key: string, value: string | undefined): void {
    try {
      if (value === undefined) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      // Memory only: the cache holds it.
    }
  }

  function persist(): void {
    clearTimeout(timer);
    timer = undefined;
    for (const key of waiting) store(key, cache.get(key));
    waiting.clear();
  }

  return {
    read(key) {
      if (!cache.has(key)) {
        try {
          cache.set(key, localStorage.getItem(key) ?? undefined);
        } catch {
          // Keep what memory holds.
        }
      }
      return cache.get(key);
    },
    write(key, value, later) {
      cache.set(key, value);
      if (later) {
        waiting.add(key);
        timer ??= setTimeout(persist, VALUE_WRITE_DELAY_MS);
      } else {
        waiting.delete(key);
        store(key, value);
      }
    },
    persist,
    changed(key) {
      // The host's own keys are not here and change nothing.
      if (key === null) {
        cache.clear();
        waiting.clear();
      } else {
        cache.delete(key);
        waiting.delete(key);
      }
    },
  };
}
