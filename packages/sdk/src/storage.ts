import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import type { Item } from '@cxkit/protocol';
import { queueKey } from './queue';

/** A queued item: its queue key (see queueKey) and the item as the JSON that will be sent. */
export type QueueEntry = [key: string, json: string];

/** Where queued items live until the server has confirmed them. Injected, so tests use fakes. */
export interface QueueStorage {
  /** Whether every tab of the origin sees the same entries (not so for memory). */
  readonly shared: boolean;
  put(entries: QueueEntry[]): Promise<void>;
  /** All entries, in no particular order. */
  list(): Promise<QueueEntry[]>;
  /**
   * Resolves with how many of the keys were there: what another tab (or a bounds check running
   * beside this one) removed first is not counted twice.
   */
  remove(keys: string[]): Promise<number>;
  clear(): Promise<void>;
}

/** How long one IndexedDB operation may take before we call the database broken. */
export const IDB_TIMEOUT_MS = 5000;

export function idbStorage(dbName = 'cxkit', storeName = 'queue'): QueueStorage {
  let store: UseStore | undefined;

  async function attempt<T>(op: (store: UseStore) => Promise<T>): Promise<T> {
    // Our own database, never idb-keyval's default one, so the host's idb-keyval data is untouched.
    // createStore throws at once where indexedDB is missing; async turns that into a rejection.
    store ??= createStore(dbName, storeName);
    // Started before the timer: where reading `indexedDB` throws, op throws at once, and a timer
    // armed first would reject later with nobody listening.
    const answer = op(store);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('IndexedDB did not answer')), IDB_TIMEOUT_MS);
    });
    return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
  }

  async function run<T>(op: (store: UseStore) => Promise<T>): Promise<T> {
    try {
      return await attempt(op);
    } catch {
      // idb-keyval keeps its connection promise: an open that is blocked never settles, and a
      // connection the browser closed without a close event fails every transaction. Open anew, once.
      store = undefined;
      return attempt(op);
    }
  }

  /** One readwrite transaction, resolved once it has committed. */
  const write = (op: (store: IDBObjectStore) => void) =>
    run((s) =>
      s('readwrite', (store) => {
        op(store);
        // Commit now rather than when the task ends: a page that navigates away right after an
        // answer would otherwise have its transaction aborted, and the answer with it.
        store.transaction.commit?.();
        return promisifyRequest(store.transaction);
      }),
    );

  // Each entry is stored whole under its key, so one getAll() lists the queue.
  return {
    shared: true,
    put: (items) =>
      write((store) => {
        for (const entry of items) store.put(entry, entry[0]);
      }),
    list: async () =>
      (await run((s) => s('readonly', (store) => promisifyRequest(store.getAll() as IDBRequest<(QueueEntry | Item)[]>)))).map(
        // The first version of the queue stored the item itself under the same key.
        (value) => (Array.isArray(value) ? value : [queueKey(value), JSON.stringify(value)]),
      ),
    async remove(keys) {
      // Requests of one transaction run in order, and transactions on the store one at a time
      // across tabs: each count sees whether the key is still there just before its delete.
      let removed = 0;
      await write((store) => {
        for (const key of keys) {
          store.count(key).onsuccess = function () {
            removed += this.result;
          };
          store.delete(key);
        }
      });
      return removed;
    },
    clear: () => write((store) => store.clear()),
  };
}

/** The part of Map that a queue needs; localStorage is adapted to it. */
interface EntryMap {
  get(key: string): string | null | undefined;
  set(key: string, json: string): unknown;
  delete(key: string): unknown;
  keys(): Iterable<string>;
}

function mapStorage(shared: boolean, map: EntryMap): QueueStorage {
  return {
    shared,
    put: async (items) => {
      for (const [key, json] of items) map.set(key, json);
    },
    list: async () =>
      [...map.keys()].flatMap((key) => {
        const json = map.get(key);
        return json == null ? [] : [[key, json] as QueueEntry];
      }),
    remove: async (keys) => {
      let removed = 0;
      for (const key of keys) {
        if (map.get(key) != null) removed++;
        map.delete(key);
      }
      return removed;
    },
    clear: async () => {
      for (const key of [...map.keys()]) map.delete(key);
    },
  };
}

const PREFIX = 'cxkit.q.';

/**
 * One localStorage key per item, so tabs writing at the same time never overwrite each other's
 * items (one key holding the whole queue would lose whatever another tab wrote meanwhile).
 * localStorage is looked up on every call: where it throws, the call fails and the next storage takes over.
 */
export const localStorageStorage = (): QueueStorage =>
  mapStorage(true, {
    get: (key) => localStorage.getItem(PREFIX + key),
    set: (key, json) => localStorage.setItem(PREFIX + key, json),
    delete: (key) => localStorage.removeItem(PREFIX + key),
    keys: () => Object.keys(localStorage).flatMap((key) => (key.startsWith(PREFIX) ? [key.slice(PREFIX.length)] : [])),
  });

/** Lives as long as the page: the last resort, and the fake for tests. */
export const memoryStorage = (): QueueStorage => mapStorage(false, new Map());

/**
 * The first storage that works: when one fails (IndexedDB missing, private mode, quota, a blocked
 * open) the operation is repeated on the next one, and the page stays there. The last one must
 * never fail (memory). Entries an earlier page left in a later storage (localStorage, after
 * IndexedDB failed then) are moved into the first working one when it is first listed.
 */
export function fallbackStorage(storages: QueueStorage[], log: (...args: unknown[]) => void): QueueStorage {
  let index = 0;
  let adopted = false;

  async function run<T>(op: (storage: QueueStorage) => Promise<T>): Promise<T> {
    for (;;) {
      const at = index;
      try {
        return await op(storages[at]!);
      } catch (error) {
        if (at === storages.length - 1) throw error;
        // Operations under way together fail together: only the first moves the page on, the
        // others follow it, rather than each skipping one more storage.
        if (index === at) {
          log('queue storage failed; using the next', error);
          index++;
        }
      }
    }
  }

  async function adoptLeftovers(): Promise<void> {
    adopted = true;
    for (const lower of storages.slice(index + 1)) {
      const left = await lower.list().catch(() => []);
      if (!left.length) continue;
      await run((s) => s.put(left));
      // Unless the move itself fell back to that very storage.
      if (storages[index] !== lower) await lower.remove(left.map(([key]) => key)).catch(() => undefined);
    }
  }

  return {
    get shared() {
      return storages[index]!.shared;
    },
    put: (items) => run((s) => s.put(items)),
    list: async () => {
      if (!adopted) await adoptLeftovers();
      return run((s) => s.list());
    },
    remove: (keys) => run((s) => s.remove(keys)),
    // Everywhere, not only in the storage in use: nothing may outlive an opt-out.
    clear: async () => {
      await Promise.all(storages.map((s) => s.clear().catch(() => undefined)));
    },
  };
}
