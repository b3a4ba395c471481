import { byteLength } from './batching';
import { LIMITS, type DropReason, type Item } from '@cxkit/protocol';
import type { QueueEntry, QueueStorage } from './storage';
import { uuidTime } from './uuid';

export const QUEUE_MAX_ITEMS = 1000;
export const QUEUE_MAX_BYTES = 5 * 1024 * 1024;
export const QUEUE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** A tab writing items checks the bounds again after this many (the sending tab checks before each send). */
export const BOUNDS_CHECK_EVERY = 100;

// Keys sort survey responses before plain events, and by uuidv7 (creation time) within each,
// so an answer is never stuck behind a backlog of events.
export function queueKey(item: Item): string {
  return (item.type === 'survey_response' ? 'a:' : 'b:') + item.id;
}

export interface Bounds {
  /** Keys of entries older than QUEUE_MAX_AGE_MS. */
  expired: string[];
  /** Keys to evict so the rest fits QUEUE_MAX_ITEMS and QUEUE_MAX_BYTES: plain events before responses, oldest first. */
  full: string[];
}

/** What has to go for the queue to be within its bounds. */
export function checkBounds(entries: QueueEntry[], now: number, sending?: Set<string>): Bounds {
  const expired: string[] = [];
  const full: string[] = [];
  let items = 0;
  let bytes = 0;
  // In the order we would rather keep them: responses, then plain events, the newest first. The
  // first entry past a limit and everything after it goes.
  const keepOrder = [...entries].sort(([a], [b]) => (a[0] !== b[0] ? (a < b ? -1 : 1) : a < b ? 1 : -1));
  for (const [key, json] of keepOrder) {
    // Items on their way count towards the bounds but stay: they are delivered, not dropped, unless
    // the send fails, and then the next check sees them again.
    const kept = sending?.has(key);
    if (now - uuidTime(key.slice(2)) > QUEUE_MAX_AGE_MS) {
      if (!kept) expired.push(key);
    } else if ((++items > QUEUE_MAX_ITEMS || (bytes += byteLength(json)) > QUEUE_MAX_BYTES) && !kept) full.push(key);
  }
  return { expired, full };
}

export interface Queue {
  /**
   * Takes a snapshot of the item (later changes to objects it holds do not leak in) and stores it
   * in a moment, together with whatever else is added in the same task. `properties`: the JSON of
   * the item's properties, taken earlier (track() takes it at the call). Refusals go to onDropped.
   */
  add(item: Item, properties?: string): void;
  /** Stores what was added and not yet stored; resolves when all of it is. */
  persist(): Promise<void>;
  /** Everything stored, in send order, after dropping what is past the bounds. */
  entries(): Promise<QueueEntry[]>;
  /**
   * Keys in a request of this tab that has not answered yet (the sender keeps it): nobody else in
   * the tab sends them meanwhile, and bounds checks do not drop them.
   */
  readonly sending: Set<string>;
  /** Resolves with how many of the keys were still stored. */
  remove(keys: string[]): Promise<number>;
  /** Items this tab added that nobody has removed yet, in send order; `unstored`: only those not stored yet. */
  own(unstored?: boolean): QueueEntry[];
  /** Another tab removed these from storage. */
  forget(keys: string[]): void;
  /** Drops everything, what is stored and what waits to be; with `feedback`, all but survey items. */
  clear(feedback?: boolean): Promise<void>;
}

export interface QueueOptions {
  storage: QueueStorage;
  now: () => number;
  /** Items were stored: time to send, or to tell the sending tab. */
  onStored: () => void;
  /** Items were removed from storage: other tabs should forget them. */
  onRemoved: (keys: string[]) => void;
  /** Items were dropped without being sent, and why. */
  onDropped: (count: number, code: DropReason) => void;
  log: (...args: unknown[]) => void;
}

export function createQueue({ storage, now, onStored, onRemoved, onDropped, log }: QueueOptions): Queue {
  let pending: QueueEntry[] = [];
  let writeScheduled = false;
  let writes = Promise.resolve();
  const sending = new Set<string>();
  const own = new Map<string, string>();
  const unstored = new Set<string>();
  // Items this tab stored since it last checked the bounds; a page's first write checks them.
  let unchecked = Infinity;

  // Counted by what storage really removed: two checks that overlap (this tab's writes and its
  // sends, or two tabs) find the same keys, and only the first removes them.
  async function drop(keys: string[], code: DropReason): Promise<void> {
    const removed = keys.length && (await remove(keys));
    if (removed) onDropped(removed, code);
  }

  async function entries(): Promise<QueueEntry[]> {
    const all = (await storage.list()).sort(byKey);
    const { expired, full } = checkBounds(all, now(), sending);
    await drop(expired, 'expired');
    await drop(full, 'queue_full');
    unchecked = 0;
    const gone = new Set([...expired, ...full]);
    return gone.size ? all.filter(([key]) => !gone.has(key)) : all;
  }

  async function write(): Promise<void> {
    let batch = pending;
    pending = [];
    if (!batch.length) return;
    // A burst past the bound on its own is cut before it is written: storing what the next check
    // deletes would cost a transaction of thousands, and these drops are counted here, exactly.
    const { full } = checkBounds(batch, now());
    if (full.length) {
      const cut = new Set(full);
      batch = batch.filter(([key]) => !cut.has(key));
      for (const key of full) {
        own.delete(key);
        unstored.delete(key);
      }
      onDropped(full.length, 'queue_full');
    }
    try {
      await storage.put(batch);
    } catch (error) {
      pending = batch.concat(pending);
      return log('store failed; will retry', error);
    }
    for (const [key] of batch) unstored.delete(key);
    if ((unchecked += batch.length) > BOUNDS_CHECK_EVERY) await entries().catch(log);
    onStored();
  }

  // One write at a time: a write takes everything added until it starts, so a burst of add()
  // calls costs one transaction, not one each.
  const persist = () => (writes = writes.then(write));

  async function remove(keys: string[]): Promise<number> {
    const removed = await storage.remove(keys);
    for (const key of keys) own.delete(key);
    onRemoved(keys);
    return removed;
  }

  return {
    add(item, properties) {
      let json: string;
      try {
        json = JSON.stringify(item);
      } catch {
        return onDropped(1, 'not_serializable');
      }
      if (properties) json = `${json.slice(0, -1)},"properties":${properties}}`;
      // Counting UTF-8 bytes costs an encode; only a string over a third of the limit can be over it.
      if (json.length * 3 > LIMITS.itemBytes && byteLength(json) > LIMITS.itemBytes) {
        return onDropped(1, 'too_large');
      }
      const key = queueKey(item);
      pending.push([key, json]);
      own.set(key, json);
      unstored.add(key);
      // A microtask, not a timer: the write starts before the host's task ends, which keeps the
      // window in which a crash could lose the item to the IndexedDB commit itself.
      if (!writeScheduled) {
        writeScheduled = true;
        queueMicrotask(() => {
          writeScheduled = false;
          void persist();
        });
      }
    },
    sending,
    persist,
    entries,
    remove,
    own: (unstoredOnly) => [...own].filter(([key]) => !unstoredOnly || unstored.has(key)).sort(byKey),
    forget(keys) {
      for (const key of keys) own.delete(key);
    },
    clear(feedback) {
      const gone = ([, json]: QueueEntry) => !feedback || !(JSON.parse(json) as Item).type.startsWith('survey_');
      pending = pending.filter((entry) => !gone(entry));
      for (const entry of own) {
        if (gone(entry)) {
          own.delete(entry[0]);
          unstored.delete(entry[0]);
        }
      }
      // After any write already under way, so nothing written by it survives.
      return (writes = writes
        .then(async () => (feedback ? void (await storage.remove((await storage.list()).filter(gone).map(([key]) => key))) : storage.clear()))
        .catch(log));
    },
  };
}

function byKey(a: QueueEntry, b: QueueEntry): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
