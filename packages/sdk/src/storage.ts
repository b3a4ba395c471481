import { createStore, delMany, entries, setMany, type UseStore } from 'idb-keyval';
import type { Item } from './protocol';

export type QueueEntry = [key: string, item: Item];

/** Where queued items live until the server has confirmed them. Injected, so tests use fakes. */
export interface QueueStorage {
  put(entries: QueueEntry[]): Promise<void>;
  /** All entries in key order. */
  list(): Promise<QueueEntry[]>;
  remove(keys: string[]): Promise<void>;
}

export function idbStorage(dbName = 'cxkit', storeName = 'queue'): QueueStorage {
  // Our own database, never idb-keyval's default one, so the host's idb-keyval data is untouched.
  const store: UseStore = createStore(dbName, storeName);
  return {
    put: (items) => setMany(items, store),
    list: async () => (await entries<string, Item>(store)).sort(byKey),
    remove: (keys) => delMany(keys, store),
  };
}

export function memoryStorage(): QueueStorage {
  const map = new Map<string, Item>();
  return {
    put: async (items) => {
      for (const [key, item] of items) map.set(key, item);
    },
    list: async () => [...map.entries()].sort(byKey),
    remove: async (keys) => {
      for (const key of keys) map.delete(key);
    },
  };
}

function byKey(a: QueueEntry, b: QueueEntry): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
