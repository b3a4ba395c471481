import 'fake-indexeddb/auto';
import { describe, expect, test, vi } from 'vitest';
import { LIMITS, type DropReason, type Item } from '@cxkit/protocol';
import {
  BOUNDS_CHECK_EVERY,
  checkBounds,
  createQueue,
  QUEUE_MAX_AGE_MS,
  QUEUE_MAX_BYTES,
  QUEUE_MAX_ITEMS,
  queueKey,
  type QueueOptions,
} from '../src/queue';
import { idbStorage, memoryStorage, type QueueEntry, type QueueStorage } from '../src/storage';
import { item } from './fakes';

const DAY = 24 * 60 * 60 * 1000;
// uuidv7 never goes back in time within a process, and the queue reads an item's age from its id:
// each test that cares about age takes a time later than any id made before.
let clock = Date.UTC(2030, 0, 1);
const later = () => (clock += 60 * DAY);
const T0 = later();

function setup(storage: QueueStorage = memoryStorage(), now = Date.now) {
  const calls = { stored: 0, removed: [] as string[][], dropped: [] as [number, DropReason][] };
  const options: QueueOptions = {
    storage,
    now,
    onStored: () => calls.stored++,
    onRemoved: (keys) => calls.removed.push(keys),
    onDropped: (count, code) => calls.dropped.push([count, code]),
    log: () => undefined,
  };
  return { queue: createQueue(options), storage, calls };
}

const name = (entry: QueueEntry) => {
  const parsed = JSON.parse(entry[1]) as Item;
  return parsed.type === 'track' ? parsed.event : parsed.type === 'survey_response' ? parsed.responseId : parsed.type;
};

describe.each([
  ['memory', () => memoryStorage()],
  ['IndexedDB', () => idbStorage(`cxkit-test-${Math.random()}`)],
])('queue on %s storage', (_, makeStorage) => {
  test('hands out survey responses before plain events, each in creation order', async () => {
    const { queue } = setup(makeStorage());
    for (const [type, n] of [['track', 1], ['survey_response', 2], ['track', 3], ['survey_response', 4]] as const) {
      queue.add(item(type, n, T0 + n));
    }
    await queue.persist();
    expect((await queue.entries()).map(name)).toEqual(['r2', 'r4', 'e1', 'e3']);
  });

  test('items stay stored until removed, and removal is announced for other tabs', async () => {
    const { queue, calls } = setup(makeStorage());
    for (let n = 0; n < 5; n++) queue.add(item('track', n, T0 + n));
    await queue.persist();
    const first = (await queue.entries()).slice(0, 3);
    expect(await queue.entries()).toHaveLength(5);
    await queue.remove(first.map(([key]) => key));
    expect((await queue.entries()).map(name)).toEqual(['e3', 'e4']);
    expect(calls.removed).toEqual([first.map(([key]) => key)]);
  });

  test('bounds checks that overlap (a write and a send, or two tabs) count each dropped item once', async () => {
    const T0 = later();
    const storage = makeStorage();
    const { queue, calls } = setup(storage, () => T0 + 10_000);
    const over = 250;
    await storage.put(Array.from({ length: QUEUE_MAX_ITEMS + over }, (_, n) => {
      const it = item('track', n, T0 + n);
      return [queueKey(it), JSON.stringify(it)] as QueueEntry;
    }));
    const other = setup(storage, () => T0 + 10_000);
    await Promise.all([queue.entries(), queue.entries(), other.queue.entries()]);
    const counted = [...calls.dropped, ...other.calls.dropped].reduce((sum, [count]) => sum + count, 0);
    expect(counted).toBe(over);
    expect(await storage.list()).toHaveLength(QUEUE_MAX_ITEMS);
  });
});

test('a burst past the bound on its own is cut before it is written: the newest events and every response are stored, the rest counted once', async () => {
  const T0 = later();
  const storage = memoryStorage();
  const put = vi.spyOn(storage, 'put');
  const { queue, calls } = setup(storage, () => T0 + 20_000);
  queue.add(item('survey_response', 0, T0));
  for (let n = 1; n <= 3 * QUEUE_MAX_ITEMS; n++) queue.add(item('track', n, T0 + n));
  await Promise.resolve();
  await queue.persist();
  expect(put.mock.calls.map(([entries]) => entries.length)).toEqual([QUEUE_MAX_ITEMS]);
  const stored = (await queue.entries()).map(name);
  expect(stored[0]).toBe('r0');
  expect(stored.slice(1)).toEqual(Array.from({ length: QUEUE_MAX_ITEMS - 1 }, (_, n) => `e${2 * QUEUE_MAX_ITEMS + 2 + n}`));
  expect(calls.dropped).toEqual([[2 * QUEUE_MAX_ITEMS + 1, 'queue_full']]);
  expect(queue.own()).toHaveLength(QUEUE_MAX_ITEMS);
});

test('adding the same item twice keeps one copy', async () => {
  const { queue } = setup();
  const once = item('track', 1);
  queue.add(once);
  queue.add(once);
  await queue.persist();
  expect(await queue.entries()).toHaveLength(1);
});

test('items added in one task are stored with one write, after the task, not during the call', async () => {
  const storage = memoryStorage();
  const put = vi.spyOn(storage, 'put');
  const { queue, calls } = setup(storage);
  for (let n = 0; n < 50; n++) queue.add(item('track', n));
  expect(put).not.toHaveBeenCalled();
  await Promise.resolve();
  await queue.persist();
  expect(put).toHaveBeenCalledTimes(1);
  expect(put.mock.calls[0]![0]).toHaveLength(50);
  expect(calls.stored).toBe(1);
});

test('a write under way coalesces everything added meanwhile into the next one', async () => {
  const storage = memoryStorage();
  let release!: () => void;
  const slow = new Promise<void>((resolve) => (release = resolve));
  const put = vi.spyOn(storage, 'put').mockImplementationOnce(async (entries) => {
    await slow;
    return memoryStorage().put(entries);
  });
  const { queue } = setup(storage);
  queue.add(item('track', 0));
  await new Promise((resolve) => setTimeout(resolve));
  for (let n = 1; n <= 20; n++) {
    queue.add(item('track', n));
    await Promise.resolve();
  }
  release();
  await queue.persist();
  expect(put.mock.calls.map(([entries]) => entries.length)).toEqual([1, 20]);
});

test('an item is a snapshot: changing its properties after track() changes nothing queued', async () => {
  const { queue } = setup();
  const tracked = { ...item('track', 1), properties: { cart: ['book'] } };
  queue.add(tracked);
  tracked.properties.cart.push('pen');
  await queue.persist();
  const [[, json]] = (await queue.entries()) as [QueueEntry];
  expect(JSON.parse(json).properties).toEqual({ cart: ['book'] });
});

test('an item that cannot be serialized or is over the server’s item limit is refused with its code; others go on', async () => {
  const { queue, calls } = setup();
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  queue.add({ ...item('track', 1), properties: cyclic });
  queue.add({ ...item('track', 2), properties: { text: 'x'.repeat(LIMITS.itemBytes) } });
  queue.add(item('track', 3));
  await queue.persist();
  expect((await queue.entries()).map(name)).toEqual(['e3']);
  expect(calls.dropped).toEqual([
    [1, 'not_serializable'],
    [1, 'too_large'],
  ]);
});

test('a failed write keeps the items, and the next item added brings them along', async () => {
  const storage = memoryStorage();
  const put = vi.spyOn(storage, 'put').mockRejectedValueOnce(new Error('disk full'));
  const { queue } = setup(storage);
  queue.add(item('track', 1));
  await vi.waitFor(() => expect(put).toHaveBeenCalledOnce());
  await new Promise((resolve) => setTimeout(resolve));
  expect(await storage.list()).toEqual([]);
  queue.add(item('track', 2));
  await vi.waitFor(() => expect(put).toHaveBeenCalledTimes(2));
  expect(put.mock.calls[1]![0].map(name)).toEqual(['e1', 'e2']);
});

describe('bounds', () => {
  const entry = (type: 'track' | 'survey_response', n: number, at: number, bytes = 0): QueueEntry => {
    const it = item(type, n, at);
    return [queueKey(it), JSON.stringify({ ...it, pad: 'x'.repeat(bytes) })];
  };

  test('items older than 7 days expire, responses too', () => {
    const T0 = later();
    const entries = [entry('survey_response', 1, T0), entry('track', 2, T0 + DAY), entry('track', 3, T0 + 2 * DAY)];
    const { expired, full } = checkBounds(entries, T0 + QUEUE_MAX_AGE_MS + DAY + 1);
    expect(expired).toEqual([entries[0]![0], entries[1]![0]]);
    expect(full).toEqual([]);
  });

  test('past 1,000 items the oldest plain events go first and every response stays', () => {
    const T0 = later();
    const responses = Array.from({ length: 10 }, (_, n) => entry('survey_response', n, T0 + n));
    const events = Array.from({ length: QUEUE_MAX_ITEMS }, (_, n) => entry('track', n, T0 + n));
    const { full } = checkBounds([...responses, ...events], T0 + 1000);
    expect(full.sort()).toEqual(events.slice(0, 10).map(([key]) => key).sort());
  });

  test('when responses alone are past the bounds, the oldest responses go', () => {
    const T0 = later();
    const responses = Array.from({ length: QUEUE_MAX_ITEMS + 2 }, (_, n) => entry('survey_response', n, T0 + n));
    const { full } = checkBounds(responses, T0 + 2000);
    expect(full.sort()).toEqual([responses[0]![0], responses[1]![0]]);
  });

  test('items on their way to the server are never dropped by the bounds: they are delivered, or checked again if the send fails', () => {
    const T0 = later();
    const events = Array.from({ length: QUEUE_MAX_ITEMS + 2 }, (_, n) => entry('track', n, T0 + n));
    const sending = new Set([events[0]![0]]);
    expect(checkBounds(events, T0 + 5000).full.sort()).toEqual([events[0]![0], events[1]![0]].sort());
    expect(checkBounds(events, T0 + 5000, sending).full).toEqual([events[1]![0]]);
    const { expired } = checkBounds(events, T0 + QUEUE_MAX_AGE_MS + 5000, sending);
    expect(expired).toHaveLength(events.length - 1);
    expect(expired).not.toContain(events[0]![0]);
  });

  test('past 5 MiB the oldest plain events go until the rest fits', () => {
    const T0 = later();
    // Five of these fit in 5 MiB, six do not.
    const big = 1_000_000;
    const events = Array.from({ length: 6 }, (_, n) => entry('track', n, T0 + n, big));
    const response = entry('survey_response', 9, T0, big);
    const { full } = checkBounds([response, ...events], T0 + 100);
    expect(full.sort()).toEqual([events[0]![0], events[1]![0]]);
    const kept = [response, ...events.slice(2)].reduce((sum, [, json]) => sum + json.length, 0);
    expect(kept).toBeLessThanOrEqual(QUEUE_MAX_BYTES);
  });

  test('the queue drops what is past the bounds before handing entries out, and says why', async () => {
    const T0 = later();
    let now = T0;
    const { queue, calls } = setup(memoryStorage(), () => now);
    queue.add(item('track', 1, T0));
    queue.add(item('survey_response', 2, T0 + DAY));
    await queue.persist();
    now = T0 + QUEUE_MAX_AGE_MS + 1;
    expect((await queue.entries()).map(name)).toEqual(['r2']);
    expect(calls.dropped).toEqual([[1, 'expired']]);
  });

  test('a tab that only writes still keeps the queue within its bounds', async () => {
    const T0 = later();
    const { queue, storage } = setup(memoryStorage(), () => T0 + 10_000);
    await storage.put(Array.from({ length: QUEUE_MAX_ITEMS }, (_, n) => entry('track', n, T0 + n)));
    for (let n = 0; n <= BOUNDS_CHECK_EVERY; n++) queue.add(item('track', 5000 + n, T0 + 5000 + n));
    await queue.persist();
    expect(await storage.list()).toHaveLength(QUEUE_MAX_ITEMS);
  });
});

test('own() lists this tab’s items until anyone removes them; own(true) only those not stored yet', async () => {
  const { queue } = setup();
  const a = item('track', 1);
  const b = item('survey_response', 2);
  queue.add(a);
  queue.add(b);
  expect(queue.own(true).map(name)).toEqual(['r2', 'e1']);
  await queue.persist();
  expect(queue.own(true)).toEqual([]);
  expect(queue.own().map(name)).toEqual(['r2', 'e1']);
  queue.forget([queueKey(b)]);
  await queue.remove([queueKey(a)]);
  expect(queue.own()).toEqual([]);
});

test('clear drops what is stored, what waits, and what a write under way was storing', async () => {
  const storage = memoryStorage();
  let release!: () => void;
  const slow = new Promise<void>((resolve) => (release = resolve));
  const put = storage.put;
  vi.spyOn(storage, 'put').mockImplementation(async (entries) => {
    await slow;
    return put(entries);
  });
  const { queue } = setup(storage);
  queue.add(item('track', 1));
  await Promise.resolve();
  queue.add(item('track', 2));
  const cleared = queue.clear();
  release();
  await cleared;
  await queue.persist();
  expect(await storage.list()).toEqual([]);
  expect(queue.own()).toEqual([]);
});
