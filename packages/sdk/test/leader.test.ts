import { expect, test, vi } from 'vitest';
import { joinTabs, type TabMessage } from '../src/leader';
import { fakeBus, fakeLocks, settle } from './fakes';

/** `locks: null`: a browser without Web Locks. */
function openTabs(count: number, locks: LockManager | null = fakeLocks(), openChannel = fakeBus()) {
  return Array.from({ length: count }, () => {
    const tab = { led: 0, messages: [] as TabMessage[] };
    const tabs = joinTabs({ locks: locks ?? undefined, openChannel, onLead: () => tab.led++, onMessage: (m) => tab.messages.push(m) });
    return Object.assign(tab, { tabs });
  });
}

test('of three tabs exactly one sends; when it goes, the next one takes over', async () => {
  const [a, b, c] = openTabs(3);
  await settle();
  expect([a!.tabs.leading, b!.tabs.leading, c!.tabs.leading]).toEqual([true, false, false]);
  expect(a!.led).toBe(1);
  a!.tabs.stop();
  await settle();
  expect([a!.tabs.leading, b!.tabs.leading, c!.tabs.leading]).toEqual([false, true, false]);
  expect(b!.led).toBe(1);
});

test('a tab leaving for the back/forward cache gives up the lock and rejoins at the back of the line', async () => {
  const [a, b] = openTabs(2);
  await settle();
  a!.tabs.stop();
  a!.tabs.start();
  await settle();
  expect([a!.tabs.leading, b!.tabs.leading]).toEqual([false, true]);
  b!.tabs.stop();
  await settle();
  expect(a!.tabs.leading).toBe(true);
});

test('a waiting tab that leaves never becomes the sender', async () => {
  const [a, b, c] = openTabs(3);
  await settle();
  b!.tabs.stop();
  a!.tabs.stop();
  await settle();
  expect([b!.tabs.leading, c!.tabs.leading]).toEqual([false, true]);
  expect(b!.led).toBe(0);
});

test('messages reach every other tab, not the sender itself', async () => {
  const [a, b, c] = openTabs(3);
  b!.tabs.post('stored');
  c!.tabs.post(['a:1', 'b:2']);
  await settle();
  expect(a!.messages).toEqual(['stored', ['a:1', 'b:2']]);
  expect(b!.messages).toEqual([['a:1', 'b:2']]);
  expect(c!.messages).toEqual(['stored']);
});

test('without Web Locks every tab sends (the server dedupes)', async () => {
  const tabs = openTabs(3, null);
  await settle();
  expect(tabs.map((t) => t.tabs.leading)).toEqual([true, true, true]);
});

test('without BroadcastChannel there is no election either: a sender nobody can nudge would leave items waiting', async () => {
  const locks = fakeLocks();
  const request = vi.spyOn(locks, 'request');
  const tabs = [0, 1].map(() => joinTabs({ locks, openChannel: undefined, onLead: () => undefined, onMessage: () => undefined }));
  await settle();
  expect(tabs.map((t) => t.leading)).toEqual([true, true]);
  expect(request).not.toHaveBeenCalled();
});
