import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import type { Item } from '../src/protocol';
import { createQueue } from '../src/queue';
import { idbStorage, memoryStorage, type QueueStorage } from '../src/storage';
import { uuidv7 } from '../src/uuid';

function item(type: 'track' | 'survey_response', n: number): Item {
  const base = { id: uuidv7(1_700_000_000_000 + n), timestamp: new Date().toISOString(), anonymousId: 'a', sessionId: 's' };
  return type === 'track'
    ? { ...base, type, event: `e${n}` }
    : { ...base, type, surveyId: 's1', responseId: `r${n}`, metric: 'nps', score: 9, final: false };
}

const storages: [string, () => QueueStorage][] = [
  ['memory', () => memoryStorage()],
  ['IndexedDB', () => idbStorage(`cxkit-test-${Math.random()}`)],
];

describe.each(storages)('queue on %s storage', (_, makeStorage) => {
  test('hands out survey responses before plain events, each in creation order', async () => {
    const queue = createQueue(makeStorage());
    await queue.add(item('track', 1));
    await queue.add(item('survey_response', 2));
    await queue.add(item('track', 3));
    await queue.add(item('survey_response', 4));
    const order = (await queue.peek(10)).map(([, i]) => (i.type === 'track' ? i.event : i.type === 'survey_response' ? i.responseId : ''));
    expect(order).toEqual(['r2', 'r4', 'e1', 'e3']);
  });

  test('peek leaves items in place until they are removed', async () => {
    const queue = createQueue(makeStorage());
    for (let n = 0; n < 5; n++) await queue.add(item('track', n));
    const first = await queue.peek(3);
    expect(first).toHaveLength(3);
    expect(await queue.peek(10)).toHaveLength(5);
    await queue.remove(first.map(([key]) => key));
    const rest = await queue.peek(10);
    expect(rest.map(([, i]) => (i as { event: string }).event)).toEqual(['e3', 'e4']);
  });

  test('adding the same item twice keeps one copy', async () => {
    const queue = createQueue(makeStorage());
    const once = item('track', 1);
    await queue.add(once);
    await queue.add(once);
    expect(await queue.peek(10)).toHaveLength(1);
  });
});

test('IndexedDB storage survives a new connection: items are on disk, not in memory', async () => {
  const name = `cxkit-test-${Math.random()}`;
  await createQueue(idbStorage(name)).add(item('track', 7));
  const reopened = await createQueue(idbStorage(name)).peek(10);
  expect(reopened.map(([, i]) => (i as { event: string }).event)).toEqual(['e7']);
});
