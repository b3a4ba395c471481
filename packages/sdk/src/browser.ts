import { createClient, type ClientDeps, type Cxkit } from './client';
import { fallbackStorage, idbStorage, localStorageStorage, memoryStorage } from './storage';
import { fetchRequest } from './transport';
import type { LoadWidget } from './widget-loader';

/** The client wired to the real browser: IndexedDB → localStorage → memory, fetch, Web Locks, BroadcastChannel. */
export function createBrowserClient(
  loadWidget: LoadWidget,
  loadDefinitions: ClientDeps['loadDefinitions'],
  loadRuntime: ClientDeps['loadRuntime'],
  defaultHost?: string,
): Cxkit {
  return createClient({
    storage: (log) => fallbackStorage([idbStorage(), localStorageStorage(), memoryStorage()], log),
    makeRequest: fetchRequest,
    // Web Locks exist in secure contexts only (https, localhost).
    locks: navigator.locks,
    openChannel: typeof BroadcastChannel === 'function' ? (name) => new BroadcastChannel(name) : undefined,
    loadWidget,
    loadDefinitions,
    loadRuntime,
    defaultHost,
  });
}
