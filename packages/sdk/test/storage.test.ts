import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createStore, set } from 'idb-keyval';
import {
  fallbackStorage,
  IDB_TIMEOUT_MS,
  idbStorage,
  localStorageStorage,
  memoryStorage,
  type QueueEntry,
  type QueueStorage,
} from '../src/storage';
import { queueKey } from '../src/queue';
import { item } from './fakes';

const dbName = () => `cxkit-test-${Math.random()}`;
const entry = (n: number): QueueEntry => [`b:${n}`, `{"n":${n}}`];
const sorted = async (storage: QueueStorage) => (await storage.list()).sort();
const quiet = () => undefined;

beforeEach(() => localStorage.clear());
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

/** An open request that never answers (blocked by another tab's upgrade, or Safari's stuck open). */
const hangingOpen = () => ({}) as IDBOpenDBRequest;
/** An open request that fails, as when the profile's database files are unreadable. */
function failingOpen(): IDBOpenDBRequest {
  const request = { error: new DOMException('cannot open', 'UnknownError') } as unknown as IDBOpenDBRequest;
  setTimeout(() => request.onerror?.(new Event('error')));
  return request;
}

test('IndexedDB storage survives a new connection: items are on disk, not in memory', async () => {
  const name = dbName();
  await idbStorage(name).put([entry(1), entry(2)]);
  expect(await sorted(idbStorage(name))).toEqual([entry(1), entry(2)]);
});

test.each([
  ['IndexedDB', () => idbStorage(dbName())],
  ['localStorage', () => localStorageStorage()],
  ['memory', () => memoryStorage()],
])('removal on %s says how many of the keys were still there: a second removal of the same keys counts none', async (_, make) => {
  const storage = make();
  await storage.put([entry(1), entry(2), entry(3)]);
  const [first, second] = await Promise.all([storage.remove(['b:1', 'b:2', 'b:9']), storage.remove(['b:2', 'b:3'])]);
  expect(first + second).toBe(3);
  expect(await storage.remove(['b:1', 'b:2', 'b:3'])).toBe(0);
  expect(await storage.list()).toEqual([]);
});

test('an IndexedDB open that fails is tried again on a new connection', async () => {
  const name = dbName();
  const open = indexedDB.open.bind(indexedDB);
  vi.spyOn(indexedDB, 'open').mockImplementationOnce(failingOpen).mockImplementation(open);
  const storage = idbStorage(name);
  await storage.put([entry(1)]);
  expect(await sorted(idbStorage(name))).toEqual([entry(1)]);
});

test('an IndexedDB open that never answers times out and is opened anew', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const name = dbName();
  const open = indexedDB.open.bind(indexedDB);
  vi.spyOn(indexedDB, 'open').mockImplementationOnce(hangingOpen).mockImplementation(open);
  const put = idbStorage(name).put([entry(1)]);
  await vi.advanceTimersByTimeAsync(IDB_TIMEOUT_MS);
  await put;
  expect(await sorted(idbStorage(name))).toEqual([entry(1)]);
});

test('a connection the browser closed without telling is replaced', async () => {
  const name = dbName();
  const connections: IDBOpenDBRequest[] = [];
  const open = indexedDB.open.bind(indexedDB);
  vi.spyOn(indexedDB, 'open').mockImplementation((...args) => {
    const request = open(...args);
    connections.push(request);
    return request;
  });
  const storage = idbStorage(name);
  await storage.put([entry(1)]);
  // close() fires no close event: idb-keyval keeps handing out the dead connection.
  connections[0]!.result.close();
  await storage.put([entry(2)]);
  expect(await sorted(storage)).toEqual([entry(1), entry(2)]);
  expect(connections).toHaveLength(2);
});

test('two tabs writing to localStorage at once keep each other’s items', async () => {
  const tabA = localStorageStorage();
  const tabB = localStorageStorage();
  await Promise.all([tabA.put([entry(1)]), tabB.put([entry(2)])]);
  expect(await sorted(tabA)).toEqual([entry(1), entry(2)]);
  await tabB.remove(['b:1']);
  expect(await sorted(tabA)).toEqual([entry(2)]);
  // The host's own keys are left alone.
  localStorage.setItem('host.key', 'x');
  await tabA.clear();
  expect(Object.keys(localStorage)).toEqual(['host.key']);
});

test('without IndexedDB the queue lives in localStorage', async () => {
  vi.stubGlobal('indexedDB', undefined);
  const storage = fallbackStorage([idbStorage(dbName()), localStorageStorage(), memoryStorage()], quiet);
  await storage.put([entry(1)]);
  expect(localStorage.getItem('cxkit.q.b:1')).toBe('{"n":1}');
  expect(await sorted(storage)).toEqual([entry(1)]);
  expect(storage.shared).toBe(true);
});

test('without IndexedDB and localStorage (storage disabled) the queue lives in memory, and the tab sends its own', async () => {
  vi.stubGlobal('indexedDB', undefined);
  vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
    throw new DOMException('storage is disabled', 'SecurityError');
  });
  const log = vi.fn();
  const storage = fallbackStorage([idbStorage(dbName()), localStorageStorage(), memoryStorage()], log);
  await storage.put([entry(1), entry(2)]);
  expect(await sorted(storage)).toEqual([entry(1), entry(2)]);
  expect(storage.shared).toBe(false);
  expect(log).toHaveBeenCalledTimes(2);
});

test('a write that fails (quota) goes to the next storage whole, and the next operations stay there', async () => {
  const full: QueueStorage = { ...memoryStorage(), shared: true, put: () => Promise.reject(new DOMException('full', 'QuotaExceededError')) };
  const next = memoryStorage();
  const storage = fallbackStorage([full, next], quiet);
  await storage.put([entry(1), entry(2)]);
  await storage.put([entry(3)]);
  expect(await sorted(next)).toEqual([entry(1), entry(2), entry(3)]);
});

test('two operations failing together move one storage down, not two: the page does not skip localStorage for memory', async () => {
  const broken = new DOMException('connection lost', 'UnknownError');
  const idb: QueueStorage = { ...memoryStorage(), shared: true, put: () => Promise.reject(broken), remove: () => Promise.reject(broken) };
  const local = { ...memoryStorage(), shared: true };
  const storage = fallbackStorage([idb, local, memoryStorage()], quiet);
  // A write and the sending tab's removal of what the server confirmed, under way at once.
  await Promise.all([storage.put([entry(1)]), storage.remove([entry(0)[0]])]);
  await storage.put([entry(2)]);
  expect(await sorted(local)).toEqual([entry(1), entry(2)]);
  expect(storage.shared).toBe(true);
});

test('items an earlier page left in localStorage move into IndexedDB when it works again', async () => {
  const name = dbName();
  await localStorageStorage().put([entry(1), entry(2)]);
  const storage = fallbackStorage([idbStorage(name), localStorageStorage(), memoryStorage()], quiet);
  expect(await sorted(storage)).toEqual([entry(1), entry(2)]);
  expect(await sorted(idbStorage(name))).toEqual([entry(1), entry(2)]);
  expect(await localStorageStorage().list()).toEqual([]);
});

test('clear empties every storage, not only the one in use', async () => {
  const name = dbName();
  await localStorageStorage().put([entry(1)]);
  await idbStorage(name).put([entry(2)]);
  await fallbackStorage([idbStorage(name), localStorageStorage(), memoryStorage()], quiet).clear();
  expect(await idbStorage(name).list()).toEqual([]);
  expect(await localStorageStorage().list()).toEqual([]);
});

test('leftovers in localStorage stay there when IndexedDB is still broken', async () => {
  vi.stubGlobal('indexedDB', undefined);
  await localStorageStorage().put([entry(1)]);
  const storage = fallbackStorage([idbStorage(dbName()), localStorageStorage(), memoryStorage()], quiet);
  expect(await sorted(storage)).toEqual([entry(1)]);
});

test('items the first version of the queue stored (the item itself) are read as entries and can be removed', async () => {
  const name = dbName();
  const old = item('survey_response', 1);
  await set(queueKey(old), old, createStore(name, 'queue'));
  const storage = idbStorage(name);
  expect(await storage.list()).toEqual([[queueKey(old), JSON.stringify(old)]]);
  await storage.remove([queueKey(old)]);
  expect(await storage.list()).toEqual([]);
});
