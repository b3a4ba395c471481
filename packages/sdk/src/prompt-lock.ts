// Never two prompts at once, also across tabs: whoever shows a prompt holds a lock until it
// closes. Web Locks release by themselves when a tab dies; where they are missing a
// localStorage lease with an expiry stands in (a crashed tab blocks prompts for one lease at most).

export const LEASE_MS = 10 * 60 * 1000;
const NAME = 'cxkit:prompt';

export interface PromptLock {
  /** Resolves with a release function, or undefined when another prompt is open. */
  acquire(): Promise<(() => void) | undefined>;
}

export function createPromptLock(now: () => number = Date.now): PromptLock {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (locks?.request) return webLock(locks);
  return leaseLock(now);
}

function webLock(locks: LockManager): PromptLock {
  return {
    acquire: () =>
      new Promise((resolve) => {
        locks
          .request(NAME, { ifAvailable: true }, (lock) => {
            if (!lock) return resolve(undefined);
            // Holding the lock is holding this promise open until release() is called.
            return new Promise<void>((release) => resolve(release));
          })
          .catch(() => resolve(undefined));
      }),
  };
}

function leaseLock(now: () => number): PromptLock {
  const id = Math.random().toString(36).slice(2);
  return {
    async acquire() {
      try {
        const [holder, until] = (localStorage.getItem(NAME) ?? '').split(' ');
        if (holder && Number(until) > now()) return undefined;
        localStorage.setItem(NAME, `${id} ${now() + LEASE_MS}`);
        return () => {
          if (localStorage.getItem(NAME)?.startsWith(`${id} `)) localStorage.removeItem(NAME);
        };
      } catch {
        return () => {};
      }
    },
  };
}
