import type { Item } from './protocol';
import type { QueueEntry, QueueStorage } from './storage';

// Keys sort survey responses before plain events, and by uuidv7 (creation time) within each,
// so an answer is never stuck behind a backlog of events.
export function queueKey(item: Item): string {
  return (item.type === 'survey_response' ? 'a:' : 'b:') + item.id;
}

export interface Queue {
  add(item: Item): Promise<void>;
  peek(max: number): Promise<QueueEntry[]>;
  remove(keys: string[]): Promise<void>;
}

export function createQueue(storage: QueueStorage): Queue {
  return {
    add: (item) => storage.put([[queueKey(item), item]]),
    peek: async (max) => (await storage.list()).slice(0, max),
    remove: (keys) => storage.remove(keys),
  };
}
